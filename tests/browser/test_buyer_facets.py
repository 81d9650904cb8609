"""The buyer's facets in Chromium (issue 13, item 6): ticking one updates results and counts without a reload,
the same works as a plain GET form without JavaScript, every state is axe-clean, and at 320 px nothing
scrolls sideways, with the filter panel folded and unfolded (and the hint of the visitor's size class)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.browser.test_catalog_filter_panel import assert_accessible_without_js
from tests.factories import MunicipalityFactory, ReferenceFactory, SolutionFactory

pytestmark = pytest.mark.django_db(transaction=True)

WIDE = {"width": 1280, "height": 800}
NARROW = {"width": 320, "height": 640}


@pytest.fixture
def catalog():
    small = MunicipalityFactory(name="Kleinhausen", slug="kleinhausen", population=12_000)
    rows = [
        ("Parkplatz-Sensorik", "de", True, 4_000, 1_200),
        ("Bürgerportal", "eu", True, 30_000, None),
        ("Energiemonitoring", "outside_eu", False, None, 60_000),
    ]
    for title, location, dpa, introduction, yearly in rows:
        solution = SolutionFactory(
            title=title,
            data_location=location,
            dpa_available=dpa,
            cost_introduction_eur=introduction,
            cost_yearly_eur=yearly,
        )
        ReferenceFactory(solution=solution, municipality=small, is_verified=title != "Energiemonitoring")
    return {"small": small}


def _titles(page) -> list[str]:
    return sorted(page.locator("#catalog-results .card__title").all_inner_texts())


def _count_of(page, dom_id: str) -> str:
    return page.locator(f"#{dom_id}-count").inner_text()


def test_facet_updates_results_and_counts_without_reload(page, live_server, catalog):
    page.set_viewport_size(WIDE)
    page.goto("/loesungen/")
    assert _count_of(page, "facet-used_by-1") == "(2)"  # Kleinstadt, verified references only
    assert_accessible(page)
    page.evaluate("window.__marker = 'still here'")
    page.locator("#facet-dpa-0").check()  # AVV available
    page.wait_for_url(re.compile(r"dpa=1"))
    expect(page.locator("#result-count")).to_have_text(re.compile(r"^\s*2 "))
    assert _titles(page) == ["Bürgerportal", "Parkplatz-Sensorik"]
    # The other facets' counts follow (out of band); the ticked box keeps its state and focus.
    expect(page.locator("#facet-data_location-2-count")).to_have_text("(0)")  # outside the EU
    assert _count_of(page, "facet-cost_yearly-4") == "(1)"  # on request: Bürgerportal
    assert page.locator("#facet-dpa-0").is_checked()
    page.locator("#facet-cost_introduction-2").check()  # €20,000 to €50,000
    expect(page.locator("#result-count")).to_have_text(re.compile(r"^\s*1 "))
    assert _titles(page) == ["Bürgerportal"]
    assert page.evaluate("window.__marker") == "still here"
    assert_accessible(page)


def test_facet_works_as_a_plain_form_without_javascript(page_without_js, page, live_server, catalog):
    checker, page = page, page_without_js
    page.set_viewport_size(WIDE)
    page.goto("/loesungen/")
    page.locator("#facet-cost_yearly-4").check()  # on request
    page.locator("#facet-used_by-1").check()  # Kleinstadt
    page.locator(".catalog-apply").click()
    page.wait_for_url(re.compile(r"cost_yearly=on_request"))
    assert "used_by=kleinstadt" in page.url
    assert _titles(page) == ["Bürgerportal"]
    assert page.locator("#facet-cost_yearly-4").is_checked()
    assert_accessible_without_js(page, checker)


def _no_sideways_scrolling(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]


def test_320_px_with_the_panel_folded_and_open(page, live_server, catalog):
    page.set_viewport_size(NARROW)
    # The visitor's own municipality: its size class comes first with a hint in both size facets.
    page.goto("/kommunen/finden/?q=Kleinhausen")
    page.locator('.find-result__choose:has(input[value="kleinhausen"]) button').click()
    page.wait_for_url(re.compile(r"/$"))
    page.goto("/loesungen/?dpa=1")
    panel = page.locator("#catalog-filters")
    assert page.evaluate("document.getElementById('catalog-filters').open") is False
    assert page.locator("#catalog-results .card").first.is_visible()
    _no_sideways_scrolling(page)
    assert_accessible(page)
    panel.locator("summary").click()
    assert page.evaluate("document.getElementById('catalog-filters').open") is True
    assert page.locator("#facet-cost_yearly").is_visible()
    first_used_by = page.locator("#facet-used_by .facet-option").first
    assert first_used_by.locator("input").get_attribute("value") == "kleinstadt"
    assert first_used_by.locator(".facet-hint").is_visible()
    assert page.locator("#facet-used_by-1").is_checked() is False
    _no_sideways_scrolling(page)
    # No option label is cut off or wider than the panel.
    overflowing = page.evaluate(
        """() => [...document.querySelectorAll('#catalog-filters .facet-option label')]
              .filter(label => label.getBoundingClientRect().right > document.documentElement.clientWidth)
              .map(label => label.textContent.trim())"""
    )
    assert overflowing == []
    assert_accessible(page)

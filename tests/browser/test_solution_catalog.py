"""Filtering the solutions catalog in Chromium: htmx swaps, URL state, back button, no-JS fallback, a11y."""

import re

import pytest

from tests.browser.conftest import assert_accessible
from tests.factories import CategoryFactory, SolutionFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def catalog():
    mobility = CategoryFactory(slug="mobilitaet", name_de="Mobilität", name_en="Mobility", position=1)
    energy = CategoryFactory(slug="energie", name_de="Energie", name_en="Energy", position=2)
    SolutionFactory(
        title="Parkplatz-Sensorik",
        summary="Zeigt freie Parkplätze in Echtzeit.",
        categories=[mobility],
        maturity="production",
        is_demo=True,
    )
    SolutionFactory(title="Carsharing-Plattform", categories=[mobility], maturity="pilot")
    SolutionFactory(title="Energiemonitoring", categories=[energy], maturity="production")
    return {"mobility": mobility, "energy": energy}


def _titles(page):
    return page.locator("#catalog-results .card__title").all_inner_texts()


def _count(page):
    return int(re.match(r"\d+", page.locator("#result-count").inner_text()).group())


def test_checkbox_updates_results_counts_and_url_without_reload(page, live_server, catalog):
    page.goto("/loesungen/")
    assert_accessible(page)
    assert _count(page) == 3
    page.evaluate("window.__marker = 'still here'")
    page.locator("#facet-category-0").check()  # Mobilität
    page.wait_for_url(re.compile(r"category=mobilitaet"))
    page.wait_for_function("document.querySelector('#result-count').innerText.startsWith('2')")
    assert sorted(_titles(page)) == ["Carsharing-Plattform", "Parkplatz-Sensorik"]
    assert page.evaluate("window.__marker") == "still here"
    # Counts follow the filter state: of the mobility rows one is in production, one a pilot.
    assert page.locator("#facet-maturity-1-count").inner_text() == "(1)"  # pilot
    assert page.locator("#facet-maturity-2-count").inner_text() == "(1)"  # production
    # The sibling option keeps its own count (facets are disjunctive).
    assert page.locator("#facet-category-1-count").inner_text() == "(1)"
    # Keyboard focus stays on the checkbox the user ticked.
    assert page.evaluate("document.activeElement.id") == "facet-category-0"
    assert page.locator(".chip").count() == 1
    assert_accessible(page)


def test_back_button_and_shared_link_restore_the_state(page, live_server, catalog):
    page.goto("/loesungen/")
    page.locator("#facet-maturity-2").check()  # production
    page.wait_for_url(re.compile(r"maturity=production"))
    page.wait_for_function("document.querySelector('#result-count').innerText.startsWith('2')")
    page.locator("#facet-category-0").check()
    page.wait_for_url(re.compile(r"category=mobilitaet"))
    page.wait_for_function("document.querySelector('#result-count').innerText.startsWith('1')")
    shared = page.url
    assert _titles(page) == ["Parkplatz-Sensorik"]

    page.go_back()
    page.wait_for_url(re.compile(r"maturity=production(?!.*category)"))
    page.wait_for_function("document.querySelector('#result-count').innerText.startsWith('2')")
    assert sorted(_titles(page)) == ["Energiemonitoring", "Parkplatz-Sensorik"]
    assert page.locator("#facet-category-0").is_checked() is False
    assert page.locator("#facet-maturity-2").is_checked() is True

    fresh = page.context.new_page()
    fresh.goto(shared)
    assert _titles(fresh) == ["Parkplatz-Sensorik"]
    assert fresh.locator("#facet-category-0").is_checked() is True
    assert fresh.locator("#facet-maturity-2").is_checked() is True
    fresh.close()


def test_typing_a_search_updates_results(page, live_server, catalog):
    page.goto("/loesungen/")
    page.locator("#id_q").press_sequentially("Parkplätze", delay=20)
    page.wait_for_url(re.compile(r"q=Parkpl"))
    page.wait_for_function("document.querySelector('#result-count').innerText.startsWith('1')")
    assert _titles(page) == ["Parkplatz-Sensorik"]
    assert page.evaluate("document.activeElement.id") == "id_q"
    assert page.locator("#catalog-results mark").first.inner_text() == "Parkplätze"


def test_catalog_works_without_javascript(page_without_js, live_server, catalog):
    page = page_without_js
    page.goto("/loesungen/")
    page.locator("#facet-category-1").check()  # Energie
    page.locator(".catalog-apply").click()
    page.wait_for_url(re.compile(r"category=energie"))
    assert _titles(page) == ["Energiemonitoring"]
    assert page.locator("#facet-category-1").is_checked()
    page.locator(".chip").first.click()
    page.wait_for_url(re.compile(r"^(?!.*category).*/loesungen/"))
    assert len(_titles(page)) == 3


def test_global_search_page_is_accessible(page, live_server, catalog):
    page.goto("/suche/?q=Parkplätze")
    assert page.locator("#group-solutions").is_visible()
    assert page.locator("section[aria-labelledby='group-solutions'] .card__title").all_inner_texts() == [
        "Parkplatz-Sensorik"
    ]
    assert_accessible(page)


def test_skip_link_jumps_over_the_filters_to_the_results(page, live_server):
    SolutionFactory(title="Parkleitsystem")
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto("/loesungen/")
    skip = page.locator("a.catalog-skip")
    # On a phone the filters are folded away (test_catalog_filter_panel); once opened, the link skips them.
    assert skip.is_visible() is False
    page.locator("#catalog-filters > summary").click()
    assert skip.is_visible()
    skip.click()
    assert page.evaluate("document.activeElement.id") == "catalog-main"
    assert page.url.endswith("#catalog-main")

"""The catalogs' filter panel on a phone (issue 13): at 360 × 740 CSS px the filters fold into a closed
<details> whose summary counts the active filters, so the first result shows without scrolling; it opens with
the keyboard, follows htmx updates and works without JavaScript. On wide screens nothing folds."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.factories import (
    CategoryFactory,
    MunicipalityFactory,
    PilotProjectFactory,
    ReferenceFactory,
    SolutionFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 360, "height": 740}
WIDE = {"width": 1280, "height": 800}


@pytest.fixture
def catalogs():
    mobility = CategoryFactory(slug="mobilitaet", name_de="Mobilität", name_en="Mobility", position=1)
    energy = CategoryFactory(slug="energie", name_de="Energie", name_en="Energy", position=2)
    ulm = MunicipalityFactory(name="Ulm", ags="08421000", kind="kreisfreie_stadt", population=126_000)
    kiel = MunicipalityFactory(name="Kiel", ags="01002000", kind="kreisfreie_stadt", population=246_000)
    for title, category, maturity in [
        ("Parkplatz-Sensorik", mobility, "production"),
        ("Carsharing-Plattform", mobility, "pilot"),
        ("Energiemonitoring", energy, "production"),
    ]:
        solution = SolutionFactory(
            title=title,
            categories=[category],
            maturity=maturity,
            licence_type="open_source",
            spdx_id="EUPL-1.2",
            summary="Eine Lösung für Kommunen, die schon in mehreren Städten läuft.",
        )
        ReferenceFactory(solution=solution, municipality=ulm)
    PilotProjectFactory(title="Smarte Parkplätze", lead_municipality=ulm, categories=[mobility])
    PilotProjectFactory(title="Hafenlogistik", lead_municipality=kiel, categories=[mobility])
    return {"mobility": mobility, "energy": energy}


def _summary(page):
    return page.locator("#catalog-filters > summary")


def _summary_text(page) -> str:
    """The summary as seen, without the word only screen readers get ("Filter (3 aktiv)")."""
    return page.evaluate(
        """() => { const copy = document.querySelector('#catalog-filters > summary').cloneNode(true);
        copy.querySelectorAll('.visually-hidden').forEach(el => el.remove());
        return copy.textContent.replace(/\\s+/g, ' ').trim(); }"""
    )


def _is_open(page) -> bool:
    return page.evaluate("document.getElementById('catalog-filters').open")


def _first_card_top(page) -> float:
    return page.evaluate("document.querySelector('#catalog-results .card').getBoundingClientRect().top")


def _wait_count(page, number):
    expect(page.locator("#result-count")).to_have_text(re.compile(rf"^\s*{number} "))


def assert_accessible_without_js(page, checker):
    """axe-core on what ``page`` (without JavaScript) shows, run in ``checker`` (a page with JavaScript on the
    same site, so the styles load): axe does not run in a context without JavaScript. The scripts are
    dropped, so the DOM stays the one a visitor without JavaScript gets (see test_my_municipality)."""
    html = re.sub(r"<script\b.*?</script>", "", page.content(), flags=re.S)
    checker.set_viewport_size(page.viewport_size)
    checker.goto(page.url)
    checker.set_content(html)
    assert checker.locator("script").count() == 0
    assert_accessible(checker)


@pytest.mark.parametrize(
    ("url", "active"),
    [
        ("/loesungen/?category=mobilitaet&maturity=production&licence=open_source&q=Sensorik", 3),
        ("/pilotprojekte/?category=mobilitaet&state=08", 2),
        ("/kommunen/?state=08&state=01", 2),
    ],
)
def test_phone_shows_the_first_result_with_the_filters_folded(page, live_server, catalogs, url, active):
    page.set_viewport_size(PHONE)
    page.goto(url)
    assert _is_open(page) is False
    # The count leaves out the search text: its field is outside the panel.
    assert _summary_text(page) == f"Filter ({active})"
    # Screen readers hear what the number counts.
    assert re.fullmatch(rf"Filter \({active} \w+\)", " ".join(_summary(page).text_content().split()))
    assert page.locator(".facet").first.is_visible() is False
    assert 0 < _first_card_top(page) < PHONE["height"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)


def test_phone_panel_opens_with_the_keyboard_and_follows_htmx_updates(page, live_server, catalogs):
    page.set_viewport_size(PHONE)
    page.goto("/loesungen/")
    assert _summary_text(page) == "Filter"
    page.locator("#id_q").focus()
    page.keyboard.press("Tab")  # the search button
    page.keyboard.press("Tab")  # the summary: the skip link and the filters are folded away
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    page.keyboard.press("Enter")
    assert _is_open(page) is True
    page.keyboard.press("Tab")  # the link that skips the opened filters
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#catalog-main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "facet-category-0"  # Mobilität
    page.keyboard.press("Space")
    page.wait_for_url(re.compile(r"category=mobilitaet"))
    _wait_count(page, 2)
    # The count on the summary is swapped out of band with the results; the panel and focus stay.
    expect(page.locator("#catalog-filter-count")).to_have_text(re.compile(r"^\(1\b"))
    assert _summary_text(page) == "Filter (1)"
    assert _is_open(page) is True
    assert page.evaluate("document.activeElement.id") == "facet-category-0"
    page.locator("#facet-maturity-2").check()  # production
    _wait_count(page, 1)
    expect(page.locator("#catalog-filter-count")).to_have_text(re.compile(r"^\(2\b"))
    assert_accessible(page)
    # Enter on the summary folds the filters again.
    _summary(page).focus()
    page.keyboard.press("Enter")
    assert _is_open(page) is False
    assert 0 < _first_card_top(page) < PHONE["height"]


def test_phone_panel_works_without_javascript(page_without_js, page, live_server, catalogs):
    checker, page = page, page_without_js
    page.set_viewport_size(PHONE)
    page.goto("/loesungen/")
    assert _is_open(page) is False
    assert 0 < _first_card_top(page) < PHONE["height"]
    assert_accessible_without_js(page, checker)
    _summary(page).focus()
    page.keyboard.press("Enter")
    assert _is_open(page) is True
    page.locator("#facet-category-1").check()  # Energie
    page.locator(".catalog-apply").click()
    page.wait_for_url(re.compile(r"category=energie"))
    assert page.locator("#catalog-results .card__title").all_inner_texts() == ["Energiemonitoring"]
    assert _is_open(page) is False
    assert _summary_text(page) == "Filter (1)"
    assert 0 < _first_card_top(page) < PHONE["height"]
    assert_accessible_without_js(page, checker)


def test_wide_screen_shows_the_filters_without_a_fold(page, page_without_js, live_server, catalogs):
    for shown in (page, page_without_js):
        shown.set_viewport_size(WIDE)
        shown.goto("/loesungen/?category=mobilitaet")
        assert _summary(shown).is_visible() is False
        assert shown.locator(".catalog-facets-heading").is_visible()
        assert shown.locator("#facet-maturity-1").is_visible()
        assert shown.locator(".catalog-apply").is_visible()
    # With JavaScript the panel is open as well, so assistive technology reports what is shown.
    assert _is_open(page) is True
    assert_accessible(page)
    # Without JavaScript the shown filters work from the keyboard although the element stays closed.
    shown = page_without_js
    assert _is_open(shown) is False
    shown.locator("#id_q").focus()
    shown.keyboard.press("Tab")  # the search button
    shown.keyboard.press("Tab")  # the skip link
    shown.keyboard.press("Tab")
    assert shown.evaluate("document.activeElement.id") == "facet-category-0"
    shown.locator("#facet-maturity-1").check()  # pilot
    shown.locator(".catalog-apply").click()
    shown.wait_for_url(re.compile(r"maturity=pilot"))
    assert shown.locator("#catalog-results .card__title").all_inner_texts() == ["Carsharing-Plattform"]

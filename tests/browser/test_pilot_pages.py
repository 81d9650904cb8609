"""The pilot projects catalog and detail in Chromium: map filter, htmx swaps, back button, no-JS, a11y."""

import datetime
import re

import pytest

from tests.browser.conftest import assert_accessible
from tests.factories import (
    CategoryFactory,
    MunicipalityFactory,
    PilotLinkFactory,
    PilotProjectFactory,
    ReferenceFactory,
    SolutionFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def pilots():
    mobility = CategoryFactory(slug="mobilitaet", name_de="Mobilität", name_en="Mobility", position=1)
    energy = CategoryFactory(slug="energie", name_de="Energie", name_en="Energy", position=2)
    munich = MunicipalityFactory(name="München", ags="09162000", population=1_500_000)
    leipzig = MunicipalityFactory(name="Leipzig", ags="14713000", population=600_000)
    kiel = MunicipalityFactory(name="Kiel", ags="01002000", population=246_000)
    parking = PilotProjectFactory(
        title="Smarte Parkplätze",
        slug="smarte-parkplaetze",
        lead_municipality=munich,
        partners=[leipzig],
        categories=[mobility],
        funding="msc",
        model_project_round=2019,
        phase="continued",
        start_date=datetime.date(2020, 3, 1),
        goals="Weniger Parksuchverkehr.",
        is_demo=True,
    )
    PilotProjectFactory(
        title="Energiemonitoring Schulen",
        lead_municipality=leipzig,
        categories=[energy],
        funding="land",
        phase="implementation",
        start_date=datetime.date(2022, 1, 1),
    )
    PilotProjectFactory(
        title="Hafenlogistik", lead_municipality=kiel, categories=[mobility], funding="eu", phase="completed"
    )
    PilotLinkFactory(pilot=parking)
    ReferenceFactory(pilot=parking, municipality=munich, solution=SolutionFactory(title="ParkSense"))
    return parking


def _titles(page):
    return sorted(page.locator("#catalog-results .card__title").all_inner_texts())


def _wait_count(page, number):
    page.wait_for_function(
        f"document.querySelector('#result-count').innerText.trim().startsWith('{number} ')"
    )


def test_map_tile_filters_without_reload_and_back_restores(page, live_server, pilots):
    page.goto("/pilotprojekte/")
    assert_accessible(page)
    _wait_count(page, 3)
    page.evaluate("window.__marker = 'still here'")
    page.locator("#facet-state-13-tile").click()  # the Sachsen tile (code 14)
    page.wait_for_url(re.compile(r"state=14"))
    _wait_count(page, 1)
    assert _titles(page) == ["Energiemonitoring Schulen"]
    assert page.evaluate("window.__marker") == "still here"
    assert page.locator("#facet-state-13").is_checked()
    # Other facets follow the Land; the map keeps the other Länder's counts (disjunctive).
    assert page.locator("#facet-category-1-count").inner_text() == "(1)"
    assert page.locator("#facet-state-8-tile .state-tile__count").inner_text() == "1"  # Bayern
    assert page.locator(".chip").count() == 1
    assert_accessible(page)

    page.locator("#facet-category-1").check()  # Energie
    page.wait_for_url(re.compile(r"category=energie"))
    page.go_back()
    page.wait_for_url(re.compile(r"state=14(?!.*category)"))
    _wait_count(page, 1)
    assert page.locator("#facet-category-1").is_checked() is False
    assert page.locator("#facet-state-13").is_checked() is True
    page.go_back()
    page.wait_for_url(re.compile(r"/pilotprojekte/$"))
    _wait_count(page, 3)
    assert page.locator("#facet-state-13").is_checked() is False


def test_keyboard_reaches_and_toggles_a_map_tile(page, live_server, pilots):
    page.goto("/pilotprojekte/")
    page.locator("#id_q").focus()
    page.keyboard.press("Tab")  # the search button
    page.keyboard.press("Tab")  # the link that skips the filters
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#catalog-main"
    page.keyboard.press("Tab")  # the first tile: Schleswig-Holstein
    assert page.evaluate("document.activeElement.id") == "facet-state-0"
    page.keyboard.press("Space")
    page.wait_for_url(re.compile(r"state=01"))
    _wait_count(page, 1)
    assert _titles(page) == ["Hafenlogistik"]
    assert page.evaluate("document.activeElement.id") == "facet-state-0"


def test_catalog_works_without_javascript(page_without_js, live_server, pilots):
    page = page_without_js
    page.goto("/pilotprojekte/")
    page.locator("#facet-state-8-tile").click()  # Bayern
    page.locator(".catalog-apply").click()
    page.wait_for_url(re.compile(r"state=09"))
    assert _titles(page) == ["Smarte Parkplätze"]
    assert page.locator("#facet-state-8").is_checked()
    page.locator(".chip").first.click()
    page.wait_for_url(re.compile(r"/pilotprojekte/(?!.*state)"))
    assert len(_titles(page)) == 3


def test_detail_page_is_accessible(page, live_server, pilots):
    page.goto("/pilotprojekte/smarte-parkplaetze/")
    assert page.locator("h1").inner_text() == "Smarte Parkplätze"
    assert page.locator(".badge-sample").count() >= 1
    assert page.locator(".state-map--location .is-current").inner_text() == "BY"
    assert page.locator("#h-solutions ~ ul .card__title").inner_text() == "ParkSense"
    assert_accessible(page)

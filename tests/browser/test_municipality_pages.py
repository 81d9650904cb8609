"""The municipalities catalog and profile in Chromium: map and checkbox filters, back button, no-JS, a11y."""

import re

import pytest

from tests.browser.conftest import assert_accessible
from tests.factories import MunicipalityFactory, PilotProjectFactory, ReferenceFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def towns():
    ulm = MunicipalityFactory(
        name="Ulm",
        slug="ulm",
        ags="08421000",
        kind="kreisfreie_stadt",
        population=126_000,
        is_model_project=True,
        model_project_round=2019,
        is_demo=True,
    )
    MunicipalityFactory(name="Augsburg", ags="09761000", kind="kreisfreie_stadt", population=300_000)
    MunicipalityFactory(name="Wiesenbach", ags="09188001", kind="gemeinde", population=3_200)
    MunicipalityFactory(name="Bad Belzig", ags="12069017", kind="stadt", population=11_000)
    PilotProjectFactory(title="Ulmer Datenplattform", lead_municipality=ulm)
    ReferenceFactory(municipality=ulm)
    return ulm


def _names(page):
    return sorted(page.locator("#catalog-results .card__title").all_inner_texts())


def _wait_count(page, number):
    page.wait_for_function(
        f"document.querySelector('#result-count').innerText.trim().startsWith('{number} ')"
    )


def test_checkbox_and_map_filter_without_reload_and_back_restores(page, live_server, towns):
    page.goto("/kommunen/")
    assert_accessible(page)
    _wait_count(page, 4)
    page.evaluate("window.__marker = 'still here'")
    page.locator("#facet-kind-1").check()  # Stadt... see below: kinds in declaration order
    page.wait_for_url(re.compile(r"kind=stadt"))
    _wait_count(page, 1)
    assert _names(page) == ["Bad Belzig"]
    page.locator("#facet-kind-2").check()  # kreisfreie Stadt
    page.wait_for_url(re.compile(r"kind=kreisfreie_stadt"))
    _wait_count(page, 3)
    page.locator("#facet-state-8-tile").click()  # Bayern (code 09)
    page.wait_for_url(re.compile(r"state=09"))
    _wait_count(page, 1)
    assert _names(page) == ["Augsburg"]
    assert page.evaluate("window.__marker") == "still here"
    # The map counts follow the other filters: one kreisfreie Stadt/Stadt in Baden-Württemberg, one in Bayern.
    assert page.locator("#facet-state-7-tile .state-tile__count").inner_text() == "1"
    assert page.locator("#facet-state-8-tile .state-tile__count").inner_text() == "1"
    assert_accessible(page)

    page.go_back()
    page.wait_for_url(re.compile(r"kind=kreisfreie_stadt(?!.*state)"))
    _wait_count(page, 3)
    assert page.locator("#facet-state-8").is_checked() is False
    assert page.locator("#facet-kind-2").is_checked() is True


def test_keyboard_toggles_the_bavaria_tile(page, live_server, towns):
    page.goto("/kommunen/")
    page.locator("#facet-state-0").focus()
    for _ in range(15):  # SH is first; Bayern is the last tile in reading order
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "facet-state-8"
    page.keyboard.press("Space")
    page.wait_for_url(re.compile(r"state=09"))
    _wait_count(page, 2)
    assert _names(page) == ["Augsburg", "Wiesenbach"]
    assert page.evaluate("document.activeElement.id") == "facet-state-8"


def test_catalog_works_without_javascript(page_without_js, live_server, towns):
    page = page_without_js
    page.goto("/kommunen/")
    page.locator("#facet-funded-0").check()  # round 2019
    page.locator(".catalog-apply").click()
    page.wait_for_url(re.compile(r"funded=2019"))
    assert _names(page) == ["Ulm"]
    page.locator("#id_q").fill("bad")
    page.locator("#id_q").press("Enter")
    page.wait_for_url(re.compile(r"q=bad"))
    assert _names(page) == []
    assert page.locator(".empty-state").count() == 1


def test_profile_is_accessible(page, live_server, towns):
    page.goto("/kommunen/ulm/")
    assert page.locator("h1").inner_text() == "Ulm"
    assert page.locator(".badge-sample").count() >= 1
    assert page.locator(".state-map--location .is-current").inner_text() == "BW"
    assert "Ulmer Datenplattform" in page.locator("#h-pilots ~ ul").first.inner_text()
    assert_accessible(page)


@pytest.fixture
def register():
    """Two Länder of the register with Kreise, a Verband and Gemeinden (keys as Destatis gives them)."""

    def place(name, ars, level, kind, parent=None, population=None):
        return MunicipalityFactory(
            name=name, ars=ars, ags=None, level=level, kind=kind, parent=parent, population=population
        )

    bayern = place("Bayern", "09", "land", "land", population=13_000_000)
    hessen = place("Hessen", "06", "land", "land", population=6_300_000)
    aisch = place(
        "Landkreis Neustadt a.d.Aisch-Bad Windsheim", "09575", "kreis", "landkreis", bayern, 101_000
    )
    place("Landkreis Neustadt a.d.Waldnaab", "09374", "kreis", "landkreis", bayern, 94_000)
    kassel = place("Landkreis Kassel", "06633", "kreis", "landkreis", hessen, 236_000)
    vgem = place("Sugenheim (VGem)", "095755555", "verband", "verwaltungsgemeinschaft", aisch, 6_000)
    place("Neustadt a.d.Aisch", "095750153153", "gemeinde", "stadt", aisch, 13_000)
    place("Sugenheim", "095755555158", "gemeinde", "markt", vgem, 2_300)
    place("Neustadt a.d.Waldnaab", "093740147147", "gemeinde", "stadt", None, 5_700)
    place("Baunatal", "066330003003", "gemeinde", "stadt", kassel, 28_000)
    return aisch


def test_kreis_and_level_facets_follow_the_map(page, live_server, register):
    page.goto("/kommunen/")
    _wait_count(page, 4)
    assert page.locator("#facet-kreis-hint").is_visible()
    assert page.locator("input[name=kreis]").count() == 0
    page.locator("#facet-state-8-tile").click()  # Bayern: its two Kreise appear, out of band
    page.wait_for_url(re.compile(r"state=09"))
    page.wait_for_selector("input[name=kreis][value='09575']")
    assert page.locator("input[name=kreis]").count() == 2
    _wait_count(page, 3)
    page.locator("label[for=facet-kreis-1]").click()  # "Landkreis Neustadt a.d.Aisch-Bad Windsheim"
    page.wait_for_url(re.compile(r"kreis=09575"))
    _wait_count(page, 2)
    assert _names(page) == ["Neustadt a.d.Aisch", "Sugenheim"]
    # The Länder did not change, so the Kreise were not sent again: the focus stays on the checkbox.
    assert page.evaluate("document.activeElement.id") == "facet-kreis-1"
    assert_accessible(page)

    page.locator("label[for=facet-level-1]").click()  # Gemeindeverbände: the kinds of Verbände appear
    page.wait_for_url(re.compile(r"level=verband"))
    _wait_count(page, 1)
    assert _names(page) == ["Sugenheim (VGem)"]
    page.wait_for_selector("#facet-slot-kind input[value=verwaltungsgemeinschaft]")
    assert page.locator("#facet-slot-kind input[value=stadt]").count() == 0
    assert page.locator("#facet-slot-size fieldset").count() == 0  # no size classes for Verbände
    assert_accessible(page)


def test_kreis_facet_without_javascript(page_without_js, live_server, register):
    page = page_without_js
    page.goto("/kommunen/")
    page.locator("#facet-state-5-tile").click()  # Hessen (the checkbox ids follow the codes: 06)
    page.locator("#facet-state-8-tile").click()  # Bayern (09)
    page.locator(".catalog-apply").click()
    page.wait_for_url(re.compile(r"state=09"))
    # Two Länder: the Kreise grouped by Land.
    legends = page.locator("#facet-kreis .facet-group > legend").all_inner_texts()
    assert legends == ["Hessen", "Bayern"]
    page.locator("#facet-kreis-0").check()  # Landkreis Kassel
    page.locator(".catalog-apply").click()
    page.wait_for_url(re.compile(r"kreis=06633"))
    assert _names(page) == ["Baunatal"]
    page.locator("#facet-level-all").check()
    page.locator(".catalog-apply").click()
    page.wait_for_url(re.compile(r"level=all"))
    assert _names(page) == ["Baunatal", "Landkreis Kassel"]


def test_catalog_with_kreise_reflows_at_320_px(page, live_server, register):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/kommunen/?state=06&state=09&level=all&dissolved=1")
    assert page.locator("input[name=kreis]").count() == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)

"""The public pages in Chromium: axe-core, keyboard, language switch, narrow screens, no foreign hosts.

Pages of other parts of the site can be appended to PUBLIC_PAGES (URL name, URL kwargs).
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.browser.conftest import assert_accessible
from tests.factories import (
    CategoryFactory,
    MunicipalityFactory,
    PilotProjectFactory,
    ReferenceFactory,
    SolutionFactory,
)

PUBLIC_PAGES = [
    ("home", {}),
    ("imprint", {}),
    ("privacy", {}),
    ("accessibility", {}),
    ("contact", {}),
    ("vendor:landing", {}),
    ("opendata:index", {}),
    ("api:docs", {}),
]
NOT_FOUND_PATH = "/diese-seite-gibt-es-nicht/"


def _page_id(param):
    return param[0] if isinstance(param, tuple) else str(param)


@pytest.fixture
def sample_rows(db):
    """Enough published content for the home page to show every section, sample badges included."""
    mobility = CategoryFactory(slug="mobilitaet", name_de="Mobilität", name_en="Mobility", position=1)
    energy = CategoryFactory(slug="energie-umwelt", name_de="Energie & Umwelt", name_en="Energy", position=2)
    administration = CategoryFactory(slug="verwaltung", name_de="Verwaltung", name_en="Administration")
    leipzig = MunicipalityFactory(name="Leipzig", ags="14713000", population=605_000)
    solutions = [
        SolutionFactory(
            title="Parkraumsensorik mit LoRaWAN",
            summary="Sensoren melden freie Parkplätze in Echtzeit an eine offene Datenplattform.",
            featured=True,
            is_demo=True,
            maturity="production",
            categories=[mobility],
        ),
        SolutionFactory(
            title="Offenes Ratsinformationssystem",
            summary="Sitzungen, Vorlagen und Beschlüsse nach OParl, barrierefrei und quelloffen.",
            featured=True,
            licence_type="open_source",
            spdx_id="EUPL-1.2",
            maturity="widespread",
            categories=[administration],
        ),
        SolutionFactory(
            title="Energiemonitoring für Liegenschaften",
            summary="Zählerdaten aller kommunalen Gebäude auf einen Blick, mit Warnungen bei Ausreißern.",
            featured=True,
            categories=[energy],
        ),
    ]
    for solution in solutions:
        ReferenceFactory(solution=solution, municipality=leipzig)
    PilotProjectFactory(
        title="Digitaler Zwilling der Innenstadt",
        summary="Ein 3D-Stadtmodell für Planung und Beteiligung.",
        lead_municipality=leipzig,
        funding="msc",
        model_project_round=2020,
        phase="implementation",
        is_demo=True,
        start_date=timezone.datetime(2021, 4, 1).date(),
    )
    PilotProjectFactory(
        title="Smarte Straßenbeleuchtung",
        summary="Adaptive LED-Leuchten sparen Strom und melden Störungen selbst.",
        lead_municipality=MunicipalityFactory(name="Ulm", ags="08421000", population=126_000),
        phase="continued",
    )


def _url(live_server, url_name, kwargs):
    return live_server.url + reverse(url_name, kwargs=kwargs)


@pytest.mark.parametrize("target", PUBLIC_PAGES, ids=_page_id)
def test_public_page_passes_axe(page, live_server, sample_rows, target):
    page.goto(_url(live_server, *target))

    assert page.locator("h1").count() == 1
    assert_accessible(page)


def test_not_found_page_passes_axe(page, live_server):
    response = page.goto(live_server.url + NOT_FOUND_PATH)

    assert response.status == 404
    assert page.locator("h1").count() == 1
    assert_accessible(page)


@pytest.mark.parametrize("target", [*PUBLIC_PAGES, NOT_FOUND_PATH], ids=_page_id)
def test_public_page_fits_a_320_pixel_screen(page, live_server, sample_rows, target):
    page.set_viewport_size({"width": 320, "height": 640})
    url = live_server.url + target if isinstance(target, str) else _url(live_server, *target)

    page.goto(url)

    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow == 0
    assert_accessible(page)


def test_skip_link_moves_keyboard_focus_to_main(page, live_server, sample_rows):
    page.goto(_url(live_server, "home", {}))

    page.keyboard.press("Tab")
    skip_link = page.locator(".skip-link")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert skip_link.is_visible()
    # Slid into view, not just focused off-screen; the slide is a short CSS transition, so wait for its end
    # (a busy machine may not have finished it when the key press returns).
    for _attempt in range(20):
        if skip_link.bounding_box()["y"] >= 0:
            break
        page.wait_for_timeout(50)
    assert skip_link.bounding_box()["y"] >= 0
    page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.id") == "main"
    assert page.url.endswith("#main")
    page.keyboard.press("Tab")
    # The next Tab goes into the page content, not back into the header.
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_header_controls_are_reached_by_tab_in_reading_order(page, live_server):
    page.goto(_url(live_server, "imprint", {}))

    reached = []
    for _ in range(12):
        page.keyboard.press("Tab")
        reached.append(
            page.evaluate(
                "(el => el.tagName + ':' + (el.getAttribute('href') || el.id || el.value || el.type))"
                "(document.activeElement)"
            )
        )

    assert reached == [
        "A:#main",
        "A:" + reverse("home"),
        "INPUT:header-search-q",
        "BUTTON:submit",
        "BUTTON:de",
        "BUTTON:en",
        "A:" + reverse("shortlist:detail"),  # the Merkliste with its count
        "A:" + reverse("municipalities:find") + "?next=/impressum/",  # "Meine Kommune wählen"
        "A:" + reverse("solutions:list"),
        "A:" + reverse("pilots:list"),
        "A:" + reverse("municipalities:list"),
        "A:" + reverse("vendor:landing"),
    ]


def test_language_switch_changes_language_and_keeps_the_page(page, live_server):
    page.goto(_url(live_server, "privacy", {}) + "?von=test")
    assert page.locator("html").get_attribute("lang") == "de"

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()

    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url == _url(live_server, "privacy", {}) + "?von=test"
    assert page.get_by_role("button", name="English").get_attribute("aria-current") == "true"
    assert page.locator("h1").inner_text() == "Privacy statement"
    assert_accessible(page)

    page.get_by_role("button", name="Deutsch").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "de"


def test_language_switch_works_without_javascript(page_without_js, live_server):
    page_without_js.goto(_url(live_server, "contact", {}))

    page_without_js.get_by_role("button", name="English").click()
    page_without_js.wait_for_load_state()

    assert page_without_js.locator("html").get_attribute("lang") == "en"
    assert page_without_js.url == _url(live_server, "contact", {})


def test_home_search_submits_to_the_global_search(page_without_js, live_server, sample_rows):
    page_without_js.goto(_url(live_server, "home", {}))

    page_without_js.locator("#home-search-q").fill("Parkplatz")
    page_without_js.locator("#home-search-q").press("Enter")
    page_without_js.wait_for_load_state()

    assert page_without_js.url == live_server.url + reverse("search") + "?q=Parkplatz"


def test_home_screenshots_for_review(page, live_server, sample_rows):
    """Screenshots of the home page at desktop and phone width, written to /tmp for a human look."""
    for width, height in [(1280, 900), (320, 640)]:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(_url(live_server, "home", {}))
        page.screenshot(path=f"/tmp/scm-home-{width}.png", full_page=True)

    assert page.locator(".card").count() == 5
    assert page.locator(".badge-sample").count() == 2

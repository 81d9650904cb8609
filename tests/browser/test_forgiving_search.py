"""The corrected search in Chromium: the notice names the correction, the link searches exactly as typed."""

import re

import pytest

from tests.browser.conftest import assert_accessible
from tests.factories import PilotProjectFactory, SolutionFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def rows():
    SolutionFactory(title="Digitaler Bauantrag", summary="Bauanträge online stellen.")
    SolutionFactory(title="Parkplatz-Sensorik", summary="Freie Plätze.")
    PilotProjectFactory(title="Bauantrag ohne Papier", summary="Ein Pilot.")


@pytest.mark.parametrize("path", ["/loesungen/", "/suche/"])
def test_a_corrected_search_says_so_and_searches_as_typed_by_keyboard(page, live_server, rows, path):
    page.goto(f"{path}?q=Bauatrag")
    notice = page.locator(".search-corrected")
    assert "Ergebnisse für »Bauantrag«" in notice.inner_text()
    assert "Digitaler Bauantrag" in page.locator("main").inner_text()
    assert_accessible(page)
    link = notice.locator("a")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"exact=1"))
    assert page.locator(".search-corrected").count() == 0
    assert_accessible(page)


def test_the_notice_fits_a_narrow_screen(page, live_server, rows):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/loesungen/?q=Bauatrag")
    assert page.locator(".search-corrected").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320

"""The Merkliste in Chromium: adding from the catalog without a reload, the list page, no JS, 320 px."""

import re

import pytest

from marketplace.shortlist.models import ShortlistEntry
from tests.browser.conftest import assert_accessible
from tests.factories import SolutionFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def solutions():
    return [
        SolutionFactory(title="Parkplatz-Sensorik", vendor__name="Sensorwerk GmbH"),
        SolutionFactory(title="Carsharing-Plattform"),
        SolutionFactory(title="Energiemonitoring"),
        SolutionFactory(title="Bürgerportal"),
    ]


def _count(page) -> int:
    return int(re.search(r"\((\d+)\)", page.locator("#shortlist-count").inner_text()).group(1))


def _wait_for_count(page, number: int) -> None:
    page.wait_for_function(
        "n => document.querySelector('#shortlist-count').innerText.includes('(' + n + ')')", arg=number
    )


def test_add_three_from_the_catalog_without_reload(page, live_server, solutions):
    page.goto("/loesungen/")
    assert_accessible(page)
    page.evaluate("window.__marker = 'still here'")
    for number, solution in enumerate(solutions[:3], start=1):
        button = page.locator(f"#shortlist-solution-{solution.pk}")
        button.click()
        page.wait_for_function(
            "([id, n]) => document.getElementById(id).getAttribute('hx-post').endsWith('/entfernen/')"
            " && document.querySelector('#shortlist-count').innerText.includes('(' + n + ')')",
            arg=[f"shortlist-solution-{solution.pk}", number],
        )
    assert page.evaluate("window.__marker") == "still here"
    assert page.url.endswith("/loesungen/")
    assert _count(page) == 3
    assert_accessible(page)
    # Removing from a card works the same way.
    page.locator(f"#shortlist-solution-{solutions[2].pk}").click()
    _wait_for_count(page, 2)
    page.locator(f"#shortlist-solution-{solutions[2].pk}").click()
    _wait_for_count(page, 3)

    page.locator("#shortlist-count").click()
    page.wait_for_url(re.compile(r"/merkliste/$"))
    titles = page.locator(".shortlist-entry .card__title").all_inner_texts()
    assert sorted(titles) == ["Carsharing-Plattform", "Energiemonitoring", "Parkplatz-Sensorik"]
    assert_accessible(page)

    # A note saved in place, then an entry removed in place.
    entry = ShortlistEntry.objects.get(solution=solutions[0])
    page.locator(f"#note-{entry.pk}").fill("Ansprechpartner anrufen")
    page.locator(f"#note-form-{entry.pk} button").click()
    page.wait_for_selector(f"#note-form-{entry.pk} .shortlist-note__saved")
    entry.refresh_from_db()
    assert entry.note == "Ansprechpartner anrufen"
    page.locator(f"#entry-{entry.pk} .shortlist-remove button").click()
    page.wait_for_function("() => document.querySelectorAll('.shortlist-entry').length === 2")
    assert _count(page) == 2
    assert page.evaluate("window.location.pathname") == "/merkliste/"


def test_shortlist_page_fits_320_px(browser, live_server, solutions):
    context = browser.new_context(
        base_url=live_server.url, locale="de-DE", viewport={"width": 320, "height": 640}
    )
    try:
        page = context.new_page()
        page.goto("/loesungen/")
        for solution in solutions[:2]:
            page.locator(f"#shortlist-solution-{solution.pk}").click()
            page.wait_for_selector(f"#shortlist-solution-{solution.pk}[hx-post$='/entfernen/']")
        page.goto("/merkliste/")
        assert page.locator(".shortlist-entry").count() == 2
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        assert_accessible(page)
        share_url = page.locator("#share-link").input_value()
        page.goto(share_url)
        assert page.locator(".shortlist-entry").count() == 2
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        assert_accessible(page)
    finally:
        context.close()


def test_adding_works_without_javascript(page_without_js, live_server, solutions):
    page = page_without_js
    page.goto("/loesungen/?q=")
    for number, solution in enumerate(solutions[:3], start=1):
        page.locator(f"#shortlist-solution-{solution.pk}").click()
        page.wait_for_url(re.compile(r"/loesungen/\?q=$"))
        _wait_for_count(page, number)
    page.goto(solutions[3].get_absolute_url())
    page.locator(f"#shortlist-solution-{solutions[3].pk}").click()
    page.wait_for_url(re.compile(re.escape(solutions[3].get_absolute_url()) + "$"))
    assert "entfernen" in page.locator(f"#shortlist-solution-{solutions[3].pk}").get_attribute("formaction")
    page.locator("#shortlist-count").click()
    page.wait_for_url(re.compile(r"/merkliste/$"))
    assert page.locator(".shortlist-entry").count() == 4
    entry = ShortlistEntry.objects.get(solution=solutions[1])
    page.locator(f"#note-{entry.pk}").fill("Mit Vergabestelle klären")
    page.locator(f"#note-form-{entry.pk} button").click()
    page.wait_for_url(re.compile(rf"/merkliste/#entry-{entry.pk}$"))
    assert page.locator(f"#note-{entry.pk}").input_value() == "Mit Vergabestelle klären"
    page.locator(f"#entry-{entry.pk} .shortlist-remove button").click()
    page.wait_for_url(re.compile(r"/merkliste/$"))
    assert page.locator(".shortlist-entry").count() == 3

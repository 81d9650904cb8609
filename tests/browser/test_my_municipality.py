""" "Kommunen wie meine" in Chromium: pick "my municipality" on the home page with the keyboard only, then see
what municipalities like it use and why, on the home page, the catalog (recommended order) and a detail
page; with JavaScript (the combobox) and without (the plain form and the results page). Every page axe-clean.
"""

import re

import pytest
from django.core.cache import cache
from django.utils.text import slugify

from tests.browser.conftest import assert_accessible
from tests.factories import ReferenceFactory, SolutionFactory
from tests.municipalities.peers_fixture import build_region

pytestmark = pytest.mark.django_db(transaction=True)

USES = {
    "Parkleitsystem": ["Nachbarstadt", "Dorfheim", "Grenzstadt"],
    "Straßenlicht": ["Großstadt", "Fernstadt"],
    "Bürgerportal": ["Musterstadt", "Nordstadt"],
}


@pytest.fixture
def region():
    cache.clear()  # rate-limit counters and kept pages of earlier tests
    places = build_region()
    solutions = {}
    for title, users in USES.items():
        solutions[title] = SolutionFactory(title=title, slug=slugify(title))
        for name in users:
            ReferenceFactory(solution=solutions[title], municipality=places[name])
    return {"places": places, "solutions": solutions}


NARROW = {"width": 320, "height": 640}
WIDE = {"width": 1280, "height": 800}


def assert_no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width} px wide"


def tab_to(page, selector, limit=120):
    """Press Tab until the element matching ``selector`` has the focus, as a keyboard user would."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never got the focus")


def assert_accessible_as_shown(page, checker):
    """axe-core on what ``page`` (without JavaScript) shows, run in ``checker`` (a page with JavaScript, on
    the same site so the styles load): in a context without JavaScript axe's promise never settled here
    ("Resulting promise was garbage collected"). The scripts are dropped, so the DOM stays the one a visitor
    without JavaScript gets."""
    html = re.sub(r"<script\b.*?</script>", "", page.content(), flags=re.S)
    checker.goto(page.url)
    checker.set_content(html)
    assert checker.locator("script").count() == 0
    assert_accessible(checker)


def assert_recommendations_for_musterstadt(page, check=assert_accessible):
    heading = page.locator("#for-mine-title")
    assert "Musterstadt" in heading.inner_text()
    section = page.locator(".for-my-municipality")
    titles = section.locator(".card__title").all_inner_texts()
    # Bürgerportal is in use in Musterstadt itself: not recommended to it.
    assert titles == ["Parkleitsystem", "Straßenlicht"]
    reasons = section.locator(".card__note").all_inner_texts()
    assert len(reasons) == 2
    # The most similar municipality using each one is named in its reason (in either language).
    assert "Nachbarstadt" in reasons[0]
    assert "Hessen" in reasons[0]
    assert "Fernstadt" in reasons[1]
    check(page)


def test_choose_with_the_keyboard_and_see_the_recommendations(page, live_server, region):
    page.goto("/")
    assert page.locator(".for-my-municipality .card").count() == 0
    assert_accessible(page)
    tab_to(page, "#home-find-q")
    page.keyboard.type("Musterstadt", delay=40)
    listbox = page.locator("#home-find-listbox")
    listbox.wait_for(state="visible")
    first = listbox.locator('[role="option"]').nth(0)
    assert first.locator(".combobox__name").inner_text() == "Musterstadt"
    page.keyboard.press("ArrowDown")
    assert page.locator("#home-find-q").get_attribute("aria-activedescendant") == first.get_attribute("id")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/$"))
    assert page.locator(".my-municipality__name").inner_text() == "Musterstadt"
    assert_recommendations_for_musterstadt(page)
    page.set_viewport_size(NARROW)
    assert_no_sideways_scroll(page)
    page.set_viewport_size(WIDE)

    # The catalog in the recommended order, each card with its peers, reached by keyboard from the home page.
    tab_to(page, ".for-my-municipality a.section__more")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/loesungen/\?sort=recommended$"))
    assert page.locator("#catalog-results .card__title").all_inner_texts()[:2] == [
        "Parkleitsystem",
        "Straßenlicht",
    ]
    assert page.locator("#catalog-results .card__peers").count() == 3
    assert page.locator("#id_sort").input_value() == "recommended"
    assert_accessible(page)

    page.goto(region["solutions"]["Parkleitsystem"].get_absolute_url())
    panel = page.locator(".peer-panel")
    assert "Musterstadt" in panel.locator("h2").inner_text()
    assert re.search(r"2 .*, 2 .*, 2 ", panel.locator("p").first.inner_text())
    assert_accessible(page)
    page.set_viewport_size(NARROW)
    assert_no_sideways_scroll(page)


def test_choose_without_javascript_and_see_the_recommendations(page_without_js, page, live_server, region):
    checker = page
    page = page_without_js
    page.goto("/")
    assert page.locator("#home-find-q").get_attribute("role") is None  # a plain search field
    assert_accessible_as_shown(page, checker)
    tab_to(page, "#home-find-q")
    page.keyboard.type("Musterstadt")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/kommunen/finden/\?q=Musterstadt"))
    assert_accessible_as_shown(page, checker)
    musterstadt = region["places"]["Musterstadt"]
    tab_to(page, f'.find-result__choose:has(input[value="{musterstadt.slug}"]) button')
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/$"))
    assert_recommendations_for_musterstadt(
        page, check=lambda shown: assert_accessible_as_shown(shown, checker)
    )

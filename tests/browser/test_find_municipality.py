"""Finding and picking "my municipality" in Chromium, with the keyboard only: the combobox with JavaScript,
the plain form and its result buttons without, and both at 320 CSS px without sideways scrolling."""

import re

import pytest
from django.core.cache import cache

from tests.browser.conftest import assert_accessible
from tests.municipalities.register_rows import neustadts

pytestmark = pytest.mark.django_db(transaction=True)

NARROW = {"width": 320, "height": 640}


@pytest.fixture
def places():
    cache.clear()  # rate-limit counters of earlier tests
    return neustadts()


def tab_to(page, selector, limit=80):
    """Press Tab until the element matching ``selector`` has the focus, as a keyboard user would."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never got the focus")


def assert_no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width} px wide"


def test_pick_my_municipality_with_the_keyboard_in_the_combobox(page, live_server, places):
    page.goto("/kommunen/finden/")
    assert_accessible(page)
    field = page.locator("#find-q")
    assert field.get_attribute("role") == "combobox"
    assert field.get_attribute("aria-expanded") == "false"
    assert field.get_attribute("aria-controls") == "find-listbox"
    tab_to(page, "#find-q")
    page.keyboard.type("Neustadt", delay=40)
    listbox = page.locator("#find-listbox")
    listbox.wait_for(state="visible")
    options = listbox.locator('[role="option"]')
    assert field.get_attribute("aria-expanded") == "true"
    # Two places called exactly "Neustadt" come first, told apart by their Kreis.
    assert options.nth(0).locator(".combobox__name").inner_text() == "Neustadt"
    assert "Ilm-Kreis" in options.nth(0).inner_text()
    assert "Greiz" in options.nth(1).inner_text()
    assert page.locator("#find-status").inner_text() != ""
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    second = options.nth(1)
    assert field.get_attribute("aria-activedescendant") == second.get_attribute("id")
    assert second.get_attribute("aria-selected") == "true"
    assert options.nth(0).get_attribute("aria-selected") == "false"
    assert_accessible(page)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(places.neustadt_greiz.get_absolute_url()) + "$"))
    chosen = page.locator(".my-municipality__name")
    assert chosen.inner_text() == "Neustadt"
    assert chosen.get_attribute("href") == places.neustadt_greiz.get_absolute_url()
    assert page.locator(".choose-bar .badge-verified").count() == 1
    assert_accessible(page)


def test_escape_closes_the_suggestions_then_clears_the_field(page, live_server, places):
    page.goto("/kommunen/finden/")
    tab_to(page, "#find-q")
    page.keyboard.type("Neustadt (Do", delay=40)
    page.locator("#find-listbox").wait_for(state="visible")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Escape")
    assert page.locator("#find-listbox").is_hidden()
    assert page.locator("#find-q").get_attribute("aria-expanded") == "false"
    assert page.locator("#find-q").get_attribute("aria-activedescendant") is None
    page.keyboard.press("Escape")
    assert page.locator("#find-q").input_value() == ""
    # Enter without a suggestion picked submits the form: the results page.
    page.keyboard.type("Neustadt (Do", delay=40)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/kommunen/finden/\?q=Neustadt"))
    assert page.locator(".find-result").count() == 2


def test_narrow_screen_with_suggestions_results_and_the_choice(page, live_server, places):
    page.set_viewport_size(NARROW)
    page.goto("/kommunen/finden/?q=Neustadt")
    assert page.locator(".find-result").count() == 11
    assert_no_sideways_scroll(page)
    assert_accessible(page)
    page.locator("#find-q").fill("")
    page.locator("#find-q").focus()
    page.keyboard.type("Neustadt", delay=40)
    page.locator("#find-listbox").wait_for(state="visible")
    assert_no_sideways_scroll(page)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(places.neustadt_ilm.get_absolute_url()) + "$"))
    assert page.locator(".my-municipality__name").is_visible()
    assert_no_sideways_scroll(page)
    assert_accessible(page)
    # The header's "forget" is a form: it works by keyboard too and leaves the page as it was.
    tab_to(page, ".my-municipality__button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(places.neustadt_ilm.get_absolute_url())
    assert page.locator(".my-municipality__name").count() == 0
    assert page.locator(".my-municipality__choose").is_visible()


def test_pick_my_municipality_without_javascript(page_without_js, live_server, places):
    page = page_without_js
    page.goto("/kommunen/finden/")
    assert page.locator("#find-q").get_attribute("role") is None  # a plain search field
    tab_to(page, "#find-q")
    page.keyboard.type("Neustadt")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/kommunen/finden/\?q=Neustadt"))
    # (axe-core needs JavaScript: the same results page is checked in the narrow-screen test above.)
    assert page.locator(".find-result").count() == 11
    dosse_button = f'.find-result__choose:has(input[value="{places.dosse.slug}"]) button'
    tab_to(page, dosse_button)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(places.dosse.get_absolute_url()) + "$"))
    assert page.locator(".my-municipality__name").inner_text() == "Neustadt (Dosse)"
    page.set_viewport_size(NARROW)
    assert_no_sideways_scroll(page)


def test_coming_back_to_where_the_change_started(page_without_js, live_server, places):
    page = page_without_js
    page.goto("/kommunen/?state=01")
    tab_to(page, ".my-municipality__choose")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/kommunen/finden/\?next="))
    tab_to(page, "#find-q")
    page.keyboard.type("23730")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=23730"))
    tab_to(page, ".find-result__choose button")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/kommunen/\?state=01$"))
    assert page.locator(".my-municipality__name").inner_text() == "Neustadt in Holstein"

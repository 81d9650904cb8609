"""The comparison page in a browser: axe-clean, "only differences" with and without JavaScript, one block per
solution at 320 px without sideways scrolling, and a print layout without navigation."""

import pytest
from django.urls import reverse

from solutions.models import Solution
from tests.browser.conftest import assert_accessible
from tests.factories import CategoryFactory, ReferenceFactory, SolutionFactory

pytestmark = pytest.mark.django_db(transaction=True)

LONG_WORD = "Datenschutzgrundverordnungskonformitätsprüfungsplattform"


@pytest.fixture
def compare_path():
    mobility = CategoryFactory(name_de="Mobilität und Verkehr")
    first = SolutionFactory(
        title=f"Parkleitsystem {LONG_WORD}",
        slug="park",
        categories=[mobility],
        licence_type=Solution.LicenceType.OPEN_SOURCE,
        spdx_id="EUPL-1.2",
        source_url="https://code.example/park",
        cost_yearly_eur=3000,
        procurement_notes=f"Über den Rahmenvertrag der {LONG_WORD}",
    )
    second = SolutionFactory(title="Straßenlicht", slug="licht", categories=[mobility], dpa_available=True)
    third = SolutionFactory(title="Bürgerportal", slug="portal", categories=[mobility])
    ReferenceFactory(solution=first)
    return reverse("solutions:compare") + f"?s={first.slug}&s={second.slug}&s={third.slug}"


def criteria(page) -> list[str]:
    return page.locator(".compare-table tbody th[scope=row]").all_inner_texts()


def test_compare_only_differences_with_javascript(page, compare_path):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(compare_path)
    assert (
        page.locator(".compare-table thead th[scope=col]").all_inner_texts()[1].startswith("Parkleitsystem")
    )
    assert_accessible(page)
    everything = criteria(page)
    assert any(label.startswith("Handlungsfelder") for label in everything)
    # The differing rows carry the visible marker and the text for screen readers.
    marked = page.locator(".compare-row--differs th[scope=row]")
    assert marked.count() > 0
    assert "≠" in marked.first.inner_text()
    assert marked.first.locator(".visually-hidden").text_content().strip() != ""

    page.evaluate("window.notReloaded = true")
    page.locator("#compare-diff").check()
    page.wait_for_url("**diff=1**")
    page.locator(".compare-table tbody th[scope=row]", has_text="Handlungsfelder").wait_for(state="detached")
    assert page.evaluate("window.notReloaded === true")  # htmx swapped the table in, no page load
    fewer = criteria(page)
    assert len(fewer) < len(everything)
    assert not any(label.startswith("Handlungsfelder") for label in fewer)
    assert_accessible(page)


def test_compare_only_differences_without_javascript(page_without_js, compare_path):
    page = page_without_js
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(compare_path)
    everything = criteria(page)
    page.locator("#compare-diff").check()
    page.locator(".compare-toggle button[type=submit]").click()
    page.wait_for_url("**diff=1**")
    assert page.locator("#compare-diff").is_checked()
    fewer = criteria(page)
    assert 0 < len(fewer) < len(everything)
    # axe-core needs JavaScript: the page with diff=1 is checked in the test above.


def test_compare_stacks_on_a_phone_without_sideways_scrolling(page, compare_path):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(compare_path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert page.locator(".compare-table").is_hidden()
    cards = page.locator(".compare-card")
    assert cards.count() == 3
    assert cards.nth(1).locator("h2").inner_text() == "Straßenlicht"
    assert "Auftragsverarbeitungsvertrag" in cards.nth(1).inner_text()
    assert_accessible(page)


def test_compare_prints_the_table_without_navigation(page, compare_path):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(compare_path)
    page.emulate_media(media="print")
    assert page.locator(".compare-table").is_visible()
    assert page.locator(".compare-stack").is_hidden()
    assert page.locator(".compare-toggle").is_hidden()
    assert page.locator(".main-nav").is_hidden()


def test_compare_bad_input_is_accessible(page):
    page.goto(reverse("solutions:compare") + "?s=gibt-es-nicht")
    assert "gibt-es-nicht" in page.locator(".compare-unknown").inner_text()
    assert_accessible(page)

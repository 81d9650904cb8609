""" "Beziehbar für meine Kommune" in Chromium: pick a municipality, filter the catalog to what it can have
without its own tender, open a solution and send a call-off request from its agreement; with JavaScript and
without, every page axe-clean, and readable at 320 px without sideways scrolling."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import expect

from solutions.agreements.models import CallOffRequest, FrameworkAgreement
from tests.agreements.factories import AgreementFactory
from tests.browser.conftest import assert_accessible
from tests.browser.test_my_municipality import assert_accessible_as_shown, assert_no_sideways_scroll
from tests.factories import MunicipalityFactory, SolutionFactory, UserFactory, VendorMembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)

NARROW = {"width": 320, "height": 640}
WIDE = {"width": 1280, "height": 800}


@pytest.fixture
def market(settings):
    cache.clear()  # rate limits and kept pages of earlier tests
    settings.ENQUIRY_MIN_FILL_SECONDS = 0
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    augsburg = MunicipalityFactory(name="Augsburg", slug="augsburg", ags="09761000")
    park = SolutionFactory(title="Parkleitsystem", slug="parkleitsystem")
    SolutionFactory(title="Straßenlicht", slug="strassenlicht")
    VendorMembershipFactory(vendor=park.vendor, user=UserFactory(email="vertrieb@park.example"))
    agreement = AgreementFactory(
        title="Rahmenvertrag Parken Bayern",
        slug="rv-parken",
        eligibility=FrameworkAgreement.Eligibility.STATES,
        eligible_states=["09"],
        solutions=[park],
    )
    return {"augsburg": augsburg, "park": park, "agreement": agreement}


def choose_augsburg(page):
    page.goto("/kommunen/finden/?q=Augsburg")
    page.locator('.find-result__choose:has(input[value="augsburg"]) button').click()
    page.wait_for_load_state()


def fill_call_off(page):
    # By name: the labels are German (or, for new text, not yet translated).
    page.locator('[name="contact_name"]').fill("Erika Mustermann")
    page.locator('[name="email"]').fill("erika@augsburg.example")
    page.locator('[name="scope"]').fill("3 Parkhäuser")
    page.locator('[name="message"]').fill("Bitte um ein Angebot.")


def assert_call_off_sent():
    stored = CallOffRequest.objects.get()
    assert (stored.municipality_name, stored.scope) == ("Augsburg", "3 Parkhäuser")
    assert [m.to for m in mail.outbox] == [["vertrieb@park.example"]]


def test_filter_open_and_request_a_call_off_with_javascript(page, live_server, market):
    page.set_viewport_size(WIDE)
    choose_augsburg(page)
    page.goto("/loesungen/")
    expect(page.locator("#facet-available-0-count")).to_have_text("(1)")
    page.locator("#facet-available-0").check()
    page.wait_for_url(re.compile(r"available=1"))
    expect(page.locator("#result-count")).to_have_text(re.compile(r"^\s*1 "))
    assert page.locator("#catalog-results .card__title").all_inner_texts() == ["Parkleitsystem"]
    assert_accessible(page)

    page.locator("#catalog-results .card__title a").first.click()
    page.wait_for_url(re.compile(r"/loesungen/parkleitsystem/"))
    panel = page.locator(".agreements-panel")
    expect(panel).to_contain_text("Augsburg kann diese Lösung ohne eigene Ausschreibung beziehen")
    assert_accessible(page)

    panel.get_by_role("link", name=re.compile("Abruf anfragen")).click()
    expect(page.locator('[name="municipality_name"]')).to_have_value("Augsburg")
    assert_accessible(page)
    fill_call_off(page)
    page.get_by_role("button", name="Abrufanfrage senden").click()
    page.wait_for_url(re.compile(r"/rahmenvertraege/abruf-gesendet/"))
    assert_accessible(page)
    assert_call_off_sent()


def test_the_same_without_javascript(page_without_js, page, live_server, market):
    checker, page = page, page_without_js
    choose_augsburg(page)
    page.goto("/loesungen/")
    page.locator("#facet-available-0").check()
    page.locator(".catalog-apply").click()
    page.wait_for_url(re.compile(r"available=1"))
    assert page.locator("#catalog-results .card__title").all_inner_texts() == ["Parkleitsystem"]
    assert_accessible_as_shown(page, checker)

    page.goto(market["park"].get_absolute_url())
    assert_accessible_as_shown(page, checker)
    page.locator(".agreements-panel").get_by_role("link", name=re.compile("Abruf anfragen")).click()
    page.wait_for_url(re.compile(r"/abruf/parkleitsystem/"))
    assert_accessible_as_shown(page, checker)
    fill_call_off(page)
    page.get_by_role("button", name="Abrufanfrage senden").click()
    page.wait_for_url(re.compile(r"/rahmenvertraege/abruf-gesendet/"))
    assert_call_off_sent()


def test_agreement_pages_reflow_at_320_px(page, live_server, market):
    page.set_viewport_size(NARROW)
    choose_augsburg(page)
    for url in [
        "/rahmenvertraege/",
        market["agreement"].get_absolute_url(),
        market["park"].get_absolute_url(),
        "/rahmenvertraege/rv-parken/abruf/parkleitsystem/",
        "/loesungen/?available=1",
    ]:
        page.goto(url)
        assert_no_sideways_scroll(page)
        assert_accessible(page)

"""The Kompetenzzentrum's public forms in Chromium: axe-core empty, with an error and after sending."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from marketplace.kompetenzzentrum.models import Enquiry
from tests.browser.conftest import assert_accessible
from tests.factories import MunicipalityFactory


@pytest.fixture
def inbox_settings(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.EDITOR_EMAILS = ["redaktion@example.org"]
    # A browser fills the form faster than a person; the minimum fill time has its own tests.
    settings.ENQUIRY_MIN_FILL_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


def test_enquiry_form_with_an_error_a_choice_and_success(page, live_server, inbox_settings, transactional_db):
    MunicipalityFactory(name="Neustadt an der Weinstraße", ags="07316000")
    chosen = MunicipalityFactory(name="Neustadt bei Coburg", ags="09473147")
    page.goto(reverse("enquiry"))
    assert_accessible(page)

    page.locator("#id_municipality_name").fill("Neustadt")
    page.locator("#id_name").fill("Erika Mustermann")
    page.locator("#id_role").fill("Digitalisierungsbeauftragte")
    page.locator("#id_email").fill("erika@example")
    page.locator("#id_topic").select_option("procurement")
    page.locator("#id_message").fill("Wie beschaffen wir ein Parkleitsystem?")
    page.locator(".portal-form button[type=submit]").click()

    page.locator("#error-summary").wait_for()
    assert page.locator("#id_message").input_value() == "Wie beschaffen wir ein Parkleitsystem?"
    assert page.locator("#id_municipality").is_visible()
    assert_accessible(page)

    page.locator("#id_municipality").select_option(str(chosen.pk))
    page.locator("#id_email").fill("erika@example.org")
    page.locator(".portal-form button[type=submit]").click()

    page.wait_for_url(f"**{reverse('enquiry_thanks')}")
    assert_accessible(page)
    enquiry = Enquiry.objects.get()
    assert (enquiry.municipality, enquiry.email) == (chosen, "erika@example.org")


def test_barrier_report_from_the_accessibility_page_without_javascript(
    page_without_js, live_server, inbox_settings, transactional_db
):
    page = page_without_js
    page.goto(reverse("accessibility"))
    page.locator(f"a[href='{reverse('barrier_report')}']").click()
    page.wait_for_url(f"**{reverse('barrier_report')}")

    page.locator(".portal-form button[type=submit]").click()
    page.locator("#error-summary").wait_for()
    assert page.locator("#error-summary a").count() == 2

    page.locator("#id_page_url").fill("https://marktplatz.example/loesungen/")
    page.locator("#id_message").fill("Der Filter ist mit der Tastatur nicht erreichbar.")
    page.locator(".portal-form button[type=submit]").click()

    page.wait_for_url(f"**{reverse('barrier_report_thanks')}")
    assert Enquiry.objects.get().kind == "barrier"


def test_barrier_report_with_an_error_and_its_thanks_page_pass_axe(
    page, live_server, inbox_settings, transactional_db
):
    page.goto(reverse("barrier_report"))
    page.locator("#id_message").fill("Der Kontrast ist zu schwach.")
    page.locator(".portal-form button[type=submit]").click()
    page.locator("#error-summary").wait_for()
    assert page.locator("#id_message").input_value() == "Der Kontrast ist zu schwach."
    assert_accessible(page)

    page.locator("#id_page_url").fill("https://marktplatz.example/")
    page.locator(".portal-form button[type=submit]").click()
    page.wait_for_url(f"**{reverse('barrier_report_thanks')}")
    assert_accessible(page)


def test_empty_barrier_report_form_passes_axe(page, live_server, inbox_settings, transactional_db, settings):
    # The page is named by the canonical site address, never by the Host header the request carried.
    settings.SITE_URL = "https://marktplatz.example"
    page.goto(reverse("barrier_report") + "?page=/kontakt/")
    assert page.locator("#id_page_url").input_value() == "https://marktplatz.example/kontakt/"
    assert_accessible(page)

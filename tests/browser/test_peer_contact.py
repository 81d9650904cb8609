"""Peer contact in Chromium: from a solution's references to the form, sent with and without JavaScript;
axe-core finds nothing on the form (empty and with an error), the confirmation and the consent page; no
sideways scrolling at 320 px."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from pilots.contact.services import consent_url
from pilots.models import Reference, ReferenceContactMessage
from tests.browser.conftest import assert_accessible
from tests.factories import MunicipalityFactory, ReferenceFactory, SolutionFactory


@pytest.fixture
def peer_settings(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.EDITOR_EMAILS = ["redaktion@marktplatz.example"]
    # A browser fills the form faster than a person; the minimum fill time has its own tests.
    settings.PEER_CONTACT_MIN_FILL_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def reference(transactional_db):
    return ReferenceFactory(
        solution=SolutionFactory(title="Parkraum-Sensorik"),
        municipality=MunicipalityFactory(name="Musterhausen", contact_email="rathaus@musterhausen.example"),
    )


def fill(page):
    page.locator("#id_name").fill("Erika Mustermann")
    page.locator("#id_organisation").fill("Stadt Neustadt")
    page.locator("#id_email").fill("erika@neustadt.example")
    page.locator("#id_question").fill("Wie bewähren sich die Sensoren im Winter?")


def assert_no_sideways_scrolling(page):
    page.set_viewport_size({"width": 320, "height": 640})
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at 320 px"
    page.set_viewport_size({"width": 1280, "height": 800})


def open_form_from_detail(page, reference):
    page.goto(reference.solution.get_absolute_url())
    # German once the catalogue has the new texts; the accessible name always names the municipality.
    name = re.compile(r"^(Kontakt zur Referenzkommune|Contact the reference municipality) ?: Musterhausen$")
    links = page.get_by_role("link", name=name)
    assert links.count() == 1
    links.click()
    page.wait_for_url(f"**{reverse('pilots:reference_contact', kwargs={'pk': reference.pk})}")


def test_send_a_question_with_javascript(page, live_server, peer_settings, reference):
    open_form_from_detail(page, reference)
    assert_accessible(page)
    assert_no_sideways_scrolling(page)

    page.locator("#id_question").fill("Eine Frage")
    page.locator(".portal-form button[type=submit]").click()
    page.locator("#error-summary").wait_for()
    assert page.locator("#id_question").input_value() == "Eine Frage"
    assert_accessible(page)

    fill(page)
    page.locator(".portal-form button[type=submit]").click()
    page.wait_for_url("**/referenzen/kontakt/gesendet/**")
    assert "Musterhausen" in page.locator("main p").first.inner_text()
    assert "rathaus@musterhausen.example" not in page.content()
    assert_accessible(page)
    assert_no_sideways_scrolling(page)
    assert ReferenceContactMessage.objects.get().route == "municipality"
    assert [(m.to, m.reply_to) for m in mail.outbox] == [
        (["rathaus@musterhausen.example"], ["erika@neustadt.example"])
    ]


def test_send_a_question_without_javascript(page_without_js, live_server, peer_settings, reference):
    page = page_without_js
    open_form_from_detail(page, reference)
    fill(page)
    page.locator(".portal-form button[type=submit]").click()
    page.wait_for_url("**/referenzen/kontakt/gesendet/**")
    assert ReferenceContactMessage.objects.get().question == "Wie bewähren sich die Sensoren im Winter?"
    assert len(mail.outbox) == 1


def test_consent_page_answers_yes(page, live_server, peer_settings, reference):
    reference.contact_email = "max@musterhausen.example"
    reference.save()
    page.goto(urlsplit(consent_url(reference)).path)
    assert_accessible(page)
    assert_no_sideways_scrolling(page)
    page.locator("button[name=answer][value=yes]").click()
    page.wait_for_load_state()
    reference.refresh_from_db()
    assert reference.contact_consent == Reference.ContactConsent.YES
    assert_accessible(page)

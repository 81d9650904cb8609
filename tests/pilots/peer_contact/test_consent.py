"""Consent of a reference's contact person: asked when an editor verifies, answered and withdrawn through
signed links; forged or outdated links lead nowhere."""

import pytest
from django.core import mail
from django.urls import reverse

from marketplace.editorial import services as editorial
from marketplace.editorial.history import timeline
from pilots.contact.services import consent_url
from pilots.models import Reference
from tests.factories import ReferenceFactory, SolutionFactory

from .conftest import footer, links_in, path_of

pytestmark = pytest.mark.django_db
Consent = Reference.ContactConsent


def test_verifying_asks_the_contact_for_consent(editor):
    reference = ReferenceFactory(
        solution=SolutionFactory(title="Parkraum-Sensorik"),
        is_verified=False,
        contact_name="Max Beispiel",
        contact_email="max@musterhausen.example",
    )
    editorial.verify_reference(reference, by=editor)

    reference.refresh_from_db()
    assert reference.contact_consent == Consent.ASKED
    assert reference.contact_consent_asked_at is not None
    asked = [m for m in mail.outbox if m.to == ["max@musterhausen.example"]]
    assert len(asked) == 1
    assert asked[0].subject == f"May other municipalities contact you about {reference.municipality.name}?"
    assert [path_of(url) for url in links_in(asked[0].body)][0] == path_of(consent_url(reference))
    why, stop = footer(asked[0].body)
    assert "contact person" in why
    assert "answer “no”" in stop
    # Asking is part of verifying: still one decision in the history, no extra row for the consent.
    assert [entry.label for entry in timeline(reference)].count("Verified") == 1


def test_verifying_without_contact_address_sends_no_consent_mail(editor):
    reference = ReferenceFactory(is_verified=False, contact_name="Max Beispiel", contact_email="")
    editorial.verify_reference(reference, by=editor)
    reference.refresh_from_db()
    assert reference.contact_consent == Consent.UNASKED
    assert [m.subject for m in mail.outbox if "contact you" in m.subject] == []


def test_consent_yes_then_withdraw_through_the_same_link(client, reference):
    url = path_of(consent_url(reference))
    page = client.get(url)
    assert page.status_code == 200
    assert "No answer yet" in page.content.decode()
    reference.refresh_from_db()
    assert reference.contact_consent == Consent.UNASKED  # a GET changes nothing

    response = client.post(url, {"answer": "yes"})
    assert response["Location"] == url
    reference.refresh_from_db()
    assert (reference.contact_consent, reference.contact_consent_email) == (
        Consent.YES,
        "max.beispiel@musterhausen.example",
    )
    assert reference.contact_consent_at is not None
    assert reference.contact_consented
    assert "Yes, questions are forwarded to me." in client.get(url).content.decode()

    client.post(url, {"answer": "no"})
    reference.refresh_from_db()
    assert reference.contact_consent == Consent.NO
    assert not reference.contact_consented


def test_consent_page_refuses_an_unknown_answer(client, reference):
    response = client.post(path_of(consent_url(reference)), {"answer": "maybe"})
    assert response.status_code == 200
    reference.refresh_from_db()
    assert reference.contact_consent == Consent.UNASKED


@pytest.mark.parametrize(
    "token",
    ["garbage", "eyJyIjoxLCJlIjoiYUBiLmRlIn0:1abc:forged", "a" * 300],
)
def test_forged_consent_links_lead_nowhere(client, reference, token):
    url = reverse("pilots:reference_consent", kwargs={"token": token})
    assert client.get(url).status_code == 404
    assert client.post(url, {"answer": "yes"}).status_code == 404
    reference.refresh_from_db()
    assert reference.contact_consent == Consent.UNASKED


def test_consent_link_stops_working_when_the_contact_changes(client, reference):
    url = path_of(consent_url(reference))
    reference.contact_email = "neue.person@musterhausen.example"
    reference.save()
    assert client.post(url, {"answer": "yes"}).status_code == 404
    reference.refresh_from_db()
    assert reference.contact_consent == Consent.UNASKED


def test_a_consent_does_not_pass_to_a_new_contact(client, reference):
    client.post(path_of(consent_url(reference)), {"answer": "yes"})
    reference.refresh_from_db()
    reference.contact_email = "neue.person@musterhausen.example"
    reference.save()
    assert not reference.contact_consented


def test_consent_link_of_one_reference_does_not_open_another(client, reference):
    other = ReferenceFactory(contact_email=reference.contact_email)
    client.post(path_of(consent_url(reference)), {"answer": "yes"})
    other.refresh_from_db()
    assert other.contact_consent == Consent.UNASKED


def test_consent_page_shows_no_address(client, reference):
    html = client.get(path_of(consent_url(reference))).content.decode()
    assert reference.contact_email not in html
    assert reference.municipality.name in html

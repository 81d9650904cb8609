"""Mail from the public forms cannot be aimed at a stranger: no echo of the sender's text, few per address."""

import pytest
from django.core import mail
from django.urls import reverse

from marketplace.kompetenzzentrum.models import Enquiry
from tests.factories import MunicipalityFactory
from tests.marketplace.kompetenzzentrum.test_enquiries import barrier_data, enquiry_data

pytestmark = pytest.mark.django_db


def test_enquiry_confirmation_repeats_nothing_the_sender_typed(client):
    # Anyone can type any address into the form: what they wrote must not reach that address.
    MunicipalityFactory(name="Ulm")
    typed = {"name": "Kaufen Sie jetzt", "role": "Werbung", "message": "Billige Uhren: https://spam.example/"}

    client.post(reverse("enquiry"), enquiry_data(client, email="opfer@example.org", **typed))

    confirmation, notice = mail.outbox
    assert confirmation.to == ["opfer@example.org"]
    for text in typed.values():
        assert text not in confirmation.subject + confirmation.body
    assert "https://spam.example/" not in confirmation.body
    assert confirmation.body.startswith("Hello,\n\nthank you for your enquiry.")
    assert notice.to == ["redaktion@example.org"]


def test_barrier_confirmation_repeats_nothing_the_sender_typed(client):
    typed = {"name": "Kaufen Sie jetzt", "message": "Billige Uhren bei spam.example"}
    page_url = "https://spam.example/angebot"

    client.post(
        reverse("barrier_report"), barrier_data(client, email="opfer@example.org", page_url=page_url, **typed)
    )

    confirmation = mail.outbox[0]
    assert confirmation.to == ["opfer@example.org"]
    for text in [*typed.values(), page_url]:
        assert text not in confirmation.subject + confirmation.body
    assert "thank you for reporting a barrier" in confirmation.body


def test_enquiries_mail_one_address_only_so_often_from_any_connection(client, settings):
    MunicipalityFactory(name="Ulm")
    settings.MAIL_RECIPIENT_RATE = (2, 3600)

    statuses = [
        client.post(
            reverse("enquiry"), enquiry_data(client, email="opfer@example.org"), REMOTE_ADDR=f"198.51.100.{n}"
        ).status_code
        for n in range(1, 4)
    ]

    assert statuses == [302, 302, 429]
    assert Enquiry.objects.count() == 2
    assert [message.to for message in mail.outbox].count(["opfer@example.org"]) == 2


def test_barrier_reports_mail_one_address_only_so_often_but_anonymous_reports_pass(client, settings):
    settings.MAIL_RECIPIENT_RATE = (1, 3600)

    with_contact = [
        client.post(
            reverse("barrier_report"),
            barrier_data(client, email="opfer@example.org"),
            REMOTE_ADDR=f"198.51.100.{n}",
        ).status_code
        for n in (1, 2)
    ]
    anonymous = client.post(reverse("barrier_report"), barrier_data(client), REMOTE_ADDR="198.51.100.3")

    assert with_contact == [302, 429]
    assert anonymous.status_code == 302
    assert Enquiry.objects.count() == 2

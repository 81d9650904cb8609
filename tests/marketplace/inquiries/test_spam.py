"""Honeypot, too fast, tampered time stamp and rate limit: each refuses with a clear message, keeps what was
typed, and stores and sends nothing."""

import pytest
from django.core import mail
from django.urls import reverse

from marketplace.inquiries.models import Inquiry
from tests.marketplace.inquiries.conftest import add_to_shortlist, form_data

pytestmark = pytest.mark.django_db

TYPED = "Wir suchen eine Parkraumerfassung für die Innenstadt."


def _assert_refused_and_kept(response, message: str, status: int = 200) -> None:
    assert response.status_code == status
    page = response.content.decode()
    assert message in page
    assert TYPED in page
    assert 'value="Erika Mustermann"' in page
    assert Inquiry.objects.count() == 0
    assert mail.outbox == []


@pytest.fixture
def listed(client, vendors):
    add_to_shortlist(client, vendors["a"].solution)
    return [vendors["a"].solution]


def test_filled_honeypot_is_refused_with_a_message(client, listed):
    response = client.post(reverse("inquiries:create"), form_data(listed, homepage="https://spam.example"))

    _assert_refused_and_kept(
        response, "This form looks filled in by a program. Please check your entries and send it again."
    )


def test_a_form_sent_too_fast_is_refused_with_a_message(client, listed, settings):
    settings.INQUIRY_MIN_FILL_SECONDS = 60

    response = client.post(reverse("inquiries:create"), form_data(listed))

    _assert_refused_and_kept(
        response, "The form was sent very quickly. Please check your entries and send it again."
    )


def test_a_tampered_time_stamp_is_refused_and_replaced(client, listed):
    response = client.post(reverse("inquiries:create"), form_data(listed, started="1.0:forged"))

    _assert_refused_and_kept(response, "The form could not be checked. Please send it again.")
    # The next try carries a fresh, valid stamp and passes.
    fresh = response.context["form"].data["started"]
    assert fresh != "1.0:forged"
    response = client.post(reverse("inquiries:create"), form_data(listed, started=fresh))
    assert response.status_code == 302
    assert Inquiry.objects.count() == 1


def test_the_rate_limit_refuses_with_a_message_and_keeps_the_text(client, listed, settings):
    settings.INQUIRY_RATE = (2, 3600)
    for _ in range(2):
        assert client.post(reverse("inquiries:create"), form_data(listed)).status_code == 302
    mail.outbox.clear()
    Inquiry.objects.all().delete()

    response = client.post(reverse("inquiries:create"), form_data(listed))

    _assert_refused_and_kept(response, "Too many requests were sent from your connection", status=429)


def test_the_mail_limit_per_address_refuses_too(client, listed, settings):
    settings.MAIL_RECIPIENT_RATE = (1, 3600)
    assert client.post(reverse("inquiries:create"), form_data(listed)).status_code == 302
    mail.outbox.clear()
    Inquiry.objects.all().delete()

    response = client.post(reverse("inquiries:create"), form_data(listed))

    _assert_refused_and_kept(response, "Too many requests were sent from your connection", status=429)


def test_honeypot_is_hidden_from_people(client, listed):
    page = client.get(reverse("inquiries:create")).content.decode()

    assert '<div hidden><label for="id_homepage">' in page
    assert 'tabindex="-1"' in page

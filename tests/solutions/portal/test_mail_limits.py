"""Forms that send e-mail cannot be turned into a mail cannon: limits per address, account and recipient."""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.urls import reverse

from solutions.models import JoinRequest
from tests.factories import UserFactory, VendorFactory, VendorMembershipFactory

from .conftest import make_verified

pytestmark = pytest.mark.django_db

PASSWORD = "Wolken-Lauf-2026!"
VICTIM = "opfer@example.org"


class CountingHasher(MD5PasswordHasher):
    """The tests' fast hasher, counting the passwords it hashes (configured through PASSWORD_HASHERS)."""

    algorithm = "counting_md5"
    hashed: list[str] = []

    def encode(self, password, salt):
        CountingHasher.hashed.append(password)
        return super().encode(password, salt)


def _signup(client, email, address="198.51.100.1"):
    return client.post(
        reverse("accounts:signup"),
        {"email": email, "password1": PASSWORD, "password2": PASSWORD},
        REMOTE_ADDR=address,
    )


def _reset(client, email, address="198.51.100.1"):
    return client.post(reverse("accounts:password_reset"), {"email": email}, REMOTE_ADDR=address)


def _resend(client, address="198.51.100.1"):
    return client.post(reverse("accounts:verify_resend"), REMOTE_ADDR=address)


def test_signup_does_the_same_work_whether_or_not_the_address_is_registered(client, settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    UserFactory(username="da@example.org", email="da@example.org")
    CountingHasher.hashed.clear()

    new = _signup(client, "neu@example.org")
    work_new = (list(CountingHasher.hashed), len(mail.outbox))
    CountingHasher.hashed.clear()
    known = _signup(client, "da@example.org", address="198.51.100.2")
    work_known = (list(CountingHasher.hashed), len(mail.outbox) - 1)

    assert (new.status_code, new["Location"], new.content) == (
        known.status_code,
        known["Location"],
        known.content,
    )
    assert work_new == work_known == ([PASSWORD], 1)
    assert [message.to for message in mail.outbox] == [["neu@example.org"], ["da@example.org"]]


def test_signup_mails_one_address_only_so_often_whoever_asks(client, settings):
    settings.MAIL_RECIPIENT_RATE = (2, 3600)

    statuses = [_signup(client, VICTIM, address=f"198.51.100.{n}").status_code for n in range(1, 4)]

    assert statuses == [302, 302, 429]
    assert [message.to for message in mail.outbox] == [[VICTIM], [VICTIM]]


def test_password_reset_mails_one_address_only_so_often_whoever_asks(client, settings):
    settings.MAIL_RECIPIENT_RATE = (2, 3600)
    UserFactory(username=VICTIM, email=VICTIM)

    statuses = [_reset(client, VICTIM, address=f"198.51.100.{n}").status_code for n in range(1, 4)]

    assert statuses == [302, 302, 429]
    assert len(mail.outbox) == 2


def test_the_recipient_limit_counts_the_mails_of_every_form(client, settings):
    settings.MAIL_RECIPIENT_RATE = (2, 3600)

    assert _signup(client, VICTIM, address="198.51.100.1").status_code == 302
    assert _reset(client, VICTIM, address="198.51.100.2").status_code == 302
    refused = _signup(client, VICTIM, address="198.51.100.3")

    assert refused.status_code == 429
    assert len(mail.outbox) == 2


def test_an_unknown_address_counts_like_a_known_one(client, settings):
    # The limit must not tell who has an account: it applies to every address typed into the form.
    settings.MAIL_RECIPIENT_RATE = (1, 3600)
    UserFactory(username=VICTIM, email=VICTIM)

    known = [_reset(client, VICTIM, address=f"198.51.100.{n}").status_code for n in (1, 2)]
    unknown = [_reset(client, "niemand@example.org", address=f"198.51.100.{n}").status_code for n in (3, 4)]

    assert known == unknown == [302, 429]


def test_resend_verification_is_limited_per_account_from_any_address(client, settings):
    settings.PORTAL_VERIFY_RESEND_RATE = (2, 3600)
    user = UserFactory()
    client.force_login(user)

    statuses = [_resend(client, address=f"198.51.100.{n}").status_code for n in range(1, 4)]

    assert statuses == [302, 302, 429]
    assert len(mail.outbox) == 2


def test_resend_verification_is_limited_per_address_for_any_account(client, settings):
    settings.PORTAL_VERIFY_RESEND_RATE = (2, 3600)
    statuses = []
    for _account in range(3):
        client.force_login(UserFactory())
        statuses.append(_resend(client, address="198.51.100.1").status_code)

    assert statuses == [302, 302, 429]
    assert len(mail.outbox) == 2


def test_the_refusal_says_why_and_when_to_try_again(client, settings):
    settings.PORTAL_VERIFY_RESEND_RATE = (1, 1800)
    client.force_login(UserFactory())
    _resend(client)

    response = _resend(client, address="198.51.100.2")

    assert response.status_code == 429
    assert response["Retry-After"] == "1800"
    text = response.content.decode()
    assert "Too many e-mails were requested for this account or address." in text
    assert "Please try again in 30 minutes." in text


def test_join_requests_are_limited_per_account(client, settings):
    settings.PORTAL_JOIN_REQUEST_RATE = (2, 3600)
    user = make_verified(UserFactory())
    client.force_login(user)
    vendors = [VendorMembershipFactory(vendor=VendorFactory()).vendor for _ in range(3)]

    statuses = [
        client.post(
            reverse("vendor:organisation_join"),
            {"vendor": vendor.pk, "message": "Bitte aufnehmen"},
            REMOTE_ADDR=f"198.51.100.{number}",
        ).status_code
        for number, vendor in enumerate(vendors, start=1)
    ]

    assert statuses == [302, 302, 429]
    assert JoinRequest.objects.filter(user=user).count() == 2
    assert len(mail.outbox) == 2

"""The header says who is logged in: the profile's name, else the e-mail address; nothing for visitors."""

import re

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ACCOUNT_NAME = re.compile(r'<a class="account-box__name" href="([^"]*)">([^<]*)</a>')


def _account_names(response) -> list[tuple[str, str]]:
    return ACCOUNT_NAME.findall(response.content.decode())


def test_header_shows_the_email_address_when_the_profile_has_no_name(client):
    client.force_login(UserFactory(username="anna@example.org", email="anna@example.org"))

    response = client.get(reverse("contact"))

    assert _account_names(response) == [(reverse("accounts:profile"), "anna@example.org")]
    assert f'action="{reverse("accounts:logout")}"' in response.content.decode()


def test_header_prefers_the_name_from_the_profile(client):
    client.force_login(UserFactory(email="max@example.org", first_name="Max", last_name="Mustermann"))

    response = client.get(reverse("privacy"))

    assert _account_names(response) == [(reverse("accounts:profile"), "Max Mustermann")]


def test_header_shows_no_account_to_visitors(client):
    response = client.get(reverse("contact"))

    assert _account_names(response) == []
    assert reverse("accounts:logout") not in response.content.decode()

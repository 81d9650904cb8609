"""The vendor landing page describes the self-service portal step by step and leads into it."""

import re

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

STEP = re.compile(r"<li><strong>([^<]+)</strong>")


def _landing(client) -> str:
    return client.get(reverse("vendor:landing"), headers={"accept-language": "en"}).content.decode()


def test_landing_walks_through_the_portal_from_sign_up_to_revisions(client):
    html = _landing(client)

    steps = html[html.index('<ol class="steps">') : html.index("</ol>")]
    assert STEP.findall(steps) == [
        "Create an account.",
        "Create or join your organisation.",
        "Describe your solution.",
        "Submit it for review.",
        "Editorial review.",
        "After publication.",
    ]
    for fact in ("confirm the address", "drafts", "preview", "logo", "PDF documents", "locked", "withdraw"):
        assert fact in steps, fact
    assert f'href="{reverse("accounts:signup")}"' in html
    assert f'href="{reverse("accounts:login")}"' in html


def test_landing_sends_a_logged_in_vendor_to_the_dashboard(client):
    client.force_login(UserFactory())

    html = _landing(client)

    assert f'class="button" href="{reverse("vendor:dashboard")}"' in html
    assert f'href="{reverse("accounts:signup")}"' not in html

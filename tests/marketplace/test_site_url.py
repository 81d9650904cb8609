"""Links in e-mails and structured data use SITE_URL, never the Host header of the request."""

import json
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from marketplace.address_settings import canonical_site_url
from tests.factories import MunicipalityFactory, SolutionFactory, UserFactory

SITE = "https://marktplatz.example.de"
FORGED = {"HTTP_HOST": "evil.example"}
PASSWORD = "Wolken-Lauf-2026!"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    # The forged host passes Django's host check, as it would if a deployment allowed several names.
    settings.ALLOWED_HOSTS = ["testserver", "evil.example"]
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.EDITOR_EMAILS = ["redaktion@example.org"]
    settings.LANGUAGE_CODE = "en"
    settings.ENQUIRY_MIN_FILL_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


def _links(message) -> list[str]:
    return re.findall(r"https?://\S+", message.subject + "\n" + message.body)


def _assert_only_site_links(message, *, at_least: int = 1):
    links = _links(message)
    assert len(links) >= at_least, message.body
    assert all(link.startswith(SITE + "/") for link in links), links
    assert "evil.example" not in message.subject + message.body


@pytest.mark.django_db
def test_signup_mail_links_to_the_site_url(client):
    client.post(
        reverse("accounts:signup"),
        {"email": "neu@example.org", "password1": PASSWORD, "password2": PASSWORD},
        **FORGED,
    )

    [message] = mail.outbox
    _assert_only_site_links(message)
    assert _links(message)[0].startswith(f"{SITE}/konto/bestaetigen/")


@pytest.mark.django_db
def test_already_registered_mail_links_to_the_site_url(client):
    UserFactory(username="da@example.org", email="da@example.org")

    client.post(
        reverse("accounts:signup"),
        {"email": "da@example.org", "password1": PASSWORD, "password2": PASSWORD},
        **FORGED,
    )

    [message] = mail.outbox
    _assert_only_site_links(message, at_least=2)
    assert _links(message) == [SITE + reverse("accounts:login"), SITE + reverse("accounts:password_reset")]


@pytest.mark.django_db
def test_resent_verification_mail_links_to_the_site_url(client):
    client.force_login(UserFactory())

    client.post(reverse("accounts:verify_resend"), **FORGED)

    [message] = mail.outbox
    _assert_only_site_links(message)


@pytest.mark.django_db
def test_password_reset_mail_links_to_the_site_url(client):
    UserFactory(username="anna@example.org", email="anna@example.org")

    client.post(reverse("accounts:password_reset"), {"email": "anna@example.org"}, **FORGED)

    [message] = mail.outbox
    _assert_only_site_links(message)
    assert _links(message)[0].startswith(f"{SITE}/konto/passwort-neu/")
    assert message.subject == "Reset your password at Smart-City-Marktplatz"


@pytest.mark.django_db
def test_enquiry_notice_links_the_admin_under_the_site_url(client):
    MunicipalityFactory(name="Ulm")
    page = client.get(reverse("enquiry")).content.decode()
    started = re.search(r'name="started" value="([^"]+)"', page).group(1)
    data = {
        "municipality_name": "Ulm",
        "name": "Erika Mustermann",
        "role": "Digitalisierung",
        "email": "erika@ulm.example",
        "topic": "procurement",
        "message": "Wie beschaffen wir ein Parkleitsystem?",
        "homepage": "",
        "started": started,
    }

    client.post(reverse("enquiry"), data, **FORGED)

    notice = mail.outbox[-1]
    assert notice.to == ["redaktion@example.org"]
    _assert_only_site_links(notice)
    assert _links(notice)[0].startswith(f"{SITE}/admin/marketplace/enquiry/")


@pytest.mark.django_db
def test_json_ld_names_the_page_under_the_site_url(client):
    solution = SolutionFactory(slug="parkraum-live")

    html = client.get(solution.get_absolute_url(), **FORGED).content.decode()

    data = json.loads(
        re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S).group(1)
    )
    assert data["url"] == SITE + solution.get_absolute_url()
    assert "evil.example" not in html


@pytest.mark.django_db
def test_barrier_report_links_name_pages_under_the_site_url(client):
    prefilled = client.get(reverse("barrier_report"), {"page": "/loesungen/?q=park"}, **FORGED)
    contact = client.get(reverse("contact"), **FORGED).content.decode()

    assert prefilled.context["form"]["page_url"].value() == f"{SITE}/loesungen/?q=park"
    assert "https%3A//marktplatz.example.de/kontakt/" in contact
    assert "evil.example" not in contact


# ---------------------------------------------------------------- the setting


def test_an_explicit_site_url_wins_and_loses_its_trailing_slash():
    assert (
        canonical_site_url("https://marktplatz.example.de/", debug=False, allowed_hosts=["x.example"]) == SITE
    )


@pytest.mark.parametrize(
    "raw",
    ["marktplatz.example.de", "ftp://marktplatz.example.de", "https://", "https://a.example/portal?x=1"],
)
def test_a_site_url_that_is_no_site_address_stops_the_start(raw):
    with pytest.raises(ImproperlyConfigured, match="SITE_URL must be"):
        canonical_site_url(raw, debug=False, allowed_hosts=["x.example"])


def test_development_defaults_to_the_local_server():
    assert (
        canonical_site_url("", debug=True, allowed_hosts=["localhost"], port=8123) == "http://127.0.0.1:8123"
    )


def test_production_defaults_to_the_first_named_allowed_host():
    hosts = ["*", ".example.org", "marktplatz.example.de", "www.example.de"]
    assert canonical_site_url("", debug=False, allowed_hosts=hosts) == SITE


def test_production_without_a_named_host_asks_for_the_site_url():
    with pytest.raises(ImproperlyConfigured, match="Set SITE_URL"):
        canonical_site_url("", debug=False, allowed_hosts=["*"])

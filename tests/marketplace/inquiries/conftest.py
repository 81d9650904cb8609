"""Requests for information: mails land in mail.outbox at once, English pages, no minimum fill time."""

import pytest
from django.core.cache import cache

from marketplace.inquiries.forms import new_started_token
from solutions.models import VendorMembership
from tests.factories import SolutionFactory, UserFactory, VendorFactory, VendorMembershipFactory


@pytest.fixture(autouse=True)
def _inquiry_settings(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.LANGUAGE_CODE = "en"
    settings.INQUIRY_MIN_FILL_SECONDS = 0
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://marktplatz.example.de"
    # The rate limits count in the cache, which outlives a single test.
    cache.clear()
    yield
    cache.clear()


def member(vendor, name: str, role=VendorMembership.Role.ADMIN):
    user = UserFactory(username=name, email=f"{name}@example.org")
    VendorMembershipFactory(vendor=vendor, user=user, role=role)
    return user


@pytest.fixture
def vendors():
    """Three vendors, each with two members, each with one published solution."""
    result = {}
    for key, name in (("a", "Alpha GmbH"), ("b", "Beta AG"), ("c", "Gamma KG")):
        vendor = VendorFactory(name=name, slug=f"vendor-{key}")
        vendor.admin_user = member(vendor, f"{key}-admin")
        vendor.editor_user = member(vendor, f"{key}-editor", VendorMembership.Role.EDITOR)
        vendor.solution = SolutionFactory(vendor=vendor, title=f"Lösung {name}")
        result[key] = vendor
    return result


def add_to_shortlist(client, *solutions):
    for solution in solutions:
        response = client.post("/merkliste/hinzufuegen/", {"item": f"solution:{solution.pk}"})
        assert response.status_code == 302


def form_data(solutions, **changes) -> dict:
    data = {
        "solutions": [str(solution.pk) for solution in solutions],
        "need": "Wir suchen eine Parkraumerfassung für die Innenstadt.",
        "timeframe": "6m",
        "municipality_name": "Musterstadt",
        "inhabitants": "42000",
        "size_class": "",
        "budget": "10-50k",
        "questions": "Gibt es eine Schnittstelle zu unserem Fachverfahren?",
        "name": "Erika Mustermann",
        "email": "erika@musterstadt.example",
        "consent": "on",
        "homepage": "",
        "started": new_started_token(),
    }
    data.update(changes)
    return data

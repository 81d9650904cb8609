"""Fixtures of the peer contact tests: mails sent at once, fixed language, no minimum fill time."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.urls import reverse

from tests.factories import MunicipalityFactory, ReferenceFactory, SolutionFactory, UserFactory

ASKER = {
    "name": "Erika Mustermann",
    "organisation": "Stadt Neustadt",
    "email": "erika@neustadt.example",
    "question": "Wie zufrieden sind Sie mit den Sensoren im Winter?",
}


@pytest.fixture(autouse=True)
def _peer_contact_settings(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    # English text in pages and mails: the assertions must not depend on the German catalogue.
    settings.LANGUAGE_CODE = "en"
    settings.EDITOR_EMAILS = ["redaktion@marktplatz.example"]
    settings.PEER_CONTACT_MIN_FILL_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def editor(db):
    user = UserFactory(username="editor", is_staff=True)
    user.groups.add(Group.objects.get(name="Redaktion"))
    return user


@pytest.fixture
def reference(db):
    """A verified reference of a published solution; its contact has not answered."""
    municipality = MunicipalityFactory(name="Musterhausen", contact_email="rathaus@musterhausen.example")
    return ReferenceFactory(
        solution=SolutionFactory(title="Parkraum-Sensorik"),
        municipality=municipality,
        contact_name="Max Beispiel",
        contact_email="max.beispiel@musterhausen.example",
    )


def form_data(client, reference, **changes) -> dict:
    """What a person sends: the asker's entries and the form's own signed timestamp."""
    response = client.get(reverse("pilots:reference_contact", kwargs={"pk": reference.pk}))
    return {**ASKER, "started": response.context["form"]["started"].value(), "homepage": "", **changes}


def path_of(url: str) -> str:
    return urlsplit(url).path


def links_in(body: str) -> list[str]:
    return re.findall(r"https?://\S+", body)


def footer(body: str) -> tuple[str, str]:
    """The mail's reasons: why it was sent and how to stop it (both must be said)."""
    why = re.search(r"^Why you receive this e-mail: (.+)$", body, re.M)
    stop = re.search(r"^How to stop it: (.+)$", body, re.M)
    return (why.group(1).strip() if why else "", stop.group(1).strip() if stop else "")

"""Fixtures of the vendor portal tests: an owner, a member of another organisation, an unverified user."""

import pytest
from django.core.cache import cache
from django.utils import timezone

from marketplace.choices import EditorialStatus
from solutions.models import EmailVerification, VendorMembership
from tests.factories import (
    CategoryFactory,
    SolutionFactory,
    UserFactory,
    VendorFactory,
    VendorMembershipFactory,
)


def image_bytes(image_format: str = "PNG", size=(40, 20)) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=image_format)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _portal_settings(settings, tmp_path):
    # Tests run tasks right away (the immediate backend) so the mails they send land in mail.outbox;
    # production keeps the database backend and a worker.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EDITOR_EMAILS = ["redaktion@example.org"]
    # Assertions compare the English msgids; the German catalogue is tested centrally.
    settings.LANGUAGE_CODE = "en"
    # The rate limits count in the cache, which outlives a single test.
    cache.clear()
    yield
    cache.clear()


def make_verified(user):
    EmailVerification.objects.update_or_create(user=user, defaults={"verified_at": timezone.now()})
    return user


@pytest.fixture
def owner():
    """A verified administrator of `vendor`."""
    return make_verified(UserFactory(username="owner@example.org", email="owner@example.org"))


@pytest.fixture
def vendor(owner):
    vendor = VendorFactory(name="Eigene GmbH")
    VendorMembershipFactory(vendor=vendor, user=owner, role=VendorMembership.Role.ADMIN)
    return vendor


@pytest.fixture
def editor_member(vendor):
    """A verified member of `vendor` with the editor role."""
    user = make_verified(UserFactory(username="editor@example.org", email="editor@example.org"))
    VendorMembershipFactory(vendor=vendor, user=user, role=VendorMembership.Role.EDITOR)
    return user


@pytest.fixture
def outsider():
    """A verified administrator of another organisation."""
    user = make_verified(UserFactory(username="outsider@example.org", email="outsider@example.org"))
    VendorMembershipFactory(
        vendor=VendorFactory(name="Fremde AG"), user=user, role=VendorMembership.Role.ADMIN
    )
    return user


@pytest.fixture
def category():
    return CategoryFactory(slug="verwaltung", name_de="Verwaltung", name_en="Administration")


@pytest.fixture
def draft(vendor, category):
    return SolutionFactory(
        vendor=vendor,
        title="Bürgerportal",
        status=EditorialStatus.DRAFT,
        published_at=None,
        contact_email="kontakt@example.org",
        categories=[category],
    )


@pytest.fixture
def published(vendor, category):
    return SolutionFactory(
        vendor=vendor,
        title="Parkraum live",
        summary="Freie Parkplätze in Echtzeit.",
        contact_email="kontakt@example.org",
        categories=[category],
    )


def form_data(solution, **changes) -> dict:
    """POST data of the listing form for `solution`, with `changes` applied."""
    data = {
        "title": solution.title,
        "summary": solution.summary,
        "website": solution.website,
        "description": solution.description,
        "categories": [str(pk) for pk in solution.categories.values_list("pk", flat=True)]
        if solution.pk
        else [],
        "size_classes": solution.size_classes,
        "maturity": solution.maturity,
        "licence_type": solution.licence_type,
        "spdx_id": solution.spdx_id,
        "source_url": solution.source_url,
        "hosting_options": solution.hosting_options,
        "data_location": solution.data_location,
        "accessibility": solution.accessibility,
        "accessibility_statement_url": solution.accessibility_statement_url,
        "price_model": solution.price_model,
        "cost_introduction_eur": "",
        "cost_yearly_eur": "",
        "cost_notes": solution.cost_notes,
        "framework_agreement_name": "",
        "procurement_notes": "",
        "contact_name": solution.contact_name,
        "contact_email": solution.contact_email,
        "contact_phone": solution.contact_phone,
    }
    data.update(changes)
    return data


def read_file_response(response) -> bytes:
    """The body of a FileResponse; closes the file like a server would, without closing the test's
    database connection (the test client does the same around its own requests)."""
    from django.core.signals import request_finished
    from django.db import close_old_connections

    content = b"".join(response.streaming_content)
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    return content

"""A vendor uploads logos that are refused: one that declares too many pixels, then a web page named
logo.png. Each time the page shows the error summary and the message at the field, and passes axe-core."""

import math

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext

from marketplace.choices import EditorialStatus
from solutions.models import EmailVerification, VendorMembership
from tests.browser.conftest import assert_accessible
from tests.factories import SolutionFactory, UserFactory, VendorFactory
from tests.solutions.portal.crafted_images import png


@pytest.fixture
def owner_with_draft(settings, tmp_path, transactional_db):
    settings.MEDIA_ROOT = tmp_path / "media"
    user = UserFactory(username="owner@example.org", email="owner@example.org")
    EmailVerification.objects.create(user=user, verified_at=timezone.now())
    vendor = VendorFactory(name="Eigene GmbH")
    VendorMembership.objects.create(vendor=vendor, user=user, role=VendorMembership.Role.ADMIN)
    solution = SolutionFactory(
        vendor=vendor, title="Bürgerportal", status=EditorialStatus.DRAFT, published_at=None
    )
    return user, solution


def _log_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    name = django_settings.SESSION_COOKIE_NAME
    page.context.add_cookies([{"name": name, "value": client.cookies[name].value, "url": live_server.url}])


def _german(message: str, **params) -> str:
    """The message as the German page shows it (the msgid itself while the catalogue lacks it)."""
    with translation.override("de"):
        return gettext(message) % params if params else gettext(message)


def _upload(page, name: str, content: bytes) -> None:
    page.set_input_files("#id_logo", {"name": name, "mimeType": "image/png", "buffer": content})
    with page.expect_navigation():
        page.locator("form.portal-form button[type=submit]").click()


def _shown_errors(page) -> tuple[str, str]:
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert summary.locator("a[href='#id_logo']").count() == 1
    return summary.locator("a[href='#id_logo']").inner_text(), page.locator(".field--error").inner_text()


def test_refused_logos_show_their_errors_accessibly(page, live_server, owner_with_draft):
    user, solution = owner_with_draft
    _log_in(page, live_server, user)
    url = f"/anbieter/loesungen/{solution.pk}/logo/"
    page.goto(url)
    assert_accessible(page)

    _upload(page, "riesig.png", png(20000, 20000, pixels=False))
    assert page.url.endswith(url)
    limit = django_settings.PORTAL_LOGO_MAX_SOURCE_PIXELS
    with translation.override("de"):
        megapixels = number_format(round(limit / 1_000_000, 1), decimal_pos=1)
    too_many = _german(
        "This image has more than %(megapixels)s megapixels. "
        "Please scale it down to at most %(side)d × %(side)d pixels and upload it again.",
        megapixels=megapixels,
        side=math.isqrt(limit),
    )
    in_summary, at_field = _shown_errors(page)
    assert in_summary.endswith(too_many)
    assert too_many in at_field
    assert_accessible(page)

    _upload(page, "logo.png", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>")
    not_an_image = _german("This file is not a PNG, JPEG or WebP image.")
    in_summary, at_field = _shown_errors(page)
    assert in_summary.endswith(not_an_image)
    assert not_an_image in at_field
    assert too_many not in at_field
    assert_accessible(page)

    solution.refresh_from_db()
    assert not solution.logo

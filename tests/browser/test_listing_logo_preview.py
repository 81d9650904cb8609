"""A vendor uploads a logo, sees the listing with it in the preview (before submitting and while in review),
submits; once an editor has published it, anyone sees the logo on the public page and on the catalog card.
axe-core on every page; the preview also at 320 px."""

import io

import pytest
from django.core.cache import cache
from django.utils import translation
from PIL import Image
from playwright.sync_api import expect

from marketplace.choices import EditorialStatus
from marketplace.editorial import services as editorial
from solutions.models import Solution, VendorMembership
from tests.browser.conftest import assert_accessible
from tests.factories import (
    CategoryFactory,
    SolutionFactory,
    UserFactory,
    VendorFactory,
    VendorMembershipFactory,
)
from tests.solutions.portal.conftest import make_verified

PASSWORD = "Wolken-Lauf-2026!"


def _german(message: str) -> str:
    from django.utils.translation import gettext

    with translation.override("de"):
        return gettext(message)


@pytest.fixture
def draft(settings, tmp_path, transactional_db):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EDITOR_EMAILS = ["redaktion@example.org"]
    cache.clear()
    user = make_verified(UserFactory(username="anbieter@example.org", email="anbieter@example.org"))
    user.set_password(PASSWORD)
    user.save()
    vendor = VendorFactory(name="Stadtwerk Digital GmbH")
    VendorMembershipFactory(vendor=vendor, user=user, role=VendorMembership.Role.ADMIN)
    solution = SolutionFactory(
        vendor=vendor,
        title="Mängelmelder",
        slug="maengelmelder",
        summary="Bürgerinnen melden Schäden an Straßen.",
        contact_email="kontakt@stadtwerk.example",
        status=EditorialStatus.DRAFT,
        published_at=None,
        categories=[CategoryFactory(slug="verwaltung", name_de="Verwaltung", name_en="Administration")],
    )
    yield solution
    cache.clear()


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 400), (20, 90, 160)).save(out, format="PNG")
    return out.getvalue()


def _log_in(page):
    page.goto("/konto/anmelden/")
    page.fill("#id_username", "anbieter@example.org")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("form.portal-form button[type=submit]").click()


def _click(page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).first.click()


def _logo_loaded(image) -> int:
    """The natural width of a loaded image (0 when it could not be loaded)."""
    expect(image).to_be_visible()
    return image.evaluate("img => img.complete ? img.naturalWidth : 0")


def test_vendor_sees_the_logo_in_the_preview_and_everyone_after_publishing(page, browser, live_server, draft):
    _log_in(page)
    overview = f"/anbieter/loesungen/{draft.pk}/"
    preview = f"/anbieter/loesungen/{draft.pk}/vorschau/"
    page.goto(overview)
    _click(page, f"a[href='/anbieter/loesungen/{draft.pk}/logo/']")
    page.set_input_files("#id_logo", {"name": "logo.png", "mimeType": "image/png", "buffer": _png()})
    _click(page, "form.portal-form button[type=submit]")
    assert page.url.endswith(overview)

    # Before submitting: the preview, reached from the overview, shows the logo under the preview banner.
    _click(page, f"a[href='{preview}']")
    assert page.url.endswith(preview)
    banner = page.locator(".preview-banner")
    expect(banner).to_contain_text(
        _german("Preview – this is how the listing will look once it is published")
    )
    assert page.locator("meta[name=robots]").get_attribute("content") == "noindex, nofollow"
    expect(page.locator("h1")).to_have_text("Mängelmelder")
    assert _logo_loaded(page.locator("img.detail-logo")) == 512  # scaled from 800 px on upload
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1280, "height": 800})

    # Submitted: still previewable while in review.
    page.goto(overview)
    _click(page, f"form[action='/anbieter/loesungen/{draft.pk}/einreichen/'] button[type=submit]")
    draft.refresh_from_db()
    assert draft.status == EditorialStatus.SUBMITTED
    page.goto(preview)
    assert _logo_loaded(page.locator("img.detail-logo")) == 512
    assert_accessible(page)

    # Nobody else sees the listing or its logo before it is published.
    visitor = browser.new_context(base_url=live_server.url, locale="de-DE").new_page()
    assert visitor.goto(f"/anbieter/loesungen/{draft.pk}/logo.png").status == 404

    editor = UserFactory(username="redaktion", is_staff=True, is_superuser=True)
    editorial.publish(Solution.objects.get(pk=draft.pk), by=editor)

    visitor.goto("/loesungen/maengelmelder/")
    logo = visitor.locator("img.detail-logo")
    assert _logo_loaded(logo) == 512
    assert logo.get_attribute("alt") == _german("Logo of %(title)s") % {"title": "Mängelmelder"}
    assert_accessible(visitor)

    visitor.goto("/loesungen/")
    card = visitor.locator("article.solution-card", has_text="Mängelmelder")
    card_logo = card.locator("img.card__logo")
    assert _logo_loaded(card_logo) == 512
    assert card_logo.get_attribute("alt") == ""
    assert card_logo.bounding_box()["width"] == 48
    assert_accessible(visitor)
    visitor.context.close()

"""A request that dies on the way loses nothing the vendor typed: the browser keeps a copy of the listing
form until the server confirms the save, and offers it back on the form."""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from marketplace.choices import EditorialStatus
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


@pytest.fixture
def draft(settings, tmp_path, transactional_db):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    user = make_verified(UserFactory(username="anbieter@example.org", email="anbieter@example.org"))
    user.set_password(PASSWORD)
    user.save()
    vendor = VendorFactory(name="Stadtwerk Digital GmbH")
    VendorMembershipFactory(vendor=vendor, user=user, role=VendorMembership.Role.ADMIN)
    solution = SolutionFactory(
        vendor=vendor,
        title="Bürgerportal",
        status=EditorialStatus.DRAFT,
        published_at=None,
        categories=[CategoryFactory()],
    )
    yield solution
    cache.clear()


def _log_in(page):
    page.goto("/konto/anmelden/")
    page.fill("#id_username", "anbieter@example.org")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("form.portal-form button[type=submit]").click()


def test_input_survives_a_request_that_dies_and_is_dropped_after_a_real_save(page, live_server, draft):
    _log_in(page)
    edit_url = f"/anbieter/loesungen/{draft.pk}/bearbeiten/"
    page.goto(edit_url)
    page.fill("#id_title", "Bürgerportal Plus")
    page.fill("#id_description", "Eine lange Beschreibung, die niemand zweimal tippen will.")

    # The save request never reaches the server (network gone, server restarting).
    page.route(
        "**/bearbeiten/", lambda route: route.abort() if route.request.method == "POST" else route.continue_()
    )
    page.locator("#solution-form button[type=submit]").click()
    page.wait_for_timeout(500)
    page.unroute("**/bearbeiten/")
    assert Solution.objects.get(pk=draft.pk).title == "Bürgerportal"

    page.goto(edit_url)
    notice = page.locator(".draft-notice")
    expect(notice).to_be_visible()
    assert_accessible(page)
    expect(page.locator("#id_title")).to_have_value("Bürgerportal")
    notice.get_by_role("button", name="Ungespeicherte Eingaben wiederherstellen").click()
    expect(page.locator("#id_title")).to_have_value("Bürgerportal Plus")
    expect(page.locator("#id_description")).to_have_value(
        "Eine lange Beschreibung, die niemand zweimal tippen will."
    )

    with page.expect_navigation():
        page.locator("#solution-form button[type=submit]").click()
    assert Solution.objects.get(pk=draft.pk).title == "Bürgerportal Plus"
    expect(page.locator(".draft-notice")).to_have_count(0)
    kept = page.evaluate(
        "Object.keys(localStorage).filter(function (key) { return key.indexOf('scm-draft:') === 0; })"
    )
    assert kept == []

"""An editor's review in Chromium, with axe-core on the pages the moderation adds: open the queue, open
a submitted listing, request changes with a reason; the vendor fixes and resubmits; the editor sees what
changed side by side and publishes; the listing appears in the public catalog and in search."""

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.test import Client
from django.utils import timezone

from marketplace.choices import EditorialStatus
from solutions.models import EmailVerification, Solution, VendorMembership
from tests.browser.conftest import assert_accessible
from tests.factories import CategoryFactory, SolutionFactory, UserFactory, VendorFactory


@pytest.fixture
def flow_settings(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ADMIN_REQUIRE_OTP = False
    settings.EDITOR_EMAILS = ["redaktion@example.org"]


def _log_in(page, live_server, user) -> None:
    page.context.clear_cookies()
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def _click(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def test_editor_requests_changes_vendor_resubmits_editor_publishes(
    page, live_server, flow_settings, transactional_db
):
    category = CategoryFactory(slug="verwaltung", name_de="Verwaltung", name_en="Administration")
    editor = UserFactory(username="redakteurin", is_staff=True)
    # transactional_db empties the tables, so the group from the data migration is rebuilt here.
    group, _created = Group.objects.get_or_create(name="Redaktion")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label__in=["solutions", "pilots"]).exclude(
            codename__startswith="delete_"
        )
    )
    editor.groups.add(group)
    owner = UserFactory(username="owner@example.org", email="owner@example.org")
    EmailVerification.objects.create(user=owner, verified_at=timezone.now())
    vendor = VendorFactory(name="Stadtwerk Digital GmbH")
    VendorMembership.objects.create(vendor=vendor, user=owner, role=VendorMembership.Role.ADMIN)
    solution = SolutionFactory(
        vendor=vendor,
        title="Mängelmelder",
        summary="Schäden melden.",
        description="Meldungen mit Foto und Ort.",
        contact_email="erika@example.org",
        status=EditorialStatus.SUBMITTED,
        submitted_at=timezone.now(),
        published_at=None,
        categories=[category],
    )

    # The editor opens the queue from the admin index and the submitted listing from the queue.
    _log_in(page, live_server, editor)
    page.goto("/admin/")
    assert page.locator("#count-submitted_solutions td").inner_text() == "1"
    _click(page, "#review-queue-counts h2 a")
    assert_accessible(page)
    _click(page, "#queue-submitted_solutions a:has-text('Mängelmelder')")
    assert page.url.endswith(f"/admin/solutions/solution/{solution.pk}/review/")
    assert_accessible(page)
    page.fill("#id_changes_reason", "Bitte die Kosten pro Jahr angeben.")
    _click(page, "form:has(#id_changes_reason) input[type=submit]")
    solution.refresh_from_db()
    assert (solution.status, solution.status_reason) == (
        EditorialStatus.CHANGES_REQUESTED,
        "Bitte die Kosten pro Jahr angeben.",
    )
    assert "Bitte die Kosten pro Jahr angeben." in mail.outbox[-1].body
    assert mail.outbox[-1].to == ["owner@example.org"]

    # The vendor reads the reason, fixes the listing and submits it again.
    _log_in(page, live_server, owner)
    page.goto(f"/anbieter/loesungen/{solution.pk}/")
    assert "Bitte die Kosten pro Jahr angeben." in page.content()
    page.goto(f"/anbieter/loesungen/{solution.pk}/bearbeiten/")
    page.fill("#id_cost_yearly_eur", "4800")
    page.fill("#id_summary", "Bürgerinnen melden Schäden an Straßen.")
    with page.expect_navigation():
        page.locator("#solution-form button[type=submit]").last.click()
    page.goto(f"/anbieter/loesungen/{solution.pk}/")
    _click(page, f"form[action='/anbieter/loesungen/{solution.pk}/einreichen/'] button[type=submit]")
    solution.refresh_from_db()
    assert solution.status == EditorialStatus.SUBMITTED

    # The editor sees what changed since the request, side by side, and publishes.
    _log_in(page, live_server, editor)
    page.goto(f"/admin/solutions/solution/{solution.pk}/review/")
    rows = page.locator("#changes-since-decision tbody tr")
    texts = [rows.nth(i).inner_text() for i in range(rows.count())]
    assert any("Schäden melden." in t and "Bürgerinnen melden Schäden an Straßen." in t for t in texts), texts
    assert any("4800" in t for t in texts), texts
    assert_accessible(page)
    _click(page, "form:has(input[name=decision][value=publish]) input[type=submit]")
    solution.refresh_from_db()
    assert solution.status == EditorialStatus.PUBLISHED
    assert page.locator("#review-status").inner_text() == str(solution.get_status_display())

    # The listing is public: in the catalog and in search.
    page.context.clear_cookies()
    page.goto("/loesungen/?q=Mängelmelder")
    assert page.locator(f"a[href='{solution.get_absolute_url()}']").count() >= 1
    page.goto("/suche/?q=Mängelmelder")
    assert page.locator(f"a[href='{solution.get_absolute_url()}']").count() >= 1
    assert Solution.objects.published().filter(pk=solution.pk).exists()

"""An editor's review in Chromium, with axe-core on the pages the moderation adds.

1. Open the queue, open a submitted listing, request changes with a reason and the fields concerned; the
   vendor fixes and resubmits; the editor sees what changed side by side and publishes after the
   confirmation step; the listing appears in the public catalog and in search.
2. The listing of an organisation nobody has verified yet cannot be published; the editor verifies the
   organisation right on the review page, publishes, confirms, and the listing is public (also without
   JavaScript).
"""

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.test import Client
from django.utils import timezone, translation

from marketplace.choices import EditorialStatus
from marketplace.editorial.history import timeline
from solutions.models import EmailVerification, Solution, Vendor, VendorMembership
from tests.browser.conftest import assert_accessible
from tests.factories import CategoryFactory, SolutionFactory, UserFactory, VendorFactory


@pytest.fixture
def flow_settings(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ADMIN_REQUIRE_OTP = False
    settings.EDITOR_EMAILS = ["redaktion@example.org"]


@pytest.fixture
def editor(transactional_db):
    user = UserFactory(username="redakteurin", is_staff=True)
    # transactional_db empties the tables, so the group from the data migration is rebuilt here.
    group, _created = Group.objects.get_or_create(name="Redaktion")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label__in=["solutions", "pilots"]).exclude(
            codename__startswith="delete_"
        )
    )
    user.groups.add(group)
    return user


@pytest.fixture
def owner(transactional_db):
    user = UserFactory(username="owner@example.org", email="owner@example.org")
    EmailVerification.objects.create(user=user, verified_at=timezone.now())
    return user


def _submitted_listing(vendor, owner, category) -> Solution:
    VendorMembership.objects.create(vendor=vendor, user=owner, role=VendorMembership.Role.ADMIN)
    return SolutionFactory(
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


def _assert_public(page, solution) -> None:
    page.context.clear_cookies()
    page.goto("/loesungen/?q=Mängelmelder")
    assert page.locator(f"a[href='{solution.get_absolute_url()}']").count() >= 1
    page.goto("/suche/?q=Mängelmelder")
    assert page.locator(f"a[href='{solution.get_absolute_url()}']").count() >= 1
    assert Solution.objects.published().filter(pk=solution.pk).exists()


def test_editor_requests_changes_vendor_resubmits_editor_publishes(
    page, live_server, flow_settings, editor, owner
):
    category = CategoryFactory(slug="verwaltung", name_de="Verwaltung", name_en="Administration")
    solution = _submitted_listing(VendorFactory(name="Stadtwerk Digital GmbH"), owner, category)

    # The editor opens the queue from the admin index and the submitted listing from the queue.
    _log_in(page, live_server, editor)
    page.goto("/admin/")
    assert page.locator("#count-submitted_solutions td").inner_text() == "1"
    _click(page, "#review-queue-counts h2 a")
    assert_accessible(page)
    _click(page, "#queue-submitted_solutions a:has-text('Mängelmelder')")
    assert page.url.endswith(f"/admin/solutions/solution/{solution.pk}/review/")
    # The whole listing as it will be published, in the sections of the vendors' form.
    assert page.locator("#listing-content h3").count() >= 9
    assert "Meldungen mit Foto und Ort." in page.locator("#fact-description").inner_text()
    assert_accessible(page)
    page.fill("#id_changes_reason", "Bitte die Kosten pro Jahr angeben.")
    page.click("#requested-fields-choice summary")
    page.check("#id_fields_cost_yearly_eur")
    _click(page, "#request-changes input[type=submit]")
    solution.refresh_from_db()
    assert (solution.status, solution.status_reason, solution.changes_requested_fields) == (
        EditorialStatus.CHANGES_REQUESTED,
        "Bitte die Kosten pro Jahr angeben.",
        ["cost_yearly_eur"],
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

    # The editor sees what changed since the request, side by side, and publishes after confirming.
    _log_in(page, live_server, editor)
    page.goto(f"/admin/solutions/solution/{solution.pk}/review/")
    rows = page.locator("#changes-since-decision tbody tr")
    texts = [rows.nth(i).inner_text() for i in range(rows.count())]
    assert any("Schäden melden." in t and "Bürgerinnen melden Schäden an Straßen." in t for t in texts), texts
    assert any("4800" in t for t in texts), texts
    assert_accessible(page)
    _click(page, "#publish input[type=submit]")
    assert page.locator("#publish-confirmation").count() == 1
    solution.refresh_from_db()
    assert solution.status == EditorialStatus.SUBMITTED
    assert_accessible(page)
    _click(page, "#publish-confirmation input[type=submit]")
    solution.refresh_from_db()
    assert solution.status == EditorialStatus.PUBLISHED
    assert page.locator("#review-status").inner_text() == str(solution.get_status_display())

    _assert_public(page, solution)


def _verify_and_publish(page, live_server, editor, owner, *, check) -> None:
    category = CategoryFactory(slug="mobilitaet", name_de="Mobilität", name_en="Mobility")
    vendor = VendorFactory(
        name="Neu AG", is_verified=False, website="https://neu.example.org", city="Leipzig", postcode="04109"
    )
    solution = _submitted_listing(vendor, owner, category)

    _log_in(page, live_server, editor)
    page.goto(f"/admin/solutions/solution/{solution.pk}/review/")
    # The organisation's details and state are on the page; publishing is not offered, the refusal says
    # why and offers the verification right there.
    organisation = page.locator("#organisation").inner_text()
    assert "Neu AG" in organisation and "https://neu.example.org" in organisation
    assert page.locator("#publish").count() == 0
    assert "Neu AG" in page.locator("#publish-blocked .errornote").inner_text()
    check(page)
    _click(page, "#verify-organisation input[type=submit]")
    assert page.url.endswith(f"/admin/solutions/solution/{solution.pk}/review/#organisation")
    vendor.refresh_from_db()
    assert vendor.is_verified
    with translation.override("en"):
        newest = timeline(vendor)[0]
    # Recorded as the changelist action records it: the decision, by whom.
    assert (newest.label, newest.user, newest.is_decision) == ("Verified", editor, True)
    assert page.locator("#verify-organisation").count() == 0
    check(page)

    _click(page, "#publish input[type=submit]")
    assert page.locator("#publish-confirmation").count() == 1
    solution.refresh_from_db()
    assert solution.status == EditorialStatus.SUBMITTED
    check(page)
    _click(page, "#publish-confirmation input[type=submit]")
    solution.refresh_from_db()
    assert solution.status == EditorialStatus.PUBLISHED
    assert Vendor.objects.get(pk=vendor.pk).is_verified

    _assert_public(page, solution)


def test_editor_verifies_the_organisation_on_the_review_page_and_publishes(
    page, live_server, flow_settings, editor, owner
):
    _verify_and_publish(page, live_server, editor, owner, check=assert_accessible)


def test_verifying_and_publishing_work_without_javascript(
    page_without_js, live_server, flow_settings, editor, owner
):
    # axe-core needs JavaScript; the first test checks the same pages.
    _verify_and_publish(page_without_js, live_server, editor, owner, check=lambda page: None)

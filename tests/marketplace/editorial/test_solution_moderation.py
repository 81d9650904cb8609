"""Moderation services of listings and organisations: every transition allowed and refused, with the
e-mails it sends and the history rows it writes."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.core import mail

from marketplace.choices import EditorialStatus
from marketplace.editorial import services
from marketplace.editorial.history import timeline
from marketplace.editorial.services import ModerationError
from solutions.models import Solution, SolutionRevision
from solutions.services import propose_revision
from tests.factories import SolutionFactory, UserFactory, VendorFactory, VendorMembershipFactory

S = EditorialStatus


@pytest.fixture(autouse=True)
def _moderation_settings(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.LANGUAGE_CODE = "en"
    settings.EDITOR_EMAILS = ["redaktion@example.org"]


@pytest.fixture
def junior_editor():
    """Staff who may edit listings but not publish them."""
    user = UserFactory(username="junior", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="solutions", codename__in=["view_solution", "change_solution"]
        )
    )
    return user


def listing(vendor, status, **kwargs):
    return SolutionFactory(vendor=vendor, title="Bürgerportal", status=status, published_at=None, **kwargs)


def history_actions(obj):
    return [(entry.label, entry.reason) for entry in timeline(obj) if entry.is_decision]


@pytest.mark.django_db
def test_publish_submitted_listing_sets_status_timestamps_mail_and_history(editor, vendor):
    solution = listing(vendor, S.SUBMITTED, status_reason="old")
    services.publish(solution, by=editor)
    solution.refresh_from_db()
    assert solution.status == S.PUBLISHED
    assert solution.published_at is not None
    assert solution.status_reason == ""
    assert [m.to for m in mail.outbox] == [["member@example.org"]]
    assert mail.outbox[0].subject == "Your listing is published"
    assert "- Bürgerportal" in mail.outbox[0].body
    newest = timeline(solution)[0]
    assert (newest.label, newest.user, newest.is_decision) == ("Published", editor, True)
    assert ("status", "Submitted", "Published") in [
        (c.label, c.old, c.new) for c in newest.changes if c.label == "status"
    ]


@pytest.mark.django_db
def test_publish_after_requested_changes_is_allowed(editor, vendor):
    solution = listing(vendor, S.CHANGES_REQUESTED)
    services.publish(solution, by=editor)
    solution.refresh_from_db()
    assert solution.status == S.PUBLISHED


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "message"),
    [
        (S.DRAFT, "“Bürgerportal” is a draft that was never submitted for review."),
        (S.PUBLISHED, "“Bürgerportal” is already published."),
        (S.REJECTED, "“Bürgerportal” was rejected; restore it as a draft first."),
        (S.ARCHIVED, "“Bürgerportal” is archived; restore it to publish it again."),
    ],
)
def test_publish_refused_in_other_states(editor, vendor, status, message):
    solution = listing(vendor, status)
    events_before = solution.events.count()
    with pytest.raises(ModerationError) as refused:
        services.publish(solution, by=editor)
    assert refused.value.problems == [message]
    solution.refresh_from_db()
    assert solution.status == status
    assert solution.events.count() == events_before
    assert mail.outbox == []


@pytest.mark.django_db
def test_publish_refused_for_unverified_vendor(editor, member):
    vendor = VendorFactory(name="Neu AG", is_verified=False)
    solution = listing(vendor, S.SUBMITTED)
    with pytest.raises(ModerationError) as refused:
        services.publish(solution, by=editor)
    assert refused.value.problems == [
        "The organisation “Neu AG” is not verified yet; verify it before publishing its listings."
    ]
    solution.refresh_from_db()
    assert solution.status == S.SUBMITTED


@pytest.mark.django_db
def test_editor_without_publish_permission_cannot_publish(junior_editor, vendor):
    solution = listing(vendor, S.SUBMITTED)
    with pytest.raises(ModerationError) as refused:
        services.publish(solution, by=junior_editor)
    assert refused.value.problems == ["You do not have the permission for this editorial decision."]
    solution.refresh_from_db()
    assert solution.status == S.SUBMITTED


@pytest.mark.django_db
def test_vendor_member_cannot_publish(member, vendor):
    solution = listing(vendor, S.SUBMITTED)
    with pytest.raises(ModerationError):
        services.publish(solution, by=member)
    solution.refresh_from_db()
    assert solution.status == S.SUBMITTED


@pytest.mark.django_db
def test_request_changes_stores_reason_mails_it_and_records_it(junior_editor, vendor):
    solution = listing(vendor, S.SUBMITTED)
    services.request_changes(solution, by=junior_editor, reason="Bitte Preise ergänzen.")
    solution.refresh_from_db()
    assert (solution.status, solution.status_reason) == (S.CHANGES_REQUESTED, "Bitte Preise ergänzen.")
    assert mail.outbox[0].subject == "Changes requested: Bürgerportal"
    assert "Reason: Bitte Preise ergänzen." in mail.outbox[0].body
    assert mail.outbox[0].to == ["member@example.org"]
    assert history_actions(solution) == [("Changes requested", "Bitte Preise ergänzen.")]
    assert timeline(solution)[0].user == junior_editor


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["", "   "])
def test_request_changes_needs_a_reason(editor, vendor, reason):
    solution = listing(vendor, S.SUBMITTED)
    with pytest.raises(ModerationError) as refused:
        services.request_changes(solution, by=editor, reason=reason)
    assert refused.value.problems == ["Please give a reason; the vendor sees it."]
    solution.refresh_from_db()
    assert solution.status == S.SUBMITTED
    assert mail.outbox == []


@pytest.mark.django_db
@pytest.mark.parametrize("status", [S.DRAFT, S.PUBLISHED, S.CHANGES_REQUESTED, S.REJECTED, S.ARCHIVED])
def test_request_changes_refused_unless_submitted(editor, vendor, status):
    solution = listing(vendor, status)
    with pytest.raises(ModerationError) as refused:
        services.request_changes(solution, by=editor, reason="x")
    assert "Changes can only be requested for submitted listings" in refused.value.problems[0]
    solution.refresh_from_db()
    assert solution.status == status


@pytest.mark.django_db
@pytest.mark.parametrize("status", [S.SUBMITTED, S.CHANGES_REQUESTED])
def test_reject_with_reason(editor, vendor, status):
    solution = listing(vendor, status)
    services.reject(solution, by=editor, reason="Kein Bezug zu Kommunen.")
    solution.refresh_from_db()
    assert (solution.status, solution.status_reason) == (S.REJECTED, "Kein Bezug zu Kommunen.")
    assert mail.outbox[0].subject == "Listing not published: Bürgerportal"
    assert "Reason: Kein Bezug zu Kommunen." in mail.outbox[0].body
    assert history_actions(solution) == [("Rejected", "Kein Bezug zu Kommunen.")]


@pytest.mark.django_db
def test_reject_refused_without_reason_or_permission(editor, junior_editor, vendor):
    solution = listing(vendor, S.SUBMITTED)
    with pytest.raises(ModerationError):
        services.reject(solution, by=editor, reason="")
    with pytest.raises(ModerationError):
        services.reject(solution, by=junior_editor, reason="Nein.")
    solution.refresh_from_db()
    assert solution.status == S.SUBMITTED


@pytest.mark.django_db
@pytest.mark.parametrize("status", [S.DRAFT, S.PUBLISHED, S.REJECTED, S.ARCHIVED])
def test_reject_refused_in_other_states(editor, vendor, status):
    solution = listing(vendor, status)
    with pytest.raises(ModerationError):
        services.reject(solution, by=editor, reason="Nein.")
    solution.refresh_from_db()
    assert solution.status == status


@pytest.mark.django_db
def test_archive_and_restore_a_published_listing(editor, vendor):
    solution = listing(vendor, S.PUBLISHED)
    services.archive(solution, by=editor, reason="Produkt eingestellt.")
    solution.refresh_from_db()
    assert solution.status == S.ARCHIVED
    assert solution.archived_at is not None
    assert mail.outbox[0].subject == "Listing archived: Bürgerportal"
    services.restore(solution, by=editor)
    solution.refresh_from_db()
    assert (solution.status, solution.archived_at) == (S.PUBLISHED, None)
    assert len(mail.outbox) == 1
    assert history_actions(solution) == [("Restored", ""), ("Archived", "Produkt eingestellt.")]


@pytest.mark.django_db
@pytest.mark.parametrize("status", [S.DRAFT, S.SUBMITTED, S.CHANGES_REQUESTED, S.REJECTED, S.ARCHIVED])
def test_archive_refused_unless_published(editor, vendor, status):
    solution = listing(vendor, status)
    with pytest.raises(ModerationError) as refused:
        services.archive(solution, by=editor)
    assert "Only published listings can be archived" in refused.value.problems[0]


@pytest.mark.django_db
def test_restore_rejected_listing_makes_it_a_draft(editor, vendor):
    solution = listing(vendor, S.REJECTED, status_reason="Nein.")
    services.restore(solution, by=editor)
    solution.refresh_from_db()
    assert (solution.status, solution.status_reason) == (S.DRAFT, "")


@pytest.mark.django_db
@pytest.mark.parametrize("status", [S.DRAFT, S.SUBMITTED, S.CHANGES_REQUESTED, S.PUBLISHED])
def test_restore_refused_in_other_states(editor, vendor, status):
    solution = listing(vendor, status)
    with pytest.raises(ModerationError):
        services.restore(solution, by=editor)
    solution.refresh_from_db()
    assert solution.status == status


@pytest.mark.django_db
def test_restore_archived_listing_of_unverified_vendor_refused(editor):
    solution = listing(VendorFactory(is_verified=False), S.ARCHIVED)
    with pytest.raises(ModerationError):
        services.restore(solution, by=editor)


@pytest.mark.django_db
def test_verify_vendor(editor, member):
    vendor = VendorFactory(name="Neu AG", is_verified=False)
    VendorMembershipFactory(vendor=vendor, user=member)
    services.verify_vendor(vendor, by=editor)
    vendor.refresh_from_db()
    assert vendor.is_verified
    assert vendor.verified_at is not None
    assert mail.outbox[0].subject == "Organisation verified: Neu AG"
    assert mail.outbox[0].to == ["member@example.org"]
    assert [(e.label, e.user) for e in timeline(vendor) if e.is_decision] == [("Verified", editor)]
    with pytest.raises(ModerationError) as refused:
        services.verify_vendor(vendor, by=editor)
    assert refused.value.problems == ["“Neu AG” is already verified."]


@pytest.mark.django_db
def test_verify_vendor_needs_permission(junior_editor):
    vendor = VendorFactory(is_verified=False)
    with pytest.raises(ModerationError):
        services.verify_vendor(vendor, by=junior_editor)
    vendor.refresh_from_db()
    assert not vendor.is_verified


@pytest.mark.django_db
def test_accept_and_discard_pending_revisions(editor, member, vendor):
    solution = listing(vendor, S.PUBLISHED, summary="Alt.")
    revision = propose_revision(solution, by=member, data={"summary": "Neu."})
    services.accept_pending_revision(revision, by=editor)
    solution.refresh_from_db()
    assert solution.summary == "Neu."
    newest = timeline(solution)[0]
    assert (newest.label, newest.user) == ("Pending changes accepted", editor)
    assert [(c.label, c.old, c.new) for c in newest.changes] == [("summary", "Alt.", "Neu.")]
    second = propose_revision(solution, by=member, data={"summary": "Noch neuer."})
    with pytest.raises(ModerationError):
        services.discard_pending_revision(second, by=editor, reason="")
    services.discard_pending_revision(second, by=editor, reason="Nicht belegt.")
    second.refresh_from_db()
    solution.refresh_from_db()
    assert (second.status, solution.summary) == (SolutionRevision.Status.DISCARDED, "Neu.")
    assert "Nicht belegt." in mail.outbox[-1].body


@pytest.mark.django_db
def test_accept_revision_needs_publish_permission(junior_editor, member, vendor):
    solution = listing(vendor, S.PUBLISHED)
    revision = propose_revision(solution, by=member, data={"summary": "Neu."})
    with pytest.raises(ModerationError):
        services.accept_pending_revision(revision, by=junior_editor)
    revision.refresh_from_db()
    assert revision.status == SolutionRevision.Status.PENDING


@pytest.mark.django_db
def test_bulk_publish_of_100_listings_in_fixed_queries_with_100_history_rows(
    editor, django_assert_num_queries
):
    vendors = [VendorFactory() for _ in range(10)]
    for number, vendor in enumerate(vendors):
        VendorMembershipFactory(vendor=vendor, user=UserFactory(email=f"m{number}@example.org"))
    solutions = [
        SolutionFactory(vendor=vendors[n % 10], status=S.SUBMITTED, published_at=None) for n in range(100)
    ]
    draft = SolutionFactory(vendor=vendors[0], status=S.DRAFT, published_at=None, title="Entwurf")
    history = apps.get_model("solutions", "SolutionEvent")
    events_before = history.objects.count()
    editor = type(editor).objects.get(pk=editor.pk)  # fresh permission cache
    # user and group permissions, savepoint, select for update, update (with the history context),
    # accepting their documents, release, the members' addresses; the e-mails go out in one task
    with django_assert_num_queries(8):
        published, refused = services.publish_many([*solutions, draft], by=editor)
    assert len(published) == 100
    assert [(row.title, reason) for row, reason in refused] == [
        ("Entwurf", "“Entwurf” is a draft that was never submitted for review.")
    ]
    assert Solution.objects.filter(status=S.PUBLISHED).count() == 100
    assert history.objects.count() - events_before == 100
    assert history.objects.filter(pgh_context__metadata__action="publish").count() == 100
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"m{n}@example.org" for n in range(10))
    assert mail.outbox[0].subject == "10 of your listings are published"

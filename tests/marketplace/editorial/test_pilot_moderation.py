"""Moderation services of pilot projects and references: transitions allowed and refused, e-mails and
history rows."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.core import mail

from marketplace.choices import EditorialStatus
from marketplace.editorial import services
from marketplace.editorial.history import timeline
from marketplace.editorial.services import ModerationError
from pilots.models import PilotProject
from solutions.models import VendorMembership
from tests.factories import (
    PilotProjectFactory,
    ReferenceFactory,
    SolutionFactory,
    UserFactory,
    VendorMembershipFactory,
)

S = EditorialStatus


@pytest.fixture(autouse=True)
def _moderation_settings(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def junior_editor():
    user = UserFactory(username="junior", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="pilots", codename__startswith="change_")
    )
    return user


def pilot(status, **kwargs):
    return PilotProjectFactory(
        title="Smarte Laternen", status=status, published_at=None, contact_email="p@example.org", **kwargs
    )


@pytest.mark.django_db
@pytest.mark.parametrize("status", [S.DRAFT, S.SUBMITTED, S.CHANGES_REQUESTED])
def test_publish_pilot(editor, status):
    project = pilot(status)
    services.publish(project, by=editor)
    project.refresh_from_db()
    assert project.status == S.PUBLISHED
    assert project.published_at is not None
    assert [(e.label, e.user) for e in timeline(project) if e.is_decision] == [("Published", editor)]


@pytest.mark.django_db
@pytest.mark.parametrize("status", [S.PUBLISHED, S.REJECTED, S.ARCHIVED])
def test_publish_pilot_refused(editor, status):
    project = pilot(status)
    with pytest.raises(ModerationError):
        services.publish(project, by=editor)
    project.refresh_from_db()
    assert project.status == status


@pytest.mark.django_db
def test_editor_without_publish_permission_cannot_publish_pilot(junior_editor):
    project = pilot(S.DRAFT)
    with pytest.raises(ModerationError) as refused:
        services.publish(project, by=junior_editor)
    assert refused.value.problems == ["You do not have the permission for this editorial decision."]
    project.refresh_from_db()
    assert project.status == S.DRAFT


@pytest.mark.django_db
def test_request_changes_and_reject_pilot_mail_the_contact(editor):
    project = pilot(S.SUBMITTED)
    with pytest.raises(ModerationError):
        services.request_changes(project, by=editor, reason="")
    services.request_changes(project, by=editor, reason="Budget fehlt.")
    project.refresh_from_db()
    assert (project.status, project.status_reason) == (S.CHANGES_REQUESTED, "Budget fehlt.")
    services.reject(project, by=editor, reason="Doppelt.")
    project.refresh_from_db()
    assert project.status == S.REJECTED
    assert [m.to for m in mail.outbox] == [["p@example.org"], ["p@example.org"]]
    assert "Reason: Budget fehlt." in mail.outbox[0].body
    assert "Reason: Doppelt." in mail.outbox[1].body
    assert [(e.label, e.reason) for e in timeline(project) if e.is_decision] == [
        ("Rejected", "Doppelt."),
        ("Changes requested", "Budget fehlt."),
    ]


@pytest.mark.django_db
def test_archive_restore_pilot(editor):
    project = pilot(S.PUBLISHED)
    with pytest.raises(ModerationError):
        services.restore(project, by=editor)
    services.archive(project, by=editor)
    project.refresh_from_db()
    assert project.status == S.ARCHIVED
    with pytest.raises(ModerationError):
        services.archive(project, by=editor)
    services.restore(project, by=editor)
    project.refresh_from_db()
    assert (project.status, project.archived_at) == (S.PUBLISHED, None)


@pytest.mark.django_db
def test_bulk_publish_100_pilots_in_fixed_queries(editor, django_assert_num_queries):
    projects = [pilot(S.DRAFT) for _ in range(100)]
    history = apps.get_model("pilots", "PilotProjectEvent")
    before = history.objects.count()
    editor = type(editor).objects.get(pk=editor.pk)
    with django_assert_num_queries(6):
        published, refused = services.publish_many(projects, by=editor)
    assert (len(published), refused) == (100, [])
    assert PilotProject.objects.filter(status=S.PUBLISHED).count() == 100
    assert history.objects.count() - before == 100


@pytest.mark.django_db
def test_verify_reference(editor, junior_editor):
    member = UserFactory(email="member@example.org")
    solution = SolutionFactory(title="Parkraum")
    VendorMembershipFactory(vendor=solution.vendor, user=member, role=VendorMembership.Role.EDITOR)
    reference = ReferenceFactory(solution=solution, is_verified=False)
    with pytest.raises(ModerationError):
        services.verify_reference(reference, by=junior_editor)
    services.verify_reference(reference, by=editor)
    reference.refresh_from_db()
    assert (reference.is_verified, reference.verified_by) == (True, editor)
    assert reference.verified_at is not None
    assert mail.outbox[0].to == ["member@example.org"]
    assert mail.outbox[0].subject == "Reference verified: Parkraum"
    assert [e.label for e in timeline(reference) if e.is_decision] == ["Verified"]
    with pytest.raises(ModerationError):
        services.verify_reference(reference, by=editor)


@pytest.mark.django_db
def test_bulk_update_outside_services_is_recorded():
    project = pilot(S.DRAFT)
    PilotProject.objects.filter(pk=project.pk).update(title="Neuer Titel")
    newest = timeline(project)[0]
    assert newest.label == "Changed"
    assert [(c.label, c.old, c.new) for c in newest.changes] == [("title", "Smarte Laternen", "Neuer Titel")]

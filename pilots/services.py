"""Editorial write operations on pilot projects and references. Each docstring lists every side effect.

Pilot projects are written by the editors themselves (there is no vendor who submits them), so a
draft may be published directly; the other rules follow the listings' moderation in
solutions.services: every step checks the editor's permission and the state, raises ModerationError
with the reason when refused, and records the editor, the action and the reason in the history.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.choices import EditorialStatus
from marketplace.history import decision
from pilots.models import PilotProject, Reference, ReferenceProposal
from solutions.services import ModerationError, _mail, _member_emails, require_permission, require_reason

PUBLISH_PERMISSION = "pilots.publish_pilotproject"
CHANGE_PERMISSION = "pilots.change_pilotproject"
VERIFY_REFERENCE_PERMISSION = "pilots.verify_reference"

PUBLISHABLE = {EditorialStatus.DRAFT, EditorialStatus.SUBMITTED, EditorialStatus.CHANGES_REQUESTED}


def publish_problem(pilot: PilotProject) -> str | None:
    """Why `pilot` cannot be published now, or None when it can."""
    if pilot.status in PUBLISHABLE:
        return None
    messages = {
        EditorialStatus.PUBLISHED: _("“%(title)s” is already published."),
        EditorialStatus.REJECTED: _("“%(title)s” was rejected; restore it as a draft first."),
        EditorialStatus.ARCHIVED: _("“%(title)s” is archived; restore it to publish it again."),
    }
    return messages[pilot.status] % {"title": pilot.title}


def _decide(pilot: PilotProject, *, by, action: str, reason: str = "", **values) -> PilotProject:
    for name, value in values.items():
        setattr(pilot, name, value)
    with transaction.atomic(), decision(by=by, action=action, reason=reason):
        pilot.save(update_fields=[*values, "updated_at"])
    return pilot


def _refuse_unless(pilot: PilotProject, allowed: set, message: str) -> None:
    if pilot.status not in allowed:
        raise ModerationError(message % {"title": pilot.title, "status": pilot.get_status_display()})


def publish(pilot: PilotProject, *, by) -> PilotProject:
    """Publish a pilot project profile.

    Refused for published, rejected and archived profiles. Side effects: status published,
    published_at now, archived_at and status_reason cleared; one history row (action "publish").
    """
    require_permission(by, PUBLISH_PERMISSION)
    if problem := publish_problem(pilot):
        raise ModerationError(problem)
    return _decide(
        pilot,
        by=by,
        action="publish",
        status=EditorialStatus.PUBLISHED,
        published_at=timezone.now(),
        archived_at=None,
        status_reason="",
    )


def publish_many(pilots, *, by) -> tuple[list[PilotProject], list[tuple[PilotProject, str]]]:
    """Publish many profiles in a fixed number of queries; returns (published, refused with reason).

    Side effects: one UPDATE (the triggers write one history row per profile, action "publish").
    """
    require_permission(by, PUBLISH_PERMISSION)
    with transaction.atomic():
        rows = list(
            PilotProject.objects.select_for_update().filter(pk__in=[p.pk for p in pilots]).order_by("pk")
        )
        refused = [(row, problem) for row in rows if (problem := publish_problem(row))]
        refused_pks = {row.pk for row, _problem in refused}
        published = [row for row in rows if row.pk not in refused_pks]
        if published:
            now = timezone.now()
            with decision(by=by, action="publish"):
                PilotProject.objects.filter(pk__in=[row.pk for row in published]).update(
                    status=EditorialStatus.PUBLISHED,
                    published_at=now,
                    archived_at=None,
                    status_reason="",
                    updated_at=now,
                )
            for row in published:
                row.status, row.published_at, row.archived_at, row.status_reason = (
                    EditorialStatus.PUBLISHED,
                    now,
                    None,
                    "",
                )
    return published, refused


def request_changes(pilot: PilotProject, *, by, reason: str) -> PilotProject:
    """Mark a profile as needing changes before publication.

    Refused without a reason or unless draft or submitted. Side effects: status changes_requested,
    status_reason; one history row (action "request_changes" with the reason); an e-mail with the
    reason to the project's contact address, if any.
    """
    require_permission(by, CHANGE_PERMISSION)
    reason = require_reason(reason)
    _refuse_unless(
        pilot,
        {EditorialStatus.DRAFT, EditorialStatus.SUBMITTED},
        _("Changes can only be requested before publication; “%(title)s” is %(status)s."),
    )
    _decide(
        pilot,
        by=by,
        action="request_changes",
        reason=reason,
        status=EditorialStatus.CHANGES_REQUESTED,
        status_reason=reason,
    )
    _mail(
        to=[pilot.contact_email],
        template="emails/pilot_decision.txt",
        context={"pilot": pilot, "reason": reason, "action": "request_changes"},
    )
    return pilot


def reject(pilot: PilotProject, *, by, reason: str) -> PilotProject:
    """Reject a profile that is not published.

    Refused without a reason or unless draft, submitted or waiting for changes. Side effects: status
    rejected, status_reason; one history row (action "reject"); an e-mail to the contact address.
    """
    require_permission(by, PUBLISH_PERMISSION)
    reason = require_reason(reason)
    _refuse_unless(
        pilot, PUBLISHABLE, _("Only unpublished profiles can be rejected; “%(title)s” is %(status)s.")
    )
    _decide(
        pilot, by=by, action="reject", reason=reason, status=EditorialStatus.REJECTED, status_reason=reason
    )
    _mail(
        to=[pilot.contact_email],
        template="emails/pilot_decision.txt",
        context={"pilot": pilot, "reason": reason, "action": "reject"},
    )
    return pilot


def archive(pilot: PilotProject, *, by, reason: str = "") -> PilotProject:
    """Take a published profile off the public pages.

    Refused unless published. Side effects: status archived, archived_at now, status_reason; one
    history row (action "archive").
    """
    require_permission(by, PUBLISH_PERMISSION)
    _refuse_unless(
        pilot,
        {EditorialStatus.PUBLISHED},
        _("Only published profiles can be archived; “%(title)s” is %(status)s."),
    )
    return _decide(
        pilot,
        by=by,
        action="archive",
        reason=reason,
        status=EditorialStatus.ARCHIVED,
        archived_at=timezone.now(),
        status_reason=(reason or "").strip(),
    )


def restore(pilot: PilotProject, *, by) -> PilotProject:
    """Undo an archiving (back to published) or a rejection (back to draft).

    Refused in any other state. Side effects: status, archived_at and status_reason cleared; one
    history row (action "restore").
    """
    require_permission(by, PUBLISH_PERMISSION)
    _refuse_unless(
        pilot,
        {EditorialStatus.ARCHIVED, EditorialStatus.REJECTED},
        _("Only archived or rejected profiles can be restored; “%(title)s” is %(status)s."),
    )
    target = EditorialStatus.PUBLISHED if pilot.status == EditorialStatus.ARCHIVED else EditorialStatus.DRAFT
    return _decide(pilot, by=by, action="restore", status=target, archived_at=None, status_reason="")


def verify_reference(reference: Reference, *, by) -> Reference:
    """Confirm that the municipality really uses the solution.

    Refused when already verified. Side effects: is_verified, verified_at now, verified_by; one
    history row (action "verify"); an e-mail to the members of the solution's organisation.
    """
    require_permission(by, VERIFY_REFERENCE_PERMISSION)
    if reference.is_verified:
        raise ModerationError(_("This reference is already verified."))
    reference.is_verified = True
    reference.verified_at = timezone.now()
    reference.verified_by = by
    with transaction.atomic(), decision(by=by, action="verify"):
        reference.save(update_fields=["is_verified", "verified_at", "verified_by", "updated_at"])
    _mail(
        to=_member_emails(reference.solution.vendor),
        template="emails/reference_verified.txt",
        context={"reference": reference},
    )
    return reference


def accept_reference_proposal(proposal: ReferenceProposal, *, by) -> Reference:
    """Accept a reference a vendor proposed: it becomes a public, not yet verified Reference.

    Refused when already decided or when the municipality is already a reference of the solution.
    Side effects: a Reference row (is_verified False; verify it separately after asking the
    municipality); proposal status accepted, decided_by, decided_at, reference; one history row of the
    new Reference (action "accept_proposal"); an e-mail to the members of the solution's organisation.
    """
    require_permission(by, VERIFY_REFERENCE_PERMISSION)
    if proposal.status != ReferenceProposal.Status.PENDING:
        raise ModerationError(_("This proposal has already been decided."))
    if Reference.objects.filter(solution=proposal.solution, municipality=proposal.municipality).exists():
        raise ModerationError(
            _("%(municipality)s is already a reference of “%(title)s”.")
            % {"municipality": proposal.municipality.name, "title": proposal.solution.title}
        )
    with transaction.atomic(), decision(by=by, action="accept_proposal"):
        reference = Reference.objects.create(
            solution=proposal.solution,
            municipality=proposal.municipality,
            since_year=proposal.since_year,
            statement=proposal.statement,
            contact_name=proposal.contact_name,
            contact_email=proposal.contact_email,
        )
        proposal.status = ReferenceProposal.Status.ACCEPTED
        proposal.decided_by, proposal.decided_at, proposal.reference = by, timezone.now(), reference
        proposal.save(update_fields=["status", "decided_by", "decided_at", "reference"])
    _mail(
        to=_member_emails(proposal.solution.vendor),
        template="emails/reference_proposal_decided.txt",
        context={"proposal": proposal, "accepted": True},
    )
    return reference


def decline_reference_proposal(proposal: ReferenceProposal, *, by, reason: str) -> ReferenceProposal:
    """Decline a reference a vendor proposed; nothing becomes public.

    Refused without a reason or when already decided. Side effects: proposal status declined,
    decided_by, decided_at, decision_reason; an e-mail with the reason to the organisation's members.
    """
    require_permission(by, VERIFY_REFERENCE_PERMISSION)
    reason = require_reason(reason)
    if proposal.status != ReferenceProposal.Status.PENDING:
        raise ModerationError(_("This proposal has already been decided."))
    proposal.status = ReferenceProposal.Status.DECLINED
    proposal.decided_by, proposal.decided_at, proposal.decision_reason = by, timezone.now(), reason
    proposal.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    _mail(
        to=_member_emails(proposal.solution.vendor),
        template="emails/reference_proposal_decided.txt",
        context={"proposal": proposal, "accepted": False, "reason": reason},
    )
    return proposal

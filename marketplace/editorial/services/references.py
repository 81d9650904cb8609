"""The editors' decisions on references (a municipality uses a solution): verifying them, and accepting or
declining the ones vendors propose."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.editorial.history import decision
from marketplace.editorial.services.rules import (
    ModerationError,
    require_permission,
    require_reason,
    save_decision,
)
from marketplace.mail import addresses, queue_mail
from pilots.contact.services import ask_for_contact_consent
from pilots.models import Reference, ReferenceProposal

VERIFY_REFERENCE_PERMISSION = "pilots.verify_reference"


def verify_reference(reference: Reference, *, by) -> Reference:
    """Confirm that the municipality really uses the solution.

    Refused without the verify permission or when already verified. Side effects: is_verified,
    verified_at now, verified_by; one history row (action "verify"); an e-mail to the members of the
    solution's organisation; when the reference names a contact e-mail, an e-mail asking that person
    whether other municipalities may contact them (pilots.contact.services.ask_for_contact_consent).
    """
    require_permission(by, VERIFY_REFERENCE_PERMISSION)
    if reference.is_verified:
        raise ModerationError(_("This reference is already verified."))
    save_decision(
        reference, by=by, action="verify", is_verified=True, verified_at=timezone.now(), verified_by=by
    )
    queue_mail(
        to=addresses(reference.solution.vendor.members),
        template="emails/reference_verified.txt",
        context={"reference": reference},
    )
    ask_for_contact_consent(reference)
    return reference


def _decide_proposal(proposal: ReferenceProposal, *, by, status, reason: str = "", reference=None) -> None:
    proposal.status, proposal.decided_by, proposal.decided_at = status, by, timezone.now()
    proposal.decision_reason, proposal.reference = reason, reference
    proposal.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "reference"])


def _tell_proposer(proposal: ReferenceProposal, *, reason: str = "") -> None:
    """Tell the members of the solution's organisation what the editors decided on their proposal."""
    queue_mail(
        to=addresses(proposal.solution.vendor.members),
        template="emails/reference_proposal_decided.txt",
        context={
            "proposal": proposal,
            "accepted": proposal.status == ReferenceProposal.Status.ACCEPTED,
            "reason": reason,
        },
    )


def _refuse_unless_pending(proposal: ReferenceProposal) -> None:
    if proposal.status != ReferenceProposal.Status.PENDING:
        raise ModerationError(_("This proposal has already been decided."))


def accept_reference_proposal(proposal: ReferenceProposal, *, by) -> Reference:
    """Accept a reference a vendor proposed: it becomes a public, not yet verified Reference.

    Refused without the verify permission, when already decided or when the municipality is already a
    reference of the solution. Side effects: a Reference row (is_verified False; verify it separately
    after asking the municipality); proposal status accepted, decided_by, decided_at, reference; one
    history row of the new Reference (action "accept_proposal"); an e-mail to the members of the
    solution's organisation.
    """
    require_permission(by, VERIFY_REFERENCE_PERMISSION)
    _refuse_unless_pending(proposal)
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
        _decide_proposal(proposal, by=by, status=ReferenceProposal.Status.ACCEPTED, reference=reference)
    _tell_proposer(proposal)
    return reference


def decline_reference_proposal(proposal: ReferenceProposal, *, by, reason: str) -> ReferenceProposal:
    """Decline a reference a vendor proposed; nothing becomes public.

    Refused without the verify permission, a reason, or when already decided. Side effects: proposal
    status declined, decided_by, decided_at, decision_reason; an e-mail with the reason to the members of
    the solution's organisation.
    """
    require_permission(by, VERIFY_REFERENCE_PERMISSION)
    reason = require_reason(reason)
    _refuse_unless_pending(proposal)
    _decide_proposal(proposal, by=by, status=ReferenceProposal.Status.DECLINED, reason=reason)
    _tell_proposer(proposal, reason=reason)
    return proposal

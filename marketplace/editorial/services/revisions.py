"""The editors' decisions on what vendors change after publication: pending revisions of a listing and
documents added to it."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.editorial.history import decision
from marketplace.editorial.services.rules import ModerationError, require_permission, require_reason
from marketplace.editorial.services.workflows import SOLUTIONS
from marketplace.mail import addresses, queue_mail
from solutions.models import Solution, SolutionDocument, SolutionRevision


def _refuse_unless_pending(revision: SolutionRevision) -> None:
    if revision.status != SolutionRevision.Status.PENDING:
        raise ModerationError(_("This revision has already been decided."))


def _decided(revision: SolutionRevision, status, *, by) -> None:
    revision.status = status
    revision.decided_by = by
    revision.decided_at = timezone.now()
    revision.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])


def accept_revision(revision: SolutionRevision, *, by) -> Solution:
    """Accept a pending revision: its values become the published listing (no permission check; the
    admin calls `accept_pending_revision`).

    Refused when the revision is already decided. Side effects: the Solution's fields and M2M rows,
    revision status/decided_by/decided_at, an e-mail to the organisation's members.
    """
    _refuse_unless_pending(revision)
    solution = revision.solution
    m2m = {field.name for field in Solution._meta.many_to_many}
    with transaction.atomic():
        for name, value in revision.data.items():
            if name not in m2m:
                setattr(solution, name, value)
        solution.save()
        for name in m2m & revision.data.keys():
            getattr(solution, name).set(revision.data[name])
        _decided(revision, SolutionRevision.Status.ACCEPTED, by=by)
    queue_mail(
        to=addresses(solution.vendor.members),
        template="emails/revision_accepted.txt",
        context={"solution": solution},
    )
    return solution


def discard_revision(revision: SolutionRevision, *, by, reason: str = "") -> SolutionRevision:
    """Discard a pending revision; the published listing stays as it is (no permission check; the admin
    calls `discard_pending_revision`).

    Refused when the revision is already decided. Side effects: revision status/decided_by/decided_at;
    an e-mail with the reason to the organisation's members.
    """
    _refuse_unless_pending(revision)
    _decided(revision, SolutionRevision.Status.DISCARDED, by=by)
    queue_mail(
        to=addresses(revision.solution.vendor.members),
        template="emails/revision_discarded.txt",
        context={"solution": revision.solution, "reason": reason},
    )
    return revision


def accept_pending_revision(revision: SolutionRevision, *, by) -> Solution:
    """`accept_revision` for the admin: checks the publish permission and records the decision.

    Side effects: those of `accept_revision`; the history row of the listing carries action
    "accept_revision".
    """
    require_permission(by, SOLUTIONS.publish_permission)
    with transaction.atomic(), decision(by=by, action="accept_revision"):
        return accept_revision(revision, by=by)


def discard_pending_revision(revision: SolutionRevision, *, by, reason: str) -> SolutionRevision:
    """`discard_revision` for the admin: a reason is required and the decision is recorded.

    Side effects: those of `discard_revision`; the listing itself is unchanged, so no history row.
    """
    require_permission(by, SOLUTIONS.publish_permission)
    return discard_revision(revision, by=by, reason=require_reason(reason))


def accept_documents(documents, *, by) -> int:
    """An editor accepts documents added to listings that are already public; returns how many.

    Side effects: accepted_at now and accepted_by on the pending ones (accepted ones stay as they are).
    """
    require_permission(by, SOLUTIONS.publish_permission)
    pks = [document.pk for document in documents]
    return SolutionDocument.objects.filter(pk__in=pks, accepted_at__isnull=True).update(
        accepted_at=timezone.now(), accepted_by=by
    )

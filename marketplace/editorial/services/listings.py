"""The moderation steps of every listing model with an editorial status, written once.

Editors move solutions and pilot projects through the editorial states with these functions; what differs
between the models (permissions, allowed states, refusal texts, who is told) is the model's `Workflow`
(workflows.py). Every step checks the editor's permission and the current state, raises ModerationError with
the reason when it is not allowed, writes the change inside a history context carrying the editor, the
action and the reason (so the history rows written by the database triggers say who and why), and then
tells whom the workflow names.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from marketplace.catalog.warm import after_public_change
from marketplace.choices import EditorialStatus as S
from marketplace.editorial.history import decision
from marketplace.editorial.services.rules import (
    ModerationError,
    require_permission,
    require_reason,
    save_decision,
)
from marketplace.editorial.services.workflows import Workflow, workflow_for
from marketplace.mail import queue_mails

# Why a listing cannot be published in a state its workflow does not publish from.
PUBLISH_REFUSALS = {
    S.PUBLISHED: gettext_lazy("“%(title)s” is already published."),
    S.DRAFT: gettext_lazy("“%(title)s” is a draft that was never submitted for review."),
    S.REJECTED: gettext_lazy("“%(title)s” was rejected; restore it as a draft first."),
    S.ARCHIVED: gettext_lazy("“%(title)s” is archived; restore it to publish it again."),
}


def tell(workflow: Workflow, step: str, rows: list, reason: str = "", **extra) -> None:
    """Queue the mails the workflow sends after `step` on `rows` (all in one task; none if it sends none).

    `extra` joins each mail's context (e.g. the fields a change request concerns).
    """
    template = workflow.notices.get(step)
    if template and rows:
        queue_mails(
            {"to": to, "template": template, "context": {**workflow.context(about, step, reason), **extra}}
            for to, about in workflow.audience(rows)
        )


def _answered(workflow: Workflow) -> dict:
    """The values that close the editors' last change request (any decision but a new request does)."""
    return {workflow.requested_fields: []} if workflow.requested_fields else {}


def listing_version(obj) -> str:
    """A token that changes whenever the listing is saved (for "publish what I reviewed")."""
    return obj.updated_at.isoformat() if obj.updated_at else ""


def publish_refusal(obj) -> ModerationError | None:
    """Why the listing `obj` cannot be published now, with the step that resolves it; None when it can."""
    workflow = workflow_for(obj)
    if obj.status not in workflow.allowed("publish"):
        return ModerationError(PUBLISH_REFUSALS[obj.status] % {"title": obj.title})
    if problem := workflow.owner_problem(obj, "publish"):
        return ModerationError(problem, step=workflow.owner_step)
    return None


def publish_problem(obj) -> str | None:
    """Why the listing `obj` cannot be published now, or None when it can."""
    refusal = publish_refusal(obj)
    return refusal.problems[0] if refusal else None


def _refuse_unless(workflow: Workflow, obj, step: str) -> None:
    if obj.status not in workflow.allowed(step):
        raise ModerationError(
            workflow.refusals[step] % {"title": obj.title, "status": obj.get_status_display()}
        )


def changed_meanwhile(obj) -> ModerationError:
    """The refusal of a decision on a listing that changed after the editor's page showed it."""
    return ModerationError(
        _("“%(title)s” was changed while you reviewed it; please review it again.") % {"title": obj.title},
        step="review_again",
    )


def publish(obj, *, by, seen_version: str | None = None):
    """Publish a listing: a submitted solution (or one with requested changes that the editor completed),
    a pilot project profile that is not yet public (drafts included).

    Refused without the workflow's publish permission; for states the workflow does not publish from
    (`publish_problem`), for listings of unverified organisations, and when `seen_version` (the version
    the editor reviewed, see `listing_version`) no longer matches: then the vendor changed it meanwhile.
    Each refusal names the step that resolves it (ModerationError.step).
    Side effects: status published, published_at now, archived_at, status_reason and the fields of the
    last change request cleared; one history row (action "publish"); for a solution its documents
    accepted and an e-mail to the organisation's members.
    """
    workflow = workflow_for(obj)
    require_permission(by, workflow.permission("publish"))
    if refusal := publish_refusal(obj):
        raise refusal
    now = timezone.now()
    with transaction.atomic():
        if seen_version is not None:
            current = type(obj).objects.select_for_update().filter(pk=obj.pk).first()
            if current is None or listing_version(current) != seen_version:
                raise changed_meanwhile(obj)
        save_decision(
            obj,
            by=by,
            action="publish",
            status=S.PUBLISHED,
            published_at=now,
            archived_at=None,
            status_reason="",
            **_answered(workflow),
        )
        workflow.on_publish([obj.pk], by=by, now=now)
    tell(workflow, "publish", [obj])
    return obj


def publish_many(objs, *, by) -> tuple[list, list[tuple[object, str]]]:
    """Publish many listings of one model at once in a fixed number of queries (whatever their number).

    Each listing follows the rules of `publish`; those refused are returned with the reason and stay as
    they are. Side effects: one UPDATE of the publishable rows (the triggers write one history row each,
    action "publish"); for solutions one UPDATE accepting their documents and one queued task sending one
    e-mail per organisation; the catalogs' indexes are rebuilt after the commit (an UPDATE sends no
    signal, so it is asked for here). Returns (published, refused).
    """
    objs = list(objs)
    if not objs:
        return [], []
    workflow = workflow_for(objs[0])
    require_permission(by, workflow.permission("publish"))
    model = workflow.model
    with transaction.atomic():
        locked = model.objects.select_for_update(of=("self",)).filter(pk__in=[obj.pk for obj in objs])
        if workflow.related:
            locked = locked.select_related(*workflow.related)
        rows = list(locked.order_by("pk"))
        refused = [(row, problem) for row in rows if (problem := publish_problem(row))]
        refused_pks = {row.pk for row, _problem in refused}
        published = [row for row in rows if row.pk not in refused_pks]
        if published:
            now = timezone.now()
            values = {
                "status": S.PUBLISHED,
                "published_at": now,
                "archived_at": None,
                "status_reason": "",
                **_answered(workflow),
            }
            with decision(by=by, action="publish"):
                model.objects.filter(pk__in=[row.pk for row in published]).update(**values, updated_at=now)
            after_public_change()
            workflow.on_publish([row.pk for row in published], by=by, now=now)
            for row in published:
                for name, value in values.items():
                    setattr(row, name, value)
    tell(workflow, "publish", published)
    return published, refused


def _send_back(obj, step: str, *, by, reason: str, status, fields=None):
    """Request changes or reject: the listing goes back to its author with the editor's reason (and for a
    change request the fields it concerns, `fields`)."""
    workflow = workflow_for(obj)
    require_permission(by, workflow.permission(step))
    reason = require_reason(reason)
    _refuse_unless(workflow, obj, step)
    keeps_fields = workflow.requested_fields and fields is not None
    concerned = {workflow.requested_fields: fields} if keeps_fields else {}
    save_decision(
        obj,
        by=by,
        action=step,
        reason=reason,
        status=status,
        status_reason=reason,
        **(concerned or _answered(workflow)),
    )
    labels = [str(obj._meta.get_field(name).verbose_name) for name in fields or []]
    tell(workflow, step, [obj], reason, fields=labels)
    return obj


def requestable_fields(obj) -> list[str]:
    """The names of `obj`'s fields a change request may point at (every editable field but the editorial
    ones)."""
    editorial = {"status", "status_reason", "featured", "is_demo", "slug", "vendor"}
    return [
        field.name
        for field in [*obj._meta.concrete_fields, *obj._meta.many_to_many]
        if field.editable and not field.primary_key and field.name not in editorial
    ]


def request_changes(obj, *, by, reason: str, fields=()):
    """Send a listing back with what to change before it is published (solutions: when submitted; pilot
    projects: when draft or submitted). `fields` names the fields the request concerns (optional).

    Refused without the change permission, without a reason, for a field name the listing does not have
    (`requestable_fields`) or in another state. Side effects: status changes_requested, status_reason
    (shown on the vendor's dashboard) and, where the model keeps them (solutions), the fields concerned
    (the vendor's form points at them); one history row (action "request_changes" with the reason); an
    e-mail with the reason and the fields to the organisation's members (solutions) or the project's
    contact address (pilot projects).
    """
    allowed = requestable_fields(obj)
    if unknown := [name for name in fields if name not in allowed]:
        raise ModerationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(unknown)})
    concerned = [name for name in allowed if name in set(fields)]
    return _send_back(
        obj, "request_changes", by=by, reason=reason, status=S.CHANGES_REQUESTED, fields=concerned
    )


def reject(obj, *, by, reason: str):
    """Reject a listing for good (solutions: when submitted or waiting for changes; pilot projects: when
    not published).

    Refused without the publish permission, without a reason or in another state. Side effects: status
    rejected, status_reason; one history row (action "reject" with the reason); an e-mail with the reason
    to the organisation's members (solutions) or the project's contact address (pilot projects).
    """
    return _send_back(obj, "reject", by=by, reason=reason, status=S.REJECTED)


def archive(obj, *, by, reason: str = ""):
    """Take a published listing off the public pages.

    Refused without the publish permission or unless published. Side effects: status archived,
    archived_at now, status_reason; one history row (action "archive"); for a solution an e-mail to the
    organisation's members.
    """
    workflow = workflow_for(obj)
    require_permission(by, workflow.permission("archive"))
    _refuse_unless(workflow, obj, "archive")
    reason = (reason or "").strip()
    save_decision(
        obj,
        by=by,
        action="archive",
        reason=reason,
        status=S.ARCHIVED,
        archived_at=timezone.now(),
        status_reason=reason,
    )
    tell(workflow, "archive", [obj], reason)
    return obj


def restore(obj, *, by):
    """Undo an archiving (back to published) or a rejection (back to a draft the author can rework).

    Refused without the publish permission, in any other state, and for an archived solution of an
    organisation that is no longer verified. Side effects: status, archived_at and status_reason cleared;
    one history row (action "restore"). No e-mail: restoring only undoes an earlier decision the author
    was told of.
    """
    workflow = workflow_for(obj)
    require_permission(by, workflow.permission("restore"))
    _refuse_unless(workflow, obj, "restore")
    if obj.status == S.ARCHIVED:
        if problem := workflow.owner_problem(obj, "restore"):
            raise ModerationError(problem, step=workflow.owner_step)
        target = S.PUBLISHED
    else:
        target = S.DRAFT
    return save_decision(obj, by=by, action="restore", status=target, archived_at=None, status_reason="")

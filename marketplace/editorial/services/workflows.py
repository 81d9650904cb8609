"""How each listing model moves through the editorial states: one `Workflow` per model.

The steps (publish, request changes, reject, archive, restore) are written once in `listings.py`; what
differs between solutions and pilot projects is described here as data:

- who may decide (the model's publish and change permissions),
- from which states a listing may be published, sent back for changes or rejected (pilot projects are
  written by the editors themselves, so their drafts may be published directly; a vendor's listing must
  have been submitted),
- the words of the refusals,
- who is told, with which mail (a listing's organisation by e-mail to its members; a pilot project's
  contact address, only when changes are requested or it is rejected),
- what else keeps an entry off the public pages (a listing of an unverified organisation),
- what becomes public with it (a listing's documents the editor reviewed with it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from marketplace.choices import EditorialStatus as S
from pilots.models import PilotProject
from solutions.models import Solution, SolutionDocument, VendorMembership

# Every listing model is archived from published and restored from archived (to published) or rejected
# (to a draft its author can rework).
ARCHIVABLE = frozenset({S.PUBLISHED})
RESTORABLE = frozenset({S.ARCHIVED, S.REJECTED})


def _nobody(rows) -> list:
    return []


def _no_problem(obj, step: str) -> None:
    return None


def _nothing_more(pks, *, by, now) -> None:
    return None


@dataclass(frozen=True)
class Workflow:
    """What differs between listing models in the one editorial workflow."""

    model: type
    publish_permission: str
    change_permission: str
    # The states each step may start from (archive: published; restore: archived or rejected, for all).
    publishable: frozenset
    changes_requestable: frozenset
    rejectable: frozenset
    # Why "request_changes", "reject", "archive" or "restore" is refused (%(title)s, %(status)s).
    refusals: Mapping[str, str]
    # The mail template of each step that tells someone; steps not named tell no one.
    notices: Mapping[str, str] = field(default_factory=dict)
    # Who is told about `rows`: [(addresses, the rows that one mail is about), …], in one query at most.
    audience: Callable[[list], list[tuple[list[str], list]]] = _nobody
    # The template context of one mail: (rows, step, reason) -> dict (a step's own values are added).
    context: Callable[[list, str, str], dict] = lambda rows, step, reason: {}
    # A reason outside the editorial state that keeps `obj` off the public pages, for "publish" and for
    # "restore" of an archived entry; None when there is none. `owner_step` resolves it
    # (ModerationError.step).
    owner_problem: Callable[[object, str], str | None] = _no_problem
    owner_step: str = ""
    # The field that keeps which fields a change request concerns (the author's form points at them until
    # the listing is submitted again); "" when the model has none.
    requested_fields: str = ""
    # Runs in the transaction that publishes the rows with these pks.
    on_publish: Callable[..., None] = _nothing_more
    # What publishing many rows loads with them (for `owner_problem` and `audience`).
    related: tuple[str, ...] = ()

    def permission(self, step: str) -> str:
        """The permission a step needs: asking for changes is part of editing, the rest of publishing."""
        return self.change_permission if step == "request_changes" else self.publish_permission

    def allowed(self, step: str) -> frozenset:
        """The states `step` may start from."""
        return {
            "publish": self.publishable,
            "request_changes": self.changes_requestable,
            "reject": self.rejectable,
            "archive": ARCHIVABLE,
            "restore": RESTORABLE,
        }[step]


# ---------- Solutions (listings of vendors) ----------


def _vendor_members(solutions) -> list[tuple[list[str], list]]:
    """One mail per organisation, to its members, about its listings among `solutions` (one query)."""
    emails: dict[int, list[str]] = {}
    for vendor_id, email in (
        VendorMembership.objects.filter(vendor_id__in={s.vendor_id for s in solutions})
        .order_by("pk")
        .values_list("vendor_id", "user__email")
    ):
        if email:
            emails.setdefault(vendor_id, []).append(email)
    return [(to, [s for s in solutions if s.vendor_id == vendor_id]) for vendor_id, to in emails.items()]


def _unverified_vendor(solution, step: str) -> str | None:
    if solution.vendor.is_verified:
        return None
    texts = {
        "publish": _(
            "The organisation “%(vendor)s” is not verified yet; verify it before publishing its listings."
        ),
        "restore": _(
            "The organisation “%(vendor)s” is not verified; verify it before restoring its listings."
        ),
    }
    return texts[step] % {"vendor": solution.vendor.name}


def _accept_documents(pks, *, by, now) -> None:
    """The documents an editor saw with the listings being published become public with them."""
    SolutionDocument.objects.filter(solution_id__in=pks, accepted_at__isnull=True).update(
        accepted_at=now, accepted_by=by
    )


SOLUTIONS = Workflow(
    model=Solution,
    publish_permission="solutions.publish_solution",
    change_permission="solutions.change_solution",
    publishable=frozenset({S.SUBMITTED, S.CHANGES_REQUESTED}),
    changes_requestable=frozenset({S.SUBMITTED}),
    rejectable=frozenset({S.SUBMITTED, S.CHANGES_REQUESTED}),
    refusals={
        "request_changes": _(
            "Changes can only be requested for submitted listings; “%(title)s” is %(status)s."
        ),
        "reject": _("Only submitted listings can be rejected; “%(title)s” is %(status)s."),
        "archive": _("Only published listings can be archived; “%(title)s” is %(status)s."),
        "restore": _("Only archived or rejected listings can be restored; “%(title)s” is %(status)s."),
    },
    notices={
        "publish": "emails/solution_published.txt",
        "request_changes": "emails/solution_changes_requested.txt",
        "reject": "emails/solution_rejected.txt",
        "archive": "emails/solution_archived.txt",
    },
    audience=_vendor_members,
    context=lambda rows, step, reason: {"solutions": rows, "solution": rows[0], "reason": reason},
    owner_problem=_unverified_vendor,
    owner_step="verify_vendor",
    requested_fields="changes_requested_fields",
    on_publish=_accept_documents,
    related=("vendor",),
)


# ---------- Pilot projects (profiles the editors write) ----------

PILOTS = Workflow(
    model=PilotProject,
    publish_permission="pilots.publish_pilotproject",
    change_permission="pilots.change_pilotproject",
    publishable=frozenset({S.DRAFT, S.SUBMITTED, S.CHANGES_REQUESTED}),
    changes_requestable=frozenset({S.DRAFT, S.SUBMITTED}),
    rejectable=frozenset({S.DRAFT, S.SUBMITTED, S.CHANGES_REQUESTED}),
    refusals={
        "request_changes": _("Changes can only be requested before publication; “%(title)s” is %(status)s."),
        "reject": _("Only unpublished profiles can be rejected; “%(title)s” is %(status)s."),
        "archive": _("Only published profiles can be archived; “%(title)s” is %(status)s."),
        "restore": _("Only archived or rejected profiles can be restored; “%(title)s” is %(status)s."),
    },
    notices={"request_changes": "emails/pilot_decision.txt", "reject": "emails/pilot_decision.txt"},
    audience=lambda pilots: [([pilot.contact_email], [pilot]) for pilot in pilots],
    context=lambda rows, step, reason: {"pilot": rows[0], "reason": reason, "action": step},
)


WORKFLOWS = {workflow.model: workflow for workflow in (SOLUTIONS, PILOTS)}


def workflow_for(obj_or_model) -> Workflow:
    """The workflow of a listing (or listing model); a model without one is a programming error."""
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    return WORKFLOWS[model._meta.concrete_model]

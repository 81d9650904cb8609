"""The editorial side of the change history (django-pghistory, trackers in marketplace/history.py).

`decision` attaches the editor, the moderation action and its reason to the event rows the database
triggers write; `timeline` and `changes_since_last_decision` read an object's event rows back for the
admin's history and review pages.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

import pghistory
from django.utils.translation import gettext_lazy as _


@contextmanager
def decision(*, by, action: str, reason: str = ""):
    """Attach the editor, the moderation action and its reason to every event written inside."""
    with pghistory.context(user=getattr(by, "pk", None), action=action, reason=reason):
        yield


# Fields that change with every save and would only add noise to a timeline.
_NOISE = {"updated_at"}
# What a decision itself changes; "what changed since the last decision" is about the vendor's edits.
_DECIDED = {"status", "status_reason", "submitted_at", "published_at", "archived_at"}

ACTION_LABELS = {
    "publish": _("Published"),
    "request_changes": _("Changes requested"),
    "reject": _("Rejected"),
    "archive": _("Archived"),
    "restore": _("Restored"),
    "verify": _("Verified"),
    "accept_revision": _("Pending changes accepted"),
}
EVENT_LABELS = {"insert": _("Created"), "update": _("Changed"), "delete": _("Deleted")}


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class Entry:
    """One line of an object's history: when, who, what kind of step, why, and the changed fields."""

    at: object
    label: str
    user: object
    reason: str
    url: str
    changes: list[Change]
    is_decision: bool


def _display(field, value) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    choices = dict(field.flatchoices) if field.choices else {}
    base = getattr(field, "base_field", None)
    if base is not None and base.choices and isinstance(value, list):
        labels = dict(base.flatchoices)
        return ", ".join(str(labels.get(item, item)) for item in value) or "–"
    return str(choices.get(value, value))


def _metadata(event) -> dict:
    return (event.pgh_context.metadata if event.pgh_context is not None else None) or {}


def _compare(fields, old, new) -> list[Change]:
    """The fields whose value differs between two event snapshots, as they are displayed."""
    return [
        Change(str(field.verbose_name), _display(field, getattr(old, field.attname)), _display(field, value))
        for field in fields
        if (value := getattr(new, field.attname)) != getattr(old, field.attname)
    ]


def _tracked_fields(obj, *, leave_out=frozenset()) -> list:
    return [
        field
        for field in obj.events.model._meta.concrete_fields
        if not field.name.startswith("pgh_") and field.name not in _NOISE | {"id"} | leave_out
    ]


def timeline(obj) -> list[Entry]:
    """The history of `obj`, newest first, from its pghistory event rows (two queries).

    Each entry compares the event's snapshot with the one before, so it lists exactly what changed;
    moderation decisions are labelled with their action and carry the editor's reason.
    """
    from django.contrib.auth import get_user_model

    events = list(obj.events.select_related("pgh_context").order_by("pgh_id"))
    tracked = _tracked_fields(obj)
    user_pks = {_metadata(event).get("user") for event in events}
    users = get_user_model().objects.in_bulk([pk for pk in user_pks if pk is not None])
    entries, previous = [], None
    for event in events:
        metadata = _metadata(event)
        action = metadata.get("action", "")
        entries.append(
            Entry(
                at=event.pgh_created_at,
                label=str(ACTION_LABELS.get(action) or EVENT_LABELS.get(event.pgh_label, event.pgh_label)),
                user=users.get(metadata.get("user")),
                reason=metadata.get("reason", ""),
                url=metadata.get("url", ""),
                changes=(
                    _compare(tracked, previous, event)
                    if previous is not None and event.pgh_label == "update"
                    else []
                ),
                is_decision=bool(action),
            )
        )
        previous = event
    entries.reverse()
    return entries


def changes_since_last_decision(obj) -> tuple[Entry | None, list[Change]]:
    """The last moderation decision on `obj` and what changed since then (field, then → now).

    Lets an editor see what a vendor changed after changes were requested, side by side.
    """
    events = list(obj.events.select_related("pgh_context").order_by("pgh_id"))
    decided = [index for index, event in enumerate(events) if _metadata(event).get("action")]
    if not decided:
        return None, []
    then, now = events[decided[-1]], events[-1]
    metadata = _metadata(then)
    action = metadata.get("action", "")
    entry = Entry(
        at=then.pgh_created_at,
        label=str(ACTION_LABELS.get(action, action)),
        user=None,
        reason=metadata.get("reason", ""),
        url="",
        changes=[],
        is_decision=True,
    )
    return entry, _compare(_tracked_fields(obj, leave_out=_DECIDED), then, now)

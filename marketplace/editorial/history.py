"""The editorial side of the change history (django-pghistory, trackers in marketplace/history.py).

`decision` attaches the editor, the moderation action and its reason to the event rows the database
triggers write; `timeline` and `changes_since_last_decision` read an object's event rows back for the
admin's history and review pages, together with the rows the join tables of its many-to-many fields write
(links added and removed, marketplace/editorial/models.py).
"""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from dataclasses import dataclass
from typing import ClassVar

import pghistory
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from marketplace.editorial.models import JOIN_TABLE_EVENTS


@contextmanager
def decision(*, by, action: str, reason: str = ""):
    """Attach the editor, the moderation action and its reason to every event written inside."""
    with pghistory.context(user=getattr(by, "pk", None), action=action, reason=reason):
        yield


# Fields that change with every save and would only add noise to a timeline.
_NOISE = {"updated_at"}
# What a decision itself changes; "what changed since the last decision" is about the vendor's edits.
_DECIDED = {
    "status", "status_reason", "submitted_at", "published_at", "archived_at", "changes_requested_fields",
}  # fmt: skip
# Fields holding names of the object's own fields (shown by their labels).
_FIELD_NAMES = {"changes_requested_fields"}

ACTION_LABELS = {
    "publish": _("Published"),
    "request_changes": _("Changes requested"),
    "reject": _("Rejected"),
    "archive": _("Archived"),
    "restore": _("Restored"),
    "verify": _("Verified"),
    "accept_revision": _("Pending changes accepted"),
    "accept_changes": _("Proposed profile changes accepted"),
    "discard_changes": _("Proposed profile changes discarded"),
}
EVENT_LABELS = {"insert": _("Created"), "update": _("Changed"), "delete": _("Deleted")}


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str
    is_set: ClassVar[bool] = False


@dataclass(frozen=True)
class SetChange:
    """Links of a many-to-many field added and removed in one step ("Fields of action: +A, −B")."""

    label: str
    added: tuple[str, ...]
    removed: tuple[str, ...]
    is_set: ClassVar[bool] = True

    @property
    def summary(self) -> str:
        return ", ".join([*(f"+{name}" for name in self.added), *(f"−{name}" for name in self.removed)])


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
    # Dates and times as the active language writes them ("2. Dezember 2026 14:05"), not ISO.
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, list):
        base = getattr(field, "base_field", None)
        if field.name in _FIELD_NAMES:
            tracked = field.model.pgh_tracked_model._meta
            labels = {f.name: f.verbose_name for f in [*tracked.concrete_fields, *tracked.many_to_many]}
        else:
            labels = dict(base.flatchoices) if base is not None and base.choices else {}
        return ", ".join(str(labels.get(item, item)) for item in value) or "–"
    choices = dict(field.flatchoices) if field.choices else {}
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


def _join_table_events(obj) -> list[tuple[object, list]]:
    """The event rows of `obj`'s recorded many-to-many fields, oldest first: [(field, events), …]."""
    return [
        (
            field,
            list(
                event_model.objects.filter(**{field.m2m_field_name(): obj.pk})
                .select_related("pgh_context")
                .order_by("pgh_id")
            ),
        )
        for field, event_model in JOIN_TABLE_EVENTS
        if field.model is obj._meta.concrete_model
    ]


def _names(field, pks) -> dict:
    """What the linked rows are called now; a link to a row deleted since shows its number."""
    found = field.related_model._default_manager.in_bulk(set(pks))
    return {pk: str(found[pk]) if pk in found else f"#{pk}" for pk in pks}


def _net(events, target: str) -> tuple[list, list]:
    """The links `events` (in order) added and removed in the end; a link added and removed again cancels."""
    first, last = {}, {}
    for event in events:
        pk = getattr(event, f"{target}_id")
        first.setdefault(pk, event.pgh_label)
        last[pk] = event.pgh_label
    # Present before the events when the first event removed it; present after when the last one added it.
    added = [pk for pk in last if last[pk] == "add" and first[pk] == "add"]
    removed = [pk for pk in last if last[pk] == "remove" and first[pk] == "remove"]
    return added, removed


def _step(event) -> tuple:
    """Which step wrote an event row: its context (one per request or decision) and its transaction (the
    rows' pgh_created_at is the transaction's start)."""
    return (event.pgh_context_id, event.pgh_created_at)


def _set_changes_by_step(obj) -> dict[tuple, tuple[object, list[SetChange]]]:
    """The many-to-many changes of `obj`, one group per step: {step: (its context, [SetChange per field])}."""
    groups: dict = {}
    for field, events in _join_table_events(obj):
        target = field.m2m_reverse_field_name()
        names = _names(field, [getattr(event, f"{target}_id") for event in events])
        by_step: dict = {}
        for event in events:
            by_step.setdefault(_step(event), []).append(event)
        for step, batch in by_step.items():
            added, removed = _net(batch, target)
            if added or removed:
                change = SetChange(
                    str(field.verbose_name),
                    tuple(sorted(names[pk] for pk in added)),
                    tuple(sorted(names[pk] for pk in removed)),
                )
                groups.setdefault(step, (batch[0].pgh_context, []))[1].append(change)
    return groups


def timeline(obj) -> list[Entry]:
    """The history of `obj`, newest first, from its pghistory event rows and those of its many-to-many
    fields (two queries, plus two for each recorded many-to-many field).

    Each entry compares the event's snapshot with the one before, so it lists exactly what changed;
    moderation decisions are labelled with their action and carry the editor's reason. Links added or
    removed in the same step (request or decision, and transaction) as a change of the object join that
    change's entry; on their own they are an entry of their own.
    """
    from django.contrib.auth import get_user_model

    events = list(obj.events.select_related("pgh_context").order_by("pgh_id"))
    set_changes = _set_changes_by_step(obj)
    contexts = [event.pgh_context for event in events] + [context for context, _c in set_changes.values()]
    user_pks = {(context.metadata or {}).get("user") for context in contexts if context is not None}
    users = get_user_model().objects.in_bulk([pk for pk in user_pks if pk is not None])
    tracked = _tracked_fields(obj)
    entries, previous, last_of_step = [], None, {}
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
        last_of_step[_step(event)] = entries[-1]
        previous = event
    # The last entry of each step takes the many-to-many changes of that step.
    for step, (context, changes) in set_changes.items():
        if step in last_of_step:
            last_of_step[step].changes.extend(changes)
            continue
        metadata = (context.metadata if context is not None else None) or {}
        entries.append(
            Entry(
                at=step[1],
                label=str(EVENT_LABELS["update"]),
                user=users.get(metadata.get("user")),
                reason="",
                url=metadata.get("url", ""),
                changes=changes,
                is_decision=False,
            )
        )
    # Stable: entries of the same moment keep the order the database wrote them in.
    entries.sort(key=lambda entry: entry.at)
    entries.reverse()
    return entries


def _set_changes_since(obj, then) -> list[Change]:
    """Each many-to-many field whose links changed after `then`: the links then and now, by name."""
    result = []
    for field, events in _join_table_events(obj):
        target = field.m2m_reverse_field_name()
        added, removed = _net([event for event in events if event.pgh_created_at > then], target)
        if not (added or removed):
            continue
        now = set(getattr(obj, field.name).values_list("pk", flat=True))
        before = (now - set(added)) | set(removed)
        names = _names(field, now | before)
        result.append(
            Change(
                str(field.verbose_name),
                ", ".join(sorted(names[pk] for pk in before)) or "–",
                ", ".join(sorted(names[pk] for pk in now)) or "–",
            )
        )
    return result


def changes_since_last_decision(obj) -> tuple[Entry | None, list[Change]]:
    """The last moderation decision on `obj` and what changed since then (field, then → now), its
    many-to-many fields included.

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
    return entry, [
        *_compare(_tracked_fields(obj, leave_out=_DECIDED), then, now),
        *_set_changes_since(obj, then.pgh_created_at),
    ]

"""Reading and changing the visitor's Merkliste; the signed share link.

The session holds only the list's id (SESSION_KEY). A list is created on the first add, so visiting a page
never writes anything. Every write touches ``Shortlist.updated_at``.
"""

from dataclasses import dataclass

from django.core import signing
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

from marketplace.shortlist.models import MAX_ENTRIES, Shortlist, ShortlistEntry
from pilots.models import PilotProject
from solutions.models import Solution

SESSION_KEY = "shortlist_id"
SHARE_SALT = "marketplace.shortlist.share"
KINDS = ("solution", "pilot")


class ShortlistFull(Exception):
    """The list already holds MAX_ENTRIES entries."""


def current(request) -> Shortlist | None:
    """The visitor's list, or None (without touching the session store when it has no id)."""
    shortlist_id = request.session.get(SESSION_KEY)
    if not isinstance(shortlist_id, int):
        return None
    return Shortlist.objects.filter(pk=shortlist_id).first()


def count(request) -> int:
    """How many entries the visitor's list has: no query without a list in the session."""
    shortlist_id = request.session.get(SESSION_KEY)
    if not isinstance(shortlist_id, int):
        return 0
    return ShortlistEntry.objects.filter(shortlist_id=shortlist_id).count()


def published_item(kind: str, pk: int):
    """The published solution or pilot project with this id, or None."""
    model = Solution if kind == "solution" else PilotProject
    return model.objects.published().filter(pk=pk).first()


def contains(request, kind: str, pk: int) -> bool:
    shortlist_id = request.session.get(SESSION_KEY)
    if not isinstance(shortlist_id, int):
        return False
    return ShortlistEntry.objects.filter(shortlist_id=shortlist_id, **{f"{kind}_id": pk}).exists()


@transaction.atomic
def add(request, *, kind: str, item) -> bool:
    """Put a published solution or pilot (`item`) on the visitor's list; True when it was not there yet.

    Side effects: creates the list and stores its id in the session on the first add; touches updated_at.
    Raises ShortlistFull when the list already has MAX_ENTRIES entries.
    """
    shortlist = current(request)
    if shortlist is None:
        shortlist = Shortlist.objects.create()
        request.session[SESSION_KEY] = shortlist.pk
    # Lock the list row so two quick clicks cannot both pass the cap.
    shortlist = Shortlist.objects.select_for_update().get(pk=shortlist.pk)
    entries = ShortlistEntry.objects.filter(shortlist=shortlist)
    if entries.filter(**{kind: item}).exists():
        return False
    if entries.count() >= MAX_ENTRIES:
        raise ShortlistFull
    ShortlistEntry.objects.create(shortlist=shortlist, **{kind: item})
    shortlist.save(update_fields=["updated_at"])
    return True


def remove(request, *, kind: str, pk: int) -> bool:
    """Take a solution or pilot (published or not) off the visitor's list; True when it was there.

    Side effects: touches updated_at. The list itself stays, even when empty.
    """
    shortlist = current(request)
    if shortlist is None:
        return False
    deleted, _ = ShortlistEntry.objects.filter(shortlist=shortlist, **{f"{kind}_id": pk}).delete()
    if deleted:
        shortlist.save(update_fields=["updated_at"])
    return bool(deleted)


def save_note(*, entry: ShortlistEntry, note: str) -> None:
    """Store the note of an entry (already scoped to the visitor's list). Side effects: touches updated_at."""
    entry.note = note
    entry.save(update_fields=["note"])
    entry.shortlist.save(update_fields=["updated_at"])


def entries_of(shortlist: Shortlist):
    """The list's entries in order, with what a page may show: ``is_public`` says whether the solution or
    pilot is still published; templates must show nothing else of an entry that is not."""
    return (
        ShortlistEntry.objects.filter(shortlist=shortlist)
        .select_related("solution__vendor", "pilot__lead_municipality")
        .annotate(
            solution_public=Exists(Solution.objects.published().filter(pk=OuterRef("solution_id"))),
            pilot_public=Exists(PilotProject.objects.published().filter(pk=OuterRef("pilot_id"))),
        )
    )


@dataclass
class Item:
    entry: ShortlistEntry
    kind: str
    is_public: bool

    @property
    def obj(self):
        return self.entry.solution if self.kind == "solution" else self.entry.pilot

    @property
    def item_value(self) -> str:
        return f"{self.kind}:{self.obj.pk}"


def items_of(shortlist: Shortlist) -> list[Item]:
    items = []
    for entry in entries_of(shortlist):
        kind = "solution" if entry.solution_id else "pilot"
        is_public = entry.solution_public if kind == "solution" else entry.pilot_public
        items.append(Item(entry=entry, kind=kind, is_public=is_public))
    return items


def compare_url(items: list[Item]) -> str:
    """The comparison page for the list's published solutions when there are 2-4 of them, else ""."""
    slugs = [item.obj.slug for item in items if item.kind == "solution" and item.is_public]
    if not 2 <= len(slugs) <= 4:
        return ""
    try:
        base = reverse("solutions:compare")
    except NoReverseMatch:  # the comparison page is built separately; its path is agreed
        base = reverse("solutions:list") + "vergleich/"
    return f"{base}?{urlencode([('s', slug) for slug in slugs])}"


def share_token(shortlist: Shortlist) -> str:
    return signing.Signer(salt=SHARE_SALT).sign(shortlist.token)


def from_share_token(signed: str) -> Shortlist | None:
    """The list a signed link names; None for a forged, altered or unknown one."""
    try:
        token = signing.Signer(salt=SHARE_SALT).unsign(signed)
    except signing.BadSignature:
        return None
    return Shortlist.objects.filter(token=token).first()


@transaction.atomic
def adopt(request, *, shortlist: Shortlist) -> Shortlist:
    """Make a shared list the visitor's own: the visitor's session then holds a copy of it (entries and
    notes), so the shared link stays read-only for everyone else. Returns the copy.

    Side effects: creates a list with its entries; replaces the list id in the session.
    """
    copy = Shortlist.objects.create()
    ShortlistEntry.objects.bulk_create(
        ShortlistEntry(shortlist=copy, solution_id=e.solution_id, pilot_id=e.pilot_id, note=e.note)
        for e in ShortlistEntry.objects.filter(shortlist=shortlist).order_by("added_at", "pk")[:MAX_ENTRIES]
    )
    request.session[SESSION_KEY] = copy.pk
    return copy

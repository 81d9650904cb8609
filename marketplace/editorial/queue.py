"""The editors' review queue: everything waiting for a decision, oldest first, with its age.

The queue is built from a list of section providers. Another part of the project adds its own
section (enquiries, barrier reports, broken links) with `register_section`:

    from marketplace.editorial.queue import QueueItem, Section, register_section

    @register_section
    def open_enquiries(request, *, limit):
        if not request.user.has_perm("marketplace.view_enquiry"):
            return None
        rows = Enquiry.objects.open().order_by("created_at")
        return Section(
            key="enquiries",
            title=_("Open enquiries"),
            count=rows.count(),
            items=[QueueItem(str(e), reverse(...), e.created_at) for e in rows[:limit]],
            changelist_url=reverse("admin:marketplace_enquiry_changelist"),
        )

A provider returns None when the user may not see that section. With `limit=0` only the count is
needed (the admin index shows counts); providers then skip loading the items. The sections of rows
from one query are `QuerySection`s.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.choices import EditorialStatus
from marketplace.editorial import linkcheck
from pilots.models import PilotProject, Reference, ReferenceProposal
from solutions.models import Solution, SolutionDocument, SolutionRevision, Vendor

# How many rows each section lists on the queue page; the count is always complete.
QUEUE_LIMIT = 50


@dataclass(frozen=True)
class QueueItem:
    title: str
    url: str
    since: datetime | None
    detail: str = ""

    @property
    def age_days(self) -> int | None:
        return None if self.since is None else (timezone.now() - self.since).days


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    count: int
    items: list[QueueItem] = field(default_factory=list)
    changelist_url: str = ""


Provider = Callable[..., Section | None]
SECTION_PROVIDERS: list[Provider] = []


def register_section(provider: Provider) -> Provider:
    """Add a section to the queue (usable as a decorator); sections appear in registration order."""
    if provider not in SECTION_PROVIDERS:
        SECTION_PROVIDERS.append(provider)
    return provider


def build_queue(request, *, limit: int = QUEUE_LIMIT) -> list[Section]:
    """The sections the user may see, each with its count and (unless limit=0) its oldest items."""
    return [section for provider in SECTION_PROVIDERS if (section := provider(request, limit=limit))]


def change_url(obj) -> str:
    """The admin change page of `obj`."""
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def review_url(solution_pk) -> str:
    return reverse("admin:solutions_solution_review", args=[solution_pk])


@dataclass(frozen=True)
class QuerySection:
    """A provider for the rows of one query: a count and the oldest `limit` rows (two queries; one, the
    count, with limit=0), shown to users with `permission`."""

    key: str
    title: str
    permission: str
    rows: Callable[[], object]
    item: Callable[[object], QueueItem]
    order: tuple[str, ...]
    related: tuple[str, ...] = ()
    # The changelist filtered to these rows: (URL name, query string).
    changelist: tuple[str, str] | None = None

    def __call__(self, request, *, limit: int) -> Section | None:
        if not request.user.has_perm(self.permission):
            return None
        rows = self.rows()
        listed = (rows.select_related(*self.related) if self.related else rows).order_by(*self.order)[:limit]
        return Section(
            self.key,
            str(self.title),
            rows.count(),
            [self.item(row) for row in listed],
            reverse(self.changelist[0]) + self.changelist[1] if self.changelist else "",
        )


# The sections of what waits for an editorial decision, in the order the queue shows them first.
REVIEW_SECTIONS = (
    QuerySection(
        "submitted_solutions",
        _("Submitted listings"),
        "solutions.view_solution",
        lambda: Solution.objects.filter(status=EditorialStatus.SUBMITTED),
        lambda s: QueueItem(s.title, review_url(s.pk), s.submitted_at or s.updated_at, s.vendor.name),
        order=("submitted_at", "pk"),
        related=("vendor",),
        changelist=("admin:solutions_solution_changelist", "?status__exact=submitted"),
    ),
    QuerySection(
        "pending_revisions",
        _("Changes to published listings"),
        "solutions.view_solution",
        lambda: SolutionRevision.objects.filter(status=SolutionRevision.Status.PENDING),
        lambda r: QueueItem(
            r.solution.title, review_url(r.solution_id), r.created_at, r.solution.vendor.name
        ),
        order=("created_at", "pk"),
        related=("solution__vendor",),
    ),
    QuerySection(
        "submitted_pilots",
        _("Submitted pilot projects"),
        "pilots.view_pilotproject",
        lambda: PilotProject.objects.filter(status=EditorialStatus.SUBMITTED),
        lambda p: QueueItem(p.title, change_url(p), p.submitted_at or p.updated_at, p.lead_municipality.name),
        order=("submitted_at", "pk"),
        related=("lead_municipality",),
        changelist=("admin:pilots_pilotproject_changelist", "?status__exact=submitted"),
    ),
    QuerySection(
        "unverified_references",
        _("Unverified references"),
        "pilots.view_reference",
        lambda: Reference.objects.filter(is_verified=False),
        lambda r: QueueItem(f"{r.solution.title} @ {r.municipality.name}", change_url(r), r.created_at, ""),
        order=("created_at", "pk"),
        related=("solution", "municipality"),
        changelist=("admin:pilots_reference_changelist", "?is_verified__exact=0"),
    ),
    QuerySection(
        "unverified_vendors",
        _("New organisations"),
        "solutions.view_vendor",
        lambda: Vendor.objects.filter(is_verified=False),
        lambda v: QueueItem(v.name, change_url(v), v.created_at, v.city),
        order=("created_at", "pk"),
        changelist=("admin:solutions_vendor_changelist", "?is_verified__exact=0"),
    ),
    QuerySection(
        "proposed_references",
        _("References proposed by vendors"),
        "pilots.view_referenceproposal",
        lambda: ReferenceProposal.objects.filter(status=ReferenceProposal.Status.PENDING),
        lambda p: QueueItem(f"{p.solution.title} @ {p.municipality.name}", change_url(p), p.created_at, ""),
        order=("created_at", "pk"),
        related=("solution", "municipality"),
        changelist=("admin:pilots_referenceproposal_changelist", "?status__exact=pending"),
    ),
    # Documents added to listings that are already public (the others are reviewed with the listing).
    QuerySection(
        "pending_documents",
        _("New documents of published listings"),
        "solutions.view_solution",
        lambda: SolutionDocument.objects.pending().filter(
            solution__status__in=[EditorialStatus.PUBLISHED, EditorialStatus.ARCHIVED]
        ),
        lambda d: QueueItem(
            f"{d.solution.title}: {d.title}",
            review_url(d.solution_id) + "#documents",
            d.created_at,
            d.solution.vendor.name,
        ),
        order=("created_at", "pk"),
        related=("solution__vendor",),
    ),
    QuerySection(
        "organisation_changes",
        _("Profile changes of verified organisations"),
        "solutions.view_vendor",
        lambda: Vendor.objects.exclude(pending_changes={}),
        lambda v: QueueItem(v.name, change_url(v), v.pending_changes_at, v.city),
        order=("pending_changes_at", "pk"),
        changelist=("admin:solutions_vendor_changelist", "?pending=1"),
    ),
)


def _checked_entry_url(check) -> str:
    content_type = check.content_type
    return reverse(f"admin:{content_type.app_label}_{content_type.model}_change", args=[check.object_id])


# Broken external links of published entries, longest broken first.
broken_links_section = QuerySection(
    "broken_links",
    _("Broken links"),
    "marketplace.view_linkcheck",
    linkcheck.broken_link_entries,
    lambda check: QueueItem(
        f"{check.entry_title}: {check.url}",
        _checked_entry_url(check),
        check.broken_since,
        check.error or f"HTTP {check.status_code}",
    ),
    order=("broken_since", "entry_title"),
    changelist=("admin:marketplace_linkcheck_changelist", "?is_broken__exact=1"),
)


def stale_listings_section(request, *, limit: int) -> Section | None:
    """Published solutions and pilot projects not updated for 12 months, oldest first."""
    if not request.user.has_perm("solutions.view_solution"):
        return None
    stale = linkcheck.stale_entries()
    entries = sorted([*stale["solutions"], *stale["pilots"]], key=lambda entry: entry.updated_at)
    items = [
        QueueItem(entry.title, change_url(entry), entry.updated_at, str(entry._meta.verbose_name))
        for entry in entries[:limit]
    ]
    return Section("stale_listings", str(_("Not updated for 12 months")), len(entries), items)


for review_section in REVIEW_SECTIONS:
    register_section(review_section)
# `broken_links_section` and `stale_listings_section` are registered by marketplace/admin.py, which puts
# every section from outside the review (enquiries, link checks) in its order after these.

"""The editors' review queue: everything waiting for a decision, oldest first, with its age.

The queue is built from a list of section providers. Another part of the project adds its own
section (enquiries, barrier reports, broken links) with `register_section`:

    from solutions.admin_queue import QueueItem, Section, register_section

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
needed (the admin index shows counts); providers then skip loading the items.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.choices import EditorialStatus
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


def _change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


@register_section
def submitted_solutions(request, *, limit: int) -> Section | None:
    if not request.user.has_perm("solutions.view_solution"):
        return None
    rows = Solution.objects.filter(status=EditorialStatus.SUBMITTED)
    items = [
        QueueItem(
            s.title,
            reverse("admin:solutions_solution_review", args=[s.pk]),
            s.submitted_at or s.updated_at,
            s.vendor.name,
        )
        for s in rows.select_related("vendor").order_by("submitted_at", "pk")[:limit]
    ]
    return Section(
        "submitted_solutions",
        str(_("Submitted listings")),
        rows.count(),
        items,
        reverse("admin:solutions_solution_changelist") + "?status__exact=submitted",
    )


@register_section
def pending_revisions(request, *, limit: int) -> Section | None:
    if not request.user.has_perm("solutions.view_solution"):
        return None
    rows = SolutionRevision.objects.filter(status=SolutionRevision.Status.PENDING)
    items = [
        QueueItem(
            r.solution.title,
            reverse("admin:solutions_solution_review", args=[r.solution_id]),
            r.created_at,
            r.solution.vendor.name,
        )
        for r in rows.select_related("solution__vendor").order_by("created_at", "pk")[:limit]
    ]
    return Section("pending_revisions", str(_("Changes to published listings")), rows.count(), items)


@register_section
def submitted_pilots(request, *, limit: int) -> Section | None:
    if not request.user.has_perm("pilots.view_pilotproject"):
        return None
    rows = PilotProject.objects.filter(status=EditorialStatus.SUBMITTED)
    items = [
        QueueItem(p.title, _change_url(p), p.submitted_at or p.updated_at, p.lead_municipality.name)
        for p in rows.select_related("lead_municipality").order_by("submitted_at", "pk")[:limit]
    ]
    return Section(
        "submitted_pilots",
        str(_("Submitted pilot projects")),
        rows.count(),
        items,
        reverse("admin:pilots_pilotproject_changelist") + "?status__exact=submitted",
    )


@register_section
def unverified_references(request, *, limit: int) -> Section | None:
    if not request.user.has_perm("pilots.view_reference"):
        return None
    rows = Reference.objects.filter(is_verified=False)
    items = [
        QueueItem(f"{r.solution.title} @ {r.municipality.name}", _change_url(r), r.created_at, "")
        for r in rows.select_related("solution", "municipality").order_by("created_at", "pk")[:limit]
    ]
    return Section(
        "unverified_references",
        str(_("Unverified references")),
        rows.count(),
        items,
        reverse("admin:pilots_reference_changelist") + "?is_verified__exact=0",
    )


@register_section
def unverified_vendors(request, *, limit: int) -> Section | None:
    if not request.user.has_perm("solutions.view_vendor"):
        return None
    rows = Vendor.objects.filter(is_verified=False)
    items = [
        QueueItem(v.name, _change_url(v), v.created_at, v.city)
        for v in rows.order_by("created_at", "pk")[:limit]
    ]
    return Section(
        "unverified_vendors",
        str(_("New organisations")),
        rows.count(),
        items,
        reverse("admin:solutions_vendor_changelist") + "?is_verified__exact=0",
    )


@register_section
def proposed_references(request, *, limit: int) -> Section | None:
    if not request.user.has_perm("pilots.view_referenceproposal"):
        return None
    rows = ReferenceProposal.objects.filter(status=ReferenceProposal.Status.PENDING)
    items = [
        QueueItem(f"{p.solution.title} @ {p.municipality.name}", _change_url(p), p.created_at, "")
        for p in rows.select_related("solution", "municipality").order_by("created_at", "pk")[:limit]
    ]
    return Section(
        "proposed_references",
        str(_("References proposed by vendors")),
        rows.count(),
        items,
        reverse("admin:pilots_referenceproposal_changelist") + "?status__exact=pending",
    )


@register_section
def pending_documents(request, *, limit: int) -> Section | None:
    """Documents added to listings that are already public (the others are reviewed with the listing)."""
    if not request.user.has_perm("solutions.view_solution"):
        return None
    rows = SolutionDocument.objects.pending().filter(
        solution__status__in=[EditorialStatus.PUBLISHED, EditorialStatus.ARCHIVED]
    )
    items = [
        QueueItem(
            f"{d.solution.title}: {d.title}",
            reverse("admin:solutions_solution_review", args=[d.solution_id]) + "#documents",
            d.created_at,
            d.solution.vendor.name,
        )
        for d in rows.select_related("solution__vendor").order_by("created_at", "pk")[:limit]
    ]
    return Section("pending_documents", str(_("New documents of published listings")), rows.count(), items)


@register_section
def organisation_changes(request, *, limit: int) -> Section | None:
    if not request.user.has_perm("solutions.view_vendor"):
        return None
    rows = Vendor.objects.exclude(pending_changes={})
    items = [
        QueueItem(v.name, _change_url(v), v.pending_changes_at, v.city)
        for v in rows.order_by("pending_changes_at", "pk")[:limit]
    ]
    return Section(
        "organisation_changes",
        str(_("Profile changes of verified organisations")),
        rows.count(),
        items,
        reverse("admin:solutions_vendor_changelist") + "?pending=1",
    )

"""What every Markterkundung format shows: one row per published solution on a list, in the list's order.

The solutions are read exactly as the comparison page reads them (``solutions.compare.published_in_order``:
reference counts, fields of action, standards) and labelled with the comparison's criteria names, so the
comparison and the export never disagree. Columns, their names and types: docs/markterkundung.md.

Queries, independent of the number of solutions: the list's entries, the comparison's three, the verified
references; with a chosen municipality its row (once per request) and one query of peer counts.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from marketplace.editorial import linkcheck
from marketplace.shortlist import services
from municipalities.choice import chosen_municipality
from pilots.models import Reference
from solutions.agreements.availability import routes_summary
from solutions.compare import published_in_order
from solutions.peers import peer_counts

# The anchor of the references section on a solution's page (templates/solutions/_detail_body.html).
REFERENCES_ANCHOR = "#h-references"


@dataclass(frozen=True)
class Column:
    key: str  # stable name, documented in docs/markterkundung.md
    label: str  # the heading in the file (lazy: German or English, as the page)
    kind: str  # "text", "integer", "date" or "url"
    value: Callable  # (Row) -> str | int | datetime.date | None


@dataclass
class Row:
    solution: object  # solutions.Solution, annotated by published_in_order
    note: str
    url: str  # absolute URL of the solution's page
    peers: object = None  # solutions.peers.PeerCounts with a chosen municipality, else None
    references: list = field(default_factory=list)  # verified references, by municipality name


def _joined(values) -> str:
    return ", ".join(str(value) for value in values)


def _yes_no(flag: bool, detail: str = "") -> str:
    if not flag:
        return _("no")
    return f"{_('yes')}: {detail}" if detail else _("yes")


def _licence(s) -> str:
    return s.get_licence_type_display() + (f" ({s.spdx_id})" if s.spdx_id else "")


def public_contact(s) -> tuple[str, str, str]:
    """The public contact the solution's page shows: its own contact person, else the vendor's."""
    if s.contact_name or s.contact_email or s.contact_phone:
        return s.contact_name, s.contact_email, s.contact_phone
    return "", s.vendor.email, s.vendor.phone


def _checked(solution) -> datetime.date | None:
    checked = linkcheck.last_checked(solution)
    return timezone.localdate(checked) if checked is not None else None


def _available(solution) -> str:
    # published_in_order annotates the routes only when a municipality was chosen; else "not stated".
    if not hasattr(solution, "agreement_titles"):
        return ""
    return routes_summary(solution.agreement_titles, solution.in_house_names)


def _peer(row: Row, attribute: str) -> int | None:
    return getattr(row.peers, attribute) if row.peers is not None else None


# The labels shared with the comparison use its msgids (solutions/compare.py); a test keeps every
# comparison criterion among these columns.
COLUMNS = [
    Column("solution", gettext_lazy("Solution"), "text", lambda r: r.solution.title),
    Column("vendor", gettext_lazy("Vendor"), "text", lambda r: r.solution.vendor.name),
    Column(
        "fields_of_action",
        gettext_lazy("Fields of action"),
        "text",
        lambda r: _joined(c.name for c in r.solution.compared_categories),
    ),
    Column(
        "suitable_for",
        gettext_lazy("Suitable for"),
        "text",
        lambda r: _joined(r.solution.get_size_classes_display()),
    ),
    Column("maturity", gettext_lazy("Maturity"), "text", lambda r: r.solution.get_maturity_display()),
    Column("references", gettext_lazy("References"), "integer", lambda r: r.solution.reference_count),
    Column(
        "references_verified",
        gettext_lazy("Verified references"),
        "integer",
        lambda r: r.solution.verified_reference_count,
    ),
    Column(
        "references_my_size_class",
        gettext_lazy("References in my size class"),
        "integer",
        lambda r: _peer(r, "same_size_class"),
    ),
    Column(
        "references_my_land",
        gettext_lazy("References in my Land"),
        "integer",
        lambda r: _peer(r, "same_state"),
    ),
    Column("licence", gettext_lazy("Licence"), "text", lambda r: _licence(r.solution)),
    Column("source_code", gettext_lazy("Source code"), "url", lambda r: r.solution.source_url),
    Column(
        "hosting",
        gettext_lazy("Hosting"),
        "text",
        lambda r: _joined(r.solution.get_hosting_options_display()),
    ),
    Column(
        "data_location",
        gettext_lazy("Where data is stored"),
        "text",
        lambda r: r.solution.get_data_location_display(),
    ),
    Column(
        "data_processing_agreement",
        gettext_lazy("Data processing agreement"),
        "text",
        lambda r: _("available") if r.solution.dpa_available else _("not stated"),
    ),
    Column(
        "standards",
        gettext_lazy("Standards"),
        "text",
        lambda r: _joined(s.name for s in r.solution.compared_standards),
    ),
    Column(
        "accessibility",
        gettext_lazy("Accessibility"),
        "text",
        lambda r: r.solution.get_accessibility_display(),
    ),
    Column(
        "accessibility_statement",
        gettext_lazy("Accessibility statement"),
        "url",
        lambda r: r.solution.accessibility_statement_url,
    ),
    Column(
        "cost_introduction_eur",
        gettext_lazy("One-off introduction"),
        "integer",
        lambda r: r.solution.cost_introduction_eur,
    ),
    Column(
        "cost_yearly_eur", gettext_lazy("Operation per year"), "integer", lambda r: r.solution.cost_yearly_eur
    ),
    Column(
        "price_model", gettext_lazy("Price model"), "text", lambda r: r.solution.get_price_model_display()
    ),
    Column("cost_notes", gettext_lazy("Notes on costs"), "text", lambda r: r.solution.cost_notes),
    Column(
        "framework_agreement",
        gettext_lazy("Framework agreement"),
        "text",
        lambda r: _yes_no(r.solution.framework_agreement, r.solution.framework_agreement_name),
    ),
    # With a chosen municipality: how it can have the solution without its own tender (issue 16).
    Column(
        "available", gettext_lazy("Available without own tender"), "text", lambda r: _available(r.solution)
    ),
    Column(
        "procurement_notes",
        gettext_lazy("Notes on procurement"),
        "text",
        lambda r: r.solution.procurement_notes,
    ),
    Column(
        "last_update",
        gettext_lazy("Last update"),
        "date",
        lambda r: timezone.localdate(r.solution.updated_at),
    ),
    Column("links_last_checked", gettext_lazy("Links last checked"), "date", lambda r: _checked(r.solution)),
    Column("contact_person", gettext_lazy("Contact person"), "text", lambda r: public_contact(r.solution)[0]),
    Column("contact_email", gettext_lazy("Contact e-mail"), "text", lambda r: public_contact(r.solution)[1]),
    Column("contact_phone", gettext_lazy("Contact phone"), "text", lambda r: public_contact(r.solution)[2]),
    Column("vendor_website", gettext_lazy("Vendor website"), "url", lambda r: r.solution.vendor.website),
    Column("detail_url", gettext_lazy("Page on the marketplace"), "url", lambda r: r.url),
    Column("note", gettext_lazy("Note"), "text", lambda r: r.note),
]


def _typed(value):
    return None if value is None or value == "" else value


@dataclass
class Export:
    rows: list[Row]
    date: datetime.date
    site_name: str
    site_url: str
    municipality: object = None  # the chosen municipality the peer columns count from, or None

    @property
    def headers(self) -> list[str]:
        return [str(column.label) for column in COLUMNS]

    def values(self) -> list[list]:
        """One list of typed values per row, in COLUMNS order; None for "not stated"."""
        return [[_typed(column.value(row)) for column in COLUMNS] for row in self.rows]

    @property
    def references(self) -> list[tuple[Row, object]]:
        return [(row, reference) for row in self.rows for reference in row.references]


def build(request, shortlist) -> Export:
    """The export of ``shortlist``: its published solutions (pilot projects and what is no longer
    published are left out), with the visitor's chosen municipality for the peer columns."""
    entries = list(services.entries_of(shortlist).filter(solution__isnull=False, solution_public=True))
    notes = {entry.solution.slug: entry.note for entry in entries}
    municipality = chosen_municipality(request)
    solutions = published_in_order(list(notes), municipality)
    counts = peer_counts([s.pk for s in solutions], municipality) if municipality and solutions else {}
    references: dict[int, list] = {s.pk: [] for s in solutions}
    if solutions:
        verified = (
            Reference.objects.verified()
            .filter(solution__in=[s.pk for s in solutions])
            .select_related("municipality")
            .order_by("municipality__name", "pk")
        )
        for reference in verified:
            references[reference.solution_id].append(reference)
    rows = [
        Row(
            solution=s,
            note=notes[s.slug],
            url=request.build_absolute_uri(s.get_absolute_url()),
            peers=counts.get(s.pk),
            references=references[s.pk],
        )
        for s in solutions
    ]
    return Export(
        rows=rows,
        date=timezone.localdate(),
        site_name=settings.SITE_NAME,
        site_url=request.build_absolute_uri("/"),
        municipality=municipality,
    )

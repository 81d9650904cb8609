"""What the review page shows of a listing: every field as it will be published, grouped in the sections of
the vendors' listing form (the sections of the public page), the organisation behind it, its references and
the references waiting for an editor, and what a submission still lacks.

Read-only helpers for `review.py`; the decisions themselves are `marketplace.editorial.services`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.text import capfirst

from pilots.models import ReferenceProposal
from solutions.models import Solution
from solutions.portal.forms import SolutionForm
from solutions.services import missing_for_submission

# How a fact is rendered (templates/admin/solutions/solution/_listing.html).
TEXT, LINES, MARKDOWN, LINK = "text", "lines", "markdown", "link"
EMAIL, EURO, YES_NO = "email", "euro", "yes_no"
_KINDS = {
    "description": MARKDOWN,
    "cost_notes": LINES,
    "procurement_notes": LINES,
    "website": LINK,
    "source_url": LINK,
    "accessibility_statement_url": LINK,
    "contact_email": EMAIL,
    "cost_introduction_eur": EURO,
    "cost_yearly_eur": EURO,
}


@dataclass(frozen=True)
class Fact:
    name: str
    label: str
    value: object
    kind: str = TEXT

    @property
    def is_empty(self) -> bool:
        return self.value in (None, "", [], ()) and self.kind != YES_NO

    @property
    def is_list(self) -> bool:
        return isinstance(self.value, list)


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    facts: list[Fact]


def field_label(name: str) -> str:
    """The label the vendors' form gives a field (the one they know), else the model's."""
    field = SolutionForm.base_fields.get(name)
    if field is not None and field.label:
        return str(field.label)
    return capfirst(str(Solution._meta.get_field(name).verbose_name))


def form_sections() -> list[tuple[str, str, list[str]]]:
    """The sections of the vendors' listing form: (id, title, field names)."""
    return [(section_id, str(title), list(names)) for section_id, title, names in SolutionForm.SECTIONS]


def _value(solution: Solution, name: str, related: dict):
    if name in related:
        return [str(item) for item in related[name]]
    field = Solution._meta.get_field(name)
    value = getattr(solution, name)
    base = getattr(field, "base_field", None)
    if base is not None and base.choices:
        labels = dict(base.flatchoices)
        return [str(labels.get(item, item)) for item in value or []]
    if field.choices and value not in (None, ""):
        return str(dict(field.flatchoices).get(value, value))
    return value


def listing_sections(solution: Solution, *, categories: list, standards: list) -> list[Section]:
    """Every field of the listing, grouped and labelled as in the vendors' form, with the values the
    public page will show (choice labels, the names of the fields of action and standards)."""
    related = {"categories": categories, "standards": standards}
    sections = []
    for section_id, title, names in form_sections():
        facts = []
        for name in names:
            field = Solution._meta.get_field(name)
            kind = _KINDS.get(name) or (YES_NO if field.get_internal_type() == "BooleanField" else TEXT)
            facts.append(Fact(name, field_label(name), _value(solution, name, related), kind))
        sections.append(Section(section_id, title, facts))
    return sections


def missing_labels(solution: Solution) -> list[tuple[str, str]]:
    """The fields a submission must have that are still empty: (name, label)."""
    return [(name, field_label(name)) for name in missing_for_submission(solution)]


def requestable_groups(checked=()) -> list[dict]:
    """The fields a change request may point at, in the form's sections, for the checkboxes of the
    request form: [{"id", "title", "fields": [(name, label, checked), …]}, …]."""
    checked = set(checked)
    return [
        {"id": section_id, "title": title, "fields": [(n, field_label(n), n in checked) for n in names]}
        for section_id, title, names in form_sections()
    ]


def requestable_field_names() -> list[str]:
    return [name for _id, _title, names in form_sections() for name in names]


@dataclass(frozen=True)
class Organisation:
    """The organisation behind a listing, as the review page shows it."""

    vendor: object
    members: int
    change_url: str

    @property
    def address(self) -> str:
        vendor = self.vendor
        place = " ".join(part for part in (vendor.postcode, vendor.city) if part)
        return ", ".join(part for part in (vendor.street, place) if part)


def organisation(solution: Solution) -> Organisation:
    vendor = solution.vendor
    return Organisation(
        vendor=vendor,
        members=vendor.memberships.count(),
        change_url=reverse("admin:solutions_vendor_change", args=[vendor.pk]),
    )


def references(solution: Solution) -> list:
    """The listing's references, verified ones first (as on the public page)."""
    return list(
        solution.references.select_related("municipality", "pilot").order_by(
            "-is_verified", "-since_year", "municipality__name"
        )
    )


def waiting_proposals(solution: Solution) -> list:
    """References the organisation proposed that wait for an editor (not public until accepted)."""
    return list(
        solution.reference_proposals.filter(status=ReferenceProposal.Status.PENDING)
        .select_related("municipality")
        .order_by("created_at", "pk")
    )

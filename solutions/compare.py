"""The comparison page (``solutions:compare``): 2–4 published solutions side by side, one row per criterion.

The Merkliste links here with ``?s=<slug>&s=<slug>``; ``diff=1`` keeps only the criteria whose values differ.
Bad input never fails: too few, too many, unknown or unpublished slugs give a message on the page (and with
too many a form to pick from the found ones); duplicates are ignored.

Queries: the solutions with their vendors and reference counts, their fields of action, their standards;
with a chosen municipality (municipalities/choice.py) the session, that municipality and one query of peer
counts (solutions/peers.py). None of them grows with the number of references.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django import forms
from django.core.validators import validate_slug
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from marketplace.catalog.views import wants_partial
from municipalities.choice import chosen_municipality

from .agreements.availability import compare_annotations, routes_summary
from .filters import with_reference_counts
from .models import Category, Solution, Standard
from .peers import peer_counts

MIN_SOLUTIONS = 2
MAX_SOLUTIONS = 4
# Slugs read at most (the rest of a longer list is ignored): enough to offer a pick from a list a little
# too long, never an unbounded query or message.
MAX_LOOKUP = 12
TEMPLATE = "solutions/solution_compare.html"


class CompareForm(forms.Form):
    s = forms.Field(required=False, widget=forms.MultipleHiddenInput)
    diff = forms.BooleanField(required=False, label=gettext_lazy("Show only differences"))

    def clean_s(self) -> list[str]:
        """The slugs in the order given, each once; what is not a slug is reported later as unknown."""
        values = self.data.getlist("s") if hasattr(self.data, "getlist") else []
        slugs = []
        for value in values:
            value = value.strip()
            if value and value not in slugs:
                slugs.append(value[:220])
        return slugs[:MAX_LOOKUP]


@dataclass
class Criterion:
    label: str
    # Each solution's value as HTML, escaped here: rendering it is one variable per cell in the template.
    cells: list[str]
    # The values compared (one per solution): the row differs when they are not all equal.
    keys: list = field(default_factory=list)
    # Long free text (notes) keeps its line breaks.
    notes: bool = False

    @cached_property
    def differs(self) -> bool:
        return len({repr(key) for key in self.keys}) > 1

    # The row's pieces are joined here rather than in template loops: with 4 solutions the page has some
    # 150 cells (table and narrow-screen blocks), and a template variable per value cost ~8 ms of the
    # page's 30 ms budget. Every value is escaped (_text, _linked) before it is joined.
    @cached_property
    def label_html(self) -> str:
        """The label, with the ≠ marker and its text for screen readers when the values differ."""
        if not self.differs:
            return escape(self.label)
        return format_html(
            '{} <span class="compare-marker"><span aria-hidden="true">≠</span>'
            '<span class="visually-hidden">{}</span></span>',
            self.label,
            _("(values differ)"),
        )

    @cached_property
    def cell_class(self) -> str:
        return ' class="compare-notes"' if self.notes else ""

    @cached_property
    def row_cells(self) -> str:
        """The row's ``<td>`` elements, one per solution."""
        # Every cell was escaped by _text, _names, _euro or _linked (format_html) when the row was built.
        return mark_safe(  # noqa: S308 - escaped cells, and a constant class attribute
            "".join(f"<td{self.cell_class}>{cell}</td>" for cell in self.cells)
        )


def stacked(criteria: list[Criterion], column: int) -> str:
    """One solution's values as the ``<dt>``/``<dd>`` pairs of its block on narrow screens."""
    return mark_safe(  # noqa: S308 - labels and cells are escaped HTML (Criterion)
        "".join(f"<dt>{c.label_html}</dt><dd{c.cell_class}>{c.cells[column]}</dd>" for c in criteria)
    )


def _text(value, empty: str = "–") -> str:
    return escape(str(value) if value not in (None, "") else empty)


def _names(values: list[str], empty: str = "–") -> str:
    return escape(", ".join(values) if values else empty)


def _euro(amount: int | None) -> str:
    if amount is None:
        return escape(_("on request"))
    return escape(f"{amount:,} €".replace(",", "."))


def _linked(text: str, url: str, link_text: str) -> str:
    if not url:
        return escape(text)
    return format_html('{}, <a href="{}">{}</a>', text, url, link_text)


def _criteria(solutions: list[Solution], counts: dict | None, municipality) -> list[Criterion]:
    def row(label, cell, key, **kwargs):
        return Criterion(label, [cell(s) for s in solutions], [key(s) for s in solutions], **kwargs)

    rows = [
        row(
            _("Fields of action"),
            lambda s: _names([c.name for c in s.compared_categories]),
            lambda s: sorted(c.pk for c in s.compared_categories),
        ),
        row(
            _("Suitable for"),
            lambda s: _names(s.get_size_classes_display()),
            lambda s: sorted(s.size_classes),
        ),
    ]
    if municipality is not None:
        # "Beziehbar für meine Kommune", annotated by published_in_order (solutions/agreements/).
        rows.append(
            row(
                _("Available to %(name)s without own tender") % {"name": municipality.name},
                lambda s: _text(routes_summary(s.agreement_titles, s.in_house_names)),
                lambda s: (s.agreement_titles, s.in_house_names),
            )
        )
    if municipality is not None and municipality.size_class:
        rows.append(
            row(
                _("Suitable for my size class (%(size)s)") % {"size": municipality.get_size_class_display()},
                lambda s: _text(_("yes") if municipality.size_class in s.size_classes else _("no")),
                lambda s: municipality.size_class in s.size_classes,
            )
        )
    rows += [
        row(_("Maturity"), lambda s: _text(s.get_maturity_display()), lambda s: s.maturity),
        row(
            _("References"),
            lambda s: _text(
                _("%(count)s, of them %(verified)s verified")
                % {"count": s.reference_count, "verified": s.verified_reference_count}
            ),
            lambda s: (s.reference_count, s.verified_reference_count),
        ),
    ]
    if counts is not None:
        size = municipality.get_size_class_display()
        state = municipality.get_state_display() if municipality.state else ""
        if size:
            rows.append(
                row(
                    _("References in my size class (%(size)s)") % {"size": size},
                    lambda s: _text(counts[s.pk].same_size_class),
                    lambda s: counts[s.pk].same_size_class,
                )
            )
        if state:
            rows.append(
                row(
                    _("References in my Land (%(state)s)") % {"state": state},
                    lambda s: _text(counts[s.pk].same_state),
                    lambda s: counts[s.pk].same_state,
                )
            )
    rows += [
        row(
            _("Licence"),
            lambda s: _linked(
                s.get_licence_type_display() + (f" ({s.spdx_id})" if s.spdx_id else ""),
                s.source_url,
                _("source code"),
            ),
            lambda s: (s.licence_type, s.spdx_id, bool(s.source_url)),
        ),
        row(
            _("Hosting"),
            lambda s: _names(s.get_hosting_options_display()),
            lambda s: sorted(s.hosting_options),
        ),
        row(
            _("Where data is stored"),
            lambda s: _text(s.get_data_location_display()),
            lambda s: s.data_location,
        ),
        row(
            _("Data processing agreement"),
            lambda s: _text(_("available") if s.dpa_available else _("not stated")),
            lambda s: s.dpa_available,
        ),
        row(
            _("Standards"),
            lambda s: _names([standard.name for standard in s.compared_standards], _("none stated")),
            lambda s: sorted(standard.pk for standard in s.compared_standards),
        ),
        row(
            _("Accessibility"),
            lambda s: _linked(
                s.get_accessibility_display(), s.accessibility_statement_url, _("accessibility statement")
            ),
            lambda s: (s.accessibility, bool(s.accessibility_statement_url)),
        ),
        row(
            _("One-off introduction"),
            lambda s: _euro(s.cost_introduction_eur),
            lambda s: s.cost_introduction_eur,
        ),
        row(_("Operation per year"), lambda s: _euro(s.cost_yearly_eur), lambda s: s.cost_yearly_eur),
        row(_("Price model"), lambda s: _text(s.get_price_model_display()), lambda s: s.price_model),
        row(_("Notes on costs"), lambda s: _text(s.cost_notes), lambda s: s.cost_notes, notes=True),
        row(
            _("Framework agreement"),
            lambda s: _text(
                (_("yes") + (f": {s.framework_agreement_name}" if s.framework_agreement_name else ""))
                if s.framework_agreement
                else _("no")
            ),
            lambda s: (s.framework_agreement, s.framework_agreement_name),
        ),
        row(
            _("Notes on procurement"),
            lambda s: _text(s.procurement_notes),
            lambda s: s.procurement_notes,
            notes=True,
        ),
    ]
    return rows


def published_in_order(slugs: list[str], municipality=None) -> list[Solution]:
    """The published solutions among ``slugs``, in their order, with what the comparison shows (3 queries);
    with ``municipality`` also how it can obtain each without its own tender (in the first query)."""
    valid = []
    for slug in slugs:
        try:
            validate_slug(slug)
        except forms.ValidationError:
            continue
        valid.append(slug)
    if not valid:
        return []
    rows = with_reference_counts(Solution.objects.published().filter(slug__in=valid)).select_related("vendor")
    if municipality is not None:
        rows = rows.annotate(**compare_annotations(municipality))
    rows = rows.prefetch_related(
        Prefetch("categories", queryset=Category.objects.order_by("position"), to_attr="compared_categories"),
        Prefetch("standards", queryset=Standard.objects.order_by("name"), to_attr="compared_standards"),
    )
    by_slug = {solution.slug: solution for solution in rows}
    return [by_slug[slug] for slug in valid if slug in by_slug]


@require_safe
def compare(request: HttpRequest) -> HttpResponse:
    form = CompareForm(request.GET)
    form.is_valid()  # every field is optional: this only cleans
    slugs = form.cleaned_data.get("s", [])
    only_differences = bool(form.cleaned_data.get("diff"))
    municipality = chosen_municipality(request)
    found = published_in_order(slugs, municipality)
    found_slugs = {solution.slug for solution in found}
    context = {
        "form": form,
        "only_differences": only_differences,
        "unknown": [slug for slug in slugs if slug not in found_slugs],
        "found": found,
        "too_many": len(found) > MAX_SOLUTIONS,
        "too_few": len(found) < MIN_SOLUTIONS,
        "max_solutions": MAX_SOLUTIONS,
        "solutions": [],
    }
    if MIN_SOLUTIONS <= len(found) <= MAX_SOLUTIONS:
        counts = peer_counts([s.pk for s in found], municipality) if municipality else None
        criteria = _criteria(found, counts, municipality)
        shown = [c for c in criteria if c.differs or not only_differences]
        context.update(
            solutions=found,
            municipality=municipality,
            criteria=shown,
            # The same values per solution, for the blocks of narrow screens.
            columns=[(solution, stacked(shown, i)) for i, solution in enumerate(found)],
            hidden_count=sum(1 for c in criteria if not c.differs) if only_differences else 0,
            differing_count=sum(1 for c in criteria if c.differs),
        )
    template = f"{TEMPLATE}#comparison" if wants_partial(request) else TEMPLATE
    response = render(request, template, context)
    response["Vary"] = "HX-Request"
    return response

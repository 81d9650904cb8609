"""What the API serves: one ``Resource`` per kind of row, its public rows, columns and query parameters.

The catalogs (solutions, pilot projects, municipalities) take their page's FilterSet, so every filter of the
page is a query parameter here with the same name and values; the others have a small FilterSet of their own.
Columns are those of the exports (``datasets.py``) or defined below; nothing a public page does not show.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import django_filters
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from pilots.models import Reference
from solutions.models import Category, Solution, Standard, Vendor

from ..datasets import DATASETS, Column, in_order, plain


def _published_solutions():
    return Solution.objects.published()


def _public_vendors():
    offers = _published_solutions().filter(vendor=OuterRef("pk"))
    return Vendor.objects.filter(Exists(offers))


def _public_references():
    return Reference.objects.filter(solution__in=_published_solutions())


class ReferenceFilterSet(django_filters.FilterSet):
    solution = django_filters.NumberFilter(field_name="solution_id", label=_("Solution (id)"))
    municipality = django_filters.CharFilter(field_name="municipality__ars", label=_("Municipality (ARS)"))
    verified = django_filters.BooleanFilter(field_name="is_verified", label=_("Verified by an editor"))

    class Meta:
        model = Reference
        fields = []


class VendorFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Vendor.Kind.choices, label=_("Kind"))

    class Meta:
        model = Vendor
        fields = []


VENDOR_COLUMNS = (
    Column("id", "integer", "Stable identifier of the vendor.", lambda v: v.pk),
    Column("name", "string", "Name of the organisation.", lambda v: v.name),
    Column("kind", "string", "Kind of organisation (code).", lambda v: v.kind),
    Column("website", "url", "Website.", lambda v: v.website),
    Column("city", "string", "Seat.", lambda v: v.city),
    Column("is_verified", "boolean", "Verified by the editors.", lambda v: v.is_verified),
    Column("updated_at", "datetime", "Last change.", lambda v: v.updated_at),
)
REFERENCE_COLUMNS = (
    Column("id", "integer", "Stable identifier of the reference.", lambda r: r.pk),
    Column("solution_id", "integer", "The solution in use.", lambda r: r.solution_id),
    Column("solution", "string", "Its name.", lambda r: r.solution.title),
    Column("municipality_ars", "string", "The municipality using it (ARS).", lambda r: r.municipality.ars),
    Column("municipality", "string", "Its name.", lambda r: r.municipality.name),
    Column("since_year", "integer", "In use since (year).", lambda r: r.since_year),
    Column("statement", "string", "What the municipality says about it.", lambda r: r.statement),
    Column(
        "is_verified", "boolean", "Confirmed with the municipality by an editor.", lambda r: r.is_verified
    ),
    Column("pilot_id", "integer", "The pilot project it belongs to, if any.", lambda r: r.pilot_id),
    Column("updated_at", "datetime", "Last change.", lambda r: r.updated_at),
)
CATEGORY_COLUMNS = (
    Column("slug", "string", "Stable identifier (the value of the category filter).", lambda c: c.slug),
    Column("name_de", "string", "German name.", lambda c: c.name_de),
    Column("name_en", "string", "English name.", lambda c: c.name_en),
)
STANDARD_COLUMNS = (
    Column("slug", "string", "Stable identifier (the value of the standard filter).", lambda s: s.slug),
    Column("name", "string", "Name.", lambda s: s.name),
    Column("url", "url", "Where the standard is described.", lambda s: s.url),
)


@dataclass(frozen=True)
class Resource:
    name: str  # in the URL: /api/v1/<name>/
    title: str
    columns: Sequence[Column]
    rows: Callable[[], QuerySet]
    filterset: type
    key: str = "id"  # the column that identifies a row in /api/v1/<name>/<key>/
    lookup: str = "pk"  # the model field the key is
    catalog: bool = False  # a catalog's FilterSet (facets, search, sort, its own order)
    select: tuple = ()
    has_updated_at: bool = True
    by_key: Callable[[list], list] | None = None  # the catalogs' reread (datasets.py); else select below

    def fetch(self, keys: list) -> list:
        """The rows with these primary keys, in this order, with what the columns read."""
        if self.by_key is not None:
            return self.by_key(keys)
        rows = self.rows()
        if self.select:  # select_related() without names is deprecated
            rows = rows.select_related(*self.select)
        return in_order(rows, keys)

    def record(self, row) -> dict:
        return {column.name: plain(column.value(row)) for column in self.columns}


def _catalog(name: str, slug: str, title: str, key: str, lookup: str) -> Resource:
    dataset = DATASETS[slug]
    return Resource(
        name=name,
        title=title,
        columns=dataset.columns,
        rows=dataset.rows,
        filterset=dataset.filterset,
        key=key,
        lookup=lookup,
        catalog=True,
        by_key=dataset.reread,
    )


RESOURCES = {
    resource.name: resource
    for resource in (
        _catalog("solutions", "loesungen", "Solutions", "id", "pk"),
        _catalog("pilots", "pilotprojekte", "Pilot projects", "id", "pk"),
        _catalog("municipalities", "kommunen", "Municipalities", "ars", "ars"),
        Resource("vendors", "Vendors", VENDOR_COLUMNS, _public_vendors, VendorFilterSet),
        Resource(
            "references",
            "References",
            REFERENCE_COLUMNS,
            _public_references,
            ReferenceFilterSet,
            select=("solution", "municipality"),
        ),
        Resource(
            "categories",
            "Fields of action",
            CATEGORY_COLUMNS,
            lambda: Category.objects.all(),
            django_filters.FilterSet,
            key="slug",
            lookup="slug",
            has_updated_at=False,
        ),
        Resource(
            "standards",
            "Standards",
            STANDARD_COLUMNS,
            lambda: Standard.objects.all(),
            django_filters.FilterSet,
            key="slug",
            lookup="slug",
            has_updated_at=False,
        ),
    )
}

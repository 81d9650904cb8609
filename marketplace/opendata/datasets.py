"""The platform's datasets: which rows each one has, its columns, and how a column reads its value.

A dataset is one catalog (solutions, pilot projects, municipalities) with the same FilterSet the catalog page
uses, so an export carries exactly the rows the page shows for the same query, in the page's order. Columns
hold stable values (codes, not translated labels), so a harvester's data does not change with the language.
Only what the public pages show goes out: published rows, no contact persons and no private addresses.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from marketplace import mail
from municipalities.filters import MunicipalityFilterSet
from municipalities.models import Municipality
from pilots.filters import PilotFilterSet
from pilots.models import PilotProject
from solutions.filters import SolutionFilterSet
from solutions.models import Solution

LICENCE_ID = "dl-by-de/2.0"
LICENCE_NAME = "Datenlizenz Deutschland – Namensnennung – Version 2.0"
LICENCE_URL = "https://www.govdata.de/dl-de/by-2-0"
# DCAT-AP.de's licence vocabulary names the same licence with this URI.
LICENCE_URI = "http://dcat-ap.de/def/licenses/dl-by-de/2.0"


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # string, integer, number, boolean, date, datetime, url, list of strings
    description: str
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class Dataset:
    slug: str  # in the export's URL and file name
    title: Any
    description: Any
    filterset: type
    rows: Callable[[], QuerySet]  # the published rows the catalog starts from
    reread: Callable[[list[int]], list]  # full rows (with what the columns read) for keys, in their order
    columns: Sequence[Column]
    list_url_name: str

    def filtered(self, data, request=None):
        return self.filterset(data, queryset=self.rows(), request=request)


def _url(path: str) -> str:
    return mail.absolute(path)


def _codes(values) -> list[str]:
    return sorted(values)


def _attach(rows: list, through, key: str, value: str, name: str) -> None:
    """Set ``row.<name>`` to the sorted values of a many-to-many relation, read for all ``rows`` with one
    query of plain values. Not prefetch_related: its caches tie every row into a reference cycle, so the rows
    of an export would stay in memory until the garbage collector's next full pass."""
    values: dict[int, list[str]] = {row.pk: [] for row in rows}
    for pk, item in through.objects.filter(**{f"{key}__in": list(values)}).values_list(key, value):
        values[pk].append(item)
    for row in rows:
        setattr(row, name, sorted(values[row.pk]))


SOLUTION_COLUMNS = (
    Column("id", "integer", "Stable identifier of the solution.", lambda s: s.pk),
    Column("title", "string", "Name of the solution.", lambda s: s.title),
    Column("url", "url", "Public page on the marketplace.", lambda s: _url(s.get_absolute_url())),
    Column("summary", "string", "Short description (at most 400 characters).", lambda s: s.summary),
    Column("vendor", "string", "Name of the verified vendor.", lambda s: s.vendor.name),
    Column("vendor_id", "integer", "Stable identifier of the vendor.", lambda s: s.vendor_id),
    Column("vendor_website", "url", "The vendor's website.", lambda s: s.vendor.website),
    Column("fields_of_action", "list of strings", "Fields of action (slugs).", lambda s: s.field_slugs),
    Column("standards", "list of strings", "Standards and interfaces supported.", lambda s: s.standard_names),
    Column(
        "size_classes",
        "list of strings",
        "Municipality sizes the vendor names as suitable (codes).",
        lambda s: _codes(s.size_classes),
    ),
    Column("maturity", "string", "Maturity (code; empty when not stated).", lambda s: s.maturity),
    Column("licence_type", "string", "open_source or proprietary.", lambda s: s.licence_type),
    Column("spdx_id", "string", "SPDX identifier of an open-source licence.", lambda s: s.spdx_id),
    Column("source_url", "url", "Repository of the source code.", lambda s: s.source_url),
    Column("hosting", "list of strings", "Hosting options (codes).", lambda s: _codes(s.hosting_options)),
    Column("data_location", "string", "Where the data is kept (code).", lambda s: s.data_location),
    Column(
        "dpa_available", "boolean", "A data processing agreement (AVV) is offered.", lambda s: s.dpa_available
    ),
    Column("accessibility", "string", "Accessibility conformance (code).", lambda s: s.accessibility),
    Column("price_model", "string", "Price model (code).", lambda s: s.price_model),
    Column(
        "cost_introduction_eur",
        "integer",
        "Costs of introduction in EUR; empty: on request.",
        lambda s: s.cost_introduction_eur,
    ),
    Column(
        "cost_yearly_eur", "integer", "Costs per year in EUR; empty: on request.", lambda s: s.cost_yearly_eur
    ),
    Column(
        "framework_agreement",
        "boolean",
        "Available through a framework agreement.",
        lambda s: s.framework_agreement,
    ),
    Column("website", "url", "Product website.", lambda s: s.website),
    Column("published_at", "datetime", "When the editors first published it.", lambda s: s.published_at),
    Column("updated_at", "datetime", "Last change.", lambda s: s.updated_at),
)

PILOT_COLUMNS = (
    Column("id", "integer", "Stable identifier of the pilot project.", lambda p: p.pk),
    Column("title", "string", "Name of the pilot project.", lambda p: p.title),
    Column("url", "url", "Public page on the marketplace.", lambda p: _url(p.get_absolute_url())),
    Column("summary", "string", "Short description (at most 400 characters).", lambda p: p.summary),
    Column(
        "lead_municipality", "string", "Name of the lead municipality.", lambda p: p.lead_municipality.name
    ),
    Column(
        "lead_municipality_ars",
        "string",
        "Official regional key (ARS, 12 digits) of the lead municipality.",
        lambda p: p.lead_municipality.ars,
    ),
    Column(
        "land",
        "string",
        "Land of the lead municipality (two-digit key).",
        lambda p: p.lead_municipality.state,
    ),
    Column("fields_of_action", "list of strings", "Fields of action (slugs).", lambda p: p.field_slugs),
    Column("funding", "string", "Funding (code).", lambda p: p.funding),
    Column(
        "model_project_round",
        "integer",
        "Round of the Modellprojekte Smart Cities (year), if funded there.",
        lambda p: p.model_project_round,
    ),
    Column("phase", "string", "Phase (code).", lambda p: p.phase),
    Column("start_date", "date", "Start.", lambda p: p.start_date),
    Column("end_date", "date", "End.", lambda p: p.end_date),
    Column("budget_eur", "integer", "Budget in EUR.", lambda p: p.budget_eur),
    Column("published_at", "datetime", "When the editors first published it.", lambda p: p.published_at),
    Column("updated_at", "datetime", "Last change.", lambda p: p.updated_at),
)

MUNICIPALITY_COLUMNS = (
    Column("ars", "string", "Official regional key (ARS, 12 digits); stable identifier.", lambda m: m.ars),
    Column("ags", "string", "Official municipality key (AGS, 8 digits).", lambda m: m.ags),
    Column("name", "string", "Name.", lambda m: m.name),
    Column("url", "url", "Profile on the marketplace.", lambda m: _url(m.get_absolute_url())),
    Column("level", "string", "Level in the register (code).", lambda m: m.level),
    Column("kind", "string", "Kind, e.g. Stadt, Gemeinde, Landkreis (code).", lambda m: m.kind),
    Column("land", "string", "Land (two-digit key).", lambda m: m.state),
    Column("population", "integer", "Inhabitants.", lambda m: m.population),
    Column("population_date", "date", "Date of the population figure.", lambda m: m.population_date),
    Column("size_class", "string", "Size class (code; Gemeinden and Städte only).", lambda m: m.size_class),
    Column("area_km2", "number", "Area in km².", lambda m: m.area_km2),
    Column("postcode", "string", "Postcode of the seat.", lambda m: m.postcode),
    Column("latitude", "number", "Latitude of the centre (WGS 84).", lambda m: m.latitude),
    Column("longitude", "number", "Longitude of the centre (WGS 84).", lambda m: m.longitude),
    Column(
        "urbanisation",
        "integer",
        "Degree of urbanisation (1 city, 2 town, 3 rural).",
        lambda m: m.urbanisation,
    ),
    Column(
        "model_project_round",
        "integer",
        "Round of the Modellprojekte Smart Cities (year), if funded.",
        lambda m: m.model_project_round,
    ),
    Column("dissolved_on", "date", "Dissolved on (empty while it exists).", lambda m: m.dissolved_on),
    Column("website", "url", "Website.", lambda m: m.website),
)


def in_order(queryset: QuerySet, pks: list[int]) -> list[Model]:
    """The rows of ``queryset`` with these keys, in the keys' order (one query; vanished rows left out)."""
    by_pk = {row.pk: row for row in queryset.filter(pk__in=pks)}
    return [by_pk[pk] for pk in pks if pk in by_pk]


def solutions_by_key(pks: list[int]) -> list[Solution]:
    rows = in_order(Solution.objects.select_related("vendor"), pks)
    _attach(rows, Solution.categories.through, "solution_id", "category__slug", "field_slugs")
    _attach(rows, Solution.standards.through, "solution_id", "standard__name", "standard_names")
    return rows


def pilots_by_key(pks: list[int]) -> list[PilotProject]:
    rows = in_order(PilotProject.objects.select_related("lead_municipality"), pks)
    _attach(rows, PilotProject.categories.through, "pilotproject_id", "category__slug", "field_slugs")
    return rows


DATASETS = {
    dataset.slug: dataset
    for dataset in (
        Dataset(
            slug="loesungen",
            title=_("Smart-city solutions"),
            description=_(
                "Published smart-city solutions for municipalities with their vendor, fields of action, "
                "licence, hosting, data location, costs and standards."
            ),
            filterset=SolutionFilterSet,
            rows=lambda: Solution.objects.published(),
            reread=solutions_by_key,
            columns=SOLUTION_COLUMNS,
            list_url_name="solutions:list",
        ),
        Dataset(
            slug="pilotprojekte",
            title=_("Smart-city pilot projects"),
            description=_(
                "Published pilot projects of German municipalities, among them the Modellprojekte Smart "
                "Cities, with lead municipality, fields of action, funding, phase, dates and budget."
            ),
            filterset=PilotFilterSet,
            rows=lambda: PilotProject.objects.published(),
            reread=pilots_by_key,
            columns=PILOT_COLUMNS,
            list_url_name="pilots:list",
        ),
        Dataset(
            slug="kommunen",
            title=_("Municipalities"),
            description=_(
                "The official register of German municipalities, Kreise and Länder with keys, population, "
                "area, centre and the Modellprojekte Smart Cities round."
            ),
            filterset=MunicipalityFilterSet,
            rows=lambda: Municipality.objects.all(),
            reread=lambda pks: in_order(Municipality.objects.all(), pks),
            columns=MUNICIPALITY_COLUMNS,
            list_url_name="municipalities:list",
        ),
    )
}


def plain(value) -> Any:
    """A column value as JSON has it: dates as ISO 8601, decimals as numbers, lists as they are."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value

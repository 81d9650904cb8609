"""The municipalities catalog's filters: name search, facets with live counts, sorting.

Parameter names are fixed (links, the profile page and the benchmark use them):

* ``q``: name (or part of it, from two letters on), postcode or key, as ``Municipality.objects.search``
  finds them
* ``level``: the level of the register ("Ebene"): ``gemeinde`` (Gemeinden and Städte), ``verband``,
  ``kreis``, ``land``, or ``all``. Without it the bare catalog (nothing but ``sort``/``page``) lists
  Gemeinden: a visitor looks for a town, nine in ten rows of the register are Gemeinden, and a list mixing
  a Gemeinde with its Verband, its Kreis and its Land names the same place four times. A link with any
  other filter but no ``level`` means every level, so links made before the register had levels keep
  their meaning.
* ``state``: the Land, the first two digits of the key (drawn as the map)
* ``kreis``: the Kreis, its five-digit ARS (a profile links to ``?kreis=<ARS>``)
* ``kind``: ``Municipality.Kind`` values
* ``size``: ``SizeClass`` values (Gemeinden and Städte only)
* ``funded``: round of the Modellprojekte Smart Cities, ``2019``, ``2020``, ``2021``; ``1`` (older links:
  "funded") means every round
* ``uses``: ``1``, uses at least one solution of the catalog (a public reference)
* ``dissolved``: ``1`` also lists municipalities dissolved or merged into another (left out otherwise)
* ``sort``: ``name`` (default) or ``population``; ``page`` (validated by
  ``marketplace.catalog.pagination.paginate``)

Pages are read by key: every row's key in the chosen order is kept per content version, the facet index says
which rows pass the filters, and one query reads the page's rows (no sort of thousands of rows per request).
"""

from collections.abc import Iterable
from typing import Any

import django_filters
from django import forms
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce, Substr
from django.http import QueryDict
from django.utils.functional import lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from marketplace.catalog.facets import Chip, FacetSpec
from marketplace.catalog.filters import chosen_sort, sort_filter, text_filter
from marketplace.catalog.filtersets import FacetedFilterSet
from marketplace.catalog.ordering import KeptOrder, MatchingInOrder, kept_order

from .models import Level, ModelProjectRound, Municipality, MunicipalityQuerySet, SizeClass, State

Kind = Municipality.Kind
ALL_LEVELS = "all"
LEVEL_CHOICES = [
    (Level.GEMEINDE.value, _("Towns and municipalities (Gemeinden)")),
    (Level.VERBAND.value, _("Associations of municipalities (Gemeindeverbände)")),
    (Level.KREIS.value, _("Districts and district-free cities (Kreise)")),
    (Level.LAND.value, _("Länder")),
]
# The kinds a level's rows have; the kind facet offers those of the chosen levels (and any selected one).
LEVEL_KINDS = {
    Level.GEMEINDE: (Kind.STADT, Kind.GEMEINDE, Kind.MARKT, Kind.KREISFREIE_STADT),
    Level.VERBAND: (
        Kind.AMT,
        Kind.SAMTGEMEINDE,
        Kind.VERBANDSGEMEINDE,
        Kind.VERWALTUNGSGEMEINSCHAFT,
        Kind.VERWALTUNGSVERBAND,
        Kind.ERFUELLENDE_GEMEINDE,
        Kind.KIRCHSPIELSLANDGEMEINDE,
        Kind.VERBAND,
    ),
    Level.KREIS: (Kind.LANDKREIS, Kind.KREIS, Kind.KREISFREIE_STADT, Kind.REGIONALVERBAND),
    Level.LAND: (),
}
FUNDED_ANY = "1"  # the value of the older yes/no facet: every round
_round_label = lazy(lambda year: gettext("Round %(year)s") % {"year": year}, str)
FUNDED_CHOICES = [(str(value), _round_label(label)) for value, label in ModelProjectRound.choices]
KREIS_KEY_LENGTH = 5  # the first five digits of ARS and AGS name the Kreis (Land, Bezirk, Kreis)
MIN_SEARCH_LENGTH = MunicipalityQuerySet.SEARCH_MIN_LENGTH  # shorter text finds nothing (search())
FILTER_PARAMETERS = ("q", "state", "kreis", "kind", "size", "funded", "uses", "dissolved")
CARD_FIELDS = (
    "name",
    "slug",
    "kind",
    "level",
    "ars",
    "ags",
    "state",
    "population",
    "size_class",
    "dissolved_on",
    "is_demo",
    "is_model_project",
    "model_project_round",
)


def with_catalog_fields(queryset):
    """``catalog_level`` (the level, or for rows made before the register had levels the one their kind
    implies) and ``kreis_key`` (the five-digit key of the row's Kreis; shorter for a Land) on each row."""
    legacy = Q(level="")
    catalog_level = Case(
        When(legacy & Q(kind__in=Municipality.TOWN_KINDS), then=Value(Level.GEMEINDE.value)),
        When(
            legacy & Q(kind__in=(Kind.LANDKREIS, Kind.KREIS, Kind.REGIONALVERBAND)),
            then=Value(Level.KREIS.value),
        ),
        When(legacy & Q(kind=Kind.LAND), then=Value(Level.LAND.value)),
        When(legacy, then=Value(Level.VERBAND.value)),
        default=F("level"),
    )
    kreis_key = Coalesce(Substr("ars", 1, KREIS_KEY_LENGTH), Substr("ags", 1, KREIS_KEY_LENGTH))
    if "kreis_key" in queryset.query.annotations:  # already a catalog's queryset
        return queryset
    return queryset.annotate(catalog_level=catalog_level, kreis_key=kreis_key)


def kreis_choices() -> list[tuple[str, str]]:
    """Every current Kreis as (five-digit key, name), by Land and name; a district-free city says so.

    Rows made before the register had levels (kind Landkreis or kreisfreie Stadt, key in the AGS) count
    unless a register row has the same key."""
    rows = (
        with_catalog_fields(Municipality.objects.filter(dissolved_on__isnull=True))
        .filter(
            Q(level=Level.KREIS)
            | Q(level="", kind__in=(Kind.LANDKREIS, Kind.KREIS, Kind.KREISFREIE_STADT), ars__isnull=True)
        )
        .order_by("kreis_key", "level")  # "kreis" after "": the register row wins
        .values_list("kreis_key", "name", "kind")
    )
    labels = {}
    for key, name, kind in rows:
        if kind == Kind.KREISFREIE_STADT:
            name = _("%(name)s (district-free city)") % {"name": name}
        labels[key] = str(name)
    return sorted(labels.items(), key=lambda item: (item[0][:2], _alphabetical(item[1])))


def _alphabetical(text: str) -> str:
    """A sort key that files umlauts with their vowel, as German lists do (Ö between O and P)."""
    return text.casefold().translate(_UMLAUTS)


_UMLAUTS = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})


def _uses_q(value) -> Q:
    """Has at least one public reference (``pilots`` sits above this app: reached through the relation)."""
    references = Municipality._meta.get_field("references").related_model
    # IN rather than a correlated EXISTS: PostgreSQL hashes the public references once either way, but
    # estimates EXISTS so dear that it compiles the facet index's query (JIT, about 12 ms more). DISTINCT,
    # because the index reads this as a flag in its select list, and there PostgreSQL hashes the subquery
    # only if it expects its rows to fit in work_mem: 350,000 references (100,000 solutions) did not, and
    # it scanned them again for each of the 13,000 rows (150 s); their distinct municipalities do.
    return Q(pk__in=references.objects.public().values("municipality_id").distinct())


def normalised(data) -> tuple[QueryDict, bool]:
    """The request's parameters with the defaults applied, and whether the level is the default one.

    ``level``: absent on the bare catalog means Gemeinden; absent with any filter means all levels (as
    ``level=all``). ``funded=1`` (older links) becomes every round.
    """
    query = QueryDict(mutable=True)
    for key in data or ():
        query.setlist(key, data.getlist(key) if hasattr(data, "getlist") else [data[key]])
    level_is_default = not [value for value in query.getlist("level") if value]
    if level_is_default:
        bare = not any(value.strip() for name in FILTER_PARAMETERS for value in query.getlist(name))
        query.setlist("level", [Level.GEMEINDE.value] if bare else [ALL_LEVELS])
    funded = query.getlist("funded")
    if FUNDED_ANY in funded:
        rounds = [value for value, _label in FUNDED_CHOICES]
        query.setlist("funded", rounds + [value for value in funded if value not in {FUNDED_ANY, *rounds}])
    return query, level_is_default


class SortChoice:
    NAME = "name"
    POPULATION = "population"

    choices = [
        (NAME, _("Name (A–Z)")),
        (POPULATION, _("Population (largest first)")),
    ]


class MunicipalityFilterSet(FacetedFilterSet):
    q = text_filter(_("Name"), "filter_name")
    dissolved = django_filters.BooleanFilter(
        label=_("Also list dissolved and merged municipalities"),
        method="keep",  # applied in filter_queryset: it chooses the rows the facets count
        widget=forms.CheckboxInput,
    )
    sort = sort_filter(SortChoice.choices)

    facet_specs = [
        FacetSpec("state", _("Land"), lookup="state", choices=State.choices),
        FacetSpec("level", _("Level"), lookup="catalog_level", choices=LEVEL_CHOICES),
        FacetSpec("kreis", _("District (Kreis)"), lookup="kreis_key", choices=kreis_choices),
        FacetSpec("kind", _("Kind"), lookup="kind", choices=Kind.choices),
        FacetSpec("size", _("Size class"), lookup="size_class", choices=SizeClass.choices),
        FacetSpec(
            "funded", _("Modellprojekte Smart Cities"), lookup="model_project_round", choices=FUNDED_CHOICES
        ),
        FacetSpec(
            "uses", _("Solutions in use"), q=_uses_q, choices=[("1", _("Uses at least one listed solution"))]
        ),
    ]

    class Meta:
        model = Municipality
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        self.level_is_default = False
        if data is not None:
            data, self.level_is_default = normalised(data)
        queryset = Municipality.objects.all() if queryset is None else queryset
        super().__init__(data, with_catalog_fields(queryset), request=request, prefix=prefix)
        self.search_text = ""

    @property
    def form(self):
        """The form sees ``level=all`` as no level selected; the URLs keep it (``self.data``), so that a
        link without a level does not fall back to the default."""
        if not hasattr(self, "_form"):
            data = self.data
            if data is not None and ALL_LEVELS in data.getlist("level"):
                data = data.copy()
                data.setlist("level", [value for value in data.getlist("level") if value != ALL_LEVELS])
            self._form = self.get_form_class()(data, prefix=self.form_prefix)
        return self._form

    @staticmethod
    def keep(queryset, name, value):
        return queryset

    @property
    def includes_dissolved(self) -> bool:
        self.errors  # noqa: B018 - validates the form
        return bool(getattr(self.form, "cleaned_data", {}).get("dissolved"))

    def filter_queryset(self, queryset):
        if not self.includes_dissolved:
            queryset = queryset.filter(dissolved_on__isnull=True)
        return super().filter_queryset(queryset)

    def filter_name(self, queryset, name, value):
        """What the autocomplete finds (name, postcode or key; ``Municipality.objects.search``), listed in the
        catalog's own order."""
        self.search_text = " ".join(value.split())
        return queryset.search(self.search_text).order_by() if self.search_text else queryset

    @property
    def sort_order(self) -> str:
        return chosen_sort(self) or SortChoice.NAME

    @property
    def selected_levels(self) -> list[str]:
        """The levels shown: the selected ones, or every level of ``LEVEL_CHOICES`` when none is."""
        chosen = self.selected_values().get("level") or []
        return chosen or [value for value, _label in LEVEL_CHOICES]

    def kreis_names(self) -> dict[str, str]:
        return dict(self.facet_choices["kreis"])

    def _order(self) -> KeptOrder:
        """Every row's key in the chosen order, kept in this process until the data changes.

        Sorted here rather than by the database: its collation may be "C" (Ö after Z); German lists file
        umlauts with their vowel."""
        universe = getattr(self, "_universe", self.queryset)
        sort = self.sort_order

        def keys():
            rows = universe.order_by().values_list("pk", "name", "population")
            if sort == SortChoice.POPULATION:
                order = sorted(
                    rows, key=lambda r: (r[2] is None, -(r[2] or 0), _alphabetical(r[1]), r[1], r[0])
                )
            else:
                order = sorted(rows, key=lambda r: (_alphabetical(r[1]), r[1], r[0]))
            return [pk for pk, _name, _population in order]

        version = self.content_version
        key = None if version is None else ("municipalities", sort, self.includes_dissolved, version)
        return kept_order(key, keys)

    def _page_rows(self, pks: Iterable[Any]) -> list[Municipality]:
        names = self.kreis_names()
        # Django's get_kind_display() hashes all 19 choices on every call: a millisecond per page.
        kinds = {value: str(label) for value, label in Kind.choices}
        rows = list(self.queryset.filter(pk__in=list(pks)).only(*CARD_FIELDS))
        for row in rows:
            row.kind_label = kinds.get(row.kind, row.kind)
            # A Kreis, a Land and a district-free city need no Kreis beside their name.
            own = row.catalog_level in {Level.KREIS, Level.LAND} or row.kind == Kind.KREISFREIE_STADT
            row.kreis_name = "" if own else names.get(row.kreis_key, "")
        return rows

    def ordered(self):
        """The filtered rows in the chosen order, with ``kreis_name`` and ``kind_label``, page by page."""
        self.qs  # noqa: B018 - applies the filters
        matching = self.matching
        if matching is None:  # the search could not run: nothing matches
            return []
        return MatchingInOrder(self._order(), matching, self.total, self._page_rows)

    def invalid_messages(self) -> list[str]:
        messages = super().invalid_messages()
        if self.search_text and len(self.search_text) < MIN_SEARCH_LENGTH:
            messages.append(
                ngettext(
                    "Please enter at least %(count)d character.",
                    "Please enter at least %(count)d characters.",
                    MIN_SEARCH_LENGTH,
                )
                % {"count": MIN_SEARCH_LENGTH}
            )
        return messages

    # -- chips and links -------------------------------------------------------------------------------------
    def all_levels_url(self) -> str:
        """This page with every level instead of the chosen ones."""
        return self._query_without("level")

    def _query_without(self, name: str, value: str | None = None) -> str:
        """Removing the last level means all levels (an absent level could mean the default)."""
        url = super()._query_without(name, value)
        if name != "level":
            return url
        data = QueryDict(url.partition("?")[2], mutable=True)
        if not data.getlist("level"):
            data.setlist("level", [ALL_LEVELS])
        path = self.request.path if self.request is not None else ""
        return f"{path}?{data.urlencode()}"

    @property
    def chips(self) -> list[Chip]:
        """As every catalog's, without the default level (the reset link would lead to the same page), plus
        one for listing dissolved municipalities."""
        chips = super().chips
        if self.level_is_default:
            level_label = str(self.filters["level"].label)
            chips = [chip for chip in chips if chip.label != level_label]
        if self.includes_dissolved:
            chips.append(self.chip_for("dissolved", str(_("included"))))
        return chips

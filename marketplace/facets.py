"""Faceted filtering shared by every catalog (solutions, pilots, municipalities).

A *facet* is a multi-select filter whose options show how many rows the catalog would list if that option
were ticked, given everything else the user chose. Counts are *disjunctive*: the counts of facet F apply all
active filters except F's own, so ticking one option does not zero its siblings (options inside one facet
are OR-ed, facets are AND-ed).

Counts come from a *facet index*: for the catalog's whole queryset (e.g. all published solutions), one bit
set per option of the rows it matches, read with a few queries (one for the plain and array fields and the
``q`` options, one per facet across a multi-valued relation) and kept in this process until
``data_version()`` changes. A request then counts every option of every facet with a few thousand integer
operations: the rows of the non-facet filters (typically the free-text search; one query for their primary
keys), AND the selections of the other facets, AND the option, popcount. Where there is no data version (a
transaction that has written itself, or ``facet_cache_timeout = None``) the same numbers come from ONE
aggregate query instead, in which every option becomes
``Count("pk", filter=<option> & <all other facets' selections>)``. Either way the number of SQL queries
does not grow with rows or options; facets with database-driven choices add one small query each for
their choices (cached until the data changes).

Usage (see ``solutions/filters.py`` and ``solutions/views.py`` for a complete example)::

    from marketplace.facets import FacetSpec, FacetedFilterSet, paginate

    class PilotFilterSet(FacetedFilterSet):
        q = django_filters.CharFilter(method="search")          # non-facet filters work as usual
        facet_specs = [
            FacetSpec("category", _("Field of action"), lookup="categories__slug",
                      choices=lambda: [(c.slug, c.name) for c in Category.objects.all()]),
            FacetSpec("phase", _("Phase"), lookup="phase", choices=PilotProject.Phase.choices),
            FacetSpec("size", _("Size class"), lookup="lead_municipality__size_class",
                      choices=SizeClass.choices),
        ]

        class Meta:
            model = PilotProject
            fields = []

    filterset = PilotFilterSet(request.GET, queryset=PilotProject.objects.published())
    filterset.qs              # rows matching every filter (order it yourself)
    filterset.facets          # list[Facet]: name, label, options[value, label, count, selected, dom_id]
    filterset.total           # number of rows in filterset.qs, counted with the facets
    filterset.matching        # index path: ``pk in filterset.matching``; None on the aggregate path
    filterset.chips           # list[Chip] (label, value_label, url without that value; built with QueryDict)
    filterset.invalid_messages()  # plain-language messages for ignored or invalid parameters
    result = paginate(filterset.qs.order_by(...), request.GET, count=filterset.total)
    result.page_obj, result.message   # the page (with .elided_pages) and a message for a bad page number

``FacetSpec`` options:

* ``lookup``: a field path. Scalar fields and forward foreign keys become ``Q(lookup=value)``. A path
  crossing a multi-valued relation (m2m or reverse FK, e.g. ``categories__slug`` or
  ``references__municipality__state``) becomes ``Q(pk__in=<subquery>)``, so rows are never multiplied and
  counts stay exact without DISTINCT. With ``array=True`` the field is a PostgreSQL array:
  ``Q(<lookup>__contains=[value])``.
* ``q``: instead of ``lookup``, any callable ``value -> Q``. It must not multiply rows either, nor contain an
  ``__in`` with an empty list (Django would treat the whole count query as empty).
* ``choices``: a list of ``(value, label)`` or a callable returning one (evaluated once per request).
  Unknown values in the request are dropped (the valid ones still apply) and reported by
  ``invalid_messages()``.

Templates (all in ``templates/includes/``, each documents its context at the top):

* ``{% facet_fieldset facet %}`` (``marketplace/templatetags/catalog.py``, not a template): a fieldset with a
  legend and one checkbox per option with its count.
* ``_facet_counts_oob.html`` (``facets``; or ``placeholder=True``): all counts in one htmx out-of-band
  element that ``static/js/catalog.js`` copies into the count spans. Keep the checkboxes outside the swapped
  region, put the include in the partial and, with ``placeholder=True``, once in the page outside the
  swapped region: focus and checked state stay, only the numbers change, and the partial stays small.
* ``_active_filters.html`` (``chips``, ``reset_url``): removable chips and a reset link.
* ``_pagination.html`` (``page_obj`` from ``paginate``) and ``_sort.html`` (``field``, e.g. ``form.sort``).
"""

from __future__ import annotations

import copy
import operator
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import reduce
from typing import Any

import django_filters
from django import forms
from django.contrib.postgres.aggregates import ArrayAgg
from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist
from django.db import connections, models
from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

Choices = Sequence[tuple[Any, Any]] | Callable[[], Sequence[tuple[Any, Any]]]

# Parameters that never survive a change of filters (a new filter state starts on page 1).
RESET_ON_CHANGE = ("page",)
SUBQUERY_LIMIT = 10**9


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    dom_id: str  # id of the checkbox; "<dom_id>-count" is the id of its count


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    options: list[FacetOption]

    @property
    def selected(self) -> list[FacetOption]:
        return [option for option in self.options if option.selected]

    @property
    def is_active(self) -> bool:
        return any(option.selected for option in self.options)


@dataclass(frozen=True)
class Chip:
    """One active filter value and the URL of the same page without it."""

    label: str
    value_label: str
    url: str


def _multi_valued(model: type[models.Model], path: str) -> bool:
    """Whether a lookup path crosses a relation that can match several rows per object."""
    current = model
    for part in path.split("__"):
        try:
            f = current._meta.get_field(part)
        except FieldDoesNotExist:
            return False  # a lookup/transform such as "contains" or "year"
        if f.many_to_many or f.one_to_many:
            return True
        if not f.is_relation:
            return False
        current = f.related_model
    return False


@dataclass
class FacetSpec:
    name: str
    label: Any
    choices: Choices
    lookup: str | None = None
    q: Callable[[Any], Q] | None = None
    array: bool = False
    _model: type[models.Model] | None = field(default=None, repr=False)

    def bind(self, model: type[models.Model]) -> FacetSpec:
        if self.q is None and self.lookup is None:
            raise ValueError(f"FacetSpec {self.name!r} needs a lookup or a q callable.")
        return FacetSpec(self.name, self.label, self.choices, self.lookup, self.q, self.array, model)

    def _related_pks(self, lookup: str, value: Any) -> Q:
        """``Q(pk__in=...)`` for a lookup across a multi-valued relation, read from the narrowest table.

        ``categories__slug=x`` becomes ``pk IN (SELECT solution_id FROM <through table> JOIN category ...)``:
        the link table alone, without joining the counted table back in for every matching link.
        """
        model = self._model
        first, _, rest = self.lookup.partition("__")
        field = model._meta.get_field(first)
        if field.many_to_many and not field.auto_created:  # forward m2m: its through table
            through = field.remote_field.through
            target = field.m2m_reverse_field_name()
            suffix = lookup[len(self.lookup) :]
            path = f"{target}__{rest}{suffix}" if rest else f"{target}{suffix}"
            return Q(pk__in=through._base_manager.filter(**{path: value}).values(field.m2m_field_name()))
        if field.one_to_many and rest:  # reverse foreign key: the related table
            suffix = lookup[len(self.lookup) :]
            related = field.related_model
            return Q(
                pk__in=related._base_manager.filter(**{f"{rest}{suffix}": value}).values(field.field.name)
            )
        return Q(pk__in=model._base_manager.filter(**{lookup: value}).values("pk"))

    def grouped_pks(self, queryset: models.QuerySet) -> models.QuerySet:
        """For a lookup across a multi-valued relation: ``(value, [primary key, ...])`` rows, one per value.

        Read from the narrowest table like ``_related_pks`` (the link table of a forward m2m, the related
        table of a reverse foreign key), so the keys may include rows outside ``queryset`` and may repeat.
        """
        first, _, rest = self.lookup.partition("__")
        field = self._model._meta.get_field(first)
        if field.many_to_many and not field.auto_created:
            through = field.remote_field.through
            target = field.m2m_reverse_field_name()
            path = f"{target}__{rest}" if rest else target
            owner = field.m2m_field_name()
            rows = through._base_manager.values(path).annotate(_pks=ArrayAgg(owner))
            return rows.order_by().values_list(path, "_pks")
        if field.one_to_many and rest:
            rows = field.related_model._base_manager.values(rest).annotate(_pks=ArrayAgg(field.field.name))
            return rows.order_by().values_list(rest, "_pks")
        rows = queryset.order_by().values(self.lookup).annotate(_pks=ArrayAgg("pk"))
        return rows.values_list(self.lookup, "_pks")

    def option_q(self, value: Any) -> Q:
        """Rows matching one option; never multiplies rows."""
        if self.q is not None:
            return self.q(value)
        if self.array:
            return Q(**{f"{self.lookup}__contains": [value]})
        if self._model is not None and _multi_valued(self._model, self.lookup):
            return self._related_pks(self.lookup, value)
        return Q(**{self.lookup: value})

    def selection_q(self, values: Iterable[Any]) -> Q:
        """Rows matching any of the selected values (options of one facet are OR-ed)."""
        values = list(values)
        if not values:
            return Q()
        if self.q is None and not self.array and self._model is not None:
            if _multi_valued(self._model, self.lookup):
                return self._related_pks(f"{self.lookup}__in", values)
            return Q(**{f"{self.lookup}__in": values})
        return reduce(operator.or_, (self.option_q(value) for value in values))


def _and(qs: Iterable[Q]) -> Q:
    return reduce(operator.and_, qs, Q())


# Catalog and detail pages read only these apps' tables; writes elsewhere (sessions, login attempts, the
# task queue) must not throw the cached numbers away.
CONTENT_TABLE_PATTERNS = ("solutions\\_%", "pilots\\_%", "municipalities\\_%")
# ... nor do writes to the tables of these apps that no public page reads: sign-ups, organisation
# memberships and join requests, and changes that vendors propose to published solutions.
NON_PUBLIC_TABLES = (
    "solutions_emailverification",
    "solutions_joinrequest",
    "solutions_vendormembership",
    "solutions_solutionrevision",
)


def data_version(using: str = "default") -> str | None:
    """A token that changes when rows of the content tables change; None: don't serve from the cache.

    Two parts: PostgreSQL's per-table row counters (``pg_stat_user_tables``) of the content apps' tables,
    which move with every committed insert, update and delete of any session and reach other sessions within
    about a second, and the storage file numbers of those tables, which TRUNCATE (not counted as deleted rows)
    replaces at once. Reads leave both alone, and so do writes to other tables (sessions, login attempts, the
    task queue, and the ``NON_PUBLIC_TABLES``). A transaction that has written itself gets None (its own
    changes are not counted yet), so it always sees fresh numbers. On a read replica the replay position plays
    the same role.
    """
    patterns = list(CONTENT_TABLE_PATTERNS)
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT CASE"
            " WHEN pg_current_xact_id_if_assigned() IS NOT NULL THEN NULL"
            " WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()::text"
            # The counters of pg_stat_user_tables, read straight from pg_class: the view computes a dozen
            # statistics for every table of the database.
            " ELSE (SELECT coalesce(sum(pg_stat_get_tuples_inserted(c.oid)"
            " + pg_stat_get_tuples_updated(c.oid) + pg_stat_get_tuples_deleted(c.oid)), 0)::text"
            " || ':' || coalesce(sum(c.relfilenode::bigint), 0)::text"
            " FROM pg_class c WHERE c.relkind = 'r' AND c.relname LIKE ANY (%s) AND c.relname <> ALL (%s)"
            " AND c.relnamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace))"
            " END",
            [patterns, list(NON_PUBLIC_TABLES)],
        )
        return cursor.fetchone()[0]


def cached_for_version(name: str, compute: Callable[[], Any], version: str | None, timeout: int = 600) -> Any:
    """``compute()``, kept in Django's cache until ``version`` (``data_version()``) changes.

    Without a version (a transaction that has written) it is computed every time.
    """
    if version is None:
        return compute()
    key = f"data:{name}:{version}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value


def _count_options(
    queryset: models.QuerySet,
    specs: Sequence[FacetSpec],
    choices: dict[str, list[tuple[str, str]]],
    selected: dict[str, list[str]],
) -> dict[str, int]:
    """The one aggregate query: ``{"f<facet index>_<option index>": count, ..., "_total": count}``."""
    selections = {spec.name: spec.selection_q(selected.get(spec.name, [])) for spec in specs}
    queryset = queryset.order_by()
    # Each active selection becomes a boolean column of a subquery, evaluated once per row; written into
    # every option's FILTER instead, PostgreSQL would evaluate it (and build its subplan) once per option.
    flags = {name: f"_selected_{index}" for index, (name, q) in enumerate(selections.items()) if q}
    if flags:
        queryset = queryset.annotate(
            **{
                flag: ExpressionWrapper(selections[name], output_field=BooleanField())
                for name, flag in flags.items()
            }
        )[:SUBQUERY_LIMIT]  # the LIMIT keeps the subquery from being flattened into the aggregate

    def matching(names: Iterable[str]) -> Q:
        return _and(Q(**{flags[name]: True}) for name in names)

    aggregates: dict[str, Count] = {}
    for spec_index, spec in enumerate(specs):
        others = matching(name for name in flags if name != spec.name)
        for option_index, (value, _label) in enumerate(choices[spec.name]):
            aggregates[f"f{spec_index}_{option_index}"] = Count("pk", filter=spec.option_q(value) & others)
    aggregates["_total"] = Count("pk", filter=matching(flags)) if flags else Count("pk")
    return queryset.aggregate(**aggregates)


@dataclass(frozen=True)
class FacetIndex:
    """For one queryset: each option's matching rows as a bit set (bit i = the i-th primary key)."""

    positions: dict[Any, int]  # primary key -> bit
    everything: int  # all rows
    masks: dict[str, list[int]]  # facet name -> one bit set per option, in choices order

    def mask_of(self, pks: Iterable[Any]) -> int:
        """The bit set of some rows; primary keys outside the indexed queryset are ignored."""
        positions = self.positions
        return _bit_set((positions.get(pk) for pk in pks), len(positions))


def _bit_set(positions: Iterable[int | None], size: int) -> int:
    """An int with the given bits set (None is skipped), built as a string of binary digits."""
    digits = bytearray(b"0") * size
    for position in positions:
        if position is not None:
            digits[position] = 49  # "1"
    digits.reverse()  # bit 0 is the last digit
    return int(digits, 2) if size else 0


# Indexes of this process, newest last; a few catalogs (and querysets) at a time, about 1 MB per 10,000 rows.
_INDEXES: OrderedDict[tuple, tuple[float, FacetIndex]] = OrderedDict()  # key -> (built at, index)
_INDEXES_LOCK = threading.Lock()
INDEX_LIMIT = 8
INDEX_MAX_AGE = 600  # seconds


def _index_key(queryset, specs, choices, version) -> tuple:
    sql, params = queryset.order_by().query.sql_with_params()
    options = tuple((spec.name, tuple(value for value, _label in choices[spec.name])) for spec in specs)
    return (queryset.db, queryset.model._meta.label, sql, tuple(map(repr, params)), options, version)


def clear_facet_indexes() -> None:
    """Forget every index of this process (the next request rebuilds; the benchmark's cold rows use it)."""
    with _INDEXES_LOCK:
        _INDEXES.clear()


def build_facet_index(
    queryset: models.QuerySet, specs: Sequence[FacetSpec], choices: dict[str, list[tuple[str, str]]]
) -> FacetIndex:
    """Read which option every row of ``queryset`` matches, with the same semantics as ``option_q``.

    One query fetches the primary keys with every plain or array field and one boolean per option of the
    ``q`` facets; each facet across a multi-valued relation adds one query of its values with the primary
    keys of their rows, joined the way ``filter(<lookup>=value)`` joins.
    """
    queryset = queryset.order_by()
    model = queryset.model
    plain = [spec for spec in specs if spec.q is None and not _multi_valued(model, spec.lookup)]
    related = [spec for spec in specs if spec.q is None and _multi_valued(model, spec.lookup)]
    flagged = [spec for spec in specs if spec.q is not None]
    flags = {
        f"_facet_{spec_index}_{option_index}": ExpressionWrapper(spec.option_q(value), BooleanField())
        for spec_index, spec in enumerate(flagged)
        for option_index, (value, _label) in enumerate(choices[spec.name])
    }
    rows = queryset.annotate(**flags).values_list("pk", *(spec.lookup for spec in plain), *flags)
    columns = list(zip(*rows, strict=True)) or [()] * (1 + len(plain) + len(flags))
    positions = {pk: position for position, pk in enumerate(columns[0])}
    size = len(positions)

    def option_bit_sets(spec: FacetSpec, groups: dict[Any, list[int]]) -> list[int]:
        """One bit set per option from the rows' positions grouped by their value."""
        members: dict[str, list[int]] = {}
        for value, rows_with_value in groups.items():
            if value is not None:
                members.setdefault(str(value), []).extend(rows_with_value)
        return [_bit_set(members.get(value, ()), size) for value, _label in choices[spec.name]]

    masks: dict[str, list[int]] = {}
    for column, spec in enumerate(plain, start=1):
        values = columns[column]
        groups: dict[Any, list[int]] = {}
        if spec.array:
            for position, items in enumerate(values):
                for item in items or ():
                    groups.setdefault(item, []).append(position)
        else:
            for position, value in enumerate(values):
                groups.setdefault(value, []).append(position)
        masks[spec.name] = option_bit_sets(spec, groups)
    column = 1 + len(plain)
    for spec in flagged:
        masks[spec.name] = []
        for _choice in choices[spec.name]:
            matching = (position for position, flag in enumerate(columns[column]) if flag)
            masks[spec.name].append(_bit_set(matching, size))
            column += 1
    for spec in related:
        # Grouped by the database: one row per value with the primary keys of its rows (rows outside
        # ``queryset`` have no position and are skipped).
        groups = {value: list(map(positions.get, pks)) for value, pks in spec.grouped_pks(queryset)}
        masks[spec.name] = option_bit_sets(spec, groups)
    return FacetIndex(positions, (1 << size) - 1, {spec.name: masks[spec.name] for spec in specs})


def facet_index(
    queryset: models.QuerySet,
    specs: Sequence[FacetSpec],
    choices: dict[str, list[tuple[str, str]]],
    version: str,
) -> FacetIndex:
    """The index of ``queryset`` for this data version: from this process's memory, or built now."""
    key = _index_key(queryset, specs, choices, version)
    now = time.monotonic()
    with _INDEXES_LOCK:
        entry = _INDEXES.get(key)
        # A version token could come back after PostgreSQL reset its statistics; an age limit, like the cache
        # timeout of the other version-keyed data, bounds how long an index could outlive its data then.
        if entry is not None and now - entry[0] < INDEX_MAX_AGE:
            _INDEXES.move_to_end(key)
            return entry[1]
    index = build_facet_index(queryset, specs, choices)
    with _INDEXES_LOCK:
        _INDEXES[key] = (now, index)
        _INDEXES.move_to_end(key)
        while len(_INDEXES) > INDEX_LIMIT:
            _INDEXES.popitem(last=False)
    return index


def _count_with_index(
    index: FacetIndex,
    specs: Sequence[FacetSpec],
    choices: dict[str, list[tuple[str, str]]],
    selected: dict[str, list[str]],
    base: int,
) -> dict[str, int]:
    """The counts of ``_count_options`` from bit sets: AND the selections, popcount each option.

    ``"_matching"`` is the bit set of the rows that pass every selection.
    """
    selections: dict[str, int] = {}
    for spec in specs:
        values = selected.get(spec.name)
        if values:
            positions = {value: i for i, (value, _label) in enumerate(choices[spec.name])}
            masks = index.masks[spec.name]
            selections[spec.name] = reduce(operator.or_, (masks[positions[v]] for v in values), 0)
    counts: dict[str, int] = {}
    for spec_index, spec in enumerate(specs):
        others = base
        for name, mask in selections.items():
            if name != spec.name:
                others &= mask
        for option_index, mask in enumerate(index.masks[spec.name]):
            counts[f"f{spec_index}_{option_index}"] = (mask & others).bit_count()
    total = base
    for mask in selections.values():
        total &= mask
    counts["_total"] = total.bit_count()
    counts["_matching"] = total
    return counts


class Matching:
    """The rows of the counted queryset that pass every facet selection, as the facet index knows them."""

    def __init__(self, index: FacetIndex, mask: int):
        self.index = index
        self.mask = mask
        self._digits = format(mask, "b")[::-1]  # digit i is bit i: one lookup per row, no big-int shifts

    def __contains__(self, pk: Any) -> bool:
        position = self.index.positions.get(pk)
        return position is not None and position < len(self._digits) and self._digits[position] == "1"


def count_facets(
    queryset: models.QuerySet,
    specs: Sequence[FacetSpec],
    choices: dict[str, list[tuple[str, str]]],
    selected: dict[str, list[str]],
    *,
    universe: models.QuerySet | None = None,
    version: str | None = None,
    base_pks: Callable[[], Iterable[Any]] | None = None,
) -> tuple[list[Facet], int, Matching | None]:
    """Disjunctive facet counts, the total and the matching rows, from the facet index or one aggregate query.

    ``queryset`` is filtered by everything except the facets; ``selected`` maps facet names to selected values
    (already validated against ``choices``). Returns the facets in ``specs`` order, the number of rows
    matching all selections and, when counted from the index, a ``Matching`` of those rows (else None).

    With a ``version`` (``data_version()``) the counts come from the facet index of ``universe`` (the
    catalog's whole queryset, of which ``queryset`` is a filtered part; by default ``queryset`` itself), kept
    in memory until the version changes. A filtered ``queryset`` costs one query for its primary keys:
    ``base_pks()`` if given (a caller may read more of those rows in the same query), else
    ``values_list("pk")``. Without a version the counts come from one aggregate query over ``queryset``.
    """
    selected = {name: [str(value) for value in values] for name, values in selected.items() if values}
    matching = None
    if queryset.query.is_empty():
        counts = {"_total": 0}
    elif version is not None:
        universe = queryset if universe is None else universe
        index = facet_index(universe, specs, choices, version)
        if queryset is universe:  # no non-facet filter applied
            base = index.everything
        elif base_pks is not None:
            base = index.mask_of(base_pks())
        else:
            base = index.mask_of(queryset.order_by().values_list("pk", flat=True))
        counts = _count_with_index(index, specs, choices, selected, base)
        matching = Matching(index, counts["_matching"])
    else:
        counts = _count_options(queryset, specs, choices, selected)

    facets = []
    for spec_index, spec in enumerate(specs):
        chosen = set(selected.get(spec.name, []))
        options = [
            FacetOption(
                value=str(value),
                label=str(label),
                count=counts.get(f"f{spec_index}_{index}", 0),
                selected=str(value) in chosen,
                dom_id=f"facet-{spec.name}-{index}",
            )
            for index, (value, label) in enumerate(choices[spec.name])
        ]
        facets.append(Facet(spec.name, str(spec.label), options))
    return facets, counts["_total"], matching


class FacetChoiceField(forms.MultipleChoiceField):
    """A multi-select that drops unknown values instead of rejecting the whole parameter.

    A shared link with one stale option (a renamed category, say) still applies the valid ones; the dropped
    values are reported through ``invalid_values`` so the page can say so.
    """

    def __deepcopy__(self, memo):
        """Each form gets its own field, sharing the choices: nothing changes them after the FilterSet built
        them, and deep-copying a few hundred (lazily translated) labels on every request costs more than
        counting the facets."""
        result = copy.copy(self)
        memo[id(self)] = result
        result.widget = copy.copy(self.widget)
        result.widget.attrs = self.widget.attrs.copy()
        result.error_messages = self.error_messages.copy()
        result.validators = self.validators[:]
        return result

    def clean(self, value):
        value = self.to_python(value)
        valid = {str(key) for key, _label in self.choices}
        self.invalid_values = [v for v in value if v not in valid]
        return [v for v in value if v in valid]


class FacetFilter(django_filters.MultipleChoiceFilter):
    field_class = FacetChoiceField


class FacetedFilterSet(django_filters.FilterSet):
    """A FilterSet whose ``facet_specs`` become multi-select filters with live, disjunctive counts.

    Non-facet filters (search, sort, ...) are declared as usual and applied first; see the module docstring.
    """

    facet_specs: Sequence[FacetSpec] = ()
    # Seconds to keep database-driven choices (keyed by data_version()); None: no cache and no facet index,
    # every count from the aggregate query.
    facet_cache_timeout: int | None = 600

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        model = self.queryset.model
        self.data_version = data_version(self.queryset.db) if self.facet_cache_timeout is not None else None
        self.bound_specs = [spec.bind(model) for spec in self.get_facet_specs()]
        self.facet_choices: dict[str, list[tuple[str, str]]] = {}
        for spec in self.bound_specs:
            self.facet_choices[spec.name] = self._load_choices(model, spec)
            facet_filter = FacetFilter(
                field_name=spec.name,
                label=spec.label,
                choices=self.facet_choices[spec.name],
                method=self._facet_method(spec),
                widget=forms.CheckboxSelectMultiple,
            )
            facet_filter.model = model
            facet_filter.parent = self
            self.filters[spec.name] = facet_filter

    def get_facet_specs(self) -> Sequence[FacetSpec]:
        """The facets of this request; override to build a spec from data (``self.cached`` helps)."""
        return self.facet_specs

    def cached(self, name: str, compute: Callable[[], Any]) -> Any:
        """``compute()``, cached until the data changes (keyed by ``data_version()`` and the language)."""
        key = f"facets:{self.queryset.model._meta.label}:{name}:{get_language()}"
        return cached_for_version(key, compute, self.data_version, self.facet_cache_timeout)

    def _load_choices(self, model, spec: FacetSpec) -> list[tuple[str, str]]:
        if not callable(spec.choices):
            return [(str(value), label) for value, label in spec.choices]
        return self.cached(
            f"choices:{spec.name}", lambda: [(str(value), str(label)) for value, label in spec.choices()]
        )

    @staticmethod
    def _facet_method(spec: FacetSpec):
        return lambda queryset, name, value: queryset.filter(spec.selection_q(value))

    # -- querysets -------------------------------------------------------------------------------------------
    def filter_queryset(self, queryset):
        """Apply non-facet filters (kept as ``base_qs`` for the facet counts), then the facets."""
        facet_names = {spec.name for spec in self.bound_specs}
        cleaned = self.form.cleaned_data
        self._universe = queryset
        for name, value in cleaned.items():
            if name not in facet_names:
                queryset = self.filters[name].filter(queryset, value)
        self._base_qs = queryset
        for name, value in cleaned.items():
            if name in facet_names:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    @property
    def base_qs(self) -> models.QuerySet:
        """The queryset filtered by every non-facet filter (e.g. the search), before any facet."""
        self.qs  # noqa: B018 - evaluates the form and fills _base_qs
        return getattr(self, "_base_qs", self.queryset.all())

    def selected_values(self) -> dict[str, list[str]]:
        if not self.is_bound:
            return {}
        self.errors  # noqa: B018 - validates the form
        cleaned = getattr(self.form, "cleaned_data", {})
        return {spec.name: list(cleaned.get(spec.name) or []) for spec in self.bound_specs}

    def _compute(self) -> None:
        if not hasattr(self, "_facets"):
            base_qs = self.base_qs
            universe = getattr(self, "_universe", base_qs)  # unbound: nothing was filtered
            self._facets, self._total, self._matching = count_facets(
                base_qs,
                self.bound_specs,
                self.facet_choices,
                self.selected_values(),
                # Identical when no non-facet filter applied: then no query for the rows' primary keys.
                universe=universe,
                version=self.data_version,
                base_pks=self.base_pks,
            )

    def base_pks(self) -> Iterable[Any]:
        """The primary keys of ``base_qs`` for the facet index, asked for only when a non-facet filter (a
        search, say) applied. Override to read more of those rows in the same query."""
        return self.base_qs.order_by().values_list("pk", flat=True)

    @property
    def matching(self) -> Matching | None:
        """Which rows pass every filter, when counted from the facet index (None otherwise)."""
        self._compute()
        return self._matching

    @property
    def facets(self) -> list[Facet]:
        self._compute()
        return self._facets

    @property
    def total(self) -> int:
        self._compute()
        return self._total

    # -- messages and URLs -----------------------------------------------------------------------------------
    def invalid_messages(self) -> list[str]:
        """Plain-language messages for parameters that were ignored."""
        self.errors  # noqa: B018
        messages = []
        for spec in self.bound_specs:
            bad = getattr(self.form.fields[spec.name], "invalid_values", [])
            if bad:
                messages.append(
                    _("Ignored unknown values for “%(filter)s”: %(values)s.")
                    % {"filter": spec.label, "values": ", ".join(v[:40] for v in bad[:5])}
                )
        for name, errors in self.form.errors.items():
            label = self.form.fields[name].label if name in self.form.fields else name
            for error in errors:
                messages.append(f"{label}: {error}")
        return messages

    def _query_without(self, name: str, value: str | None = None) -> str:
        data: QueryDict = self.data.copy() if isinstance(self.data, QueryDict) else QueryDict(mutable=True)
        for param in RESET_ON_CHANGE:
            data.pop(param, None)
        if value is None:
            data.pop(name, None)
        else:
            data.setlist(name, [v for v in data.getlist(name) if v != value])
        encoded = data.urlencode()
        # With the request's path the URL also works when nothing is left ("?" alone is not a navigation
        # every browser performs).
        path = self.request.path if self.request is not None else ""
        return f"{path}?{encoded}" if encoded else (path or "?")

    @property
    def chips(self) -> list[Chip]:
        """One removable chip per selected facet value (non-facet chips are added by the catalog)."""
        return [
            Chip(facet.label, option.label, self._query_without(facet.name, option.value))
            for facet in self.facets
            for option in facet.selected
        ]

    def chip_for(self, name: str, value_label: str) -> Chip:
        """A chip removing a whole non-facet parameter (e.g. the search text)."""
        return Chip(str(self.filters[name].label or name), value_label, self._query_without(name))


class RowsInOrder(Sequence):
    """Rows known by their primary keys in display order; a slice (one page) is read with one query.

    ``fetch(pks)`` returns those rows in any order. Works with ``Paginator`` and ``paginate``.
    """

    def __init__(self, pks: Sequence[Any], fetch: Callable[[Sequence[Any]], Iterable[models.Model]]):
        self.pks = list(pks)
        self.fetch = fetch

    def __len__(self) -> int:
        return len(self.pks)

    def __getitem__(self, key):
        if isinstance(key, slice):
            pks = self.pks[key]
            rows = {row.pk: row for row in self.fetch(pks)} if pks else {}
            return [rows[pk] for pk in pks if pk in rows]  # a row gone since the keys were read is left out
        return self[key : key + 1 or None][0]


class PageForm(forms.Form):
    """The ``page`` parameter of every catalog; a bad value is reported, never fatal."""

    page = forms.IntegerField(min_value=1, max_value=10**6, required=False)


@dataclass
class PageResult:
    page_obj: Any
    message: str | None


def paginate(queryset: models.QuerySet, data: QueryDict, *, count: int, per_page: int = 20) -> PageResult:
    """Page ``queryset`` by the validated ``page`` parameter; ``count`` is known already (no COUNT query).

    An invalid or out-of-range page shows the first or last page with a message instead of an error.
    """
    from django.core.paginator import Paginator

    paginator = Paginator(queryset, per_page)
    paginator.count = count  # cached_property: the total came from the facet aggregate
    form = PageForm(data)
    message = None
    number = 1
    if form.is_valid():
        number = form.cleaned_data["page"] or 1
    else:
        message = _("The page number was not valid; showing the first page.")
    if number > paginator.num_pages:
        message = _("There is no page %(number)s; showing the last page.") % {"number": number}
        number = paginator.num_pages
    page_obj = paginator.page(number)
    page_obj.elided_pages = list(paginator.get_elided_page_range(number, on_each_side=2, on_ends=1))
    return PageResult(page_obj, message)

"""The facet index: every option's matching rows as a bit set, kept in memory per content version.

For the catalog's whole queryset (e.g. all published solutions) one bit set per option of the rows it
matches, read with a few queries (one for the plain and array fields and the ``q`` options, one per facet
across a multi-valued relation) and kept in this process until ``content_version()`` changes. A request then
counts every option of every facet with a few thousand integer operations: the rows of the non-facet
filters (typically the free-text search; one query for their primary keys), AND the selections of the other
facets, AND the option, popcount. The number of SQL queries does not grow with rows or options.
"""

from __future__ import annotations

import hashlib
import operator
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import reduce
from typing import Any

from django.core.cache import cache
from django.db import models
from django.db.models import BooleanField, ExpressionWrapper

from .facets import Facet, FacetOption, FacetSpec

ChoiceLists = dict[str, list[tuple[str, str]]]


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
# Keyed by the content version, so an index is never stale and needs no age limit: a new version simply
# makes the next request build a new one, and the old ones fall out of the end.
_INDEXES: OrderedDict[tuple, FacetIndex] = OrderedDict()
_INDEXES_LOCK = threading.Lock()
INDEX_LIMIT = 8
# In the shared cache an index only needs to outlive the moments until every process has read it once.
SHARED_TIMEOUT = 600


def _index_key(queryset, specs, choices, version) -> tuple:
    sql, params = queryset.order_by().query.sql_with_params()
    options = tuple((spec.name, tuple(value for value, _label in choices[spec.name])) for spec in specs)
    return (queryset.db, queryset.model._meta.label, sql, tuple(map(repr, params)), options, version)


def clear_facet_indexes() -> None:
    """Forget every index of this process (the next request rebuilds; the benchmark's cold rows use it)."""
    with _INDEXES_LOCK:
        _INDEXES.clear()


def kept_facet_indexes() -> int:
    """How many indexes this process keeps (at most ``INDEX_LIMIT``)."""
    with _INDEXES_LOCK:
        return len(_INDEXES)


def build_facet_index(
    queryset: models.QuerySet, specs: Sequence[FacetSpec], choices: ChoiceLists
) -> FacetIndex:
    """Read which option every row of ``queryset`` matches, with the same semantics as ``option_q``.

    One query fetches the primary keys with every plain or array field and one boolean per option of the
    ``q`` facets; each facet across a multi-valued relation adds one query of its values with the primary
    keys of their rows, joined the way ``filter(<lookup>=value)`` joins.
    """
    queryset = queryset.order_by()
    plain = [spec for spec in specs if spec.q is None and not spec.is_related]
    related = [spec for spec in specs if spec.is_related]
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
    queryset: models.QuerySet, specs: Sequence[FacetSpec], choices: ChoiceLists, version: str | None
) -> FacetIndex:
    """The index of ``queryset`` for this content version: from this process's memory, else from the shared
    cache (where the process that built it, e.g. right after a publish (``warm.py``), put it), else built now
    and put in both.

    Without a version (the version table is missing) it is built for this request and not kept.
    """
    if version is None:
        return build_facet_index(queryset, specs, choices)
    key = _index_key(queryset, specs, choices, version)
    with _INDEXES_LOCK:
        index = _INDEXES.get(key)
        if index is not None:
            _INDEXES.move_to_end(key)
            return index
    shared_key = "facet-index:" + hashlib.sha256(repr(key).encode()).hexdigest()
    index = cache.get(shared_key)
    if index is None:
        index = build_facet_index(queryset, specs, choices)
        cache.set(shared_key, index, SHARED_TIMEOUT)
    with _INDEXES_LOCK:
        _INDEXES[key] = index
        _INDEXES.move_to_end(key)
        while len(_INDEXES) > INDEX_LIMIT:
            _INDEXES.popitem(last=False)
    return index


def _count_with_index(
    index: FacetIndex,
    specs: Sequence[FacetSpec],
    choices: ChoiceLists,
    selected: dict[str, list[str]],
    base: int,
) -> dict[str, int]:
    """``{"f<facet index>_<option index>": count, ..., "_total": count}``: AND the selections, popcount each
    option. ``"_matching"`` is the bit set of the rows that pass every selection.
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
    choices: ChoiceLists,
    selected: dict[str, list[str]],
    *,
    version: str | None,
    universe: models.QuerySet | None = None,
    base_pks: Callable[[], Iterable[Any]] | None = None,
) -> tuple[list[Facet], int, Matching | None]:
    """Disjunctive facet counts, the total and the matching rows, from the facet index.

    ``queryset`` is filtered by everything except the facets; ``selected`` maps facet names to selected values
    (already validated against ``choices``). Returns the facets in ``specs`` order, the number of rows
    matching all selections and a ``Matching`` of those rows (None when ``queryset`` is empty by
    construction, e.g. a search too short to run).

    The counts come from the facet index of ``universe`` (the catalog's whole queryset, of which ``queryset``
    is a filtered part; by default ``queryset`` itself) for ``version`` (``content_version()``). A filtered
    ``queryset`` costs one query for its primary keys: ``base_pks()`` if given (a caller may read more of
    those rows in the same query), else ``values_list("pk")``.
    """
    selected = {name: [str(value) for value in values] for name, values in selected.items() if values}
    matching = None
    if queryset.query.is_empty():
        counts = {"_total": 0}
    else:
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

"""Pages of a faceted catalog in a kept order, without sorting the matching rows in SQL on every request.

``kept_order(key, compute)`` keeps every row's key in the catalog's order (``compute()`` reads and sorts them
once) in this process until ``key`` changes; put the content version in the key, as the facet index does.
``MatchingInOrder`` then lists the rows the facet index's ``Matching`` lets through in that order and reads
one page of them by key::

    order = kept_order(("municipalities", "name", version), lambda: list(rows.order_by("name", "pk")...))
    MatchingInOrder(order, filterset.matching, filterset.total, lambda pks: rows.filter(pk__in=pks))

A few matches (a search, a Kreis) are found from the set bits of the index's mask and sorted by their rank;
many are found by walking the kept order until the page is full.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .index import FacetIndex, Matching

# Orders of this process, newest last: a few catalogs and sort orders, about 1 MB per 10,000 rows each.
ORDER_LIMIT = 8
# Up to one match in this many rows the matches are taken from the index's bits and sorted by rank; with
# more, walking the kept order fills a page sooner.
SPARSE = 16
_KEPT: OrderedDict[tuple, Any] = OrderedDict()
_LOCK = threading.Lock()
_ONE = re.compile("1")


@dataclass(frozen=True)
class KeptOrder:
    pks: tuple[Any, ...]  # every row's key, in order
    rank: dict[Any, int]  # key -> its place in ``pks``


def _kept(key: tuple, compute: Callable[[], Any]) -> Any:
    with _LOCK:
        if key in _KEPT:
            _KEPT.move_to_end(key)
            return _KEPT[key]
    value = compute()
    with _LOCK:
        _KEPT[key] = value
        while len(_KEPT) > ORDER_LIMIT:
            _KEPT.popitem(last=False)
    return value


def kept_order(key: tuple | None, compute: Callable[[], Iterable[Any]]) -> KeptOrder:
    """The keys ``compute()`` returns, in that order, kept under ``key`` (None: not kept)."""

    def build() -> KeptOrder:
        pks = tuple(compute())
        return KeptOrder(pks, {pk: place for place, pk in enumerate(pks)})

    return build() if key is None else _kept(("order", *key), build)


def clear_kept_orders() -> None:
    """Forget every kept order of this process."""
    with _LOCK:
        _KEPT.clear()


def _keys_by_position(index: FacetIndex) -> list[Any]:
    """The index's primary keys by bit position, kept as long as the index is (the entry holds it)."""

    def build():
        keys: list[Any] = [None] * len(index.positions)
        for pk, position in index.positions.items():
            keys[position] = pk
        return index, keys

    kept_index, keys = _kept(("positions", id(index)), build)
    return keys if kept_index is index else build()[1]


class MatchingInOrder(Sequence):
    """The rows passing every filter (``matching``, ``count`` of them), in the kept order; a slice (one page)
    is read with one query by key. ``fetch(pks)`` returns those rows in any order."""

    def __init__(self, order: KeptOrder, matching: Matching, count: int, fetch):
        self.order = order
        self.matching = matching
        self.count = count
        self.fetch = fetch

    def __len__(self) -> int:
        return self.count

    def _sparse_keys(self) -> list[Any]:
        keys = _keys_by_position(self.matching.index)
        rank = self.order.rank
        digits = format(self.matching.mask, "b")[::-1]  # digit i is bit i
        found = [keys[match.start()] for match in _ONE.finditer(digits)]
        return sorted((pk for pk in found if pk in rank), key=rank.__getitem__)

    def _keys(self, start: int, stop: int) -> list[Any]:
        if start >= stop:
            return []
        if self.count * SPARSE <= len(self.order.pks):
            return self._sparse_keys()[start:stop]
        keys, seen = [], 0
        matching = self.matching
        for pk in self.order.pks:
            if pk in matching:
                if seen >= start:
                    keys.append(pk)
                seen += 1
                if seen >= stop:
                    break
        return keys

    def keys(self) -> list[Any]:
        """Every matching row's key in order, without reading the rows (the open-data exports)."""
        return self._keys(0, self.count)

    def __getitem__(self, key):
        if isinstance(key, slice):
            start, stop, _step = key.indices(self.count)
            pks = self._keys(start, stop)
            rows = {row.pk: row for row in self.fetch(pks)} if pks else {}
            return [rows[pk] for pk in pks if pk in rows]  # a row gone since the keys were read is left out
        return self[key : key + 1][0]

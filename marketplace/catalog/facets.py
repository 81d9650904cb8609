"""What a facet is: its specification (``FacetSpec``) and what a request shows of it (``Facet``, ``Chip``).

A *facet* is a multi-select filter whose options show how many rows the catalog would list if that option
were ticked, given everything else the user chose. Counts are *disjunctive*: the counts of facet F apply all
active filters except F's own, so ticking one option does not zero its siblings (options inside one facet
are OR-ed, facets are AND-ed). ``index.py`` counts them; ``filtersets.py`` turns specs into filters.

``FacetSpec`` options:

* ``lookup``: a field path. Scalar fields and forward foreign keys become ``Q(lookup=value)``. A path
  crossing a multi-valued relation (m2m or reverse FK, e.g. ``categories__slug`` or
  ``references__municipality__state``) becomes ``Q(pk__in=<subquery>)``, so rows are never multiplied and
  counts stay exact without DISTINCT. With ``array=True`` the field is a PostgreSQL array:
  ``Q(<lookup>__contains=[value])``.
* ``q``: instead of ``lookup``, any callable ``value -> Q``. It must not multiply rows either.
* ``choices``: a list of ``(value, label)`` or a callable returning one (evaluated once per content version).
  Unknown values in the request are dropped (the valid ones still apply) and reported by
  ``FacetedFilterSet.invalid_messages()``.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import reduce
from typing import Any

from django.contrib.postgres.aggregates import ArrayAgg
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q

Choices = Sequence[tuple[Any, Any]] | Callable[[], Sequence[tuple[Any, Any]]]


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    dom_id: str  # id of the checkbox; "<dom_id>-count" is the id of its count
    hint: str = ""  # e.g. "your municipality's size": shown next to the label, and the option comes first


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    options: list[FacetOption]

    @property
    def selected(self) -> list[FacetOption]:
        return [option for option in self.options if option.selected]

    @property
    def shown_options(self) -> list[FacetOption]:
        """The options in the order a page lists them: those with a hint first. ``options`` keeps the
        choices' order, which the dom ids and the out-of-band counts follow."""
        return sorted(self.options, key=lambda option: not option.hint)

    @property
    def is_active(self) -> bool:
        return any(option.selected for option in self.options)


@dataclass(frozen=True)
class Chip:
    """One active filter value and the URL of the same page without it."""

    label: str
    value_label: str
    url: str


def multi_valued(model: type[models.Model], path: str) -> bool:
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
    model: type[models.Model] | None = field(default=None, repr=False)

    def bind(self, model: type[models.Model]) -> FacetSpec:
        if self.q is None and self.lookup is None:
            raise ValueError(f"FacetSpec {self.name!r} needs a lookup or a q callable.")
        return FacetSpec(self.name, self.label, self.choices, self.lookup, self.q, self.array, model)

    @property
    def is_related(self) -> bool:
        """A lookup across a multi-valued relation (counted from its own table by the facet index)."""
        return self.q is None and self.model is not None and multi_valued(self.model, self.lookup)

    def _related_pks(self, lookup: str, value: Any) -> Q:
        """``Q(pk__in=...)`` for a lookup across a multi-valued relation, read from the narrowest table.

        ``categories__slug=x`` becomes ``pk IN (SELECT solution_id FROM <through table> JOIN category ...)``:
        the link table alone, without joining the counted table back in for every matching link.
        """
        model = self.model
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
        field = self.model._meta.get_field(first)
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
        if self.is_related:
            return self._related_pks(self.lookup, value)
        return Q(**{self.lookup: value})

    def selection_q(self, values: Iterable[Any]) -> Q:
        """Rows matching any of the selected values (options of one facet are OR-ed)."""
        values = list(values)
        if not values:
            return Q()
        if self.q is None and not self.array and self.model is not None:
            if self.is_related:
                return self._related_pks(f"{self.lookup}__in", values)
            return Q(**{f"{self.lookup}__in": values})
        return reduce(operator.or_, (self.option_q(value) for value in values))

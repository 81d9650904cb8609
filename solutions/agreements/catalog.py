"""The catalog facet “Beziehbar ohne eigene Ausschreibung” (parameter ``available=1``).

Which solutions a municipality can have without its own tender depends on the visitor's chosen municipality
(municipalities/choice.py), so it cannot live in the facet index, which is shared by every visitor and kept
per content version (marketplace/catalog/index.py): one index per municipality would rebuild the whole index
for each new one. Instead the facet is counted from one query of the available solutions' keys (a few rows),
kept until the data changes (the agreements' tables change the content version) or the day ends, and ANDed
with the index's bit sets the request computes anyway:

* ticked: the rows are filtered in SQL after the facets (so ``qs`` and every order are right), and the facet
  counts are taken over the available rows only (``count_facets`` with a narrower base);
* its own count is how many of the rows passing every other filter are available.

Without a chosen municipality the facet has no checkbox but says how to choose one (``choose_url``), and
``available=1`` in a shared link is ignored with a message. Queries: none without a municipality; with one,
one the first time per content version and day.
"""

from __future__ import annotations

from dataclasses import dataclass

import django_filters
from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from marketplace.catalog.facets import Facet, FacetOption
from marketplace.catalog.index import count_facets

from .availability import available_for

NAME = "available"
VALUE = "1"
LABEL = _("Available without own tender")
OPTION_LABEL = _("Available without own tender for my municipality")


@dataclass(frozen=True)
class AvailabilityFacet(Facet):
    """The facet as the checkbox template shows it; ``choose_url`` is set when no municipality is chosen."""

    choose_url: str = ""
    municipality_name: str = ""


class AvailabilityFacetMixin(django_filters.FilterSet):
    """Adds the facet to a solutions FilterSet that sets ``self.municipality`` before ``__init__``."""

    # Parameters that mean something only for a visitor who chose a municipality (the session): the API,
    # which has no session, neither documents nor accepts them (marketplace/opendata/api/).
    visitor_only_parameters = ("available",)

    available = django_filters.ChoiceFilter(
        label=LABEL, choices=[(VALUE, OPTION_LABEL)], method="keep_for_availability", widget=forms.HiddenInput
    )

    @staticmethod
    def keep_for_availability(queryset, name, value):
        # Applied after the facets (filter_queryset): the facet index's base stays the search's rows.
        return queryset

    def availability_ticked(self) -> bool:
        """Whether ``available=1`` was sent (validated by the form like every parameter)."""
        if not self.is_bound or self.errors is None:
            return False
        return getattr(self.form, "cleaned_data", {}).get(NAME) == VALUE

    def available_pks(self) -> set[int] | None:
        """The keys of the solutions available to the chosen municipality (one query), None without one."""
        if getattr(self, "municipality", None) is None:
            return None
        if not hasattr(self, "_available_pks"):
            self._available_pks = available_for(self.municipality, self.content_version)
        return self._available_pks

    def filter_queryset(self, queryset):
        self._availability_universe = queryset
        filtered = super().filter_queryset(queryset)
        if self.availability_ticked() and self.available_pks() is not None:
            filtered = filtered.filter(pk__in=sorted(self.available_pks()))
        return filtered

    def _compute(self) -> None:
        if hasattr(self, "_facets"):
            return
        available = self.available_pks() if self.availability_ticked() else None
        if available is None:
            super()._compute()
            return
        base_qs = self.base_qs
        universe = getattr(self, "_availability_universe", base_qs)

        def base_pks():
            if base_qs is universe:  # no search: the available rows are the base
                return available
            return [pk for pk in self.base_pks() if pk in available]

        # A copy of the base queryset, so the index reads the base from base_pks() (the same index is used:
        # its key is the universe's).
        self._facets, self._total, self._matching = count_facets(
            base_qs.all(),
            self.bound_specs,
            self.facet_choices,
            self.selected_values(),
            version=self.content_version,
            universe=universe,
            base_pks=base_pks,
        )

    @property
    def facets(self) -> list[Facet]:
        facets = super().facets
        if not hasattr(self, "_availability_facet"):
            self._availability_facet = self._build_availability_facet()
        return [*facets, self._availability_facet]

    def _build_availability_facet(self) -> AvailabilityFacet:
        municipality = getattr(self, "municipality", None)
        if municipality is None:
            return AvailabilityFacet(NAME, str(LABEL), [], choose_url=reverse("municipalities:find"))
        matching = self.matching
        available = self.available_pks()
        ticked = self.availability_ticked()
        if ticked:
            count = self.total
        else:
            count = 0 if matching is None else sum(1 for pk in available if pk in matching)
        option = FacetOption(VALUE, str(OPTION_LABEL), count, ticked, f"facet-{NAME}-0")
        return AvailabilityFacet(NAME, str(LABEL), [option], municipality_name=municipality.name)

    def invalid_messages(self) -> list[str]:
        messages = super().invalid_messages()
        if self.availability_ticked() and getattr(self, "municipality", None) is None:
            messages.append(
                str(
                    _("“Available without own tender” needs your municipality: choose it first. Showing all.")
                )
            )
        return messages

"""``FacetedFilterSet``: a django-filter FilterSet whose ``facet_specs`` become multi-select filters with
live, disjunctive counts from the facet index (``index.py``), plus the chips and messages a catalog shows.

Usage (``solutions/filters.py`` is a complete example)::

    class PilotFilterSet(FacetedFilterSet):
        q = django_filters.CharFilter(method="search")          # non-facet filters work as usual
        facet_specs = [
            FacetSpec("phase", _("Phase"), lookup="phase", choices=PilotProject.Phase.choices),
            FacetSpec("size", _("Size class"), lookup="lead_municipality__size_class",
                      choices=SizeClass.choices),
        ]

        class Meta:
            model = PilotProject
            fields = []

        def ordered(self):                                       # what catalog_page() shows, in order
            return self.qs.order_by("title", "pk")

    filterset = PilotFilterSet(request.GET, queryset=PilotProject.objects.published(), request=request)
    filterset.qs              # rows matching every filter (order it yourself)
    filterset.facets          # list[Facet]: name, label, options[value, label, count, selected, dom_id]
    filterset.total           # number of rows in filterset.qs, counted with the facets
    filterset.matching        # ``pk in filterset.matching``: the rows passing every filter
    filterset.chips           # list[Chip] (label, value_label, url without that value; built with QueryDict)
    filterset.invalid_messages()  # plain-language messages for ignored or invalid parameters
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import django_filters
from django import forms
from django.db import models
from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .facets import Chip, Facet, FacetSpec
from .index import Matching, count_facets
from .version import cached_for_version, content_version

# Parameters that never survive a change of filters (a new filter state starts on page 1).
RESET_ON_CHANGE = ("page",)
SEARCH_PARAMETER = "q"


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
    A subclass names its free-text filter ``q`` and sets ``search_text`` when it applies it (for the chip),
    and orders its rows in ``ordered()``.
    """

    facet_specs: Sequence[FacetSpec] = ()
    # Seconds to keep database-driven choices (keyed by the content version, so only to bound memory).
    facet_cache_timeout = 600
    search_text = ""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        model = self.queryset.model
        self.content_version = content_version(self.queryset.db)
        self.bound_specs = [spec.bind(model) for spec in self.get_facet_specs()]
        self.facet_choices: dict[str, list[tuple[str, str]]] = {}
        for spec in self.bound_specs:
            self.facet_choices[spec.name] = self._load_choices(spec)
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
        """``compute()``, cached until the content changes (keyed by the content version and the language)."""
        key = f"facets:{self.queryset.model._meta.label}:{name}:{get_language()}"
        return cached_for_version(key, compute, self.content_version, self.facet_cache_timeout)

    def _load_choices(self, spec: FacetSpec) -> list[tuple[str, str]]:
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
                version=self.content_version,
                # Identical when no non-facet filter applied: then no query for the rows' primary keys.
                universe=universe,
                base_pks=self.base_pks,
            )

    def base_pks(self) -> Iterable[Any]:
        """The primary keys of ``base_qs`` for the facet index, asked for only when a non-facet filter (a
        search, say) applied. Override to read more of those rows in the same query."""
        return self.base_qs.order_by().values_list("pk", flat=True)

    @property
    def matching(self) -> Matching | None:
        """Which rows pass every filter (None when the search could not run at all)."""
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

    def ordered(self) -> Sequence[models.Model]:
        """The filtered rows in the catalog's order, with what its cards show."""
        raise NotImplementedError

    def suggestions(self) -> list[str]:
        """'Did you mean' searches when nothing matched the search text; none by default."""
        return []

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
        """One removable chip for the search text (if any) and one per selected facet value."""
        facets = self.facets  # applies the filters, which sets search_text
        chips = [self.chip_for(SEARCH_PARAMETER, self.search_text)] if self.search_text else []
        chips += [
            Chip(facet.label, option.label, self._query_without(facet.name, option.value))
            for facet in facets
            for option in facet.selected
        ]
        return chips

    def chip_for(self, name: str, value_label: str) -> Chip:
        """A chip removing a whole non-facet parameter (e.g. the search text)."""
        return Chip(str(self.filters[name].label or name), value_label, self._query_without(name))

"""What the catalogs' FilterSets share besides the facets (``filtersets.py``).

* ``text_filter(label, method)``: the ``q`` parameter, at most ``search.MAX_QUERY_LENGTH`` characters; longer
  text is ignored with a message (``TOO_LONG``, also used by the global search form).
* ``sort_filter(choices)``: the ``sort`` parameter. It filters nothing: each catalog's ``ordered()`` sorts,
  after the facets were counted; ``chosen_sort(filterset)`` is its valid value.
* ``TextSearchFilterSet``: a faceted catalog with German full-text search (``q``, see ``search.py``; with
  ``exact=1`` exactly as typed, without the corrections of ``forgiving.py``) whose default order is relevance
  while searching and ``NEWEST`` otherwise (solutions and pilots).
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from . import search
from .filtersets import FacetedFilterSet

RELEVANCE = "relevance"
NEWEST = "newest"
NAME = "name"
TOO_LONG = _("The search text is too long (at most %(limit_value)d characters); it was ignored.")


def text_filter(label, method: str) -> django_filters.CharFilter:
    return django_filters.CharFilter(
        label=label,
        method=method,
        max_length=search.MAX_QUERY_LENGTH,
        error_messages={"max_length": TOO_LONG},
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


def _keep(queryset, name, value):
    return queryset


def text_sort_choices(newest_label, name_label, *more: tuple[str, str]) -> list[tuple[str, str]]:
    """The sort choices of a full-text catalog: relevance, newest, by name, then the catalog's own ones."""
    return [(RELEVANCE, _("Relevance")), (NEWEST, newest_label), (NAME, name_label), *more]


def sort_filter(choices) -> django_filters.ChoiceFilter:
    return django_filters.ChoiceFilter(label=_("Sort by"), choices=choices, method=_keep, empty_label=None)


def chosen_sort(filterset: django_filters.FilterSet) -> str | None:
    """The valid ``sort`` value of the request, if any."""
    if not filterset.is_bound or filterset.errors is None:
        return None
    return getattr(filterset.form, "cleaned_data", {}).get("sort")


class TextSearchFilterSet(FacetedFilterSet):
    """Declare ``sort = sort_filter(...)`` with ``RELEVANCE`` and ``NEWEST`` among the choices."""

    q = text_filter(_("Search"), "filter_text")
    # "Search exactly as typed" (a link under a corrected search): no typo correction, compounds or synonyms.
    exact = django_filters.BooleanFilter(label=_("Exactly as typed"), method=_keep, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.text_search = search.TextSearch("", "none")

    def filter_text(self, queryset, name, value):
        exact = bool(self.form.cleaned_data.get("exact"))
        queryset, self.text_search = search.apply_text_search(queryset, value, exact=exact)
        return queryset

    @property
    def search_text(self) -> str:
        return self.text_search.text

    @property
    def sort_order(self) -> str:
        """The chosen order; relevance is the default (and only possible) while searching."""
        chosen = chosen_sort(self)
        searching = self.text_search.mode != "none"
        if not chosen or (chosen == RELEVANCE and not searching):
            return RELEVANCE if searching else NEWEST
        return chosen

    def suggestions(self) -> list[str]:
        """Similar titles' words when the search text alone (before any facet) matched nothing."""
        text = self.search_text
        if text and self.total == 0 and not self.base_qs.exists():
            return search.suggestions(self.queryset, text)
        return []

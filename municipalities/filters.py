"""The municipalities catalog's filters: name search, facets with live counts, sorting.

Parameter names are fixed (links and the benchmark use them): q, state, kind, size, funded, sort, page
(the page is validated by ``marketplace.facets.paginate``).
"""

import django_filters
from django import forms
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from marketplace.facets import FacetedFilterSet, FacetSpec
from marketplace.search import MAX_QUERY_LENGTH, TRIGRAM_MIN_LENGTH

from .models import Municipality, SizeClass, State


def _funded_q(value):
    return Q(is_model_project=True)


class SortChoice:
    NAME = "name"
    POPULATION = "population"

    choices = [
        (NAME, _("Name (A–Z)")),
        (POPULATION, _("Population (largest first)")),
    ]


class MunicipalityFilterSet(FacetedFilterSet):
    q = django_filters.CharFilter(
        label=_("Name"),
        method="filter_name",
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SortChoice.choices, method="filter_nothing", empty_label=None
    )

    facet_specs = [
        FacetSpec("state", _("Land"), lookup="state", choices=State.choices),
        FacetSpec("kind", _("Kind"), lookup="kind", choices=Municipality.Kind.choices),
        FacetSpec("size", _("Size class"), lookup="size_class", choices=SizeClass.choices),
        FacetSpec(
            "funded",
            _("Modellprojekte Smart Cities"),
            q=_funded_q,
            choices=[("1", _("Funded Modellprojekt Smart Cities"))],
        ),
    ]

    class Meta:
        model = Municipality
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.search_text = ""
        self.form.fields["q"].error_messages["max_length"] = _(
            "The search text is too long (at most %(limit_value)d characters); it was ignored."
        )

    def filter_name(self, queryset, name, value):
        """Part of the name (ILIKE), or a similar word for typos ("Muenchen", "Frankfrt") via pg_trgm."""
        text = " ".join(value.split())
        self.search_text = text
        if not text:
            return queryset
        match = Q(name__icontains=text)
        if len(text) >= TRIGRAM_MIN_LENGTH:
            match |= Q(name__trigram_word_similar=text)
        return queryset.filter(match)

    def filter_nothing(self, queryset, name, value):
        return queryset  # sorting is applied by ordered(), after the facets were counted

    @property
    def sort_order(self) -> str:
        chosen = (
            getattr(self.form, "cleaned_data", {}).get("sort")
            if self.is_bound and self.errors is not None
            else None
        )
        return chosen or SortChoice.NAME

    def ordered(self):
        queryset = self.qs.defer("description")
        if self.sort_order == SortChoice.POPULATION:
            return queryset.order_by(F("population").desc(), "name", "pk")
        return queryset.order_by("name", "pk")

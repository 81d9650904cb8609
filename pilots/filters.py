"""The pilot projects catalog's filters: German full text, facets with live counts, sorting.

Parameter names are fixed (links and the benchmark use them): q, category, state, funding, round, phase,
size, year, sort, page (the page is validated by ``marketplace.facets.paginate``). Land and size class are
those of the lead municipality.
"""

import django_filters
from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from marketplace import search
from marketplace.facets import FacetedFilterSet, FacetSpec
from municipalities.models import ModelProjectRound, SizeClass, State
from solutions.models import Category

from .models import PilotProject


def _category_choices():
    return [
        (category.slug, category.name) for category in Category.objects.only("slug", "name_de", "name_en")
    ]


def _year_choices():
    """Start years of published pilots, newest first (one small query on the start_date column)."""
    years = PilotProject.objects.published().filter(start_date__isnull=False).dates("start_date", "year")
    return [(str(day.year), str(day.year)) for day in reversed(years)]


LIST_DEFERRED = (
    "search_vector",
    "goals",
    "results",
    "lessons_learned",
    "transferability",
    "operator_model",
    "data_used",
    "status_reason",
    "lead_municipality__description",
)


class SortChoice:
    RELEVANCE = "relevance"
    NEWEST = "newest"
    NAME = "name"

    choices = [
        (RELEVANCE, _("Relevance")),
        (NEWEST, _("Newest start first")),
        (NAME, _("Title (A–Z)")),
    ]


class PilotFilterSet(FacetedFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        max_length=search.MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SortChoice.choices, method="filter_nothing", empty_label=None
    )

    facet_specs = [
        FacetSpec("state", _("Land"), lookup="lead_municipality__state", choices=State.choices),
        FacetSpec("category", _("Field of action"), lookup="categories__slug", choices=_category_choices),
        FacetSpec("funding", _("Funding"), lookup="funding", choices=PilotProject.Funding.choices),
        FacetSpec(
            "round",
            _("Modellprojekte Smart Cities round"),
            lookup="model_project_round",
            choices=ModelProjectRound.choices,
        ),
        FacetSpec("phase", _("Phase"), lookup="phase", choices=PilotProject.Phase.choices),
        FacetSpec(
            "size",
            _("Size of the lead municipality"),
            lookup="lead_municipality__size_class",
            choices=SizeClass.choices,
        ),
        FacetSpec("year", _("Start year"), lookup="start_date__year", choices=_year_choices),
    ]

    class Meta:
        model = PilotProject
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.text_search = search.TextSearch("", "none")
        self.form.fields["q"].error_messages["max_length"] = _(
            "The search text is too long (at most %(limit_value)d characters); it was ignored."
        )

    def filter_text(self, queryset, name, value):
        queryset, self.text_search = search.apply_text_search(queryset, value)
        return queryset

    def filter_nothing(self, queryset, name, value):
        return queryset  # sorting is applied by ordered(), after the facets were counted

    @property
    def sort_order(self) -> str:
        """The chosen order; relevance is the default (and only possible) while searching."""
        chosen = (
            getattr(self.form, "cleaned_data", {}).get("sort")
            if self.is_bound and self.errors is not None
            else None
        )
        searching = self.text_search.mode != "none"
        if not chosen or (chosen == SortChoice.RELEVANCE and not searching):
            return SortChoice.RELEVANCE if searching else SortChoice.NEWEST
        return chosen

    def ordered(self):
        """The filtered rows in the chosen order, with what the cards show."""
        queryset = self.qs
        sort = self.sort_order
        if sort == SortChoice.RELEVANCE:
            queryset = search.rank(queryset, self.text_search).order_by(
                F("relevance").desc(), F("start_date").desc(nulls_last=True), "pk"
            )
        elif sort == SortChoice.NAME:
            queryset = queryset.order_by("title", "pk")
        else:
            queryset = queryset.order_by(F("start_date").desc(nulls_last=True), "title", "pk")
        snippet = search.headline("summary", self.text_search)
        if snippet is not None:
            queryset = queryset.annotate(snippet=snippet)
        # The cards need neither the long texts nor the search vector.
        return queryset.select_related("lead_municipality").defer(*LIST_DEFERRED)

"""The pilot projects catalog's filters: German full text, facets with live counts, sorting.

Parameter names are fixed (links and the benchmark use them): q, category, state, funding, round, phase,
size, year, sort, page (the page is validated by ``marketplace.catalog.pagination.paginate``). Land and size
class are those of the lead municipality.
"""

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from marketplace.catalog import search
from marketplace.catalog.facets import FacetSpec
from marketplace.catalog.filters import NAME, RELEVANCE, TextSearchFilterSet, sort_filter, text_sort_choices
from municipalities.models import ModelProjectRound, SizeClass, State
from solutions.filters import category_facet

from .models import PilotProject


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


SORT_CHOICES = text_sort_choices(_("Newest start first"), _("Title (A–Z)"))


class PilotFilterSet(TextSearchFilterSet):
    sort = sort_filter(SORT_CHOICES)

    facet_specs = [
        FacetSpec("state", _("Land"), lookup="lead_municipality__state", choices=State.choices),
        category_facet(),
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

    def ordered(self):
        """The filtered rows in the chosen order, with what the cards show."""
        queryset = self.qs
        sort = self.sort_order
        if sort == RELEVANCE:
            queryset = search.rank(queryset, self.text_search).order_by(
                F("relevance").desc(), F("start_date").desc(nulls_last=True), "pk"
            )
        elif sort == NAME:
            queryset = queryset.order_by("title", "pk")
        else:
            queryset = queryset.order_by(F("start_date").desc(nulls_last=True), "title", "pk")
        snippet = search.headline("summary", self.text_search)
        if snippet is not None:
            queryset = queryset.annotate(snippet=snippet)
        # The cards need neither the long texts nor the search vector.
        return queryset.select_related("lead_municipality").defer(*LIST_DEFERRED)

"""The municipalities catalog's filters: name search, facets with live counts, sorting.

Parameter names are fixed (links and the benchmark use them): q, state, kind, size, funded, sort, page
(the page is validated by ``marketplace.catalog.pagination.paginate``).
"""

from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from marketplace.catalog.facets import FacetSpec
from marketplace.catalog.filters import chosen_sort, sort_filter, text_filter
from marketplace.catalog.filtersets import FacetedFilterSet

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
    q = text_filter(_("Name"), "filter_name")
    sort = sort_filter(SortChoice.choices)

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

    def filter_name(self, queryset, name, value):
        self.search_text = " ".join(value.split())
        return queryset.matching_name(self.search_text) if self.search_text else queryset

    @property
    def sort_order(self) -> str:
        return chosen_sort(self) or SortChoice.NAME

    def ordered(self):
        queryset = self.qs.defer("description")
        if self.sort_order == SortChoice.POPULATION:
            return queryset.order_by(F("population").desc(), "name", "pk")
        return queryset.order_by("name", "pk")

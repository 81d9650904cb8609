"""The solutions catalog's filters: free-text search, facets with live counts, sorting.

Parameter names are fixed (other catalogs, links and the benchmark use them): q, category, size, used_by,
maturity, licence, hosting, data_location, dpa, standard, price_model, cost_introduction, cost_yearly, state,
verified, sort, page (the page is validated by ``marketplace.catalog.pagination.paginate``). The buyer's
facets (used_by, data_location, dpa and the cost bands) are in ``buyer_facets.py``.

``category_facet()`` and ``standard_facet()`` are the one place for the filters of the two taxonomies; the
pilot projects catalog uses the first as well.
"""

import hashlib

from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from marketplace.catalog import search
from marketplace.catalog.facets import FacetSpec
from marketplace.catalog.filters import NAME, RELEVANCE, TextSearchFilterSet, sort_filter, text_sort_choices
from marketplace.catalog.pagination import RowsInOrder
from marketplace.catalog.version import cached_for_version
from municipalities.choice import chosen_municipality
from municipalities.models import SizeClass, State

from . import buyer_facets
from .agreements.catalog import AvailabilityFacetMixin
from .models import Category, Solution, Standard
from .peers import WithPeerCounts, ranked_for


def category_choices() -> list[tuple[str, str]]:
    """Every field of action as (slug, name in the current language), in the editors' order."""
    return [
        (category.slug, category.name) for category in Category.objects.only("slug", "name_de", "name_en")
    ]


def standard_choices() -> list[tuple[str, str]]:
    return list(Standard.objects.values_list("slug", "name"))


def category_facet(lookup: str = "categories__slug") -> FacetSpec:
    """The "Field of action" facet of any catalog whose rows have ``categories``."""
    return FacetSpec("category", _("Field of action"), lookup=lookup, choices=category_choices)


def standard_facet() -> FacetSpec:
    return FacetSpec("standard", _("Standards"), lookup="standards__slug", choices=standard_choices)


def _references():
    """The Reference model, reached through its relation: its app (pilots) sits above this one."""
    return Solution._meta.get_field("references").related_model


def _verified_q(value):
    # DISTINCT keeps the subquery's expected rows under work_mem, so that PostgreSQL hashes it as a flag in
    # the facet index's select list (see ``municipalities.filters._uses_q``).
    return Q(pk__in=_references().objects.filter(is_verified=True).values("solution_id").distinct())


def _reference_count(**only):
    """Each solution's number of references (those matching `only`), as a correlated subquery of the
    references alone."""
    per_solution = (
        _references()
        .objects.filter(solution=OuterRef("pk"), **only)
        .order_by()
        .values("solution")
        .annotate(n=Count("pk"))
    )
    return Coalesce(Subquery(per_solution.values("n")), Value(0))


def with_reference_counts(queryset):
    """`queryset` with ``reference_count`` and ``verified_reference_count`` on each solution: what every
    solution card shows (marketplace/templatetags/catalog.py ``reference_badge``) and "most references"
    sorts by. Two subqueries in the same query, no extra query."""
    return queryset.annotate(
        reference_count=_reference_count(), verified_reference_count=_reference_count(is_verified=True)
    )


CARD_FIELDS = (
    "title",
    "slug",
    "summary",
    "is_demo",
    "maturity",
    "licence_type",
    "spdx_id",
    "published_at",
    "logo",
    "vendor__name",
)


RELEVANCE_ORDER = (F("relevance").desc(), F("published_at").desc(), "-pk")


REFERENCES = "references"
SORT_CHOICES = text_sort_choices(_("Newest first"), _("Name (A–Z)"), (REFERENCES, _("Most references")))
# Offered only to a visitor who chose their municipality (municipalities/choice.py).
RECOMMENDED = "recommended"
RECOMMENDED_CHOICE = (RECOMMENDED, _("Recommended for my municipality"))


class SolutionFilterSet(AvailabilityFacetMixin, TextSearchFilterSet):
    sort = sort_filter(SORT_CHOICES)

    facet_specs = [
        category_facet(),
        FacetSpec("size", _("Suitable for"), lookup="size_classes", array=True, choices=SizeClass.choices),
        buyer_facets.used_by_facet(),
        FacetSpec("maturity", _("Maturity"), lookup="maturity", choices=Solution.Maturity.choices),
        FacetSpec("licence", _("Licence"), lookup="licence_type", choices=Solution.LicenceType.choices),
        FacetSpec(
            "hosting", _("Hosting"), lookup="hosting_options", array=True, choices=Solution.Hosting.choices
        ),
        buyer_facets.data_location_facet(),
        buyer_facets.dpa_facet(),
        standard_facet(),
        FacetSpec("price_model", _("Price model"), lookup="price_model", choices=Solution.PriceModel.choices),
        buyer_facets.cost_introduction_facet(),
        buyer_facets.cost_yearly_facet(),
        FacetSpec(
            "state",
            _("Land of the references"),
            lookup="references__municipality__state",
            choices=State.choices,
        ),
        FacetSpec("verified", _("References"), q=_verified_q, choices=[("1", _("Has verified references"))]),
    ]

    class Meta:
        model = Solution
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # The visitor's municipality, if any: the cards then count its peers and "recommended" sorts by them.
        self.municipality = chosen_municipality(request) if request is not None else None
        if self.municipality is None and data is not None and data.get("sort") == RECOMMENDED:
            # A shared link or a forgotten choice: the default order, without an error message.
            data = data.copy()
            data.pop("sort")
        super().__init__(data, queryset, request=request, prefix=prefix)
        if self.municipality is not None:
            self.form.fields["sort"].choices = [*SORT_CHOICES, RECOMMENDED_CHOICE]

    @property
    def facets(self):
        """The facets; with a chosen municipality its size class is marked (and listed first) in the size
        facets."""
        if not hasattr(self, "_hinted_facets"):
            size_class = self.municipality.size_class if self.municipality is not None else None
            self._hinted_facets = buyer_facets.with_size_hint(super().facets, size_class)
        return self._hinted_facets

    def base_pks(self):
        """With a full-text search, the matches' keys in relevance order (see ordered()).

        They are kept until the data changes: ticking facets or paging through the results of one search
        reuses them. The search text is the only filter besides the facets, so it identifies the rows.
        """
        if self.text_search.mode != "fulltext":
            return super().base_pks()

        def ranked():
            rows = search.rank(self.base_qs.order_by(), self.text_search).order_by(*RELEVANCE_ORDER)
            return list(rows.values_list("pk", flat=True))

        # "Exactly as typed" (forgiving search off) finds other rows for the same text.
        exact = "exact:" if self.text_search.exact else ""
        digest = hashlib.sha256(f"{exact}{self.text_search.text}".encode()).hexdigest()
        self._ranked_pks = cached_for_version(f"solutions-search:{digest}", ranked, self.content_version)
        return self._ranked_pks

    def _by_relevance(self):
        """The matches in relevance order, or None when the search could not run (no ranked keys).

        The database ranks and sorts every match once, in the query that also tells the facet index which rows
        the search found; the facets' selections then only drop keys, and the page's rows are read by key.
        """
        matching = self.matching
        ranked_pks = getattr(self, "_ranked_pks", None)
        if matching is None or ranked_pks is None:
            return None
        snippet = search.headline("summary", self.text_search)
        cards = self._with_card_fields(self.queryset.annotate(snippet=snippet))
        return RowsInOrder([pk for pk in ranked_pks if pk in matching], lambda pks: cards.filter(pk__in=pks))

    @staticmethod
    def _with_card_fields(queryset):
        # Only what a card shows: the generated search vector and long texts would be carried through sorts.
        return with_reference_counts(queryset).select_related("vendor").only(*CARD_FIELDS)

    def _recommended(self):
        """The matches in "recommended for my municipality" order (``solutions.peers.ranked_for``): like the
        relevance order, every published solution is ranked once (and kept until the data changes), the
        facets' selections drop keys, and the page's rows are read by key."""
        ranked = ranked_for(self.municipality, self.content_version)
        matching = self.matching
        pks = [] if matching is None else [pk for pk in ranked.pks if pk in matching]
        queryset = self.queryset
        snippet = search.headline("summary", self.text_search)
        if snippet is not None:
            queryset = queryset.annotate(snippet=snippet)
        cards = self._with_card_fields(queryset)
        return RowsInOrder(pks, lambda page: cards.filter(pk__in=page))

    def ordered(self):
        """The filtered rows in the chosen order, with what the cards show (for one page of them); with a
        chosen municipality each row of the page also gets ``peer_counts`` (one more query per page)."""
        if self.municipality is None:
            return self._ordered()
        if self.sort_order == RECOMMENDED:
            return WithPeerCounts(self._recommended(), self.municipality)
        return WithPeerCounts(self._ordered(), self.municipality)

    def _ordered(self):
        queryset = self.qs  # applies the filters, the search included
        sort = self.sort_order
        if sort == RELEVANCE and self.text_search.mode == "fulltext":
            rows = self._by_relevance()
            if rows is not None:
                return rows
        queryset = self._with_card_fields(queryset)
        if sort == RELEVANCE:
            queryset = search.rank(queryset, self.text_search).order_by(*RELEVANCE_ORDER)
        elif sort == NAME:
            queryset = queryset.order_by("title", "pk")
        elif sort == REFERENCES:
            # Verified references weigh most: a listing with many unconfirmed ones does not outrank them.
            queryset = queryset.order_by("-verified_reference_count", "-reference_count", "title", "pk")
        else:
            # Matches the (status, -published_at) index, so the newest 20 need no sort of all rows.
            queryset = queryset.order_by(F("published_at").desc(), "-pk")
        snippet = search.headline("summary", self.text_search)
        if snippet is not None:
            queryset = queryset.annotate(snippet=snippet)
        return queryset

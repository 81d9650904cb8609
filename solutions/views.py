"""Public pages of solutions: the faceted catalog and the detail page."""

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, IntegerField, OuterRef, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from marketplace.catalog.pagecache import kept_per_version
from marketplace.catalog.version import content_version
from marketplace.catalog.views import catalog_page
from municipalities.choice import chosen_key, chosen_municipality
from municipalities.models import Municipality

from .filters import CARD_FIELDS, SolutionFilterSet, with_reference_counts
from .models import Solution
from .peers import PeerCounts, peer_counts

PER_PAGE = 20
SIMILAR_LIMIT = 4
# How long a solution's similar solutions are kept across content versions (``SolutionDetail.similar``).
SIMILAR_TIMEOUT = 24 * 60 * 60
# How many title and summary words (stems) a solution shares with the one of the page (%s): the page's
# words are read once (an uncorrelated subquery), each candidate's from its stored search vector.
SHARED_WORDS = """(
    SELECT count(*) FROM unnest(tsvector_to_array(ts_filter(solutions_solution.search_vector, '{a,b}'))) w
    WHERE w = ANY(ARRAY(
        SELECT unnest(tsvector_to_array(ts_filter(s.search_vector, '{a,b}'))) FROM solutions_solution s
        WHERE s.id = %s
    ))
)"""


@require_safe
@kept_per_version("solutions", vary=chosen_key)
def solution_list(request: HttpRequest) -> HttpResponse:
    """The catalog; with a chosen municipality (``compared_with``) the cards count its peers and the sort
    "recommended for my municipality" is offered (solutions/filters.py)."""
    filterset = SolutionFilterSet(request.GET, queryset=Solution.objects.published(), request=request)
    return catalog_page(
        request,
        filterset,
        template="solutions/solution_list.html",
        url_name="solutions:list",
        rows_name="solutions",
        per_page=PER_PAGE,
        extra_context={"compared_with": filterset.municipality},
    )


class SolutionDetail:
    """What the detail page shows besides the solution itself, read lazily.

    The page body is cached as a template fragment until the data changes; on a cache hit none of these
    queries run.
    """

    def __init__(self, request: HttpRequest, solution: Solution):
        self.request = request
        self.solution = solution

    @cached_property
    def categories(self) -> list:
        return list(self.solution.categories.all())

    @cached_property
    def standards(self) -> list:
        return list(self.solution.standards.all())

    @cached_property
    def references(self) -> list:
        # Through the reverse relation: the references' app (pilots) sits above this one.
        return list(
            self.solution.references.select_related("municipality", "pilot").order_by(
                "-is_verified", "-since_year", "municipality__name"
            )
        )

    @cached_property
    def verified_count(self) -> int:
        return sum(1 for reference in self.references if reference.is_verified)

    @cached_property
    def pilots(self) -> list:
        # The references' pilots came with them (select_related); only published ones are linked or listed.
        published = {r.pilot.pk: r.pilot for r in self.references if r.pilot and r.pilot.is_published}
        return sorted(published.values(), key=lambda pilot: pilot.title)

    @cached_property
    def similar(self) -> list[Solution]:
        """Solutions with the same purpose: of the published ones sharing a field of action, those sharing
        the most fields of action and words of the title and summary (German stems, weights A and B of the
        search vector), then the newest. One query.

        Finding them scores every published solution that shares a field of action, which grows with the
        catalog (about 5 ms at 10,000 solutions, 350-600 ms at 100,000). So their keys are kept for
        ``SIMILAR_TIMEOUT`` across content versions, under the solution's own fields of action and last edit:
        after a publish elsewhere the page reads the kept solutions' cards by key (one query) instead of
        scoring again. A kept solution that is no longer published drops out and the list is found anew; a
        solution published since joins other full lists when theirs are found again (within a day). A list
        shorter than ``SIMILAR_LIMIT`` had few candidates to score and is found anew each time.
        """
        key = f"similar:{self.solution.pk}:{self.solution.updated_at.isoformat()}:"
        key += ",".join(str(c.pk) for c in self.categories)
        kept = cache.get(key)
        if kept is not None and len(kept) == SIMILAR_LIMIT:  # a shorter list had few candidates: cheap anew
            by_key = {row.pk: row for row in self._cards().filter(pk__in=kept)}
            if len(by_key) == len(kept):
                return [by_key[pk] for pk in kept]
        found = self._find_similar()
        cache.set(key, [row.pk for row in found], SIMILAR_TIMEOUT)
        return found

    def _cards(self):
        return with_reference_counts(Solution.objects.published()).select_related("vendor").only(*CARD_FIELDS)

    def _find_similar(self) -> list[Solution]:
        category_ids = [c.pk for c in self.categories]
        through = Solution.categories.through.objects
        linked = through.filter(category_id__in=category_ids)
        shared_categories = Subquery(
            through.filter(solution_id=OuterRef("pk"), category_id__in=category_ids)
            .order_by()
            .values("solution_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        # A constant statement with the key as a parameter.
        shared_words = RawSQL(SHARED_WORDS, [self.solution.pk], output_field=IntegerField())  # noqa: S611
        return list(
            self._cards()
            .filter(pk__in=linked.values("solution_id"))
            .exclude(pk=self.solution.pk)
            .annotate(shared=Coalesce(shared_categories, 0) + shared_words)
            .order_by(F("shared").desc(), F("published_at").desc(), "-pk")[:SIMILAR_LIMIT]
        )

    @cached_property
    def municipality(self) -> Municipality | None:
        """The visitor's own municipality, if chosen. Never read inside the cached page body."""
        return chosen_municipality(self.request)

    @cached_property
    def peer_counts(self) -> PeerCounts | None:
        """How many municipalities like the visitor's use this solution (one query), None without a choice."""
        if self.municipality is None:
            return None
        return peer_counts([self.solution.pk], self.municipality)[self.solution.pk]

    @cached_property
    def json_ld(self) -> dict:
        return _json_ld(self.request, self.solution, self.categories)


@require_safe
def solution_detail(request: HttpRequest, slug: str) -> HttpResponse:
    solution = Solution.objects.published().select_related("vendor").filter(slug=slug).first()
    if solution is None:
        raise Http404(_("No published solution has this address."))
    context = {
        "solution": solution,
        "data": SolutionDetail(request, solution),
        # The body is cached until the content changes.
        "content_version": content_version(),
    }
    return render(request, "solutions/solution_detail.html", context)


def _json_ld(request: HttpRequest, solution: Solution, categories: list) -> dict:
    """schema.org SoftwareApplication; rendered with json_script, which escapes <, > and & for a <script>."""
    data = {
        "@context": "https://schema.org",
        "@type": "SoftwareApplication",
        "name": solution.title,
        "description": solution.summary,
        # SITE_URL, not the Host header: this block is cached and served to everyone.
        "url": settings.SITE_URL + solution.get_absolute_url(),
        "applicationCategory": ", ".join(category.name for category in categories),
        "provider": {"@type": "Organization", "name": solution.vendor.name},
    }
    if solution.vendor.website:
        data["provider"]["url"] = solution.vendor.website
    if solution.is_open_source:
        data["license"] = f"https://spdx.org/licenses/{solution.spdx_id}.html"
    if solution.cost_introduction_eur is not None:
        data["offers"] = {
            "@type": "Offer",
            "price": solution.cost_introduction_eur,
            "priceCurrency": "EUR",
        }
    return data

"""Public pages of solutions: the faceted catalog and the detail page."""

from django.conf import settings
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from marketplace import search
from marketplace.facets import data_version, paginate
from pilots.models import Reference

from .filters import CARD_FIELDS, SolutionFilterSet
from .models import Solution

PER_PAGE = 20
SIMILAR_LIMIT = 4


def _wants_partial(request: HttpRequest) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


@require_safe
def solution_list(request: HttpRequest) -> HttpResponse:
    filterset = SolutionFilterSet(request.GET, queryset=Solution.objects.published(), request=request)
    result = paginate(filterset.ordered(), request.GET, count=filterset.total, per_page=PER_PAGE)
    messages = filterset.invalid_messages()
    if result.message:
        messages.append(result.message)
    text_search = filterset.text_search
    chips = list(filterset.chips)
    if text_search.text:
        chips.insert(0, filterset.chip_for("q", text_search.text))
    suggestions = []
    if text_search.text and filterset.total == 0 and not filterset.base_qs.exists():
        suggestions = search.suggestions(Solution.objects.published(), text_search.text)
    partial = _wants_partial(request)
    context = {
        "filterset": filterset,
        "form": filterset.form,
        "facets": filterset.facets,
        "total": filterset.total,
        "page_obj": result.page_obj,
        "solutions": result.page_obj.object_list,
        "messages_list": messages,
        "chips": chips,
        "reset_url": reverse("solutions:list"),
        "text_search": text_search,
        "suggestions": suggestions,
        "sort_order": filterset.sort_order,
        "is_partial": partial,
    }
    template = "solutions/solution_list.html#results" if partial else "solutions/solution_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


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
    def references(self) -> list[Reference]:
        return list(
            Reference.objects.filter(solution=self.solution)
            .select_related("municipality", "pilot")
            .order_by("-is_verified", "-since_year", "municipality__name")
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
        linked = Solution.categories.through.objects.filter(category_id__in=[c.pk for c in self.categories])
        return list(
            Solution.objects.published()
            .filter(pk__in=linked.values("solution_id"))
            .exclude(pk=self.solution.pk)
            .select_related("vendor")
            .only(*CARD_FIELDS)
            # Newest first walks the (status, -published_at) index and stops after a few rows.
            .order_by(F("published_at").desc(), "-pk")[:SIMILAR_LIMIT]
        )

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
        # None inside a transaction that has written: then nothing is served from the cache.
        "data_version": data_version(),
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

"""Public pages of pilot projects: the faceted catalog and the detail page."""

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from marketplace import search
from marketplace.facets import paginate
from municipalities.models import Municipality
from solutions.models import Solution

from .filters import PilotFilterSet
from .models import PilotProject, Reference

PER_PAGE = 20


def _wants_partial(request: HttpRequest) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


@require_safe
def pilot_list(request: HttpRequest) -> HttpResponse:
    filterset = PilotFilterSet(request.GET, queryset=PilotProject.objects.published(), request=request)
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
        suggestions = search.suggestions(PilotProject.objects.published(), text_search.text)
    # The Land facet is drawn as the map; the others as checkbox lists.
    state_facet = next(facet for facet in filterset.facets if facet.name == "state")
    facets = [facet for facet in filterset.facets if facet is not state_facet]
    partial = _wants_partial(request)
    context = {
        "filterset": filterset,
        "form": filterset.form,
        "state_facet": state_facet,
        "facets": facets,
        "total": filterset.total,
        "page_obj": result.page_obj,
        "pilots": result.page_obj.object_list,
        "messages_list": messages,
        "chips": chips,
        "reset_url": reverse("pilots:list"),
        "text_search": text_search,
        "suggestions": suggestions,
        "sort_order": filterset.sort_order,
        "is_partial": partial,
    }
    template = "pilots/pilotproject_list.html#results" if partial else "pilots/pilotproject_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_safe
def pilot_detail(request: HttpRequest, slug: str) -> HttpResponse:
    pilot = (
        PilotProject.objects.published()
        .select_related("lead_municipality")
        .prefetch_related(
            "categories",
            Prefetch("partners", queryset=Municipality.objects.order_by("name")),
            "links",
        )
        .filter(slug=slug)
        .first()
    )
    if pilot is None:
        raise Http404(_("No published pilot project has this address."))
    # Solutions used in this pilot: published ones only, each once, verified references first.
    references = list(
        Reference.objects.filter(pilot=pilot, solution__in=Solution.objects.published())
        .select_related("solution__vendor", "municipality")
        .order_by("-is_verified", "solution__title", "municipality__name")
    )
    solutions = []
    seen = set()
    for reference in references:
        if reference.solution_id not in seen:
            seen.add(reference.solution_id)
            solutions.append(reference)
    context = {
        "pilot": pilot,
        "lead": pilot.lead_municipality,
        "categories": pilot.categories.all(),
        "partners": pilot.partners.all(),
        "links": pilot.links.all(),
        "solution_references": solutions,
    }
    return render(request, "pilots/pilotproject_detail.html", context)

"""Public pages of pilot projects: the faceted catalog and the detail page."""

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from marketplace.catalog.views import catalog_view
from municipalities.models import Municipality
from solutions.models import Solution

from .filters import PilotFilterSet
from .models import PilotProject, Reference

PER_PAGE = 20


# The Land facet is drawn as the map; the others as checkbox lists.
pilot_list = catalog_view(
    PilotFilterSet, PilotProject.objects.published, rows_name="pilots", per_page=PER_PAGE, map_facet="state"
)


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

"""Public pages of municipalities: the faceted catalog and the profile."""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from marketplace.facets import data_version, paginate
from pilots.models import PilotProject, Reference

from .filters import MunicipalityFilterSet
from .models import Municipality

PER_PAGE = 24
SIMILAR_LIMIT = 6


def _wants_partial(request: HttpRequest) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


@require_safe
def municipality_list(request: HttpRequest) -> HttpResponse:
    filterset = MunicipalityFilterSet(request.GET, queryset=Municipality.objects.all(), request=request)
    result = paginate(filterset.ordered(), request.GET, count=filterset.total, per_page=PER_PAGE)
    messages = filterset.invalid_messages()
    if result.message:
        messages.append(result.message)
    chips = list(filterset.chips)
    if filterset.search_text:
        chips.insert(0, filterset.chip_for("q", filterset.search_text))
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
        "municipalities": result.page_obj.object_list,
        "messages_list": messages,
        "chips": chips,
        "reset_url": reverse("municipalities:list"),
        "search_text": filterset.search_text,
        "sort_order": filterset.sort_order,
        "is_partial": partial,
    }
    template = (
        "municipalities/municipality_list.html#results"
        if partial
        else "municipalities/municipality_list.html"
    )
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _public_solution_count():
    """Published solutions a municipality references, as a correlated subquery (one number per row)."""
    return Coalesce(
        Subquery(
            Reference.objects.public()
            .filter(municipality=OuterRef("pk"))
            .order_by()
            .values("municipality")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


class MunicipalityDetail:
    """What the profile shows besides the municipality itself, read lazily.

    The page body is cached as a template fragment until the data changes; on a cache hit none of these
    queries run.
    """

    def __init__(self, municipality: Municipality):
        self.municipality = municipality

    @cached_property
    def pilots(self) -> list[PilotProject]:
        partner_of = PilotProject.partners.through.objects.filter(municipality=self.municipality).values(
            "pilotproject_id"
        )
        return list(
            PilotProject.objects.published()
            .filter(Q(lead_municipality=self.municipality) | Q(pk__in=partner_of))
            .select_related("lead_municipality")
            .order_by("-start_date", "title")
        )

    @cached_property
    def led_pilots(self) -> list[PilotProject]:
        return [pilot for pilot in self.pilots if pilot.lead_municipality_id == self.municipality.pk]

    @cached_property
    def partner_pilots(self) -> list[PilotProject]:
        return [pilot for pilot in self.pilots if pilot.lead_municipality_id != self.municipality.pk]

    @cached_property
    def references(self) -> list[Reference]:
        return list(
            Reference.objects.public()
            .filter(municipality=self.municipality)
            .select_related("solution__vendor")
            .order_by("-is_verified", "solution__title")
        )

    @cached_property
    def verified_count(self) -> int:
        return sum(1 for reference in self.references if reference.is_verified)

    @cached_property
    def similar(self) -> list[Municipality]:
        return list(
            Municipality.objects.similar_to(self.municipality).annotate(
                solution_count=_public_solution_count()
            )[:SIMILAR_LIMIT]
        )


@require_safe
def municipality_detail(request: HttpRequest, slug: str) -> HttpResponse:
    municipality = Municipality.objects.filter(slug=slug).first()
    if municipality is None:
        raise Http404(_("No municipality has this address."))
    context = {
        "municipality": municipality,
        "data": MunicipalityDetail(municipality),
        # None inside a transaction that has written: then nothing is served from the cache.
        "data_version": data_version(),
    }
    return render(request, "municipalities/municipality_detail.html", context)

"""The municipality profile: the register entry with the pilots and references at that place.

It lives in the app that holds pilots and references, not in `municipalities`: the register app sits at
the bottom of the domain apps and must not read what the apps above it store. The project's URLs add this
page to the `municipalities` namespace, so its name and address stay `municipalities:detail`,
`/kommunen/<slug>/`.
"""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from marketplace.catalog.version import content_version
from municipalities.models import Municipality
from pilots.models import PilotProject, Reference

SIMILAR_LIMIT = 6


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
        # The body is cached until the content changes.
        "content_version": content_version(),
    }
    return render(request, "municipalities/municipality_detail.html", context)


urlpatterns = [path("<slug:slug>/", municipality_detail, name="detail")]

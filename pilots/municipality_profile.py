"""The municipality profile: the register entry with the pilots and references at that place.

It lives in the app that holds pilots and references, not in `municipalities`: the register app sits at
the bottom of the domain apps and must not read what the apps above it store. The project's URLs add this
page to the `municipalities` namespace, so its name and address stay `municipalities:detail`,
`/kommunen/<slug>/`.
"""

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value, Window
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from marketplace.catalog.version import content_version
from municipalities.finder import loaded_ancestors
from municipalities.models import Level, Municipality
from municipalities.similarity import reasons as similarity_reasons
from pilots.models import PilotProject, Reference

SIMILAR_LIMIT = 6
AREA_SOLUTION_LIMIT = 20  # solutions listed for the Verband, the Kreis or the members of a region
MEMBER_LIMIT = 20  # the largest Gemeinden listed on the profile of a Kreis, Verband or Land
# Levels whose profile lists the Gemeinden below them (found by the start of their key).
REGION_LEVELS = (Level.LAND, Level.REGIERUNGSBEZIRK, Level.KREIS, Level.VERBAND)
AREA_SOLUTION_FIELDS = (
    "solution_id",
    "solution__title",
    "solution__slug",
    "solution__is_demo",
    "solution__vendor__name",
)
# Gemeinde → Verband → Kreis → Regierungsbezirk → Land: every level above is fetched with the row itself.
ANCESTORS = "parent__parent__parent__parent"


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

    The page is cached as template fragments until the data changes; on a cache hit none of these queries
    run. On a miss each part is one query, however many references, pilots or members there are.
    """

    def __init__(self, municipality: Municipality):
        self.municipality = municipality

    # --- Where it belongs (no query: the row came with its parents) ---------------------------------------

    @cached_property
    def ancestors(self) -> dict[str, Municipality]:
        return loaded_ancestors(self.municipality)

    @property
    def verband(self) -> Municipality | None:
        return self.ancestors.get(Level.VERBAND)

    @property
    def kreis(self) -> Municipality | None:
        kreis = self.ancestors.get(Level.KREIS)
        # The Gemeinde of a kreisfreie Stadt is its own Kreis: naming it twice tells nothing.
        if kreis is not None and kreis.kind == Municipality.Kind.KREISFREIE_STADT:
            return None
        return kreis

    @property
    def regierungsbezirk(self) -> Municipality | None:
        return self.ancestors.get(Level.REGIERUNGSBEZIRK)

    @property
    def land(self) -> Municipality | None:
        return self.ancestors.get(Level.LAND)

    @property
    def breadcrumb(self) -> list[Municipality]:
        """Land, Kreis and Verband above it, outermost first (not the Regierungsbezirk: few know it)."""
        return [above for above in (self.land, self.kreis, self.verband) if above is not None]

    # --- Pilots and references ----------------------------------------------------------------------------

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

    def _area_solutions(self, prefix: str, *, skip_prefix: str = "") -> list[dict]:
        """The published solutions used in the municipalities whose key starts with ``prefix`` (this one
        and those under ``skip_prefix`` left out), most used first: one grouped query.

        Each row: ``solution__title``, ``solution__slug``, ``solution__is_demo``, ``solution__vendor__name``,
        ``users`` (how many municipalities) and ``places`` (their names, alphabetically)."""
        references = (
            Reference.objects.public()
            .filter(municipality__ars__startswith=prefix)
            .exclude(municipality=self.municipality)
        )
        if skip_prefix:
            references = references.exclude(municipality__ars__startswith=skip_prefix)
        return list(
            references.values(*AREA_SOLUTION_FIELDS)
            .annotate(
                users=Count("municipality", distinct=True),
                places=ArrayAgg("municipality__name", distinct=True, ordering="municipality__name"),
            )
            .order_by("-users", "solution__title", "solution_id")[:AREA_SOLUTION_LIMIT]
        )

    @cached_property
    def verband_solutions(self) -> list[dict]:
        """Used elsewhere in the Gemeinde's Verband (the Verband itself included)."""
        verband = self.verband
        if verband is None or not verband.ars:
            return []
        return self._area_solutions(verband.ars)

    @cached_property
    def kreis_solutions(self) -> list[dict]:
        """Used elsewhere in the Kreis, outside the Verband listed above."""
        kreis = self.kreis
        if kreis is None or not kreis.ars:
            return []
        skip = self.verband.ars if self.verband is not None and self.verband.ars else ""
        return self._area_solutions(kreis.ars, skip_prefix=skip)

    @property
    def is_region(self) -> bool:
        """A Land, Regierungsbezirk, Kreis or Verband of the register: its profile covers the places below."""
        return self.municipality.level in REGION_LEVELS and bool(self.municipality.ars)

    @cached_property
    def member_solutions(self) -> list[dict]:
        """For a region: the solutions used in the municipalities below it."""
        return self._area_solutions(self.municipality.ars) if self.is_region else []

    @cached_property
    def members(self) -> list[Municipality]:
        """For a region: its largest current Gemeinden, each annotated with ``total`` (all of them)."""
        if not self.is_region:
            return []
        return list(
            Municipality.objects.filter(
                ars__startswith=self.municipality.ars, level=Level.GEMEINDE, dissolved_on__isnull=True
            )
            .exclude(pk=self.municipality.pk)
            .annotate(total=Window(Count("pk")))
            .order_by(F("population").desc(nulls_last=True), "name", "pk")[:MEMBER_LIMIT]
        )

    @property
    def member_count(self) -> int:
        return self.members[0].total if self.members else 0

    @property
    def members_catalog_query(self) -> str:
        """The municipalities catalog's filter for all the members, where the catalog has one."""
        level = self.municipality.level
        if level == Level.KREIS:
            return f"kreis={self.municipality.ars}"
        if level == Level.LAND:
            return f"state={self.municipality.state}"
        return ""

    # --- Peers --------------------------------------------------------------------------------------------

    @cached_property
    def similar(self) -> list[Municipality]:
        peers = list(
            Municipality.objects.similar_to(self.municipality).annotate(
                solution_count=_public_solution_count()
            )[:SIMILAR_LIMIT]
        )
        for peer in peers:
            peer.similarity_reason = similarity_reasons(peer)
        return peers

    @property
    def similar_ranked(self) -> bool:
        """Whether the peers come ranked by the documented similarity (not only by size class)."""
        return any(hasattr(peer, "similarity") for peer in self.similar)


@require_safe
def municipality_detail(request: HttpRequest, slug: str) -> HttpResponse:
    municipality = Municipality.objects.filter(slug=slug).select_related(ANCESTORS, "successor").first()
    if municipality is None:
        raise Http404(_("No municipality has this address."))
    context = {
        "municipality": municipality,
        "data": MunicipalityDetail(municipality),
        # The page is cached until the content changes (except the visitor's own choice, see the template).
        "content_version": content_version(),
    }
    return render(request, "municipalities/municipality_detail.html", context)


urlpatterns = [path("<slug:slug>/", municipality_detail, name="detail")]

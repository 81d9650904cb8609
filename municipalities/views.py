"""The municipalities catalog.

The profile page is in pilots/municipality_profile.py: it shows pilots and references, which live above.
"""

from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse, QueryDict
from django.views.decorators.http import require_safe

from marketplace.catalog.facets import Facet
from marketplace.catalog.pagecache import kept_per_version
from marketplace.catalog.views import catalog_page, wants_partial

from .filters import LEVEL_CHOICES, LEVEL_KINDS, MunicipalityFilterSet, normalised
from .models import Level, Municipality, State

PER_PAGE = 24
# Facets whose options depend on other facets: the Kreise on the Länder, kinds and size classes on the level.
DEPENDS_ON = ("state", "level")


@dataclass
class KreisGroup:
    """The Kreise of one Land, as the Kreis facet offers them."""

    label: str
    options: list = field(default_factory=list)


@dataclass
class FacetPanel:
    """The catalog's facets as the template draws them (the Land map is ``state_facet`` of every catalog)."""

    level: Facet
    kreis: Facet
    kreis_groups: list[KreisGroup]
    kind: Facet | None  # only the kinds of the chosen levels; None when they have none (the Länder)
    size: Facet | None  # only where Gemeinden are listed
    others: list[Facet]
    # For htmx: the Länder or the level changed, so the Kreis, kind and size facets are sent again.
    refresh: bool


def _facet_panel(request: HttpRequest, filterset: MunicipalityFilterSet) -> FacetPanel:
    facets = {facet.name: facet for facet in filterset.facets}
    kreis = facets["kreis"]
    states = {option.value for option in facets["state"].options if option.selected}
    groups: dict[str, KreisGroup] = {}
    for option in kreis.options:
        land = option.value[:2]
        if land in states or option.selected:  # a Kreis chosen through a link stays visible
            groups.setdefault(land, KreisGroup(State(land).label)).options.append(option)
    levels = filterset.selected_levels
    kinds = {kind for level in levels for kind in LEVEL_KINDS[level]}
    if len(levels) == len(LEVEL_CHOICES):  # all levels: every kind, the Regierungsbezirke's included
        kinds = {option.value for option in facets["kind"].options}
    kind_options = [option for option in facets["kind"].options if option.value in kinds or option.selected]
    size = facets["size"]
    lists_towns = Level.GEMEINDE in levels
    return FacetPanel(
        level=facets["level"],
        kreis=kreis,
        kreis_groups=list(groups.values()),
        kind=replace(facets["kind"], options=kind_options) if kind_options else None,
        size=size if lists_towns or size.is_active else None,
        others=[facets["funded"], facets["uses"]],
        refresh=wants_partial(request) and _dependencies_changed(request, filterset),
    )


def _dependencies_changed(request: HttpRequest, filterset: MunicipalityFilterSet) -> bool:
    """Whether the page htmx swaps into showed other Länder or levels (its URL holds its filters; htmx
    always sends it, so without it nothing is known to have changed)."""
    current = request.htmx.current_url
    if not current:
        return False
    shown, _default = normalised(QueryDict(urlsplit(current).query))
    return any(sorted(shown.getlist(name)) != sorted(filterset.data.getlist(name)) for name in DEPENDS_ON)


@require_safe
@kept_per_version("municipalities")
def municipality_list(request: HttpRequest) -> HttpResponse:
    filterset = MunicipalityFilterSet(request.GET, queryset=Municipality.objects.all(), request=request)
    panel = _facet_panel(request, filterset)
    return catalog_page(
        request,
        filterset,
        template="municipalities/municipality_list.html",
        url_name="municipalities:list",
        rows_name="municipalities",
        per_page=PER_PAGE,
        map_facet="state",  # the Land facet is drawn as the map
        extra_context={
            "panel": panel,
            "dissolved_field": filterset.form["dissolved"],
            "other_levels_url": filterset.all_levels_url() if panel.level.is_active else "",
            "other_levels_count": sum(o.count for o in panel.level.options if not o.selected),
        },
    )

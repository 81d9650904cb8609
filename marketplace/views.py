"""Home, the legal and contact pages, the health check and the error handlers."""

from dataclasses import dataclass
from datetime import date

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, HttpResponseServerError, QueryDict
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_safe

from marketplace import faults
from marketplace.catalog.pagecache import kept_per_version
from marketplace.catalog.version import cached_for_version
from municipalities.choice import chosen_key, chosen_municipality
from pilots.models import PilotProject, Reference
from solutions.filters import CARD_FIELDS, SolutionFilterSet, with_reference_counts
from solutions.models import Solution, Vendor
from solutions.peers import recommended_for

HOME_FEATURED_SOLUTIONS = 6
HOME_NEWEST_PILOTS = 4
# BITV 2.0 asks for the date the accessibility statement was prepared; update it with each review.
ACCESSIBILITY_STATEMENT_DATE = date(2026, 11, 25)


@dataclass(frozen=True)
class CategoryTile:
    slug: str
    name: str
    published_count: int


def category_tiles(catalog: SolutionFilterSet) -> list[CategoryTile]:
    """Every Handlungsfeld with its number of published solutions: the unfiltered catalog's own facet."""
    facet = next(facet for facet in catalog.facets if facet.name == "category")
    return [CategoryTile(option.value, option.label, option.count) for option in facet.options]


def public_figures(version: str | None) -> dict[str, int]:
    """Three of the home page's numbers (verified vendors, published pilots, municipalities that use a
    listed solution): three COUNT queries, kept until the content changes. Counting the municipalities reads
    every public reference (about 120 ms at 100,000 solutions), so a public change also computes them right
    after its commit (a warmer in ``marketplace/apps.py``), not on the next visitor's request."""
    return cached_for_version(
        "home-figures",
        lambda: {
            "vendors": Vendor.objects.verified().count(),
            "pilots": PilotProject.objects.published().count(),
            "municipalities": Reference.objects.public().values("municipality").distinct().count(),
        },
        version,
    )


def home_figures(catalog: SolutionFilterSet) -> dict[str, int]:
    """The four numbers on the home page: the unfiltered catalog's total and ``public_figures``."""
    return {"solutions": catalog.total, **public_figures(catalog.content_version)}


@require_safe
@kept_per_version("home", vary=chosen_key)
def home(request: HttpRequest) -> HttpResponse:
    catalog = SolutionFilterSet(QueryDict(), queryset=Solution.objects.published())
    featured = (
        with_reference_counts(Solution.objects.published().filter(featured=True))
        .select_related("vendor")
        .order_by("-published_at", "pk")[:HOME_FEATURED_SOLUTIONS]
    )
    newest_pilots = (
        PilotProject.objects.published()
        .select_related("lead_municipality")
        .order_by("-published_at", "pk")[:HOME_NEWEST_PILOTS]
    )
    # "Für Kommunen wie …": what municipalities like the visitor's use, once one was chosen; without a choice
    # the page invites to pick one (docs/recommendations.md).
    municipality = chosen_municipality(request)
    recommendations = []
    if municipality is not None:
        cards = with_reference_counts(Solution.objects.published()).select_related("vendor")
        version = catalog.content_version
        recommendations = recommended_for(municipality, cards.only(*CARD_FIELDS), version=version)
    return render(
        request,
        "marketplace/home.html",
        {
            "categories": category_tiles(catalog),
            "featured_solutions": featured,
            "newest_pilots": newest_pilots,
            "figures": home_figures(catalog),
            "compared_with": municipality,
            "recommendations": recommendations,
        },
    )


@require_safe
def imprint(request: HttpRequest) -> HttpResponse:
    return render(request, "marketplace/imprint.html")


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "marketplace/privacy.html")


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "marketplace/accessibility.html", {"statement_date": ACCESSIBILITY_STATEMENT_DATE})


@require_safe
def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "marketplace/contact.html")


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """200 "ok" after a real round-trip to the database, 503 when it cannot be reached.

    Load balancers poll this, so it must never be answered from a cache (hence ``never_cache``).
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        response = HttpResponse("database unavailable", status=503, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(faults.RETRY_AFTER_SECONDS)
        return response
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    # The 404 page uses the full layout (navigation, search, language switch) so a lost visitor can move on.
    return HttpResponseNotFound(loader.render_to_string("404.html", {"request_path": request.path}, request))


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without the request: whatever broke (the database, a context processor, a middleware) must not
    # break the error page too. 500.html therefore stands alone and needs neither context nor database.
    # A database outage that surfaced in a middleware ends here too (see marketplace/faults.py): it is no
    # fault of the page, so it gets the 503 page that asks to come back shortly.
    if faults.current_exception_is_database_unavailable():
        return faults.unavailable_response()
    return HttpResponseServerError(loader.get_template("500.html").render())

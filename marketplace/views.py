"""Home, the legal and contact pages, the health check and the error handlers."""

from datetime import date

from django.db import DatabaseError, connection
from django.db.models import Func, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET, require_safe

from pilots.models import PilotProject, Reference
from solutions.models import Category, Solution, Vendor

HOME_FEATURED_SOLUTIONS = 6
HOME_NEWEST_PILOTS = 4
# BITV 2.0 asks for the date the accessibility statement was prepared; update it with each review.
ACCESSIBILITY_STATEMENT_DATE = date(2026, 11, 25)


def _todo(request, *args, **kwargs):
    """Placeholder for views other parts of the project have not built yet (still imported by their URLs)."""
    return HttpResponse(status=501)


def categories_with_published_counts():
    """Every Handlungsfeld with ``published_count``: its published solutions, in one query.

    The count is a correlated subquery over ``Solution.objects.published()`` so the public gate stays
    defined in exactly one place; categories without published solutions keep a count of 0.
    """
    published_in_category = (
        Solution.objects.published()
        .filter(categories=OuterRef("pk"))
        .order_by()
        # COUNT as a plain function keeps Django from adding a GROUP BY: one number per category.
        .annotate(n=Func("pk", function="COUNT"))
        .values("n")
    )
    return Category.objects.annotate(
        published_count=Coalesce(Subquery(published_in_category, output_field=IntegerField()), 0)
    )


def home_figures() -> dict[str, int]:
    """The four numbers on the home page; one COUNT query each."""
    return {
        "solutions": Solution.objects.published().count(),
        "vendors": Vendor.objects.verified().count(),
        "pilots": PilotProject.objects.published().count(),
        "municipalities": Reference.objects.public().values("municipality").distinct().count(),
    }


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    featured = (
        Solution.objects.published()
        .filter(featured=True)
        .select_related("vendor")
        .order_by("-published_at", "pk")[:HOME_FEATURED_SOLUTIONS]
    )
    newest_pilots = (
        PilotProject.objects.published()
        .select_related("lead_municipality")
        .order_by("-published_at", "pk")[:HOME_NEWEST_PILOTS]
    )
    return render(
        request,
        "marketplace/home.html",
        {
            "categories": categories_with_published_counts(),
            "featured_solutions": featured,
            "newest_pilots": newest_pilots,
            "figures": home_figures(),
        },
    )


@require_GET
def imprint(request: HttpRequest) -> HttpResponse:
    return render(request, "marketplace/imprint.html")


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "marketplace/privacy.html")


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "marketplace/accessibility.html", {"statement_date": ACCESSIBILITY_STATEMENT_DATE})


@require_GET
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
        return HttpResponse("database unavailable", status=503, content_type="text/plain; charset=utf-8")
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    # The 404 page uses the full layout (navigation, search, language switch) so a lost visitor can move on.
    return HttpResponseNotFound(loader.render_to_string("404.html", {"request_path": request.path}, request))


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without the request: whatever broke (the database, a context processor, a middleware) must not
    # break the error page too. 500.html therefore stands alone and needs neither context nor database.
    return HttpResponseServerError(loader.get_template("500.html").render())

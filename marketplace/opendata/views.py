"""The open-data pages: the overview, the exports of every catalog, the DCAT-AP.de catalogue, robots.txt."""

from django.conf import settings
from django.contrib.sitemaps.views import SitemapIndexItem
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from marketplace import mail
from marketplace.catalog.version import cached_for_version, content_version
from marketplace.ratelimit import check_request
from pilots.models import PilotProject
from solutions import publiccode as publiccode_yml
from solutions.models import Solution

from . import dcat, exports
from .datasets import DATASETS, LICENCE_NAME, LICENCE_URL
from .sitemaps import SITEMAPS

EXPORT_FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """What the platform publishes as open data, under which licence, and where."""
    context = {
        "datasets": DATASETS.values(),
        "licence_name": LICENCE_NAME,
        "licence_url": LICENCE_URL,
        "serialisations": dcat.SERIALISATIONS,
    }
    return render(request, "opendata/index.html", context)


@require_safe
def export(request: HttpRequest, dataset: str, fmt: str) -> HttpResponse:
    """Every row of a catalog for the same query as its page (all pages, in its order), streamed."""
    chosen = DATASETS.get(dataset)
    if chosen is None or fmt not in EXPORT_FORMATS:
        raise Http404
    if (refused := check_request(request, "opendata-export", "OPEN_DATA_EXPORT_RATE")) is not None:
        return refused
    filterset = chosen.filtered(request.GET, request=request)
    query = request.GET.urlencode()
    source = mail.absolute(reverse(chosen.list_url_name)) + (f"?{query}" if query else "")
    if fmt == "csv":
        body = exports.csv_lines(chosen, filterset)
    else:
        body = exports.json_chunks(chosen, filterset, source_url=source)
    response = StreamingHttpResponse(body, content_type=EXPORT_FORMATS[fmt])
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{chosen.slug}-{stamp}.{fmt}"'
    response["Link"] = f'<{LICENCE_URL}>; rel="license"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _last_change():
    solutions = Solution.objects.published().aggregate(last=Max("updated_at"))["last"]
    pilots = PilotProject.objects.published().aggregate(last=Max("updated_at"))["last"]
    return max((value for value in (solutions, pilots) if value), default=None)


def _negotiated(request: HttpRequest) -> str | None:
    """The serialisation ``?format=`` asks for, else the one the Accept header names (Turtle by default)."""
    asked = request.GET.get("format")
    if asked is not None:
        return asked if asked in dcat.SERIALISATIONS else None
    accept = request.headers.get("Accept", "")
    for key, (_rdflib_format, content_type) in dcat.SERIALISATIONS.items():
        if content_type in accept:
            return key
    return "ttl"


@require_safe
def catalogue(request: HttpRequest) -> HttpResponse:
    """The DCAT-AP.de catalogue in Turtle, RDF/XML or JSON-LD; kept until the published content changes."""
    key = _negotiated(request)
    if key is None:
        return HttpResponse(
            "Unknown format: use ttl, rdf or jsonld.\n", status=400, content_type="text/plain; charset=utf-8"
        )

    def text():
        return dcat.serialise(dcat.build(modified=_last_change()), key)

    body, content_type = cached_for_version(f"opendata-dcat:{key}", text, content_version())
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    response["Vary"] = "Accept"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def publiccode(request: HttpRequest, slug: str) -> HttpResponse:
    """The publiccode.yml of a published open-source solution (solutions/publiccode.py ``dump``)."""
    solution = (
        Solution.objects.published()
        .filter(slug=slug, licence_type=Solution.LicenceType.OPEN_SOURCE)
        .select_related("vendor")
        .first()
    )
    if solution is None:
        raise Http404
    text = publiccode_yml.dump(solution, page_url=mail.absolute(solution.get_absolute_url()))
    response = HttpResponse(text, content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{slug}-publiccode.yml"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def sitemap_index(request: HttpRequest) -> HttpResponse:
    """sitemap.xml: one entry per section and page of it (``sitemaps.SITEMAPS``), under settings.SITE_URL."""
    items = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        url = mail.absolute(reverse("sitemap_section", kwargs={"section": section}))
        lastmod = sitemap.get_latest_lastmod()
        items.append(SitemapIndexItem(url, lastmod))
        items += [SitemapIndexItem(f"{url}?p={page}", lastmod) for page in sitemap.paginator.page_range[1:]]
    return render(request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml")


@require_safe
def robots(request: HttpRequest) -> HttpResponse:
    """robots.txt: everything public may be crawled; the portal, accounts, lists and the admin not."""
    private = [
        reverse("vendor:dashboard").rsplit("dashboard/", 1)[0],
        reverse("accounts:login").rsplit("anmelden/", 1)[0],
        reverse("shortlist:detail"),
        "/" + settings.ADMIN_PATH,
    ]
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in private)]
    lines.append(f"Sitemap: {mail.absolute(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")

"""The Markterkundung downloads and printable page, for the visitor's own list and under a share link.

``shortlist:export`` serves the visitor's own list (its id in the session), ``shortlist:shared_export`` the
list a signed link names, read-only (a forged link is a 404, as on the shared page). A list without a
published solution gets a page that says so, never an empty file. The PDF is expensive to render: it is
rate-limited per client address and account (settings.SHORTLIST_PDF_RATE).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from marketplace.ratelimit import check_request
from marketplace.shortlist import services

from . import data, tables
from .data import REFERENCES_ANCHOR

FORMATS = ("html", "csv", "xlsx", "pdf")
PAGE = "shortlist/export.html"


def _euro(amount: int) -> str:
    return f"{amount:,} €".replace(",", ".")


def _cells(export: data.Export, row: data.Row) -> list[tuple[str, str, str]]:
    """(label, text, link) for each column of ``row`` as the printable page shows it."""
    cells = []
    for column in data.COLUMNS:
        if column.key in ("solution", "detail_url", "note"):
            continue  # the heading, its link and the note have their own places
        if column.key.startswith("references_my_") and export.municipality is None:
            continue
        value = column.value(row)
        if column.key.startswith("cost_") and column.kind == "integer":
            text = _euro(value) if value is not None else _("on request")
        elif column.kind == "date":
            text = date_format(value, "DATE_FORMAT") if value is not None else _("not yet")
        else:
            text = "–" if value is None or value == "" else str(value)
        link = value if column.kind == "url" and value else ""
        cells.append((str(column.label), text, link))
    return cells


def _context(export: data.Export, links: dict) -> dict:
    vendors = {}
    for row in export.rows:
        vendor = row.solution.vendor
        entry = vendors.setdefault(vendor.pk, {"vendor": vendor, "solutions": [], "contacts": []})
        entry["solutions"].append(row.solution.title)
        contact = data.public_contact(row.solution)
        if any(contact) and contact not in entry["contacts"]:
            entry["contacts"].append(contact)
    return {
        "export": export,
        "rows": [(row, _cells(export, row)) for row in export.rows],
        "vendors": list(vendors.values()),
        "source_lines": tables.source_lines(export),
        "references_anchor": REFERENCES_ANCHOR,
        "links": links,
        "language": get_language() or "de",
    }


def _respond(request: HttpRequest, shortlist, fmt: str, *, links: dict, back: str) -> HttpResponse:
    export = data.build(request, shortlist) if shortlist is not None else None
    if export is None or not export.rows:
        response = render(request, PAGE, {"empty": True, "back": back}, status=200)
    elif fmt == "csv":
        response = _download(tables.csv_bytes(export), tables.CSV_TYPE, export, "csv")
    elif fmt == "xlsx":
        response = _download(tables.xlsx_bytes(export), tables.XLSX_TYPE, export, "xlsx")
    elif fmt == "pdf":
        if (refused := check_request(request, "shortlist-pdf", "SHORTLIST_PDF_RATE")) is not None:
            return refused
        # Imported here: WeasyPrint loads Pango when imported, which only the PDF needs.
        from .pdf import render_pdf

        body = render_pdf(_context(export, links), request=request)
        response = _download(body, "application/pdf", export, "pdf")
    else:
        response = render(request, PAGE, {**_context(export, links), "back": back})
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _download(body: bytes, content_type: str, export: data.Export, extension: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    filename = f"markterkundung-{export.date.isoformat()}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_links(name: str, **kwargs) -> dict:
    """The four formats' URLs for the URL ``name`` (shortlist:export or shortlist:shared_export)."""
    return {fmt: reverse(name, kwargs={**kwargs, "fmt": fmt}) for fmt in FORMATS}


@require_safe
@never_cache
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("No such format")
    links = export_links("shortlist:export")
    return _respond(request, services.current(request), fmt, links=links, back=reverse("shortlist:detail"))


@require_safe
@never_cache
def shared_export(request: HttpRequest, signed: str, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("No such format")
    shortlist = services.from_share_token(signed)
    if shortlist is None:
        raise Http404("No such shortlist")
    links = export_links("shortlist:shared_export", signed=signed)
    back = reverse("shortlist:shared", kwargs={"signed": signed})
    return _respond(request, shortlist, fmt, links=links, back=back)

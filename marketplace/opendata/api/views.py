"""The API's views: a page of rows (``collection``), one row (``item``), the OpenAPI document and its page.

Every answer is JSON, open to other sites (CORS ``*`` for GET), counted per client (settings.API_RATE, a 429
with ``Retry-After`` and a JSON reason when over), and conditional: the ETag is the content version with the
address and language, Last-Modified the last change of the resource's rows, so a harvester asking again with
``If-None-Match`` or ``If-Modified-Since`` gets a 304 without any rows read.
"""

import hashlib
import math

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.forms import DateTimeField, IntegerField
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_safe

from marketplace import mail
from marketplace.catalog.version import cached_for_version, content_version
from marketplace.ratelimit import client_address, too_many

from ..datasets import LICENCE_NAME, LICENCE_URL
from . import openapi
from .resources import RESOURCES, Resource

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# Parameters of every collection; everything else goes to the resource's FilterSet.
PAGING = ("page", "page_size", "updated_since")


def _json(data, status=200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _problem(status: int, detail: str) -> JsonResponse:
    return _json({"status": status, "detail": detail}, status=status)


def _limited(view):
    """settings.API_RATE = (requests, seconds) per client address; over it a 429 that says when to retry."""

    def wrapped(request, *args, **kwargs):
        limit, window = settings.API_RATE
        if too_many("api", client_address(request) or "unknown", limit=limit, window=window):
            response = _problem(
                429,
                _(
                    "Too many requests from this address: at most %(limit)d in %(minutes)d minutes. "
                    "Retry later."
                )
                % {"limit": limit, "minutes": math.ceil(window / 60)},
            )
            response["Retry-After"] = str(window)
            return response
        response = view(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        patch_vary_headers(response, ["Accept-Language"])
        return response

    return wrapped


def _resource(name: str) -> Resource:
    resource = RESOURCES.get(name)
    if resource is None:
        raise Http404
    return resource


def _etag(request, name, *args, **kwargs) -> str:
    text = f"{content_version()}|{request.get_full_path()}|{get_language()}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _last_modified(request, name, *args, **kwargs):
    resource = RESOURCES.get(name)
    if resource is None or not resource.has_updated_at:
        return None

    def latest():
        return resource.rows().aggregate(last=Max("updated_at"))["last"] or False

    return cached_for_version(f"api-last-modified:{name}", latest, content_version()) or None


def _paging(request) -> tuple[int, int, object]:
    """Page number, page size and updated_since from the query; ValidationError with a message if invalid."""
    page = IntegerField(min_value=1, required=False).clean(request.GET.get("page")) or 1
    size = IntegerField(min_value=1, max_value=MAX_PAGE_SIZE, required=False).clean(
        request.GET.get("page_size")
    )
    since = DateTimeField(required=False).clean(request.GET.get("updated_since"))
    return page, size or PAGE_SIZE, since


def _page_url(request, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return mail.absolute(request.path) + "?" + query.urlencode()


@require_safe
@_limited
@condition(etag_func=_etag, last_modified_func=_last_modified)
def collection(request: HttpRequest, name: str) -> HttpResponse:
    resource = _resource(name)
    try:
        page, size, since = _paging(request)
    except ValidationError as error:
        return _problem(400, " ".join(error.messages))
    data = request.GET.copy()
    for parameter in (*PAGING, *getattr(resource.filterset, "visitor_only_parameters", ())):
        data.pop(parameter, None)
    filterset = resource.filterset(data, queryset=resource.rows())
    warnings = []
    if since is not None or not resource.catalog:
        # Harvesting changes (or a plain list): the filters' rows in key order, no cached catalog order.
        rows = filterset.qs
        if since is not None:
            rows = rows.filter(updated_at__gte=since)
        if filterset.form.errors:
            warnings = [f"{field}: {' '.join(errors)}" for field, errors in filterset.form.errors.items()]
        rows = rows.order_by(resource.lookup)
        total = rows.count()
        start = (page - 1) * size
        keys = list(rows.values_list("pk", flat=True)[start : start + size])
    else:
        total = filterset.total
        start = (page - 1) * size
        keys = [row.pk for row in filterset.ordered()[start : start + size]] if start < total else []
        warnings = filterset.invalid_messages()
    results = [resource.record(row) for row in resource.fetch(keys)]
    body = {
        "count": total,
        "page": page,
        "page_size": size,
        "next": _page_url(request, page + 1) if start + size < total else None,
        "previous": _page_url(request, page - 1) if page > 1 else None,
        "licence": {"name": LICENCE_NAME, "url": LICENCE_URL},
        "results": results,
    }
    if warnings:
        body["warnings"] = warnings
    return _json(body)


@require_safe
@_limited
@condition(etag_func=_etag, last_modified_func=_last_modified)
def item(request: HttpRequest, name: str, key: str) -> HttpResponse:
    resource = _resource(name)
    if resource.lookup == "pk" and not key.isdigit():
        return _problem(404, _("No such row."))
    pk = resource.rows().filter(**{resource.lookup: key}).values_list("pk", flat=True).first()
    rows = resource.fetch([pk]) if pk is not None else []
    if not rows:
        return _problem(404, _("No such row."))
    return _json(resource.record(rows[0]))


@require_safe
@_limited
def schema(request: HttpRequest) -> HttpResponse:
    """The OpenAPI 3.1 document (``api:openapi``), built from the resources and their FilterSets."""
    document = cached_for_version(f"api-openapi:{get_language()}", openapi.document, content_version())
    return _json(document)


@require_safe
def docs(request: HttpRequest) -> HttpResponse:
    """The API described for people (``api:docs``): the same document as a page, with example links."""
    document = cached_for_version(f"api-openapi:{get_language()}", openapi.document, content_version())
    return render(
        request,
        "opendata/api_docs.html",
        {"operations": openapi.operations(document), "openapi_url": reverse("api:openapi")},
    )

"""The one view helper of every catalog page: the full page, or its results as an htmx partial.

Each catalog's list view is made by ``catalog_view`` (its FilterSet, its rows, a few options) and renders
through ``catalog_page``; the template extends
``templates/catalog/base.html`` and fills in its blocks (heading, texts, the card of one row).
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from .filtersets import FacetedFilterSet
from .pagecache import kept_per_version
from .pagination import paginate


def wants_partial(request: HttpRequest) -> bool:
    """An htmx request for the results only; a history restore (back button, cache miss) wants the page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def catalog_page(
    request: HttpRequest,
    filterset: FacetedFilterSet,
    *,
    template: str,
    url_name: str,
    rows_name: str,
    per_page: int = 20,
    map_facet: str | None = None,
    extra_context: dict | None = None,
) -> HttpResponse:
    """Render ``template`` with one page of ``filterset.ordered()``, its facets, chips and messages.

    Invalid parameters never fail: the valid ones apply, the others are named in ``messages_list`` and the
    page answers 200 (an empty result if nothing is left). With htmx (``wants_partial``) ``is_partial`` is
    set and ``templates/catalog/base.html`` renders only the results with the out-of-band counts (of rows,
    of active filters in ``filter_count``, of each facet option); the response varies on ``HX-Request``
    either way. ``map_facet`` names a facet drawn as the map of the Länder (``state_facet`` in the context,
    left out of ``facets``). The page's rows are ``rows`` and also
    ``<rows_name>`` (e.g. ``solutions``); ``extra_context`` adds to or overrides the context.
    """
    result = paginate(filterset.ordered(), request.GET, count=filterset.total, per_page=per_page)
    messages = filterset.invalid_messages()
    if result.message:
        messages.append(result.message)
    facets = filterset.facets
    state_facet = next((facet for facet in facets if facet.name == map_facet), None)
    rows = result.page_obj.object_list
    chips = filterset.chips
    context = {
        "filterset": filterset,
        "form": filterset.form,
        "facets": [facet for facet in facets if facet is not state_facet],
        "state_facet": state_facet,
        "total": filterset.total,
        "page_obj": result.page_obj,
        "rows": rows,
        rows_name: rows,
        "messages_list": messages,
        "chips": chips,
        # On the filter panel's summary ("Filter (3)"): the search field sits outside the panel.
        "filter_count": len(chips) - bool(filterset.search_text),
        "reset_url": reverse(url_name),
        "search_text": filterset.search_text,
        # How a full-text catalog's search matched (TextSearchFilterSet), once the filters ran.
        "text_search": getattr(filterset, "text_search", None),
        "suggestions": filterset.suggestions(),
        "sort_order": filterset.sort_order,
        "is_partial": wants_partial(request),
        **(extra_context or {}),
    }
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def catalog_view(filterset_class, rows, *, rows_name: str, per_page: int = 20, map_facet: str | None = None):
    """The list view of one catalog: ``rows()`` (e.g. ``Solution.objects.published``) filtered by the
    FilterSet and shown by ``catalog_page``.

    By convention the template is ``<app label>/<model name>_list.html`` and the page's URL name
    ``<app label>:list``.
    """
    model = rows().model
    template = f"{model._meta.app_label}/{model._meta.model_name}_list.html"
    url_name = f"{model._meta.app_label}:list"

    @require_safe
    @kept_per_version(url_name)
    def view(request: HttpRequest) -> HttpResponse:
        filterset = filterset_class(request.GET, queryset=rows(), request=request)
        return catalog_page(
            request,
            filterset,
            template=template,
            url_name=url_name,
            rows_name=rows_name,
            per_page=per_page,
            map_facet=map_facet,
        )

    return view

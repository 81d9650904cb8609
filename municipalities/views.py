"""The municipalities catalog.

The profile page is in pilots/municipality_profile.py: it shows pilots and references, which live above.
"""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from marketplace.catalog.views import catalog_page

from .filters import MunicipalityFilterSet
from .models import Municipality

PER_PAGE = 24


@require_safe
def municipality_list(request: HttpRequest) -> HttpResponse:
    filterset = MunicipalityFilterSet(request.GET, queryset=Municipality.objects.all(), request=request)
    return catalog_page(
        request,
        filterset,
        template="municipalities/municipality_list.html",
        url_name="municipalities:list",
        rows_name="municipalities",
        per_page=PER_PAGE,
        map_facet="state",  # the Land facet is drawn as the map; the others as checkbox lists
    )

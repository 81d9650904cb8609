"""URLconf used only by ``manage.py bench``: the site's URLs plus a minimal view as the floor."""

from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_safe


@require_safe
def floor(request):
    """The least a Django response costs here: all middleware, no template, no query."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("__bench__/floor/", floor, name="bench_floor"),
    path("", include("marketplace.urls")),
]

handler404 = "marketplace.views.page_not_found"
handler500 = "marketplace.views.server_error"

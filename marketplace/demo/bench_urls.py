"""URLconf used only by ``manage.py bench``: the site's URLs plus a minimal view as the floor."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import include, path
from django.views.decorators.http import require_safe


@require_safe
def floor(request):
    """The least a Django response costs here: all middleware, no template, no query."""
    return HttpResponse("ok", content_type="text/plain")


@require_safe
def layout(request):
    """The base layout with a heading and nothing else (header, navigation, footer, the session's language and
    "my municipality"): the floor a server-rendered page of this site cannot go below."""
    return render(request, "bench/layout.html")


urlpatterns = [
    path("__bench__/floor/", floor, name="bench_floor"),
    path("__bench__/layout/", layout, name="bench_layout"),
    path("", include("marketplace.urls")),
]

handler404 = "marketplace.views.page_not_found"
handler500 = "marketplace.views.server_error"

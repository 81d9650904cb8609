"""Pages for vendors. For now one landing page; the portal with login and forms builds on this module."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def landing(request: HttpRequest) -> HttpResponse:
    """How a vendor gets a listing in: steps, editorial review, the data asked for, and whom to write to."""
    return render(request, "marketplace/vendor_landing.html")

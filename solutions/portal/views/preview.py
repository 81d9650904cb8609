"""The preview of a listing's public page, for the members of its organisation."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from solutions import preview
from solutions.portal import access


@require_safe
@never_cache
@login_required
def solution_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The public detail page of the listing as it will look once published, marked as a preview.

    For a published or archived listing with a pending revision the revision is applied in memory. Never
    cached (neither the page nor the public page's fragment cache: a draft is no public content) and never
    indexed.
    """
    solution = access.solution_for(request.user, pk)
    context = {**preview.preview_context(request, solution), "saved": solution}
    response = render(request, "solutions/portal/solution_preview.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response

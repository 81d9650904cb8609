"""References proposed by the vendor; a municipality is found with a search field and a select."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from municipalities.models import Municipality
from pilots.models import ReferenceProposal
from pilots.portal.forms import MunicipalitySearchForm, ReferenceForm
from pilots.portal.services import propose_reference
from solutions.portal import access


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def references(request: HttpRequest, pk: int) -> HttpResponse:
    """GET ?municipality_q= fills the select (htmx swaps only the select); POST proposes the reference."""
    solution = access.solution_for(request.user, pk)
    search = MunicipalitySearchForm(request.GET if request.method == "GET" else request.POST)
    form = ReferenceForm(request.POST if request.method == "POST" else None, solution=solution)
    if request.method == "POST" and form.is_valid():
        propose_reference(solution, by=request.user, form=form)
        messages.success(
            request,
            _("The reference was proposed. It appears publicly once the editors have accepted it."),
        )
        return redirect("vendor:references", pk=solution.pk)
    ids = [municipality.pk for municipality in search.matches()]
    chosen = str(form["municipality"].value() or "")
    if chosen.isdigit():
        # Keep the municipality chosen before a validation error in the select.
        ids.append(int(chosen))
    form.offer(Municipality.objects.filter(pk__in=ids).order_by("name", "ags"))
    context = {
        "solution": solution,
        "references": solution.references.select_related("municipality"),
        "proposals": solution.reference_proposals.filter(
            status=ReferenceProposal.Status.PENDING
        ).select_related("municipality"),
        "search": search,
        "form": form,
        "match_count": len(ids),
        "searched": bool(search.is_valid() and search.cleaned_data["municipality_q"]),
    }
    template = "solutions/portal/references.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#municipality-select"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response

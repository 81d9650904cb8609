"""Documents and logos: upload, delete, and serving them through a view that checks access."""

import functools
import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from solutions import services
from solutions.models import Solution, SolutionDocument, SolutionRevision, Vendor, file_version
from solutions.portal import access
from solutions.portal.forms import DocumentForm, EmptyForm, LogoVersionForm
from solutions.portal.views import run_step


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def documents(request: HttpRequest, pk: int) -> HttpResponse:
    solution = access.solution_for(request.user, pk)
    form = DocumentForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.add_document(
                solution,
                by=request.user,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                content=form.cleaned_data["file"],
            )
        except services.PortalError as error:
            form.add_error(None, error.problems)
        else:
            messages.success(request, _("The document was uploaded."))
            return redirect("vendor:documents", pk=solution.pk)
    context = {"solution": solution, "documents": solution.documents.all(), "form": form}
    return render(request, "solutions/portal/documents.html", context)


@require_POST
@login_required
def document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(
        SolutionDocument.objects.select_related("solution__vendor"),
        pk=pk,
        solution__vendor__members=request.user,
    )
    if EmptyForm(request.POST).is_valid():
        run_step(
            request,
            lambda: services.delete_document(document, by=request.user),
            done=_("The document was deleted."),
        )
    return redirect("vendor:documents", pk=document.solution_id)


def _serve(file_field, *, filename: str, attachment: bool) -> FileResponse:
    try:
        handle = file_field.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    content_type = mimetypes.guess_type(file_field.name)[0] or "application/octet-stream"
    response = FileResponse(handle, as_attachment=attachment, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    # A stored file is never a page: nothing in it may run, even if a browser tried to render it.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_safe
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    document = access.document_for_download(request.user, pk)
    filename = f"{slugify(document.title) or 'dokument'}.pdf"
    return _serve(document.file, filename=filename, attachment=True)


def _pending_logo(solution: Solution, version: str):
    """The logo of the listing's pending revision if its version is `version` (see Solution.logo_url)."""
    name = (
        SolutionRevision.objects.filter(solution=solution, status=SolutionRevision.Status.PENDING)
        .values_list("data__logo", flat=True)
        .first()
    )
    if isinstance(name, str) and name and file_version(name) == version:
        return FieldFile(solution, Solution._meta.get_field("logo"), name)
    return None


@require_safe
def solution_logo_file(request: HttpRequest, pk: int) -> FileResponse:
    """A listing's logo: public for published listings; for the organisation's members and editors also
    before, and in the version of the pending revision when the address asks for it (the preview)."""
    solution = get_object_or_404(Solution.objects.select_related("vendor"), pk=pk)
    form = LogoVersionForm(request.GET)
    version = form.cleaned_data["v"] if form.is_valid() else ""

    @functools.cache
    def may_see_unpublished() -> bool:
        return access.has_staff_power(request.user) or access.is_member(request.user, solution.vendor)

    if solution.logo and version == file_version(solution.logo.name):
        version = ""  # the listing's own logo
    if version and may_see_unpublished() and (pending := _pending_logo(solution, version)):
        return _serve(pending, filename=f"{solution.slug}.png", attachment=False)
    # Any other version (an old one, or a pending one asked for by someone else) gets the listing's own.
    if not solution.logo:
        raise Http404
    if not Solution.objects.published().filter(pk=pk).exists() and not may_see_unpublished():
        raise Http404
    return _serve(solution.logo, filename=f"{solution.slug}.png", attachment=False)


@require_safe
def organisation_logo_file(request: HttpRequest, pk: int) -> FileResponse:
    vendor = get_object_or_404(Vendor.objects.exclude(logo=""), pk=pk)
    if not vendor.is_verified and not (
        access.has_staff_power(request.user) or access.is_member(request.user, vendor)
    ):
        raise Http404
    return _serve(vendor.logo, filename=f"{vendor.slug}.png", attachment=False)

"""Dashboard and listings: create, view, edit (drafts or pending revisions), submit, delete, import."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from marketplace.choices import EditorialStatus
from solutions import publiccode, services
from solutions.models import JoinRequest, Solution, SolutionRevision, VendorMembership
from solutions.portal import access, revisions
from solutions.portal.forms import (
    DraftTokenForm,
    EmptyForm,
    FieldNameForm,
    LogoForm,
    PubliccodeImportForm,
    SolutionForm,
)
from solutions.portal.views import run_step

NEXT_STEPS = {
    EditorialStatus.DRAFT: gettext_lazy("Complete the listing and submit it for review."),
    EditorialStatus.SUBMITTED: gettext_lazy("The editors are reviewing the listing. You will get an e-mail."),
    EditorialStatus.CHANGES_REQUESTED: gettext_lazy(
        "Read the editors' reason, change the listing and submit it again."
    ),
    EditorialStatus.PUBLISHED: gettext_lazy(
        "The listing is public. Changes go to the editors as a revision."
    ),
    EditorialStatus.REJECTED: gettext_lazy(
        "The listing was not accepted. Contact the editors if you have questions."
    ),
    EditorialStatus.ARCHIVED: gettext_lazy("The listing is archived and no longer public."),
}


UNSAVED_FORM_KEY = "portal_unsaved_form"
# The listing form's own fields only: anything else an anonymous POST carries is dropped, so a session
# row never holds more than one listing's worth of text, whatever is sent.
UNSAVED_FORM_FIELDS = frozenset([*SolutionForm.Meta.fields, "organisation"])
UNSAVED_FORM_MAX_CHARS = 40_000
UNSAVED_FORM_MAX_VALUES = 50  # per field: more than any checkbox group of the form has


def _unsaved_input(post: QueryDict) -> dict[str, list[str]] | None:
    """The known fields of a listing form POST, or None when they are larger than any real listing."""
    data = {key: post.getlist(key)[:UNSAVED_FORM_MAX_VALUES] for key in UNSAVED_FORM_FIELDS if key in post}
    if sum(len(value) for values in data.values() for value in values) > UNSAVED_FORM_MAX_CHARS:
        return None
    return data


def keep_input_when_logged_out(view):
    """If the session ended while a vendor filled the form, keep what was sent for after the login.

    The values are only put back into the form; nothing is saved until the vendor presses save again.
    Only the listing form's fields are kept, within a size cap (see `_unsaved_input`).
    """

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if request.method == "POST" and not request.user.is_authenticated:
            data = _unsaved_input(request.POST)
            if data:
                request.session[UNSAVED_FORM_KEY] = {"path": request.path, "data": data}
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


def _restore_unsaved(request: HttpRequest) -> QueryDict | None:
    saved = request.session.get(UNSAVED_FORM_KEY)
    if request.method != "GET" or not saved or saved.get("path") != request.path:
        return None
    del request.session[UNSAVED_FORM_KEY]
    data = QueryDict(mutable=True)
    for key, values in saved["data"].items():
        if key in UNSAVED_FORM_FIELDS:
            data.setlist(key, values[:UNSAVED_FORM_MAX_VALUES])
    messages.warning(
        request,
        _("Your session had ended. We kept what you entered: check it and save again."),
    )
    return data


SAVED_DRAFT_KEY = "portal_saved_draft"


def _confirm_saved_draft(request: HttpRequest) -> None:
    """Tell the browser's draft copy (static/js/draft.js) on the next page that this save arrived."""
    token = DraftTokenForm(request.POST)
    if token.is_valid() and token.cleaned_data["_draft"]:
        request.session[SAVED_DRAFT_KEY] = token.cleaned_data["_draft"]


def _draft_context(request: HttpRequest) -> dict:
    return {
        "draft_key": f"{request.user.pk}:{request.path}",
        "saved_draft": request.session.pop(SAVED_DRAFT_KEY, "") if request.method == "GET" else "",
    }


def _pending_revision():
    return Exists(
        SolutionRevision.objects.filter(solution=OuterRef("pk"), status=SolutionRevision.Status.PENDING)
    )


@require_safe
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    memberships = list(access.memberships(request.user))
    solutions = (
        Solution.objects.for_vendor_user(request.user)
        .select_related("vendor")
        .annotate(has_pending_revision=_pending_revision())
        .order_by("vendor__name", "-updated_at")
    )
    admin_vendor_ids = [m.vendor_id for m in memberships if m.role == VendorMembership.Role.ADMIN]
    pending_requests = (
        JoinRequest.objects.filter(vendor_id__in=admin_vendor_ids, status=JoinRequest.Status.PENDING).count()
        if admin_vendor_ids
        else 0
    )
    context = {
        "email_verified": access.is_email_verified(request.user),
        "memberships": memberships,
        "solutions": solutions,
        "next_steps": NEXT_STEPS,
        "pending_requests": pending_requests,
        "my_join_requests": JoinRequest.objects.filter(
            user=request.user, status=JoinRequest.Status.PENDING
        ).select_related("vendor"),
    }
    return render(request, "solutions/portal/dashboard.html", context)


def _organisations(request: HttpRequest) -> list:
    """The user's organisations; a new listing belongs to the only one or the one chosen in the form."""
    return [membership.vendor for membership in access.memberships(request.user)]


@require_http_methods(["GET", "HEAD", "POST"])
@keep_input_when_logged_out
@login_required
def solution_create(request: HttpRequest) -> HttpResponse:
    organisations = _organisations(request)
    if not organisations:
        messages.info(request, _("Create or join an organisation first."))
        return redirect("vendor:dashboard")
    data = request.POST if request.method == "POST" else _restore_unsaved(request)
    form = SolutionForm(data, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        vendor = form.cleaned_data.get("organisation") or organisations[0]
        solution = services.create_draft(by=request.user, vendor=vendor, form=form)
        _confirm_saved_draft(request)
        messages.success(request, _("The draft was saved."))
        return redirect("vendor:solution_edit", pk=solution.pk)
    context = {
        "form": form,
        "organisations": organisations,
        "validate_url": reverse("vendor:solution_validate"),
        **_draft_context(request),
    }
    return render(request, "solutions/portal/solution_form.html", context)


@require_safe
@login_required
def solution(request: HttpRequest, pk: int) -> HttpResponse:
    solution = access.solution_for(request.user, pk)
    revision = solution.revisions.filter(status=SolutionRevision.Status.PENDING).first()
    context = {
        "solution": solution,
        "revision": revision,
        "revision_changes": revisions.changes(revision) if revision else [],
        "next_step": NEXT_STEPS[solution.status],
        "missing": _missing_labels(solution),
        "documents": solution.documents.all(),
        "references": solution.references.select_related("municipality"),
        "can_submit": solution.status in {EditorialStatus.DRAFT, EditorialStatus.CHANGES_REQUESTED},
        "locked": solution.status in services.LOCKED_STATES,
        # Through the reverse relation: the proposals' app (pilots) sits above this one.
        "proposals": solution.reference_proposals.filter(status="pending").select_related("municipality"),
        "can_delete": solution.status == EditorialStatus.DRAFT,
        "email_verified": access.is_email_verified(request.user),
    }
    return render(request, "solutions/portal/solution_detail.html", context)


def _missing_labels(solution: Solution) -> list[tuple[str, str]]:
    form_fields = SolutionForm.base_fields
    return [(name, form_fields[name].label or name) for name in services.missing_for_submission(solution)]


@require_http_methods(["GET", "HEAD", "POST"])
@keep_input_when_logged_out
@login_required
def solution_edit(request: HttpRequest, pk: int) -> HttpResponse:
    solution = access.solution_for(request.user, pk)
    if solution.status in services.LOCKED_STATES:
        messages.info(
            request,
            _(
                "The listing is being reviewed and cannot be changed now. "
                "Withdraw it from review to change it."
            ),
        )
        return redirect("vendor:solution", pk=solution.pk)
    revision = None
    initial = None
    if solution.status in services.REVISED_STATES:
        revision = solution.revisions.filter(status=SolutionRevision.Status.PENDING).first()
        initial = revision.data if revision else None
    data = request.POST if request.method == "POST" else _restore_unsaved(request)
    form = SolutionForm(data, instance=solution, initial=initial)
    if request.method == "POST" and form.is_valid():
        result = services.save_listing(solution, by=request.user, form=form)
        _confirm_saved_draft(request)
        if isinstance(result, SolutionRevision):
            messages.success(
                request,
                _("Your changes were saved for review; the published listing stays as it is until then."),
            )
        else:
            messages.success(request, _("The draft was saved."))
        return redirect("vendor:solution_edit", pk=solution.pk)
    requested = form.requested_changes()
    if solution.status == EditorialStatus.CHANGES_REQUESTED and "logo" in solution.changes_requested_fields:
        # The logo has its own page.
        requested.append(("logo", reverse("vendor:solution_logo", kwargs={"pk": solution.pk}), _("Logo")))
    context = {
        "form": form,
        "solution": solution,
        "vendor": solution.vendor,
        "revision": revision,
        "requested_changes": requested,
        "requested_names": {name for name, _anchor, _label in requested},
        "validate_url": reverse("vendor:solution_validate"),
        **_draft_context(request),
    }
    return render(request, "solutions/portal/solution_form.html", context)


@require_POST
@login_required
def solution_validate(request: HttpRequest) -> HttpResponse:
    """htmx: check the listing form as it is and return one field with its messages.

    Only speeds up feedback; the form is checked in full again when it is saved.
    """
    form = SolutionForm(request.POST, organisations=_organisations(request))
    choice = FieldNameForm(request.POST, names=list(form.fields))
    if not request.htmx or not choice.is_valid():
        return HttpResponse(status=400)
    form.is_valid()
    field = form[choice.cleaned_data["_field"]]
    response = render(
        request,
        "solutions/portal/_field.html",
        {"field": field, "validate_url": reverse("vendor:solution_validate")},
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_POST
@login_required
def solution_submit(request: HttpRequest, pk: int) -> HttpResponse:
    solution = access.solution_for(request.user, pk)
    form = EmptyForm(request.POST)
    if form.is_valid():
        try:
            services.submit_for_review(solution, by=request.user)
        except services.PortalError as error:
            for problem in error.problems:
                messages.error(request, problem)
            return redirect("vendor:solution", pk=solution.pk)
        messages.success(request, _("The listing was submitted. The editors will review it."))
    return redirect("vendor:dashboard")


@require_POST
@login_required
def solution_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    solution = access.solution_for(request.user, pk)
    if EmptyForm(request.POST).is_valid():
        run_step(
            request,
            lambda: services.withdraw_submission(solution, by=request.user),
            done=_("The listing was withdrawn from review; you can change it now."),
        )
    return redirect("vendor:solution", pk=solution.pk)


@require_POST
@login_required
def solution_delete(request: HttpRequest, pk: int) -> HttpResponse:
    solution = access.solution_for(request.user, pk)
    form = EmptyForm(request.POST)
    if form.is_valid():
        if solution.status != EditorialStatus.DRAFT:
            messages.error(request, _("Only drafts can be deleted."))
            return redirect("vendor:solution", pk=solution.pk)
        solution.delete()
        messages.success(request, _("The draft was deleted."))
    return redirect("vendor:dashboard")


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def solution_logo(request: HttpRequest, pk: int) -> HttpResponse:
    solution = access.solution_for(request.user, pk)
    form = LogoForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_solution_logo(solution, by=request.user, content=form.cleaned_data["logo"])
        except services.PortalError as error:
            form.add_error(None, error.problems)
        else:
            if solution.status in services.REVISED_STATES:
                messages.success(request, _("The new logo waits for the editors' review."))
            else:
                messages.success(request, _("The logo was saved."))
            return redirect("vendor:solution", pk=solution.pk)
    context = {
        "form": form,
        "heading": _("Logo of %(name)s") % {"name": solution.title},
        "current_url": solution.logo_url,
        "back_url": reverse("vendor:solution", kwargs={"pk": solution.pk}),
    }
    return render(request, "solutions/portal/logo_form.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def publiccode_import(request: HttpRequest) -> HttpResponse:
    organisations = _organisations(request)
    if not organisations:
        messages.info(request, _("Create or join an organisation first."))
        return redirect("vendor:dashboard")
    form = PubliccodeImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        organisations=organisations,
    )
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        result = publiccode.parse(form.cleaned_data["text"])
        problems = result.errors
        if not problems:
            solution_form = SolutionForm(result.form_data())
            if solution_form.is_valid():
                vendor = form.cleaned_data.get("organisation") or organisations[0]
                solution = services.create_draft(by=request.user, vendor=vendor, form=solution_form)
                messages.success(
                    request, _("A draft was created from publiccode.yml. Please check and complete it.")
                )
                return redirect("vendor:solution_edit", pk=solution.pk)
            problems = [
                f"{solution_form.fields[name].label}: {' '.join(errors)}"
                for name, errors in solution_form.errors.items()
            ]
    return render(request, "solutions/portal/publiccode_import.html", {"form": form, "problems": problems})

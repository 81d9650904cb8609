"""Organisations: create, ask to join, profile, logo, members and join requests."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from marketplace.ratelimit import limit_posts
from solutions import services
from solutions.models import JoinRequest, VendorMembership
from solutions.portal import access
from solutions.portal.forms import (
    JoinDecisionForm,
    JoinRequestForm,
    LogoForm,
    OrganisationForm,
    OrganisationSearchForm,
    RoleForm,
)


def _needs_verified_email(request: HttpRequest) -> HttpResponse | None:
    if access.is_email_verified(request.user):
        return None
    return render(request, "solutions/portal/verify_first.html", status=403)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    if (refusal := _needs_verified_email(request)) is not None:
        return refusal
    form = OrganisationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        vendor = services.create_organisation(by=request.user, form=form)
        messages.success(
            request,
            _("The organisation “%(name)s” was created. The editors verify it before it appears publicly.")
            % {"name": vendor.name},
        )
        return redirect("vendor:dashboard")
    return render(request, "solutions/portal/organisation_form.html", {"form": form, "creating": True})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@limit_posts("join_request", "PORTAL_JOIN_REQUEST_RATE")
def organisation_join(request: HttpRequest) -> HttpResponse:
    if (refusal := _needs_verified_email(request)) is not None:
        return refusal
    search = OrganisationSearchForm(request.GET)
    form = JoinRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_to_join(
                form.cleaned_data["vendor"], by=request.user, message=form.cleaned_data["message"]
            )
        except services.PortalError as error:
            for problem in error.problems:
                messages.error(request, problem)
        else:
            messages.success(request, _("Your request was sent to the organisation's administrators."))
        return redirect("vendor:dashboard")
    return render(
        request, "solutions/portal/organisation_join.html", {"search": search, "results": search.results()}
    )


@require_safe
@login_required
def organisation(request: HttpRequest, pk: int) -> HttpResponse:
    membership = access.membership_for(request.user, pk)
    vendor = membership.vendor
    members = vendor.memberships.select_related("user").order_by("user__email")
    join_requests = (
        vendor.join_requests.filter(status=JoinRequest.Status.PENDING).select_related("user")
        if membership.role == VendorMembership.Role.ADMIN
        else JoinRequest.objects.none()
    )
    context = {
        "vendor": vendor,
        "membership": membership,
        "is_admin": membership.role == VendorMembership.Role.ADMIN,
        "members": members,
        "join_requests": join_requests,
        "role_choices": VendorMembership.Role.choices,
    }
    return render(request, "solutions/portal/organisation_detail.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    membership = access.membership_for(request.user, pk, admin=True)
    vendor = membership.vendor
    # A verified organisation's proposed changes are what the form shows until the editors decide.
    pending = {name: value for name, value in vendor.pending_changes.items() if name != "logo"}
    form = OrganisationForm(
        request.POST if request.method == "POST" else None, instance=vendor, initial=pending or None
    )
    if request.method == "POST" and form.is_valid():
        if services.update_organisation(vendor, by=request.user, form=form):
            messages.success(
                request,
                _("Your changes were sent to the editors; the public profile changes once they accept them."),
            )
        else:
            messages.success(request, _("The organisation profile was saved."))
        return redirect("vendor:organisation", pk=vendor.pk)
    context = {"form": form, "vendor": vendor, "pending": bool(vendor.pending_changes)}
    return render(request, "solutions/portal/organisation_form.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def organisation_logo(request: HttpRequest, pk: int) -> HttpResponse:
    membership = access.membership_for(request.user, pk, admin=True)
    vendor = membership.vendor
    form = LogoForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        services.set_vendor_logo(vendor, by=request.user, content=form.cleaned_data["logo"])
        if vendor.is_verified:
            messages.success(request, _("The new logo waits for the editors' review."))
        else:
            messages.success(request, _("The logo was saved."))
        return redirect("vendor:organisation", pk=vendor.pk)
    context = {
        "form": form,
        "heading": _("Logo of %(name)s") % {"name": vendor.name},
        "current_url": reverse("vendor:organisation_logo_file", kwargs={"pk": vendor.pk})
        if vendor.logo
        else "",
        "back_url": reverse("vendor:organisation", kwargs={"pk": vendor.pk}),
    }
    return render(request, "solutions/portal/logo_form.html", context)


@require_POST
@login_required
def join_request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    join_request = get_object_or_404(
        JoinRequest.objects.select_related("vendor", "user"),
        pk=pk,
        vendor__memberships__user=request.user,
    )
    form = JoinDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose approve or decline."))
        return redirect("vendor:organisation", pk=join_request.vendor_id)
    try:
        services.decide_join_request(
            join_request, by=request.user, approve=form.cleaned_data["decision"] == "approve"
        )
    except services.PortalError as error:
        raise PermissionDenied(error.problems[0]) from error
    messages.success(request, _("The request was decided."))
    return redirect("vendor:organisation", pk=join_request.vendor_id)


@require_POST
@login_required
def member_role(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(
        VendorMembership.objects.select_related("vendor"), pk=pk, vendor__memberships__user=request.user
    )
    form = RoleForm(request.POST, instance=VendorMembership(role=membership.role))
    if form.is_valid():
        try:
            services.change_role(membership, by=request.user, role=form.cleaned_data["role"])
        except services.PortalError as error:
            if not access.is_admin(request.user, membership.vendor):
                raise PermissionDenied(error.problems[0]) from error
            messages.error(request, error.problems[0])
        else:
            messages.success(request, _("The role was changed."))
    return redirect("vendor:organisation", pk=membership.vendor_id)

"""Public pages of framework agreements, the call-off request and the vendor's proposal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from marketplace.ratelimit import check_request, limit_mail, limit_posts
from municipalities.choice import chosen_municipality
from solutions.models import Solution

from . import services
from .forms import CallOffForm, ProposalForm
from .models import AgreementDocument, FrameworkAgreement


@require_safe
def agreement_list(request: HttpRequest) -> HttpResponse:
    """Every published agreement, running ones first; with a chosen municipality, whether it may call off.
    Queries: the agreements with their counts; with a municipality the session's choice and one of keys."""
    agreements = list(
        FrameworkAgreement.objects.published()
        .select_related("eligible_organisation")
        .annotate(
            solution_count=Count("solutions", distinct=True), vendor_count=Count("vendors", distinct=True)
        )
        .order_by("title", "pk")
    )
    today = timezone.localdate()
    municipality = chosen_municipality(request)
    callable_pks = set()
    if municipality is not None:
        callable_pks = set(
            FrameworkAgreement.objects.published().callable_by(municipality).values_list("pk", flat=True)
        )
    for agreement in agreements:
        agreement.expired = agreement.is_expired(today)
        agreement.may_call_off = agreement.pk in callable_pks and not agreement.expired
    agreements.sort(key=lambda a: a.expired)
    context = {"agreements": agreements, "municipality": municipality}
    return render(request, "solutions/agreements/agreement_list.html", context)


@require_safe
def agreement_detail(request: HttpRequest, slug: str) -> HttpResponse:
    agreement = get_object_or_404(
        FrameworkAgreement.objects.published()
        .select_related("eligible_organisation", "body_organisation")
        .prefetch_related(
            Prefetch("documents", queryset=AgreementDocument.objects.order_by("pk")),
            Prefetch(
                "solutions", queryset=Solution.objects.published().select_related("vendor").order_by("title")
            ),
            "vendors",
        ),
        slug=slug,
    )
    municipality = chosen_municipality(request)
    may_call_off = None
    if municipality is not None:
        may_call_off = (
            not agreement.is_expired()
            and FrameworkAgreement.objects.filter(pk=agreement.pk).callable_by(municipality).exists()
        )
    context = {
        "agreement": agreement,
        "expired": agreement.is_expired(),
        "municipality": municipality,
        "may_call_off": may_call_off,
        "listed_count": agreement.eligible_municipalities.count()
        if agreement.eligibility == FrameworkAgreement.Eligibility.LISTED
        else None,
    }
    return render(request, "solutions/agreements/agreement_detail.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def call_off(request: HttpRequest, slug: str, solution: str) -> HttpResponse:
    """The prefilled call-off request for one solution of one agreement, sent to the vendor."""
    agreement = get_object_or_404(FrameworkAgreement.objects.published(), slug=slug)
    covered = Q(framework_agreements=agreement) | Q(vendor__framework_agreements=agreement)
    solution_obj = (
        Solution.objects.published()
        .select_related("vendor")
        .filter(slug=solution, pk__in=Solution.objects.filter(covered).values("pk"))
        .first()
    )
    if solution_obj is None:
        raise Http404(_("This agreement does not cover this solution."))
    municipality = chosen_municipality(request)
    context = {"agreement": agreement, "solution": solution_obj, "municipality": municipality}
    if agreement.is_expired():
        # Still shown (expired agreements stay visible), but nothing can be called off any more.
        return render(request, "solutions/agreements/call_off_form.html", {**context, "expired": True})
    if request.method == "POST":
        if (refused := check_request(request, "call_off", "ENQUIRY_RATE")) is not None:
            return refused
        form = CallOffForm(request.POST)
        if form.is_spam:
            return redirect("agreements:call_off_sent")
        if form.is_valid():
            if (refused := limit_mail(request, [form.cleaned_data["email"]])) is not None:
                return refused
            call = form.save(commit=False)
            call.agreement, call.solution = agreement, solution_obj
            if municipality is not None and call.municipality_name.strip() == municipality.name:
                call.municipality = municipality
            services.send_call_off_request(request=call)
            return redirect("agreements:call_off_sent")
    else:
        initial = {"municipality_name": municipality.name} if municipality is not None else {}
        form = CallOffForm(initial=initial)
    return render(request, "solutions/agreements/call_off_form.html", {**context, "form": form})


@require_safe
def call_off_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "solutions/agreements/call_off_sent.html")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts("agreement_proposal", "ENQUIRY_RATE")  # each proposal mails the editors
def propose(request: HttpRequest) -> HttpResponse:
    """A vendor proposes that one of its solutions is covered by an agreement; an editor decides."""
    if request.method == "POST":
        form = ProposalForm(request.POST, user=request.user)
        if form.is_valid():
            services.propose_agreement(proposal=form.save(commit=False), by=request.user)
            messages.success(
                request, _("Thank you: the editors review your proposal before anything is shown.")
            )
            return redirect("agreements:propose")
    else:
        form = ProposalForm(user=request.user)
    return render(request, "solutions/agreements/proposal_form.html", {"form": form})

"""The public side: the request form (from the Merkliste), confirmation, and the private answers page."""

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from marketplace.inquiries import services
from marketplace.inquiries.files import serve_pdf
from marketplace.inquiries.forms import InquiryForm
from marketplace.inquiries.models import Answer, Recipient
from marketplace.ratelimit import check_request, limit_mail
from marketplace.shortlist import services as shortlist
from marketplace.shortlist.models import ShortlistEntry
from municipalities.choice import chosen_municipality
from solutions.models import Solution

FORM = "inquiries/inquiry_form.html"


def _noindex(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _list_solutions(request):
    """The published solutions on the visitor's own Merkliste (an empty queryset without a list)."""
    shortlist_id = request.session.get(shortlist.SESSION_KEY)
    if not isinstance(shortlist_id, int):
        return Solution.objects.none()
    return (
        Solution.objects.published()
        .filter(
            pk__in=ShortlistEntry.objects.filter(shortlist_id=shortlist_id, solution__isnull=False).values(
                "solution_id"
            )
        )
        .select_related("vendor")
        .order_by("title", "pk")
    )


def _initial(request, solutions) -> dict:
    initial = {"solutions": list(solutions)}
    municipality = chosen_municipality(request)
    if municipality is not None:
        initial["municipality_name"] = municipality.name
        if municipality.population:
            initial["inhabitants"] = municipality.population
    return initial


@require_http_methods(["GET", "HEAD", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    solutions = _list_solutions(request)
    if request.method != "POST":
        form = InquiryForm(solutions=solutions, initial=_initial(request, solutions))
        return _noindex(render(request, FORM, {"form": form, "has_solutions": solutions.exists()}))
    form = InquiryForm(request.POST, solutions=solutions)
    # Every post counts for the client address, bots' included; a refusal keeps what was typed.
    refused = check_request(request, "inquiry", "INQUIRY_RATE")
    if refused is None and form.is_valid():
        refused = limit_mail(request, [form.cleaned_data["email"]])
        if refused is None:
            municipality = chosen_municipality(request)
            if municipality is not None and municipality.name != form.cleaned_data["municipality_name"]:
                municipality = None
            services.submit_inquiry(data=form.cleaned_data, municipality=municipality)
            return redirect("inquiries:sent")
    if refused is not None:
        _limit, window = settings.INQUIRY_RATE
        form.refuse(
            _(
                "Too many requests were sent from your connection or to this address. Your text is kept: "
                "please try again in %(minutes)d minutes."
            )
            % {"minutes": max(1, window // 60)}
        )
    status = 429 if refused is not None else 200
    context = {"form": form, "has_solutions": True}
    return _noindex(render(request, FORM, context, status=status))


@require_safe
def sent(request: HttpRequest) -> HttpResponse:
    return _noindex(render(request, "inquiries/inquiry_sent.html"))


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, signed: str) -> HttpResponse:
    """GET shows what is about to happen; only the POST confirms (a mail scanner opening the link
    must not send a request on the requester's behalf)."""
    inquiry = services.from_confirm_token(signed)
    if inquiry is None:
        return _noindex(render(request, "inquiries/confirm_invalid.html", status=404))
    recipients = inquiry.recipients.select_related("vendor").order_by("vendor__name")
    if request.method == "POST":
        services.confirm_inquiry(inquiry)
        return redirect("inquiries:answers", signed=services.answers_token(inquiry))
    context = {"inquiry": inquiry, "recipients": recipients, "signed": signed}
    return _noindex(render(request, "inquiries/inquiry_confirm.html", context))


@require_safe
def answers(request: HttpRequest, signed: str) -> HttpResponse:
    inquiry = services.from_answers_token(signed)
    if inquiry is None:
        raise Http404("No such request")
    recipients = list(
        Recipient.objects.filter(inquiry=inquiry)
        .select_related("vendor", "answer")
        .prefetch_related(Prefetch("solutions", queryset=Solution.objects.order_by("title")))
        .order_by("vendor__name", "pk")
    )
    context = {"inquiry": inquiry, "recipients": recipients, "signed": signed}
    response = render(request, "inquiries/inquiry_answers.html", context)
    response["Cache-Control"] = "private, no-store"
    return _noindex(response)


@require_safe
def answer_file(request: HttpRequest, signed: str, pk: int):
    inquiry = services.from_answers_token(signed)
    if inquiry is None:
        raise Http404("No such request")
    # Scoped in the lookup: only an answer to the request this link names.
    answer = get_object_or_404(
        Answer.objects.select_related("recipient__vendor"), pk=pk, recipient__inquiry=inquiry
    )
    return serve_pdf(answer)

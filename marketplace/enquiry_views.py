"""Public forms of the Kompetenzzentrum ("Beratung anfragen", "Barriere melden") and their thank-you pages."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from marketplace import services
from marketplace.forms import BarrierPrefillForm, BarrierReportForm, EnquiryForm
from solutions.portal.ratelimit import too_many

# Accepted submissions per address and window (seconds); settings.ENQUIRY_RATE overrides it.
DEFAULT_ENQUIRY_RATE = (10, 3600)


def _rate_limited(request: HttpRequest) -> HttpResponse | None:
    limit, window = getattr(settings, "ENQUIRY_RATE", DEFAULT_ENQUIRY_RATE)
    if too_many("enquiry", request, limit=limit, window=window):
        response = render(request, "registration/rate_limited.html", status=429)
        response["Retry-After"] = str(window)
        return response
    return None


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


@require_http_methods(["GET", "HEAD", "POST"])
def enquiry(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if (limited := _rate_limited(request)) is not None:
            return limited
        form = EnquiryForm(request.POST)
        if form.is_spam:
            # Tell a bot nothing: it sees the same thank-you page, and nothing is stored or sent.
            return redirect("enquiry_thanks")
        if form.is_valid():
            services.submit_enquiry(form=form, base_url=_base_url(request))
            return redirect("enquiry_thanks")
    else:
        form = EnquiryForm()
    return render(request, "marketplace/enquiry_form.html", {"form": form})


@require_safe
def enquiry_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "marketplace/enquiry_thanks.html")


@require_http_methods(["GET", "HEAD", "POST"])
def barrier_report(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if (limited := _rate_limited(request)) is not None:
            return limited
        form = BarrierReportForm(request.POST)
        if form.is_spam:
            return redirect("barrier_report_thanks")
        if form.is_valid():
            services.submit_barrier_report(form=form, base_url=_base_url(request))
            return redirect("barrier_report_thanks")
    else:
        page_url = BarrierPrefillForm(request.GET).page_url(request)
        form = BarrierReportForm(initial={"page_url": page_url} if page_url else None)
    return render(request, "marketplace/barrier_report_form.html", {"form": form})


@require_safe
def barrier_report_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "marketplace/barrier_report_thanks.html")

"""Public forms of the Kompetenzzentrum ("Beratung anfragen", "Barriere melden") and their thank-you pages."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from marketplace.kompetenzzentrum import services
from marketplace.kompetenzzentrum.forms import BarrierPrefillForm, BarrierReportForm, EnquiryForm
from marketplace.ratelimit import check_request, limit_mail


@require_http_methods(["GET", "HEAD", "POST"])
def enquiry(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        # Every post counts for the client address (settings.ENQUIRY_RATE), bots' included.
        if (refused := check_request(request, "enquiry", "ENQUIRY_RATE")) is not None:
            return refused
        form = EnquiryForm(request.POST)
        if form.is_spam:
            # Tell a bot nothing: it sees the same thank-you page, and nothing is stored or sent.
            return redirect("enquiry_thanks")
        if form.is_valid():
            if (refused := limit_mail(request, [form.cleaned_data["email"]])) is not None:
                return refused
            services.submit_enquiry(form=form)
            return redirect("enquiry_thanks")
    else:
        form = EnquiryForm()
    return render(request, "kompetenzzentrum/enquiry_form.html", {"form": form})


@require_safe
def enquiry_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "kompetenzzentrum/enquiry_thanks.html")


@require_http_methods(["GET", "HEAD", "POST"])
def barrier_report(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if (refused := check_request(request, "enquiry", "ENQUIRY_RATE")) is not None:
            return refused
        form = BarrierReportForm(request.POST)
        if form.is_spam:
            return redirect("barrier_report_thanks")
        if form.is_valid():
            # The address is optional; without one no confirmation is sent and nothing is counted.
            if (refused := limit_mail(request, [form.cleaned_data["email"]])) is not None:
                return refused
            services.submit_barrier_report(form=form)
            return redirect("barrier_report_thanks")
    else:
        page_url = BarrierPrefillForm(request.GET).page_url()
        form = BarrierReportForm(initial={"page_url": page_url} if page_url else None)
    return render(request, "kompetenzzentrum/barrier_report_form.html", {"form": form})


@require_safe
def barrier_report_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "kompetenzzentrum/barrier_report_thanks.html")

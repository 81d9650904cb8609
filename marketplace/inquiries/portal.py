"""The vendor portal's side: the requests addressed to the user's organisations, one page each with the
answer form, and the answer's PDF. Added to the `vendor` namespace in marketplace/urls.py (the portal
lives in the solutions app, which must not import this feature).

Access is scoped in every lookup (RecipientQuerySet.for_vendor_user): another organisation's request, or
one not confirmed yet, is a 404 exactly like a missing one.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from marketplace.inquiries import services
from marketplace.inquiries.files import serve_pdf
from marketplace.inquiries.forms import AnswerForm
from marketplace.inquiries.models import Recipient
from solutions.models import Solution
from solutions.portal import access

SOLUTIONS = Prefetch("solutions", queryset=Solution.objects.order_by("title"))


@require_safe
@login_required
def inquiry_list(request: HttpRequest) -> HttpResponse:
    recipients = (
        Recipient.objects.for_vendor_user(request.user)
        .select_related("inquiry", "vendor")
        .with_answer_flag()
        .prefetch_related(SOLUTIONS)
        .order_by("-inquiry__confirmed_at", "-pk")
    )
    return render(request, "inquiries/portal/inquiry_list.html", {"recipients": recipients})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def inquiry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    recipient = get_object_or_404(
        Recipient.objects.for_vendor_user(request.user)
        .select_related("inquiry", "vendor", "answer__answered_by")
        .prefetch_related(SOLUTIONS),
        pk=pk,
    )
    answer = getattr(recipient, "answer", None)
    form = None
    if answer is None:
        form = AnswerForm(
            request.POST if request.method == "POST" else None,
            request.FILES if request.method == "POST" else None,
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.answer_inquiry(
                    recipient=recipient,
                    text=form.cleaned_data["text"],
                    pdf=form.cleaned_data["pdf"],
                    by=request.user,
                )
            except services.AlreadyAnswered:
                messages.warning(request, _("Your organisation has already answered this request."))
            else:
                messages.success(request, _("Your answer was sent to the municipality."))
            return redirect("vendor:inquiry", pk=recipient.pk)
    elif request.method == "POST":
        messages.warning(request, _("Your organisation has already answered this request."))
        return redirect("vendor:inquiry", pk=recipient.pk)
    context = {"recipient": recipient, "inquiry": recipient.inquiry, "answer": answer, "form": form}
    return render(request, "inquiries/portal/inquiry_detail.html", context)


@require_safe
@login_required
def answer_file(request: HttpRequest, pk: int):
    """The answer's PDF for the answering organisation's members and for editors."""
    recipients = Recipient.objects.select_related("answer", "vendor")
    if not access.has_staff_power(request.user):
        recipients = recipients.for_vendor_user(request.user)
    recipient = get_object_or_404(recipients, pk=pk)
    answer = getattr(recipient, "answer", None)
    if answer is None:
        raise Http404
    return serve_pdf(answer)


urlpatterns = [
    path("interessenbekundungen/", inquiry_list, name="inquiries"),
    path("interessenbekundungen/<int:pk>/", inquiry_detail, name="inquiry"),
    path("interessenbekundungen/<int:pk>/antwort.pdf", answer_file, name="inquiry_answer_file"),
]

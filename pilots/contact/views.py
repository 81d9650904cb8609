"""Public pages of the peer contact: the form, its confirmation page and the contact person's consent page.

No page shows a recipient's address: the confirmation names the recipient's role only.
"""

import math

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from marketplace.ratelimit import client_address, too_many
from pilots.contact import services, tokens
from pilots.contact.forms import ConsentForm, ContactForm
from pilots.models import Reference

# (attempts, window in seconds) per client address; settings.PEER_CONTACT_RATE overrides it. Each
# recipient address also counts against settings.MAIL_RECIPIENT_RATE over all forms together.
DEFAULT_RATE = (5, 60 * 60)
TOO_MANY = gettext_lazy("Too many messages from your connection. Please try again in %(minutes)d minutes.")
RECIPIENT_BUSY = gettext_lazy(
    "This municipality has received many messages recently. Please try again in %(minutes)d minutes."
)


def _rate() -> tuple[int, int]:
    return getattr(settings, "PEER_CONTACT_RATE", DEFAULT_RATE)


def _over(scope: str, subject: str, rate: tuple[int, int]) -> bool:
    limit, window = rate
    return too_many(scope, subject, limit=limit, window=window)


def _contactable(pk: int) -> Reference:
    """Only verified references of published solutions have a contact form."""
    return get_object_or_404(
        Reference.objects.public().verified().select_related("solution", "municipality"), pk=pk
    )


def _refuse(request, form: ContactForm, reference: Reference, message: str, window: int) -> HttpResponse:
    form.add_error(None, message)
    form.refresh_guards()
    response = _render_form(request, form, reference, status=429)
    response["Retry-After"] = str(window)
    return response


def _render_form(request, form, reference, *, status=200) -> HttpResponse:
    return render(
        request, "pilots/contact/contact_form.html", {"form": form, "reference": reference}, status=status
    )


@require_http_methods(["GET", "HEAD", "POST"])
def reference_contact(request: HttpRequest, pk: int) -> HttpResponse:
    reference = _contactable(pk)
    if request.method != "POST":
        return _render_form(request, ContactForm(), reference)
    form = ContactForm(request.POST)
    valid = form.is_valid()
    # Every post counts for the client address, bots' included; the typed text stays in the form.
    rate = _rate()
    if _over("peer_contact:address", client_address(request) or "unknown", rate):
        minutes = math.ceil(rate[1] / 60)
        return _refuse(
            request,
            form,
            reference,
            TOO_MANY % {"minutes": minutes},
            rate[1],
        )
    if not valid:
        form.refresh_guards()
        return _render_form(request, form, reference)
    _route, recipients = services.contact_route(reference)
    # Counted like marketplace.ratelimit.limit_mail (one budget per address over all forms), but refused
    # with the form and its text instead of the bare 429 page.
    limit, window = settings.MAIL_RECIPIENT_RATE
    over = [_over("mail:recipient", address.strip().lower(), (limit, window)) for address in recipients]
    if any(over):
        return _refuse(
            request,
            form,
            reference,
            RECIPIENT_BUSY % {"minutes": math.ceil(window / 60)},
            window,
        )
    message = services.forward_question(reference, data=form.cleaned_data)
    return redirect("pilots:reference_contact_sent", token=tokens.sent_token(message))


@require_safe
def reference_contact_sent(request: HttpRequest, token: str) -> HttpResponse:
    message = tokens.message_for_sent_token(token)
    if message is None:
        raise Http404
    return render(request, "pilots/contact/contact_sent.html", {"message": message})


@require_http_methods(["GET", "HEAD", "POST"])
def reference_consent(request: HttpRequest, token: str) -> HttpResponse:
    reference = tokens.reference_for_consent_token(token)
    if reference is None:
        raise Http404
    form = ConsentForm()
    if request.method == "POST":
        limit, window = _rate()
        if _over("peer_contact:consent", client_address(request) or "unknown", (limit, window)):
            context = {"reference": reference, "form": form, "limited_minutes": math.ceil(window / 60)}
            response = render(request, "pilots/contact/consent.html", context, status=429)
            response["Retry-After"] = str(window)
            return response
        form = ConsentForm(request.POST)
        if form.is_valid():
            services.record_contact_consent(reference, agrees=form.agrees)
            return redirect("pilots:reference_consent", token=token)
    return render(request, "pilots/contact/consent.html", {"reference": reference, "form": form})

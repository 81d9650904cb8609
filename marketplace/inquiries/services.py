"""Writes of the request for information: submit, confirm (then the vendors hear of it), answer.

Views, admin actions and commands call these functions; each docstring lists every side effect. The
signed links (confirmation, the requester's private answers page) are made and read here too.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, override

from marketplace import mail
from marketplace.inquiries.models import Answer, Inquiry, Recipient

CONFIRM_SALT = "marketplace.inquiries.confirm"
ANSWERS_SALT = "marketplace.inquiries.answers"
# How long the confirmation link works: long enough for a weekend, short enough to die unused.
CONFIRM_MAX_AGE = 3 * 24 * 3600


class AlreadyAnswered(Exception):
    """The vendor answered this request before; an answer is sent once and not changed afterwards."""


def confirm_token(inquiry: Inquiry) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(inquiry.token)


def from_confirm_token(signed: str) -> Inquiry | None:
    """The request a confirmation link names; None when forged, altered, expired or unknown."""
    try:
        token = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(signed, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return None
    return Inquiry.objects.filter(token=token).first()


def answers_token(inquiry: Inquiry) -> str:
    return signing.Signer(salt=ANSWERS_SALT).sign(inquiry.token)


def from_answers_token(signed: str) -> Inquiry | None:
    """The confirmed request a private answers link names; None when forged, altered or unknown."""
    try:
        token = signing.Signer(salt=ANSWERS_SALT).unsign(signed)
    except signing.BadSignature:
        return None
    return Inquiry.objects.confirmed().filter(token=token).first()


def answers_path(inquiry: Inquiry) -> str:
    return reverse("inquiries:answers", kwargs={"signed": answers_token(inquiry)})


@transaction.atomic
def submit_inquiry(*, data: dict, municipality=None) -> Inquiry:
    """Store a valid InquiryForm's cleaned `data` as an unconfirmed request.

    `municipality`: the visitor's chosen municipality when the typed name is its name. Side effects: one
    Inquiry (unconfirmed), one Recipient per vendor of the chosen solutions; a confirmation e-mail with a
    signed link (valid CONFIRM_MAX_AGE) to the given address, queued. No vendor hears of it yet, and the
    mail repeats nothing that was typed, so the form cannot carry a message to a stranger.
    """
    inquiry = Inquiry.objects.create(
        need=data["need"],
        timeframe=data["timeframe"],
        municipality_name=data["municipality_name"],
        municipality=municipality,
        inhabitants=data.get("inhabitants"),
        size_class=data.get("size_class") or "",
        budget=data["budget"],
        questions=data.get("questions", ""),
        name=data["name"],
        email=data["email"],
        language=get_language() or "",
        consent_at=timezone.now(),
    )
    by_vendor: dict[int, list] = {}
    for solution in data["solutions"]:
        by_vendor.setdefault(solution.vendor_id, []).append(solution)
    for vendor_id, solutions in by_vendor.items():
        recipient = Recipient.objects.create(inquiry=inquiry, vendor_id=vendor_id)
        recipient.solutions.set(solutions)
    mail.queue_mail(
        to=[inquiry.email],
        template="inquiries/emails/confirm.txt",
        context={
            "inquiry": inquiry,
            "signed": confirm_token(inquiry),
            "vendor_count": len(by_vendor),
            "days": CONFIRM_MAX_AGE // (24 * 3600),
        },
    )
    return inquiry


def confirm_inquiry(inquiry: Inquiry) -> bool:
    """Mark the request confirmed and pass it to its vendors; False when it was confirmed before.

    Side effects: sets confirmed_at and each Recipient's notified_at; one e-mail per addressed vendor to
    its members (in the site's default language, settings.LANGUAGE_CODE), all queued as one task. A
    second confirmation sends nothing.
    """
    with transaction.atomic():
        updated = Inquiry.objects.filter(pk=inquiry.pk, confirmed_at__isnull=True).update(
            confirmed_at=timezone.now()
        )
        if not updated:
            return False
        inquiry.refresh_from_db(fields=["confirmed_at"])
        recipients = list(
            inquiry.recipients.select_related("vendor").prefetch_related("solutions").order_by("pk")
        )
        Recipient.objects.filter(inquiry=inquiry).update(notified_at=timezone.now())
    users = get_user_model().objects
    mails = []
    with override(settings.LANGUAGE_CODE):
        for recipient in recipients:
            mails.append(
                {
                    "to": mail.addresses(users.filter(vendor_memberships__vendor=recipient.vendor_id)),
                    "template": "inquiries/emails/vendor_new.txt",
                    "context": {
                        "inquiry": inquiry,
                        "recipient": recipient,
                        "solutions": list(recipient.solutions.all()),
                    },
                }
            )
        mail.queue_mails(mails)
    return True


def answer_inquiry(*, recipient: Recipient, text: str, pdf=None, by) -> Answer:
    """Store the vendor's answer (`pdf`: a checked ContentFile or None) and send it to the requester.

    Side effects: one Answer (the PDF saved in the default storage under inquiries/, served only through
    the checked views); one e-mail to the requester with the text and the private answers link, in the
    language of the request. Raises AlreadyAnswered when the vendor answered before.
    """
    with transaction.atomic():
        # Lock the recipient row so two members answering at once cannot both pass.
        locked = Recipient.objects.select_for_update().get(pk=recipient.pk)
        if Answer.objects.filter(recipient=locked).exists():
            raise AlreadyAnswered
        answer = Answer(recipient=locked, text=text, answered_by=by)
        if pdf is not None:
            answer.pdf_size = pdf.size
            answer.pdf.save(pdf.name, pdf, save=False)
        answer.save()
    inquiry = recipient.inquiry
    with override(inquiry.language or None):
        mail.queue_mail(
            to=[inquiry.email],
            template="inquiries/emails/answer.txt",
            context={
                "inquiry": inquiry,
                "vendor": recipient.vendor,
                "answer": answer,
                "answers_signed": answers_token(inquiry),
            },
        )
    return answer

"""Writes of the peer contact: asking for and recording consent, forwarding a question.

Views and the editors' verification (marketplace/editorial/services/references.py) call these functions;
each docstring lists every side effect.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, override

from marketplace.mail import absolute, editor_emails, queue_mail
from pilots.contact.tokens import consent_token
from pilots.models import Reference, ReferenceContactMessage

Route = ReferenceContactMessage.Route


def consent_url(reference: Reference) -> str:
    """The signed address of the consent page of `reference`'s contact person, for e-mails."""
    return absolute(reverse("pilots:reference_consent", kwargs={"token": consent_token(reference)}))


def ask_for_contact_consent(reference: Reference) -> bool:
    """Ask the reference's contact person whether other municipalities may contact them.

    Nothing happens without a contact e-mail. Side effects: contact_consent "asked" and its time (a
    previous answer of the same address stays valid until they answer again); one e-mail in German
    with signed links to the consent page. Returns whether the mail was queued.
    """
    if not reference.contact_email:
        return False
    reference.contact_consent_asked_at = timezone.now()
    fields = ["contact_consent_asked_at"]
    if not reference.contact_consented:
        reference.contact_consent = Reference.ContactConsent.ASKED
        fields.append("contact_consent")
    reference.save(update_fields=fields)
    # The contact works at a German municipality; the editor's admin language is no hint of theirs.
    with override(settings.LANGUAGE_CODE):
        queue_mail(
            to=[reference.contact_email],
            template="pilots/emails/contact_consent_request.txt",
            context={"reference": reference, "consent_url": consent_url(reference)},
        )
    return True


def record_contact_consent(reference: Reference, *, agrees: bool) -> Reference:
    """Store the contact person's answer (also a later withdrawal).

    Side effects: contact_consent "yes" or "no", the address that answered and the time. No e-mail.
    """
    reference.contact_consent = Reference.ContactConsent.YES if agrees else Reference.ContactConsent.NO
    reference.contact_consent_email = reference.contact_email
    reference.contact_consent_at = timezone.now()
    reference.save(update_fields=["contact_consent", "contact_consent_email", "contact_consent_at"])
    return reference


def contact_route(reference: Reference) -> tuple[str, list[str]]:
    """Who receives a question about `reference`, and at which addresses (never shown on a page).

    The contact person when they agreed, else the municipality's public contact, else the editors.
    """
    if reference.contact_consented:
        return Route.CONTACT, [reference.contact_email]
    if reference.municipality.contact_email:
        return Route.MUNICIPALITY, [reference.municipality.contact_email]
    return Route.EDITORS, editor_emails()


def forward_question(reference: Reference, *, data: dict) -> ReferenceContactMessage:
    """Store a question from the contact form and forward it by e-mail.

    `data`: name, organisation, email, question (a valid ContactForm's cleaned_data). Side effects: one
    ReferenceContactMessage; one e-mail in German to the recipient of `contact_route`, with Reply-To
    set to the asker and a footer saying why it arrives and how to stop it. Nothing goes to the asker:
    their address is not confirmed, so the form cannot carry a message to a stranger.
    """
    route, recipients = contact_route(reference)
    message = ReferenceContactMessage.objects.create(
        reference=reference,
        name=data["name"],
        organisation=data["organisation"],
        email=data["email"],
        question=data["question"],
        route=route,
        language=get_language() or "",
    )
    with override(settings.LANGUAGE_CODE):
        queue_mail(
            to=recipients,
            reply_to=[message.email],
            template="pilots/emails/contact_forwarded.txt",
            context={
                "message": message,
                "reference": reference,
                "route": route,
                # How the recipient stops such mails: withdraw (the contact person), ask the editors (the
                # municipality), or enter a contact for the reference (the editors).
                "consent_url": consent_url(reference) if route == Route.CONTACT else "",
                "stop_url": absolute(
                    reverse("admin:pilots_reference_change", args=[reference.pk])
                    if route == Route.EDITORS
                    else reverse("contact")
                ),
            },
        )
    return message

"""The signed links of the peer contact: unguessable, and bound to what they were made for.

A consent link names the reference and the contact address it was sent to, so it stops working when the
editors enter another contact person. It never expires: a contact person must be able to withdraw with
the link of any mail they received. A confirmation link names one sent message and expires after a day.
"""

from django.core import signing

from pilots.models import Reference, ReferenceContactMessage

_CONSENT_SALT = "pilots.contact.consent"
_SENT_SALT = "pilots.contact.sent"
SENT_LINK_MAX_AGE = 24 * 60 * 60


def consent_token(reference: Reference) -> str:
    # No timestamp (the link never expires): the same reference and address always give the same link.
    data = {"r": reference.pk, "e": reference.contact_email.lower()}
    return signing.Signer(salt=_CONSENT_SALT).sign_object(data)


def reference_for_consent_token(token: str) -> Reference | None:
    """The reference a consent link was made for, or None (forged, or the contact address changed)."""
    try:
        data = signing.Signer(salt=_CONSENT_SALT).unsign_object(token)
        pk, email = int(data["r"]), str(data["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    reference = Reference.objects.select_related("solution", "municipality").filter(pk=pk).first()
    if reference is None or not email or reference.contact_email.lower() != email:
        return None
    return reference


def sent_token(message: ReferenceContactMessage) -> str:
    return signing.dumps(message.pk, salt=_SENT_SALT)


def message_for_sent_token(token: str) -> ReferenceContactMessage | None:
    try:
        pk = int(signing.loads(token, salt=_SENT_SALT, max_age=SENT_LINK_MAX_AGE))
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return (
        ReferenceContactMessage.objects.select_related("reference__municipality", "reference__solution")
        .filter(pk=pk)
        .first()
    )

"""Signed, expiring tokens for the e-mail verification link."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing

# Named after the module's first home; changing it would void every link already sent.
SALT = "solutions.portal.verify-email"


def make_verification_token(user) -> str:
    # The address is part of the token, so a link stops working if the address changes.
    return signing.dumps({"u": user.pk, "e": user.email}, salt=SALT, compress=True)


def user_from_verification_token(token: str):
    """The user the token was made for, or None if it is forged, expired or outdated."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.PASSWORD_RESET_TIMEOUT)
    except signing.BadSignature:
        return None
    user = get_user_model().objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None or user.email != data.get("e"):
        return None
    return user

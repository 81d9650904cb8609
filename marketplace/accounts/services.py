"""Writes of the account pages. Each docstring lists every side effect."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from marketplace import mail
from marketplace.accounts import tokens
from solutions.models import EmailVerification


def register_user(*, email: str, password: str):
    """Create an unverified account and send the confirmation link.

    Side effects: a User (username = the e-mail address in lower case) and its EmailVerification row;
    one e-mail with the verification link queued. If the address is already registered nothing is
    created and that address is told so instead, so the form never reveals who has an account. Both
    paths hash the password once (the slow part of the work), so the answer takes as long either way.
    Links point to settings.SITE_URL.
    """
    email = email.strip().lower()
    user_model = get_user_model()
    existing = user_model.objects.filter(username=email).first()
    if existing is not None:
        # The hash is thrown away: it only makes this path as slow as creating the account.
        user_model().set_password(password)
        mail.queue_mail(to=[email], template="registration/already_registered_email.txt", context={})
        return None
    with transaction.atomic():
        user = user_model.objects.create_user(username=email, email=email, password=password)
        EmailVerification.objects.create(user=user)
    send_verification_email(user)
    return user


def send_verification_email(user) -> None:
    """Queue the e-mail with the confirmation link (under settings.SITE_URL).

    Side effects: one e-mail queued.
    """
    path = reverse("accounts:verify", kwargs={"token": tokens.make_verification_token(user)})
    mail.queue_mail(
        to=[user.email],
        template="registration/verify_email.txt",
        context={"user": user, "verify_url": mail.absolute(path), "days": 3},
    )


def confirm_email(user) -> None:
    """Mark the user's address as confirmed. Side effects: EmailVerification.verified_at set (once)."""
    verification, _created = EmailVerification.objects.get_or_create(user=user)
    if verification.verified_at is None:
        verification.verified_at = timezone.now()
        verification.save(update_fields=["verified_at"])

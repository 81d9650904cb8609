"""Background tasks of the vendor portal (Django's tasks framework; the database backend in production)."""

from django.core.mail import send_mail
from django.tasks import task


@task
def send_email(*, subject: str, body: str, to: list[str]) -> int:
    """Send one plain-text e-mail; runs in the worker so a slow mail server never slows a request."""
    return send_mail(subject, body, None, to)

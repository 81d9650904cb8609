"""Background tasks of the vendor portal (Django's tasks framework; the database backend in production)."""

from django.core.mail import send_mail
from django.tasks import task


@task
def send_email(*, subject: str, body: str, to: list[str]) -> int:
    """Send one plain-text e-mail; runs in the worker so a slow mail server never slows a request."""
    return send_mail(subject, body, None, to)


@task
def send_emails(*, messages: list[dict]) -> int:
    """Send several plain-text e-mails (dicts with subject, body, to) over one connection; one task row
    for a whole bulk decision keeps the number of queries of that decision fixed."""
    from django.core.mail import send_mass_mail

    return send_mass_mail([(m["subject"], m["body"], None, m["to"]) for m in messages])

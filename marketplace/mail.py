"""Every e-mail the project sends: rendered from one template, queued as a background task.

One way for all of them: a plain-text template under templates/ whose first line is the subject and the
rest the body (`render_mail`), with SITE_NAME always in the context; every link in a mail is absolute
under settings.SITE_URL (`absolute`, in templates ``{% absolute_url 'name' args %}``). `queue_mail` renders
it now (in the language active at the call, so a confirmation goes out in the language of the form) and
hands it to the tasks framework, so a slow mail server never slows a request. `queue_mails` puts several
differently addressed mails into one task row (a bulk editorial decision keeps its number of queries fixed).

Library code: it imports no app of the project. Who receives a mail is the caller's business; the two
recipient lists several apps need are here: `editor_emails()` and `addresses(users)`.

The tasks keep the names they had in `solutions/tasks.py`; that module still re-exports them, because the
database queue stores a task's dotted path and rows queued before the move name the old one.
"""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, send_mass_mail
from django.core.mail import send_mail as django_send_mail
from django.tasks import task
from django.template.loader import render_to_string


def absolute(path: str) -> str:
    """The address of `path` (e.g. from ``reverse``) under settings.SITE_URL, for links in e-mails.

    Never built from a request: a forged Host header would otherwise put an attacker's address into a
    mail. Templates use the ``{% absolute_url %}`` tag (marketplace/templatetags/absolute_urls.py).
    """
    if not path.startswith("/"):
        raise ValueError(f"absolute() takes a path that starts with '/', got {path!r}")
    return settings.SITE_URL.rstrip("/") + path


def render_mail(*, template: str, context: dict) -> tuple[str, str]:
    """Subject and body of an e-mail template (the first line is the subject, the rest the body)."""
    text = render_to_string(template, {"SITE_NAME": settings.SITE_NAME, **context}).strip()
    subject, _sep, body = text.partition("\n")
    # One line by construction: a line break in a subject would be refused as header injection.
    return subject.strip(), body.strip() + "\n"


def _recipients(to: Iterable[str]) -> list[str]:
    # Empty addresses (a member without one, a barrier report sent without one) are skipped.
    return [address for address in to if address]


def queue_mail(*, to: Iterable[str], template: str, context: dict, reply_to: Iterable[str] = ()) -> None:
    """Render `template` now and queue it as one mail to all of `to`, answered to `reply_to` when given.

    Side effects: one task (settings.TASKS) that sends the mail; nothing when no address is left.
    """
    recipients = _recipients(to)
    if recipients:
        subject, body = render_mail(template=template, context=context)
        # Passed only when set, so the task's arguments stay as they were for every other mail.
        extra = {"reply_to": answer_to} if (answer_to := _recipients(reply_to)) else {}
        send_email.enqueue(subject=subject, body=body, to=recipients, **extra)


def queue_mails(mails: Iterable[dict]) -> None:
    """Render several mails (dicts of `queue_mail`'s keyword arguments) and queue them as one task.

    Side effects: one task row for all of them, sent over one connection; nothing when none has a recipient.
    """
    messages = []
    for item in mails:
        recipients = _recipients(item["to"])
        if recipients:
            subject, body = render_mail(template=item["template"], context=item["context"])
            messages.append({"subject": subject, "body": body, "to": recipients})
    if messages:
        send_emails.enqueue(messages=messages)


def notify_editors(*, template: str, context: dict) -> None:
    """Tell the editors about something waiting for them. Side effects: one e-mail queued."""
    queue_mail(to=editor_emails(), template=template, context=context)


def editor_emails() -> list[str]:
    """Who hears about new work for the editors: settings.EDITOR_EMAILS, else every active staff account."""
    if settings.EDITOR_EMAILS:
        return list(settings.EDITOR_EMAILS)
    return addresses(get_user_model().objects.filter(is_staff=True, is_active=True))


def addresses(users) -> list[str]:
    """The e-mail addresses of `users` (a queryset or related manager of users), leaving out empty ones."""
    return list(users.exclude(email="").values_list("email", flat=True))


@task
def send_email(*, subject: str, body: str, to: list[str], reply_to: list[str] | None = None) -> int:
    """Send one plain-text e-mail; runs in the worker so a slow mail server never slows a request."""
    if reply_to:
        return EmailMessage(subject=subject, body=body, to=to, reply_to=reply_to).send()
    return django_send_mail(subject, body, None, to)


@task
def send_emails(*, messages: list[dict]) -> int:
    """Send several plain-text e-mails (dicts with subject, body, to) over one connection."""
    return send_mass_mail([(m["subject"], m["body"], None, m["to"]) for m in messages])

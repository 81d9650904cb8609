"""Writes of the Kompetenzzentrum's inbox: enquiries and barrier reports from the public forms.

Views, admin actions and commands call these functions; each docstring lists every side effect.
"""

from django.utils import timezone
from django.utils.translation import get_language, override

from marketplace import mail
from marketplace.kompetenzzentrum.models import Enquiry


def _notify(enquiry: Enquiry) -> None:
    # The sender reads the confirmation in the language of the form; the editors' notice stays German.
    # Nobody has confirmed that the address belongs to the sender, so the confirmation repeats nothing
    # they typed (templates/kompetenzzentrum/emails/enquiry_*_received.txt): the form cannot carry a
    # message to a stranger.
    if enquiry.email:
        with override(enquiry.language or None):
            mail.queue_mail(
                to=[enquiry.email],
                template=f"kompetenzzentrum/emails/enquiry_{enquiry.kind}_received.txt",
                context={"enquiry": enquiry},
            )
    mail.notify_editors(
        template="kompetenzzentrum/emails/enquiry_new.txt",
        context={"enquiry": enquiry},
    )


def submit_enquiry(*, form) -> Enquiry:
    """Store a valid EnquiryForm as a new enquiry.

    Side effects: one Enquiry (status "new", the current language); a confirmation e-mail to the sender
    (without the text they typed) and a notice with the admin link (under SITE_URL) to the editors
    (EDITOR_EMAILS or the staff), both queued as tasks.
    """
    data = form.cleaned_data
    enquiry = Enquiry.objects.create(
        kind=Enquiry.Kind.ENQUIRY,
        municipality=data["municipality"],
        name=data["name"],
        role=data["role"],
        email=data["email"],
        topic=data["topic"],
        message=data["message"],
        language=get_language() or "",
    )
    _notify(enquiry)
    return enquiry


def submit_barrier_report(*, form) -> Enquiry:
    """Store a valid BarrierReportForm as a new barrier report (answer due within 30 days).

    Side effects: one Enquiry of kind "barrier"; a confirmation e-mail (without the text they typed) to
    the sender when an address was given, and a notice with the admin link to the editors, both queued.
    """
    data = form.cleaned_data
    report = Enquiry.objects.create(
        kind=Enquiry.Kind.BARRIER,
        page_url=data["page_url"],
        message=data["message"],
        name=data["name"],
        email=data["email"],
        language=get_language() or "",
    )
    _notify(report)
    return report


def set_enquiry_status(enquiry: Enquiry, *, status: str, by=None) -> Enquiry:
    """Move an enquiry to `status`.

    Side effects: `answered_at` set the first time it becomes answered (this stops the 30-day clock of a
    barrier report), `closed_at` set when closed and cleared when reopened; assigns it to `by` when it
    moves to "in progress" without an editor.
    """
    now = timezone.now()
    enquiry.status = status
    if status == Enquiry.Status.ANSWERED and enquiry.answered_at is None:
        enquiry.answered_at = now
    if status == Enquiry.Status.CLOSED:
        enquiry.closed_at = enquiry.closed_at or now
    else:
        enquiry.closed_at = None
    if status == Enquiry.Status.IN_PROGRESS and enquiry.assigned_to_id is None and by is not None:
        enquiry.assigned_to = by
    enquiry.save(update_fields=["status", "answered_at", "closed_at", "assigned_to", "updated_at"])
    return enquiry


def assign_enquiry(enquiry: Enquiry, *, to) -> Enquiry:
    """Assign an enquiry to an editor (None: unassign). Side effects: `assigned_to` saved."""
    enquiry.assigned_to = to
    enquiry.save(update_fields=["assigned_to", "updated_at"])
    return enquiry


# ---------- Review queue sections ----------


def open_enquiries():
    """Enquiries and barrier reports someone still has to answer, oldest first."""
    return Enquiry.objects.open().select_related("municipality", "assigned_to").order_by("created_at")


def overdue_barrier_reports():
    """Barrier reports past the 30-day legal deadline without an answer, oldest first."""
    return Enquiry.objects.overdue().select_related("assigned_to").order_by("created_at")

"""The Kompetenzzentrum's inbox: enquiries and barrier reports from the public forms.

App label "marketplace" and table marketplace_enquiry as before the move; marketplace/models.py imports
these so Django registers them. Writes happen in `services.py`; the models hold rows and read methods.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.limits import TEXT_MAX_CHARS, capped_text

# BITV 2.0 / EU directive 2016/2102: a barrier report must be answered within a month.
BARRIER_ANSWER_DAYS = 30


class EnquiryQuerySet(models.QuerySet):
    def open(self):
        """New or in progress: someone still has to act."""
        return self.filter(status__in=[Enquiry.Status.NEW, Enquiry.Status.IN_PROGRESS])

    def enquiries(self):
        return self.filter(kind=Enquiry.Kind.ENQUIRY)

    def barrier_reports(self):
        return self.filter(kind=Enquiry.Kind.BARRIER)

    def overdue(self, *, now=None):
        """Barrier reports without an answer after the legal deadline of 30 days."""
        cutoff = (now or timezone.now()) - timedelta(days=BARRIER_ANSWER_DAYS)
        return self.barrier_reports().open().filter(answered_at__isnull=True, created_at__lt=cutoff)


class Enquiry(models.Model):
    """A question to the Kompetenzzentrum or a report of an accessibility barrier, from the public forms."""

    class Kind(models.TextChoices):
        ENQUIRY = "enquiry", _("Enquiry")
        BARRIER = "barrier", _("Barrier report")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        IN_PROGRESS = "in_progress", _("In progress")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    class Topic(models.TextChoices):
        FIND_SOLUTION = "find_solution", _("Finding a suitable solution")
        PROCUREMENT = "procurement", _("Procurement and framework agreements")
        FUNDING = "funding", _("Funding")
        DATA_PROTECTION = "data_protection", _("Data protection and security")
        TRANSFER = "transfer", _("Transferring a pilot project")
        STRATEGY = "strategy", _("Smart-city strategy")
        OTHER = "other", _("Something else")

    kind = models.CharField(
        _("kind"), max_length=10, choices=Kind.choices, default=Kind.ENQUIRY, db_index=True
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NEW, db_index=True
    )
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enquiries",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices, blank=True)
    message = capped_text(_("message"), max_length=TEXT_MAX_CHARS)
    page_url = models.URLField(_("page"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_enquiries",
        verbose_name=_("assigned editor"),
        limit_choices_to={"is_staff": True},
    )
    internal_notes = capped_text(
        _("internal notes"),
        max_length=TEXT_MAX_CHARS,
        blank=True,
        help_text=_("Only for the editorial team; never sent."),
    )
    created_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = EnquiryQuerySet.as_manager()

    class Meta:
        app_label = "marketplace"
        verbose_name = _("enquiry or barrier report")
        verbose_name_plural = _("enquiries and barrier reports")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["kind", "status", "created_at"], name="enquiry_inbox")]

    def __str__(self):
        label = self.get_topic_display() if self.topic else self.page_url
        return f"{self.get_kind_display()}: {label or self.message[:60]}"

    @property
    def is_overdue(self) -> bool:
        return (
            self.kind == self.Kind.BARRIER
            and self.status in {self.Status.NEW, self.Status.IN_PROGRESS}
            and self.answered_at is None
            and self.created_at < timezone.now() - timedelta(days=BARRIER_ANSWER_DAYS)
        )

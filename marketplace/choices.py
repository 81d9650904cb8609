"""Choices shared by solutions and pilot projects."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.limits import NOTE_MAX_CHARS, capped_text


class EditorialStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    ARCHIVED = "archived", _("Archived")


class EditorialFields(models.Model):
    """Status and timestamps of the editorial workflow (transitions live in service functions)."""

    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EditorialStatus.choices,
        default=EditorialStatus.DRAFT,
        db_index=True,
    )
    status_reason = capped_text(
        _("reason of the last decision"),
        max_length=NOTE_MAX_CHARS,
        blank=True,
        help_text=_("Shown to the vendor for changes or rejection."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    is_demo = models.BooleanField(_("sample data"), default=False, help_text=_("Generated demo content."))

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.status == EditorialStatus.PUBLISHED

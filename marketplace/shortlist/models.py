"""The Merkliste: a visitor's shortlist of solutions and pilot projects, kept in the database.

An anonymous visitor's list is found through its id in the session; a signed link to its random token
(marketplace/shortlist/services.py) shows it read-only to anyone, and lets its owner take it up again once
the session has expired. The models are registered with the "marketplace" app (marketplace/models.py).
"""

import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

NOTE_MAX_LENGTH = 500
MAX_ENTRIES = 50


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Shortlist(models.Model):
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "marketplace"
        verbose_name = _("shortlist")
        verbose_name_plural = _("shortlists")

    def __str__(self):
        return f"Shortlist {self.pk}"


class ShortlistEntry(models.Model):
    """One solution or one pilot project on a list (exactly one of the two), with the visitor's note."""

    shortlist = models.ForeignKey(Shortlist, on_delete=models.CASCADE, related_name="entries")
    # related_name="+": the domain apps know nothing of the Merkliste.
    solution = models.ForeignKey(
        "solutions.Solution", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    pilot = models.ForeignKey(
        "pilots.PilotProject", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    note = models.CharField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "marketplace"
        ordering = ["added_at", "pk"]
        verbose_name = _("shortlist entry")
        verbose_name_plural = _("shortlist entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(solution__isnull=False, pilot__isnull=True)
                | Q(solution__isnull=True, pilot__isnull=False),
                name="shortlist_entry_one_item",
            ),
            models.UniqueConstraint(
                fields=["shortlist", "solution"],
                condition=Q(solution__isnull=False),
                name="shortlist_entry_unique_solution",
            ),
            models.UniqueConstraint(
                fields=["shortlist", "pilot"],
                condition=Q(pilot__isnull=False),
                name="shortlist_entry_unique_pilot",
            ),
        ]

    def __str__(self):
        return f"Entry {self.pk} of shortlist {self.shortlist_id}"

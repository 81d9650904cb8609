"""The results of the link checks (written by `marketplace.editorial.linkcheck`; this model only holds rows
and read methods) and the history of the listings' many-to-many fields.

The models belong to the "marketplace" app (table marketplace_linkcheck, its migrations and permissions
stay there); marketplace/models.py imports them so Django registers it.
"""

import pghistory
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from pilots.models import PilotProject
from solutions.models import Solution


class LinkCheckQuerySet(models.QuerySet):
    def broken(self):
        return self.filter(is_broken=True)

    def for_entry(self, entry):
        return self.filter(content_type=ContentType.objects.get_for_model(entry), object_id=entry.pk)


class LinkCheck(models.Model):
    """The latest check of one external link of a published entry (one row per entry and address)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("kind of entry"))
    object_id = models.PositiveBigIntegerField(_("entry id"))
    entry = GenericForeignKey("content_type", "object_id")
    entry_title = models.CharField(_("entry"), max_length=220)
    field = models.CharField(_("field"), max_length=60)
    url = models.URLField(_("web address"), max_length=2000)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    is_broken = models.BooleanField(_("broken"), default=False, db_index=True)
    checked_at = models.DateTimeField(_("last checked"))
    broken_since = models.DateTimeField(_("broken since"), null=True, blank=True)

    objects = LinkCheckQuerySet.as_manager()

    class Meta:
        app_label = "marketplace"
        verbose_name = _("link check")
        verbose_name_plural = _("link checks")
        ordering = ["-is_broken", "entry_title", "field"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "url"], name="unique_link_check"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="link_check_entry")]

    def __str__(self):
        return f"{self.entry_title}: {self.url}"


# ---------- History of the many-to-many fields of the listings ----------
# pghistory's row triggers on a listing's own table do not see its many-to-many fields: those live in the
# join tables. One event model per join table records each link added ("add") and removed ("remove"), in
# the same transaction and with the same context (editor, action) as the listing's own event rows;
# marketplace.editorial.history merges them into the timeline ("Fields of action: +Mobility, −Energy").
# The join tables are Django's auto-created ones, so the event models live in this app (no migration of
# the domain apps) and point at no join row (obj_field=None: Django allows no foreign key to them).


def _join_table_events(field) -> type[models.Model]:
    return pghistory.create_event_model(
        field.remote_field.through,
        pghistory.InsertEvent("add"),
        pghistory.DeleteEvent("remove"),
        obj_field=None,
        app_label="marketplace",
        model_name=f"{field.model.__name__}{field.name.title()}EventBase",
    )


class SolutionCategoriesEvent(_join_table_events(Solution._meta.get_field("categories"))):
    pass


class SolutionStandardsEvent(_join_table_events(Solution._meta.get_field("standards"))):
    pass


class PilotProjectCategoriesEvent(_join_table_events(PilotProject._meta.get_field("categories"))):
    pass


class PilotProjectPartnersEvent(_join_table_events(PilotProject._meta.get_field("partners"))):
    pass


# (the many-to-many field, its event model) for every recorded join table; read by the timeline.
JOIN_TABLE_EVENTS = [
    (Solution._meta.get_field("categories"), SolutionCategoriesEvent),
    (Solution._meta.get_field("standards"), SolutionStandardsEvent),
    (PilotProject._meta.get_field("categories"), PilotProjectCategoriesEvent),
    (PilotProject._meta.get_field("partners"), PilotProjectPartnersEvent),
]

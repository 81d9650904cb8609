"""The results of the link checks (written by `marketplace.editorial.linkcheck`; this model only holds rows
and read methods).

The model belongs to the "marketplace" app (table marketplace_linkcheck, its migrations and permissions
stay there); marketplace/models.py imports it so Django registers it.
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


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

"""Which data the register reflects (shown under the municipalities catalog and on profiles)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegisterSourceQuerySet(models.QuerySet):
    def newest(self) -> "RegisterSource | None":
        """The source the register reflects now: the last one loaded."""
        return self.order_by("-loaded_at", "-pk").first()


class RegisterSource(models.Model):
    """Which data the register (the Municipality rows with a key) reflects: the official extract of
    Destatis or the default register shipped with the code (BKG VG250, an older Gebietsstand).

    ``municipalities.importer.import_register`` adds a row for every import that changed the register, for
    either source; the newest row is the current one."""

    name = models.CharField(_("source"), max_length=200)
    attribution = models.CharField(_("attribution"), max_length=300, blank=True)
    is_official = models.BooleanField(
        _("official register"),
        default=True,
        help_text=_(
            "The official extract of Destatis; not set for the default register shipped with the code."
        ),
    )
    territory_date = models.DateField(_("territorial status (Gebietsstand)"))
    population_date = models.DateField(_("population as of"), null=True, blank=True)
    loaded_at = models.DateTimeField(_("loaded"), auto_now_add=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    counts = models.JSONField(_("rows per level"), default=dict, blank=True)
    changes = models.CharField(_("changes"), max_length=300, blank=True)

    objects = RegisterSourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("register source")
        verbose_name_plural = _("register sources")
        ordering = ["-loaded_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.territory_date:%d.%m.%Y})"

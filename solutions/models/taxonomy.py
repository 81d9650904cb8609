"""Taxonomies editors curate: fields of action (Handlungsfelder) and standards."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from marketplace.limits import NOTE_MAX_CHARS, capped_text


class Category(models.Model):
    """A Handlungsfeld (field of action); an editable taxonomy with German and English names."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name_de = models.CharField(_("name (German)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    description_de = capped_text(_("description (German)"), max_length=NOTE_MAX_CHARS, blank=True)
    description_en = capped_text(_("description (English)"), max_length=NOTE_MAX_CHARS, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0, db_index=True)

    class Meta:
        verbose_name = _("field of action")
        verbose_name_plural = _("fields of action")
        ordering = ["position", "name_de"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "de").startswith("en") and self.name_en else self.name_de

    @property
    def description(self) -> str:
        if (get_language() or "de").startswith("en") and self.description_en:
            return self.description_en
        return self.description_de


class Standard(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    url = models.URLField(_("web address"), blank=True)
    description = capped_text(_("description"), max_length=NOTE_MAX_CHARS, blank=True)

    class Meta:
        verbose_name = _("standard")
        verbose_name_plural = _("standards")
        ordering = ["name"]

    def __str__(self):
        return self.name

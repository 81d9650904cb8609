"""The search's synonyms and abbreviations, edited by the editors in the admin (docs/search.md).

A row is a group of words that mean the same: the ``term`` ("ÖPNV") and its ``expansions``
("öffentlicher Personennahverkehr", "Nahverkehr"). A query containing any of them also finds the others
(both ways). The table belongs to the "marketplace" app (marketplace/models.py imports it); its changes
change the content version (migration 0008), so cached public pages follow an edit at once.
"""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchSynonym(models.Model):
    term = models.CharField(
        _("term"), max_length=100, unique=True, help_text=_("An abbreviation or word, e.g. “ÖPNV”.")
    )
    expansions = ArrayField(
        models.CharField(max_length=200),
        verbose_name=_("expansions"),
        help_text=_(
            "What the term also means, separated by commas, e.g. “öffentlicher Personennahverkehr,"
            " Nahverkehr”. A search for any of these words finds the others."
        ),
    )

    class Meta:
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")
        ordering = ["term"]

    def __str__(self):
        return f"{self.term} ↔ {', '.join(self.expansions)}"

    def members(self) -> list[str]:
        """The term and its expansions: every spelling of the group."""
        return [self.term, *self.expansions]

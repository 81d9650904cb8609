"""Questions sent through "Kontakt zur Referenzkommune"; pilots/models.py imports the model for Django."""

from django.db import models
from django.utils.translation import gettext_lazy as _

QUESTION_MAX_CHARS = 3000


class ReferenceContactMessage(models.Model):
    """One question forwarded to a reference municipality, kept so the editors can see what was sent."""

    class Route(models.TextChoices):
        CONTACT = "contact", _("the contact person named for the reference")
        MUNICIPALITY = "municipality", _("the public contact of the municipality")
        EDITORS = "editors", _("the editors of the marketplace")

    reference = models.ForeignKey(
        "pilots.Reference",
        on_delete=models.CASCADE,
        related_name="contact_messages",
        verbose_name=_("reference"),
    )
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation or municipality"), max_length=200)
    email = models.EmailField(_("e-mail address"), max_length=254)
    question = models.TextField(_("question"), max_length=QUESTION_MAX_CHARS)
    route = models.CharField(_("forwarded to"), max_length=20, choices=Route.choices)
    language = models.CharField(_("language"), max_length=10, blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("message to a reference municipality")
        verbose_name_plural = _("messages to reference municipalities")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.organisation} → {self.reference}"

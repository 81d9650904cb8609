"""A request for information, the vendors it is addressed to, and their answers.

The domain apps know nothing of these rows: every relation to them is ``related_name="+"``.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from municipalities.models import Municipality, SizeClass

NEED_MAX_LENGTH = 3000
QUESTIONS_MAX_LENGTH = 3000
ANSWER_MAX_LENGTH = 10000


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Timeframe(models.TextChoices):
    SOON = "3m", _("Within 3 months")
    HALF_YEAR = "6m", _("In 3 to 6 months")
    YEAR = "12m", _("In 6 to 12 months")
    LATER = "later", _("Later than 12 months")
    OPEN = "open", _("Not decided yet")


class Budget(models.TextChoices):
    UNDER_10K = "lt10k", _("Under 10,000 euros")
    UP_TO_50K = "10-50k", _("10,000 to 50,000 euros")
    UP_TO_200K = "50-200k", _("50,000 to 200,000 euros")
    OVER_200K = "gt200k", _("Over 200,000 euros")
    OPEN = "open", _("Not decided yet")


class InquiryQuerySet(models.QuerySet):
    def confirmed(self):
        """Requests whose sender confirmed the address: only these ever reach a vendor."""
        return self.filter(confirmed_at__isnull=False)


class Inquiry(models.Model):
    """One request from a municipality; it reaches the vendors only after `confirmed_at` is set."""

    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    need = models.TextField(_("need"), max_length=NEED_MAX_LENGTH)
    timeframe = models.CharField(_("timeframe"), max_length=10, choices=Timeframe.choices)
    municipality_name = models.CharField(_("municipality"), max_length=200)
    # Set when the typed name is the visitor's chosen municipality from the register.
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    inhabitants = models.PositiveIntegerField(_("inhabitants"), null=True, blank=True)
    size_class = models.CharField(_("size class"), max_length=20, choices=SizeClass.choices, blank=True)
    budget = models.CharField(_("budget range"), max_length=10, choices=Budget.choices)
    questions = models.TextField(_("questions"), max_length=QUESTIONS_MAX_LENGTH, blank=True)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"), max_length=254)
    language = models.CharField(max_length=10, blank=True)
    consent_at = models.DateTimeField(_("consent given"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    objects = InquiryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("request for information")
        verbose_name_plural = _("requests for information")

    def __str__(self):
        return f"{self.municipality_name} ({self.created_at:%Y-%m-%d})" if self.created_at else self.name


class RecipientQuerySet(models.QuerySet):
    def for_vendor_user(self, user):
        """Confirmed requests addressed to an organisation `user` belongs to: the portal's only gate."""
        return self.filter(vendor__members=user, inquiry__confirmed_at__isnull=False)

    def with_answer_flag(self):
        return self.annotate(has_answer=Exists(Answer.objects.filter(recipient=OuterRef("pk"))))


class Recipient(models.Model):
    """A vendor a request is addressed to, with the chosen solutions of that vendor."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="recipients")
    vendor = models.ForeignKey("solutions.Vendor", on_delete=models.CASCADE, related_name="+")
    solutions = models.ManyToManyField("solutions.Solution", related_name="+", verbose_name=_("solutions"))
    notified_at = models.DateTimeField(_("vendor notified"), null=True, blank=True)

    objects = RecipientQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("addressed vendor")
        verbose_name_plural = _("addressed vendors")
        constraints = [models.UniqueConstraint(fields=["inquiry", "vendor"], name="inquiry_vendor_unique")]

    def __str__(self):
        return f"{self.vendor} / {self.inquiry}"


class Answer(models.Model):
    """A vendor's one answer to a request: text and an optional PDF (served only through checked views)."""

    recipient = models.OneToOneField(Recipient, on_delete=models.CASCADE, related_name="answer")
    text = models.TextField(_("answer"), max_length=ANSWER_MAX_LENGTH)
    pdf = models.FileField(_("PDF"), upload_to="inquiries/", blank=True, max_length=200)
    pdf_size = models.PositiveIntegerField(_("size in bytes"), default=0)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("answered"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self):
        return f"{self.recipient.vendor}"

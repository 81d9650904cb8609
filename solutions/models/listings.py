"""Listings (solutions), their pending revisions and documents."""

import hashlib
import uuid

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from marketplace.catalog.search import weighted_vector
from marketplace.choices import EditorialFields, EditorialStatus
from marketplace.history import history_trackers
from marketplace.limits import DESCRIPTION_MAX_CHARS, NOTE_MAX_CHARS, capped_text
from municipalities.models import SizeClass

from .organisations import Vendor
from .taxonomy import Category, Standard


class SolutionQuerySet(models.QuerySet):
    def published(self):
        """The only public gate: published by an editor and offered by a verified organisation."""
        return self.filter(status=EditorialStatus.PUBLISHED, vendor__is_verified=True)

    def for_vendor_user(self, user):
        return self.filter(vendor__members=user)


@pghistory.track(*history_trackers(), exclude=["search_vector"])
class Solution(EditorialFields):
    class Maturity(models.TextChoices):
        CONCEPT = "concept", _("Concept")
        PILOT = "pilot", _("Pilot")
        PRODUCTION = "production", _("In production")
        WIDESPREAD = "widespread", _("Widely used")

    class LicenceType(models.TextChoices):
        PROPRIETARY = "proprietary", _("Proprietary")
        OPEN_SOURCE = "open_source", _("Open source")

    class Hosting(models.TextChoices):
        ON_PREMISES = "on_premises", _("On premises")
        GERMAN_DC = "german_dc", _("Data centre in Germany")
        EU_CLOUD = "eu_cloud", _("EU cloud")
        OTHER = "other", _("Other")

    class DataLocation(models.TextChoices):
        GERMANY = "de", _("Germany")
        EU = "eu", _("European Union")
        OUTSIDE_EU = "outside_eu", _("Outside the EU")
        NO_PERSONAL_DATA = "none", _("No personal data processed")

    class Accessibility(models.TextChoices):
        FULL = "full", _("Fully conformant (WCAG 2.1 AA / BITV 2.0)")
        PARTIAL = "partial", _("Partially conformant")
        NONE = "none", _("Not conformant")
        UNKNOWN = "unknown", _("Not assessed")

    class PriceModel(models.TextChoices):
        ONE_OFF = "one_off", _("One-off licence")
        SUBSCRIPTION = "subscription", _("Subscription")
        PER_INHABITANT = "per_inhabitant", _("Per inhabitant")
        USAGE = "usage", _("Usage-based")
        FREE = "free", _("Free of charge")
        ON_REQUEST = "on_request", _("On request")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    vendor = models.ForeignKey(
        Vendor, on_delete=models.PROTECT, related_name="solutions", verbose_name=_("vendor")
    )
    summary = models.CharField(_("summary"), max_length=400)
    description = capped_text(
        _("description"),
        max_length=DESCRIPTION_MAX_CHARS,
        blank=True,
        help_text=_("Markdown; HTML is removed."),
    )
    categories = models.ManyToManyField(
        Category, related_name="solutions", verbose_name=_("fields of action")
    )
    standards = models.ManyToManyField(
        Standard, related_name="solutions", blank=True, verbose_name=_("standards")
    )
    size_classes = ArrayField(
        models.CharField(max_length=20, choices=SizeClass.choices),
        verbose_name=_("suitable for"),
        default=list,
        blank=True,
    )
    # Facts the vendor must decide start empty (no answer chosen for them); submitting needs them
    # (services.REQUIRED_FOR_SUBMISSION), a draft may leave them open.
    maturity = models.CharField(
        _("maturity"), max_length=20, choices=Maturity.choices, blank=True, default=""
    )
    licence_type = models.CharField(
        _("licence"), max_length=20, choices=LicenceType.choices, default=LicenceType.PROPRIETARY
    )
    spdx_id = models.CharField(
        _("SPDX licence identifier"), max_length=64, blank=True, help_text="e.g. EUPL-1.2"
    )
    source_url = models.URLField(_("source code"), blank=True)
    hosting_options = ArrayField(
        models.CharField(max_length=20, choices=Hosting.choices),
        verbose_name=_("hosting"),
        default=list,
        blank=True,
    )
    dpa_available = models.BooleanField(_("data processing agreement available"), default=False)
    data_location = models.CharField(
        _("where data is stored"), max_length=20, choices=DataLocation.choices, blank=True, default=""
    )
    accessibility = models.CharField(
        _("accessibility conformance"),
        max_length=20,
        choices=Accessibility.choices,
        default=Accessibility.UNKNOWN,
    )
    accessibility_statement_url = models.URLField(_("accessibility statement"), blank=True)
    price_model = models.CharField(
        _("price model"), max_length=20, choices=PriceModel.choices, blank=True, default=""
    )
    cost_introduction_eur = models.PositiveIntegerField(
        _("one-off introduction (EUR)"), null=True, blank=True
    )
    cost_yearly_eur = models.PositiveIntegerField(_("operation per year (EUR)"), null=True, blank=True)
    cost_notes = capped_text(_("notes on costs"), max_length=NOTE_MAX_CHARS, blank=True)
    framework_agreement = models.BooleanField(_("available through a framework agreement"), default=False)
    framework_agreement_name = models.CharField(_("framework agreement"), max_length=200, blank=True)
    procurement_notes = capped_text(_("notes on procurement"), max_length=NOTE_MAX_CHARS, blank=True)
    logo = models.ImageField(_("logo"), upload_to="solutions/", blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    website = models.URLField(_("product website"), blank=True)
    featured = models.BooleanField(_("featured on the home page"), default=False)
    # Set with status_reason when the editors request changes (names of this model's fields), so the edit
    # form can point at them; cleared when the listing is submitted again. Written by the services only.
    changes_requested_fields = ArrayField(
        models.CharField(max_length=50),
        verbose_name=_("fields the editors asked to change"),
        default=list,
        blank=True,
        editable=False,
    )
    search_vector = weighted_vector("title", "summary", "description")

    objects = SolutionQuerySet.as_manager()

    class Meta:
        verbose_name = _("solution")
        verbose_name_plural = _("solutions")
        permissions = [
            ("publish_solution", _("Can publish, reject and archive solutions")),
        ]
        ordering = ["title"]
        indexes = [
            GinIndex(fields=["search_vector"], name="solution_search_gin"),
            GinIndex(fields=["title"], opclasses=["gin_trgm_ops"], name="solution_title_trgm"),
            GinIndex(fields=["size_classes"], name="solution_size_classes_gin"),
            GinIndex(fields=["hosting_options"], name="solution_hosting_gin"),
            models.Index(fields=["status", "-published_at"], name="solution_status_published"),
            # The home page's few featured solutions, newest first, without reading all the others.
            models.Index(
                fields=["-published_at"],
                condition=models.Q(featured=True),
                name="solution_featured_published",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(licence_type="open_source") | ~models.Q(spdx_id=""),
                name="solution_open_source_needs_spdx",
            ),
            # The one text rendered as Markdown: capped in the database too, whatever path writes it.
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("description"), DESCRIPTION_MAX_CHARS),
                name="solution_description_length",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("solutions:detail", kwargs={"slug": self.slug})

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.licence_type == self.LicenceType.OPEN_SOURCE and not self.spdx_id:
            raise ValidationError({"spdx_id": _("Open-source solutions need an SPDX licence identifier.")})

    @property
    def is_open_source(self) -> bool:
        return self.licence_type == self.LicenceType.OPEN_SOURCE

    @property
    def logo_url(self) -> str:
        """The logo through the view that checks who may see it, or "" without a logo.

        The address carries a version of the file: browsers keep a logo for an hour, and a new upload
        (always a new random name) gets a new address, so nobody sees the old one meanwhile. For a listing
        with its pending revision applied (solutions.preview) it names the pending logo, which the view
        serves to the organisation's members and editors only.
        """
        if not self.logo:
            return ""
        path = reverse("vendor:solution_logo_file", kwargs={"pk": self.pk})
        return f"{path}?v={file_version(self.logo.name)}"

    def get_size_classes_display(self) -> list[str]:
        labels = dict(SizeClass.choices)
        return [str(labels.get(value, value)) for value in self.size_classes]

    def get_hosting_options_display(self) -> list[str]:
        labels = dict(self.Hosting.choices)
        return [str(labels.get(value, value)) for value in self.hosting_options]


def file_version(name: str) -> str:
    """A short token that changes with a stored file's name (see Solution.logo_url)."""
    return hashlib.sha256(name.encode()).hexdigest()[:12]


def _random_document_name(instance, filename: str) -> str:
    """Stored names never carry what the uploader chose: a random name, the extension from the content."""
    return f"documents/{uuid.uuid4().hex}.pdf"


class SolutionRevision(models.Model):
    """Changes to a published solution, waiting for an editor; the published version stays as it is."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        ACCEPTED = "accepted", _("Accepted")
        DISCARDED = "discarded", _("Discarded")

    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="revisions")
    data = models.JSONField(_("changed values"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("pending revision")
        verbose_name_plural = _("pending revisions")
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["solution"], condition=models.Q(status="pending"), name="one_pending_revision"
            )
        ]

    def __str__(self):
        return f"{self.solution} ({self.get_status_display()})"


class SolutionDocumentQuerySet(models.QuerySet):
    def accepted(self):
        return self.filter(accepted_at__isnull=False)

    def pending(self):
        return self.filter(accepted_at__isnull=True)


class SolutionDocument(models.Model):
    """A PDF a vendor attaches to a solution; served only through a view that checks access."""

    class Kind(models.TextChoices):
        BROCHURE = "brochure", _("Brochure")
        DPA = "dpa", _("Data processing agreement")
        ACCESSIBILITY = "accessibility", _("Accessibility statement")
        OTHER = "other", _("Other document")

    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.BROCHURE)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=_random_document_name, max_length=200)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Public only once an editor has seen it: when the listing is published, or by accepting it on its own
    # when it was added to a listing that is already public.
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = SolutionDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["created_at"]

    def __str__(self):
        return self.title

import pghistory
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from marketplace.catalog.search import weighted_vector
from marketplace.choices import EditorialFields, EditorialStatus
from marketplace.history import history_trackers
from marketplace.limits import TEXT_MAX_CHARS, capped_text
from municipalities.models import ModelProjectRound, Municipality


class PilotProjectQuerySet(models.QuerySet):
    def published(self):
        """The only public gate for pilot projects."""
        return self.filter(status=EditorialStatus.PUBLISHED)


@pghistory.track(*history_trackers(), exclude=["search_vector"])
class PilotProject(EditorialFields):
    class Funding(models.TextChoices):
        MODEL_PROJECT = "msc", _("Modellprojekte Smart Cities (federal)")
        LAND = "land", _("Land programme")
        EU = "eu", _("EU funding")
        OWN = "own", _("Own funds")
        OTHER = "other", _("Other funding")

    class Phase(models.TextChoices):
        STRATEGY = "strategy", _("Strategy")
        IMPLEMENTATION = "implementation", _("Implementation")
        CONTINUED = "continued", _("Continued operation (Verstetigung)")
        COMPLETED = "completed", _("Completed")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    lead_municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="led_pilots", verbose_name=_("lead municipality")
    )
    partners = models.ManyToManyField(
        Municipality, related_name="partner_pilots", blank=True, verbose_name=_("partner municipalities")
    )
    categories = models.ManyToManyField(
        "solutions.Category", related_name="pilots", verbose_name=_("fields of action")
    )
    funding = models.CharField(_("funding"), max_length=10, choices=Funding.choices, default=Funding.OWN)
    model_project_round = models.PositiveSmallIntegerField(
        _("Modellprojekt round"), choices=ModelProjectRound.choices, null=True, blank=True
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.IMPLEMENTATION)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    budget_eur = models.PositiveBigIntegerField(_("budget (EUR)"), null=True, blank=True)
    summary = models.CharField(_("summary"), max_length=400)
    goals = capped_text(_("goals"), max_length=TEXT_MAX_CHARS, blank=True)
    results = capped_text(_("results"), max_length=TEXT_MAX_CHARS, blank=True)
    lessons_learned = capped_text(_("lessons learned"), max_length=TEXT_MAX_CHARS, blank=True)
    transferability = capped_text(_("transferability"), max_length=TEXT_MAX_CHARS, blank=True)
    operator_model = capped_text(_("operator model"), max_length=TEXT_MAX_CHARS, blank=True)
    data_used = capped_text(_("data used"), max_length=TEXT_MAX_CHARS, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    featured = models.BooleanField(_("featured on the home page"), default=False)
    search_vector = weighted_vector("title", "summary", "goals")

    objects = PilotProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("pilot project")
        verbose_name_plural = _("pilot projects")
        permissions = [
            ("publish_pilotproject", _("Can publish, reject and archive pilot projects")),
        ]
        ordering = ["title"]
        indexes = [
            GinIndex(fields=["search_vector"], name="pilot_search_gin"),
            GinIndex(fields=["title"], opclasses=["gin_trgm_ops"], name="pilot_title_trgm"),
            # The catalog's default order (newest start first, pilots/filters.py): a page of the published
            # ones reads 20 entries of this index instead of sorting all of them (37 ms at 26,000 pilots).
            models.Index(
                models.F("start_date").desc(nulls_last=True),
                "title",
                "id",
                condition=models.Q(status=EditorialStatus.PUBLISHED),
                name="pilot_published_by_start",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(model_project_round__isnull=True) | models.Q(funding="msc"),
                name="pilot_round_needs_msc_funding",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="pilot_end_after_start",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("pilots:detail", kwargs={"slug": self.slug})

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.model_project_round and self.funding != self.Funding.MODEL_PROJECT:
            errors["model_project_round"] = _("A round only applies to Modellprojekte Smart Cities funding.")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end cannot be before the start.")
        if errors:
            raise ValidationError(errors)


class PilotLink(models.Model):
    pilot = models.ForeignKey(PilotProject, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(_("label"), max_length=200)
    url = models.URLField(_("web address"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.label


class ReferenceQuerySet(models.QuerySet):
    def verified(self):
        return self.filter(is_verified=True)

    def public(self):
        """References shown publicly: those of published solutions (verified or not, marked as such)."""
        from solutions.models import Solution

        return self.filter(solution__in=Solution.objects.published())


# The contact consent is the contact person's own answer, kept with its time on the row itself; leaving it out
# of the history keeps one history row per editorial decision (asking is part of verifying).
@pghistory.track(
    *history_trackers(),
    exclude=["contact_consent", "contact_consent_email", "contact_consent_asked_at", "contact_consent_at"],
)
class Reference(models.Model):
    """A municipality (optionally within a pilot project) that uses a solution."""

    class ContactConsent(models.TextChoices):
        UNASKED = "unasked", _("not asked")
        ASKED = "asked", _("asked, no answer yet")
        YES = "yes", _("agrees to be contacted")
        NO = "no", _("does not want to be contacted")

    solution = models.ForeignKey(
        "solutions.Solution", on_delete=models.CASCADE, related_name="references", verbose_name=_("solution")
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="references", verbose_name=_("municipality")
    )
    pilot = models.ForeignKey(
        PilotProject,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="references",
        verbose_name=_("pilot project"),
    )
    since_year = models.PositiveSmallIntegerField(_("in use since"), null=True, blank=True)
    statement = models.TextField(_("statement"), blank=True, max_length=1000)
    contact_name = models.CharField(_("contact at the municipality"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    is_verified = models.BooleanField(_("verified by an editor"), default=False, db_index=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_demo = models.BooleanField(_("sample data"), default=False)
    # Whether the contact person agreed to receive questions from other municipalities (pilots/contact/).
    contact_consent = models.CharField(
        _("contact by other municipalities"),
        max_length=10,
        choices=ContactConsent.choices,
        default=ContactConsent.UNASKED,
    )
    # The address that answered: a consent is for a person, it does not pass to a new contact_email.
    contact_consent_email = models.EmailField(_("consent given by"), blank=True)
    contact_consent_asked_at = models.DateTimeField(_("consent asked at"), null=True, blank=True)
    contact_consent_at = models.DateTimeField(_("consent answered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("reference")
        verbose_name_plural = _("references")
        permissions = [
            ("verify_reference", _("Can verify references")),
        ]
        ordering = ["-since_year", "municipality__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["solution", "municipality"], name="unique_reference_per_municipality"
            ),
            models.CheckConstraint(
                condition=models.Q(since_year__isnull=True)
                | models.Q(since_year__gte=1990, since_year__lte=2100),
                name="reference_plausible_year",
            ),
        ]

    def __str__(self):
        return f"{self.solution} @ {self.municipality}"

    @property
    def contact_consented(self) -> bool:
        """True when today's contact person said yes (a changed contact_email needs a new answer)."""
        return (
            self.contact_consent == self.ContactConsent.YES
            and bool(self.contact_email)
            and self.contact_consent_email.lower() == self.contact_email.lower()
        )


class ReferenceProposal(models.Model):
    """A reference a vendor proposes for its listing, waiting for an editor.

    Proposals live apart from ``Reference`` so that no public page, count, facet or export can show one by
    accident: only ``accept_reference_proposal`` turns a proposal into a Reference.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    solution = models.ForeignKey(
        "solutions.Solution",
        on_delete=models.CASCADE,
        related_name="reference_proposals",
        verbose_name=_("solution"),
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    since_year = models.PositiveSmallIntegerField(_("in use since"), null=True, blank=True)
    statement = models.TextField(_("statement"), blank=True, max_length=1000)
    contact_name = models.CharField(_("contact at the municipality"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True, max_length=2000)
    reference = models.ForeignKey(
        Reference,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted as"),
    )
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)

    class Meta:
        verbose_name = _("proposed reference")
        verbose_name_plural = _("proposed references")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["solution", "municipality"],
                condition=models.Q(status="pending"),
                name="one_pending_reference_proposal",
            ),
        ]

    def __str__(self):
        return f"{self.solution} @ {self.municipality}"


# The messages of the peer contact form live with their feature; importing them here registers the model.
from pilots.contact.models import ReferenceContactMessage  # noqa: E402, F401

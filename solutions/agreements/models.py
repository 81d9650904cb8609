"""Framework agreements (Rahmenvereinbarungen), the organisations behind them and their member municipalities,
vendors' proposals of agreements (reviewed by an editor) and municipalities' call-off requests.

Who may call off an agreement is data (``eligibility`` and its lists);
``FrameworkAgreementQuerySet.callable_by`` is the one place that reads it, and ``availability.py`` builds
"beziehbar für meine Kommune" on top of it.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from municipalities.models import Municipality, State
from solutions.models import Solution, Vendor


class Organisation(models.Model):
    """A purchasing organisation, municipal IT provider or association with member municipalities."""

    class Kind(models.TextChoices):
        PURCHASING = "purchasing", _("Purchasing organisation")
        IT_PROVIDER = "it_provider", _("Municipal IT service provider")
        ASSOCIATION = "association", _("Association")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    website = models.URLField(_("website"), blank=True)
    # A municipal IT provider that offers its own solutions here: its members may award it in-house.
    vendor = models.ForeignKey(
        Vendor,
        verbose_name=_("vendor listing"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreement_organisations",
        help_text=_("For a municipal IT provider: its members may award its solutions in-house."),
    )
    members = models.ManyToManyField(
        Municipality,
        verbose_name=_("member municipalities"),
        related_name="agreement_organisations",
        blank=True,
    )

    class Meta:
        verbose_name = _("organisation (purchasing, IT provider)")
        verbose_name_plural = _("organisations (purchasing, IT providers)")
        ordering = ["name"]

    def __str__(self):
        return self.name


class FrameworkAgreementQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def active(self, on: datetime.date | None = None):
        """Running on ``on`` (default: today). Expired ones never make anything available."""
        on = on or timezone.localdate()
        return self.filter(Q(starts_on__isnull=True) | Q(starts_on__lte=on)).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=on)
        )

    def callable_by(self, municipality: Municipality):
        """Agreements ``municipality`` may call off by their terms (whether running or not: see ``active``).

        Subqueries, never joins: an agreement is listed once however many lists it matches.
        """
        Eligibility = FrameworkAgreement.Eligibility
        members = Organisation.members.through.objects.filter(
            organisation_id=OuterRef("eligible_organisation_id"), municipality_id=municipality.pk
        )
        listed = FrameworkAgreement.eligible_municipalities.through.objects.filter(
            frameworkagreement_id=OuterRef("pk"), municipality_id=municipality.pk
        )
        q = Q(eligibility=Eligibility.ALL_PUBLIC) | (Q(eligibility=Eligibility.MEMBERS) & Exists(members))
        q |= Q(eligibility=Eligibility.LISTED) & Exists(listed)
        if municipality.state:
            q |= Q(eligibility=Eligibility.STATES, eligible_states__contains=[municipality.state])
        return self.filter(q)

    def covering(self, solution: Solution):
        """Agreements naming ``solution`` or its vendor (then every solution of that vendor)."""
        return self.filter(
            Q(
                pk__in=FrameworkAgreement.solutions.through.objects.filter(solution_id=solution.pk).values(
                    "frameworkagreement_id"
                )
            )
            | Q(
                pk__in=FrameworkAgreement.vendors.through.objects.filter(vendor_id=solution.vendor_id).values(
                    "frameworkagreement_id"
                )
            )
        )


class FrameworkAgreement(models.Model):
    class BodyKind(models.TextChoices):
        PURCHASING = "purchasing", _("Purchasing organisation")
        LAND = "land", _("Land")
        IT_PROVIDER = "it_provider", _("Municipal IT service provider")
        ASSOCIATION = "association", _("Association")

    class Eligibility(models.TextChoices):
        ALL_PUBLIC = "all", _("All public bodies")
        STATES = "states", _("Municipalities of the given Länder")
        MEMBERS = "members", _("Members of an organisation")
        LISTED = "listed", _("Listed municipalities")

    class ContractType(models.TextChoices):
        EVB_IT_CLOUD = "evb_it_cloud", "EVB-IT Cloud"
        EVB_IT_UEBERLASSUNG = "evb_it_ueberlassung", "EVB-IT Überlassung"
        EVB_IT_DIENSTLEISTUNG = "evb_it_dienstleistung", "EVB-IT Dienstleistung"
        EVB_IT_PFLEGE = "evb_it_pflege", "EVB-IT Pflege"
        OTHER = "other", _("Other")

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    reference_number = models.CharField(_("reference number"), max_length=100, blank=True)
    body_kind = models.CharField(_("kind of contracting body"), max_length=20, choices=BodyKind.choices)
    body_name = models.CharField(_("contracting body"), max_length=200)
    body_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("contracting organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements_concluded",
    )
    starts_on = models.DateField(_("start"), null=True, blank=True)
    ends_on = models.DateField(_("end"), null=True, blank=True)
    extension_options = models.TextField(_("extension options"), blank=True)
    procedure = models.CharField(_("procedure it came from"), max_length=300, blank=True)
    eligibility = models.CharField(_("who may call off"), max_length=10, choices=Eligibility.choices)
    eligible_states = ArrayField(
        models.CharField(max_length=2, choices=State.choices),
        verbose_name=_("Länder (for “municipalities of the given Länder”)"),
        default=list,
        blank=True,
    )
    eligible_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation (for “members of an organisation”)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements_for_members",
    )
    eligible_municipalities = models.ManyToManyField(
        Municipality, verbose_name=_("listed municipalities"), related_name="+", blank=True
    )
    max_volume_eur = models.PositiveBigIntegerField(_("maximum volume (€)"), null=True, blank=True)
    contract_type = models.CharField(_("contract type"), max_length=30, choices=ContractType.choices)
    solutions = models.ManyToManyField(
        Solution, verbose_name=_("solutions"), related_name="framework_agreements", blank=True
    )
    vendors = models.ManyToManyField(
        Vendor,
        verbose_name=_("vendors (all their solutions)"),
        related_name="framework_agreements",
        blank=True,
    )
    is_published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = FrameworkAgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("framework agreement")
        verbose_name_plural = _("framework agreements")
        ordering = ["title", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("agreements:detail", args=[self.slug])

    def is_expired(self, on: datetime.date | None = None) -> bool:
        return self.ends_on is not None and self.ends_on < (on or timezone.localdate())

    def eligible_states_display(self) -> list[str]:
        return [str(State(code).label) for code in self.eligible_states if code in State.values]


class AgreementDocument(models.Model):
    agreement = models.ForeignKey(FrameworkAgreement, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("address (URL)"), max_length=500)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["pk"]

    def __str__(self):
        return self.title


class AgreementProposal(models.Model):
    """A vendor's proposal that its solution is covered by an agreement; nothing changes before an editor
    accepts it (``services.accept_proposal``)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="agreement_proposals")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    agreement = models.ForeignKey(
        FrameworkAgreement,
        verbose_name=_("existing agreement"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="proposals",
    )
    title = models.CharField(_("title of the agreement"), max_length=300, blank=True)
    body_name = models.CharField(_("contracting body"), max_length=200, blank=True)
    reference_number = models.CharField(_("reference number"), max_length=100, blank=True)
    ends_on = models.DateField(_("end"), null=True, blank=True)
    url = models.URLField(_("address of the agreement's documents"), max_length=500, blank=True)
    message = models.TextField(_("message to the editors"), max_length=2000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)

    class Meta:
        verbose_name = _("agreement proposal")
        verbose_name_plural = _("agreement proposals")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.solution} – {self.agreement or self.title}"


class CallOffRequest(models.Model):
    """A municipality's request to call off a solution from an agreement, as sent to the vendor."""

    agreement = models.ForeignKey(
        FrameworkAgreement, on_delete=models.CASCADE, related_name="call_off_requests"
    )
    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="call_off_requests")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    municipality_name = models.CharField(_("municipality"), max_length=200)
    contact_name = models.CharField(_("contact person"), max_length=200)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    scope = models.CharField(_("quantity or scope"), max_length=500)
    desired_start = models.DateField(_("desired start"), null=True, blank=True)
    message = models.TextField(_("message"), max_length=3000, blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("call-off request")
        verbose_name_plural = _("call-off requests")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.municipality_name}: {self.solution}"

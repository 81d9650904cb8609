"""Procurement data: value limits (Wertgrenzen) per Land and procedure, per-Land notes, joint-buying interest.

The limits are data the editors keep current in the admin (seeded by ``manage.py import_wertgrenzen``);
no value or date is written in code. How they decide a procedure: rules.py and docs/procurement.md.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from municipalities.models import Municipality, State
from solutions.models import Solution

EU = "EU"
# The Länder by the letter codes the sources use ("BW", "BY", …); State's names are those codes.
LAND_CHOICES = [(state.name, state.label) for state in State]
LIMIT_LAND_CHOICES = [(EU, _("European Union (EU thresholds)")), *LAND_CHOICES]


def land_of(state_value: str | None) -> str | None:
    """The letter code ("BW") of a municipality's ``state`` (the key digits, "08"); None when unknown."""
    try:
        return State(state_value).name
    except ValueError:
        return None


class Procedure(models.TextChoices):
    # In the order of increasing formality: the first whose limit covers a value is the one that applies.
    DIRECT = "direktauftrag", _("Direct award (Direktauftrag)")
    NEGOTIATED = "verhandlungsvergabe", _("Negotiated award (Verhandlungsvergabe)")
    RESTRICTED = "beschraenkte_ausschreibung", _("Restricted tender (Beschränkte Ausschreibung)")
    PUBLIC = "oeffentliche_ausschreibung", _("Public tender (Öffentliche Ausschreibung)")
    EU_THRESHOLD = "eu_schwellenwert", _("EU threshold (EU-wide procedure)")


NATIONAL_PROCEDURES = [Procedure.DIRECT, Procedure.NEGOTIATED, Procedure.RESTRICTED, Procedure.PUBLIC]


class ValueLimitQuerySet(models.QuerySet):
    def valid_on(self, day):
        """Rows in force on ``day``: started (or no start given) and not yet ended (or no end given)."""
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        )


class ValueLimit(models.Model):
    land = models.CharField(_("Land"), max_length=2, choices=LIMIT_LAND_CHOICES)
    procedure = models.CharField(_("procedure"), max_length=30, choices=Procedure.choices)
    max_value_eur = models.PositiveBigIntegerField(
        _("maximum value (EUR net)"),
        null=True,
        blank=True,
        help_text=_(
            "Up to and including this estimated contract value (net) the procedure may be used. Empty: up to "
            "the EU threshold. For the EU threshold row: the threshold itself."
        ),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("Last day it applies; empty: no end known.")
    )
    legal_source = models.TextField(_("legal source"))
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    confirmed = models.BooleanField(_("confirmed"), default=False)
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ValueLimitQuerySet.as_manager()

    class Meta:
        verbose_name = _("value limit")
        verbose_name_plural = _("value limits")
        ordering = ["land", "procedure", "valid_from"]
        constraints = [
            # The import's key: one row per Land, procedure and start (a missing start counts as one value).
            models.UniqueConstraint(
                fields=["land", "procedure", "valid_from"],
                nulls_distinct=False,
                name="valuelimit_unique_start",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="valuelimit_period_order",
            ),
            models.CheckConstraint(
                condition=~Q(procedure="eu_schwellenwert") | Q(land=EU, max_value_eur__isnull=False),
                name="valuelimit_eu_threshold_has_value",
            ),
        ]

    def __str__(self):
        return f"{self.land} · {self.get_procedure_display()}"


class LandProcurementInfo(models.Model):
    """What the sources say about a Land as a whole; free text, because they say it in words."""

    land = models.CharField(_("Land"), max_length=2, choices=LAND_CHOICES, unique=True)
    uvgo_for_municipalities = models.CharField(_("UVgO binds municipalities"), max_length=200, blank=True)
    main_source = models.TextField(_("main source"), blank=True)
    as_of = models.CharField(_("as of"), max_length=100, blank=True)
    time_limit = models.CharField(_("time limit"), max_length=200, blank=True)
    confirmed_overall = models.CharField(_("confirmed overall"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("procurement rules of a Land")
        verbose_name_plural = _("procurement rules of the Länder")
        ordering = ["land"]

    def __str__(self):
        return self.get_land_display()


class JointBuyingInterestQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)


class JointBuyingInterest(models.Model):
    """A municipality would buy ``solution`` together with others; counts once its e-mail is confirmed."""

    solution = models.ForeignKey(
        Solution, on_delete=models.CASCADE, related_name="joint_buying_interests", verbose_name=_("solution")
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    # Copied from the municipality's key when declared, so the panel counts without joining the register.
    state = models.CharField(_("Land"), max_length=2, choices=State.choices)
    kreis_key = models.CharField(_("Kreis key"), max_length=5, blank=True)
    email = models.EmailField(_("contact e-mail"), max_length=254)
    language = models.CharField(_("language"), max_length=10, blank=True)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("declared"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    objects = JointBuyingInterestQuerySet.as_manager()

    class Meta:
        verbose_name = _("joint-buying interest")
        verbose_name_plural = _("joint-buying interests")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["solution", "state"], name="jointbuying_solution_state")]

    def __str__(self):
        return f"{self.municipality} · {self.solution}"


class JointBuyingGroup(models.Model):
    """A group of municipalities in one Land reached the size setting; the editors were told once."""

    solution = models.ForeignKey(
        Solution, on_delete=models.CASCADE, related_name="joint_buying_groups", verbose_name=_("solution")
    )
    state = models.CharField(_("Land"), max_length=2, choices=State.choices)
    formed_at = models.DateTimeField(_("formed"), auto_now_add=True)

    class Meta:
        verbose_name = _("joint-buying group")
        verbose_name_plural = _("joint-buying groups")
        ordering = ["-formed_at"]
        constraints = [models.UniqueConstraint(fields=["solution", "state"], name="jointbuyinggroup_once")]

    def __str__(self):
        return f"{self.solution} · {self.get_state_display()}"

import pghistory
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Case, Q, Value, When
from django.db.models.functions import Coalesce, Substr
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from marketplace.catalog.search import TRIGRAM_MIN_LENGTH, umlaut_spelling
from marketplace.history import history_trackers
from marketplace.limits import TEXT_MAX_CHARS, capped_text


class State(models.TextChoices):
    """The 16 Länder, keyed by the first two digits of the official municipality key (AGS)."""

    SH = "01", "Schleswig-Holstein"
    HH = "02", "Hamburg"
    NI = "03", "Niedersachsen"
    HB = "04", "Bremen"
    NW = "05", "Nordrhein-Westfalen"
    HE = "06", "Hessen"
    RP = "07", "Rheinland-Pfalz"
    BW = "08", "Baden-Württemberg"
    BY = "09", "Bayern"
    SL = "10", "Saarland"
    BE = "11", "Berlin"
    BB = "12", "Brandenburg"
    MV = "13", "Mecklenburg-Vorpommern"
    SN = "14", "Sachsen"
    ST = "15", "Sachsen-Anhalt"
    TH = "16", "Thüringen"


class SizeClass(models.TextChoices):
    """Town size classes of the BBSR by population."""

    RURAL = "landgemeinde", _("Rural municipality (under 5,000)")
    SMALL = "kleinstadt", _("Small town (5,000–19,999)")
    MEDIUM = "mittelstadt", _("Medium-sized town (20,000–99,999)")
    LARGE = "grossstadt", _("City (100,000 and more)")

    @classmethod
    def for_population(cls, population: int) -> "SizeClass":
        if population < 5_000:
            return cls.RURAL
        if population < 20_000:
            return cls.SMALL
        if population < 100_000:
            return cls.MEDIUM
        return cls.LARGE


class Level(models.TextChoices):
    """The levels of the official key hierarchy (Amtlicher Regionalschlüssel, ARS).

    Rows created before the register was imported (demo data, hand-made rows) have no level ("")."""

    LAND = "land", _("Land")
    REGIERUNGSBEZIRK = "regierungsbezirk", _("Regierungsbezirk")
    KREIS = "kreis", _("District (Kreis)")
    VERBAND = "verband", _("Association of municipalities (Gemeindeverband)")
    GEMEINDE = "gemeinde", _("Municipality (Gemeinde)")
    GEMEINDEFREI = "gemeindefrei", _("Unincorporated area (gemeindefreies Gebiet)")


class Urbanisation(models.IntegerChoices):
    """Degree of urbanisation ("Grad der Verstädterung", DEGURBA) as Destatis publishes it."""

    DENSE = 1, _("Densely populated")
    INTERMEDIATE = 2, _("Intermediate density")
    THIN = 3, _("Thinly populated")


class ModelProjectRound(models.IntegerChoices):
    R2019 = 2019, "2019"
    R2020 = 2020, "2020"
    R2021 = 2021, "2021"


ars_validator = RegexValidator(
    # Land 2, Regierungsbezirk 3, Kreis 5, Gemeindeverband 9, Gemeinde 12 digits.
    regex=r"^(0[1-9]|1[0-6])([0-9]|[0-9]{3}|[0-9]{7}|[0-9]{10})?$",
    message=_(
        "The official regional key (ARS) starts with a Land number from 01 to 16 and has 2 (Land), "
        "3 (Regierungsbezirk), 5 (Kreis), 9 (Gemeindeverband) or 12 digits (Gemeinde)."
    ),
    code="invalid_ars",
)

ags_validator = RegexValidator(
    regex=r"^(0[1-9]|1[0-6])\d{6}$",
    message=_(
        "The official municipality key (AGS) has exactly 8 digits "
        "and starts with a Land number from 01 to 16."
    ),
    code="invalid_ags",
)


class MunicipalityQuerySet(models.QuerySet):
    def in_state(self, state: str):
        return self.filter(state=state)

    def matching_name(self, text: str):
        """Part of the name (ILIKE, also with spelled-out umlauts: "Muenchen"), or, from three characters on,
        a similar word for typos ("Frankfrt") through pg_trgm's word similarity and its GIN index."""
        match = Q(name__icontains=text)
        with_umlauts = umlaut_spelling(text)
        if with_umlauts != text:
            match |= Q(name__icontains=with_umlauts)
        if len(text) >= TRIGRAM_MIN_LENGTH:
            match |= Q(name__trigram_word_similar=text)
        return self.filter(match)

    def similar_to(self, municipality: "Municipality"):
        """Municipalities of the same size class; those in the same Land first."""
        return (
            self.filter(size_class=municipality.size_class)
            .exclude(pk=municipality.pk)
            .annotate(
                same_state=Case(When(state=municipality.state, then=Value(0)), default=Value(1)),
            )
            .order_by("same_state", "name")
        )


@pghistory.track(*history_trackers(), exclude=["state", "size_class"])
class Municipality(models.Model):
    class Kind(models.TextChoices):
        GEMEINDE = "gemeinde", _("Municipality (Gemeinde)")
        STADT = "stadt", _("Town (Stadt)")
        KREISFREIE_STADT = "kreisfreie_stadt", _("District-free city")
        LANDKREIS = "landkreis", _("District (Landkreis)")
        VERBAND = "verband", _("Association of municipalities (Verbandsgemeinde/Amt)")
        # The kinds of the official register (Textkennzeichen of the Gemeindeverzeichnis).
        LAND = "land", _("Land")
        REGIERUNGSBEZIRK = "regierungsbezirk", _("Regierungsbezirk")
        KREIS = "kreis", _("District (Kreis)")
        REGIONALVERBAND = "regionalverband", _("Regional association (Regionalverband)")
        AMT = "amt", _("Amt")
        SAMTGEMEINDE = "samtgemeinde", _("Samtgemeinde")
        VERBANDSGEMEINDE = "verbandsgemeinde", _("Verbandsgemeinde")
        VERWALTUNGSGEMEINSCHAFT = "verwaltungsgemeinschaft", _("Verwaltungsgemeinschaft")
        VERWALTUNGSVERBAND = "verwaltungsverband", _("Verwaltungsverband")
        KIRCHSPIELSLANDGEMEINDE = "kirchspielslandgemeinde", _("Kirchspielslandgemeinde")
        ERFUELLENDE_GEMEINDE = "erfuellende_gemeinde", _("Municipality serving others (erfüllende Gemeinde)")
        MARKT = "markt", _("Market town (Markt)")
        GEMEINDEFREI = "gemeindefrei", _("Unincorporated area (gemeindefreies Gebiet)")

    # Size classes describe towns: only these kinds get one, and never the Kreis or Verband row of the
    # register (a kreisfreie Stadt is listed both as a Kreis and as a Gemeinde; only the Gemeinde counts).
    TOWN_KINDS = (Kind.GEMEINDE, Kind.STADT, Kind.KREISFREIE_STADT, Kind.MARKT)
    NON_TOWN_LEVELS = (Level.LAND, Level.REGIERUNGSBEZIRK, Level.KREIS, Level.VERBAND, Level.GEMEINDEFREI)

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    ags = models.CharField(
        _("official municipality key (AGS)"),
        max_length=8,
        unique=True,
        null=True,
        blank=True,
        validators=[ags_validator],
        help_text=_("8 digits, e.g. 09162000 for Munich; districts end in 000."),
    )
    ars = models.CharField(
        _("official regional key (ARS)"),
        max_length=12,
        unique=True,
        null=True,
        blank=True,
        validators=[ars_validator],
        help_text=_("12 digits for a Gemeinde, e.g. 010540168168 for Sylt; shorter for the levels above."),
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    official_name = models.CharField(_("official name"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("Gemeinde → Gemeindeverband → Kreis → (Regierungsbezirk →) Land."),
    )
    # The Land is the first two digits of the key, so it can never disagree with it.
    state = models.GeneratedField(
        expression=Coalesce(Substr("ars", 1, 2), Substr("ags", 1, 2)),
        output_field=models.CharField(_("Land"), max_length=2, choices=State.choices, null=True),
        db_persist=True,
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_date = models.DateField(_("population as of"), null=True, blank=True)
    size_class = models.GeneratedField(
        expression=Case(
            When(
                Q(kind__in=TOWN_KINDS) & ~Q(level__in=NON_TOWN_LEVELS) & Q(population__isnull=False),
                then=Case(
                    When(population__lt=5_000, then=Value(SizeClass.RURAL.value)),
                    When(population__lt=20_000, then=Value(SizeClass.SMALL.value)),
                    When(population__lt=100_000, then=Value(SizeClass.MEDIUM.value)),
                    default=Value(SizeClass.LARGE.value),
                ),
            ),
            default=Value(None, output_field=models.CharField()),
        ),
        output_field=models.CharField(_("size class"), max_length=20, choices=SizeClass.choices, null=True),
        db_persist=True,
    )
    area_km2 = models.DecimalField(_("area (km²)"), max_digits=9, decimal_places=2, null=True, blank=True)
    postcode = models.CharField(_("postcode of the seat"), max_length=5, blank=True)
    urbanisation = models.PositiveSmallIntegerField(
        _("degree of urbanisation"), choices=Urbanisation.choices, null=True, blank=True
    )
    dissolved_on = models.DateField(
        _("dissolved on"),
        null=True,
        blank=True,
        help_text=_(
            "Set when the official register no longer lists it (merged or dissolved); the row is kept."
        ),
    )
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
    )
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    description = capped_text(_("description"), max_length=TEXT_MAX_CHARS, blank=True)
    is_model_project = models.BooleanField(_("funded Modellprojekt Smart Cities"), default=False)
    model_project_round = models.PositiveSmallIntegerField(
        _("Modellprojekt round"), choices=ModelProjectRound.choices, null=True, blank=True
    )
    is_demo = models.BooleanField(_("sample data"), default=False, help_text=_("Generated demo content."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["state", "name"]),
            models.Index(fields=["size_class", "name"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ags__regex=r"^(0[1-9]|1[0-6])[0-9]{6}$"), name="municipality_ags_format"
            ),
            models.CheckConstraint(
                condition=models.Q(ars__regex=r"^(0[1-9]|1[0-6])([0-9]|[0-9]{3}|[0-9]{7}|[0-9]{10})?$"),
                name="municipality_ars_format",
            ),
            models.CheckConstraint(
                condition=models.Q(model_project_round__isnull=True) | models.Q(is_model_project=True),
                name="municipality_round_needs_model_project",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("municipalities:detail", kwargs={"slug": self.slug})

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.model_project_round and not self.is_model_project:
            raise ValidationError(
                {"model_project_round": _("A round can only be set for a funded Modellprojekt Smart Cities.")}
            )

    # Generated fields don't get Django's get_FOO_display(); provide them so templates read the same.
    def get_state_display(self) -> str:
        return State(self.state).label if self.state else ""

    def get_size_class_display(self) -> str:
        return str(SizeClass(self.size_class).label) if self.size_class else ""

    @property
    def is_dissolved(self) -> bool:
        return self.dissolved_on is not None

    @property
    def computed_size_class(self) -> str:
        """Size class for an unsaved instance (the stored one is computed by the database)."""
        if self.population is None or self.kind not in self.TOWN_KINDS or self.level in self.NON_TOWN_LEVELS:
            return ""
        return SizeClass.for_population(self.population)

import pghistory
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Case, Q, Value, When
from django.db.models.functions import Substr
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


class ModelProjectRound(models.IntegerChoices):
    R2019 = 2019, "2019"
    R2020 = 2020, "2020"
    R2021 = 2021, "2021"


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

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    ags = models.CharField(
        _("official municipality key (AGS)"),
        max_length=8,
        unique=True,
        validators=[ags_validator],
        help_text=_("8 digits, e.g. 09162000 for Munich; districts end in 000."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # The Land is the first two digits of the AGS, so it can never disagree with it.
    state = models.GeneratedField(
        expression=Substr("ags", 1, 2),
        output_field=models.CharField(_("Land"), max_length=2, choices=State.choices),
        db_persist=True,
    )
    population = models.PositiveIntegerField(_("population"))
    size_class = models.GeneratedField(
        expression=Case(
            When(population__lt=5_000, then=Value(SizeClass.RURAL.value)),
            When(population__lt=20_000, then=Value(SizeClass.SMALL.value)),
            When(population__lt=100_000, then=Value(SizeClass.MEDIUM.value)),
            default=Value(SizeClass.LARGE.value),
        ),
        output_field=models.CharField(_("size class"), max_length=20, choices=SizeClass.choices),
        db_persist=True,
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
    def computed_size_class(self) -> str:
        """Size class for an unsaved instance (the stored one is computed by the database)."""
        return SizeClass.for_population(self.population)

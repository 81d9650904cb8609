import re

import pghistory
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import models
from django.db.models import Case, Q, Value, When
from django.db.models.functions import Coalesce, Substr
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from marketplace.catalog.search import TRIGRAM_MIN_LENGTH, umlaut_spelling
from marketplace.history import history_trackers
from marketplace.limits import TEXT_MAX_CHARS, capped_text

from .choices import (
    Level as Level,
)
from .choices import (
    ModelProjectRound as ModelProjectRound,
)
from .choices import (
    SizeClass as SizeClass,
)
from .choices import (
    State as State,
)
from .choices import (
    Urbanisation as Urbanisation,
)
from .choices import (
    ags_validator as ags_validator,
)
from .choices import (
    ars_validator as ars_validator,
)


class MunicipalityQuerySet(models.QuerySet):
    def in_state(self, state: str):
        return self.filter(state=state)

    def matching_name(self, text: str):
        """Part of the name (case-insensitive, also with spelled-out umlauts: "Muenchen"), or, from three
        characters on, a similar word for typos ("Frankfrt") through pg_trgm's word similarity.

        The part is matched with ``~*`` on the escaped text, not ``icontains``: Django writes that as
        ``UPPER(name) LIKE``, which no index serves, so every search read all 16,000 rows (about 50 ms);
        ``~*`` and ``%>`` both use the trigram GIN index on the name (about 1 ms)."""
        match = Q(name__iregex=re.escape(text))
        with_umlauts = umlaut_spelling(text)
        if with_umlauts != text:
            match |= Q(name__iregex=re.escape(with_umlauts))
        if len(text) >= TRIGRAM_MIN_LENGTH:
            match |= Q(name__trigram_word_similar=text)
        return self.filter(match)

    # Finding one's municipality: one character matches nearly every name; no name or key is longer than
    # this, and a longer text would only make the trigram match slower.
    SEARCH_MIN_LENGTH = 2
    SEARCH_MAX_LENGTH = 100

    def search(self, text: str):
        """The municipalities someone may mean by ``text``, best first (``municipalities:find``).

        - A name (or part of it) as in ``matching_name``: "Muenchen" finds München; names similar to the
          text ("Frankfrt": Frankfurt) only when no name contains it.
        - Digits: the postcode of the seat (2 to 5 digits, its start) and the official keys ARS and AGS
          (any start of them: "09162" is the Kreis München and everything in it; spaces are ignored).
        - Both ("67433 Neustadt"): the number narrows the name.
        Text shorter than SEARCH_MIN_LENGTH finds nothing; text longer than SEARCH_MAX_LENGTH is cut.

        Order, annotated as ``match_rank`` and ``level_rank``: the exact name, key or postcode; names starting
        with the text; names containing it; names found only by similarity (typos; the closest first, as
        ``closeness``). Within each, Gemeinden and Städte before Verbände before Kreise before
        Regierungsbezirke and Länder, then the larger population. Two letters match only the start of names.
        Dissolved rows only when no current row matches.
        """
        text = " ".join(text[: self.SEARCH_MAX_LENGTH * 2].split())[: self.SEARCH_MAX_LENGTH]
        if len(text) < self.SEARCH_MIN_LENGTH:
            return self.none()
        if text.replace(" ", "").isascii() and text.replace(" ", "").isdigit():
            # A key is often written in groups ("01 0 54 0168 168").
            number, words = text.replace(" ", ""), ""
        else:
            tokens = text.split()
            number = next((t for t in tokens if t.isascii() and t.isdigit() and len(t) >= 2), "")
            words = " ".join(t for t in tokens if t != number)
        found = self
        rank = Value(1)
        if number:
            by_number = Q(ars__startswith=number) | Q(ags__startswith=number)
            if len(number) <= 5:
                by_number |= Q(postcode__startswith=number)
            found = found.filter(by_number)
            exact_number = Q(ars=number) | Q(ags=number) | Q(postcode=number)
            rank = Case(When(exact_number, then=Value(0)), default=Value(1))
        closeness = Value(1.0)
        if words:
            exact, starts, contains, starts_indexed, contains_indexed = Q(), Q(), Q(), Q(), Q()
            for spelling in {words, umlaut_spelling(words)}:
                exact |= Q(name__iexact=spelling)
                starts |= Q(name__istartswith=spelling)
                contains |= Q(name__icontains=spelling)
                # The same matches as filters the trigram index serves (see matching_name).
                starts_indexed |= Q(name__iregex="^" + re.escape(spelling))
                contains_indexed |= Q(name__iregex=re.escape(spelling))
            if len(words) < TRIGRAM_MIN_LENGTH:
                # Two letters occur in a fifth of all names: only the names starting with them help.
                found = found.filter(starts_indexed)
            else:
                # matching_name's rules, with the similar words only as the fallback for a typo: while
                # someone types "Neustadt (Do", every Neustadt is similar, but only two are meant.
                typo = Q(name__trigram_word_similar=words) & ~models.Exists(found.filter(contains_indexed))
                found = found.filter(contains_indexed | typo)
                # The closest spelling first, whatever the size of the place.
                similarity = TrigramWordSimilarity(words, "name")
                closeness = Case(When(contains, then=Value(1.0)), default=similarity)
            rank = Case(
                When(exact, then=Value(0)),
                When(starts, then=Value(1)),
                When(contains, then=Value(2)),
                default=Value(3),
            )
        # Uncorrelated, so PostgreSQL asks it once (and stops at the first current row), not once per row.
        current_exists = models.Exists(found.filter(dissolved_on__isnull=True))
        return (
            found.filter(Q(dissolved_on__isnull=True) | ~current_exists)
            .annotate(match_rank=rank, closeness=closeness, level_rank=self._level_rank())
            .order_by(
                "match_rank",
                models.F("closeness").desc(),
                "level_rank",
                models.F("population").desc(nulls_last=True),
                "name",
                "pk",
            )
        )

    @staticmethod
    def _level_rank():
        return Case(
            When(level__in=[Level.GEMEINDE, Level.GEMEINDEFREI], then=Value(0)),
            When(level=Level.VERBAND, then=Value(1)),
            When(level=Level.KREIS, then=Value(2)),
            When(level__in=[Level.REGIERUNGSBEZIRK, Level.LAND], then=Value(3)),
            # Rows made before the register have no level: their kind tells.
            When(kind__in=Municipality.TOWN_KINDS, then=Value(0)),
            When(kind=Municipality.Kind.VERBAND, then=Value(1)),
            default=Value(2),
        )

    def similar_to(self, municipality: "Municipality"):
        """The current Gemeinden and Städte most like ``municipality`` (itself excluded), most similar first.

        Each row is annotated with ``similarity`` (0 to 1) and the reasons a page can name:
        ``same_size_class``, ``same_state``, ``same_urbanisation``, ``same_kind``, ``same_kreis`` and
        ``distance_km`` (None without coordinates). The formula (size, Land, degree of urbanisation, kind,
        distance) is in municipalities/similarity.py, explained in docs/recommendations.md. Ties go by name.
        """
        # Imported here: the formula's module reads this one's models (Level, Municipality.TOWN_KINDS).
        from ..similarity import peer_q, similarity_terms

        return (
            self.filter(peer_q(municipality))
            .annotate(**similarity_terms(municipality))
            .order_by(models.F("similarity").desc(), "name", "pk")
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
            # search(): a postcode's start ("6743") is a prefix match, which a plain B-tree cannot serve.
            models.Index(
                fields=["postcode"], name="municipality_postcode_like", opclasses=["varchar_pattern_ops"]
            ),
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
    def name_with_kind(self) -> str:
        """ "Amt Süderbrarup", "Kreis Nordfriesland": the kind before the name, unless the name says it
        already ("Landkreis Hof", and names kept from before the register such as "Kreis Plön")."""
        label = str(self.get_kind_display())
        word = label.split(" (")[0]
        says_it = re.search(rf"\b{re.escape(word)}\b", self.name, re.IGNORECASE)
        # "Eifelkreis Bitburg-Prüm", "Ilm-Kreis": a Kreis whose name says Kreis in any form.
        if says_it or (self.kind in (self.Kind.LANDKREIS, self.Kind.KREIS) and "kreis" in self.name.lower()):
            return self.name
        return f"{label} {self.name}"

    @property
    def is_dissolved(self) -> bool:
        return self.dissolved_on is not None

    @property
    def computed_size_class(self) -> str:
        """Size class for an unsaved instance (the stored one is computed by the database)."""
        if self.population is None or self.kind not in self.TOWN_KINDS or self.level in self.NON_TOWN_LEVELS:
            return ""
        return SizeClass.for_population(self.population)


# Registered with the app through this import; kept apart to keep the module short.
from .register_source import RegisterSource as RegisterSource  # noqa: E402
from .register_source import RegisterSourceQuerySet as RegisterSourceQuerySet  # noqa: E402

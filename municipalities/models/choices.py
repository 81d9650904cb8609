"""The register's vocabularies: Länder, size classes, levels, degrees of urbanisation, key formats."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


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

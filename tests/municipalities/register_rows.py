"""Rows of the official register for tests: Land → Kreis → Verband → Gemeinde with real-looking keys.

Used by the find, choose and profile tests (and the browser test of finding one's municipality). The places
and numbers are modelled on the real register (Gebietsstand 31.12.2024) but are not read from it.
"""

import datetime
from dataclasses import dataclass

from django.utils.text import slugify

from municipalities.models import Municipality
from tests.factories import MunicipalityFactory

POPULATION_DATE = datetime.date(2023, 12, 31)


def land(ars: str, name: str, population: int = 1_000_000) -> Municipality:
    return MunicipalityFactory(
        name=name,
        slug=slugify(f"land {name}"),
        ars=ars,
        ags=None,
        level="land",
        kind="land",
        population=population,
        population_date=POPULATION_DATE,
    )


def kreis(parent: Municipality, ars: str, name: str, *, kind: str = "landkreis", population: int = 100_000):
    # A kreisfreie Stadt's key ending in 000 is its Gemeinde's AGS, as in the register.
    ags = None if kind == "kreisfreie_stadt" else f"{ars}000"
    return MunicipalityFactory(
        name=name,
        slug=slugify(f"{kind} {name} {ars}"),
        ars=ars,
        ags=ags,
        level="kreis",
        kind=kind,
        parent=parent,
        population=population,
        population_date=POPULATION_DATE,
    )


def verband(parent: Municipality, ars: str, name: str, *, kind: str = "amt", population: int = 8_000):
    return MunicipalityFactory(
        name=name,
        slug=slugify(f"{kind} {name} {ars}"),
        ars=ars,
        ags=None,
        level="verband",
        kind=kind,
        parent=parent,
        population=population,
        population_date=POPULATION_DATE,
    )


def gemeinde(parent: Municipality, ars: str, name: str, *, kind: str = "stadt", population: int, **fields):
    fields.setdefault("slug", slugify(f"{name} {ars}"))
    return MunicipalityFactory(
        name=name,
        ars=ars,
        ags=ars[:5] + ars[9:],
        level="gemeinde",
        kind=kind,
        parent=parent,
        population=population,
        population_date=POPULATION_DATE,
        **fields,
    )


@dataclass
class Neustadts:
    """Places called Neustadt in five Länder, two of them named exactly "Neustadt", plus look-alikes."""

    rheinland_pfalz: Municipality
    weinstrasse: Municipality  # kreisfreie Stadt, postcode 67433
    weinstrasse_kreis: Municipality  # the same city as a Kreis
    hessen: Municipality  # Neustadt (Hessen) in Landkreis Marburg-Biedenkopf
    dosse: Municipality  # Neustadt (Dosse) in Amt Neustadt (Dosse), Landkreis Ostprignitz-Ruppin
    dosse_amt: Municipality
    ostprignitz: Municipality
    holstein: Municipality  # Neustadt in Holstein, Kreis Ostholstein, postcode 23730
    waldnaab: Municipality  # Neustadt a.d.Waldnaab, Stadt
    waldnaab_kreis: Municipality  # Landkreis Neustadt a.d.Waldnaab
    neustadt_greiz: Municipality  # "Neustadt", Landkreis Greiz (Thüringen)
    neustadt_ilm: Municipality  # "Neustadt", Ilm-Kreis (Thüringen)
    bad_neustadt: Municipality  # contains the name
    thueringen: Municipality


def neustadts() -> Neustadts:
    rp = land("07", "Rheinland-Pfalz", 4_100_000)
    he = land("06", "Hessen", 6_300_000)
    bb = land("12", "Brandenburg", 2_580_000)
    sh = land("01", "Schleswig-Holstein", 2_950_000)
    by = land("09", "Bayern", 13_300_000)
    th = land("16", "Thüringen", 2_100_000)
    weinstrasse_kreis = kreis(
        rp, "07316", "Neustadt an der Weinstraße", kind="kreisfreie_stadt", population=53_920
    )
    marburg = kreis(he, "06534", "Marburg-Biedenkopf", population=247_000)
    ostprignitz = kreis(bb, "12068", "Ostprignitz-Ruppin", population=99_929)
    dosse_amt = verband(ostprignitz, "120685805", "Neustadt (Dosse)", population=7_758)
    ostholstein = kreis(sh, "01055", "Ostholstein", kind="kreis", population=201_000)
    waldnaab_kreis = kreis(by, "09374", "Neustadt a.d.Waldnaab", population=96_400)
    rhoen = kreis(by, "09673", "Rhön-Grabfeld", population=79_000)
    greiz = kreis(th, "16076", "Greiz", population=95_000)
    ilm = kreis(th, "16070", "Ilm-Kreis", kind="kreis", population=106_000)
    return Neustadts(
        rheinland_pfalz=rp,
        weinstrasse=gemeinde(
            weinstrasse_kreis,
            "073160000000",
            "Neustadt an der Weinstraße",
            kind="kreisfreie_stadt",
            population=53_920,
            postcode="67433",
            area_km2="117.10",
            official_name="Neustadt an der Weinstraße, Stadt",
        ),
        weinstrasse_kreis=weinstrasse_kreis,
        hessen=gemeinde(marburg, "065340014014", "Neustadt (Hessen)", population=10_051, postcode="35279"),
        dosse=gemeinde(dosse_amt, "120685805324", "Neustadt (Dosse)", population=3_477, postcode="16845"),
        dosse_amt=dosse_amt,
        ostprignitz=ostprignitz,
        holstein=gemeinde(
            ostholstein, "010550033033", "Neustadt in Holstein", population=15_749, postcode="23730"
        ),
        waldnaab=gemeinde(
            waldnaab_kreis, "093740147147", "Neustadt a.d.Waldnaab", population=5_950, postcode="92660"
        ),
        waldnaab_kreis=waldnaab_kreis,
        neustadt_greiz=gemeinde(
            greiz, "160760051051", "Neustadt", kind="gemeinde", population=800, postcode="07980"
        ),
        neustadt_ilm=gemeinde(
            ilm, "160700044044", "Neustadt", kind="gemeinde", population=1_200, postcode="98701"
        ),
        bad_neustadt=gemeinde(
            rhoen, "096730114114", "Bad Neustadt a.d.Saale", population=16_000, postcode="97616"
        ),
        thueringen=th,
    )

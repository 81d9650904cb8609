"""A small region with known population, Land, Kreis, urbanisation and coordinates: "Musterstadt" (a town of
25,000 in the Wetteraukreis, Hessen) and the places it is compared with. Used by the similarity and the
"Kommunen wie meine" tests."""

from datetime import date
from decimal import Decimal

from municipalities.models import Municipality
from tests.factories import MunicipalityFactory

STADT, GEMEINDE, MARKT = Municipality.Kind.STADT, Municipality.Kind.GEMEINDE, Municipality.Kind.MARKT

# name: (ARS, kind, population, urbanisation, latitude, longitude)
PEERS = {
    # Wetteraukreis (06440)
    "Musterstadt": ("064400001001", STADT, 25_000, 2, "50.30000", "8.75000"),
    "Nachbarstadt": ("064400001002", STADT, 22_000, 2, "50.35000", "8.80000"),
    "Dorfheim": ("064400002003", GEMEINDE, 2_000, 3, "50.32000", "8.70000"),
    # Darmstadt (06411), Frankfurt (06412): Hessen, other Kreise
    "Fernstadt": ("064110000000", STADT, 30_000, 1, "49.87000", "8.65000"),
    "Großstadt": ("064120000000", Municipality.Kind.KREISFREIE_STADT, 750_000, 1, "50.11000", "8.68000"),
    # Hessen, Vogelsbergkreis (06535): nothing known but the kind
    "Ohnezahl": ("065350001004", STADT, None, None, None, None),
    # Bayern, close to Musterstadt
    "Grenzstadt": ("096760001005", STADT, 24_000, 2, "50.10000", "9.20000"),
    "Marktflecken": ("095750001006", MARKT, 26_000, None, "49.50000", "11.00000"),
    # Schleswig-Holstein: the same size, far away
    "Nordstadt": ("010570001007", STADT, 25_000, 2, "54.30000", "10.10000"),
}


def _ags(ars: str) -> str:
    # The AGS is the ARS without the four digits of the Gemeindeverband.
    return ars[:5] + ars[9:]


def build_region() -> dict[str, Municipality]:
    """The places above, a hand-made town row without level, and rows that are never peers (``NEVER_PEERS``):
    a dissolved town, a Kreis, a Verband and a hand-made Kreis row."""
    rows = {}
    for name, (ars, kind, population, urbanisation, latitude, longitude) in PEERS.items():
        rows[name] = MunicipalityFactory(
            name=name,
            ars=ars,
            ags=_ags(ars),
            level="gemeinde",
            kind=kind,
            population=population,
            urbanisation=urbanisation,
            latitude=Decimal(latitude) if latitude else None,
            longitude=Decimal(longitude) if longitude else None,
        )
    rows["Altstadt"] = MunicipalityFactory(
        name="Altstadt",
        ars="064400001008",
        ags="06440008",
        level="gemeinde",
        kind=STADT,
        population=25_000,
        urbanisation=2,
        latitude=Decimal("50.30000"),
        longitude=Decimal("8.75000"),
        dissolved_on=date(2023, 1, 1),
        successor=rows["Musterstadt"],
    )
    rows["Wetteraukreis"] = MunicipalityFactory(
        name="Wetteraukreis", ars="06440", ags="06440000", level="kreis", kind="landkreis", population=310_000
    )
    rows["Amt Musterland"] = MunicipalityFactory(
        name="Amt Musterland", ars="064400001", ags=None, level="verband", kind="amt", population=25_000
    )
    # Made by hand before the register was imported: no level, no ARS; the kind tells a town from a Kreis.
    rows["Altbestand"] = MunicipalityFactory(
        name="Altbestand", ags="06440123", level="", kind=GEMEINDE, population=12_000, urbanisation=2
    )
    rows["Alter Kreis"] = MunicipalityFactory(
        name="Alter Kreis", ags="06531000", level="", kind="landkreis", population=25_000
    )
    for row in rows.values():
        row.refresh_from_db()  # the generated Land and size class
    return rows


NEVER_PEERS = ("Altstadt", "Wetteraukreis", "Amt Musterland", "Alter Kreis")

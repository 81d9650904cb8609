"""Constants and name helpers of the demo data: dates, statuses, slugs, the districts file."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

from django.utils.text import slugify

from marketplace.choices import EditorialStatus
from marketplace.demo import content
from municipalities.models import Municipality

DISTRICTS_CSV = Path(__file__).resolve().parent / "data" / "districts.csv"
BASE_DATE = dt.datetime(2025, 10, 1, 9, 0, tzinfo=dt.UTC)
BATCH = 2000

# Share of generated solutions outside "published", on top of the N published ones.
OTHER_STATUSES = [
    (EditorialStatus.DRAFT, 3),
    (EditorialStatus.SUBMITTED, 3),
    (EditorialStatus.CHANGES_REQUESTED, 2),
    (EditorialStatus.REJECTED, 1),
    (EditorialStatus.ARCHIVED, 1),
]
CITY_KINDS = {"Kreisfreie Stadt", "Stadtkreis"}
DISTRICT_KINDS = {"Landkreis", "Kreis", "Regionalverband"}


def slug_de(text: str) -> str:
    """A readable ASCII slug for German text (ä -> ae, ß -> ss)."""
    for src, dst in (
        ("ä", "ae"),
        ("ö", "oe"),
        ("ü", "ue"),
        ("Ä", "Ae"),
        ("Ö", "Oe"),
        ("Ü", "Ue"),
        ("ß", "ss"),
    ):
        text = text.replace(src, dst)
    return slugify(text)


def unique_slug(base: str, taken: set[str], max_length: int = 200) -> str:
    base = base[:max_length].strip("-")
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    taken.add(slug)
    return slug


def clean_district_name(name: str, kind: str) -> str:
    """'Kiel, Landeshauptstadt' -> 'Kiel'; 'Gifhorn' (Landkreis) -> 'Landkreis Gifhorn'."""
    name = name.split(",")[0].strip()
    name = re.sub(r"\bi\.(?=\S)", "i. ", name)  # "Wunsiedel i.Fichtelgebirge"
    if kind in DISTRICT_KINDS and not re.search(r"kreis|region|verband", name, re.IGNORECASE):
        name = f"{kind} {name}"
    return name


def read_districts() -> list[dict]:
    with DISTRICTS_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    rounds = {key: year for year, keys in content.MODEL_PROJECT_DISTRICTS.items() for key in keys}
    districts = []
    for row in rows:
        kind = row["type"]
        if kind in CITY_KINDS:
            model_kind = Municipality.Kind.KREISFREIE_STADT
        elif kind in DISTRICT_KINDS:
            model_kind = Municipality.Kind.LANDKREIS
        else:
            raise ValueError(f"Unknown district type {kind!r} in {DISTRICTS_CSV.name}")
        districts.append(
            {
                "key": row["AGS"],
                "ags": f"{row['AGS']}000",
                "name": clean_district_name(row["name"], kind),
                "kind": model_kind,
                "population": int(row["population"]),
                "round": rounds.get(row["AGS"]),
            }
        )
    return districts

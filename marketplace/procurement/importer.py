"""Read the value-limit table (wertgrenzen.csv) and the per-Land notes (laender_meta.csv) into the database.

The files stay where they are (../shared/data/vergabe-wertgrenzen/ by default): they are read at run time,
never copied into the repository. Idempotent: a row is found again by its Land, procedure and start date
and updated in place, so a second run creates nothing. Editors' later changes to other rows are kept.
"""

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction

from marketplace.procurement.models import EU, LAND_CHOICES, LandProcurementInfo, Procedure, ValueLimit

LIMITS_FILE = "wertgrenzen.csv"
LANDS_FILE = "laender_meta.csv"
LIMIT_COLUMNS = {
    "land_code",
    "procedure",
    "max_value_eur_net",
    "valid_from",
    "valid_until",
    "legal_source",
    "source_url",
    "confirmed",
    "note",
}
LAND_COLUMNS = {
    "land_code",
    "uvgo_fuer_kommunen",
    "hauptquelle",
    "stand_ab",
    "befristung",
    "confirmed_overall",
}
LANDS = {code for code, _label in LAND_CHOICES}


class WertgrenzenError(ValueError):
    """A file or row the importer cannot read; the message names the file and line."""


@dataclass
class Counts:
    limits_created: int = 0
    limits_updated: int = 0
    lands_created: int = 0
    lands_updated: int = 0


def _rows(path: Path, columns: set) -> list[tuple[int, dict]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = columns - set(reader.fieldnames or ())
            if missing:
                raise WertgrenzenError(f"{path.name}: missing columns {', '.join(sorted(missing))}")
            return [(number, row) for number, row in enumerate(reader, start=2)]
    except (OSError, UnicodeDecodeError) as error:
        raise WertgrenzenError(f"{path.name}: cannot read ({error})") from error


def _date(text: str, where: str) -> date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise WertgrenzenError(f"{where}: not a date (YYYY-MM-DD): {text!r}") from error


def _amount(text: str, where: str) -> int | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = int(text)
    except ValueError as error:
        raise WertgrenzenError(f"{where}: not a whole amount in euros: {text!r}") from error
    if value < 0:
        raise WertgrenzenError(f"{where}: a negative amount: {text!r}")
    return value


def _limit_fields(number: int, row: dict) -> dict:
    where = f"{LIMITS_FILE} line {number}"
    land = row["land_code"].strip().upper()
    procedure = row["procedure"].strip()
    if land != EU and land not in LANDS:
        raise WertgrenzenError(f"{where}: unknown Land code {land!r}")
    if procedure not in Procedure.values or (procedure == Procedure.EU_THRESHOLD) != (land == EU):
        raise WertgrenzenError(f"{where}: unknown procedure {procedure!r} for {land}")
    fields = {
        "land": land,
        "procedure": procedure,
        "valid_from": _date(row["valid_from"], where),
        "max_value_eur": _amount(row["max_value_eur_net"], where),
        "valid_until": _date(row["valid_until"], where),
        "legal_source": row["legal_source"].strip(),
        "source_url": row["source_url"].strip(),
        "confirmed": row["confirmed"].strip().lower().startswith("yes"),
        "note": (row.get("note") or "").strip(),
    }
    if procedure == Procedure.EU_THRESHOLD and fields["max_value_eur"] is None:
        raise WertgrenzenError(f"{where}: an EU threshold needs a value")
    if fields["valid_from"] and fields["valid_until"] and fields["valid_until"] < fields["valid_from"]:
        raise WertgrenzenError(f"{where}: valid_until lies before valid_from")
    return fields


@transaction.atomic
def import_directory(directory: Path) -> Counts:
    """Create or update every value limit and every Land's notes from the two files in ``directory``.

    Side effects: ValueLimit and LandProcurementInfo rows created or updated; nothing at all when any row
    is invalid (one transaction), and WertgrenzenError names the first bad line.
    """
    counts = Counts()
    limits = [_limit_fields(number, row) for number, row in _rows(directory / LIMITS_FILE, LIMIT_COLUMNS)]
    lands = _rows(directory / LANDS_FILE, LAND_COLUMNS)
    for fields in limits:
        key = {name: fields.pop(name) for name in ("land", "procedure", "valid_from")}
        _obj, created = ValueLimit.objects.update_or_create(**key, defaults=fields)
        if created:
            counts.limits_created += 1
        else:
            counts.limits_updated += 1
    for number, row in lands:
        land = row["land_code"].strip().upper()
        if land not in LANDS:
            raise WertgrenzenError(f"{LANDS_FILE} line {number}: unknown Land code {land!r}")
        _obj, created = LandProcurementInfo.objects.update_or_create(
            land=land,
            defaults={
                "uvgo_for_municipalities": row["uvgo_fuer_kommunen"].strip()[:200],
                "main_source": row["hauptquelle"].strip(),
                "as_of": row["stand_ab"].strip()[:100],
                "time_limit": row["befristung"].strip()[:200],
                "confirmed_overall": row["confirmed_overall"].strip()[:100],
            },
        )
        if created:
            counts.lands_created += 1
        else:
            counts.lands_updated += 1
    return counts

"""Reading the default register (``default_register/register.csv.gz``) into the Destatis reader's records.

The file ships with the repository so that a fresh clone has every Land, Kreis, Gemeindeverband and Gemeinde
without the official extract: keys, names, kinds, areas and centres from the BKG's VG250 (© GeoBasis-DE /
BKG), the population of the Kreise from Destatis (2018). ``default_register/make_default_register.py`` made
it; ``default_register/SOURCE.md`` says from what and how. ``import_register`` applies it like an official
file; an imported official extract later replaces its values.
"""

import csv
import gzip
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..models import Level, Municipality, RegisterSource
from .gv_file import GVFile, GVFileError, Record, check_hierarchy
from .service import ImportSummary, import_register

DEFAULT_REGISTER = Path(__file__).resolve().parent / "default_register" / "register.csv.gz"
COLUMNS = [
    "ars",
    "parent_ars",
    "ags",
    "level",
    "kind",
    "name",
    "area_km2",
    "latitude",
    "longitude",
    "population",
]
LEVEL_DIGITS = {
    Level.LAND: 2,
    Level.REGIERUNGSBEZIRK: 3,
    Level.KREIS: 5,
    Level.VERBAND: 9,
    Level.GEMEINDE: 12,
    Level.GEMEINDEFREI: 12,
}
KINDS = set(Municipality.Kind.values)


def default_register_superseded(source: GVFile) -> str:
    """Why the default register must not be loaded over the current one ("" when it may): the register
    reflects a newer source (the official extract), or it has keys but no recorded source (imported before
    sources were recorded, so perhaps the official extract)."""
    newest = RegisterSource.objects.newest()
    if newest is None:
        if Municipality.objects.filter(ars__isnull=False).exists():
            return (
                "The register has keys but no recorded source (imported before sources were recorded); "
                "import the official file again, or load the default register with --force."
            )
        return ""
    if newest.is_official or newest.territory_date > source.territory_date:
        return (
            f"The register reflects {newest.name}, Gebietsstand {newest.territory_date:%d.%m.%Y}, newer than "
            f"the default register (Gebietsstand {source.territory_date:%d.%m.%Y})."
        )
    return ""


def load_default_register(*, force: bool = False) -> tuple[GVFile, ImportSummary | None, str]:
    """Load the default register unless a newer source is loaded already (``force`` loads it anyway).

    Returns the file read, the import's summary (None when skipped) and why it was skipped. Side effects:
    those of ``import_register``; nothing when skipped. A second run changes nothing."""
    source = read_default_register()
    reason = "" if force else default_register_superseded(source)
    if reason:
        return source, None, reason
    return source, import_register(source), ""


def read_default_register(path: Path | str = DEFAULT_REGISTER) -> GVFile:
    """Read and check the derived file; GVFileError lists every malformed line."""
    meta: dict[str, str] = {}
    lines: list[tuple[int, str]] = []
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        for number, line in enumerate(handle, start=1):
            if line.startswith("#"):
                key, _, value = line[1:].partition(":")
                meta[key.strip()] = value.strip()
            else:
                lines.append((number, line))
    if not lines or next(csv.reader([lines[0][1]])) != COLUMNS:
        raise GVFileError([f"{Path(path).name}: the header must be {','.join(COLUMNS)}."])
    try:
        territory_date = date.fromisoformat(meta["territory_date"])
        population_date = date.fromisoformat(meta["population_date"])
    except (KeyError, ValueError):
        raise GVFileError([f"{Path(path).name}: territory_date and population_date are missing."]) from None
    records, errors = [], []
    for (number, _line), cells in zip(lines[1:], csv.reader(line for _, line in lines[1:]), strict=True):
        try:
            records.append(_record(number, dict(zip(COLUMNS, cells, strict=True))))
        except ValueError as error:
            errors.append(f"Line {number}: {error}")
    errors += check_hierarchy(records)
    if errors:
        raise GVFileError(errors)
    return GVFile(
        territory_date=territory_date,
        population_date=population_date,
        records=records,
        source=meta.get("source", "default register"),
        attribution=meta.get("attribution", ""),
        official=False,
    )


def _record(number: int, cells: dict[str, str]) -> Record:
    level, kind, ars = cells["level"], cells["kind"], cells["ars"]
    if level not in LEVEL_DIGITS or kind not in KINDS:
        raise ValueError(f"unknown level {level!r} or kind {kind!r}")
    if len(ars) != LEVEL_DIGITS[level] or not ars.isdigit():
        raise ValueError(f"the key {ars!r} does not fit the level {level}")
    if not cells["name"]:
        raise ValueError("the name is empty")
    ags = cells["ags"]
    if ags and (len(ags) != 8 or not ags.isdigit()):
        raise ValueError(f"the AGS {ags!r} does not have 8 digits")
    population = cells["population"]
    if population and not population.isdigit():
        raise ValueError(f"the population {population!r} is not a whole number")
    return Record(
        row=number,
        ars=ars,
        level=Level(level),
        kind=Municipality.Kind(kind),
        official_name=cells["name"],
        parent_ars=cells["parent_ars"] or None,
        ags=ags or None,
        area_km2=_decimal(cells["area_km2"], "0.01"),
        population=int(population) if population else None,
        latitude=_decimal(cells["latitude"], "0.00001"),
        longitude=_decimal(cells["longitude"], "0.00001"),
    )


def _decimal(text: str, places: str) -> Decimal | None:
    if not text:
        return None
    try:
        return Decimal(text).quantize(Decimal(places))
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a number") from None

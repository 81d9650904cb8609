"""Applying a read Gemeindeverzeichnis to the register (``Municipality`` rows)."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from ..models import Level, Municipality
from .gv_file import GVFile, Record

# Written by the import; everything else (name after the first import, slug, description, contact, website,
# Modellprojekt, sample-data flag) belongs to the editors and is never touched.
REGISTER_FIELDS = (
    "ars",
    "ags",
    "level",
    "kind",
    "official_name",
    "parent_id",
    "population",
    "population_date",
    "area_km2",
    "postcode",
    "latitude",
    "longitude",
    "urbanisation",
    "dissolved_on",
    "successor_id",
)
# Parents first, so every child can point at its parent's primary key.
LEVEL_ORDER = (
    Level.LAND,
    Level.REGIERUNGSBEZIRK,
    Level.KREIS,
    Level.VERBAND,
    Level.GEMEINDE,
    Level.GEMEINDEFREI,
)
# Rows from before the register (the district data) that a file no longer listing them marks dissolved.
DISTRICT_KINDS = (Municipality.Kind.LANDKREIS, Municipality.Kind.KREISFREIE_STADT)
BATCH = 1000
UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


@dataclass
class ImportSummary:
    new: int = 0
    renamed: int = 0
    population_changed: int = 0
    other_changes: int = 0
    dissolved: int = 0
    unchanged: int = 0
    dry_run: bool = False
    by_level: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        prefix = "Dry run, nothing saved: " if self.dry_run else ""
        return (
            f"{prefix}{self.new} new, {self.renamed} renamed, {self.population_changed} with a changed "
            f"population, {self.other_changes} otherwise changed, {self.dissolved} merged or dissolved, "
            f"{self.unchanged} unchanged."
        )


def display_name(official_name: str) -> str:
    """ "Flensburg, Stadt" → "Flensburg": the official suffix names the kind, which is shown separately."""
    return official_name.split(",")[0].strip() or official_name


def _slug_base(record: Record) -> str:
    name = display_name(record.official_name).translate(UMLAUTS)
    if record.level in (Level.GEMEINDE, Level.GEMEINDEFREI):
        return slugify(name)[:200]
    # "landkreis-dithmarschen", "amt-landschaft-sylt": the same name as its town stays free for the town.
    return slugify(f"{record.kind.replace('_', ' ')} {name}")[:200]


def _values(record: Record, parent_id: int | None, source: GVFile, totals: dict) -> dict:
    population, area = record.population, record.area_km2
    if record.level not in (Level.GEMEINDE, Level.GEMEINDEFREI):
        # The file has figures only for Gemeinden; the levels above get the sums of their Gemeinden.
        population, area = totals.get(record.ars, (0, Decimal("0.00")))
    return {
        "ars": record.ars,
        "ags": record.ags,
        "level": record.level,
        "kind": record.kind,
        "official_name": record.official_name,
        "parent_id": parent_id,
        "population": population,
        "population_date": source.population_date,
        "area_km2": area,
        "postcode": record.postcode,
        "latitude": record.latitude,
        "longitude": record.longitude,
        "urbanisation": record.urbanisation,
        "dissolved_on": None,
        "successor_id": None,
    }


def _totals(records: list[Record]) -> dict[str, tuple[int, Decimal]]:
    """Population and area summed over the Gemeinden below each key of a higher level."""
    sums: dict[str, list] = defaultdict(lambda: [0, Decimal("0.00")])
    for record in records:
        if record.level in (Level.GEMEINDE, Level.GEMEINDEFREI):
            for prefix in {record.ars[:2], record.ars[:3], record.ars[:5], record.ars[:9], record.parent_ars}:
                sums[prefix][0] += record.population or 0
                sums[prefix][1] += record.area_km2 or 0
    return {key: (value[0], value[1]) for key, value in sums.items()}


def import_register(source: GVFile, *, dry_run: bool = False) -> ImportSummary:
    """Bring the register in line with a Gemeindeverzeichnis, in one transaction.

    Side effects: creates a Municipality for every key the register lacks; updates the register fields
    (REGISTER_FIELDS, and the display name when the official name changed) of rows matched by ARS, or for
    rows from before the register by AGS; marks rows that the file no longer lists as dissolved on its
    Gebietsstand, with a successor where one took over its area; writes pghistory events for every changed
    row. Editorial fields are never written. With ``dry_run`` everything is rolled back and only the summary
    is returned."""
    summary = ImportSummary(dry_run=dry_run)
    with transaction.atomic():
        _apply(source, summary)
        if dry_run:
            transaction.set_rollback(True)
    return summary


def _apply(source: GVFile, summary: ImportSummary) -> None:
    existing = list(Municipality.objects.select_for_update().order_by("pk"))
    by_ars = {row.ars: row for row in existing if row.ars}
    by_ags = {row.ags: row for row in existing if row.ags and not row.ars}
    taken_slugs = {row.slug for row in existing}
    old_area = {row.ars: row.area_km2 or 0 for row in existing if row.ars and not row.dissolved_on}
    totals = _totals(source.records)
    now = timezone.now()
    pk_by_ars: dict[str, int] = {}
    matched: set[int] = set()
    ordered = sorted(source.records, key=lambda record: LEVEL_ORDER.index(record.level))
    for level in LEVEL_ORDER:
        to_create, to_update = [], []
        for record in (record for record in ordered if record.level == level):
            parent_id = pk_by_ars.get(record.parent_ars) if record.parent_ars else None
            values = _values(record, parent_id, source, totals)
            row = by_ars.get(record.ars) or (by_ags.get(record.ags) if record.ags else None)
            if row is None or row.pk in matched:
                row = Municipality(name=display_name(record.official_name), is_demo=False, **values)
                row.slug = _unique_slug(_slug_base(record), record.ars, taken_slugs)
                to_create.append(row)
                summary.new += 1
                continue
            matched.add(row.pk)
            pk_by_ars[record.ars] = row.pk
            if _update(row, values, summary):
                row.updated_at = now
                to_update.append(row)
        Municipality.objects.bulk_create(to_create, batch_size=BATCH)
        pk_by_ars.update((row.ars, row.pk) for row in to_create)
        if to_update:
            Municipality.objects.bulk_update(
                to_update, [*REGISTER_FIELDS, "name", "updated_at"], batch_size=BATCH
            )
        summary.by_level[level] = sum(1 for record in source.records if record.level == level)
    _dissolve(existing, matched, source, old_area, pk_by_ars, now, summary)


def _update(row: Municipality, values: dict, summary: ImportSummary) -> bool:
    """Copy the register values onto a matched row; count what changed. True when anything did."""
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    if not changed:
        summary.unchanged += 1
        return False
    if "official_name" in changed and row.official_name:
        summary.renamed += 1
        row.name = display_name(values["official_name"])
    if "population" in changed:
        summary.population_changed += 1
    if set(changed) - {"official_name", "population"}:
        summary.other_changes += 1
    for name in changed:
        setattr(row, name, values[name])
    return True


def _dissolve(existing, matched, source: GVFile, old_area, pk_by_ars, now, summary: ImportSummary) -> None:
    """Mark rows the file no longer lists as dissolved (kept, never deleted), with a successor: the Gemeinde
    of the same Kreis whose area grew the most, when it grew by at least the dissolved one's area
    (a merger)."""
    gone = [
        row
        for row in existing
        if row.pk not in matched
        and row.dissolved_on is None
        and (row.ars or (row.kind in DISTRICT_KINDS and not row.is_demo))
    ]
    gains: dict[str, list[tuple[Decimal, str]]] = defaultdict(list)
    for record in source.records:
        if record.level == Level.GEMEINDE and record.area_km2 is not None:
            gain = record.area_km2 - old_area.get(record.ars, 0)
            gains[record.ars[:5]].append((gain, record.ars))
    for row in gone:
        row.dissolved_on = source.territory_date
        row.updated_at = now
        if row.level == Level.GEMEINDE and row.area_km2:
            candidates = [
                item for item in gains.get(row.ars[:5], []) if item[0] >= row.area_km2 * Decimal("0.9")
            ]
            if candidates:
                row.successor_id = pk_by_ars[max(candidates)[1]]
    Municipality.objects.bulk_update(gone, ["dissolved_on", "successor_id", "updated_at"], batch_size=BATCH)
    summary.dissolved = len(gone)


def _unique_slug(base: str, ars: str, taken: set[str]) -> str:
    slug = base or ars
    if slug in taken:
        slug = f"{base}-{ars}"
    taken.add(slug)
    return slug

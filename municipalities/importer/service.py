"""Applying a read Gemeindeverzeichnis to the register (``Municipality`` rows)."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from ..models import Level, Municipality, RegisterSource
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

    @property
    def changed(self) -> bool:
        return bool(
            self.new or self.renamed or self.population_changed or self.other_changes or self.dissolved
        )

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
        # The official file has figures only for Gemeinden: the levels above get the sums of their
        # Gemeinden. A figure of the row itself (the default register's Kreis population and areas) wins.
        summed_population, summed_area = totals.get(record.ars, (None, None))
        population = population if population is not None else summed_population
        area = area if area is not None else summed_area
    return {
        "ars": record.ars,
        "ags": record.ags,
        "level": record.level,
        "kind": record.kind,
        "official_name": record.official_name,
        "parent_id": parent_id,
        "population": population,
        "population_date": source.population_date if population is not None else None,
        "area_km2": area,
        "postcode": record.postcode,
        "latitude": record.latitude,
        "longitude": record.longitude,
        "urbanisation": record.urbanisation,
        "dissolved_on": None,
        "successor_id": None,
    }


def _totals(records: list[Record]) -> dict[str, tuple[int | None, Decimal | None]]:
    """Population and area summed over the Gemeinden below each key of a higher level. A sum is None
    unless every Gemeinde below has the figure: the default register knows the population of the
    kreisfreie Städte only, and a Land is not the sum of its cities."""
    sums: dict[str, list] = defaultdict(lambda: [0, Decimal("0.00")])
    for record in records:
        if record.level in (Level.GEMEINDE, Level.GEMEINDEFREI):
            for prefix in {record.ars[:2], record.ars[:3], record.ars[:5], record.ars[:9], record.parent_ars}:
                total = sums[prefix]
                total[0] = (
                    None if total[0] is None or record.population is None else total[0] + record.population
                )
                total[1] = None if total[1] is None or record.area_km2 is None else total[1] + record.area_km2
    return {key: (value[0], value[1]) for key, value in sums.items()}


def import_register(source: GVFile, *, dry_run: bool = False) -> ImportSummary:
    """Bring the register in line with a Gemeindeverzeichnis (or the default register), in one transaction.

    Side effects: creates a Municipality for every key the register lacks; updates the register fields
    (REGISTER_FIELDS, and the display name when the official name changed) of rows matched by ARS, else by
    AGS (rows from before the register, and a Gemeinde whose ARS changed with its Verband); marks rows that
    the file no longer lists as dissolved on its Gebietsstand, with a successor where one took over its area;
    writes pghistory events for every changed row; adds a RegisterSource row when anything changed or the
    source differs from the newest one; after a real import, refreshes the table's planner statistics
    (ANALYZE). Editorial fields are never written. With ``dry_run`` everything is rolled back and only the
    summary is returned."""
    summary = ImportSummary(dry_run=dry_run)
    with transaction.atomic():
        _apply(source, summary)
        _record_source(source, summary)
        if dry_run:
            transaction.set_rollback(True)
    if not dry_run and summary.new + summary.dissolved + summary.renamed + summary.other_changes:
        # Thousands of new rows leave stale statistics until autovacuum comes round; until then PostgreSQL
        # ignores the trigram index and every name search reads the whole table (25-40 ms instead of 1).
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Municipality._meta.db_table}")
    return summary


def _record_source(source: GVFile, summary: ImportSummary) -> None:
    newest = RegisterSource.objects.newest()
    same = newest is not None and (newest.name, newest.territory_date, newest.population_date) == (
        source.source,
        source.territory_date,
        source.population_date,
    )
    if same and not summary.changed:
        return  # a second run of the same file: nothing to record
    RegisterSource.objects.create(
        name=source.source,
        attribution=source.attribution,
        is_official=source.official,
        territory_date=source.territory_date,
        population_date=source.population_date,
        rows=len(source.records),
        counts={str(level): count for level, count in summary.by_level.items()},
        changes=summary.line()[:300],
    )


def _apply(source: GVFile, summary: ImportSummary) -> None:
    existing = list(Municipality.objects.select_for_update().order_by("pk"))
    by_ars = {row.ars: row for row in existing if row.ars}
    # A row whose ARS the file no longer lists may still be the same place under its AGS: a row from
    # before the register, or a Gemeinde whose Verband changed (a new ARS, the same AGS).
    listed = {record.ars for record in source.records}
    by_ags = {row.ags: row for row in existing if row.ags and row.ars not in listed}
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
            row = by_ars.get(record.ars) or _same_place(by_ags.get(record.ags), record)
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
        _update_rows(to_update, [*REGISTER_FIELDS, "name", "updated_at"])
        summary.by_level[level] = sum(1 for record in source.records if record.level == level)
    _dissolve(existing, matched, source, old_area, pk_by_ars, now, summary)


def _same_place(row: Municipality | None, record: Record) -> Municipality | None:
    """The row of the same AGS if it is of the record's level (a Gemeinde may have been a gemeindefreies
    Gebiet, or the reverse), or from before the register (no level)."""
    if row is None:
        return None
    towns = (Level.GEMEINDE, Level.GEMEINDEFREI)
    if row.level in ("", record.level) or (row.level in towns and record.level in towns):
        return row
    return None


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
    _update_rows(gone, ["dissolved_on", "successor_id", "updated_at"])
    summary.dissolved = len(gone)


def _update_rows(rows: list[Municipality], names: list[str]) -> None:
    """Write ``names`` of ``rows`` with one ``UPDATE … FROM (VALUES …)`` per batch. bulk_update builds a CASE
    expression per field and row, which takes minutes in Python when the official register replaces the
    default one (12,000 changed rows); this takes a second. Row triggers (history) fire as for any update."""
    if not rows:
        return
    fields = [Municipality._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    columns = [quote(field.column) for field in fields]
    placeholders = (
        "(" + ", ".join(["%s::bigint", *(f"%s::{field.db_type(connection)}" for field in fields)]) + ")"
    )
    sql_head = (
        f"UPDATE {quote(Municipality._meta.db_table)} AS m SET "  # noqa: S608 - names from the model only
        + ", ".join(f"{column} = v.{column}" for column in columns)
        + " FROM (VALUES "
    )
    sql_tail = f") AS v(id, {', '.join(columns)}) WHERE m.id = v.id"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            params = []
            for row in batch:
                params.append(row.pk)
                params += [
                    field.get_db_prep_save(getattr(row, field.attname), connection) for field in fields
                ]
            cursor.execute(sql_head + ", ".join([placeholders] * len(batch)) + sql_tail, params)


def _unique_slug(base: str, ars: str, taken: set[str]) -> str:
    slug = base or ars
    if slug in taken:
        slug = f"{base}-{ars}"
    taken.add(slug)
    return slug

"""Reading the official "Gemeindeverzeichnis, Auszug GV 4Q" (Destatis, Excel) into checked records.

Layout (sheet "Onlineprodukt_Gemeinden…", data from row 7 on): A Satzart, B Textkennzeichen, C–G the
parts of the Amtlicher Regionalschlüssel (Land, RB, Kreis, VB, Gem), H name, I area km², J population
(K male, L female, M per km²), N postcode of the seat, O longitude, P latitude (decimal comma), Q/R travel
region, S/T degree of urbanisation. Row 5 names the Gebietsstand (column C) and the population's reference
date (column J).

Nothing here touches the database: a malformed file yields every row error at once, before any write.
Data © Statistisches Bundesamt (Destatis).
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import openpyxl
from django.utils.translation import gettext as _

from ..models import Level, Municipality

Kind = Municipality.Kind

FIRST_DATA_ROW = 7
KEY_HEADERS = ("Land", "RB", "Kreis", "VB", "Gem")

# Textkennzeichen → kind, per Satzart. Textkennzeichen 50 ("verbandsfreie Gemeinde") is the Gemeinde itself
# repeated at the Verband level; it is skipped so that such a Gemeinde hangs directly below its Kreis.
KREIS_KINDS = {
    "41": Kind.KREISFREIE_STADT,
    "42": Kind.KREISFREIE_STADT,  # Stadtkreis, Baden-Württemberg's word for it
    "43": Kind.KREIS,
    "44": Kind.LANDKREIS,
    "45": Kind.REGIONALVERBAND,
}
VERBAND_KINDS = {
    "51": Kind.AMT,
    "52": Kind.SAMTGEMEINDE,
    "53": Kind.VERBANDSGEMEINDE,
    "54": Kind.VERWALTUNGSGEMEINSCHAFT,
    "55": Kind.KIRCHSPIELSLANDGEMEINDE,
    "56": Kind.VERWALTUNGSVERBAND,
    "57": Kind.VERWALTUNGSGEMEINSCHAFT,  # Verwaltungsgemeinschaft nach dem Trägermodell
    "58": Kind.ERFUELLENDE_GEMEINDE,
}
GEMEINDE_KINDS = {
    "60": Kind.MARKT,
    "61": Kind.KREISFREIE_STADT,
    "62": Kind.KREISFREIE_STADT,
    "63": Kind.STADT,
    "64": Kind.GEMEINDE,
    "65": Kind.GEMEINDEFREI,  # inhabited
    "66": Kind.GEMEINDEFREI,  # uninhabited
    "67": Kind.STADT,  # Große Kreisstadt
}
SATZARTEN = {"10", "20", "30", "40", "50", "60"}
ATTRIBUTION = "© Statistisches Bundesamt (Destatis)"
# Satzart 30 ("Region", only Baden-Württemberg's planning regions) is not part of the key hierarchy.
IGNORED_SATZART = "30"


class GVFileError(Exception):
    """The file is not a readable Gemeindeverzeichnis; ``errors`` lists every problem (row and what)."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class Record:
    row: int
    ars: str
    level: str
    kind: str
    official_name: str
    parent_ars: str | None = None
    ags: str | None = None
    area_km2: Decimal | None = None
    population: int | None = None
    postcode: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    urbanisation: int | None = None


@dataclass
class GVFile:
    territory_date: date  # Gebietsstand
    population_date: date | None
    records: list[Record]
    # What the register reflects once this is imported (municipalities.models.RegisterSource).
    source: str = "Gemeindeverzeichnis des Statistischen Bundesamtes (Auszug GV 4Q)"
    attribution: str = ATTRIBUTION
    official: bool = True


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(text: str) -> date | None:
    found = re.search(r"(\d{2})\.(\d{2})\.(\d{4})", text)
    if not found:
        return None
    day, month, year = (int(part) for part in found.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _decimal(value, places: str) -> Decimal:
    """A number from a cell: int, float or text with a decimal comma ("9,43751"). Raises ValueError."""
    text = _text(value).replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
    if not number.is_finite():
        raise ValueError(text)
    return number.quantize(Decimal(places))


def _worksheet(workbook):
    for sheet in workbook.worksheets:
        if _text(sheet.cell(row=3, column=1).value).startswith("Satz"):
            return sheet
    raise GVFileError([_('No sheet has the Gemeindeverzeichnis header ("Satzart" in cell A3).')])


def _load_rows(path, *, max_row: int | None = None) -> list[tuple]:
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds (zip, XML, key errors) for a file it can't read
        raise GVFileError(
            [_("The file is not a readable Excel workbook (%(error)s).") % {"error": error}]
        ) from None
    try:
        sheet = _worksheet(workbook)
        return list(sheet.iter_rows(min_row=1, max_row=max_row, max_col=20, values_only=True))
    finally:
        workbook.close()


def _header_dates(rows: list[tuple]) -> tuple[date, date]:
    """Gebietsstand and the population's date from the header rows; GVFileError when they are not there."""
    errors: list[str] = []
    header = rows[3] if len(rows) > 3 else ()
    if tuple(_text(cell) for cell in header[2:7]) != KEY_HEADERS:
        errors.append(_("Row 4: expected the key columns Land, RB, Kreis, VB, Gem in columns C to G."))
    dates_row = rows[4] if len(rows) > 4 else ()
    territory_date = _date(_text(dates_row[2])) if len(dates_row) > 2 else None
    population_date = _date(_text(dates_row[9])) if len(dates_row) > 9 else None
    if territory_date is None or population_date is None:
        errors.append(
            _("Row 5: expected the Gebietsstand in column C and the population's date in column J.")
        )
    if errors:
        raise GVFileError(errors)
    return territory_date, population_date


def read_gv_dates(path: Path | str) -> tuple[date, date]:
    """(Gebietsstand, population date) from the header alone: cheap, for deciding whether to import."""
    return _header_dates(_load_rows(path, max_row=FIRST_DATA_ROW - 1))


def read_gv_file(path: Path | str) -> GVFile:
    """Read and check the whole file; raise GVFileError listing every malformed row."""
    rows = _load_rows(path)
    territory_date, population_date = _header_dates(rows)
    errors: list[str] = []
    records: list[Record] = []
    for number, cells in enumerate(rows[FIRST_DATA_ROW - 1 :], start=FIRST_DATA_ROW):
        cells = tuple(cells) + (None,) * (20 - len(cells))
        satzart = _text(cells[0])
        if not satzart or not satzart.isdigit():
            continue  # empty rows and the footnotes below the data
        try:
            record = _record(number, satzart, cells)
        except ValueError as error:
            errors.append(_("Row %(row)d: %(problem)s") % {"row": number, "problem": error})
            continue
        if record is not None:
            records.append(record)
    errors += check_hierarchy(records)
    if not records and not errors:
        errors.append(_("The file lists no Land, Kreis or Gemeinde."))
    if errors:
        raise GVFileError(errors)
    return GVFile(territory_date=territory_date, population_date=population_date, records=records)


def _part(cells, index: int, digits: int, label: str) -> str:
    text = _text(cells[index])
    if len(text) != digits or not text.isdigit():
        raise ValueError(
            _('the key part %(part)s must have %(digits)d digits, found "%(value)s".')
            % {"part": label, "digits": digits, "value": text}
        )
    return text


def _record(number: int, satzart: str, cells) -> Record | None:
    """One data row as a Record (None for rows outside the hierarchy); ValueError says what is wrong."""
    if satzart not in SATZARTEN:
        raise ValueError(
            _('unknown Satzart "%(value)s" (expected 10, 20, 30, 40, 50 or 60).') % {"value": satzart}
        )
    if satzart == IGNORED_SATZART:
        return None
    name = _text(cells[7])
    if not name:
        raise ValueError(_("the name (column H) is empty."))
    land = _part(cells, 2, 2, "Land")
    if not 1 <= int(land) <= 16:
        raise ValueError(_('the Land number must be 01 to 16, found "%(value)s".') % {"value": land})
    if satzart == "10":
        return Record(number, land, Level.LAND, Kind.LAND, name)
    rb = _part(cells, 3, 1, "RB")
    if satzart == "20":
        return Record(number, land + rb, Level.REGIERUNGSBEZIRK, Kind.REGIERUNGSBEZIRK, name, parent_ars=land)
    kreis = land + rb + _part(cells, 4, 2, "Kreis")
    kinds = {"40": KREIS_KINDS, "50": VERBAND_KINDS | {"50": None}, "60": GEMEINDE_KINDS}[satzart]
    code = _text(cells[1])
    if code not in kinds:
        raise ValueError(
            _('Textkennzeichen "%(value)s" is not valid for Satzart %(satzart)s.')
            % {"value": code, "satzart": satzart}
        )
    if satzart == "40":
        parent = land + rb if rb != "0" else land
        return Record(number, kreis, Level.KREIS, kinds[code], name, parent_ars=parent)
    verband = kreis + _part(cells, 5, 4, "VB")
    if satzart == "50":
        if kinds[code] is None:
            return None
        return Record(number, verband, Level.VERBAND, kinds[code], name, parent_ars=kreis)
    gem = _part(cells, 6, 3, "Gem")
    kind = kinds[code]
    return Record(
        number,
        verband + gem,
        Level.GEMEINDEFREI if kind == Kind.GEMEINDEFREI else Level.GEMEINDE,
        kind,
        name,
        parent_ars=verband,  # replaced by the Kreis below when the Verband is the Gemeinde itself
        ags=kreis + gem,
        **_figures(cells),
    )


def _figures(cells) -> dict:
    figures = {}
    try:
        figures["area_km2"] = _decimal(cells[8], "0.01") if _text(cells[8]) else None
    except ValueError as error:
        raise ValueError(_('the area "%(value)s" is not a number.') % {"value": error}) from None
    population = _text(cells[9])
    if population and not population.isdigit():
        raise ValueError(_('the population "%(value)s" is not a whole number.') % {"value": population})
    figures["population"] = int(population) if population else None
    postcode = _text(cells[13])
    if postcode and (len(postcode) != 5 or not postcode.isdigit()):
        raise ValueError(_('the postcode "%(value)s" does not have 5 digits.') % {"value": postcode})
    figures["postcode"] = postcode
    for key, index, limit in (("longitude", 14, 180), ("latitude", 15, 90)):
        try:
            value = _decimal(cells[index], "0.00001") if _text(cells[index]) else None
        except ValueError as error:
            raise ValueError(_('the coordinate "%(value)s" is not a number.') % {"value": error}) from None
        if value is not None and abs(value) > limit:
            raise ValueError(_('the coordinate "%(value)s" is out of range.') % {"value": value})
        figures[key] = value
    urbanisation = _text(cells[18])
    if urbanisation and urbanisation.lstrip("0") not in {"1", "2", "3"}:
        raise ValueError(
            _('the degree of urbanisation "%(value)s" must be 1, 2 or 3.') % {"value": urbanisation}
        )
    figures["urbanisation"] = int(urbanisation) if urbanisation else None
    return figures


def check_hierarchy(records: list[Record]) -> list[str]:
    """Unique keys and an existing parent for every row; a Gemeinde without a real Verband hangs below its
    Kreis. Also gives each Kreis its padded AGS unless a Gemeinde has it (the kreisfreie Städte)."""
    errors = []
    by_ars: dict[str, Record] = {}
    for record in records:
        if record.ars in by_ars:
            errors.append(
                _("Row %(row)d: the key %(ars)s is listed twice (also in row %(first)d).")
                % {"row": record.row, "ars": record.ars, "first": by_ars[record.ars].row}
            )
        else:
            by_ars[record.ars] = record
    gemeinde_ags = {record.ags for record in records if record.ags}
    for record in records:
        if record.level in (Level.GEMEINDE, Level.GEMEINDEFREI) and record.parent_ars not in by_ars:
            record.parent_ars = record.ars[:5]
            if record.ars[3:5] == "00" and record.parent_ars not in by_ars:
                # areas outside any Kreis (shared border territory, coastal waters) belong to the Land itself
                record.parent_ars = record.ars[:3] if record.ars[:3] in by_ars else record.ars[:2]
        if record.parent_ars is not None and record.parent_ars not in by_ars:
            errors.append(
                _("Row %(row)d: %(name)s belongs to %(parent)s, which the file does not list.")
                % {"row": record.row, "name": record.official_name, "parent": record.parent_ars}
            )
        if record.level == Level.KREIS and f"{record.ars}000" not in gemeinde_ags:
            record.ags = f"{record.ars}000"
    return errors

"""The Markterkundung as CSV and XLSX: a heading row, then one row per solution (columns in data.COLUMNS).

CSV: UTF-8 with a byte order mark (so Excel reads umlauts), comma-separated, every text cell through
marketplace.csvsafe (no formula injection), dates as YYYY-MM-DD, nothing stated as an empty cell.
XLSX: the same values typed (numbers, dates), the heading row bold and frozen, and a second sheet "Quelle"
with the date, the source and its licence.
"""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from marketplace.csvsafe import neutralise

from .data import COLUMNS, Export

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Column widths in characters, so a sheet is readable when opened; text columns get the default.
WIDTHS = {"integer": 14, "date": 14, "url": 40}


def source_lines(export: Export) -> list[tuple[str, str]]:
    """What the "Quelle" sheet (and the printable page's source section) states, as (label, text)."""
    lines = [
        (_("Date"), export.date.isoformat()),
        (_("Source"), f"{export.site_name}, {export.site_url}"),
        (
            _("Licence"),
            _(
                "Statements of the vendors, checked by the editorial team before publication; the vendors "
                "remain responsible for them. Size classes and Länder: © GeoBasis-DE / BKG (data changed); "
                "© Statistisches Bundesamt (Destatis), CC BY 4.0."
            ),
        ),
    ]
    if export.municipality is not None:
        lines.append((_("Counted from"), export.municipality.name))
    return lines


def csv_bytes(export: Export) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(header) for header in export.headers])
    for values in export.values():
        writer.writerow([_csv_cell(value) for value in values])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return neutralise(str(value)) if isinstance(value, str) else str(value)


def xlsx_bytes(export: Export) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Markterkundung"  # fixed names (also "Quelle"), whatever the language of the headings
    sheet.append([neutralise(header) for header in export.headers])
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    sheet.freeze_panes = "A2"
    for values in export.values():
        sheet.append([neutralise(value) for value in values])
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(column.kind, 30)
        if column.kind == "date":
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "yyyy-mm-dd"
    source = workbook.create_sheet("Quelle")
    for label, text in source_lines(export):
        source.append([label, neutralise(text)])
    for cell in source["A"]:
        cell.font = bold
    source.column_dimensions["A"].width = 16
    source.column_dimensions["B"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

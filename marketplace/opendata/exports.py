"""CSV and JSON of a catalog's filtered rows, streamed: the rows of every page, read in chunks of keys.

The catalog's ``ordered()`` gives the keys of its rows in the page's order (one list of integers); the rows
are then read by key, 500 at a time, with everything the columns need (``Dataset.reread``): a few queries
per chunk, and never more than one chunk of rows in memory, however many rows match.
"""

import csv
import json
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone

from marketplace.csvsafe import neutralise

from .datasets import LICENCE_NAME, LICENCE_URL, Dataset, plain

CHUNK = 500
LIST_SEPARATOR = "|"


def ordered_keys(filterset) -> list:
    """The keys of every row the catalog page shows, in its order, read without the rows themselves: one
    query for a queryset, none for an order the catalog keeps (``keys()`` of its row sequences)."""
    ordered = filterset.ordered()
    if isinstance(ordered, QuerySet):
        return list(ordered.values_list("pk", flat=True))
    if hasattr(ordered, "keys"):
        return ordered.keys()
    return [row.pk for row in ordered]  # a plain list: nothing matched, or a search that could not run


def rows(dataset: Dataset, filterset) -> Iterator:
    """Every row the catalog page shows for ``filterset``'s data, in its order, with the columns' data."""
    keys = ordered_keys(filterset)
    for start in range(0, len(keys), CHUNK):
        yield from dataset.reread(keys[start : start + CHUNK])


class _Echo:
    """A file-like object whose write() returns the line: csv.writer then yields lines for streaming."""

    def write(self, value):
        return value


def _cell(value):
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(str(item) for item in value)
    elif isinstance(value, bool):
        value = "true" if value else "false"
    value = plain(value)
    return "" if value is None else neutralise(value)


def csv_lines(dataset: Dataset, filterset) -> Iterator[str]:
    """The header, then one line per row. A byte order mark first, so that Excel reads UTF-8."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([column.name for column in dataset.columns])
    for row in rows(dataset, filterset):
        yield writer.writerow([_cell(column.value(row)) for column in dataset.columns])


def json_chunks(dataset: Dataset, filterset, *, source_url: str) -> Iterator[str]:
    """One JSON object: the licence and source, then ``rows`` as an array written row by row."""
    head = {
        "title": str(dataset.title),
        "licence": {"name": LICENCE_NAME, "url": LICENCE_URL},
        "attribution": "Smart-City-Marktplatz",
        "source": source_url,
        "generated": timezone.now().isoformat(timespec="seconds"),
        "columns": [{"name": column.name, "type": column.type} for column in dataset.columns],
    }
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "rows": ['
    separator = ""
    for row in rows(dataset, filterset):
        record = {column.name: plain(column.value(row)) for column in dataset.columns}
        yield separator + json.dumps(record, ensure_ascii=False)
        separator = ","
    yield "]}"

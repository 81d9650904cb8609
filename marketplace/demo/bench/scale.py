"""At another size than 10,000 (issue 17: ``--solutions 100000``): every page's time next to its time in the
10,000-solution document (``docs/performance.md``), and whether it stays within twice that.

The baseline is read from the tables that the 10,000 run wrote (the in-process medians and the HTTP requests
per second), matched by the row's label. Over HTTP a page's time is the inverse of its requests per second
(the same 4 connections keep the workers busy), so its factor is the baseline's req/s over this run's. The
export of every published solution has ten times the rows at 100,000: its time per exported row is compared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .rows import Row

# A page may take at most this many times its time at 10,000 solutions.
MAX_FACTOR = 2.0
_IN_PROCESS_HEADER = "| Page | URL | Status | Median ms |"
_HTTP_HEADER = "| Page | URL | Req/s |"
_FLOOR_PREFIX = "Floor:"
# The line of ``opendata.export_memory``: rows and seconds of the whole export.
_EXPORT = re.compile(
    r"^Export of all published solutions .*?: ([\d,]+) rows, [\d,]+ bytes in ([\d.]+) s", re.M
)


@dataclass(frozen=True)
class Baseline:
    """What the 10,000 document says: label -> median ms (in-process), label -> req/s (HTTP)."""

    medians_ms: dict[str, float]
    requests_per_s: dict[str, float]
    stamp: str  # the line that says when and where it was measured
    export: tuple[int, float] | None = None  # rows and seconds of the whole export


def export_of(text: str) -> tuple[int, float] | None:
    """Rows and seconds of the export line in a document or run, if any."""
    match = _EXPORT.search(text)
    if match is None:
        return None
    return int(match.group(1).replace(",", "")), float(match.group(2))


def _number(cell: str) -> float | None:
    cell = cell.strip().replace(",", "")
    return float(cell) if re.fullmatch(r"\d+(\.\d+)?", cell) else None


def _table(lines: list[str], header: str, column: int, status_column: int | None = None) -> dict[str, float]:
    """label -> the number in ``column`` of the first table that starts with ``header`` (with
    ``status_column``: only rows whose page answered 200; the others show 0 there)."""
    values: dict[str, float] = {}
    inside = False
    for line in lines:
        if line.startswith(header):
            inside = True
            continue
        if inside:
            if not line.startswith("|"):
                break
            cells = line.strip().strip("|").split("|")
            if status_column is not None and cells[status_column].strip() != "200":
                continue
            if len(cells) > column and (value := _number(cells[column])) is not None:
                values[cells[0].strip()] = value
    return values


def read_baseline(path: Path) -> Baseline | None:
    """The 10,000 document's numbers, or None when it is missing or has no table."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None
    lines = text.splitlines()
    medians = _table(lines, _IN_PROCESS_HEADER, 3, status_column=2)
    if not medians:
        return None
    stamp = next((line for line in lines if line.startswith("Median and p95 of")), "")
    return Baseline(medians, _table(lines, _HTTP_HEADER, 2), stamp, export_of(text))


def _verdict(label: str, factor: float) -> str:
    if label.startswith(_FLOOR_PREFIX):
        return "–"  # the floors measure the machine, not a page
    return "yes" if factor <= MAX_FACTOR else "**no**"


def render_scale(
    rows: list[Row], http_table: list, baseline: Baseline | None, solutions: int, export_line: str = ""
) -> str:
    """The comparison section of another size's document (``export_line``: this run's export line)."""
    title = f"### {solutions:,} solutions compared with 10,000 (issue 17)"
    if baseline is None:
        return (
            f"{title}\n\nNo 10,000-solution document with a table to compare with (run `make bench` first)."
        )
    lines = [
        title,
        "",
        f"Every page at most {MAX_FACTOR:g} × its time at 10,000 solutions (`docs/performance.md`; the "
        "floors are shown for the machine's state and not judged).",
        "",
        "| Page | Median ms at 10,000 | Median ms now | Factor | ≤ 2 × |",
        "|---|---:|---:|---:|---|",
    ]
    judged: list[bool] = []

    def judge(label: str, factor: float) -> str:
        """The verdict of one row, counted unless it is a floor."""
        verdict = _verdict(label, factor)
        if verdict != "–":
            judged.append(verdict == "yes")
        return verdict

    for row in rows:
        before = baseline.medians_ms.get(row.label)
        if not row.ok or before is None or not before:
            continue
        factor = row.median_ms / before
        verdict = judge(row.label, factor)
        lines.append(f"| {row.label} | {before:.1f} | {row.median_ms:.1f} | {factor:.2f} | {verdict} |")
    export, export_before = export_of(export_line), baseline.export
    if export and export_before and export[0] and export_before[0] and export_before[1]:
        before = export_before[1] * 1000 / export_before[0]  # ms per exported row
        now = export[1] * 1000 / export[0]
        factor = now / before
        label = "Export of all published solutions (JSON), per row"
        verdict = judge(label, factor)
        lines.append(f"| {label} | {before:.3f} | {now:.3f} | {factor:.2f} | {verdict} |")
    http_rows = [
        (row, baseline.requests_per_s[row.label])
        for row in http_table
        if row.measured and row.requests_per_s and baseline.requests_per_s.get(row.label)
    ]
    if http_rows:
        lines += [
            "",
            "Over HTTP (time per request = 1 / req/s):",
            "",
            "| Page | Req/s at 10,000 | Req/s now | Factor | ≤ 2 × |",
            "|---|---:|---:|---:|---|",
        ]
        for row, before in http_rows:
            factor = before / row.requests_per_s
            verdict = judge(row.label, factor)
            lines.append(
                f"| {row.label} | {before:,.1f} | {row.requests_per_s:,.1f} | {factor:.2f} | {verdict} |"
            )
    held = sum(judged)
    lines += [
        "",
        f"{held} of {len(judged)} pages within {MAX_FACTOR:g} × their time at 10,000. Baseline: "
        f"{baseline.stamp or 'docs/performance.md'}",
    ]
    return "\n".join(lines)

"""Another size's benchmark document next to the 10,000 one (issue 17): the baseline is read back from the
tables the benchmark writes, and every page is judged against twice its time there."""

from marketplace.demo.bench import http
from marketplace.demo.bench.http import HttpRow
from marketplace.demo.bench.rows import Row
from marketplace.demo.bench.scale import read_baseline, render_scale
from marketplace.management.commands.bench import Command

# The line as ``opendata.export_memory`` writes it.
EXPORT_10K = (
    "Export of all published solutions as JSON (`/daten/loesungen.json`): 10,000 rows, 10,331,414 bytes in "
    "4.5 s; peak memory growth 5.5 MB (Python allocations, tracemalloc; target < 50 MB): yes."
)


def measured(label: str, median_ms: float, path: str = "/x/") -> Row:
    return Row(label, path, status=200, median_ms=median_ms, p95_ms=median_ms)


def http_row(label: str, requests_per_s: float) -> HttpRow:
    return HttpRow(label, "/x/", status=200, requests_per_s=requests_per_s, p50_ms=1.0, p99_ms=2.0)


def baseline_document(tmp_path):
    """A 10,000 document as the benchmark writes it (its own render functions)."""
    rows = [
        measured("Floor: minimal Django view", 0.5),
        measured("Solutions catalog", 10.0),
        measured("… filtered (category + size)", 12.0),
        measured("Solution detail", 4.0),
        Row("Pilots catalog", "/p/", status=404),
    ]
    table = [
        http_row("Floor: base layout only", 1000.0),
        http_row("Solutions catalog", 800.0),
        http_row("Home", 900.0),
    ]
    text = Command().render(rows, requests=30, warmups=3)
    text += "\n\n" + EXPORT_10K
    text += "\n\n" + http.render_http(table, [], seconds=10, warmup_seconds=2)
    path = tmp_path / "performance.md"
    path.write_text(Command().document(text), encoding="utf-8")
    return path


def test_the_baseline_is_read_back_from_the_written_tables(db, tmp_path):
    baseline = read_baseline(baseline_document(tmp_path))

    assert baseline.medians_ms == {
        "Floor: minimal Django view": 0.5,
        "Solutions catalog": 10.0,
        "… filtered (category + size)": 12.0,
        "Solution detail": 4.0,
    }  # the page that did not answer has no median to compare with
    assert baseline.requests_per_s == {
        "Floor: base layout only": 1000.0,
        "Solutions catalog": 800.0,
        "Home": 900.0,
    }
    assert baseline.stamp.startswith("Median and p95 of 30 requests")
    assert baseline.export == (10_000, 4.5)


def test_each_page_is_judged_against_twice_its_time_at_ten_thousand(db, tmp_path):
    baseline = read_baseline(baseline_document(tmp_path))
    rows = [
        measured("Floor: minimal Django view", 2.0),  # four times, but a floor: shown, not judged
        measured("Solutions catalog", 19.9),
        measured("… filtered (category + size)", 30.0),
        measured("Solution detail", 4.0),
        measured("A page the baseline lacks", 100.0),
    ]
    table = [
        http_row("Floor: base layout only", 990.0),
        http_row("Solutions catalog", 300.0),
        http_row("Home", 900.0),
    ]

    export = EXPORT_10K.replace("10,000 rows", "100,000 rows").replace("in 4.5 s", "in 99.0 s")

    text = render_scale(rows, table, baseline, 100_000, export)

    lines = text.splitlines()
    assert lines[0] == "### 100,000 solutions compared with 10,000 (issue 17)"
    assert "| Floor: minimal Django view | 0.5 | 2.0 | 4.00 | – |" in lines
    assert "| Solutions catalog | 10.0 | 19.9 | 1.99 | yes |" in lines
    assert "| … filtered (category + size) | 12.0 | 30.0 | 2.50 | **no** |" in lines
    assert "| Solution detail | 4.0 | 4.0 | 1.00 | yes |" in lines
    assert not any("A page the baseline lacks" in line for line in lines)
    # over HTTP a page's time is 1 / req/s: 800 -> 300 req/s is 2.67 times the time
    assert "| Solutions catalog | 800.0 | 300.0 | 2.67 | **no** |" in lines
    assert "| Home | 900.0 | 900.0 | 1.00 | yes |" in lines
    assert "| Floor: base layout only | 1,000.0 | 990.0 | 1.01 | – |" in lines
    # ten times the rows: compared per row, 0.45 ms then and 0.99 ms now
    assert "| Export of all published solutions (JSON), per row | 0.450 | 0.990 | 2.20 | **no** |" in lines
    assert "3 of 6 pages within 2 × their time at 10,000." in text


def test_without_a_baseline_the_section_says_so(tmp_path):
    text = render_scale(
        [measured("Solutions catalog", 10.0)], [], read_baseline(tmp_path / "missing.md"), 100_000
    )

    assert "No 10,000-solution document with a table to compare with" in text

from io import StringIO

import pytest
from django.core.management import call_command

from marketplace.demo.bench.rows import Row, percentile
from marketplace.management.commands.bench import Command

pytestmark = pytest.mark.django_db


def test_bench_prints_one_table_and_writes_the_report(tmp_path):
    report = tmp_path / "performance.md"
    out, err = StringIO(), StringIO()

    call_command(
        "bench",
        "--current-database",
        "--solutions=3",
        "--requests=1",
        "--warmups=0",
        "--http-seconds=0",
        f"--output={report}",
        stdout=out,
        stderr=err,
    )

    lines = out.getvalue().splitlines()
    # the whole default register (marketplace/demo/bench/database.py loads it)
    assert lines[0].startswith(
        "3 published solutions (4 in all), 10 vendors, 8 pilots, 13,004 municipalities, "
    )
    assert lines[2] == "| Page | URL | Status | Median ms | p95 ms | SQL queries | Bytes | Target | Met |"
    rows = {line.split(" | ")[0].lstrip("| "): line.split(" | ") for line in lines[4:29]}
    assert list(rows) == [
        "Floor: minimal Django view",
        "Solutions catalog",
        "… filtered (category + size)",
        "… filtered, another combination each request",
        "… searched (q=Parkplatz)",
        "… searched, another word each request",
        "… HTMX partial",
        "Solution detail",
        "Compare (4 solutions)",
        "Pilots catalog",
        "Municipalities catalog",
        "… filtered (Land + size)",
        "… searched (q=Neustadt)",
        "Municipality profile (a Gemeinde with references)",
        "Municipality profile (a Kreis)",
        "Municipality autocomplete (q=Neu)",
        "Home",
        "API: 100 solutions",
        "API: 100 solutions, filtered",
        "Filtered catalog, first request after a publish",
        "Solutions catalog, first request after a publish",
        "Solution detail, first request after a publish",
        "Home, first request after a publish",
        "Filtered catalog, first request after an unannounced change",
        "Solution detail, first request after an unannounced change",
    ]
    assert lines[29] == ""
    assert rows["API: 100 solutions"][1] == "`/api/v1/solutions/?page_size=100`"
    [export] = [line for line in lines if line.startswith("Export of all published solutions as JSON")]
    assert "3 rows" in export and "peak memory growth" in export and export.endswith(": yes.")
    assert rows["… searched (q=Neustadt)"][1] == "`/kommunen/?q=Neustadt`"
    assert rows["Municipality autocomplete (q=Neu)"][1] == "`/kommunen/finden/?q=Neu (HX-Request)`"
    assert rows["Municipality profile (a Kreis)"][1].startswith("`/kommunen/")
    floor = rows["Floor: minimal Django view"]
    assert (floor[1], floor[2], floor[5], floor[6]) == ("`/__bench__/floor/`", "200", "0", "2")
    assert rows["… filtered (category + size)"][1] == "`/loesungen/?category=mobilitaet&size=mittelstadt`"
    combinations = rows["… filtered, another combination each request"]
    assert combinations[1].startswith("`/loesungen/?category=") and combinations[1].endswith(
        "&size=landgemeinde …`"
    )
    assert rows["Compare (4 solutions)"][1].startswith("`/loesungen/vergleich/?s=")
    assert all(row[2] == "200" for row in rows.values())
    text = report.read_text(encoding="utf-8")
    assert text.startswith("# Performance\n")
    assert out.getvalue().strip() in text


def test_bench_marks_pages_that_do_not_answer_and_judges_the_partial(db):
    rows = [
        Row(
            "Solutions catalog",
            "/loesungen/",
            target_ms=25,
            status=200,
            median_ms=20.0,
            queries=8,
            size=10_000,
        ),
        Row(
            "… HTMX partial", "/loesungen/", headers={"HX-Request": "true"}, status=200, queries=7, size=5_000
        ),
        Row("Pilots catalog", "/pilotprojekte/", status=501),
        # Another htmx row is judged by its own target, not as the partial of the solutions catalog.
        Row(
            "Municipality autocomplete (q=Neu)",
            "/kommunen/finden/?q=Neu",
            headers={"HX-Request": "true"},
            target_ms=50,
            status=200,
            median_ms=12.0,
            queries=1,
            size=3_000,
        ),
    ]

    lines = Command().render(rows, requests=30, warmups=3).splitlines()

    assert lines[4].endswith("| median ≤ 25 ms, ≤ 12 queries | yes |")
    assert lines[5].endswith("| ≤ 12 queries, ≤ 40% of the page's bytes (50.0%) | **no** |")
    assert lines[6].endswith("| **501** | 0.0 | 0.0 | 0 | 0 | ≤ 12 queries | not measured: status 501 |")
    assert lines[7].endswith("| median ≤ 50 ms, ≤ 12 queries | yes |")


def test_percentile_uses_nearest_rank():
    values = [float(v) for v in range(1, 21)]

    assert percentile(values, 0.95) == 19.0
    assert percentile([3.0], 0.95) == 3.0

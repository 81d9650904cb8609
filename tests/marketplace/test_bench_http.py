"""The HTTP table of `make bench` (issue 17): wrk's output, the server's environment, the table and a short
real run of gunicorn under wrk (skipped where wrk is not installed; `make bench` installs it)."""

import shutil
from pathlib import Path

import dj_database_url
import pytest
from django.db import connections

from marketplace.demo.bench import http, server
from marketplace.demo.bench.http import HttpRow
from marketplace.demo.bench.rows import DEFAULT_OUTPUT, Row, output_for
from marketplace.management.commands.bench import Command

# Verbatim from wrk 4.1.0 (Debian) against a page that answers 404.
WRK_OUTPUT = """Running 1s test @ http://127.0.0.1:8191/nonexistent
  2 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.52ms    2.96ms  13.14ms   55.16%
    Req/Sec   451.45    161.84     0.89k    85.00%
  Latency Distribution
     50%    4.23ms
     75%    7.00ms
     90%    8.29ms
     99%   11.94ms
  899 requests in 1.01s, 456.52KB read
  Non-2xx or 3xx responses: 899
Requests/sec:    893.35
Transfer/sec:    453.65KB
"""

SLOW_WRK_OUTPUT = """Running 2s test @ http://127.0.0.1:8191/slow/
  2 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   612.40ms  301.22ms   1.99s    70.00%
    Req/Sec     3.10      1.20     5.00     80.00%
  Latency Distribution
     50%  850.00us
     75%  700.12ms
     90%    1.20s
     99%    1.99s
  13 requests in 2.00s, 1.20MB read
  Socket errors: connect 0, read 1, write 0, timeout 2
Requests/sec:      6.49
Transfer/sec:    613.10KB
"""


def test_parse_wrk_reads_rate_latency_and_errors():
    assert http.parse_wrk(WRK_OUTPUT) == http.WrkResult(
        requests=899, seconds=1.01, p50_ms=4.23, p99_ms=11.94, non_2xx=899, socket_errors=0
    )
    assert http.parse_wrk(SLOW_WRK_OUTPUT) == http.WrkResult(
        requests=13, seconds=2.0, p50_ms=0.85, p99_ms=1990.0, non_2xx=0, socket_errors=3
    )


def test_rounds_add_up_requests_and_time_and_take_the_median_percentiles():
    rounds = [
        http.WrkResult(requests=200, seconds=2.0, p50_ms=10.0, p99_ms=30.0),
        http.WrkResult(requests=100, seconds=2.0, p50_ms=20.0, p99_ms=90.0, socket_errors=1),
        http.WrkResult(requests=300, seconds=2.0, p50_ms=8.0, p99_ms=25.0, non_2xx=2),
    ]

    combined = http.combine(rounds)

    assert combined == http.WrkResult(
        requests=600, seconds=6.0, p50_ms=10.0, p99_ms=30.0, non_2xx=2, socket_errors=1
    )
    assert combined.requests_per_s == 100.0
    assert [http.rounds_of(s) for s in (10, 3, 2, 1)] == [(5, 2), (2, 2), (1, 2), (1, 1)]


def test_parse_wrk_refuses_output_without_a_rate():
    with pytest.raises(ValueError, match="unexpected wrk output"):
        http.parse_wrk("unable to connect to 127.0.0.1:8191 Connection refused\n")


def test_database_url_keeps_a_unix_socket_and_quoted_password():
    settings_dict = {
        "NAME": "marketplace_bench",
        "USER": "postgres",
        "PASSWORD": "p@ss/word",
        "HOST": "/tmp/scm-pg-0123456789/run",
        "PORT": "5432",
        "OPTIONS": {"sslmode": "prefer", "pool": {"min_size": 1}},
    }

    parsed = dj_database_url.parse(server.database_url(settings_dict))

    assert (parsed["NAME"], parsed["USER"], parsed["PASSWORD"], parsed["HOST"], parsed["PORT"]) == (
        "marketplace_bench",
        "postgres",
        "p@ss/word",
        "/tmp/scm-pg-0123456789/run",
        5432,
    )
    assert parsed["OPTIONS"] == {"sslmode": "prefer"}


def test_server_environment_is_production_without_limits():
    env = server.server_environment({"NAME": "marketplace_bench", "HOST": "/tmp/run", "PORT": "5432"})

    assert (env["DEBUG"], env["ALLOWED_HOSTS"], env["SECURE_SSL_REDIRECT"]) == ("0", "127.0.0.1", "0")
    assert env["DATABASE_URL"] == "postgres://%2Ftmp%2Frun:5432/marketplace_bench"
    assert len(env["SECRET_KEY"]) == 64
    assert env["SECRET_KEY"] != server.server_environment({"NAME": "x"})["SECRET_KEY"]
    assert int(env["API_LIMIT"]) >= 10**9


def test_http_rows_take_the_in_process_addresses_in_the_issue_order():
    rows = [Row("Solutions catalog", "/loesungen/"), Row("Home", "/")]

    table = http.http_rows(rows)

    assert [(row.label, row.path, row.target_share) for row in table] == [
        ("Floor: minimal Django view", "/__bench__/floor/", None),
        ("Floor: base layout only", "/__bench__/layout/", None),
        ("Solutions catalog", "/loesungen/", 0.70),
        ("… filtered (category + size)", "", 0.70),
        ("… searched (q=Parkplatz)", "", 0.50),
        ("Home", "/", 0.70),
        ("Solution detail", "", None),
        ("Pilots catalog", "", None),
        ("Municipalities catalog", "", None),
        ("API: 100 solutions", "", None),
    ]


def test_render_http_judges_each_page_against_the_layout_floor():
    def row(label, rate, target=None, **values):
        return HttpRow(label, "/x/", target_share=target, status=200, requests_per_s=rate, **values)

    table = [
        row("Floor: base layout only", 400.0, p50_ms=9.5, p99_ms=20.25),
        row("Catalog", 300.0, 0.70),
        row("Search", 180.0, 0.50),
        row("Home", 320.0, 0.70, non_2xx=2, socket_errors=1),
        HttpRow("Pilots", "/pilotprojekte/", status=404),
        HttpRow("API: 100 solutions", ""),
    ]

    lines = http.render_http(table, [(11, 102_400, 110_592)], seconds=10, warmup_seconds=2).splitlines()

    assert lines[0] == "### Over HTTP (issue 17)"
    assert lines[4] == "| Floor: base layout only | `/x/` | 400.0 | 100% | 9.5 | 20.2 | 0 | – | – |"
    assert lines[5] == "| Catalog | `/x/` | 300.0 | 75% | 0.0 | 0.0 | 0 | ≥ 70% of the layout | yes |"
    assert lines[6] == "| Search | `/x/` | 180.0 | 45% | 0.0 | 0.0 | 0 | ≥ 50% of the layout | **no** |"
    assert lines[7] == (
        "| Home | `/x/` | 320.0 | 80% | 0.0 | 0.0 | **3** (2 non-2xx, 1 socket) | ≥ 70% of the layout "
        "| **no** |"
    )
    assert lines[8] == "| Pilots | `/pilotprojekte/` | – | – | – | – | – | – | not measured: status 404 |"
    assert lines[9] == "| API: 100 solutions | – | – | – | – | – | – | – | not measured: no URL |"
    assert lines[-1] == (
        "Memory per worker after the HTTP runs (VmRSS now, VmHWM peak, from /proc): pid 11: 100 MB now, "
        "108 MB peak."
    )


def test_other_sizes_get_their_own_database_and_document():
    assert output_for(10_000) == DEFAULT_OUTPUT
    assert output_for(100_000) == DEFAULT_OUTPUT.with_name("performance-100k.md")
    assert output_for(2_500) == DEFAULT_OUTPUT.with_name("performance-2500.md")
    assert Command.bench_database_name("marketplace") == "marketplace_bench"
    assert Command.bench_database_name("marketplace", 100_000) == "marketplace_bench_100000"
    assert Command.bench_database_name("marketplace_bench", 100_000) == "marketplace_bench_100000"
    text = Command().document("TABLE", solutions=100_000)
    assert text.startswith("# Performance\n\nThis file holds the run with `--solutions 100000`")
    assert "\n## Latest run\n\nTABLE\n" in text
    assert "This file holds" not in Command().document("TABLE")


def gone(pid: int) -> bool:
    """Ended (a zombie waiting for a parent that does not reap counts as ended)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "\nState:\tZ" in status


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed (make bench installs it)")
@pytest.mark.django_db(transaction=True)
def test_measure_http_loads_the_floors_under_gunicorn_and_stops_it():
    rows = [Row("Solutions catalog", "/loesungen/"), Row("Home", "/does-not-exist/")]

    table, memory = http.measure_http(rows, seconds=1, warmup_seconds=0, port=8191)

    measured = {row.label: row for row in table}
    for label in ("Floor: minimal Django view", "Floor: base layout only", "Solutions catalog"):
        row = measured[label]
        assert (row.status, row.errors, row.note) == (200, 0, ""), label
        assert row.requests_per_s > 0 and 0 < row.p50_ms <= row.p99_ms, label
    assert (measured["Home"].status, measured["Home"].requests_per_s) == (404, 0.0)
    assert measured["Pilots catalog"].note == "no URL"
    assert len(memory) == server.WORKERS
    assert all(0 < rss <= hwm for _pid, rss, hwm in memory)
    assert all(gone(pid) for pid, _rss, _hwm in memory)
    # the test's own database, which the server was pointed at
    assert connections["default"].settings_dict["NAME"].startswith("test_")


@pytest.mark.django_db(transaction=True)
def test_server_stops_its_process_group_when_interrupted():
    # No collectstatic: the server is ready when the floor (no template, no static file) answers.
    env = server.server_environment(connections["default"].settings_dict)

    with pytest.raises(KeyboardInterrupt), server.Server(env, 8192) as running:
        workers = running.workers()
        assert len(workers) == server.WORKERS
        master = running.process.pid
        raise KeyboardInterrupt

    assert running.process.returncode is not None
    assert gone(master) and all(gone(pid) for pid in workers)

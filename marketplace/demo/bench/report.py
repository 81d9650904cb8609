"""The benchmark's table and the performance document it writes."""

import datetime as dt
import os
import platform

import django
from django.db import connections

from municipalities.models import Municipality
from pilots.models import PilotProject, Reference
from solutions.models import Solution, Vendor

from .rows import DEFAULT_SOLUTIONS, PARTIAL_SHARE, Row


class BenchReportMixin:
    def counts_line(self) -> str:
        return (
            f"{Solution.objects.published().count():,} published solutions "
            f"({Solution.objects.count():,} in all), {Vendor.objects.count():,} vendors, "
            f"{PilotProject.objects.count():,} pilots, {Municipality.objects.count():,} municipalities, "
            f"{Reference.objects.count():,} references"
        )

    def render(self, rows: list[Row], *, requests: int, warmups: int) -> str:
        full = next((r for r in rows if r.label == "Solutions catalog"), None)
        lines = [
            self.counts_line(),
            "",
            "| Page | URL | Status | Median ms | p95 ms | SQL queries | Bytes | Target | Met |",
            "|---|---|---:|---:|---:|---:|---:|---|---|",
        ]
        for row in rows:
            targets, verdicts = [], []
            if row.target_ms is not None:
                targets.append(f"median ≤ {row.target_ms:g} ms")
                verdicts.append(row.median_ms <= row.target_ms)
            if row.max_queries is not None:
                targets.append(f"≤ {row.max_queries} queries")
                verdicts.append(row.queries <= row.max_queries)
            # The partial of the solutions catalog against its full page (not other htmx rows, e.g. the
            # autocomplete, which have no full page of the same address).
            if row.headers.get("HX-Request") and full is not None and row.path == full.path:
                share = row.size / full.size if full.size else 0.0
                targets.append(f"≤ {PARTIAL_SHARE:.0%} of the page's bytes ({share:.1%})")
                verdicts.append(row.ok and full.ok and share <= PARTIAL_SHARE)
            if not row.ok:
                met = f"not measured: {row.note or f'status {row.status}'}"
            elif not verdicts:
                met = "–"
            else:
                met = "yes" if all(verdicts) else "**no**"
            if row.status is None:
                status = "**error**" if row.note else "–"
            else:
                status = str(row.status) if row.ok else f"**{row.status}**"
            shown_path = row.path.replace("|", "\\|") or "–"
            if row.paths:
                shown_path += " …"
            if row.headers:
                shown_path += " (HX-Request)"
            lines.append(
                f"| {row.label} | `{shown_path}` | {status} | {row.median_ms:.1f} | {row.p95_ms:.1f} | "
                f"{row.queries} | {row.size:,} | {', '.join(targets) or '–'} | {met} |"
            )
        pg_version = connections["default"].pg_version
        lines += [
            "",
            f"Median and p95 of {requests} requests after {warmups} warm-ups, in-process through Django's "
            f"test client with DEBUG off; SQL queries and bytes of one request. "
            f"Non-200 rows are not measured. "
            f"Python {platform.python_version()}, Django {django.get_version()}, PostgreSQL "
            f"{pg_version // 10000}.{pg_version % 10000}, {os.cpu_count()} CPUs, "
            f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC.",
        ]
        return "\n".join(lines)

    def document(self, table: str, *, solutions: int = DEFAULT_SOLUTIONS) -> str:
        scale = ""
        if solutions != DEFAULT_SOLUTIONS:
            scale = (
                f"\nThis file holds the run with `--solutions {solutions}` (`make bench "
                f'BENCH_ARGS="--solutions {solutions}"`), in its own database (the configured name plus '
                f"`_bench_{solutions}`), so the {DEFAULT_SOLUTIONS:,} database and `docs/performance.md` "
                f"stay as they are.\n"
            )
        return f"""# Performance
{scale}
`make bench` runs `manage.py migrate` and then `manage.py bench`. The benchmark uses its own database (the
configured database name plus `_bench`, created if missing), migrates it, loads the whole register of
municipalities (`load_default_register`: about 13,000 Länder, Kreise, Verbände and Gemeinden) and seeds it
with `seed_demo --solutions 10000 --without-triggers` (no history rows or foreign-key checks while loading,
one new content version at the end) unless it already holds 10,000 published demo solutions on that register
(with proportionate vendors, pilot projects and references at the Kreise, kreisfreie Städte and 60 other
municipalities). The configured database is never touched. Another size (`--solutions 100000`) gets a
database of its own (`_bench_100000`) and writes `docs/performance-100k.md`; the time the seed took is
printed under the table when this run seeded.

For every page it sends 3 untimed warm-up requests and one request whose SQL queries are counted
(`CaptureQueriesContext`) and whose response bytes are measured. Then it times 30 requests per page, taking
the pages in turns (one request each, round after round) so that a slow spell of a shared machine weighs on
every row alike; the table shows the median and the 95th percentile (nearest rank) of the server time. The
rows "first request after a publish" and "after an unannounced change" come last, one after the other (see
below). Requests go through Django's test client in the same process, so the time includes URL routing, all
middleware, the view, the queries and template rendering, but no network or WSGI server. `DEBUG` is off
during the measurement, and so is the page cache (`PAGE_CACHE`, `marketplace/catalog/pagecache.py`): every
request of this table renders its page, so it shows what a page costs to make. The first row is a minimal
view (no template, no query) behind the same middleware: the floor, so a reader can tell a slow machine from
slow code. Rows whose page does not answer 200 are marked and not judged. The SQL queries counted are the
request's own: outside a transaction the content version is read on a connection of its own
(`marketplace/catalog/version.py`), one more tiny query per request that this column does not show.

The HTTP table (issue 17, `marketplace/demo/bench/http.py`) comes last. It runs `collectstatic` and starts
the production server on the benchmark database: gunicorn with `marketplace.demo.bench_wsgi` (the site's
URLs plus the two floor pages), 2 sync workers, `DEBUG` off, whitenoise with the manifest storage, a random
`SECRET_KEY`, the API and export limits lifted, on 127.0.0.1, with the page cache on as in production: after
its first request a catalog page or the home page is served from its kept copy until the data changes. Each
page gets one request to check that it
answers 200 and a warm-up under load (a fifth of the measured time, at least 1 s); then `wrk -t2 -c4
--latency` loads the pages in turns, 2 s each, round after round (five rounds for the default
`--http-seconds 10`), so that a slow spell of the shared machine weighs on every row and on the floor alike.
A row shows its requests per second over all rounds, the median of its rounds' 50th and 99th percentile
latencies, and the non-2xx/3xx responses and socket errors. Its second floor, `/__bench__/layout/`, renders
only the base layout (header, navigation, footer): what a server-rendered page of this site cannot go below,
and what the targets compare with. After the last page the line under the table gives each worker's resident
memory now and at its peak (VmRSS and VmHWM from `/proc/<pid>/status`). wrk runs on the same machine and
takes CPU from the workers, so the numbers are for comparing the rows of one run, not a capacity. `make
bench` installs wrk (the Debian package) when it is missing.

Options: `--solutions N` (size, default 10,000), `--requests` (30), `--warmups` (3), `--output FILE` (this
file; `-` for none), `--http-seconds` (10 s of load per page; 0 skips the HTTP table), `--http-port` (any
free port); `make bench BENCH_ARGS="..."` passes them. `-v 2` also lists each page's three slowest SQL
queries on stderr, which shows where the time goes. `--current-database` measures (and seeds) the
configured database instead; the tests use it.

Targets (issue 3), with 10,000 published solutions on a 2-core machine: solutions catalog median at most
25 ms, filtered at most 30 ms, search at most 40 ms, solution detail at most 15 ms; at most 12 SQL queries per
page; the HTMX partial at most 40 % of the full page's bytes. Issue 12, with the whole register as well: the
municipalities catalog (plain, filtered, searched), a profile and the autocomplete each at most 50 ms.
Issue 13: the comparison of four solutions at most 30 ms. Issue 14: a page of 100 solutions from the API at
most 50 ms; exporting every published solution (JSON, streamed) with a peak memory growth under 50 MB,
measured with `tracemalloc` around one whole export after the catalog's caches are warm
(`marketplace/demo/bench/opendata.py`). Issue 15: the search-quality benchmark below
(`marketplace/demo/bench/search.py`): recall@20 at least 95 % for typos and 90 % for compound parts and
abbreviations, no query over 60 ms median. Issue 17, over HTTP in the same run: the solutions catalog (plain
and filtered) and home at least 70 % of the layout floor's requests per second, the search at least 50 %,
without errors; the first request after a publish at most 60 ms (median); at 100,000 solutions every page at
most twice its time at 10,000.

## Latest run

{table}

## Reading the numbers
- In this table every catalog request counts all options from the facet index (`docs/architecture.md`,
  "Performance: the facet index and the content version"); the row "another combination each request"
  cycles through 24 filter states (six fields of action times four size classes) to show it. In production
  (and the HTTP table) a page rendered once is kept per address, language, chosen municipality and content
  version, and later requests render only the layout around it (`docs/architecture.md`, "Kept pages").
- A solutions search keeps its ranked matches until the data changes, so ticking facets or turning pages
  within one search does not search again; the repeated "q=Parkplatz" row measures that. The row "another
  word each request" searches 40 different words from the solutions' titles, each for the first time.
- What the warm rows reuse is built once per content version and process: the facet index, the facet choices
  read from the database and the solution detail body. Before each request of the "first request after a
  publish" rows (not timed) a published demo solution is taken off the catalog and published again through
  the editors' service (`publish_many`); its commit rebuilds the three catalogs' facet indexes at once
  (`marketplace/catalog/warm.py`; in a web request after the response is sent), so the visitor's request
  reads the new index instead of building it. The rows "after an unannounced change" make a committed
  update nobody is told of (a category, by `QuerySet.update`; its trigger gives the content version a new
  value), so their request rebuilds everything itself; their queries include the rebuild.
- Facet checkboxes are a template (about +1.3 ms per catalog page); the 20 solution and pilot cards are built
  by template tags in Python, because as templates they cost 3.1–4.7 ms against 0.7 ms per page, more than
  the 2 ms a page may pay for templates (measured in-process on this benchmark database).
- A search adds the full-text probe and one query that finds, ranks and sorts all its matches (which also
  tells the facet index what the search found); the page's 20 rows are then read by key with their
  highlighted snippets. That is SQL work no cache saves.
- The municipalities catalog lists the whole register (about 13,000 rows). Its facets, the 400 Kreise
  included, are counted from the facet index like the other catalogs'; its rows are read by key from every
  row's key kept in the chosen order per content version (`marketplace/catalog/ordering.py`), so no request
  sorts the register, and its 24 rows are built by a template tag (as a template they took about 5 ms). Its
  search and the autocomplete match names with `~*` and `%>`, which the trigram index serves; as
  `UPPER(name) LIKE` every search read all rows (about 45 ms). Measured in-process on a copy of the benchmark
  database (12,608 rows) before these changes: catalog 19–23 ms, "Neustadt" searched 57–95 ms; after: 16,
  20 and 22 ms for the three catalog rows, 19 ms for the autocomplete.
- The search-quality section (issue 15, `marketplace/demo/bench/search.py`, `docs/search.md`) makes its
  queries from the benchmark's own solutions with a fixed seed: typos of distinctive title words (one letter
  deleted, two swapped, one doubled, one replaced), parts of compounds, synonyms and abbreviations, and pairs
  of title words. Recall@20 is the share of each query's relevant solutions (at most 20) on the first page in
  relevance order; the time is what the catalog asks for a search it has not seen (lexicon lookup, full-text
  probe, every match ranked), the median of five runs per query.
- At another size (`--solutions 100000`) the last section puts each page's median (and over HTTP its
  requests per second) next to the same row of `docs/performance.md` (`marketplace/demo/bench/scale.py`);
  a page may take at most twice its time at 10,000. What reads every row of a catalog grows with it and is
  kept out of the visitor's way: the facet indexes, the home page's figures (`marketplace/views.py`,
  `public_figures`) are computed after a publish's commit; the pilots catalog's default order is an index
  (`pilot_published_by_start`); a solution's similar solutions, which score every solution sharing a field of
  action, are kept by key for a day across content versions (`solutions/views.py`). The rows "after an
  unannounced change" rebuild the solutions catalog's whole index in the request, which grows with the rows.
- On a shared 2-core virtual machine the same run varies by up to a third from run to run; compare the rows
  with the floor of the same run.
"""

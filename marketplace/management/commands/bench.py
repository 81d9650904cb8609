"""``manage.py bench``: server time, SQL queries and bytes of the main pages with 10,000 solutions.

Runs against a separate database (the configured name + ``_bench``), created, migrated and seeded on first
use, so the data of the configured database is never touched. Requests go through Django's test client
in-process (all middleware, no network), with DEBUG off. See docs/performance.md.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import math
import os
import platform
import re
import statistics
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import django
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.db.models import Count, F
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import NoReverseMatch, reverse

from marketplace.demo.seed import analyze
from municipalities.models import Municipality, SizeClass
from pilots.models import PilotProject, Reference
from solutions.models import Category, Solution, Vendor

BENCH_SUFFIX = "_bench"
DEFAULT_OUTPUT = Path(settings.BASE_DIR) / "docs" / "performance.md"
MAX_QUERIES = 12
PARTIAL_SHARE = 0.40


@dataclass
class Row:
    label: str
    path: str
    headers: dict = field(default_factory=dict)
    target_ms: float | None = None
    max_queries: int | None = MAX_QUERIES
    status: int | None = None
    median_ms: float = 0.0
    p95_ms: float = 0.0
    queries: int = 0
    size: int = 0
    note: str = ""
    verdicts: list[bool] = field(default_factory=list)
    # Several URLs requested in turn instead of ``path`` (shown as the first one and "…").
    paths: tuple[str, ...] = ()
    # Every request after a data change: nothing computed for an older data version is reused.
    cold: bool = False

    @property
    def ok(self) -> bool:
        return self.status == 200


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _url(name: str, **kwargs) -> str:
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


class Command(BaseCommand):
    help = "Measure server time, SQL queries and response bytes of the main pages at scale (make bench)."
    # No system checks: they could open the configured database before we switch to the benchmark one.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--solutions", type=int, default=10_000, help="published demo solutions (10,000)")
        parser.add_argument("--requests", type=int, default=30, help="timed requests per page (30)")
        parser.add_argument("--warmups", type=int, default=3, help="untimed requests before timing (3)")
        parser.add_argument(
            "--output", default=str(DEFAULT_OUTPUT), help="Markdown file to write ('-' for none)"
        )
        parser.add_argument(
            "--current-database",
            action="store_true",
            help="measure the configured database itself instead of NAME_bench (for tests; it gets seeded)",
        )

    def handle(self, *args, solutions, requests, warmups, output, current_database, **options):
        self.verbosity = options["verbosity"]
        if solutions < 1 or requests < 1 or warmups < 0:
            raise CommandError("--solutions and --requests must be positive, --warmups not negative.")
        if not current_database:
            self.switch_to_bench_database()
            call_command("migrate", interactive=False, verbosity=0)
        published = Solution.objects.published().filter(is_demo=True).count()
        if published != solutions:
            self.stderr.write(f"Seeding the benchmark database with {solutions:,} solutions ...")
            started = time.perf_counter()
            call_command("seed_demo", solutions=solutions, stdout=self.stderr)
            self.stderr.write(f"... seeded in {time.perf_counter() - started:.0f} s")

        analyze()
        rows = self.measure(requests=requests, warmups=warmups)
        text = self.render(rows, requests=requests, warmups=warmups)
        self.stdout.write(text)
        if output != "-":
            Path(output).write_text(self.document(text), encoding="utf-8")
            self.stderr.write(f"Written to {output}")

    # -- database ----------------------------------------------------------------------------------------
    def switch_to_bench_database(self) -> None:
        connection = connections["default"]
        name = connection.settings_dict["NAME"]
        if not name.endswith(BENCH_SUFFIX):
            name += BENCH_SUFFIX
        self.create_database(connection.settings_dict, name)
        connection.close()
        if hasattr(connection, "close_pool"):
            connection.close_pool()
        connection.settings_dict["NAME"] = name
        settings.DATABASES["default"]["NAME"] = name
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_database()")
            (current,) = cursor.fetchone()
        if current != name:  # never seed or measure anything but the benchmark database
            raise CommandError(f"Expected to be connected to {name}, but the database is {current}.")

    @staticmethod
    def create_database(settings_dict: dict, name: str) -> None:
        """CREATE DATABASE through the ``postgres`` maintenance database unless it exists."""
        import psycopg
        from psycopg import sql

        params = {
            key: value
            for key, value in {
                "user": settings_dict.get("USER"),
                "password": settings_dict.get("PASSWORD"),
                "host": settings_dict.get("HOST"),
                "port": settings_dict.get("PORT"),
            }.items()
            if value
        }
        for key in ("sslmode", "sslrootcert", "sslcert", "sslkey", "passfile", "service"):
            if key in settings_dict.get("OPTIONS", {}):
                params[key] = settings_dict["OPTIONS"][key]
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    # -- measurement -------------------------------------------------------------------------------------
    def pages(self) -> list[Row]:
        category = Category.objects.filter(slug="mobilitaet").first() or Category.objects.first()
        detail = (
            Solution.objects.published()
            .annotate(n=Count("references"))
            .filter(n__gte=3)
            .order_by("slug")
            .first()
            or Solution.objects.published().order_by("slug").first()
        )
        catalog = _url("solutions:list")
        filtered = f"{catalog}?category={category.slug if category else ''}&size=mittelstadt"
        # 24 other filter states: six fields of action times the four size classes
        combinations = tuple(
            f"{catalog}?category={slug}&size={size}"
            for slug in Category.objects.order_by("slug").values_list("slug", flat=True)[:6]
            for size in SizeClass.values
        )
        # 40 other searches: words of the solutions' titles (after the product name)
        titles = Solution.objects.published().order_by("pk").values_list("title", flat=True)[:3000]
        words = sorted({w for t in titles for w in re.findall(r"[^\W\d_]{5,}", t.split(" – ")[-1])})[:40]
        searches = tuple(f"{catalog}?{urlencode({'q': word})}" for word in words)
        detail_url = _url("solutions:detail", slug=detail.slug) if detail else ""
        return [
            Row("Floor: minimal Django view", _url("bench_floor"), target_ms=None, max_queries=None),
            Row("Solutions catalog", catalog, target_ms=25),
            Row("… filtered (category + size)", filtered, target_ms=30),
            Row(
                "… filtered, another combination each request",
                combinations[0] if combinations else "",
                target_ms=30,
                paths=combinations,
            ),
            Row("… searched (q=Parkplatz)", f"{catalog}?q=Parkplatz", target_ms=40),
            Row(
                "… searched, another word each request",
                searches[0] if searches else "",
                target_ms=40,
                paths=searches,
            ),
            Row("… HTMX partial", catalog, headers={"HX-Request": "true"}),
            Row("Solution detail", detail_url, target_ms=15),
            Row("Pilots catalog", _url("pilots:list"), target_ms=None),
            Row("Home", _url("home"), target_ms=None),
            Row("Filtered catalog, first request after a data change", filtered, cold=True),
            Row("Solution detail, first request after a data change", detail_url, cold=True),
        ]

    @staticmethod
    def change_data() -> None:
        """A committed write to a content table (a no-op update), so the content version moves on at once."""
        category = Category.objects.order_by("pk").first()
        if category is not None:
            Category.objects.filter(pk=category.pk).update(slug=F("slug"))

    def measure(self, *, requests: int, warmups: int) -> list[Row]:
        storages = settings.STORAGES
        manifest = Path(settings.STATIC_ROOT or "") / "staticfiles.json"
        if "Manifest" in storages["staticfiles"]["BACKEND"] and not manifest.exists():
            # Without collectstatic the manifest storage cannot resolve {% static %}; lookups cost the same.
            storages = {
                **storages,
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            }
        overrides = {
            "DEBUG": False,
            "ROOT_URLCONF": "marketplace.demo.bench_urls",
            "ALLOWED_HOSTS": ["testserver"],
            "STORAGES": storages,
        }
        request_logger = logging.getLogger("django.request")
        with override_settings(**overrides), warnings.catch_warnings():
            # Pages still being built answer 501/404, logged once per request; the table reports them.
            warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
            request_logger.disabled, was_disabled = True, request_logger.disabled
            try:
                rows = self._measure(requests=requests, warmups=warmups)
            finally:
                request_logger.disabled = was_disabled
        return rows

    def _measure(self, *, requests: int, warmups: int) -> list[Row]:
        try:
            rows = self.pages()
        except ImportError as exc:
            raise CommandError(f"The site's URLconf does not load, nothing to measure: {exc}") from exc
        client = Client(raise_request_exception=False)
        connection = connections["default"]
        requesters = {}
        for row in rows:
            if not row.path:
                row.note = "no URL"
                continue
            paths = itertools.cycle(row.paths or [row.path])

            def get(row=row, paths=paths):
                return client.get(next(paths), headers=row.headers, secure=True)

            try:
                for _ in range(warmups):
                    get()
                if row.cold:
                    self.change_data()
                with CaptureQueriesContext(connection) as captured:
                    response = get()
            except Exception as exc:  # noqa: BLE001 - a page that crashes (even its 500 page) is a table row
                row.note = f"{type(exc).__name__}: {exc}"[:80].replace("|", "/")
                continue
            row.status = response.status_code
            row.queries = len(captured.captured_queries)
            if self.verbosity >= 2:
                self.report_queries(row, captured.captured_queries)
            row.size = len(b"".join(response.streaming_content) if response.streaming else response.content)
            requesters[row.label] = get
        timings: dict[str, list[float]] = {label: [] for label in requesters}

        def timed(row: Row) -> None:
            started = time.perf_counter()
            requesters[row.label]()
            timings[row.label].append((time.perf_counter() - started) * 1000)

        # Warm pages in turns (one request each, round after round): a slow spell of a shared machine then
        # weighs on every row alike instead of on whichever page was being measured.
        warm = [row for row in rows if row.label in requesters and not row.cold]
        for _ in range(requests):
            for row in warm:
                timed(row)
        # Each "after a data change" request changes the data first, which would turn the next request of
        # any other page cold as well: these rows come last, one after the other.
        for row in rows:
            if row.label in requesters and row.cold:
                for _ in range(requests):
                    self.change_data()  # not timed
                    timed(row)
        for row in rows:
            if timings.get(row.label):
                row.median_ms = statistics.median(timings[row.label])
                row.p95_ms = percentile(timings[row.label], 0.95)
        return rows

    def report_queries(self, row: Row, queries: list[dict]) -> None:
        """With -v 2: each page's slowest queries on stderr, to see where the time goes."""
        self.stderr.write(f"{row.label} ({row.path}): {len(queries)} queries")
        for query in sorted(queries, key=lambda q: float(q["time"]), reverse=True)[:3]:
            self.stderr.write(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:400]}")

    # -- output ------------------------------------------------------------------------------------------
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
            if row.headers.get("HX-Request") and full is not None:
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

    def document(self, table: str) -> str:
        return f"""# Performance

`make bench` runs `manage.py migrate` and then `manage.py bench`. The benchmark uses its own database (the
configured database name plus `_bench`, created if missing), migrates it and seeds it with
`seed_demo --solutions 10000` unless it already holds 10,000 published demo solutions (with proportionate
vendors, pilot projects and references, and all 401 districts and district-free cities). The configured
database is never touched.

For every page it sends 3 untimed warm-up requests and one request whose SQL queries are counted
(`CaptureQueriesContext`) and whose response bytes are measured. Then it times 30 requests per page, taking
the pages in turns (one request each, round after round) so that a slow spell of a shared machine weighs on
every row alike; the table shows the median and the 95th percentile (nearest rank) of the server time. The two
rows "first request after a data change" come last, one after the other (see below). Requests go through
Django's test client in the same process, so the time includes URL routing, all middleware, the view, the
queries and template rendering, but no network or WSGI server. `DEBUG` is off during the measurement. The
first row is a minimal view (no template, no query) behind the same middleware: the floor, so a reader can
tell a slow machine from slow code. Rows whose page does not answer 200 are marked and not judged.

Options: `--solutions N` (size, default 10,000), `--requests` (30), `--warmups` (3), `--output FILE` (this
file; `-` for none); `-v 2` also lists each page's three slowest SQL queries on stderr, which shows where the
time goes. `--current-database` measures (and seeds) the configured database instead; the tests use it.

Targets (issue 3), with 10,000 published solutions on a 2-core machine: solutions catalog median at most
25 ms, filtered at most 30 ms, search at most 40 ms, solution detail at most 15 ms; at most 12 SQL queries per
page; the HTMX partial at most 40 % of the full page's bytes.

## Latest run

{table}

## Reading the numbers
- Facet counts are not cached per URL: every catalog request counts all options from the facet index
  (`docs/architecture.md`, "Performance: the facet index and the data version"). The row "another combination
  each request" cycles through 24 filter states (six fields of action times four size classes) to show it.
- A solutions search keeps its ranked matches until the data changes, so ticking facets or turning pages
  within one search does not search again; the repeated "q=Parkplatz" row measures that. The row "another
  word each request" searches 40 different words from the solutions' titles, each for the first time.
- What the warm rows reuse is built once per data version and process: the facet index, the facet choices
  read from the database and the solution detail body. The two "first request after a data change" rows
  make a committed no-op update of a category before each request (not timed), so every one of them rebuilds
  all of it; their queries include the rebuild.
- A search adds the full-text probe and one query that finds, ranks and sorts all its matches (which also
  tells the facet index what the search found); the page's 20 rows are then read by key with their
  highlighted snippets. That is SQL work no cache saves.
- On a shared 2-core virtual machine the same run varies by up to a third from run to run; compare the rows
  with the floor of the same run.
"""

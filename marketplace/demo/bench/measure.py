"""The pages the benchmark measures and how: warm-ups, counted queries, timed rounds."""

from __future__ import annotations

import itertools
import logging
import re
import statistics
import time
import warnings
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import connections
from django.db.models import Count, F
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from marketplace.choices import EditorialStatus
from marketplace.editorial.services.listings import publish_many
from municipalities.models import Level, Municipality, SizeClass
from solutions.models import Category, Solution

from . import opendata
from .rows import AFTER_PUBLISH_MS, MUNICIPALITY_TARGET_MS, Row, percentile, url


class BenchMeasureMixin:
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
        catalog = url("solutions:list")
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
        detail_url = url("solutions:detail", slug=detail.slug) if detail else ""
        # Four published solutions, those with the most references first (the page counts them).
        compared = Solution.objects.published().annotate(n=Count("references")).order_by("-n", "slug")
        compared = [("s", slug) for slug in compared.values_list("slug", flat=True)[:4]]
        compare_url = f"{url('solutions:compare')}?{urlencode(compared)}" if len(compared) >= 2 else ""
        return [
            Row("Floor: minimal Django view", url("bench_floor"), target_ms=None, max_queries=None),
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
            Row("Compare (4 solutions)", compare_url, target_ms=30),
            Row("Pilots catalog", url("pilots:list"), target_ms=None),
            *self.municipality_pages(),
            Row("Home", url("home"), target_ms=None),
            *opendata.rows(),
            Row(
                "Filtered catalog, first request after a publish",
                filtered,
                cold=True,
                after_publish=True,
                target_ms=AFTER_PUBLISH_MS,
            ),
            Row(
                "Solutions catalog, first request after a publish",
                catalog,
                cold=True,
                after_publish=True,
                target_ms=AFTER_PUBLISH_MS,
            ),
            Row(
                "Solution detail, first request after a publish",
                detail_url,
                cold=True,
                after_publish=True,
                target_ms=AFTER_PUBLISH_MS,
            ),
            Row(
                "Home, first request after a publish",
                url("home"),
                cold=True,
                after_publish=True,
                target_ms=AFTER_PUBLISH_MS,
            ),
            Row("Filtered catalog, first request after an unannounced change", filtered, cold=True),
            Row("Solution detail, first request after an unannounced change", detail_url, cold=True),
        ]

    @staticmethod
    def municipality_pages() -> list[Row]:
        """The municipalities catalog (plain, filtered, searched), two profiles and the autocomplete."""
        catalog = url("municipalities:list")
        with_references = Municipality.objects.annotate(n=Count("references")).filter(n__gte=1)
        gemeinde = with_references.filter(level=Level.GEMEINDE).order_by("-n", "slug").first()
        kreis = (
            with_references.filter(level=Level.KREIS, kind=Municipality.Kind.LANDKREIS)
            .order_by("-n", "slug")
            .first()
            or Municipality.objects.filter(level=Level.KREIS).order_by("slug").first()
        )
        find = url("municipalities:find")
        target = MUNICIPALITY_TARGET_MS
        return [
            Row("Municipalities catalog", catalog, target_ms=target),
            Row("… filtered (Land + size)", f"{catalog}?state=09&size=kleinstadt", target_ms=target),
            Row("… searched (q=Neustadt)", f"{catalog}?q=Neustadt", target_ms=target),
            Row(
                "Municipality profile (a Gemeinde with references)",
                gemeinde.get_absolute_url() if gemeinde else "",
                target_ms=target,
            ),
            Row(
                "Municipality profile (a Kreis)", kreis.get_absolute_url() if kreis else "", target_ms=target
            ),
            Row(
                "Municipality autocomplete (q=Neu)",
                f"{find}?q=Neu" if find else "",
                headers={"HX-Request": "true"},
                target_ms=target,
            ),
        ]

    def make_cold(self, row: Row) -> None:
        """Before a cold row's request: a publish (with its rebuild) or a change nobody is told of."""
        if row.after_publish:
            self.publish_again()
        else:
            self.change_data()

    @staticmethod
    def publish_again() -> None:
        """A real publish: one published demo solution is taken off the catalog (an UPDATE nobody is told of)
        and published again through the editors' service, whose commit rebuilds the catalogs' indexes
        (marketplace/catalog/warm.py) before the next request, as after an editor's publish."""
        solution = Solution.objects.published().filter(is_demo=True).order_by("pk").first()
        if solution is None:
            return
        editor, _created = get_user_model().objects.get_or_create(
            username="bench-editor", defaults={"is_staff": True, "is_superuser": True}
        )
        Solution.objects.filter(pk=solution.pk).update(status=EditorialStatus.SUBMITTED)
        solution.refresh_from_db()
        publish_many([solution], by=editor)

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
            # Every request renders its page: this table shows what a page costs to make; the HTTP table
            # (http.py) serves kept pages as production does (marketplace/catalog/pagecache.py).
            "PAGE_CACHE": False,
            # The publishes of the "after a publish" rows queue e-mails to the vendor: none is kept or sent.
            "TASKS": {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}},
            **opendata.UNLIMITED,
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
                    self.make_cold(row)
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
        # The cold rows' counted requests above changed the data: one more untimed request per page, so the
        # first timed round does not rebuild what every later one reuses.
        for row in warm:
            requesters[row.label]()
        for _ in range(requests):
            for row in warm:
                timed(row)
        # Each "after a data change" request changes the data first, which would turn the next request of
        # any other page cold as well: these rows come last, one after the other.
        for row in rows:
            if row.label in requesters and row.cold:
                for _ in range(requests):
                    self.make_cold(row)  # not timed
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

"""``manage.py bench``: the benchmark of `make bench` (the code is in marketplace/demo/bench/)."""

import time
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from marketplace.demo.bench import http
from marketplace.demo.bench.database import BenchDatabaseMixin
from marketplace.demo.bench.measure import BenchMeasureMixin
from marketplace.demo.bench.opendata import export_memory
from marketplace.demo.bench.report import BenchReportMixin
from marketplace.demo.bench.rows import DEFAULT_OUTPUT, DEFAULT_SOLUTIONS, output_for
from marketplace.demo.bench.scale import read_baseline, render_scale
from marketplace.demo.bench.search import search_quality
from marketplace.demo.seed import analyze
from solutions.models import Solution


class Command(BenchDatabaseMixin, BenchMeasureMixin, BenchReportMixin, BaseCommand):
    help = "Measure server time, SQL queries and response bytes of the main pages at scale (make bench)."
    # No system checks: they could open the configured database before we switch to the benchmark one.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--solutions",
            type=int,
            default=DEFAULT_SOLUTIONS,
            help="published demo solutions (10,000; other sizes: NAME_bench_N, docs/performance-Nk.md)",
        )
        parser.add_argument("--requests", type=int, default=30, help="timed requests per page (30)")
        parser.add_argument("--warmups", type=int, default=3, help="untimed requests before timing (3)")
        parser.add_argument(
            "--output",
            help="Markdown file to write ('-' for none; docs/performance.md, or docs/performance-100k.md "
            "for --solutions 100000)",
        )
        parser.add_argument(
            "--http-seconds",
            type=int,
            default=10,
            help="seconds of wrk load per page in the HTTP table (10; 0 skips the HTTP table)",
        )
        parser.add_argument(
            "--http-port", type=int, default=0, help="port of the benchmark's gunicorn (0: any free port)"
        )
        parser.add_argument(
            "--current-database",
            action="store_true",
            help="measure the configured database itself instead of NAME_bench (for tests; it gets seeded)",
        )

    def handle(
        self,
        *args,
        solutions,
        requests,
        warmups,
        output,
        current_database,
        http_seconds,
        http_port,
        **options,
    ):
        self.verbosity = options["verbosity"]
        if solutions < 1 or requests < 1 or warmups < 0 or http_seconds < 0:
            raise CommandError(
                "--solutions and --requests must be positive, --warmups and --http-seconds not negative."
            )
        output = output or str(output_for(solutions))
        if not current_database:
            self.switch_to_bench_database(solutions)
            call_command("migrate", interactive=False, verbosity=0)
        outdated = self.prepare_register()
        published = Solution.objects.published().filter(is_demo=True).count()
        if published != solutions or outdated:
            self.stderr.write(f"Seeding the benchmark database with {solutions:,} solutions ...")
            started = time.perf_counter()
            call_command("seed_demo", solutions=solutions, without_triggers=True, stdout=self.stderr)
            seeded = time.perf_counter() - started
            self.stderr.write(f"... seeded in {seeded:.0f} s")
            seed_line = f"Seeded in this run: {solutions:,} solutions in {seeded:,.0f} s (`seed_demo`)."
        else:
            seed_line = f"Seed: none in this run (the database held {solutions:,} published solutions)."

        analyze()
        rows = self.measure(requests=requests, warmups=warmups)
        text = self.render(rows, requests=requests, warmups=warmups)
        text += "\n\n" + seed_line
        export_line = export_memory()
        text += "\n\n" + export_line
        text += "\n\n" + search_quality()
        table = []
        if http_seconds:
            warmup_seconds = max(1, http_seconds // 5)
            table, memory = http.measure_http(
                rows,
                seconds=http_seconds,
                warmup_seconds=warmup_seconds,
                port=http_port,
                log=self.stderr.write,
            )
            text += "\n\n" + http.render_http(
                table, memory, seconds=http_seconds, warmup_seconds=warmup_seconds
            )
        if solutions != DEFAULT_SOLUTIONS:
            text += "\n\n" + render_scale(rows, table, read_baseline(DEFAULT_OUTPUT), solutions, export_line)
        self.stdout.write(text)
        if output != "-":
            Path(output).write_text(self.document(text, solutions=solutions), encoding="utf-8")
            self.stderr.write(f"Written to {output}")

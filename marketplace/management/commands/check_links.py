"""Check the external links of every published entry and name the listings not updated for 12 months.

Run it nightly, e.g. from cron: `15 3 * * * cd /srv/marketplace && .venv/bin/python manage.py check_links`
(or enqueue `marketplace.editorial.linkcheck.check_links_task` from a scheduler).
"""

from django.core.management.base import BaseCommand, CommandError

from marketplace.editorial import linkcheck


class Command(BaseCommand):
    help = (
        "Check the external links of published entries (HEAD, then GET) and list broken and stale entries. "
        "Addresses inside the server's network are never requested; they are listed as blocked."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--timeout",
            type=float,
            default=linkcheck.DEFAULT_TIMEOUT,
            help="Seconds allowed per link, for all its requests and redirects together.",
        )
        parser.add_argument("--workers", type=int, default=8, help="Requests in parallel.")

    def handle(self, *args, timeout, workers, **options):
        if timeout <= 0 or workers <= 0:
            raise CommandError("--timeout and --workers must be positive.")
        counts = linkcheck.run_checks(timeout=timeout, workers=workers)
        self.stdout.write(
            f"Checked {counts['checked']} addresses: {counts['broken']} broken; "
            f"{counts['stale']} listings not updated for 12 months."
        )
        for check in linkcheck.broken_link_entries():
            reason = check.error or f"HTTP {check.status_code}"
            self.stdout.write(f"  broken: {check.entry_title} ({check.field}) {check.url} - {reason}")
        for kind, entries in linkcheck.stale_entries().items():
            for entry in entries:
                self.stdout.write(f"  not updated since {entry.updated_at:%Y-%m-%d}: {kind} {entry.title}")

"""Freshness of published entries: their external links are checked, old listings are named.

`run_checks()` asks every external address of the published solutions, the verified vendors and the
published pilot projects with HEAD (GET when a server refuses HEAD) and records one LinkCheck row per entry
and address. How one address is asked, and which addresses are never asked (anything inside the server's
network), is in `fetch.py` and `addresses.py`. `manage.py check_links` runs it; so does the task
`check_links_task` (enqueue it from a scheduler), or a cron line such as

    15 3 * * *  cd /srv/marketplace && .venv/bin/python manage.py check_links

The detail pages show "last checked on …" from a small state file written after each run (through the
storage API), so that line costs no SQL query on pages whose query count is locked.
"""

import json
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from marketplace.editorial.linkcheck.fetch import DEFAULT_TIMEOUT, Result, check_url
from marketplace.editorial.models import LinkCheck
from pilots.models import PilotProject
from solutions.models import Solution, Vendor

__all__ = [
    "DEFAULT_TIMEOUT",
    "Link",
    "Result",
    "broken_link_entries",
    "check_links_task",
    "check_url",
    "last_checked",
    "last_run",
    "published_links",
    "run_checks",
    "stale_entries",
]

STALE_AFTER = timedelta(days=365)
STATE_FILE = "linkcheck/last-run.json"
_WORKERS = 8

SOLUTION_FIELDS = ["website", "source_url", "accessibility_statement_url"]


@dataclass(frozen=True)
class Link:
    entry: object
    field: str
    url: str


def published_links():
    """Every external address of what the public sees: solutions, their vendors, pilot projects."""
    solutions = Solution.objects.published().only("pk", "title", *SOLUTION_FIELDS).order_by("pk")
    for solution in solutions.iterator(chunk_size=500):
        for field in SOLUTION_FIELDS:
            if url := getattr(solution, field):
                yield Link(solution, field, url)
    vendors = (
        Vendor.objects.verified()
        .filter(pk__in=Solution.objects.published().values("vendor_id"))
        .exclude(website="")
        .only("pk", "name", "website")
        .order_by("pk")
    )
    for vendor in vendors:
        yield Link(vendor, "website", vendor.website)
    pilots = PilotProject.objects.published().only("pk", "title").prefetch_related("links").order_by("pk")
    for pilot in pilots:
        for link in pilot.links.all():
            yield Link(pilot, f"link: {link.label}"[:60], link.url)


def run_checks(*, timeout: float = DEFAULT_TIMEOUT, workers: int = _WORKERS) -> dict:
    """Check every published external link and record the results.

    Side effects: one LinkCheck row per entry and address is created or updated (`broken_since` kept
    while a link stays broken); rows of addresses no longer published are deleted; the state file with
    the time of this run is written (the detail pages read it). Each address is requested once per run,
    within `timeout` seconds for all its requests and redirects; addresses inside the server's network are
    not requested but recorded as broken with the reason ("blocked: …").
    Returns the counts: checked, broken, stale (entries not updated for 12 months).
    """
    started = timezone.now()
    links = list(published_links())
    urls = sorted({link.url for link in links})
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        results = dict(zip(urls, pool.map(lambda url: check_url(url, timeout=timeout), urls), strict=True))
    checked_at = timezone.now()
    content_types = ContentType.objects.get_for_models(Solution, Vendor, PilotProject)
    previous = {
        (row.content_type_id, row.object_id, row.url): row.broken_since
        for row in LinkCheck.objects.only("content_type_id", "object_id", "url", "broken_since")
    }
    rows = []
    for link in links:
        result = results[link.url]
        content_type = content_types[type(link.entry)]
        key = (content_type.pk, link.entry.pk, link.url)
        rows.append(
            LinkCheck(
                content_type=content_type,
                object_id=link.entry.pk,
                entry_title=str(link.entry)[:220],
                field=link.field,
                url=link.url,
                status_code=result.status_code,
                error=result.error,
                is_broken=result.is_broken,
                checked_at=checked_at,
                broken_since=(previous.get(key) or checked_at) if result.is_broken else None,
            )
        )
    with transaction.atomic():
        LinkCheck.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["content_type", "object_id", "url"],
            update_fields=[
                "entry_title",
                "field",
                "status_code",
                "error",
                "is_broken",
                "checked_at",
                "broken_since",
            ],
            batch_size=1000,
        )
        LinkCheck.objects.filter(checked_at__lt=checked_at).delete()
    _write_state(started=started, finished=timezone.now())
    return {
        "checked": len(urls),
        "broken": sum(1 for url in urls if results[url].is_broken),
        "stale": sum(len(entries) for entries in stale_entries().values()),
    }


@task
def check_links_task(timeout: float = DEFAULT_TIMEOUT) -> dict:
    """The link check as a background task (database backend): enqueue it nightly from a scheduler."""
    return run_checks(timeout=timeout)


# ---------- Reads for the review queue ----------


def broken_link_entries():
    """Broken links of published entries, longest broken first."""
    return LinkCheck.objects.broken().select_related("content_type").order_by("broken_since", "entry_title")


def stale_entries(*, now: datetime | None = None) -> dict[str, list]:
    """Published solutions and pilot projects not updated for 12 months, oldest first."""
    cutoff = (now or timezone.now()) - STALE_AFTER
    return {
        "solutions": list(
            Solution.objects.published()
            .filter(updated_at__lt=cutoff)
            .only("pk", "slug", "title", "updated_at")
            .order_by("updated_at")
        ),
        "pilots": list(
            PilotProject.objects.published()
            .filter(updated_at__lt=cutoff)
            .only("pk", "slug", "title", "updated_at")
            .order_by("updated_at")
        ),
    }


# ---------- The last run, for the public pages ----------

_MEMO_SECONDS = 60
_memo: dict[str, tuple[float, dict | None]] = {}


def _state_key() -> str:
    try:
        return default_storage.path(STATE_FILE)
    except NotImplementedError:  # object storage has no local path
        return STATE_FILE


def _write_state(*, started: datetime, finished: datetime) -> None:
    data = json.dumps({"started": started.isoformat(), "finished": finished.isoformat()}).encode()
    if default_storage.exists(STATE_FILE):
        default_storage.delete(STATE_FILE)
    default_storage.save(STATE_FILE, ContentFile(data))
    _memo.pop(_state_key(), None)


def last_run() -> dict | None:
    """{"started": datetime, "finished": datetime} of the last completed run, or None; read at most once a
    minute per process."""
    key = _state_key()
    memo = _memo.get(key)
    if memo is not None and time.monotonic() - memo[0] < _MEMO_SECONDS:
        return memo[1]
    state = None
    try:
        with default_storage.open(STATE_FILE) as handle:
            raw = json.loads(handle.read())
        state = {name: datetime.fromisoformat(raw[name]) for name in ("started", "finished")}
    except (OSError, ValueError, KeyError, TypeError):
        state = None
    _memo[key] = (time.monotonic(), state)
    return state


def last_checked(entry) -> datetime | None:
    """When the links of this published entry were last checked: the last run, if the entry was published
    and unchanged when it started (a later edit may have brought new addresses)."""
    state = last_run()
    if state is None:
        return None
    published_at = getattr(entry, "published_at", None)
    updated_at = getattr(entry, "updated_at", None)
    if published_at is None or published_at > state["started"]:
        return None
    if updated_at is not None and updated_at > state["started"]:
        return None
    return state["finished"]

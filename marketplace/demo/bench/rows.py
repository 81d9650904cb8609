"""What the benchmark measures per page, and the thresholds it judges them by."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.urls import NoReverseMatch, reverse

BENCH_SUFFIX = "_bench"
# The size of the benchmark database and of docs/performance.md; other sizes get their own database and file.
DEFAULT_SOLUTIONS = 10_000
DEFAULT_OUTPUT = Path(settings.BASE_DIR) / "docs" / "performance.md"
MAX_QUERIES = 12
PARTIAL_SHARE = 0.40
# Issue 12: the municipalities catalog, a profile and the autocomplete, with the whole register.
MUNICIPALITY_TARGET_MS = 50
# Issue 17: the first request after a publish.
AFTER_PUBLISH_MS = 60


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
    # With ``cold``: the change before each request is a publish through the editors' service (which rebuilds
    # the catalogs' indexes after its commit), not a change nobody is told of.
    after_publish: bool = False

    @property
    def ok(self) -> bool:
        return self.status == 200


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def url(name: str, **kwargs) -> str:
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


def scale_name(solutions: int) -> str:
    """``100k`` for 100,000 solutions, else the number: part of the database's and the document's name."""
    return f"{solutions // 1000}k" if solutions % 1000 == 0 else str(solutions)


def output_for(solutions: int) -> Path:
    """docs/performance.md for the default size, e.g. docs/performance-100k.md for another."""
    if solutions == DEFAULT_SOLUTIONS:
        return DEFAULT_OUTPUT
    return DEFAULT_OUTPUT.with_name(f"performance-{scale_name(solutions)}.md")

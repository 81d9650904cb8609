"""What the benchmark measures per page, and the thresholds it judges them by."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.urls import NoReverseMatch, reverse

BENCH_SUFFIX = "_bench"
DEFAULT_OUTPUT = Path(settings.BASE_DIR) / "docs" / "performance.md"
MAX_QUERIES = 12
PARTIAL_SHARE = 0.40
# Issue 12: the municipalities catalog, a profile and the autocomplete, with the whole register.
MUNICIPALITY_TARGET_MS = 50


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


def url(name: str, **kwargs) -> str:
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""

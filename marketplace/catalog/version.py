"""The content version: one value that PostgreSQL changes whenever something a public page shows changes.

The one row of ``marketplace_content_version`` (created with its triggers by the migration
``marketplace/migrations/0005_content_version.py``, which lists the tables and conditions) gets a new random
``version`` from statement-level triggers, in the same transaction as the write: a catalog, a detail page or
the home page read after a commit never sees an older version with newer rows, nor the other way round.
Writes no public page shows leave it alone: drafts, proposed revisions and references, a vendor's pending
changes, accounts, sessions, the task queue.

Every public cache keys on it (``cached_for_version``, the facet index, ``{% cache ... content_version %}``),
so nothing has to be invalidated by hand and nothing expires by age. A transaction sees its own writes'
version: a test (or a request) that writes and then reads gets fresh numbers; if it rolls back, the version
it made is never seen again, because every version is a new random UUID rather than a counter that could
come back.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.cache import cache
from django.db import connections

TABLE = "marketplace_content_version"
# The version a request already read (``pinned``), so its other caches key on it without asking again.
_PINNED: ContextVar[str | None] = ContextVar("content_version", default=None)


@contextmanager
def pinned(version: str | None) -> Iterator[None]:
    """Within the block, ``content_version()`` of the default database answers ``version`` without a query
    (the page cache reads it first and hands it to the view it runs)."""
    token = _PINNED.set(version)
    try:
        yield
    finally:
        _PINNED.reset(token)


def content_version(using: str = "default") -> str | None:
    """The current content version (one tiny query); None only if the migration has not run."""
    if using == "default" and (version := _PINNED.get()) is not None:
        return version
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT version::text FROM {TABLE} WHERE id = 1")  # noqa: S608 - a constant name
        row = cursor.fetchone()
    return row[0] if row else None


def content_changes(using: str = "default") -> int:
    """How many times the version has changed since the table was created (for tests and diagnostics)."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT changes FROM {TABLE} WHERE id = 1")  # noqa: S608 - a constant name
        row = cursor.fetchone()
    return row[0] if row else 0


def cached_for_version(name: str, compute: Callable[[], Any], version: str | None, timeout: int = 600) -> Any:
    """``compute()``, kept in Django's cache until ``version`` (``content_version()``) changes.

    ``timeout`` only bounds the memory an unused entry holds; an entry is never stale while it lives.
    Without a version (the table is missing) it is computed every time.
    """
    if version is None:
        return compute()
    key = f"content:{name}:{version}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value

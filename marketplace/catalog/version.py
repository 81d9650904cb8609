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

import atexit
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import psycopg
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


SELECT_VERSION = f"SELECT version::text FROM {TABLE} WHERE id = 1"  # noqa: S608 - a constant name
# Autocommit connections for reading the version outside transactions (see _read_directly), idle ones by
# database; a thread takes one for the query and puts it back.
_idle: dict[tuple, list[psycopg.Connection]] = {}
_idle_lock = threading.Lock()
_direct = threading.local()  # retry_at: after a failure, Django's connection answers until then
DIRECT_RETRY_SECONDS = 5.0


def content_version(using: str = "default") -> str | None:
    """The current content version (one tiny query); None only if the migration has not run."""
    if using == "default" and (version := _PINNED.get()) is not None:
        return version
    connection = connections[using]
    if not connection.in_atomic_block and time.monotonic() >= getattr(_direct, "retry_at", 0.0):
        try:
            return _read_directly(connection)
        except psycopg.Error:
            # The database went away: ask through Django, whose errors the outage page knows, and leave this
            # path alone for a few seconds so an outage does not cost every request a second connect.
            _direct.retry_at = time.monotonic() + DIRECT_RETRY_SECONDS
    with connection.cursor() as cursor:
        cursor.execute(SELECT_VERSION)
        row = cursor.fetchone()
    return row[0] if row else None


def _read_directly(connection) -> str | None:
    """The committed version through an autocommit connection of its own to ``connection``'s database.

    A kept page (``pagecache.py``) needs nothing from the database but this one value, and through Django it
    would also cost taking a connection from the pool, the pool's health check and giving it back: about
    two thirds of the time a kept page adds to the layout. Outside a transaction every connection sees the
    same committed version, so another connection answers alike; inside one (a request that wrote, a test)
    the request's own connection must answer, because only it sees its uncommitted version. At most one more
    connection per concurrent request of a process: count it in ``max_connections`` (docs/deployment.md).
    """
    key = (connection.alias, connection.settings_dict["NAME"])
    with _idle_lock:
        idle = _idle.setdefault(key, [])
        direct = idle.pop() if idle else None
    for attempt in (1, 2):
        if direct is None:
            params = connection.get_connection_params()
            for name in ("cursor_factory", "context", "prepare_threshold"):
                params.pop(name, None)
            params.setdefault("connect_timeout", 2)
            direct = psycopg.connect(**params, autocommit=True)
        try:
            row = direct.execute(SELECT_VERSION).fetchone()
        except psycopg.Error:
            direct.close()
            direct = None
            if attempt == 2:
                raise
            continue
        with _idle_lock:
            _idle.setdefault(key, []).append(direct)
        return row[0] if row else None
    return None


def close_direct_connections() -> None:
    """Close the idle connections of ``_read_directly`` (at exit, and before a test database is dropped)."""
    with _idle_lock:
        held = [direct for idle in _idle.values() for direct in idle]
        _idle.clear()
    for direct in held:
        direct.close()


atexit.register(close_direct_connections)


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

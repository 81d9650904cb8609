"""The catalogs' facet indexes rebuilt right after a public change is committed, not on a visitor's request.

A change that public pages show gives the content version a new value (``version.py``), which makes every
catalog's facet index (``index.py``) outdated. Rebuilding the solutions catalog's index reads every published
row (about 150 ms for 10,000 solutions); left to the next visitor, that visitor would wait for it. Instead
``after_public_change()`` schedules the catalogs' *warmers* (``register``) for when the writing transaction
commits: inside a request they run when the response has been sent (``request_finished``), so neither the
editor who published nor the next visitor waits; outside a request (a management command, a task) at once.
The index they build is kept in this process and in the shared cache (``index.py``), where other processes
and servers find it instead of building their own.

Who calls ``after_public_change``: the ``post_save``, ``post_delete`` and ``m2m_changed`` signals of the
models of the apps named to ``watch`` (the project's wiring does that), and the services that write with
``QuerySet.update`` (which sends no signal). A change none of them notices still shows on the next request:
the version changes in the database whatever wrote, and an outdated index is never used, only rebuilt later.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable

from django.core.signals import request_finished, request_started
from django.db import connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

logger = logging.getLogger(__name__)

_WARMERS: list[Callable[[], object]] = []
_state = threading.local()  # in_request: a request is being answered; pending: warm when it is finished


def register(warmer: Callable[[], object]) -> Callable[[], object]:
    """Add a catalog's warmer: a callable that builds its facet index for the current content version."""
    _WARMERS.append(warmer)
    return warmer


def warm() -> int:
    """Run every warmer now; one that fails is logged and the others still run. Returns how many ran."""
    ran = 0
    for warmer in _WARMERS:
        try:
            warmer()
            ran += 1
        except Exception:  # a warmer must never break the request or command that triggered it
            logger.exception("Warming a catalog index failed; the next request builds it.")
    return ran


def _committed() -> None:
    if getattr(_state, "in_request", False):
        _state.pending = True
    else:
        warm()


def after_public_change(using: str = "default") -> None:
    """Warm the catalogs once the current transaction commits (at once in autocommit mode); at most once per
    transaction. Side effects: an ``on_commit`` callback on ``using``'s connection."""
    connection = connections[using]
    # One callback per outermost transaction: run_on_commit holds (savepoints, callback, robust) tuples.
    if connection.in_atomic_block and any(
        callback is _committed for _sids, callback, _robust in connection.run_on_commit
    ):
        return
    transaction.on_commit(_committed, using=using, robust=True)


def _started(**kwargs) -> None:
    _state.in_request = True
    _state.pending = False


def _finished(**kwargs) -> None:
    _state.in_request = False
    if getattr(_state, "pending", False):
        _state.pending = False
        warm()


def _changed(sender, **kwargs) -> None:
    if sender._meta.app_label in _watched:
        after_public_change(kwargs.get("using") or "default")


_watched: set[str] = set()


def watch(app_labels: Iterable[str]) -> None:
    """Warm after every saved, deleted or re-linked row of these apps' models (idempotent)."""
    _watched.update(app_labels)
    post_save.connect(_changed, dispatch_uid="catalog-warm-save")
    post_delete.connect(_changed, dispatch_uid="catalog-warm-delete")
    m2m_changed.connect(_changed, dispatch_uid="catalog-warm-m2m")
    request_started.connect(_started, dispatch_uid="catalog-warm-started")
    request_finished.connect(_finished, dispatch_uid="catalog-warm-finished")

"""Change history of the editorial models (django-pghistory).

Database triggers write one event row per insert, update and delete of a tracked model, so bulk
updates and raw SQL are recorded as well. Who and why come from the pghistory context: the
HistoryMiddleware adds the request's user and URL, and the moderation services add the editor and
the reason of their decision (see `decision`).
"""

from __future__ import annotations

from contextlib import contextmanager

import pghistory


def history_trackers() -> tuple:
    """Fresh trackers for one model: pghistory binds a tracker's condition to the model it first sees."""
    return (pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())


@contextmanager
def decision(*, by, action: str, reason: str = ""):
    """Attach the editor, the moderation action and its reason to every event written inside."""
    with pghistory.context(user=getattr(by, "pk", None), action=action, reason=reason):
        yield

"""Change history of the editorial models (django-pghistory): the trackers the models declare.

Database triggers write one event row per insert, update and delete of a tracked model, so bulk updates and
raw SQL are recorded as well. Who and why come from the pghistory context: the HistoryMiddleware adds the
request's user and URL, and the editors' decisions add the editor, the action and the reason
(`marketplace.editorial.history.decision`, which also reads the rows back as a timeline).

Library code: the models of every app use it, so it imports no app.
"""

import pghistory


def history_trackers() -> tuple:
    """Fresh trackers for one model: pghistory binds a tracker's condition to the model it first sees."""
    return (pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())

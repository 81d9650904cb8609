"""The visitor's own municipality ("Kommunen wie meine"), remembered in the session.

A visitor picks it once (``municipalities:choose``); catalogs, detail pages and the home page then compare
every solution with similar municipalities. Only the primary key is stored: nothing personal, and a
municipality that is later dissolved or removed simply stops being chosen.
"""

from __future__ import annotations

from django.http import HttpRequest

from .models import Municipality

SESSION_KEY = "my_municipality"
_CACHE_ATTR = "_my_municipality"


def chosen_municipality(request: HttpRequest) -> Municipality | None:
    """The municipality the visitor picked, or None; read at most once per request."""
    if hasattr(request, _CACHE_ATTR):
        return getattr(request, _CACHE_ATTR)
    municipality = None
    session = getattr(request, "session", None)
    pk = session.get(SESSION_KEY) if session is not None else None
    if isinstance(pk, int):
        municipality = (
            Municipality.objects.filter(pk=pk, dissolved_on__isnull=True).select_related("parent").first()
        )
    setattr(request, _CACHE_ATTR, municipality)
    return municipality


def chosen_key(request: HttpRequest) -> tuple:
    """What identifies the chosen municipality without a query (for cache keys): its key as the session holds
    it. A municipality dissolved since is a content change, which every kept page's key includes anyway."""
    session = getattr(request, "session", None)
    pk = session.get(SESSION_KEY) if session is not None else None
    return (pk,) if isinstance(pk, int) else ()


def choose(request: HttpRequest, municipality: Municipality) -> None:
    """Remember ``municipality`` as the visitor's own.

    Side effects: writes the session (creating it, and so its cookie, for an anonymous visitor)."""
    request.session[SESSION_KEY] = municipality.pk
    setattr(request, _CACHE_ATTR, municipality)


def forget(request: HttpRequest) -> None:
    """Stop comparing with a municipality. Side effects: removes the key from the session."""
    request.session.pop(SESSION_KEY, None)
    setattr(request, _CACHE_ATTR, None)


def context(request: HttpRequest) -> dict:
    """Template context processor: ``my_municipality`` (lazy: no query unless a template reads it)."""
    from django.utils.functional import SimpleLazyObject

    return {"my_municipality": SimpleLazyObject(lambda: chosen_municipality(request))}

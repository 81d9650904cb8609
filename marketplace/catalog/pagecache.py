"""Rendered pages kept per content version: a catalog or the home page costs about what the layout costs.

A public catalog page (its facets, counts, cards and pagination) and the home page are the same for every
visitor who asks with the same address, language and chosen municipality, until the content version
changes. ``serve_cached`` renders such a page once, keeps what the page adds to the layout (the title, the
extra head and scripts, and the body inside ``<main>``) in Django's cache under the content version, and
answers the next request by rendering only the layout (header, navigation, footer, the visitor's session,
CSRF token and CSP nonce) around the kept body: one tiny query for the version and one cache read instead
of the catalog's queries and templates. An htmx partial has no layout and is kept whole.

The visitor's own values inside a kept body (the CSRF token of a form, the CSP nonce of a script) are kept
as holes and filled in for each request, so no visitor ever sees another's token. Everything else that
makes a body differ must be in the key: the path, every query parameter, the language, htmx or not, and
what the caller names in ``vary`` (e.g. the chosen municipality's key). The content version in the key
keeps every body valid until any public content changes (``version.py``); old ones age out of the cache.

The layout template ``base.html`` marks the parts: ``<title>…{SITE_NAME}</title>``, the
``<!--extra-head-->`` and ``<!--extra-scripts-->`` comments before the ``extra_head`` and ``extra_scripts``
blocks, and the ``<main …>`` element around the ``content`` block; a test compares a kept answer with a fresh
one byte for byte (tokens aside).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils.autoreload import file_changed
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .version import content_version, pinned

logger = logging.getLogger(__name__)

# Control characters never occur in a rendered page, so these cannot be confused with page text.
CSRF_HOLE = "\x1bcsrf\x1b"
NONCE_HOLE = "\x1bnonce\x1b"
# A kept body lives until the content changes; the timeout only bounds the memory of unused ones.
TIMEOUT = 600
# Longer query strings are served fresh and not kept (no address can fill the cache with huge keys' pages).
MAX_QUERY_LENGTH = 2000
CACHED_TEMPLATE = "includes/cached_page.html"

# base.html around its blocks, whitespace included, so a kept page renders byte for byte the same.
_PARTS = re.compile(
    r"<title>(?P<title>.*?)</title>.*?<!--extra-head-->(?P<head>.*?)\n</head>"
    r".*?<main [^>]*>\n    (?P<body>.*)\n  </main>.*<!--extra-scripts-->(?P<scripts>.*?)\n</body>",
    re.DOTALL,
)


# Development: a file changed under runserver's autoreloader (which reloads templates without a restart)
# makes every page kept before it stale, so the key carries how many changes this process has seen.
_changes_seen = 0


def _file_changed(sender, file_path, **kwargs) -> None:
    global _changes_seen  # noqa: PLW0603 - a counter of this process, read by page_key
    _changes_seen += 1


file_changed.connect(_file_changed, dispatch_uid="pagecache-file-changed")


@dataclass(frozen=True)
class KeptPage:
    """What a page adds to the layout, with the visitor's own values as holes (or a whole htmx partial)."""

    title: str = ""
    head: str = ""
    body: str = ""
    scripts: str = ""
    partial: str | None = None


def page_key(request: HttpRequest, name: str, version: str, vary: Iterable = ()) -> str | None:
    """The cache key of ``request``'s page, or None when the page should not be kept (a long query)."""
    query = request.META.get("QUERY_STRING", "")
    if len(query) > MAX_QUERY_LENGTH:
        return None
    parameters = sorted((key, sorted(values)) for key, values in request.GET.lists())
    htmx = getattr(request, "htmx", None)
    partial = bool(htmx) and not htmx.history_restore_request
    parts = (request.path, parameters, get_language(), partial, tuple(vary), _changes_seen)
    if partial:
        parts += (htmx.current_url or "",)  # some partials answer what changed since the page they update
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"page:{name}:{version}:{digest}"


# What ``{% csrf_token %}`` renders (the only way this site's templates show a token).
_CSRF_INPUT = re.compile(r'(<input type="hidden" name="csrfmiddlewaretoken" value=")[^"]*(")')


def _holes(text: str, nonce: str | None) -> str:
    text = _CSRF_INPUT.sub(lambda m: f"{m[1]}{CSRF_HOLE}{m[2]}", text)
    if nonce:
        text = text.replace(nonce, NONCE_HOLE)
    return text


def keep(response: HttpResponse, *, partial: bool, nonce: str | None) -> KeptPage | None:
    """The parts of a rendered page to keep, or None when it does not have the layout's marks."""
    text = response.content.decode(response.charset or settings.DEFAULT_CHARSET)
    if partial:
        return KeptPage(partial=_holes(text, nonce))
    match = _PARTS.search(text)
    if match is None:
        logger.warning("Page not kept: the layout's marks are missing.")
        return None
    title = match["title"]
    suffix = f" – {settings.SITE_NAME}"
    title = title.removesuffix(suffix)
    return KeptPage(
        title=_holes(title, nonce),
        head=_holes(match["head"], nonce),
        body=_holes(match["body"], nonce),
        scripts=_holes(match["scripts"], nonce),
    )


def _filled(text: str, request: HttpRequest) -> str:
    if CSRF_HOLE in text:
        text = text.replace(CSRF_HOLE, get_token(request))
    if NONCE_HOLE in text:
        text = text.replace(NONCE_HOLE, str(get_nonce(request)))
    return text


def _answer(request: HttpRequest, kept: KeptPage) -> HttpResponse:
    if kept.partial is not None:
        response = HttpResponse(_filled(kept.partial, request))
    else:
        parts = {
            # Trusted: each part is output the page's own templates rendered (and escaped) for this content
            # version; the only text put in is this request's CSRF token and CSP nonce, made by Django.
            name: mark_safe(_filled(getattr(kept, name), request))  # noqa: S308 - see the comment above
            for name in ("title", "head", "body", "scripts")
        }
        response = render(request, CACHED_TEMPLATE, {"kept": parts})
    return response


def kept_per_version(name: str, vary: Callable[[HttpRequest], Iterable] | None = None):
    """View decorator: ``serve_cached`` for a GET view whose page is the same for every visitor with the same
    address, language and ``vary(request)``."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            return serve_cached(
                request, name, lambda: view(request, *args, **kwargs), vary=vary(request) if vary else ()
            )

        return wrapped

    return decorator


def serve_cached(
    request: HttpRequest, name: str, render_page: Callable[[], HttpResponse], *, vary: Iterable = ()
) -> HttpResponse:
    """``render_page()``'s answer, from the cache when this page was rendered for the same content version.

    Only a 200 answer is kept; with the setting ``PAGE_CACHE`` off every request renders. Side effects: the
    first request for a key stores the page in the default cache.
    Every answer varies on ``HX-Request`` (an htmx partial and the page share the address).
    """
    version = content_version() if settings.PAGE_CACHE else None
    key = page_key(request, name, version, vary) if version else None
    kept = cache.get(key) if key else None
    if kept is not None:
        response = _answer(request, kept)
    else:
        with pinned(version):
            response = render_page()
        if key and response.status_code == 200 and not response.streaming:
            htmx = getattr(request, "htmx", None)
            partial = bool(htmx) and not htmx.history_restore_request
            nonce = get_nonce(request)
            kept = keep(response, partial=partial, nonce=str(nonce) if nonce is not None else None)
            if kept is not None:
                cache.set(key, kept, TIMEOUT)
    patch_vary_headers(response, ["HX-Request"])
    return response

"""A small fixed-window rate limit in the cache, for the forms that send e-mail (sign-up, password reset)."""

import functools

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render


def client_address(request) -> str | None:
    """The client's address: REMOTE_ADDR, or the header a trusted proxy sets (settings.CLIENT_IP_HEADER)."""
    value = request.META.get(settings.CLIENT_IP_HEADER) or request.META.get("REMOTE_ADDR", "")
    # X-Forwarded-For style lists: the proxy appends the address it saw last.
    return value.split(",")[-1].strip() or None


def too_many(scope: str, request, *, limit: int, window: int) -> bool:
    """Count one attempt; True once more than `limit` attempts came from this address in the window."""
    key = f"ratelimit:{scope}:{client_address(request) or 'unknown'}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit


def limit_posts(scope: str, setting: str):
    """Refuse POSTs beyond settings.<setting> = (limit, window seconds) with status 429."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST":
                limit, window = getattr(settings, setting)
                if too_many(scope, request, limit=limit, window=window):
                    response = render(request, "registration/rate_limited.html", status=429)
                    response["Retry-After"] = str(window)
                    return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator

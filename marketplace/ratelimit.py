"""Fixed-window rate limits in the cache, and the client's address behind the proxies we trust.

The forms that send e-mail count each attempt per client address and per logged-in account
(`limit_posts`), and each e-mail per recipient address over all forms together (`limit_mail`), so none of
them can be used to flood an inbox.
"""

import functools
import hashlib
import ipaddress
import math

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@functools.lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _parse(text: str) -> IPAddress | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    # A dual-stack server shows IPv4 clients as ::ffff:a.b.c.d; they must count like a.b.c.d.
    return getattr(address, "ipv4_mapped", None) or address


def client_address(request) -> str | None:
    """The client's address: REMOTE_ADDR, or what our trusted proxies say about who connected to them.

    settings.CLIENT_IP_HEADER (X-Forwarded-For style: each proxy appends the address it saw) is read only
    when REMOTE_ADDR is in settings.TRUSTED_PROXIES. The list is walked from the right, past every trusted
    proxy; the first address we do not trust is the client. Everything left of it was written by the
    client itself and proves nothing. Also axes' AXES_CLIENT_IP_CALLABLE.
    """
    remote = _parse(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return None
    trusted = _networks(tuple(settings.TRUSTED_PROXIES))

    def is_trusted(address: IPAddress) -> bool:
        return any(address in network for network in trusted)

    client = remote
    if settings.CLIENT_IP_HEADER != "REMOTE_ADDR" and is_trusted(remote):
        for item in reversed(request.META.get(settings.CLIENT_IP_HEADER, "").split(",")):
            hop = _parse(item)
            if hop is None:
                # Not an address where a trusted proxy should have written one: keep the last we trust.
                break
            client = hop
            if not is_trusted(hop):
                break
    return str(client)


def too_many(scope: str, subject: str, *, limit: int, window: int) -> bool:
    """Count one attempt of `subject` (an address, an account); True once it is over `limit` in the window."""
    # Hashed: e-mail addresses may hold characters some cache backends refuse in keys.
    digest = hashlib.sha256(subject.encode()).hexdigest()[:32]
    key = f"ratelimit:{scope}:{digest}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit


def refusal(request, *, window: int, reason: str) -> HttpResponse:
    """The 429 page; `reason` is "address" (too many requests from this connection) or "mail"."""
    context = {"reason": reason, "minutes": math.ceil(window / 60)}
    response = render(request, "registration/rate_limited.html", context, status=429)
    response["Retry-After"] = str(window)
    return response


def check_request(request, scope: str, setting: str) -> HttpResponse | None:
    """Count one attempt per client address and, when logged in, per account; the 429 page when over.

    settings.<setting> = (limit, window in seconds) applies to both. Every counter counts even when another
    is already over, so switching accounts or addresses never buys extra attempts.
    """
    limit, window = getattr(settings, setting)
    over_address = too_many(
        f"{scope}:address", client_address(request) or "unknown", limit=limit, window=window
    )
    over_account = request.user.is_authenticated and too_many(
        f"{scope}:account", str(request.user.pk), limit=limit, window=window
    )
    if over_account:
        return refusal(request, window=window, reason="mail")
    if over_address:
        return refusal(request, window=window, reason="address")
    return None


def limit_mail(request, recipients: list[str]) -> HttpResponse | None:
    """Count one e-mail to each address; the 429 page once any of them had settings.MAIL_RECIPIENT_RATE.

    Call it when a form is valid and about to send, whether or not the address belongs to an account:
    the answer must not tell who is registered.
    """
    limit, window = settings.MAIL_RECIPIENT_RATE
    over = [
        too_many("mail:recipient", address.strip().lower(), limit=limit, window=window)
        for address in recipients
        if address
    ]
    return refusal(request, window=window, reason="mail") if any(over) else None


def limit_posts(scope: str, setting: str):
    """Refuse POSTs beyond settings.<setting> = (limit, window seconds) per address and account with 429."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST" and (refused := check_request(request, scope, setting)) is not None:
                return refused
            return view(request, *args, **kwargs)

        return wrapped

    return decorator

"""Parsers for the settings that name addresses: the site's own, its proxies', the client address header.

Like the env_* helpers in settings.py they raise ImproperlyConfigured with the variable's name, so a wrong
value stops the start instead of weakening a protection quietly. A module of their own keeps settings.py
short; it imports nothing from Django but the exception.
"""

import ipaddress
import re
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured


def networks(name: str, items: list[str]) -> list[str]:
    """IP addresses or networks (10.0.0.0/8, ::1), normalised to network notation."""
    parsed = []
    for item in items:
        try:
            parsed.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"{name} must list IP addresses or networks such as 10.0.0.0/8; got {item!r}."
            ) from exc
    return parsed


def client_ip_header(raw: str | None, *, trusted_proxies: list[str]) -> str:
    """The request.META key in which trusted proxies name the client; X-Forwarded-For unless set.

    Setting it without trusted proxies is refused: before TRUSTED_PROXIES existed the header was believed
    from anyone, and such a configuration must not carry on with a different meaning unnoticed.
    """
    header = (raw or "HTTP_X_FORWARDED_FOR").strip()
    if not re.fullmatch(r"HTTP_[A-Z0-9_]+|REMOTE_ADDR", header):
        raise ImproperlyConfigured(
            f"CLIENT_IP_HEADER must name a header as Django spells it, e.g. HTTP_X_REAL_IP; got {header!r}."
        )
    if raw and header != "REMOTE_ADDR" and not trusted_proxies:
        raise ImproperlyConfigured(
            "CLIENT_IP_HEADER is only believed from a trusted proxy: set TRUSTED_PROXIES to the proxy's "
            "addresses (e.g. TRUSTED_PROXIES=127.0.0.1,10.0.0.0/8)."
        )
    return header


def canonical_site_url(raw: str, *, debug: bool, allowed_hosts: list[str], port: int = 8000) -> str:
    """The address the public reaches the site under (scheme and host, no trailing slash).

    Links in e-mails and structured data are built from it, never from the request's Host header: a forged
    Host would otherwise put an attacker's address into a password-reset mail or a cached page. Without an
    explicit value, development uses the local server and production the first named ALLOWED_HOSTS entry.
    """
    raw = raw.strip()
    if raw:
        parts = urlsplit(raw)
        if (
            parts.scheme not in {"http", "https"}
            or not parts.hostname
            or parts.path.strip("/")
            or parts.query
        ):
            raise ImproperlyConfigured(
                "SITE_URL must be the site's address with http(s) and no path, "
                f"e.g. https://marktplatz.example.de; got {raw!r}."
            )
        return f"{parts.scheme}://{parts.netloc}"
    if debug:
        return f"http://127.0.0.1:{port}"
    # "*" and ".example.org" (any subdomain) name no single host a link could point to.
    named = [host for host in allowed_hosts if host != "*" and not host.startswith(".")]
    if not named:
        raise ImproperlyConfigured(
            "Set SITE_URL (e.g. SITE_URL=https://marktplatz.example.de) when DEBUG is off and ALLOWED_HOSTS "
            "names no single host: e-mails link to it."
        )
    return f"https://{named[0]}"

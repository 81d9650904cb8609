"""Which addresses the link check may connect to: public ones only.

The links come from vendors, and the server that checks them sits inside a network: the database, the
cache, admin interfaces on loopback, a cloud's metadata service at 169.254.169.254 (which hands out
credentials). A link, or a redirect, or a DNS answer must never make the check ask any of those.
"""

import ipaddress

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Named explicitly rather than through `is_private`, which also covers documentation and benchmark ranges
# and so would give editors a misleading reason.
_PRIVATE = [
    ipaddress.ip_network(network) for network in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")
]
_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT: inside a provider's network


def allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """LINKCHECK_ALLOWED_NETWORKS as networks (tests and local development only; empty in production)."""
    networks = []
    for value in getattr(settings, "LINKCHECK_ALLOWED_NETWORKS", []):
        try:
            networks.append(ipaddress.ip_network(value, strict=False))
        except ValueError as error:
            raise ImproperlyConfigured(
                f"LINKCHECK_ALLOWED_NETWORKS must hold IP networks such as 127.0.0.1/32; got {value!r}."
            ) from error
    return networks


def refusal(address: IPAddress, allowed: list | None = None) -> str | None:
    """Why the link check must not connect to `address` (a short reason for the editors), or None."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        # ::ffff:10.0.0.1 reaches 10.0.0.1 through a dual-stack socket: judge the IPv4 address it carries.
        address = address.ipv4_mapped
    if any(address in network for network in (allowed if allowed is not None else allowed_networks())):
        return None
    if address.is_loopback:
        return _("loopback address")
    if address.is_link_local:
        return _("link-local address")
    if address.is_unspecified:  # 0.0.0.0 and :: reach the local host
        return _("unspecified address")
    if address.is_multicast:  # `is_global` is true for global multicast scopes
        return _("multicast address")
    if address in _SHARED:
        return _("shared address")
    if any(address in network for network in _PRIVATE):
        return _("private address")
    if address.is_reserved:  # also IPv4-compatible and NAT64 forms (::127.0.0.1), which `is_global` lets by
        return _("reserved address")
    if not address.is_global:
        return _("non-public address")
    return None

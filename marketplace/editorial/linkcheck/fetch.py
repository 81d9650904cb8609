"""Ask one external address whether it answers, without ever reaching inside the server's network.

`check_url()` resolves the host name once, refuses it if any of its addresses is not public (see
`addresses.py`), and connects to the checked address itself: a second lookup could be answered
differently (DNS rebinding). The Host header, the TLS server name and the certificate check use the host
name. Redirects are followed by hand, each hop checked the same way, at most MAX_REDIRECTS of them. One
deadline covers the whole link (lookups, connections, TLS handshakes, every hop, the HEAD and the GET), so a
server that trickles its answer byte by byte cannot hold a worker; at most _BODY_BYTES of a body are read.
"""

import contextlib
import functools
import http.client
import ipaddress
import os
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import quote, urljoin, urlsplit

from django.utils.translation import gettext as _

from marketplace.editorial.linkcheck.addresses import IPAddress, allowed_networks, refusal

DEFAULT_TIMEOUT = 10  # seconds per link: every lookup, connection, redirect hop and read together
MAX_REDIRECTS = 10
_BODY_BYTES = 1024
_USER_AGENT = "Smart-City-Marktplatz link check"
# HEAD answers that often mean "this server does not do HEAD", not "the page is gone".
_RETRY_WITH_GET = {403, 404, 405, 406, 429, 500, 501, 503}
_REDIRECTS = {301, 302, 303, 307, 308}
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Printable ASCII stays as written (it may be escaped already); anything else is percent-encoded.
_SAFE_IN_PATH = "".join(chr(code) for code in range(0x21, 0x7F))
_ERROR_LENGTH = 300  # LinkCheck.error


@dataclass(frozen=True)
class Result:
    status_code: int | None
    error: str

    @property
    def is_broken(self) -> bool:
        return bool(self.error) or self.status_code is None or self.status_code >= 400


class _Refused(Exception):
    """The link leads somewhere the check must not or cannot go; `reason` is shown to the editors."""

    def __init__(self, reason: str, *, redirect: bool = False):
        super().__init__(reason)
        self.reason, self.redirect = reason, redirect


class _TooManyRedirects(Exception):
    pass


class _Target(NamedTuple):
    scheme: str
    host: str
    port: int
    path: str


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("link check deadline passed")
    return left


def _target(url: str) -> _Target:
    try:
        parts = urlsplit(url)
        port = parts.port
        host = parts.hostname or ""
        if ":" not in host:  # an IPv6 literal has no name to encode
            host.encode("idna")
    except (ValueError, UnicodeError) as error:  # a port out of range, a label too long
        raise _Refused(_("not a valid web address")) from error
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise _Refused(_("not an http(s) address"))
    if not host or port == 0 or any(char.isspace() or char in "/\\@" for char in host):
        raise _Refused(_("not a valid web address"))
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return _Target(scheme, host, port or _DEFAULT_PORTS[scheme], quote(path, safe=_SAFE_IN_PATH))


def _resolve(host: str, port: int, deadline: float) -> list[IPAddress]:
    """The addresses of `host`, looked up once; the lookup has no timeout of its own, so it runs in a
    thread that is abandoned at the deadline."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    outcome = {}

    def lookup():
        with contextlib.suppress(OSError, UnicodeError):  # no answer: no addresses, refused below
            outcome["infos"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)

    thread = threading.Thread(target=lookup, name="linkcheck-lookup", daemon=True)
    thread.start()
    thread.join(_remaining(deadline))
    if thread.is_alive():
        raise TimeoutError("name lookup")
    addresses = []
    for info in outcome.get("infos") or []:
        address = ipaddress.ip_address(info[4][0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise _Refused(_("host name does not resolve"))
    return addresses


def _checked_addresses(target: _Target, deadline: float) -> list[IPAddress]:
    """Every address the name has must be public: a round-robin answer mixing a public and an internal
    address would otherwise reach inside on some attempts."""
    addresses = _resolve(target.host, target.port, deadline)
    allowed = allowed_networks()
    for address in addresses:
        if reason := refusal(address, allowed):
            raise _Refused(reason)
    return addresses


class _DeadlineMixin:
    """Each read or write waits at most until the link's deadline, so trickled bytes cannot extend it."""

    deadline: float

    def _arm(self):
        self.settimeout(_remaining(self.deadline))

    def recv(self, *args, **kwargs):
        self._arm()
        return super().recv(*args, **kwargs)

    def recv_into(self, *args, **kwargs):
        self._arm()
        return super().recv_into(*args, **kwargs)

    def send(self, *args, **kwargs):
        self._arm()
        return super().send(*args, **kwargs)

    def sendall(self, *args, **kwargs):
        self._arm()
        return super().sendall(*args, **kwargs)


class _DeadlineSocket(_DeadlineMixin, socket.socket):
    pass


class _DeadlineSSLSocket(_DeadlineMixin, ssl.SSLSocket):
    pass


@functools.cache
def _tls_context(_trust_store: tuple) -> ssl.SSLContext:
    context = ssl.create_default_context()  # verifies the chain and the host name
    context.sslsocket_class = _DeadlineSSLSocket
    return context


def _tls() -> ssl.SSLContext:
    # Building a context loads the certificate authorities (~30 ms), so one is kept per trust store; OpenSSL
    # finds the store through these variables when it loads them.
    return _tls_context((os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR")))


def _open_socket(addresses: list[IPAddress], port: int, deadline: float) -> _DeadlineSocket:
    error = None
    for address in addresses:
        family = socket.AF_INET6 if address.version == 6 else socket.AF_INET
        sock = _DeadlineSocket(family, socket.SOCK_STREAM)
        sock.deadline = deadline
        try:
            sock.settimeout(_remaining(deadline))
            sock.connect((str(address), port))
            return sock
        except TimeoutError:
            sock.close()
            raise
        except OSError as exc:
            sock.close()
            error = exc
    raise error


class _PinnedConnection(http.client.HTTPConnection):
    """HTTP or HTTPS to the checked addresses of `target.host`, never to a new lookup of the name."""

    def __init__(self, target: _Target, addresses: list[IPAddress], deadline: float):
        super().__init__(target.host, target.port)
        self.default_port = _DEFAULT_PORTS[target.scheme]  # the Host header names a port only if it differs
        self._tls = target.scheme == "https"
        self._addresses, self._deadline = addresses, deadline

    def connect(self):
        sock = _open_socket(self._addresses, self.port, self._deadline)
        if self._tls:
            try:
                sock = _tls().wrap_socket(sock, server_hostname=self.host, do_handshake_on_connect=False)
                sock.deadline = self._deadline
                sock.settimeout(_remaining(self._deadline))
                sock.do_handshake()
            except BaseException:
                sock.close()
                raise
        self.sock = sock


def _ask(target: _Target, method: str, deadline: float) -> tuple[int, str | None]:
    """One request; returns the status and the Location header."""
    connection = _PinnedConnection(target, _checked_addresses(target, deadline), deadline)
    response = None
    try:
        headers = {"User-Agent": _USER_AGENT, "Accept": "*/*", "Connection": "close"}
        connection.request(method, target.path, headers=headers)
        response = connection.getresponse()
        if method == "GET" and response.status not in _REDIRECTS:
            response.read(_BODY_BYTES)
        return response.status, response.getheader("Location")
    finally:
        if response is not None:
            response.close()
        connection.close()


def _fetch(url: str, method: str, deadline: float) -> int:
    """The status at the end of the redirects from `url`; every hop is checked like the first address."""
    for hop in range(MAX_REDIRECTS + 1):
        try:
            status, location = _ask(_target(url), method, deadline)
        except _Refused as refused:
            raise _Refused(refused.reason, redirect=hop > 0) from refused
        if status not in _REDIRECTS or not location:
            return status
        url = urljoin(url, location.strip())
    raise _TooManyRedirects


def check_url(url: str, *, timeout: float = DEFAULT_TIMEOUT) -> Result:
    """HEAD, then GET when HEAD fails; a status of 400 or more, a refused address, a timeout or a network
    error is broken. `timeout` is the deadline for the whole link. Makes only the requests described in the
    module docstring; writes nothing."""
    deadline = time.monotonic() + timeout
    try:
        status = _fetch(url, "HEAD", deadline)
        if status in _RETRY_WITH_GET:
            status = _fetch(url, "GET", deadline)
        return Result(status, "")
    except _Refused as refused:
        if refused.redirect:
            # Translators: the reason is a kind of address, e.g. "loopback address", "not an http(s) address".
            message = _("redirect blocked: %(reason)s") % {"reason": refused.reason}
        else:
            # Translators: the reason is a kind of address, e.g. "loopback address", "not an http(s) address".
            message = _("blocked: %(reason)s") % {"reason": refused.reason}
    except _TooManyRedirects:
        message = _("more than %(count)d redirects") % {"count": MAX_REDIRECTS}
    except ssl.SSLCertVerificationError as error:
        message = _("TLS certificate not valid: %(reason)s") % {"reason": error.verify_message or error}
    except (OSError, ValueError, http.client.HTTPException) as error:  # one odd link must not stop the run
        if isinstance(error, TimeoutError) or time.monotonic() >= deadline:
            message = _("no answer within %(seconds)s seconds") % {"seconds": f"{timeout:g}"}
        elif isinstance(error, http.client.HTTPException):
            message = _("invalid HTTP answer: %(detail)s") % {"detail": str(error) or type(error).__name__}
        else:
            message = str(error) or type(error).__name__
    return Result(None, message[:_ERROR_LENGTH])

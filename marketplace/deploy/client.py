"""A small HTTP client for the rehearsal: the standard library only, cookies kept by hand.

`http.cookiejar` returns a `Secure` cookie only over https, but the check talks to the app servers
directly on plain HTTP the way nginx does (Host of the public site, `X-Forwarded-Proto: https` from a
trusted proxy), so a session made on server A must travel to server B by hand anyway.
"""

from __future__ import annotations

import http.client
import re
import ssl
from dataclasses import dataclass, field
from email.message import Message
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

HIDDEN_INPUT = re.compile(r'<input[^>]*name="(?P<name>[\w-]+)"[^>]*value="(?P<value>[^"]*)"')


@dataclass
class Response:
    status: int
    headers: Message
    body: str

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")

    def input_value(self, name: str) -> str | None:
        """The value of the first <input name=`name` value=…> of the page (attributes in that order)."""
        for match in HIDDEN_INPUT.finditer(self.body):
            if match.group("name") == name:
                return match.group("value")
        return None


def tls_context(certificate: Path) -> ssl.SSLContext:
    """Verifies the server against the one certificate we trust (the rehearsal's self-signed one)."""
    return ssl.create_default_context(cafile=str(certificate))


@dataclass
class Client:
    """One visitor: its cookies, the server it talks to, and how that server must see it.

    `public_host` is the Host header (the public site, as nginx passes it on). With `tls` unset the client
    talks plain HTTP to an app server and says what nginx would: the request came over TLS, for `client_ip`.
    """

    port: int
    public_host: str
    tls: ssl.SSLContext | None = None
    client_ip: str | None = None
    timeout: float = 15.0
    cookies: dict[str, str] = field(default_factory=dict)

    def connection(self) -> http.client.HTTPConnection:
        # Always 127.0.0.1: the certificate names it as well as localhost, and "localhost" may resolve to
        # ::1 first, where nothing of the rehearsal listens.
        if self.tls is not None:
            return http.client.HTTPSConnection("127.0.0.1", self.port, context=self.tls, timeout=self.timeout)
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)

    def headers(self) -> dict[str, str]:
        headers = {"Host": self.public_host, "Accept-Language": "de"}
        if self.tls is None:
            headers["X-Forwarded-Proto"] = "https"
            if self.client_ip:
                headers["X-Forwarded-For"] = self.client_ip
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        return headers

    def request(self, method: str, path: str, data: dict | None = None) -> Response:
        headers = self.headers()
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            # The CSRF check of a secure request wants the same origin in Origin or Referer.
            headers["Origin"] = f"https://{self.public_host}"
            headers["Referer"] = f"https://{self.public_host}{path}"
        connection = self.connection()
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            text = raw.read().decode("utf-8", errors="replace")
            self._keep_cookies(raw.headers.get_all("Set-Cookie") or [])
            return Response(raw.status, raw.headers, text)
        finally:
            connection.close()

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, data: dict) -> Response:
        """POST a form with the CSRF token of the cookie (GET the form first)."""
        return self.request("POST", path, {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **data})

    def _keep_cookies(self, lines: list[str]) -> None:
        for line in lines:
            jar = SimpleCookie()
            jar.load(line)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

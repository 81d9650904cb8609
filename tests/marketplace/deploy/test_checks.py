"""The helpers of `cluster check`: TOTP codes, catalog figures, probe addresses, the client's cookies."""

import ipaddress
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from marketplace.deploy.checks import card_slugs, facet_counts, probe_address, totp
from marketplace.deploy.client import Client


def test_totp_matches_the_rfc_6238_test_vectors():
    key = b"12345678901234567890".hex()
    assert totp(key, at=59, digits=8) == "94287082"
    assert totp(key, at=1111111109, digits=8) == "07081804"
    assert totp(key, at=59) == "287082"


def test_facet_counts_and_card_slugs_are_read_from_a_catalog_page():
    html = (
        '<label for="facet-maturity-0">Pilot '
        '<span class="facet-count" id="facet-maturity-0-count">(12)</span>'
        '<span class="facet-count" id="facet-category-3-count">(1.234)</span>'
        '<a href="/loesungen/parkraum/">Parkraum</a> <a href="/loesungen/parkraum/">more</a>'
        '<a href="/loesungen/laerm-sensorik/">Lärm</a>'
    )
    assert facet_counts(html) == {"facet-maturity-0": 12, "facet-category-3": 1234}
    assert card_slugs(html) == ["parkraum", "laerm-sensorik"]


def test_probe_addresses_are_fresh_and_in_the_benchmark_network():
    addresses = {probe_address() for _ in range(50)}
    assert len(addresses) > 45
    assert all(
        ipaddress.ip_address(address) in ipaddress.ip_network("198.18.0.0/15") for address in addresses
    )


class Echo(BaseHTTPRequestHandler):
    def do_GET(self):
        body = "|".join(
            [self.headers["Host"], self.headers["X-Forwarded-Proto"] or "", self.headers["Cookie"] or ""]
        ).encode()
        self.send_response(200)
        if self.path == "/login":
            self.send_header("Set-Cookie", "sessionid=abc; HttpOnly; Path=/; Secure; SameSite=Lax")
        if self.path == "/logout":
            self.send_header(
                "Set-Cookie", 'sessionid=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/'
            )
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def echo():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def test_the_client_speaks_as_the_proxy_and_keeps_secure_cookies_over_plain_http(echo):
    client = Client(echo, "localhost:8443", client_ip="198.18.0.7")
    assert client.get("/").body == "localhost:8443|https|"
    client.get("/login")
    assert client.cookies == {"sessionid": "abc"}
    assert client.get("/").body == "localhost:8443|https|sessionid=abc"
    client.get("/logout")
    assert client.cookies == {}

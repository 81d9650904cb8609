"""The link check gives each link one deadline, reads little, and checks HTTPS certificates for the name.
(Servers and the fake resolver: linkcheck_servers.py.)
"""

import shutil
import ssl
import time

import pytest

from marketplace.editorial import linkcheck
from tests.marketplace.editorial.linkcheck_servers import fake_resolver, make_certificate_authority


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def allow_local_server(settings):
    # Only the first loopback address: 127.0.0.2 stays blocked and plays the internal service.
    settings.LINKCHECK_ALLOWED_NETWORKS = ["127.0.0.1/32"]


# ---------- One deadline per link ----------


def test_a_server_that_drips_its_answer_is_cut_off_by_the_deadline(server, allow_local_server):
    started = time.monotonic()
    outcome = linkcheck.check_url(f"{server.url}/drip", timeout=1)
    elapsed = time.monotonic() - started

    assert outcome == linkcheck.Result(None, "no answer within 1 seconds")
    assert elapsed < 3
    assert server.cut_off.wait(3)


def test_the_deadline_covers_every_redirect_hop(server, allow_local_server):
    started = time.monotonic()
    outcome = linkcheck.check_url(f"{server.url}/slow-hop/1", timeout=1)
    elapsed = time.monotonic() - started

    assert outcome == linkcheck.Result(None, "no answer within 1 seconds")
    assert elapsed < 2.5
    assert len(server.requests) <= 3


def test_only_the_start_of_the_body_is_read(server, allow_local_server):
    started = time.monotonic()
    outcome = linkcheck.check_url(f"{server.url}/endless", timeout=5)

    assert outcome == linkcheck.Result(200, "")
    assert time.monotonic() - started < 2
    assert server.cut_off.wait(3)


# ---------- HTTPS: the certificate is checked for the name, not for the address connected to ----------


@pytest.fixture(scope="module")
def certificates(tmp_path_factory):
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a test certificate authority")
    return make_certificate_authority(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def tls_server(start_server, certificates, monkeypatch, allow_local_server):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificates / "shop.pem", certificates / "shop.key")
    # The link check trusts the system's certificate authorities; OpenSSL reads this variable for them.
    monkeypatch.setenv("SSL_CERT_FILE", str(certificates / "ca.pem"))
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    dns = fake_resolver(monkeypatch)
    dns.answers["shop.test"] = [["127.0.0.1"]]
    dns.answers["other.test"] = [["127.0.0.1"]]
    return start_server(tls=context)


def test_https_sends_the_name_and_checks_the_certificate_for_it(tls_server):
    assert linkcheck.check_url(f"https://shop.test:{tls_server.port}/ok") == linkcheck.Result(200, "")
    assert tls_server.server_names == ["shop.test"]
    assert tls_server.requests == [("HEAD", "/ok", f"shop.test:{tls_server.port}")]


def test_https_refuses_a_certificate_for_another_name(tls_server):
    outcome = linkcheck.check_url(f"https://other.test:{tls_server.port}/ok")

    assert outcome.status_code is None
    assert outcome.error.startswith("TLS certificate not valid: Hostname mismatch")
    assert tls_server.server_names == ["other.test"]
    assert tls_server.requests == []

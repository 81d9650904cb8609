"""The link check never asks an address inside the server's network: not for the link, not for a name that
resolves there, not for a redirect that leads there. (Servers and the fake resolver: linkcheck_servers.py.)
"""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from marketplace.editorial import linkcheck
from marketplace.editorial.models import LinkCheck
from marketplace.editorial.queue import broken_links_section
from tests.factories import SolutionFactory, UserFactory
from tests.marketplace.editorial.linkcheck_servers import fake_resolver


@pytest.fixture(autouse=True)
def _english(settings, tmp_path):
    settings.LANGUAGE_CODE = "en"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def allow_local_server(settings):
    # Only the first loopback address: 127.0.0.2 stays blocked and plays the internal service.
    settings.LINKCHECK_ALLOWED_NETWORKS = ["127.0.0.1/32"]


@pytest.fixture
def fake_dns(monkeypatch):
    return fake_resolver(monkeypatch)


def blocked(reason):
    return linkcheck.Result(None, f"blocked: {reason}")


# ---------- Addresses inside the network, with the default settings ----------


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:{port}/ok", "loopback address"),
        ("http://localhost:{port}/ok", "loopback address"),
        ("http://2130706433:{port}/ok", "loopback address"),  # 127.0.0.1 written as one number
        ("http://[::1]:{port}/ok", "loopback address"),
        ("http://[::ffff:127.0.0.1]:{port}/ok", "loopback address"),
        ("http://0.0.0.0:{port}/ok", "unspecified address"),  # reaches the local host on Linux
        ("http://10.0.0.1/", "private address"),
        ("http://172.16.5.4/", "private address"),
        ("http://192.168.1.1/", "private address"),
        ("http://[fd00:ec2::254]/", "private address"),
        ("http://[::ffff:10.0.0.1]/", "private address"),
        ("http://169.254.169.254/latest/meta-data", "link-local address"),
        ("http://[fe80::1]/", "link-local address"),
        ("http://100.64.0.1/", "shared address"),
        ("http://224.0.0.1/", "multicast address"),
        ("http://[ff0e::1]/", "multicast address"),
        ("http://240.0.0.1/", "reserved address"),
        ("http://192.0.2.10/", "non-public address"),
    ],
)
def test_addresses_inside_the_network_are_refused_without_a_connection(server, url, reason):
    url = url.format(port=server.port)

    assert linkcheck.check_url(url) == blocked(reason)
    assert server.connections == []


@pytest.mark.parametrize(
    "url", ["ftp://files.example/x", "file:///etc/passwd", "gopher://127.0.0.1:70/", "javascript:alert(1)"]
)
def test_other_schemes_are_refused(url):
    assert linkcheck.check_url(url) == blocked("not an http(s) address")


@pytest.mark.parametrize("url", ["http:///path", "http://example.org:99999/", "http://exa mple.org/"])
def test_malformed_addresses_are_refused(url):
    assert linkcheck.check_url(url) == blocked("not a valid web address")


def test_a_name_that_does_not_resolve_is_refused():
    assert linkcheck.check_url("http://nonexistent.invalid/") == blocked("host name does not resolve")


def test_the_allowed_networks_setting_must_hold_networks(settings):
    settings.LINKCHECK_ALLOWED_NETWORKS = ["127.0.0.1/32", "intranet"]

    with pytest.raises(ImproperlyConfigured, match="LINKCHECK_ALLOWED_NETWORKS"):
        linkcheck.check_url("http://127.0.0.1/")


# ---------- Name resolution: checked once, connected to what was checked ----------


def test_the_checked_address_is_the_one_connected_to(start_server, fake_dns, allow_local_server):
    checked = start_server("127.0.0.1")
    internal = start_server("127.0.0.2", port=checked.port)
    # DNS rebinding: the first answer passes the check, every later one points inside the network.
    fake_dns.answers["shop.test"] = [["127.0.0.1"], ["127.0.0.2"]]

    assert linkcheck.check_url(f"http://shop.test:{checked.port}/ok") == linkcheck.Result(200, "")
    assert checked.requests == [("HEAD", "/ok", f"shop.test:{checked.port}")]
    assert internal.connections == []
    assert fake_dns.asked == ["shop.test"]


def test_a_name_with_any_internal_address_is_refused(server, fake_dns, allow_local_server):
    fake_dns.answers["mixed.test"] = [["127.0.0.1", "10.1.2.3"]]

    assert linkcheck.check_url(f"http://mixed.test:{server.port}/ok") == blocked("private address")
    assert server.connections == []


# ---------- Redirects: every hop is checked like the first address ----------


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("http://127.0.0.2:{port}/secret", "loopback address"),
        ("http://10.0.0.1/", "private address"),
        ("http://169.254.169.254/latest/meta-data", "link-local address"),
        ("file:///etc/passwd", "not an http(s) address"),
        ("http://nonexistent.invalid/", "host name does not resolve"),
    ],
)
def test_a_redirect_into_the_network_is_refused(start_server, allow_local_server, target, reason):
    public = start_server("127.0.0.1")
    internal = start_server("127.0.0.2", port=public.port)
    target = target.format(port=internal.port)

    outcome = linkcheck.check_url(f"{public.url}/redirect?to={target}")

    assert outcome == linkcheck.Result(None, f"redirect blocked: {reason}")
    assert [request[:2] for request in public.requests] == [("HEAD", f"/redirect?to={target}")]
    assert internal.connections == []


def test_redirects_are_followed_to_a_limit(server, allow_local_server):
    assert linkcheck.check_url(f"{server.url}/loop") == linkcheck.Result(None, "more than 10 redirects")
    assert server.requests.count(("HEAD", "/loop", f"127.0.0.1:{server.port}")) == 11


# ---------- What the editors see ----------


@pytest.mark.django_db
def test_blocked_links_are_recorded_with_their_reason_for_the_editors(rf, server):
    solution = SolutionFactory(
        website="http://169.254.169.254/latest/meta-data",
        source_url=f"http://localhost:{server.port}/ok",
        accessibility_statement_url="",
    )

    out = io.StringIO()
    call_command("check_links", "--timeout", "2", stdout=out)

    assert sorted(LinkCheck.objects.values_list("field", "status_code", "error", "is_broken")) == [
        ("source_url", None, "blocked: loopback address", True),
        ("website", None, "blocked: link-local address", True),
    ]
    assert server.connections == []
    metadata = "http://169.254.169.254/latest/meta-data"
    assert f"broken: {solution.title} (website) {metadata} - blocked: link-local address" in out.getvalue()
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Redaktion"))
    request = rf.get("/")
    request.user = editor
    details = sorted(item.detail for item in broken_links_section(request, limit=50).items)
    assert details == ["blocked: link-local address", "blocked: loopback address"]

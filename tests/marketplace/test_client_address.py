"""The client's address behind proxies we trust, and the login lockout that counts by it and by account."""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from marketplace.address_settings import client_ip_header, networks
from marketplace.ratelimit import client_address
from tests.factories import UserFactory

PROXY = "10.0.0.2"
STRANGER = "203.0.113.9"


@pytest.fixture(autouse=True)
def _behind_a_proxy(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.LANGUAGE_CODE = "en"
    cache.clear()
    yield
    cache.clear()


def _address(rf, remote_addr, forwarded=None, **meta):
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(rf.get("/", REMOTE_ADDR=remote_addr, **meta))


def test_forwarded_for_from_an_untrusted_address_is_ignored(rf):
    assert _address(rf, STRANGER, "198.51.100.7") == STRANGER


def test_forwarded_for_from_a_trusted_proxy_names_the_client(rf):
    assert _address(rf, PROXY, "198.51.100.7") == "198.51.100.7"


def test_the_chain_is_walked_from_the_right_past_every_trusted_proxy(rf):
    # The client put a forged address first; our two proxies appended what they saw.
    assert _address(rf, PROXY, "1.2.3.4, 198.51.100.7, 10.0.0.5") == "198.51.100.7"


def test_garbage_in_the_chain_stops_at_the_last_address_a_trusted_proxy_wrote(rf):
    assert _address(rf, PROXY, "198.51.100.7, not-an-address, 10.0.0.5") == "10.0.0.5"


def test_a_trusted_proxy_without_the_header_is_the_client(rf):
    assert _address(rf, PROXY) == PROXY


def test_no_trusted_proxies_means_the_header_is_never_read(rf, settings):
    settings.TRUSTED_PROXIES = []
    assert _address(rf, "127.0.0.1", "198.51.100.7") == "127.0.0.1"


def test_a_single_value_header_such_as_x_real_ip_works_too(rf, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    assert _address(rf, PROXY, HTTP_X_REAL_IP="198.51.100.7") == "198.51.100.7"
    assert _address(rf, STRANGER, HTTP_X_REAL_IP="198.51.100.7") == STRANGER


def test_ipv4_mapped_ipv6_addresses_count_as_ipv4(rf):
    assert _address(rf, "::ffff:10.0.0.2", "2001:db8::1") == "2001:db8::1"
    assert _address(rf, "::ffff:203.0.113.9") == STRANGER


def test_trusted_proxies_are_parsed_and_checked_at_start():
    assert networks("TRUSTED_PROXIES", ["127.0.0.1", "10.0.0.0/8", "::1"]) == [
        "127.0.0.1/32",
        "10.0.0.0/8",
        "::1/128",
    ]
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXIES.*'proxy.local'"):
        networks("TRUSTED_PROXIES", ["10.0.0.0/8", "proxy.local"])


@pytest.mark.parametrize("header", ["X-Real-IP", "x_forwarded_for", "HTTP_X REAL"])
def test_a_header_name_django_would_never_see_stops_the_start(header):
    with pytest.raises(ImproperlyConfigured, match="CLIENT_IP_HEADER must name a header"):
        client_ip_header(header, trusted_proxies=["10.0.0.0/8"])


def _start(**environment) -> subprocess.CompletedProcess:
    env = {
        key: value for key, value in os.environ.items() if key not in {"CLIENT_IP_HEADER", "TRUSTED_PROXIES"}
    }
    env.update(environment)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_client_address_header_without_trusted_proxies_stops_the_start():
    # Before TRUSTED_PROXIES the header was believed from anyone: such a setup must not go on silently.
    refused = _start(CLIENT_IP_HEADER="HTTP_X_REAL_IP")
    accepted = _start(CLIENT_IP_HEADER="HTTP_X_REAL_IP", TRUSTED_PROXIES="10.0.0.0/8")

    assert refused.returncode == 1
    assert "CLIENT_IP_HEADER is only believed from a trusted proxy" in refused.stderr
    assert accepted.returncode == 0, accepted.stderr


# ---------------------------------------------------------------- login lockout

WRONG = "falsch"


def _login(client, address, password=WRONG, *, forwarded=None, username="anna@example.org"):
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        headers=headers,
    )


@pytest.fixture
def anna(db):
    return UserFactory(username="anna@example.org", email="anna@example.org")


def test_a_forged_forwarded_for_does_not_escape_the_lockout(client, settings, anna):
    settings.AXES_FAILURE_LIMIT = 3
    statuses = [_login(client, STRANGER, forwarded=f"198.51.100.{number}").status_code for number in range(4)]
    assert statuses == [200, 200, 429, 429]
    # The stranger's own address is locked, whatever it claims to be.
    assert _login(client, STRANGER, "correct-horse-battery", forwarded="192.0.2.1").status_code == 429


def test_the_lockout_counts_clients_behind_the_proxy_separately(client, settings, anna):
    settings.AXES_FAILURE_LIMIT = 3
    for _attempt in range(3):
        _login(client, PROXY, forwarded="198.51.100.7")

    assert _login(client, PROXY, "correct-horse-battery", forwarded="198.51.100.7").status_code == 429
    other = _login(client, PROXY, "correct-horse-battery", forwarded="198.51.100.8")
    assert other["Location"] == reverse("vendor:dashboard")


def test_failures_from_many_addresses_lock_the_account(client, settings, anna):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_ACCOUNT_FAILURE_LIMIT = 6
    for address in ("198.51.100.1", "198.51.100.2"):
        assert [_login(client, address).status_code for _ in range(3)] == [200, 200, 429]

    # Two addresses used up the account's allowance: a third gets no guess, not even the right one.
    response = _login(client, "198.51.100.3", "correct-horse-battery")
    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Other accounts are not affected.
    UserFactory(username="bert@example.org", email="bert@example.org")
    bert = _login(client, "198.51.100.3", "correct-horse-battery", username="bert@example.org")
    assert bert["Location"] == reverse("vendor:dashboard")


def test_one_address_hammering_a_locked_login_cannot_lock_the_account_for_everyone(client, settings, anna):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_ACCOUNT_FAILURE_LIMIT = 6
    statuses = [_login(client, STRANGER).status_code for _ in range(10)]
    assert statuses == [200, 200] + [429] * 8

    response = _login(client, "198.51.100.3", "correct-horse-battery")
    assert response["Location"] == reverse("vendor:dashboard")

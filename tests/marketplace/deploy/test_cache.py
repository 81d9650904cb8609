"""The resilient Redis cache against an address where nothing listens: the site behaves as without a cache."""

import logging
import socket
import threading

import pytest
from django.core.cache import caches
from django.test import override_settings
from django.urls import reverse

from marketplace.cache import ResilientRedisCache


@pytest.fixture
def closed_port():
    """A loopback port nobody listens on (bound for a moment to find a free one, then closed)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def unreachable(closed_port):
    return ResilientRedisCache(f"redis://127.0.0.1:{closed_port}/0", {"OPTIONS": {"RETRY_AFTER": 60}})


def test_reads_return_the_default_while_redis_is_unreachable(unreachable):
    assert unreachable.get("facets", "computed") == "computed"
    assert unreachable.get_many(["a", "b"]) == {}
    assert unreachable.has_key("a") is False


def test_writes_do_nothing_while_redis_is_unreachable(unreachable):
    unreachable.set("page", "body", 60)
    unreachable.delete_many(["page"])
    assert unreachable.add("counter", 0, 60) is False
    assert unreachable.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert unreachable.delete("page") is False
    assert unreachable.get("page") is None


def test_counters_start_afresh_while_redis_is_unreachable(unreachable):
    # What the rate limits see: every attempt is the first, so they fail open.
    assert unreachable.incr("ratelimit:x", 1) == 1
    assert unreachable.incr("ratelimit:x", 1) == 1


def test_an_outage_is_logged_once_per_process(unreachable, caplog):
    with caplog.at_level(logging.WARNING, logger="marketplace.cache"):
        for _ in range(5):
            unreachable.get("key")
    assert [record.getMessage().split(":")[0] for record in caplog.records] == [
        "Cache unreachable, serving without it until it answers again"
    ]
    assert unreachable.available is False


class RefusingServer:
    """Accepts each connection and closes it at once: a cache that is there but never answers."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.accepted = 0
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while True:
            try:
                connection, _address = self.listener.accept()
            except OSError:
                return
            self.accepted += 1
            connection.close()

    def close(self):
        self.listener.close()
        self.thread.join(timeout=2)


@pytest.fixture
def refusing():
    server = RefusingServer()
    yield server
    server.close()


@pytest.mark.parametrize(("retry_after", "attempts"), [(60, 1), (0, 3)])
def test_redis_is_asked_again_only_after_retry_after(refusing, caplog, retry_after, attempts):
    cache = ResilientRedisCache(
        f"redis://127.0.0.1:{refusing.port}/0", {"OPTIONS": {"RETRY_AFTER": retry_after}}
    )
    with caplog.at_level(logging.WARNING, logger="marketplace.cache"):
        assert [cache.get("key", "default") for _ in range(3)] == ["default"] * 3
    assert refusing.accepted == attempts
    assert len(caplog.records) == 1


def test_pool_options_keep_timeouts_short_and_take_overrides(closed_port):
    cache = ResilientRedisCache(
        f"redis://127.0.0.1:{closed_port}/0", {"OPTIONS": {"socket_timeout": 2.0, "RETRY_AFTER": 5}}
    )
    assert cache.retry_after == 5.0
    assert cache._options["socket_timeout"] == 2.0
    assert cache._options["socket_connect_timeout"] == 0.25


@pytest.mark.django_db
def test_pages_render_and_rate_limits_fail_open_with_redis_unreachable(client, closed_port, settings):
    location = f"redis://127.0.0.1:{closed_port}/0"
    backend = {"BACKEND": "marketplace.cache.ResilientRedisCache", "LOCATION": location}
    limit, _window = settings.PORTAL_PASSWORD_RESET_RATE
    with override_settings(CACHES={"default": backend}):
        assert isinstance(caches["default"], ResilientRedisCache)
        home = client.get(reverse("home"))
        catalog = client.get(reverse("solutions:list"))
        answers = [
            client.post(reverse("accounts:password_reset"), {"email": f"n{n}@example.org"}).status_code
            for n in range(limit + 1)
        ]
    assert home.status_code == 200
    assert "Smart-City-Marktplatz" in home.text
    assert catalog.status_code == 200
    # Over the limit, yet accepted: nothing can count while the cache is down.
    assert answers == [302] * (limit + 1)

"""The health check answers from a real database round-trip and says so when the database is gone."""

import copy
from contextlib import contextmanager

import pytest
from django.db import connections
from django.urls import reverse


@contextmanager
def database_at(host: str):
    """Point the default connection at a socket directory where no server listens; restore it afterwards.

    A fresh connection object is swapped in (without the pool, which is shared per alias) so the test's own
    connection and transaction stay untouched.
    """
    original = connections["default"]
    broken_settings = copy.deepcopy(original.settings_dict)
    broken_settings["HOST"] = host
    broken_settings["OPTIONS"].pop("pool", None)
    broken_settings["OPTIONS"]["connect_timeout"] = 2
    broken = original.__class__(broken_settings, alias="default")
    connections["default"] = broken
    try:
        yield
    finally:
        broken.close()
        connections["default"] = original


@pytest.fixture
def unreachable_database(tmp_path):
    with database_at(str(tmp_path / "no-server-here")):
        yield


@pytest.mark.django_db
def test_healthz_says_ok_after_a_database_round_trip(client, django_assert_num_queries):
    with django_assert_num_queries(1) as queries:
        response = client.get(reverse("healthz"))

    assert (response.status_code, response.content) == (200, b"ok")
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert queries.captured_queries[0]["sql"] == "SELECT 1"


@pytest.mark.django_db
def test_healthz_is_never_cached(client):
    response = client.get(reverse("healthz"))

    assert "no-store" in response.headers["Cache-Control"]
    assert "max-age=0" in response.headers["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_is_unreachable(client, unreachable_database):
    response = client.get(reverse("healthz"))

    assert (response.status_code, response.content) == (503, b"database unavailable")
    assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.django_db
def test_healthz_recovers_when_the_database_is_back(client, tmp_path):
    with database_at(str(tmp_path / "no-server-here")):
        down = client.get(reverse("healthz"))
    back = client.get(reverse("healthz"))

    assert (down.status_code, back.status_code) == (503, 200)


@pytest.mark.django_db
def test_healthz_answers_head_but_not_post(client):
    head = client.head(reverse("healthz"))
    post = client.post(reverse("healthz"))

    assert head.status_code == 200
    assert (post.status_code, post.headers["Allow"]) == (405, "GET, HEAD")

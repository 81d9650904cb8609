"""The health check answers from a real database round-trip and says so when the database is gone."""

import pytest
from django.urls import reverse

from marketplace.faults import RETRY_AFTER_SECONDS
from tests.marketplace.outage import database_at


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
    assert response.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)


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

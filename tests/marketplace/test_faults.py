"""While the database cannot be reached every page answers a friendly 503 (never a 500 or a hang).

These tests point Django at a socket where no server listens; test_faults_live.py stops a real PostgreSQL
under a running gunicorn and also measures the time to the 503 and back.
"""

import psycopg
import pytest
from django.db import DataError, IntegrityError, InterfaceError, OperationalError, ProgrammingError
from django.template import engines, loader
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from psycopg_pool import PoolTimeout

import marketplace.urls
from marketplace.env import env_float
from marketplace.faults import RETRY_AFTER_SECONDS, is_database_unavailable
from solutions.models import Solution
from tests.factories import SolutionFactory, UserFactory
from tests.marketplace.outage import database_at, unavailable_heading
from tests.marketplace.test_pages import Elements


@pytest.fixture
def database_down(tmp_path):
    with database_at(str(tmp_path / "no-server-here")):
        yield


@pytest.fixture
def visitor(client):
    # The 503 must come from the site, not from the test client re-raising the error.
    client.raise_request_exception = False
    return client


def assert_friendly_503(response):
    html = response.content.decode()
    page = Elements(html)

    assert response.status_code == 503
    assert response.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "no-store" in response.headers["Cache-Control"]
    assert [text for tag, _, text in page.texts if tag == "h1"] == [unavailable_heading()]
    assert ("html", {"lang": "de"}) in page.tags
    assert [tag for tag, _ in page.tags if tag == "script"] == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name", ["home", "search", "solutions:list", "pilots:list", "municipalities:list", "solutions:detail"]
)
def test_page_answers_friendly_503_while_the_database_is_down(visitor, url_name, tmp_path):
    solution = SolutionFactory()
    url = reverse(url_name, kwargs={"slug": solution.slug} if url_name.endswith("detail") else None)
    url += "?q=Parkraum" if url_name == "search" else ""  # without a query the search form needs no data

    with database_at(str(tmp_path / "no-server-here")):
        response = visitor.get(url)

    assert_friendly_503(response)


@pytest.mark.django_db
def test_view_answers_503_with_debug_on_too(visitor, settings, database_down):
    # Django's debug page replaces the 500 handler with DEBUG on; the middleware still answers a view's error.
    settings.DEBUG = True

    response = visitor.get(reverse("solutions:list"))

    assert_friendly_503(response)


@pytest.mark.django_db
def test_signed_in_page_answers_503_when_the_session_cannot_be_loaded(visitor, tmp_path, caplog):
    # The user (and with it the session) is loaded by a middleware, before any view: the error ends in the
    # 500 handler, not in the middleware's process_exception.
    visitor.force_login(UserFactory())

    with database_at(str(tmp_path / "no-server-here")):
        response = visitor.get(reverse("vendor:dashboard"))

    assert_friendly_503(response)
    assert "OperationalError" in caplog.text


@pytest.mark.django_db
def test_form_post_answers_503_while_the_database_is_down(visitor, database_down, caplog):
    response = visitor.post(reverse("accounts:login"), {"username": "a@example.org", "password": "x" * 12})

    assert_friendly_503(response)
    assert "Database unavailable: /konto/anmelden/" in caplog.text


def _lazy_list(request):
    # Like a class-based view: the template (and with it the query) renders after the view has returned.
    template = engines["django"].from_string("{% for solution in solutions %}{{ solution }}{% endfor %}")
    return TemplateResponse(request, template, {"solutions": Solution.objects.all()})


urlpatterns = [path("test-only/lazy/", _lazy_list), *marketplace.urls.urlpatterns]
handler500 = marketplace.urls.handler500


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_template_rendered_after_the_view_answers_503_while_the_database_is_down(visitor, database_down):
    response = visitor.get("/test-only/lazy/")

    assert_friendly_503(response)


@pytest.mark.django_db
def test_page_works_again_when_the_database_is_back(visitor, tmp_path):
    with database_at(str(tmp_path / "no-server-here")):
        down = visitor.get(reverse("home"))
    back = visitor.get(reverse("home"))

    assert (down.status_code, back.status_code) == (503, 200)


def test_unavailable_page_renders_without_request_context_or_database():
    # No django_db mark: any query would fail the test. The language is whatever the failing request had
    # activated; German here, independent of what earlier tests left active in this thread.
    with translation.override("de"):
        html = loader.get_template("503.html").render()

    assert "Smart-City-Marktplatz" in html
    assert unavailable_heading() in html


@pytest.mark.parametrize(
    ("error", "unavailable"),
    [
        (OperationalError("server closed the connection unexpectedly"), True),
        (InterfaceError("connection already closed"), True),
        (PoolTimeout("couldn't get a connection after 1.00 sec"), True),
        (psycopg.OperationalError("connection refused"), True),
        (IntegrityError("duplicate key"), False),
        (ProgrammingError("relation does not exist"), False),
        (DataError("value too long"), False),
        (RuntimeError("boom"), False),
    ],
)
def test_only_errors_of_reaching_the_database_count_as_unavailable(error, unavailable):
    # A broken query is a bug and keeps its 500; only a database out of reach is "come back later".
    assert is_database_unavailable(error) is unavailable


def test_env_float_reads_fractions_and_falls_back_when_empty(monkeypatch):
    monkeypatch.setenv("SCM_TEST_SECONDS", "0.5")
    assert env_float("SCM_TEST_SECONDS", 1.0) == 0.5
    monkeypatch.setenv("SCM_TEST_SECONDS", " ")
    assert env_float("SCM_TEST_SECONDS", 1.0) == 1.0


def test_env_float_rejects_non_numbers(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("SCM_TEST_SECONDS", "2s")

    with pytest.raises(ImproperlyConfigured, match="SCM_TEST_SECONDS"):
        env_float("SCM_TEST_SECONDS", 1.0)

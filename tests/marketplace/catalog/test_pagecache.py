"""Kept pages (marketplace/catalog/pagecache.py): a page answered from the cache is the page rendered afresh,
with this visitor's own CSRF token and CSP nonce, and no query but the content version's."""

import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.autoreload import file_changed

from marketplace.catalog import pagecache
from municipalities.choice import SESSION_KEY
from tests.factories import (
    CategoryFactory,
    MunicipalityFactory,
    PilotProjectFactory,
    ReferenceFactory,
    SolutionFactory,
)

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NONCE = re.compile(r'nonce="([^"]+)"')


def normalised(html: str) -> str:
    """The page without the values that belong to one request."""
    return NONCE.sub('nonce=""', TOKEN.sub('name="csrfmiddlewaretoken" value=""', html))


@pytest.fixture
def content():
    cache.clear()
    mobility = CategoryFactory(name_de="Mobilität", slug="mobilitaet")
    town = MunicipalityFactory(name="Rheine")
    for number in range(3):
        solution = SolutionFactory(title=f"Parkleitsystem {number}", categories=[mobility], featured=True)
        ReferenceFactory(solution=solution, municipality=town, is_verified=True)
    PilotProjectFactory(title="Smarte Parkplätze", lead_municipality=town)
    yield town
    cache.clear()


def fresh_and_kept(client, url, **headers):
    first = client.get(url, headers=headers)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url, headers=headers)
    return first, second, queries


@pytest.mark.parametrize(
    "name,query",
    [
        ("solutions:list", ""),
        ("solutions:list", "?category=mobilitaet&q=Parkleitsystem"),
        ("pilots:list", ""),
        ("municipalities:list", "?q=Rheine"),
        ("home", ""),
    ],
)
def test_a_kept_page_is_the_fresh_page_with_this_requests_token_and_nonce(client, content, name, query):
    first, second, queries = fresh_and_kept(client, reverse(name) + query)
    assert first.status_code == second.status_code == 200
    html_first, html_second = first.content.decode(), second.content.decode()
    assert normalised(html_second) == normalised(html_first)
    # Only the content version was read; nothing of the catalog's queries ran again.
    assert len(queries) == 1, [q["sql"] for q in queries.captured_queries]
    # Each answer carries the nonce of its own Content-Security-Policy header.
    for response, html in ((first, html_first), (second, html_second)):
        nonces = set(NONCE.findall(html))
        assert len(nonces) == 1
        assert f"'nonce-{nonces.pop()}'" in response["Content-Security-Policy"]
    assert set(NONCE.findall(html_first)) != set(NONCE.findall(html_second))


def test_the_home_page_keeps_the_csrf_token_of_each_request(client, content):
    first, second, _queries = fresh_and_kept(client, reverse("home"))
    tokens_first = TOKEN.findall(first.content.decode())
    tokens_second = TOKEN.findall(second.content.decode())
    # The find form inside the kept body holds a token; each request's tokens are its own (new masks).
    assert len(tokens_second) == len(tokens_first) >= 2
    assert not set(tokens_first) & set(tokens_second)
    assert pagecache.CSRF_HOLE not in second.content.decode()


def test_an_htmx_partial_is_kept_whole_and_apart_from_the_page(client, content):
    url = reverse("solutions:list") + "?category=mobilitaet"
    page = client.get(url)
    first, second, queries = fresh_and_kept(client, url, HX_Request="true")
    assert first.content == second.content
    assert b"<html" not in second.content and b"<html" in page.content
    assert len(queries) == 1
    assert "HX-Request" in second["Vary"]


def test_a_publish_shows_on_the_next_request(client, content):
    url = reverse("solutions:list")
    assert "Neue Ampelsteuerung" not in client.get(url).content.decode()
    SolutionFactory(title="Neue Ampelsteuerung")
    assert "Neue Ampelsteuerung" in client.get(url).content.decode()


def test_the_chosen_municipality_and_the_language_are_part_of_the_key(client, content):
    url = reverse("solutions:list")
    plain = client.get(url).content.decode()
    session = client.session
    session[SESSION_KEY] = content.pk
    session.save()
    compared = client.get(url).content.decode()
    assert "Rheine" not in normalised(plain).split("<main")[1]
    assert "Rheine" in normalised(compared).split("<main")[1]
    english = client.get(url, headers={"Accept-Language": "en"}).content.decode()
    german = client.get(url, headers={"Accept-Language": "de"}).content.decode()
    assert "Show all solutions" in english or "Search solutions" in english
    assert "Lösungen suchen" in german


def test_long_query_strings_are_served_but_not_kept(client, content):
    url = reverse("solutions:list") + "?q=" + "a" * (pagecache.MAX_QUERY_LENGTH + 1)
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries) > 1


def test_a_file_changed_under_the_autoreloader_renders_pages_afresh(client, content, settings):
    url = reverse("solutions:list")
    client.get(url)
    file_changed.send(sender=None, file_path=Path(settings.BASE_DIR) / "templates" / "catalog" / "base.html")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries) > 1  # rendered, not the page kept before the change

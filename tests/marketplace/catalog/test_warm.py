"""The catalogs' indexes are rebuilt when a public change commits (marketplace/catalog/warm.py), so the first
catalog request after a publish reads only what any warm request reads."""

import pytest
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marketplace.catalog.index import clear_facet_indexes, kept_facet_indexes
from marketplace.catalog.version import content_version
from marketplace.catalog.warm import after_public_change, warm
from marketplace.choices import EditorialStatus
from marketplace.editorial.services.listings import publish_many
from solutions.models import Solution
from tests.factories import CategoryFactory, SolutionFactory, UserFactory

# Real commits: the rebuild runs when a transaction commits (at once in autocommit mode).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def catalog():
    cache.clear()
    clear_facet_indexes()
    category = CategoryFactory(slug="mobilitaet")
    SolutionFactory.create_batch(3, categories=[category])
    yield category
    cache.clear()
    clear_facet_indexes()


def test_the_first_catalog_request_after_a_committed_publish_reads_like_a_warm_one(
    client, catalog, django_assert_num_queries
):
    SolutionFactory(title="Neu veröffentlicht", categories=[catalog])
    # The page's rows: no facet index, no choices (outside a transaction the content version is read through
    # a connection of its own, marketplace/catalog/version.py, which this count does not see).
    with django_assert_num_queries(1):
        response = client.get(reverse("solutions:list"), {"category": "mobilitaet"})
    assert "Neu veröffentlicht" in response.content.decode()
    assert response.context["total"] == 4


def test_the_first_home_request_after_a_committed_publish_counts_nothing_again(
    client, catalog, django_assert_num_queries
):
    SolutionFactory(title="Neu veröffentlicht", categories=[catalog])
    # The featured solutions and the newest pilots; the catalog's total and the figures were counted after
    # the commit (version: see above).
    with django_assert_num_queries(2):
        response = client.get(reverse("home"))
    assert response.context["figures"]["solutions"] == 4


def test_without_the_rebuild_the_first_request_builds_the_index(client, catalog, django_assert_num_queries):
    # An UPDATE sends no signal: the version changes in the database, nothing is rebuilt ahead.
    Solution.objects.filter(slug__startswith="loesung").update(title="Neu veröffentlicht")
    # The choices of the categories and standards, the index's queries, the page's rows (version: see above).
    with django_assert_num_queries(7):
        client.get(reverse("solutions:list"), {"category": "mobilitaet"})


def test_a_publish_by_update_asks_for_the_rebuild_itself(catalog):
    editor = UserFactory(is_staff=True, is_superuser=True)
    draft = SolutionFactory(status=EditorialStatus.SUBMITTED, published_at=None, categories=[catalog])
    clear_facet_indexes()
    cache.clear()
    published, refused = publish_many([draft], by=editor)
    assert [row.pk for row in published] == [draft.pk] and not refused
    assert kept_facet_indexes() == 3  # solutions, pilots and municipalities
    assert cache.get(f"content:home-figures:{content_version()}") == {
        "vendors": 4,
        "pilots": 0,
        "municipalities": 0,
    }


def test_inside_a_request_the_rebuild_waits_until_the_response_is_sent(catalog):
    clear_facet_indexes()
    request_started.send(sender=None)
    try:
        after_public_change()  # autocommit: "committed" at once
        assert kept_facet_indexes() == 0
    finally:
        request_finished.send(sender=None)
    assert kept_facet_indexes() == 3


def test_warming_twice_for_one_version_builds_nothing_new(catalog, django_assert_num_queries):
    assert warm() == 4  # three catalogs and the home page's figures
    version = content_version()
    # The versions are read directly, the choices are cached and the indexes come from memory: no query.
    with django_assert_num_queries(0):
        assert warm() == 4
    assert content_version() == version


def test_outside_a_transaction_the_version_is_read_without_the_requests_connection(catalog):
    committed = content_version()
    with CaptureQueriesContext(connection) as queries:
        assert content_version() == committed
    assert len(queries) == 0  # read through the thread's own autocommit connection
    with transaction.atomic():
        SolutionFactory(title="Noch nicht festgeschrieben")
        with CaptureQueriesContext(connection) as queries:
            inside = content_version()
        assert len(queries) == 1 and inside != committed  # only this transaction sees its own version
    assert content_version() == inside  # committed now, and read directly again


def test_kept_pages_of_a_live_server_answer_with_no_query_of_the_request(client, catalog):
    url = reverse("solutions:list")
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries) == 0

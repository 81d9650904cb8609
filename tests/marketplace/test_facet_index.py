"""The facet index: the same counts as the aggregate query, and a fixed, small number of queries.

Committed data is counted from the in-memory facet index (``marketplace.facets.facet_index``); the truth
tests of each catalog (``test_facet_counts_equal_true_counts``) run both ways through the ``counted_by``
fixture. These tests add search terms and a random catalog, and lock the queries of the index path, which
only committed data takes.
"""

import datetime
import random
import re
import uuid

import pytest
from django.apps import apps
from django.db import connection
from django.http import QueryDict
from django.utils import timezone

from marketplace.facets import _INDEXES, INDEX_LIMIT, NON_PUBLIC_TABLES, clear_facet_indexes, data_version
from municipalities.filters import MunicipalityFilterSet
from municipalities.models import Municipality
from pilots.filters import PilotFilterSet
from pilots.models import PilotProject
from solutions.filters import SolutionFilterSet
from solutions.models import EmailVerification, JoinRequest, Solution, SolutionRevision
from tests.factories import (
    CategoryFactory,
    MunicipalityFactory,
    PilotProjectFactory,
    ReferenceFactory,
    SolutionFactory,
    StandardFactory,
    UserFactory,
    VendorFactory,
    VendorMembershipFactory,
)

AGS = ["09162000", "14612000", "06411000", "05315000", "08111000", "01001000"]


def _random_catalog(seed: int = 7, solutions: int = 40) -> None:
    rng = random.Random(seed)
    categories = [CategoryFactory(slug=f"feld-{i}") for i in range(4)]
    standards = [StandardFactory(slug=f"norm-{i}") for i in range(3)]
    towns = [
        MunicipalityFactory(
            ags=ags, population=rng.choice([3_000, 40_000, 600_000]), is_model_project=i % 2 == 0
        )
        for i, ags in enumerate(AGS)
    ]
    words = ["Parkraum", "Straßenbeleuchtung", "Bürgerbeteiligung", "Abfall"]
    for number in range(solutions):
        solution = SolutionFactory(
            title=f"{rng.choice(words)} {number}",
            categories=rng.sample(categories, rng.randint(0, 2)),
            standards=rng.sample(standards, rng.randint(0, 2)),
            maturity=rng.choice(["concept", "pilot", "production", "widespread"]),
            licence_type=(licence := rng.choice(["proprietary", "open_source"])),
            spdx_id="EUPL-1.2" if licence == "open_source" else "",
            price_model=rng.choice(["subscription", "free", "on_request"]),
            size_classes=rng.sample(["kleinstadt", "mittelstadt", "grossstadt"], rng.randint(0, 2)),
            hosting_options=rng.sample(["on_premises", "german_dc", "eu_cloud"], rng.randint(0, 3)),
        )
        for town in rng.sample(towns, rng.randint(0, 3)):
            ReferenceFactory(solution=solution, municipality=town, is_verified=rng.random() < 0.4)
    for number in range(solutions // 2):
        PilotProjectFactory(
            title=f"{rng.choice(words)} Pilot {number}",
            lead_municipality=rng.choice(towns),
            categories=rng.sample(categories, rng.randint(0, 2)),
            funding=rng.choice(["msc", "land", "eu"]),
            phase=rng.choice(["strategy", "implementation", "completed"]),
            start_date=datetime.date(rng.randint(2018, 2022), 1, 1),
        )


def _counts(filterset) -> tuple:
    return filterset.total, [
        (f.name, [(o.value, o.count, o.selected) for o in f.options]) for f in filterset.facets
    ]


CATALOGS = {
    "solutions": (SolutionFilterSet, Solution.objects.published),
    "pilots": (PilotFilterSet, PilotProject.objects.published),
    "municipalities": (MunicipalityFilterSet, Municipality.objects.all),
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "catalog, query",
    [
        ("solutions", ""),
        ("solutions", "q=Parkraum"),
        ("solutions", "q=Parkplatz&category=feld-1"),  # German stemming: no exact word in the titles
        ("solutions", "q=Strassenbeleuchtng"),  # the trigram fallback
        ("solutions", "q=Abfall&state=09&state=14&verified=1&size=grossstadt"),
        ("solutions", "category=feld-0&category=feld-2&standard=norm-1&hosting=eu_cloud&licence=open_source"),
        ("solutions", "maturity=pilot&maturity=production&price_model=free&state=06"),
        ("solutions", "q=nichts-passt-hierzu"),
        ("pilots", "q=Bürgerbeteiligung&funding=msc"),
        ("pilots", "category=feld-0&state=09&state=05&year=2020&phase=completed"),
        ("municipalities", "funded=1&size=grossstadt&state=08"),
        ("municipalities", "q=Stadt&kind=kreisfreie_stadt"),
    ],
)
def test_index_counts_equal_the_aggregate_counts(catalog, query):
    _random_catalog()
    filterset_class, queryset = CATALOGS[catalog]
    params = QueryDict(query)
    from_index = filterset_class(params, queryset=queryset())
    from_index.data_version = f"test-{uuid.uuid4()}"  # a new version: an index built in this transaction
    from_aggregate = filterset_class(params, queryset=queryset())
    from_aggregate.data_version = None
    assert _counts(from_index) == _counts(from_aggregate)
    assert from_index.total == from_index.qs.count()
    clear_facet_indexes()


@pytest.mark.django_db
def test_the_index_ignores_rows_outside_its_queryset_and_keeps_a_few_indexes():
    _random_catalog(solutions=12)
    filterset = SolutionFilterSet(QueryDict("q=Parkraum"), queryset=Solution.objects.published())
    filterset.data_version = f"test-{uuid.uuid4()}"
    draft = SolutionFactory(title="Parkraum Entwurf", status="draft")
    assert draft.pk not in {row.pk for row in filterset.qs}
    assert filterset.total == filterset.qs.count()
    for number in range(INDEX_LIMIT + 2):
        other = SolutionFilterSet(QueryDict(""), queryset=Solution.objects.published())
        other.data_version = f"test-{uuid.uuid4()}-{number}"
        assert other.total == Solution.objects.published().count()
    assert len(_INDEXES) == INDEX_LIMIT
    clear_facet_indexes()


def _settle() -> str:
    """Flush this connection's table statistics, so the data version of the committed rows holds still."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_force_next_flush()")
    version = data_version()
    assert version is not None
    return version


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("rows", [1, 50])
@pytest.mark.parametrize(
    "url, params, cold, warm",
    [
        # cold: the data version, the choices read from the database (categories and standards), the index
        # (one query for the row's own fields, one per facet across a relation: categories, standards,
        # Länder of the references), the page; warm: the data version and the page
        ("/loesungen/", {"category": "feld-0", "sort": "references"}, 8, 2),
        # ... and for a search the EXISTS probe (full text or trigram) and the ranked keys of the matches,
        # which are kept with the data version too
        ("/loesungen/", {"q": "Parkraum", "size": "mittelstadt"}, 10, 3),
        # choices: categories and start years; the index: own fields, categories
        ("/pilotprojekte/", {"category": "feld-0", "sort": "name"}, 6, 2),
        ("/pilotprojekte/", {"q": "Pilot"}, 8, 4),
        # no choices from the database; the index is one query
        ("/kommunen/", {"state": "09"}, 3, 2),
        ("/kommunen/", {"q": "Stadt"}, 4, 3),  # a name filter, no EXISTS probe
        # home: the solutions catalog's index (category counts and the number of solutions), featured
        # solutions, newest pilots and the three other figures (cached with the version)
        ("/", {}, 12, 3),
    ],
)
def test_index_path_query_counts_are_fixed(client, django_assert_num_queries, rows, url, params, cold, warm):
    words = ["Parkraum", "Pilot"]
    category = CategoryFactory(slug="feld-0")
    for number in range(rows):
        town = MunicipalityFactory(name=f"Stadt {number}")
        solution = SolutionFactory(title=f"{words[number % 2]} {number}", categories=[category])
        ReferenceFactory(solution=solution, municipality=town)
        PilotProjectFactory(title=f"Pilot {number}", lead_municipality=town, categories=[category])
    clear_facet_indexes()
    _settle()
    with django_assert_num_queries(cold):
        first = client.get(url, params)
    with django_assert_num_queries(warm):
        second = client.get(url, params)
    assert first.status_code == second.status_code == 200
    if url == "/":
        assert first.context["figures"] == second.context["figures"]
        assert first.context["figures"]["solutions"] == rows
    else:
        assert first.context["total"] == second.context["total"] > 0
    # Only the CSP nonce and the language form's CSRF token differ from request to request.
    per_request = re.compile(rb'(nonce|name="csrfmiddlewaretoken" value)="[^"]+"')
    assert per_request.sub(b"", first.content) == per_request.sub(b"", second.content)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["q=Parkraum", "q=Parkraum&category=feld-1", "q=Parkraum+Abfall&sort=relevance"]
)
def test_relevance_order_from_the_index_equals_the_sql_order(query):
    category = CategoryFactory(slug="feld-1")
    published = timezone.now()
    for number in range(30):
        SolutionFactory(
            title=f"Parkraum {number}" if number % 3 else f"Abfall {number}",
            summary="Parkraum und Parkraum" if number % 4 == 0 else "Abfall und Parkraum",
            description="Parkraum " * (number % 5),
            categories=[category] if number % 2 else [],
            # ties in relevance and date are broken by the key, as in SQL
            published_at=published - datetime.timedelta(days=number % 7),
        )
    params = QueryDict(query)
    from_index = SolutionFilterSet(params, queryset=Solution.objects.published())
    from_index.data_version = f"test-{uuid.uuid4()}"
    from_sql = SolutionFilterSet(params, queryset=Solution.objects.published())
    from_sql.data_version = None

    by_index = from_index.ordered()
    assert by_index.__class__.__name__ == "RowsInOrder"
    index_rows = [(s.pk, s.reference_count, str(s.snippet)) for s in by_index[0:100]]
    sql_rows = [(s.pk, s.reference_count, str(s.snippet)) for s in from_sql.ordered()[0:100]]
    assert len(index_rows) == from_index.total == from_sql.total > 1
    assert index_rows == sql_rows
    assert [s.pk for s in by_index[5:10]] == [pk for pk, _count, _snippet in sql_rows[5:10]]
    clear_facet_indexes()


@pytest.mark.django_db(transaction=True)
def test_a_kept_search_follows_committed_writes(client):
    """The ranked matches of a search are kept per data version: a new matching solution shows at once."""
    SolutionFactory(title="Parkraum Eins")
    clear_facet_indexes()
    before = _settle()
    first = client.get("/loesungen/", {"q": "Parkraum"})
    assert [s.title for s in first.context["solutions"]] == ["Parkraum Eins"]
    SolutionFactory(title="Parkraum Parkraum Zwei")
    assert _settle() != before
    second = client.get("/loesungen/", {"q": "Parkraum"})
    assert [s.title for s in second.context["solutions"]] == ["Parkraum Parkraum Zwei", "Parkraum Eins"]
    assert second.context["total"] == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("page", ["solution", "municipality"])
def test_detail_bodies_are_kept_until_the_data_changes(client, django_assert_num_queries, page):
    """Committed data: the page body comes from the cache (the row itself and the data version), and a
    committed change to what the body shows reaches it at once."""
    town = MunicipalityFactory(name="Musterstadt")
    solution = SolutionFactory(title="Parkraum Eins")
    ReferenceFactory(solution=solution, municipality=town)
    url = solution.get_absolute_url() if page == "solution" else town.get_absolute_url()
    _settle()
    first = client.get(url).content.decode()
    assert "Parkraum Eins" in first and "Musterstadt" in first
    with django_assert_num_queries(2):
        client.get(url)
    other = MunicipalityFactory(name="Beispielburg")
    ReferenceFactory(solution=solution, municipality=other)
    ReferenceFactory(solution=SolutionFactory(title="Ratsinfo Zwei"), municipality=town)
    _settle()
    html = client.get(url).content.decode()
    assert ("Beispielburg" if page == "solution" else "Ratsinfo Zwei") in html


def test_the_non_public_tables_are_tables_of_our_models():
    tables = {model._meta.db_table for model in apps.get_models()}
    assert set(NON_PUBLIC_TABLES) <= tables


@pytest.mark.django_db(transaction=True)
def test_the_data_version_ignores_what_no_public_page_shows():
    """Sign-ups, memberships, join requests and proposed changes leave the cached pages alone."""
    vendor = VendorFactory()
    solution = SolutionFactory(vendor=vendor)
    user = UserFactory()
    before = _settle()
    EmailVerification.objects.create(user=user)
    VendorMembershipFactory(vendor=vendor, user=UserFactory())
    JoinRequest.objects.create(vendor=vendor, user=user, message="Bitte aufnehmen")
    SolutionRevision.objects.create(solution=solution, data={"title": "Neu"}, created_by=user)
    assert _settle() == before
    CategoryFactory(slug="neu")
    assert _settle() != before

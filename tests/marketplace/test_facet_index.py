"""The facet index: the same counts as plain SQL, and a fixed, small number of queries.

Every catalog counts from the in-memory facet index (``marketplace.catalog.index.facet_index``), kept per
content version; the truth tests of each catalog (``test_facet_counts_equal_true_counts``) run with a fresh
and a kept index through the ``counted_by`` fixture. These tests add search terms and a random catalog
counted once more by plain SQL, and lock the queries of the catalog pages, cold and warm.
"""

import datetime
import random
import re

import pytest
from django.core.cache import cache
from django.http import QueryDict
from django.utils import timezone

from marketplace.catalog import search
from marketplace.catalog.index import INDEX_LIMIT, clear_facet_indexes, kept_facet_indexes
from marketplace.catalog.version import content_version
from municipalities.filters import MunicipalityFilterSet
from municipalities.models import Municipality
from pilots.filters import PilotFilterSet
from pilots.models import PilotProject
from solutions.filters import RELEVANCE_ORDER, SolutionFilterSet
from solutions.models import Solution
from tests.factories import (
    CategoryFactory,
    MunicipalityFactory,
    PilotProjectFactory,
    ReferenceFactory,
    SolutionFactory,
    StandardFactory,
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
    # The facets of the index only: "available" depends on the visitor's municipality and is counted outside
    # it (solutions/agreements/catalog.py, tests/agreements/test_catalog.py).
    indexed = {spec.name for spec in filterset.bound_specs}
    return filterset.total, [
        (f.name, [(o.value, o.count, o.selected) for o in f.options])
        for f in filterset.facets
        if f.name in indexed
    ]


CATALOGS = {
    "solutions": (SolutionFilterSet, Solution.objects.published),
    "pilots": (PilotFilterSet, PilotProject.objects.published),
    "municipalities": (MunicipalityFilterSet, Municipality.objects.all),
}


def _counted_by_sql(filterset) -> tuple:
    """The same numbers as ``_counts``, by plain SQL: one COUNT per option over the rows of the non-facet
    filters with every other facet's selection applied (options of one facet OR-ed, facets AND-ed)."""
    base = filterset.base_qs
    selected = filterset.selected_values()
    specs = filterset.bound_specs

    def others(spec):
        return [other.selection_q(selected.get(other.name, [])) for other in specs if other is not spec]

    facets = []
    for spec in specs:
        counted = base.filter(*others(spec))
        options = [
            (value, counted.filter(spec.option_q(value)).count(), value in selected.get(spec.name, []))
            for value, _label in filterset.facet_choices[spec.name]
        ]
        facets.append((spec.name, options))
    total = base.filter(*(spec.selection_q(selected.get(spec.name, [])) for spec in specs)).count()
    return total, facets


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
def test_index_counts_equal_plain_sql_counts(catalog, query):
    _random_catalog()
    filterset_class, queryset = CATALOGS[catalog]
    clear_facet_indexes()
    from_index = filterset_class(QueryDict(query), queryset=queryset())
    assert _counts(from_index) == _counted_by_sql(from_index)
    assert from_index.total == from_index.qs.count()
    clear_facet_indexes()


@pytest.mark.django_db
def test_the_index_ignores_rows_outside_its_queryset_and_keeps_a_few_indexes():
    _random_catalog(solutions=12)
    draft = SolutionFactory(title="Parkraum Entwurf", status="draft")
    clear_facet_indexes()
    filterset = SolutionFilterSet(QueryDict("q=Parkraum"), queryset=Solution.objects.published())
    assert draft.pk not in {row.pk for row in filterset.qs}
    assert filterset.total == filterset.qs.count()
    for number in range(INDEX_LIMIT + 2):
        CategoryFactory(slug=f"neu-{number}")  # a new content version each time: a new index
        other = SolutionFilterSet(QueryDict(""), queryset=Solution.objects.published())
        assert other.total == Solution.objects.published().count()
    assert kept_facet_indexes() == INDEX_LIMIT
    clear_facet_indexes()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("rows", [1, 50])
@pytest.mark.parametrize(
    "url, params, cold, warm",
    [
        # Committed data: the content version is read on a connection of its own (catalog/version.py), not
        # counted here. cold: the choices read from the database (categories and standards), the index (one
        # query for the row's own fields, one per facet across a relation: categories, standards, Länder of
        # the references), the page; warm: the page
        ("/loesungen/", {"category": "feld-0", "sort": "references"}, 7, 1),
        # ... and for a search the EXISTS probe (full text or trigram) and the ranked keys of the matches,
        # which are kept with the content version too, and the forgiving search's lexicon of public words
        # (marketplace/catalog/lexicon.py: three queries when the content version is new, one after that)
        ("/loesungen/", {"q": "Parkraum", "size": "mittelstadt"}, 12, 3),
        # choices: categories and start years; the index: own fields, categories
        ("/pilotprojekte/", {"category": "feld-0", "sort": "name"}, 5, 1),
        ("/pilotprojekte/", {"q": "Pilot"}, 10, 4),  # with the lexicon, as above
        # choices: the Kreise; the index is one query; the keys in the chosen order (kept with the version)
        # and one page of rows by key
        # (the municipalities catalog also reads the register's source once per content version)
        ("/kommunen/", {"state": "09"}, 5, 1),
        ("/kommunen/", {"q": "Stadt"}, 6, 2),  # a name filter, no EXISTS probe
        # home: the solutions catalog's index (category counts and the number of solutions), featured
        # solutions, newest pilots and the three other figures (cached with the version)
        ("/", {}, 11, 2),
    ],
)
def test_index_path_query_counts_are_fixed(
    client, django_assert_num_queries, settings, rows, url, params, cold, warm
):
    settings.PAGE_CACHE = False  # the page rendered (kept pages: tests/marketplace/catalog/test_pagecache.py)
    words = ["Parkraum", "Pilot"]
    category = CategoryFactory(slug="feld-0")
    for number in range(rows):
        town = MunicipalityFactory(name=f"Stadt {number}")
        solution = SolutionFactory(title=f"{words[number % 2]} {number}", categories=[category])
        ReferenceFactory(solution=solution, municipality=town)
        PilotProjectFactory(title=f"Pilot {number}", lead_municipality=town, categories=[category])
    # Cold as after a change nobody announced: each commit above rebuilt the indexes (catalog/warm.py).
    clear_facet_indexes()
    cache.clear()
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
    by_index = from_index.ordered()
    assert by_index.__class__.__name__ == "RowsInOrder"
    index_rows = [(s.pk, s.reference_count, str(s.snippet)) for s in by_index[0:100]]
    # The order SQL gives: the search's rows ranked in the database, every filter applied by SQL.
    sql = search.rank(SolutionFilterSet._with_card_fields(from_index.qs), from_index.text_search)
    sql = sql.annotate(snippet=search.headline("summary", from_index.text_search)).order_by(*RELEVANCE_ORDER)
    sql_rows = [(s.pk, s.reference_count, str(s.snippet)) for s in sql[0:100]]
    assert len(index_rows) == from_index.total == len(sql_rows) > 1
    assert index_rows == sql_rows
    assert [s.pk for s in by_index[5:10]] == [pk for pk, _count, _snippet in sql_rows[5:10]]
    clear_facet_indexes()


@pytest.mark.django_db(transaction=True)
def test_a_kept_search_follows_committed_writes(client):
    """The ranked matches of a search are kept per content version: a new matching solution shows at once."""
    SolutionFactory(title="Parkraum Eins")
    clear_facet_indexes()
    before = content_version()
    first = client.get("/loesungen/", {"q": "Parkraum"})
    assert [s.title for s in first.context["solutions"]] == ["Parkraum Eins"]
    SolutionFactory(title="Parkraum Parkraum Zwei")
    assert content_version() != before
    second = client.get("/loesungen/", {"q": "Parkraum"})
    assert [s.title for s in second.context["solutions"]] == ["Parkraum Parkraum Zwei", "Parkraum Eins"]
    assert second.context["total"] == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("page", ["solution", "municipality"])
def test_detail_bodies_are_kept_until_the_data_changes(client, django_assert_num_queries, page):
    """Committed data: the page body comes from the cache (the row itself; on the solution page also the count
    of municipalities buying it together, which is never cached; the content version is read on a connection
    of its own outside a transaction, marketplace/catalog/version.py), and a committed change to what the
    body shows reaches it at once."""
    town = MunicipalityFactory(name="Musterstadt")
    solution = SolutionFactory(title="Parkraum Eins")
    ReferenceFactory(solution=solution, municipality=town)
    url = solution.get_absolute_url() if page == "solution" else town.get_absolute_url()
    first = client.get(url).content.decode()
    assert "Parkraum Eins" in first and "Musterstadt" in first
    with django_assert_num_queries(2 if page == "solution" else 1):
        client.get(url)
    other = MunicipalityFactory(name="Beispielburg")
    ReferenceFactory(solution=solution, municipality=other)
    ReferenceFactory(solution=SolutionFactory(title="Ratsinfo Zwei"), municipality=town)
    html = client.get(url).content.decode()
    assert ("Beispielburg" if page == "solution" else "Ratsinfo Zwei") in html

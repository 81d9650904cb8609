"""The municipalities catalog: true facet counts, name search, hostile parameters, HTMX, query counts."""

import re

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from municipalities.filters import MunicipalityFilterSet
from municipalities.models import Municipality
from tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

URL = "/kommunen/"


@pytest.fixture
def client():
    """English UI, so the assertions read the msgids whatever the German catalogue says."""
    return Client(headers={"Accept-Language": "en"})


@pytest.fixture
def towns():
    return [
        MunicipalityFactory(
            name="München",
            ags="09162000",
            kind="kreisfreie_stadt",
            population=1_500_000,
            is_model_project=True,
            model_project_round=2020,
        ),
        MunicipalityFactory(name="Landkreis Kassel", ags="06633000", kind="landkreis", population=236_000),
        MunicipalityFactory(
            name="Ulm",
            ags="08421000",
            kind="kreisfreie_stadt",
            population=126_000,
            is_model_project=True,
            model_project_round=2019,
        ),
        MunicipalityFactory(name="Bad Belzig", ags="12069017", kind="stadt", population=11_000),
        MunicipalityFactory(name="Wiesenbach", ags="09188001", kind="gemeinde", population=3_200),
    ]


def _matches(town, params: QueryDict, skip=None) -> bool:
    checks = {
        "state": lambda values: town.state in values,
        "kind": lambda values: town.kind in values,
        "size": lambda values: town.size_class in values,
        "funded": lambda values: town.is_model_project,
    }
    for name, check in checks.items():
        values = params.getlist(name)
        if name != skip and values and not check(values):
            return False
    return True


@pytest.mark.parametrize(
    "query",
    [
        "",
        "state=09",
        "state=09&state=12&kind=gemeinde",
        "size=grossstadt&funded=1",
        "kind=kreisfreie_stadt&kind=landkreis&state=06",
        "funded=1&state=08&state=09&size=grossstadt",
    ],
)
def test_facet_counts_equal_true_counts(towns, query, counted_by):
    params = QueryDict(query)
    filterset = counted_by(MunicipalityFilterSet(params, queryset=Municipality.objects.all()))
    everyone = list(Municipality.objects.all())
    for facet in filterset.facets:
        for option in facet.options:
            probe = params.copy()
            probe.setlist(facet.name, [option.value])
            expected = sum(1 for t in everyone if _matches(t, probe) and _matches(t, params, skip=facet.name))
            assert (facet.name, option.value, option.count) == (facet.name, option.value, expected)
            assert option.selected == (option.value in params.getlist(facet.name))
    assert [facet.name for facet in filterset.facets] == ["state", "kind", "size", "funded"]
    expected_total = sum(1 for t in everyone if _matches(t, params))
    assert filterset.total == expected_total
    assert filterset.qs.count() == expected_total


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ulm", ["Ulm"]),
        ("kassel", ["Landkreis Kassel"]),
        ("Muenchen", ["München"]),  # umlauts spelled out
        ("muench", ["München"]),
        ("Mnchen", []),  # neither a substring nor similar enough
        ("Wiesenbch", ["Wiesenbach"]),  # a typo, found by trigram similarity
        ("Bad", ["Bad Belzig"]),
    ],
)
def test_name_search(client, towns, text, expected):
    response = client.get(URL, {"q": text})
    assert [town.name for town in response.context["municipalities"]] == expected


def test_sort_by_population_and_name(client, towns):
    by_population = client.get(URL, {"sort": "population"}).context["municipalities"]
    assert [town.population for town in by_population] == sorted((t.population for t in towns), reverse=True)
    by_name = client.get(URL).context["municipalities"]
    assert [town.name for town in by_name] == sorted(t.name for t in towns)


def test_funded_filter_and_badges(client, towns):
    response = client.get(URL, {"funded": "1"})
    content = response.content.decode()
    assert [town.name for town in response.context["municipalities"]] == ["München", "Ulm"]
    assert "Modellprojekt Smart Cities 2020" in content
    assert "2 municipalities found" in content


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"kind": "castle"}, "Ignored unknown values"),
        ({"state": "00"}, "Ignored unknown values"),
        ({"funded": "yes"}, "Ignored unknown values"),
        ({"size": "\x00"}, "Ignored unknown values"),
        ({"page": "999999"}, "There is no page 999999"),
        ({"page": "abc"}, "The page number was not valid"),
        ({"q": "x" * 10_000}, "The search text is too long"),
        ({"sort": "population; DROP TABLE municipalities_municipality"}, "Select a valid choice"),
    ],
)
def test_hostile_parameters_give_a_message_not_an_error(client, towns, params, message):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Municipality.objects.count() == 5


def test_html_and_sql_fragments_are_escaped(client, towns):
    response = client.get(URL, {"q": "<script>alert(1)</script>' OR '1'='1", "kind": "<i>x</i>"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in content
    assert "&lt;i&gt;x&lt;/i&gt;" in content
    assert response.context["total"] == 0


def test_htmx_request_gets_the_partial(client, towns):
    full = client.get(URL, {"state": "09"})
    response = client.get(URL, {"state": "09"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert "<html" not in content
    assert content.lstrip().startswith('<div id="catalog-results"')
    assert [town.name for town in response.context["municipalities"]] == ["München", "Wiesenbach"]
    # every facet's live counts travel as one out-of-band element: "kind=<per option>;size=...;funded=..."
    counts = re.search(r'id="facet-counts" hidden hx-swap-oob="true" data-facet-counts="([^"]*)"', content)
    assert counts is not None
    assert counts.group(1).startswith("kind=1,")
    assert "HX-Request" in response["Vary"]
    assert "HX-Request" in full["Vary"]
    assert len(response.content) < len(full.content)


def test_history_restore_gets_the_full_page(client, towns):
    response = client.get(URL, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert response.content.decode().startswith("<!DOCTYPE html>")
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize("rows", [1, 50])
def test_list_query_count_does_not_grow(client, django_assert_num_queries, rows):
    MunicipalityFactory.create_batch(rows, is_demo=True)
    # the first request after a change: the content version, the facet index and one page of rows
    with django_assert_num_queries(3):
        response = client.get(URL, {"state": "09", "sort": "population"})
    assert len(response.context["municipalities"]) == min(rows, 24)
    assert "badge badge-sample" in response.content.decode()


@pytest.mark.parametrize("rows", [1, 50])
def test_search_query_count_does_not_grow(client, django_assert_num_queries, rows):
    MunicipalityFactory.create_batch(rows)
    # ... and the keys of the rows the name matches
    with django_assert_num_queries(4):
        response = client.get(URL, {"q": "Musterstadt", "size": "mittelstadt"})
    assert response.context["total"] == rows


def test_list_url_name():
    assert reverse("municipalities:list") == URL

"""The pilot projects catalog: facets with true counts, hostile parameters, HTMX partial, query counts."""

import datetime
from urllib.parse import urljoin

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from marketplace.choices import EditorialStatus
from pilots.filters import PilotFilterSet
from pilots.models import PilotProject
from tests.factories import CategoryFactory, MunicipalityFactory, PilotProjectFactory

pytestmark = pytest.mark.django_db

URL = "/pilotprojekte/"


@pytest.fixture
def client():
    """English UI, so the assertions read the msgids whatever the German catalogue says."""
    return Client(headers={"Accept-Language": "en"})


@pytest.fixture
def pilots():
    """Pilots with overlapping categories, Länder, funding, phases, sizes and start years."""
    mobility = CategoryFactory(slug="mobilitaet", name_de="Mobilität", name_en="Mobility")
    energy = CategoryFactory(slug="energie", name_de="Energie", name_en="Energy")
    munich = MunicipalityFactory(ags="09162000", population=1_500_000)
    leipzig = MunicipalityFactory(ags="14713000", population=600_000)
    small = MunicipalityFactory(ags="06411001", population=3_000)
    rows = [
        PilotProjectFactory(
            title="Smarte Parkplätze",
            summary="Sensoren zeigen freie Parkplätze.",
            lead_municipality=munich,
            categories=[mobility],
            funding="msc",
            model_project_round=2019,
            phase="continued",
            start_date=datetime.date(2020, 3, 1),
        ),
        PilotProjectFactory(
            title="Energiemonitoring Schulen",
            lead_municipality=leipzig,
            categories=[energy, mobility],
            funding="msc",
            model_project_round=2021,
            phase="implementation",
            start_date=datetime.date(2022, 1, 1),
        ),
        PilotProjectFactory(
            title="Bürgerbus auf Abruf",
            lead_municipality=small,
            categories=[mobility],
            funding="land",
            phase="completed",
            start_date=datetime.date(2020, 6, 1),
        ),
        PilotProjectFactory(
            title="Digitale Bauakte",
            lead_municipality=leipzig,
            categories=[energy],
            funding="eu",
            phase="strategy",
            start_date=None,
        ),
    ]
    # Never listed or counted: not published.
    PilotProjectFactory(lead_municipality=munich, categories=[mobility], status=EditorialStatus.DRAFT)
    PilotProjectFactory(lead_municipality=small, categories=[energy], status=EditorialStatus.ARCHIVED)
    return rows


def _matches(pilot, params: QueryDict, skip=None) -> bool:
    """Independent reference implementation (OR inside a facet, AND across facets)."""
    lead = pilot.lead_municipality
    checks = {
        "category": lambda values: {c.slug for c in pilot.categories.all()} & set(values),
        "state": lambda values: lead.state in values,
        "funding": lambda values: pilot.funding in values,
        "round": lambda values: str(pilot.model_project_round) in values,
        "phase": lambda values: pilot.phase in values,
        "size": lambda values: lead.size_class in values,
        "year": lambda values: pilot.start_date is not None and str(pilot.start_date.year) in values,
    }
    for name, check in checks.items():
        values = params.getlist(name)
        if name != skip and values and not check(values):
            return False
    return True


def _published():
    return list(
        PilotProject.objects.filter(status=EditorialStatus.PUBLISHED).select_related("lead_municipality")
    )


@pytest.mark.parametrize(
    "query",
    [
        "",
        "category=mobilitaet",
        "category=mobilitaet&category=energie&funding=msc",
        "state=09&state=14&phase=implementation",
        "round=2019&round=2021",
        "size=grossstadt&year=2020",
        "funding=land&funding=eu&category=energie",
    ],
)
def test_facet_counts_equal_true_counts(pilots, query, counted_by):
    params = QueryDict(query)
    filterset = counted_by(PilotFilterSet(params, queryset=PilotProject.objects.published()))
    published = _published()
    names = set()
    for facet in filterset.facets:
        names.add(facet.name)
        for option in facet.options:
            probe = params.copy()
            probe.setlist(facet.name, [option.value])
            expected = sum(
                1 for p in published if _matches(p, probe) and _matches(p, params, skip=facet.name)
            )
            assert (facet.name, option.value, option.count) == (facet.name, option.value, expected)
            assert option.selected == (option.value in params.getlist(facet.name))
    assert names == {"state", "category", "funding", "round", "phase", "size", "year"}
    expected_total = sum(1 for p in published if _matches(p, params))
    assert filterset.total == expected_total
    assert filterset.qs.count() == expected_total


def test_year_choices_are_start_years_of_published_pilots(pilots):
    filterset = PilotFilterSet(QueryDict(""), queryset=PilotProject.objects.published())
    year = next(facet for facet in filterset.facets if facet.name == "year")
    assert [(option.value, option.count) for option in year.options] == [("2022", 1), ("2020", 2)]


def test_list_shows_only_published_pilots(client, pilots):
    response = client.get(URL)
    content = response.content.decode()
    assert response.status_code == 200
    for pilot in pilots:
        assert pilot.title in content
    for hidden in PilotProject.objects.exclude(status=EditorialStatus.PUBLISHED):
        assert hidden.title not in content
    assert "4 pilot projects found" in content


def test_filter_by_state_and_chip(client, pilots):
    response = client.get(URL, {"state": "14"})
    content = response.content.decode()
    assert "Energiemonitoring Schulen" in content
    assert "Digitale Bauakte" in content
    assert "Smarte Parkplätze" not in content
    assert "2 pilot projects found" in content
    # The chip removes the only filter: following it leads back to the unfiltered list.
    (chip,) = response.context["chips"]
    assert (chip.label, chip.value_label) == ("Land", "Sachsen")
    assert client.get(urljoin(URL, chip.url)).context["total"] == 4


def test_search_uses_german_stemming(client, pilots):
    response = client.get(URL, {"q": "Parkplatz"})
    content = response.content.decode()
    assert "Smarte Parkplätze" in content
    assert "Bürgerbus auf Abruf" not in content
    assert "<mark>Parkplätze</mark>" in content


def test_sort_by_name(client, pilots):
    response = client.get(URL, {"sort": "name"})
    titles = [pilot.title for pilot in response.context["pilots"]]
    assert titles == sorted(titles)


def test_default_sort_is_newest_start_first(client, pilots):
    response = client.get(URL)
    titles = [pilot.title for pilot in response.context["pilots"]]
    assert titles == [
        "Energiemonitoring Schulen",
        "Bürgerbus auf Abruf",
        "Smarte Parkplätze",
        "Digitale Bauakte",
    ]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"category": "does-not-exist"}, "Ignored unknown values"),
        ({"state": "99"}, "Ignored unknown values"),
        ({"round": "1999"}, "Ignored unknown values"),
        ({"year": "abc"}, "Ignored unknown values"),
        ({"page": "999999"}, "There is no page 999999"),
        ({"page": "abc"}, "The page number was not valid"),
        ({"q": "x" * 10_000}, "The search text is too long"),
        ({"sort": "'; DROP TABLE pilots_pilotproject; --"}, "Select a valid choice"),
    ],
)
def test_hostile_parameters_give_a_message_not_an_error(client, pilots, params, message):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert PilotProject.objects.count() == 6


def test_html_and_sql_fragments_are_escaped(client, pilots):
    response = client.get(URL, {"q": "<script>alert(1)</script>' OR 1=1 --", "phase": "<b>x</b>"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in content
    assert "&lt;b&gt;x&lt;/b&gt;" in content
    assert "No pilot project matches these filters." in content


def test_htmx_request_gets_the_partial(client, pilots):
    response = client.get(URL, {"phase": "completed"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert 'id="catalog-results"' in content
    assert "Bürgerbus auf Abruf" in content
    assert "Smarte Parkplätze" not in content
    assert 'hx-swap-oob="true"' in content  # facet counts and map tiles update out of band
    assert 'id="facet-state-0-tile"' in content
    assert "Vary" in response and "HX-Request" in response["Vary"]


def test_history_restore_gets_the_full_page(client, pilots):
    response = client.get(URL, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in response.content.decode()
    assert "HX-Request" in response["Vary"]


def test_full_page_sends_vary(client, pilots):
    response = client.get(URL)
    assert "<html" in response.content.decode()
    assert "HX-Request" in response["Vary"]


def _make_pilots(count):
    category = CategoryFactory(slug="mobilitaet")
    for index in range(count):
        PilotProjectFactory(
            lead_municipality=MunicipalityFactory(),
            categories=[category],
            start_date=datetime.date(2018 + index % 5, 1, 1),
            is_demo=True,
        )


@pytest.mark.parametrize("rows", [1, 50])
def test_list_query_count_does_not_grow(client, django_assert_num_queries, rows):
    _make_pilots(rows)
    # the first request after a change: the content version, category choices, year choices, the facet
    # index (the rows' own fields, categories), one page
    with django_assert_num_queries(6):
        response = client.get(URL, {"category": "mobilitaet", "sort": "name"})
    assert len(response.context["pilots"]) == min(rows, 20)
    assert "badge badge-sample" in response.content.decode()


@pytest.mark.parametrize("rows", [1, 50])
def test_search_query_count_does_not_grow(client, django_assert_num_queries, rows):
    _make_pilots(rows)
    # the full-text EXISTS probe and the keys of the matches come on top of the six queries of the plain list,
    # and the search lexicon's lookup (marketplace/catalog/lexicon.py): one query, three after a content
    # change as here (the lookup finds the lexicon stale, rebuilds it, looks again)
    with django_assert_num_queries(11):
        response = client.get(URL, {"q": "Pilotprojekt"})
    assert response.context["total"] == rows


def test_list_url_name():
    assert reverse("pilots:list") == URL

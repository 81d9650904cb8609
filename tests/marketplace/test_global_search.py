"""The global search page: solutions, pilot projects and municipalities together, grouped by type."""

import pytest

from marketplace.choices import EditorialStatus
from tests.factories import MunicipalityFactory, PilotProjectFactory, SolutionFactory

pytestmark = pytest.mark.django_db

URL = "/suche/"


def _group(response, key):
    return next(group for group in response.context["groups"] if group.key == key)


def test_search_groups_results_by_type_with_counts_and_links(client):
    SolutionFactory(title="Parkplatz-Sensorik", is_demo=True)
    SolutionFactory(title="Parkplatz-App", status=EditorialStatus.DRAFT)
    PilotProjectFactory(title="Smartes Parken", summary="Parkplätze finden", goals="Weniger Suchverkehr")
    PilotProjectFactory(title="Entwurf Parkplatz", status=EditorialStatus.DRAFT)
    MunicipalityFactory(name="Parkstetten")
    response = client.get(URL, {"q": "Parkplatz"})
    html = response.content.decode()
    assert response.status_code == 200
    assert [s.title for s in _group(response, "solutions").items] == ["Parkplatz-Sensorik"]
    assert [p.title for p in _group(response, "pilots").items] == ["Smartes Parken"]
    assert _group(response, "solutions").count == 1
    assert _group(response, "pilots").count == 1
    assert 'href="/loesungen/?q=Parkplatz"' in html
    assert 'href="/pilotprojekte/?q=Parkplatz"' in html
    assert 'class="badge badge-sample"' in html


def test_municipalities_are_found_by_trigram(client):
    MunicipalityFactory(name="Wolfenbüttel")
    response = client.get(URL, {"q": "Wolfenbütel"})
    assert [m.name for m in _group(response, "municipalities").items] == ["Wolfenbüttel"]


def test_municipalities_are_found_with_spelled_out_umlauts(client):
    MunicipalityFactory(name="Lüneburg")
    MunicipalityFactory(name="Oer-Erkenschwick")
    response = client.get(URL, {"q": "Lueneburg"})
    assert [m.name for m in _group(response, "municipalities").items] == ["Lüneburg"]
    response = client.get(URL, {"q": "Oer-Erk"})
    assert [m.name for m in _group(response, "municipalities").items] == ["Oer-Erkenschwick"]


def test_pilot_goals_are_searched(client):
    PilotProjectFactory(
        title="Datenplattform", summary="Offene Daten", goals="Hitzeinseln und Parkplätze kartieren"
    )
    response = client.get(URL, {"q": "Parkplatz"})
    assert [p.title for p in _group(response, "pilots").items] == ["Datenplattform"]


@pytest.mark.parametrize("text", ["x" * 10_000, "<script>alert(1)</script>", "' OR 1=1 --", ""])
def test_hostile_or_empty_search_is_a_page_not_an_error(client, text):
    response = client.get(URL, {"q": text})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in html
    if len(text) > 200:
        assert response.context["form"].errors["q"]
        assert response.context["groups"] == []


def test_no_results_offer_a_suggestion(client):
    SolutionFactory(title="Füllstandsmelder")
    response = client.get(URL, {"q": "Fühlstandsmeldung"})
    assert response.context["total"] == 0
    assert response.context["suggestions"] == ["Füllstandsmelder"]
    assert 'href="/suche/?q=F%C3%BCllstandsmelder"' in response.content.decode()


@pytest.mark.parametrize("rows", [1, 50])
def test_search_query_count_does_not_grow_with_rows(client, django_assert_num_queries, rows):
    for index in range(rows):
        SolutionFactory(title=f"Parkplatz-Sensorik {index}")
        PilotProjectFactory(title=f"Parkplatz-Pilot {index}")
        MunicipalityFactory(name=f"Parkplatzhausen {index}")
    with django_assert_num_queries(QUERIES_PER_SEARCH):
        response = client.get(URL, {"q": "Parkplatz"})
    assert _group(response, "solutions").count == rows
    assert _group(response, "pilots").count == rows
    assert _group(response, "municipalities").count == rows


# solutions and pilots: a full-text probe (or trigram fallback), a count and a page of rows;
# municipalities: a count and a page of rows; the search lexicon's lookup (marketplace/catalog/lexicon.py)
# for solutions and for pilots, two more for the first after a content change (stale: rebuild, look again)
QUERIES_PER_SEARCH = 12

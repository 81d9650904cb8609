"""The catalog facet "Beziehbar ohne eigene Ausschreibung" (solutions/agreements/catalog.py)."""

import re

import pytest
from django.urls import reverse

from solutions.agreements.models import FrameworkAgreement
from tests.agreements.factories import AgreementFactory, OrganisationFactory
from tests.factories import CategoryFactory, MunicipalityFactory, SolutionFactory

pytestmark = pytest.mark.django_db
URL = reverse("solutions:list")
Eligibility = FrameworkAgreement.Eligibility


def choose(client, municipality):
    assert (
        client.post(reverse("municipalities:choose"), {"slug": municipality.slug, "next": "/"}).status_code
        == 302
    )


def titles(response) -> list[str]:
    return sorted(row.title for row in response.context["rows"])


def facet(response):
    return next(f for f in response.context["facets"] if f.name == "available")


@pytest.fixture
def catalog():
    """Augsburg (Bayern) can have "Park" (Land-wide) and "Licht" (in-house); "Wasser" only Thüringen."""
    augsburg = MunicipalityFactory(name="Augsburg", ags="09761000")
    mobility = CategoryFactory(slug="mobilitaet")
    park = SolutionFactory(title="Park", categories=[mobility])
    licht = SolutionFactory(title="Licht")
    wasser = SolutionFactory(title="Wasser", categories=[mobility])
    SolutionFactory(title="Anders", categories=[mobility])
    AgreementFactory(eligibility=Eligibility.STATES, eligible_states=["09"], solutions=[park])
    AgreementFactory(eligibility=Eligibility.STATES, eligible_states=["16"], solutions=[wasser])
    OrganisationFactory(kind="it_provider", vendor=licht.vendor, members=[augsburg])
    return augsburg


def test_without_a_municipality_the_facet_says_how_to_choose_one(client, catalog):
    response = client.get(URL)
    html = response.content.decode()

    assert facet(response).options == []
    assert f'href="{reverse("municipalities:find")}">your municipality</a> to see which solutions' in html
    assert 'name="available"' not in html


def test_shared_link_without_a_municipality_shows_everything_with_a_message(client, catalog):
    response = client.get(URL, {"available": "1"})

    assert titles(response) == ["Anders", "Licht", "Park", "Wasser"]
    assert "needs your municipality" in response.content.decode()


def test_facet_counts_and_filters_for_the_chosen_municipality(client, catalog):
    choose(client, catalog)

    unticked = client.get(URL)
    ticked = client.get(URL, {"available": "1"})
    combined = client.get(URL, {"available": "1", "category": "mobilitaet"})

    assert facet(unticked).options[0].count == 2
    assert 'name="available" value="1" id="facet-available-0">' in unticked.content.decode()
    assert not facet(unticked).options[0].selected
    assert titles(ticked) == ["Licht", "Park"]
    assert facet(ticked).options[0].selected
    assert ticked.context["total"] == 2
    assert titles(combined) == ["Park"]
    # The other facets count over the available rows only: one of them is in "Mobilität".
    category = next(f for f in combined.context["facets"] if f.name == "category")
    assert [o.count for o in category.options if o.value == "mobilitaet"] == [1]
    assert facet(combined).options[0].count == 1
    chips = [(chip.label, chip.value_label) for chip in ticked.context["chips"]]
    assert ("Available without own tender", "Available without own tender for my municipality") in chips


def test_facet_applies_to_a_search(client, catalog):
    choose(client, catalog)
    response = client.get(URL, {"available": "1", "q": "Park"})
    assert titles(response) == ["Park"]
    assert client.get(URL, {"available": "1", "q": "Wasser"}).context["total"] == 0


def test_invalid_value_is_explained_not_an_error(client, catalog):
    choose(client, catalog)
    response = client.get(URL, {"available": "ja"})
    assert response.status_code == 200
    assert re.search(r"Available without own tender: Select a valid choice", response.content.decode())


@pytest.mark.parametrize("rows", [1, 40])
@pytest.mark.parametrize(("chosen", "queries"), [(False, 2), (True, 5)])
def test_catalog_with_the_facet_query_count_is_constant(
    client, django_assert_num_queries, settings, rows, chosen, queries
):
    """Kept from the first request: facet index, choices and the available keys. Then the content version and
    the page; with a municipality also the session, the municipality and the cards' peer counts."""
    settings.PAGE_CACHE = False  # the page rendered, not kept (tests/marketplace/catalog/test_pagecache.py)
    augsburg = MunicipalityFactory(ags="09761000")
    solutions = [SolutionFactory() for _ in range(rows)]
    AgreementFactory(eligibility=Eligibility.STATES, eligible_states=["09"], solutions=solutions)
    if chosen:
        choose(client, augsburg)
    client.get(URL, {"available": "1"})
    with django_assert_num_queries(queries):
        response = client.get(URL, {"available": "1"})
    assert response.context["total"] == rows


def test_the_markterkundung_export_says_how_the_chosen_municipality_can_obtain_each_solution(client):
    augsburg = MunicipalityFactory(name="Augsburg", slug="augsburg-export", ags="09761000")
    covered = SolutionFactory(title="Parkleitsystem")
    other = SolutionFactory(title="Straßenlicht")
    AgreementFactory(title="Rahmenvertrag Parken", solutions=[covered])
    for solution in (covered, other):
        client.post("/merkliste/hinzufuegen/", {"item": f"solution:{solution.pk}"})

    before = _available_column(client)
    choose(client, augsburg)
    after = _available_column(client)

    assert before == {"Parkleitsystem": "", "Straßenlicht": ""}
    assert after == {
        "Parkleitsystem": "call-off from “Rahmenvertrag Parken”",
        "Straßenlicht": "no (own procurement needed)",
    }


def _available_column(client) -> dict[str, str]:
    import csv
    import io

    from marketplace.shortlist.export.data import COLUMNS

    response = client.get(reverse("shortlist:export", args=["csv"]))
    reader = csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
    next(reader)  # the localised headings
    keys = [column.key for column in COLUMNS]
    return {row[keys.index("solution")]: row[keys.index("available")] for row in reader}

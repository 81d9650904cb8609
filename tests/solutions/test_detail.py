"""The solution detail page: everything a municipality needs, only for published rows, bounded queries."""

import json
import re

import pytest

from marketplace.choices import EditorialStatus
from solutions.models import Solution
from tests.factories import (
    CategoryFactory,
    MunicipalityFactory,
    PilotProjectFactory,
    ReferenceFactory,
    SolutionFactory,
    StandardFactory,
    VendorFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def solution():
    category = CategoryFactory(slug="mobilitaet", name_de="Mobilität", name_en="Mobility")
    vendor = VendorFactory(
        name="Stadtwerk IT", email="info@stadtwerk.example", website="https://stadtwerk.example"
    )
    solution = SolutionFactory(
        title="Parkraum-Sensorik",
        vendor=vendor,
        categories=[category],
        standards=[StandardFactory(name="LoRaWAN", url="https://lora-alliance.org")],
        description="## Funktionen\n\nFreie **Parkplätze** live.",
        licence_type="open_source",
        spdx_id="EUPL-1.2",
        source_url="https://code.example/parkraum",
        cost_introduction_eur=12500,
        cost_yearly_eur=None,
        price_model="subscription",
        dpa_available=True,
        accessibility="partial",
        accessibility_statement_url="https://example.org/barrierefreiheit",
        contact_name="Erika Muster",
        contact_email="erika@stadtwerk.example",
        framework_agreement=True,
        framework_agreement_name="Rahmenvertrag IoT",
    )
    return solution


def test_detail_shows_decision_facts(client, solution):
    pilot = PilotProjectFactory(title="Smartes Parken Ulm")
    hidden_pilot = PilotProjectFactory(title="Entwurfspilot", status=EditorialStatus.DRAFT)
    munich = MunicipalityFactory(name="München", ags="09162000", population=1_500_000)
    halle = MunicipalityFactory(name="Halle (Saale)", ags="15002000", population=238_000)
    ReferenceFactory(solution=solution, municipality=munich, pilot=pilot, since_year=2021, is_verified=True)
    ReferenceFactory(
        solution=solution, municipality=halle, pilot=hidden_pilot, since_year=2023, is_verified=False
    )
    response = client.get(solution.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Parkraum-Sensorik</h1>" in html
    # "##" is the description's top level: one below the section's h2 (no skipped level).
    assert "<h3>Funktionen</h3>" in html and "<strong>Parkplätze</strong>" in html
    assert "12.500 €" in html
    assert html.count("auf Anfrage") + html.count("on request") == 1  # the missing yearly cost
    assert 'href="https://code.example/parkraum"' in html
    assert "EUPL-1.2" in html
    assert "Rahmenvertrag IoT" in html
    assert 'href="https://example.org/barrierefreiheit"' in html
    assert 'href="mailto:erika@stadtwerk.example"' in html
    assert [r.municipality.name for r in response.context["data"].references] == ["München", "Halle (Saale)"]
    assert "Bayern" in html and "Sachsen-Anhalt" in html
    assert [p.title for p in response.context["data"].pilots] == ["Smartes Parken Ulm"]
    assert "Entwurfspilot" not in html


def test_detail_json_ld_is_schema_org_and_safely_escaped(client, solution):
    solution.title = "Park</script><script>alert(1)</script>"
    solution.save()
    response = client.get(solution.get_absolute_url())
    html = response.content.decode()
    match = re.search(r'<script type="application/ld\+json" nonce="([^"]+)">(.*?)</script>', html, re.S)
    assert match is not None
    assert match.group(1) in response["Content-Security-Policy"]
    data = json.loads(match.group(2))
    assert data["@type"] == "SoftwareApplication"
    assert data["name"] == "Park</script><script>alert(1)</script>"
    assert data["offers"]["price"] == 12500
    assert "<script>alert(1)</script>" not in html


def test_similar_solutions_share_a_category_and_are_published(client, solution):
    category = solution.categories.get()
    twin = SolutionFactory(title="Parkleitsystem", categories=[category])
    SolutionFactory(title="Entwurf", categories=[category], status=EditorialStatus.DRAFT)
    SolutionFactory(title="Anderes Feld", categories=[CategoryFactory()])
    response = client.get(solution.get_absolute_url())
    assert [s.title for s in response.context["data"].similar] == [twin.title]


def test_a_full_list_of_similar_solutions_is_kept_across_publishes_until_one_leaves(client, solution):
    category = solution.categories.get()
    twins = [SolutionFactory(title=f"Zwilling {n}", categories=[category]) for n in range(5)]
    shown = [s.title for s in client.get(solution.get_absolute_url()).context["data"].similar]
    assert shown == ["Zwilling 4", "Zwilling 3", "Zwilling 2", "Zwilling 1"]  # the newest of equal ones

    # Sharing the page's title words it would come first; another publish does not score the list again.
    SolutionFactory(title="Parkraum-Sensorik Plus", categories=[category])
    again = [s.title for s in client.get(solution.get_absolute_url()).context["data"].similar]
    assert again == shown

    # One of the kept solutions leaves the catalog: the list is found anew.
    Solution.objects.filter(pk=twins[4].pk).update(status=EditorialStatus.ARCHIVED)
    anew = [s.title for s in client.get(solution.get_absolute_url()).context["data"].similar]
    assert anew == ["Parkraum-Sensorik Plus", "Zwilling 3", "Zwilling 2", "Zwilling 1"]


def test_a_short_list_of_similar_solutions_is_found_anew_after_a_publish(client, solution):
    category = solution.categories.get()
    SolutionFactory(title="Zwilling", categories=[category])
    assert len(client.get(solution.get_absolute_url()).context["data"].similar) == 1
    SolutionFactory(title="Neuer Zwilling", categories=[category])
    similar = client.get(solution.get_absolute_url()).context["data"].similar
    assert [s.title for s in similar] == ["Neuer Zwilling", "Zwilling"]


@pytest.mark.parametrize(
    "kwargs",
    [{"status": EditorialStatus.DRAFT}, {"status": EditorialStatus.ARCHIVED}, {"vendor__is_verified": False}],
)
def test_unpublished_solution_is_404(client, kwargs):
    hidden = SolutionFactory(**kwargs)
    response = client.get(hidden.get_absolute_url())
    assert response.status_code == 404
    assert hidden.title not in response.content.decode()


def test_sample_rows_are_marked(client):
    solution = SolutionFactory(is_demo=True)
    ReferenceFactory(solution=solution, is_demo=True)
    html = client.get(solution.get_absolute_url()).content.decode()
    assert html.count('class="badge badge-sample"') == 2


@pytest.mark.parametrize("rows", [1, 50])
def test_detail_query_count_is_constant(client, django_assert_num_queries, rows, solution):
    category = solution.categories.get()
    pilot = PilotProjectFactory()
    for _ in range(rows):
        ReferenceFactory(solution=solution, pilot=pilot)
        SolutionFactory(categories=[category])
    # solution + vendor, the content version, categories, standards, references with municipality and
    # pilot, similar solutions (the rows above changed the version: nothing comes from the fragment cache),
    # the framework agreements that make it available (solutions/agreements/, kept per content version) and
    # the count of municipalities buying it together (marketplace/procurement/, never cached)
    with django_assert_num_queries(8):
        response = client.get(solution.get_absolute_url())
    assert len(response.context["data"].references) == rows
    assert len(response.context["data"].similar) == min(rows, 4)

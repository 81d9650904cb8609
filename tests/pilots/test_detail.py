"""The pilot project detail page: content, published gate, sample badge, solutions used, query counts."""

import datetime

import pytest
from django.test import Client

from marketplace.choices import EditorialStatus
from tests.factories import (
    CategoryFactory,
    MunicipalityFactory,
    PilotLinkFactory,
    PilotProjectFactory,
    ReferenceFactory,
    SolutionFactory,
    VendorFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return Client(headers={"Accept-Language": "en"})


@pytest.fixture
def pilot():
    lead = MunicipalityFactory(name="Ulm", ags="08421000", population=126_000)
    pilot = PilotProjectFactory(
        title="Sensorik für Parkraum",
        slug="sensorik-parkraum",
        lead_municipality=lead,
        partners=[MunicipalityFactory(name="Neu-Ulm", ags="09775000")],
        categories=[CategoryFactory(slug="mobilitaet", name_de="Mobilität", name_en="Mobility")],
        funding="msc",
        model_project_round=2019,
        phase="continued",
        start_date=datetime.date(2020, 4, 1),
        end_date=datetime.date(2024, 12, 31),
        budget_eur=1_250_000,
        goals="Weniger Parksuchverkehr.",
        results="Zwölf Prozent weniger Suchverkehr.",
        lessons_learned="Früh mit dem Datenschutz reden.",
        transferability="Für jede Mittelstadt geeignet.",
        operator_model="Betrieb durch die Stadtwerke.",
        data_used="Belegungsdaten der Sensoren.",
        contact_name="Erika Muster",
        contact_email="smartcity@ulm.example",
    )
    PilotLinkFactory(pilot=pilot, label="Projektseite", url="https://ulm.example/parken")
    return pilot


def test_detail_shows_everything_a_municipality_needs(client, pilot):
    used = SolutionFactory(title="ParkSense")
    ReferenceFactory(solution=used, municipality=pilot.lead_municipality, pilot=pilot, is_verified=True)
    draft = SolutionFactory(title="Geheimer Entwurf", status=EditorialStatus.DRAFT)
    ReferenceFactory(solution=draft, municipality=pilot.lead_municipality, pilot=pilot)
    hidden_vendor = SolutionFactory(title="Unbestätigt", vendor=VendorFactory(is_verified=False))
    ReferenceFactory(solution=hidden_vendor, municipality=pilot.lead_municipality, pilot=pilot)
    response = client.get("/pilotprojekte/sensorik-parkraum/")
    content = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Sensorik für Parkraum",
        "Weniger Parksuchverkehr.",
        "Zwölf Prozent weniger Suchverkehr.",
        "Früh mit dem Datenschutz reden.",
        "Für jede Mittelstadt geeignet.",
        "Betrieb durch die Stadtwerke.",
        "Belegungsdaten der Sensoren.",
        "Neu-Ulm",
        "Mobility",
        "Modellprojekt Smart Cities 2019",
        "1.250.000 €",
        "Erika Muster",
        'href="mailto:smartcity@ulm.example"',
        'href="https://ulm.example/parken">Projektseite</a>',
        "Located in Baden-Württemberg",
        "Verified reference",
    ):
        assert text in content, text
    assert [ref.solution.title for ref in response.context["solution_references"]] == ["ParkSense"]
    assert "Geheimer Entwurf" not in content
    assert "Unbestätigt" not in content
    assert 'class="badge badge-sample"' not in content


def test_sample_rows_carry_the_badge(client):
    PilotProjectFactory(slug="demo", is_demo=True)
    content = client.get("/pilotprojekte/demo/").content.decode()
    assert '<li class="badge badge-sample">Sample data</li>' in content


@pytest.mark.parametrize(
    "status",
    [EditorialStatus.DRAFT, EditorialStatus.SUBMITTED, EditorialStatus.REJECTED, EditorialStatus.ARCHIVED],
)
def test_unpublished_pilots_are_not_found(client, status):
    PilotProjectFactory(slug="intern", title="Interner Plan", status=status)
    response = client.get("/pilotprojekte/intern/")
    assert response.status_code == 404
    assert "Interner Plan" not in response.content.decode()


def test_unknown_slug_is_not_found(client):
    assert client.get("/pilotprojekte/gibt-es-nicht/").status_code == 404


@pytest.mark.parametrize("rows", [1, 50])
def test_detail_query_count_does_not_grow(client, django_assert_num_queries, rows):
    lead = MunicipalityFactory()
    categories = [CategoryFactory() for _ in range(min(rows, 5))]
    pilot = PilotProjectFactory(
        slug="viel",
        lead_municipality=lead,
        categories=categories,
        partners=MunicipalityFactory.create_batch(rows),
    )
    for index in range(rows):
        PilotLinkFactory(pilot=pilot, label=f"Link {index}")
        ReferenceFactory(pilot=pilot, municipality=lead)
    # pilot + lead, categories, partners, links, references with their solutions and vendors
    with django_assert_num_queries(5):
        response = client.get("/pilotprojekte/viel/")
    assert len(response.context["solution_references"]) == rows
    assert len(response.context["partners"]) == rows

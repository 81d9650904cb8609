"""The municipality profile: key facts, pilots, solutions in use, similar municipalities, query counts."""

import pytest
from django.test import Client

from marketplace.choices import EditorialStatus
from tests.factories import MunicipalityFactory, PilotProjectFactory, ReferenceFactory, SolutionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return Client(headers={"Accept-Language": "en"})


@pytest.fixture
def town():
    return MunicipalityFactory(
        name="Ulm",
        slug="ulm",
        ags="08421000",
        kind="kreisfreie_stadt",
        population=126_000,
        is_model_project=True,
        model_project_round=2019,
        website="https://www.ulm.example/",
        contact_name="Digitalbüro",
        contact_email="digital@ulm.example",
    )


def test_profile_shows_key_facts_pilots_and_solutions(client, town):
    led = PilotProjectFactory(title="Ulm lenkt", lead_municipality=town)
    joined = PilotProjectFactory(title="Gemeinsam mit Neu-Ulm", partners=[town])
    PilotProjectFactory(title="Entwurf", lead_municipality=town, status=EditorialStatus.DRAFT)
    verified = SolutionFactory(title="ParkSense")
    unverified = SolutionFactory(title="Ratsinfo")
    hidden = SolutionFactory(title="Archiviert", status=EditorialStatus.ARCHIVED)
    ReferenceFactory(solution=verified, municipality=town, is_verified=True, since_year=2021)
    ReferenceFactory(solution=unverified, municipality=town, is_verified=False)
    ReferenceFactory(solution=hidden, municipality=town)
    response = client.get("/kommunen/ulm/")
    content = response.content.decode()
    assert response.status_code == 200
    for text in (
        "<h1>Ulm</h1>",
        "08421000",
        "District-free city",
        "Baden-Württemberg",
        "126,000",
        "City (100,000 and more)",
        "round 2019",
        'href="https://www.ulm.example/"',
        "Digitalbüro",
        'href="mailto:digital@ulm.example"',
        "Located in Baden-Württemberg",
        "2 references, 1 of them verified",
    ):
        assert text in content, text
    assert [pilot.title for pilot in response.context["data"].led_pilots] == [led.title]
    assert [pilot.title for pilot in response.context["data"].partner_pilots] == [joined.title]
    assert [ref.solution.title for ref in response.context["data"].references] == ["ParkSense", "Ratsinfo"]
    assert [ref.is_verified for ref in response.context["data"].references] == [True, False]
    assert "Entwurf" not in content
    assert "Archiviert" not in content


def test_similar_municipalities_same_size_and_land_first(client, town):
    same_land = MunicipalityFactory(name="Zeppelinstadt", ags="08435000", population=150_000)
    other_land = MunicipalityFactory(name="Augsburg", ags="09761000", population=300_000)
    MunicipalityFactory(name="Dorf", ags="08421001", population=900)
    ReferenceFactory(municipality=other_land)
    ReferenceFactory(municipality=other_land)
    ReferenceFactory(municipality=other_land, solution=SolutionFactory(status=EditorialStatus.DRAFT))
    response = client.get("/kommunen/ulm/")
    similar = response.context["data"].similar
    assert [(m.name, m.solution_count) for m in similar] == [("Zeppelinstadt", 0), ("Augsburg", 2)]
    assert same_land.get_absolute_url() in response.content.decode()
    assert "2 solutions in use" in response.content.decode()


def test_sample_rows_carry_the_badge(client):
    MunicipalityFactory(slug="demo", is_demo=True)
    content = client.get("/kommunen/demo/").content.decode()
    assert '<li class="badge badge-sample">Sample data</li>' in content


def test_unknown_slug_is_not_found(client):
    response = client.get("/kommunen/gibt-es-nicht/")
    assert response.status_code == 404


@pytest.mark.parametrize("rows", [1, 50])
def test_detail_query_count_does_not_grow(client, django_assert_num_queries, town, rows):
    for index in range(rows):
        PilotProjectFactory(lead_municipality=town) if index % 2 else PilotProjectFactory(partners=[town])
        ReferenceFactory(municipality=town, is_demo=True)
        MunicipalityFactory(ags=f"0842{index + 2:04d}", population=110_000 + index)
    # municipality, the content version (the body is not cached yet for it: the rows above changed it),
    # pilots (led and joined), references with solutions and vendors, similar with counts
    with django_assert_num_queries(5):
        response = client.get("/kommunen/ulm/")
    assert len(response.context["data"].references) == rows
    assert len(response.context["data"].led_pilots) + len(response.context["data"].partner_pilots) == rows
    assert len(response.context["data"].similar) == min(rows, 6)

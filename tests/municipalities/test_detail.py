"""The municipality profile: key facts, pilots, solutions in use, similar municipalities, query counts."""

import datetime
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.test import Client

from marketplace.choices import EditorialStatus
from municipalities.models import Municipality
from tests.factories import MunicipalityFactory, PilotProjectFactory, ReferenceFactory, SolutionFactory
from tests.municipalities.register_rows import gemeinde, kreis, land, verband

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Profile fragments are cached per content version in the local-memory cache, which outlives a test.
    cache.clear()


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


def test_similar_municipalities_in_the_ranked_order_with_their_solution_counts(client, town):
    same_land = MunicipalityFactory(name="Zeppelinstadt", ags="08435000", population=150_000)
    other_land = MunicipalityFactory(name="Augsburg", ags="09761000", population=300_000)
    MunicipalityFactory(name="Dorf", ags="08421001", population=900)
    ReferenceFactory(municipality=other_land)
    ReferenceFactory(municipality=other_land)
    ReferenceFactory(municipality=other_land, solution=SolutionFactory(status=EditorialStatus.DRAFT))
    response = client.get("/kommunen/ulm/")
    similar = response.context["data"].similar
    # The order is Municipality.objects.similar_to's (tests/municipalities/test_similarity.py checks it).
    assert [m.pk for m in similar] == [m.pk for m in Municipality.objects.similar_to(town)[:6]]
    counts = {m.name: m.solution_count for m in similar}
    assert counts["Augsburg"] == 2 and counts["Zeppelinstadt"] == 0
    content = response.content.decode()
    assert same_land.get_absolute_url() in content
    assert "(Bayern, 2 solutions in use)" in content


def test_each_peer_says_why_it_is_listed(client, town):
    town.latitude, town.longitude, town.urbanisation = Decimal("48.40"), Decimal("9.99"), 1
    town.save()
    # Same size class, same Land, equally dense, about 40 km away: every reason named.
    MunicipalityFactory(
        name="Nahstadt",
        ags="08425001",
        population=120_000,
        latitude=Decimal("48.40"),
        longitude=Decimal("10.53"),
        urbanisation=1,
    )
    # Only the size class in common: no Land, no distance, no density named.
    MunicipalityFactory(name="Fernstadt", ags="03101000", population=125_000)
    similar = {m.name: m.similarity_reason for m in client.get("/kommunen/ulm/").context["data"].similar}
    assert similar["Nahstadt"] == (
        "similar in size (120,000 inhabitants), also in Baden-Württemberg, as densely settled, 40 km away"
    )
    assert similar["Fernstadt"] == "similar in size (125,000 inhabitants)"
    content = client.get("/kommunen/ulm/").content.decode()
    assert "as densely settled, 40 km away" in content


def test_kind_is_named_once_before_the_name():
    assert MunicipalityFactory.build(name="Süderbrarup", kind="amt").name_with_kind == "Amt Süderbrarup"
    assert MunicipalityFactory.build(name="Ilm-Kreis", kind="kreis").name_with_kind == "Ilm-Kreis"
    assert MunicipalityFactory.build(name="Kreis Plön", kind="kreis").name_with_kind == "Kreis Plön"
    assert MunicipalityFactory.build(name="Landkreis Hof", kind="landkreis").name_with_kind == "Landkreis Hof"


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
    # pilots (led and joined), references with solutions and vendors, similar with counts, the register's
    # source
    with django_assert_num_queries(6):
        response = client.get("/kommunen/ulm/")
    assert len(response.context["data"].references) == rows
    assert len(response.context["data"].led_pilots) + len(response.context["data"].partner_pilots) == rows
    assert len(response.context["data"].similar) == min(Municipality.objects.similar_to(town).count(), 6)


# --- The register's hierarchy on the profile (issue 12) --------------------------------------------------


@pytest.fixture
def dosse():
    """Neustadt (Dosse) in its Amt, Landkreis Ostprignitz-Ruppin, Brandenburg, with two neighbours."""
    brandenburg = land("12", "Brandenburg", 2_581_667)
    kreis_opr = kreis(brandenburg, "12068", "Ostprignitz-Ruppin", population=99_929)
    amt = verband(kreis_opr, "120685805", "Neustadt (Dosse)", population=7_758)
    town = gemeinde(
        amt,
        "120685805324",
        "Neustadt (Dosse)",
        population=3_477,
        postcode="16845",
        area_km2="75.87",
        urbanisation=3,
        official_name="Neustadt (Dosse), Stadt",
        slug="neustadt-dosse",
    )
    neighbour = gemeinde(amt, "120685805052", "Dreetz", kind="gemeinde", population=1_170)
    elsewhere = gemeinde(kreis_opr, "120680320320", "Neuruppin", population=31_803)
    return SimpleNamespace(
        land=brandenburg, kreis=kreis_opr, amt=amt, town=town, neighbour=neighbour, elsewhere=elsewhere
    )


def _section(content, heading_id):
    start = content.index(f'id="{heading_id}"')
    return content[start : content.index("</section>", start)]


def test_profile_shows_register_facts_with_links_up_the_hierarchy(client, dosse):
    response = client.get("/kommunen/neustadt-dosse/")
    content = response.content.decode()
    assert response.status_code == 200
    facts = content[content.index('<dl class="facts">') : content.index("</dl>")]
    for text in (
        "<dt>Kind</dt>\n        <dd>Town (Stadt)</dd>",
        "<dt>Official name</dt><dd>Neustadt (Dosse), Stadt</dd>",
        f'<a href="{dosse.amt.get_absolute_url()}">Amt Neustadt (Dosse)</a>',
        f'<a href="{dosse.kreis.get_absolute_url()}">District (Landkreis) Ostprignitz-Ruppin</a>',
        f'<a href="{dosse.land.get_absolute_url()}">Brandenburg</a>',
        "<dt>Regional key (ARS)</dt><dd>120685805324</dd>",
        "<dt>Official key (AGS)</dt><dd>12068324</dd>",
        "3,477 (as of Dec. 31, 2023)",
        "<dt>Size class</dt><dd>Rural municipality (under 5,000)</dd>",
        "75.87 km²",
        "<dt>Degree of urbanisation</dt><dd>Thinly populated</dd>",
        "<dt>Postcode of the seat</dt><dd>16845</dd>",
    ):
        assert text in facts, text
    breadcrumb = content[
        content.index('<nav class="breadcrumb"') : content.index("</nav>", content.index("breadcrumb"))
    ]
    assert re.findall(r"<li>(?:<a [^>]+>)?([^<]+)", breadcrumb) == [
        "Municipalities",
        "Brandenburg",
        "Ostprignitz-Ruppin",
        "Neustadt (Dosse)",
    ]
    assert '<li aria-current="page">Neustadt (Dosse)</li>' in breadcrumb


def test_profile_lists_solutions_of_the_verband_and_the_kreis_separately(client, dosse):
    own = SolutionFactory(title="Eigene Lösung")
    shared = SolutionFactory(title="Amtsweite Lösung")
    county = SolutionFactory(title="Kreisweite Lösung")
    draft = SolutionFactory(title="Entwurf im Amt", status=EditorialStatus.DRAFT)
    ReferenceFactory(solution=own, municipality=dosse.town)
    ReferenceFactory(solution=shared, municipality=dosse.neighbour)
    ReferenceFactory(solution=shared, municipality=dosse.amt)
    ReferenceFactory(solution=county, municipality=dosse.elsewhere)
    ReferenceFactory(solution=county, municipality=dosse.kreis)
    ReferenceFactory(solution=draft, municipality=dosse.neighbour)
    content = client.get("/kommunen/neustadt-dosse/").content.decode()
    assert "Eigene Lösung" in _section(content, "h-solutions")
    verband_part = _section(content, "h-verband-solutions")
    assert "In use in its association of municipalities: Amt Neustadt (Dosse)" in verband_part
    assert re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", verband_part)).count("Lösung") == 1
    assert "Amtsweite Lösung</a> (" in verband_part
    assert "in use in 2 municipalities (Dreetz, Neustadt (Dosse))" in verband_part
    assert "Entwurf" not in content
    kreis_part = _section(content, "h-kreis-solutions")
    assert "In use elsewhere in its district: District (Landkreis) Ostprignitz-Ruppin" in kreis_part
    assert "Kreisweite Lösung" in kreis_part and "Amtsweite" not in kreis_part and "Eigene" not in kreis_part
    assert "in use in 2 municipalities (Neuruppin, Ostprignitz-Ruppin)" in kreis_part


def test_kreis_profile_lists_its_largest_gemeinden_with_a_catalog_link(client, dosse):
    for index in range(25):
        gemeinde(
            dosse.kreis,
            f"12068{index + 100:07d}",
            f"Dorf {index:02d}",
            kind="gemeinde",
            population=500 + index,
        )
    ReferenceFactory(solution=SolutionFactory(title="Überall"), municipality=dosse.neighbour)
    content = client.get(dosse.kreis.get_absolute_url()).content.decode()
    members = _section(content, "h-members")
    assert "28 municipalities; the largest:" in members
    listed = re.findall(r'<li><a href="[^"]+">([^<]+)</a>', members)
    assert listed[:4] == ["Neuruppin", "Neustadt (Dosse)", "Dreetz", "Dorf 24"]
    assert len(listed) == 20
    assert '<a href="/kommunen/?kreis=12068">Show all 28 municipalities in the catalog</a>' in members
    assert "Überall" in _section(content, "h-member-solutions")
    assert "h-verband-solutions" not in content and "h-kreis-solutions" not in content


def test_land_profile_links_the_catalog_filtered_by_land(client, dosse):
    members = _section(client.get(dosse.land.get_absolute_url()).content.decode(), "h-members")
    assert "3 municipalities; the largest:" in members
    assert '<a href="/kommunen/?state=12">Show all 3 municipalities in the catalog</a>' in members


def test_dissolved_profile_names_its_successor_and_offers_no_choice(client, dosse):
    old = gemeinde(
        dosse.amt,
        "120685805999",
        "Alt-Neustadt",
        population=300,
        dissolved_on=datetime.date(2019, 1, 1),
        successor=dosse.town,
        slug="alt-neustadt",
    )
    content = client.get(old.get_absolute_url()).content.decode()
    notice = content[
        content.index('id="dissolved-notice"') : content.index("</div>", content.index("dissolved-notice"))
    ]
    assert "Dissolved on Jan. 1, 2019: the official register no longer lists it." in notice
    assert f'Successor: <a href="{dosse.town.get_absolute_url()}">Neustadt (Dosse)</a>' in notice
    assert "This is my municipality" not in content


def test_profile_offers_this_is_my_municipality(client, dosse):
    content = client.get("/kommunen/neustadt-dosse/").content.decode()
    assert re.search(
        r'<form method="post" action="/kommunen/meine/waehlen/">\s*'
        r'<input type="hidden" name="csrfmiddlewaretoken"[^>]+>\s*'
        r'<input type="hidden" name="slug" value="neustadt-dosse">\s*'
        r'<input type="hidden" name="next" value="/kommunen/neustadt-dosse/">\s*'
        r'<button class="button" type="submit">This is my municipality</button>',
        content,
    )
    response = client.post(
        "/kommunen/meine/waehlen/", {"slug": "neustadt-dosse", "next": "/kommunen/neustadt-dosse/"}
    )
    assert response["Location"] == "/kommunen/neustadt-dosse/"
    content = client.get("/kommunen/neustadt-dosse/").content.decode()
    assert '<span class="badge badge-verified">Your municipality</span>' in content
    assert "This is my municipality</button>" not in content


def _fill(dosse, rows):
    """``rows`` references in the town, its Amt and its Kreis, pilots and Gemeinden below the Kreis."""
    for index in range(rows):
        ReferenceFactory(municipality=dosse.town)
        ReferenceFactory(municipality=dosse.neighbour)
        ReferenceFactory(municipality=dosse.elsewhere)
        PilotProjectFactory(lead_municipality=dosse.town) if index % 2 else PilotProjectFactory(
            partners=[dosse.town]
        )
        gemeinde(
            dosse.kreis, f"12068{index + 100:07d}", f"Dorf {index}", kind="gemeinde", population=600 + index
        )


@pytest.mark.parametrize("rows", [1, 30])
def test_gemeinde_profile_query_count_does_not_grow(client, django_assert_num_queries, dosse, rows):
    _fill(dosse, rows)
    # municipality with Verband, Kreis and Land; content version; references; the Verband's and the Kreis's
    # solutions; pilots; similar municipalities with their counts; the register's source
    with django_assert_num_queries(8):
        response = client.get("/kommunen/neustadt-dosse/")
    assert len(response.context["data"].references) == rows
    assert response.context["data"].verband_solutions[0]["users"] == 1
    assert len(response.context["data"].kreis_solutions) == min(rows, 20)
    # The second request comes from the cached fragments: the municipality and the content version.
    with django_assert_num_queries(2):
        client.get("/kommunen/neustadt-dosse/")


@pytest.mark.parametrize("rows", [1, 30])
def test_kreis_profile_query_count_does_not_grow(client, django_assert_num_queries, dosse, rows):
    _fill(dosse, rows)
    # municipality; content version; references; the members' solutions; the largest members with their
    # total; pilots; similar municipalities; the register's source
    with django_assert_num_queries(8):
        response = client.get(dosse.kreis.get_absolute_url())
    assert response.context["data"].member_count == rows + 3
    assert len(response.context["data"].members) == min(rows + 3, 20)


def test_chosen_municipality_costs_two_queries_more_not_per_row(client, django_assert_num_queries, dosse):
    client.post("/kommunen/meine/waehlen/", {"slug": dosse.elsewhere.slug})
    client.get("/kommunen/neustadt-dosse/")  # fills the fragment cache
    # municipality, content version, the session and the chosen municipality (for the header and the button)
    with django_assert_num_queries(4):
        response = client.get("/kommunen/neustadt-dosse/")
    assert "Neuruppin</a></p>" in response.content.decode()

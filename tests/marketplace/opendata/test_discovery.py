"""Atom feeds, sitemap.xml and robots.txt: valid XML, only published pages, absolute addresses."""

from xml.etree import ElementTree

import pytest
from django.urls import reverse

from solutions import publiccode
from tests.factories import CategoryFactory, MunicipalityFactory, PilotProjectFactory, SolutionFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://marktplatz.example.de"


def _xml(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return ElementTree.fromstring(response.content), response  # noqa: S314 - our own response


def test_solution_feed_lists_the_newest_published_solutions(client):
    mobility = CategoryFactory(slug="mobilitaet")
    SolutionFactory(title="Parksensoren", categories=[mobility])
    SolutionFactory(title="Schulportal")
    SolutionFactory(title="Entwurf", status="draft", published_at=None)

    feed, response = _xml(client, reverse("opendata:feed_solutions"))
    only_mobility, _ = _xml(client, reverse("opendata:feed_solutions_category", args=["mobilitaet"]))

    assert response["Content-Type"].startswith("application/atom+xml")
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]
    assert sorted(titles) == ["Parksensoren", "Schulportal"]
    assert [entry.findtext(f"{ATOM}title") for entry in only_mobility.iter(f"{ATOM}entry")] == [
        "Parksensoren"
    ]
    links = [link.get("href") for link in feed.iter(f"{ATOM}link")]
    assert all(link.startswith("http") for link in links)


def test_pilot_feed_and_unknown_field_of_action(client):
    PilotProjectFactory(title="Smarte Laternen")
    PilotProjectFactory(title="Geheim", status="draft", published_at=None)

    feed, _ = _xml(client, reverse("opendata:feed_pilots"))

    assert [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")] == ["Smarte Laternen"]
    assert client.get(reverse("opendata:feed_pilots_category", args=["gibt-es-nicht"])).status_code == 404


def test_sitemap_index_names_each_section_and_sections_list_only_public_pages(client):
    published = SolutionFactory(slug="parksensoren")
    SolutionFactory(slug="entwurf", status="draft")
    PilotProjectFactory(slug="laternen")
    MunicipalityFactory(slug="ulm")
    MunicipalityFactory(slug="alt-gemeinde", dissolved_on="2020-01-01")

    index, _ = _xml(client, reverse("sitemap"))
    sections = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    pages = []
    for section in sections:
        assert section.startswith("https://marktplatz.example.de/sitemap-")
        tree, _ = _xml(client, section.removeprefix("https://marktplatz.example.de"))
        pages += [loc.text for loc in tree.iter(f"{SITEMAP}loc")]

    assert f"https://marktplatz.example.de{published.get_absolute_url()}" in pages
    assert "https://marktplatz.example.de/pilotprojekte/laternen/" in pages
    assert "https://marktplatz.example.de/kommunen/ulm/" in pages
    assert "https://marktplatz.example.de/daten/" in pages
    assert not [page for page in pages if "entwurf" in page or "alt-gemeinde" in page]


def test_robots_names_the_sitemap_and_keeps_crawlers_out_of_private_areas(client, settings):
    response = client.get("/robots.txt")

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Sitemap: https://marktplatz.example.de/sitemap.xml" in lines
    assert "Disallow: /merkliste/" in lines
    assert "Disallow: /konto/" in lines
    assert f"Disallow: /{settings.ADMIN_PATH}" in lines


def test_open_data_page_links_every_download(client):
    response = client.get(reverse("opendata:index"))

    body = response.content.decode()
    for dataset in ("loesungen", "pilotprojekte", "kommunen"):
        for fmt in ("csv", "json"):
            assert reverse("opendata:export", args=[dataset, fmt]) in body
    assert reverse("opendata:dcat") in body and "dl-de/by-2-0" in body


def test_publiccode_yml_of_an_open_source_solution_reads_back_through_the_importer(client):
    solution = SolutionFactory(
        title="Offene Ratsinfo",
        summary="Ratsinformationssystem als freie Software.",
        description="Sitzungen, Vorlagen und Beschlüsse.\n\n- barrierefrei",
        licence_type="open_source",
        spdx_id="EUPL-1.2",
        source_url="https://git.example.org/ratsinfo",
        contact_email="team@example.org",
    )
    proprietary = SolutionFactory()

    response = client.get(reverse("opendata:publiccode", args=[solution.slug]))
    result = publiccode.parse(response.content.decode())

    assert response["Content-Type"] == "application/yaml; charset=utf-8"
    assert result.errors == []
    values = result.values
    assert values["title"] == "Offene Ratsinfo"
    assert values["summary"] == solution.summary and values["description"] == solution.description
    assert values["spdx_id"] == "EUPL-1.2" and values["licence_type"] == "open_source"
    assert values["source_url"] == "https://git.example.org/ratsinfo"
    assert values["website"] == f"https://marktplatz.example.de{solution.get_absolute_url()}"
    assert values["contact_email"] == "team@example.org"
    assert client.get(reverse("opendata:publiccode", args=[proprietary.slug])).status_code == 404
    detail = client.get(solution.get_absolute_url()).content.decode()
    assert reverse("opendata:publiccode", args=[solution.slug]) in detail


@pytest.mark.parametrize("count", [2, 20])
def test_feeds_and_sitemap_sections_take_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    for _ in range(count):
        SolutionFactory()
        PilotProjectFactory()

    with django_assert_num_queries(1):
        client.get(reverse("opendata:feed_solutions"))
    with django_assert_num_queries(1):
        client.get(reverse("opendata:feed_pilots"))
    with django_assert_num_queries(2):  # the rows of the page, and their count for the paginator
        client.get(reverse("sitemap_section", kwargs={"section": "loesungen"}))

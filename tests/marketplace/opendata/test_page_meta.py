"""Every page names its canonical address, its German and English versions, a description and Open Graph
tags; detail pages carry schema.org JSON-LD that an RDF parser reads without errors."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from tests.factories import MunicipalityFactory, PilotProjectFactory, SolutionFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
]
SITE = "https://marktplatz.example.de"
SCHEMA = "https://schema.org/"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


class _Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta, self.links, self.scripts, self._in_ld = {}, [], [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("name" in attrs or "property" in attrs):
            self.meta[attrs.get("name") or attrs["property"]] = attrs["content"]
        elif tag == "link":
            self.links.append(attrs)
        self._in_ld = tag == "script" and attrs.get("type") == "application/ld+json"

    def handle_data(self, data):
        if self._in_ld:
            self.scripts.append(data)
            self._in_ld = False


def _head(client, url, **query):
    response = client.get(url, query)
    assert response.status_code == 200
    head = _Head()
    head.feed(response.content.decode())
    return head


def _json_ld_graph(text: str) -> Graph:
    """The JSON-LD as RDF, with schema.org's context as a plain vocabulary (no download)."""
    data = json.loads(text)
    assert data["@context"] == "https://schema.org"
    data["@context"] = {"@vocab": SCHEMA}
    return Graph().parse(data=json.dumps(data), format="json-ld")


@pytest.mark.parametrize(
    "name", ["home", "solutions:list", "pilots:list", "municipalities:list", "opendata:index", "contact"]
)
def test_every_page_has_a_description_canonical_address_languages_and_open_graph(client, name):
    head = _head(client, reverse(name))

    path = reverse(name)
    assert len(head.meta["description"]) > 50
    assert head.meta["og:url"] == f"{SITE}{path}"
    assert head.meta["og:site_name"] and head.meta["og:title"] and head.meta["og:description"]
    canonical = [link["href"] for link in head.links if link.get("rel") == "canonical"]
    assert canonical == [f"{SITE}{path}"]
    languages = {
        link["hreflang"]: link["href"]
        for link in head.links
        if link.get("rel") == "alternate" and "hreflang" in link
    }
    assert languages == {"de": f"{SITE}{path}", "en": f"{SITE}{path}?lang=en", "x-default": f"{SITE}{path}"}


def test_the_english_address_serves_english_and_keeps_the_filters(client):
    response = client.get(reverse("solutions:list"), {"category": "x", "lang": "en"})

    assert '<html lang="en">' in response.content.decode()
    head = _Head()
    head.feed(response.content.decode())
    assert head.meta["og:locale"] == "en_GB"
    # A filtered page points at the catalog itself as its canonical page.
    assert [link["href"] for link in head.links if link.get("rel") == "canonical"] == [f"{SITE}/loesungen/"]
    assert client.get(reverse("solutions:list")).content.decode().startswith("<!DOCTYPE html>")
    assert '<html lang="de">' in client.get(reverse("solutions:list")).content.decode()


def test_solution_pilot_and_municipality_pages_describe_themselves_in_json_ld(client):
    ulm = MunicipalityFactory(name="Ulm", slug="ulm", ars="084210000000", latitude=48.4, longitude=9.99)
    solution = SolutionFactory(title="Parksensoren", summary="Freie Parkplätze in Echtzeit finden.")
    pilot = PilotProjectFactory(title="Smarte Laternen", summary="Licht nach Bedarf.", lead_municipality=ulm)

    pages = {
        "SoftwareApplication": (
            solution.get_absolute_url(),
            "Parksensoren",
            "Freie Parkplätze in Echtzeit finden.",
        ),
        "Project": (pilot.get_absolute_url(), "Smarte Laternen", "Licht nach Bedarf."),
        "AdministrativeArea": (ulm.get_absolute_url(), "Ulm", None),
    }
    for schema_type, (url, name, summary) in pages.items():
        head = _head(client, url)
        [script] = head.scripts
        graph = _json_ld_graph(script)
        [node] = graph.subjects(RDF.type, URIRef(SCHEMA + schema_type))
        assert str(graph.value(node, URIRef(SCHEMA + "name"))) == name
        assert str(graph.value(node, URIRef(SCHEMA + "url"))) == f"{SITE}{url}"
        if summary:
            assert head.meta["description"] == summary
            assert head.meta["og:type"] == "article"
        else:
            assert re.match(r"Ulm: ", head.meta["description"])

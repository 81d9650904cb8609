"""The DCAT-AP.de catalogue: every serialisation parses to the same graph, and the official shapes find no
violation (when ../shared/data/dcat-ap-de is there; the shapes are never copied into the repository)."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, RDF

from tests.factories import SolutionFactory

pytestmark = [
    pytest.mark.django_db,
    # rdflib's own JSON-LD parser still builds a ConjunctiveGraph and warns about it.
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
]

SHAPES = Path(settings.BASE_DIR).parent / "shared" / "data" / "dcat-ap-de" / "v2.0"
# The profile "DCAT-AP.de 2.0 – Spezifikation + Konventionen" (its README names these files).
PROFILE = (
    "dcat-ap-de-imports.ttl",
    "dcat-ap-spec-german-messages.ttl",
    "dcat-ap-spec-german-additions.ttl",
    "dcat-ap-de-deprecated.ttl",
    "dcat-ap-konventionen.ttl",
    "dcat-ap_2.1.1_shacl_shapes.ttl",
)


def _graph(client, fmt, **headers):
    response = client.get(reverse("opendata:dcat"), {"format": fmt} if fmt else {}, headers=headers)
    assert response.status_code == 200
    rdflib_format = {"ttl": "turtle", "rdf": "xml", "jsonld": "json-ld"}[fmt or "ttl"]
    return Graph().parse(data=response.content.decode(), format=rdflib_format), response


def test_catalogue_names_every_dataset_with_its_csv_and_json_distributions(client):
    graph, response = _graph(client, "ttl")

    assert response["Content-Type"].startswith("text/turtle")
    [catalog] = graph.subjects(RDF.type, DCAT.Catalog)
    datasets = set(graph.objects(catalog, DCAT.dataset))
    assert len(datasets) == 3
    downloads = {
        str(url)
        for dataset in datasets
        for distribution in graph.objects(dataset, DCAT.distribution)
        for url in graph.objects(distribution, DCAT.downloadURL)
    }
    paths = {
        reverse("opendata:export", args=[slug, fmt])
        for slug in ("loesungen", "pilotprojekte", "kommunen")
        for fmt in ("csv", "json")
    }
    assert {url.split("://", 1)[1].split("/", 1)[1] for url in downloads} == {p.lstrip("/") for p in paths}
    for dataset in datasets:
        assert (dataset, DCTERMS.license, None) not in graph  # the licence sits on the distributions
        for distribution in graph.objects(dataset, DCAT.distribution):
            assert graph.value(distribution, DCTERMS.license) == URIRef(
                "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
            )


def test_the_three_serialisations_hold_the_same_graph(client):
    turtle, _ = _graph(client, "ttl")
    xml, xml_response = _graph(client, "rdf")
    jsonld, jsonld_response = _graph(client, "jsonld")

    assert xml_response["Content-Type"].startswith("application/rdf+xml")
    json.loads(jsonld_response.content)
    assert isomorphic(turtle, xml)
    assert isomorphic(turtle, jsonld)


def test_the_accept_header_chooses_the_serialisation_and_a_wrong_format_gets_400(client):
    response = client.get(reverse("opendata:dcat"), headers={"Accept": "application/ld+json"})
    assert response["Content-Type"].startswith("application/ld+json")
    assert client.get(reverse("opendata:dcat"), {"format": "pdf"}).status_code == 400


def test_modified_follows_the_last_published_change(client):
    solution = SolutionFactory()

    graph, _ = _graph(client, "ttl")

    [catalog] = graph.subjects(RDF.type, DCAT.Catalog)
    modified = graph.value(catalog, DCTERMS.modified).toPython()
    assert modified == solution.updated_at.replace(microsecond=0)


@pytest.mark.skipif(not SHAPES.is_dir(), reason="needs ../shared/data/dcat-ap-de (the official shapes)")
@pytest.mark.parametrize("fmt", ["ttl", "rdf", "jsonld"])
def test_catalogue_passes_the_official_dcat_ap_de_shapes(client, fmt):
    from pyshacl import validate

    SolutionFactory()
    data, _ = _graph(client, fmt)
    shapes = Graph()
    for name in PROFILE:
        shapes.parse(SHAPES / name, format="turtle")

    conforms, results, text = validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)

    from pyshacl.rdfutil import stringify_node  # noqa: F401 - keeps pyshacl's report readable on failure

    violations = [line for line in text.splitlines() if "Severity: sh:Violation" in line]
    assert violations == [], text
    assert conforms, text

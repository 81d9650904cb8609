"""The DCAT-AP.de catalogue of the platform's datasets (``opendata:dcat``), built with rdflib.

One dcat:Catalog with one dcat:Dataset per catalog of the site (``datasets.DATASETS``), each with its CSV and
JSON export as distributions, publisher, contact point, licence (dl-by-de/2.0 with its attribution text),
theme, spatial coverage (Germany), temporal coverage and modification date. Every controlled-vocabulary value
names its scheme (``skos:inScheme``) in the graph itself, so the official DCAT-AP.de 2.0 SHACL shapes can be
checked offline (tests/marketplace/opendata/test_dcat.py runs pyshacl against ../shared/data/dcat-ap-de/).
"""

from datetime import date, datetime

from django.conf import settings
from django.urls import reverse
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from marketplace import mail

from .datasets import DATASETS, LICENCE_URI

DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU = "http://publications.europa.eu/resource/authority/"
THEME_SCHEME = URIRef(EU + "data-theme")
FILE_TYPE_SCHEME = URIRef(EU + "file-type")
LANGUAGE_SCHEME = URIRef(EU + "language")
ACCESS_RIGHT_SCHEME = URIRef(EU + "access-right")
FREQUENCY_SCHEME = URIRef(EU + "frequency")
LICENCE_SCHEME = URIRef("http://dcat-ap.de/def/licenses")
GEOCODING_LEVEL_SCHEME = URIRef("http://dcat-ap.de/def/politicalGeocoding/Level")
GEOCODING_LEVEL = URIRef("http://dcat-ap.de/def/politicalGeocodingLevel/federal")
STATE_KEY_SCHEME = URIRef("http://dcat-ap.de/def/politicalGeocoding/stateKey")
# All of Germany: the 16 Länder by their keys (DCAT-AP.de has no key for the federation as a whole).
LAENDER = [URIRef(f"{STATE_KEY_SCHEME}/{number:02d}") for number in range(1, 17)]
GERMANY = URIRef("http://publications.europa.eu/resource/authority/country/DEU")
KEYWORDS = ("Smart City", "Kommunen", "Digitalisierung", "Verwaltung")
# Government and public sector; science and technology; regions and cities.
THEMES = ("GOVE", "TECH", "REGI")
FORMATS = {"csv": ("CSV", "text/csv"), "json": ("JSON", "application/json")}
MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
CONTRIBUTOR_ID = URIRef(
    "http://dcat-ap.de/def/contributors/bundesministeriumFuerWohnenStadtentwicklungUndBauwesen"
)
ATTRIBUTION = "Smart-City-Marktplatz"
FIRST_PUBLISHED = date(2025, 1, 1)

SERIALISATIONS = {
    "ttl": ("turtle", "text/turtle"),
    "rdf": ("pretty-xml", "application/rdf+xml"),
    "jsonld": ("json-ld", "application/ld+json"),
}


def _in_scheme(graph: Graph, concept: URIRef, scheme: URIRef) -> URIRef:
    graph.add((concept, SKOS.inScheme, scheme))
    return concept


def _agent(graph: Graph) -> URIRef:
    # Named nodes, not blank ones: RDF/XML writers repeat or lose a blank node shared by several datasets.
    agent = URIRef(mail.absolute("/") + "#publisher")
    graph.add((agent, RDF.type, FOAF.Agent))
    graph.add((agent, FOAF.name, Literal(settings.SITE_NAME, lang="de")))
    graph.add((agent, FOAF.homepage, URIRef(mail.absolute("/"))))
    return agent


def _contact(graph: Graph) -> URIRef:
    contact = URIRef(mail.absolute(reverse("contact")) + "#contact")
    graph.add((contact, RDF.type, VCARD.Organization))
    graph.add((contact, RDF.type, VCARD.Kind))  # what the shapes check; no inference from Organization
    graph.add((contact, VCARD.fn, Literal(settings.SITE_NAME)))
    graph.add((contact, VCARD.hasURL, URIRef(mail.absolute(reverse("contact")))))
    if settings.DEFAULT_FROM_EMAIL and "@" in settings.DEFAULT_FROM_EMAIL:
        address = settings.DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].rstrip(">").strip()
        graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{address}")))
    return contact


def _modified(value: datetime | None) -> Literal:
    # Without any published listing: the catalogue's first day, so every serialisation says the same.
    if value is None:
        return Literal(FIRST_PUBLISHED, datatype=XSD.date)
    return Literal(value.isoformat(timespec="seconds"), datatype=XSD.dateTime)


def build(*, modified: datetime | None = None) -> Graph:
    """The catalogue as a graph; ``modified`` is the last change of the published content (None: none yet)."""
    graph = Graph()
    graph.bind("dcat", DCAT)
    graph.bind("dct", DCTERMS)
    graph.bind("dcatde", DCATDE)
    graph.bind("foaf", FOAF)
    graph.bind("vcard", VCARD)
    graph.bind("skos", SKOS)
    catalog = URIRef(mail.absolute(reverse("opendata:dcat")))
    publisher = _agent(graph)
    contact = _contact(graph)
    licence = _in_scheme(graph, URIRef(LICENCE_URI), LICENCE_SCHEME)
    german = _in_scheme(graph, URIRef(EU + "language/DEU"), LANGUAGE_SCHEME)
    changed = _modified(modified)
    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, DCTERMS.title, Literal(settings.SITE_NAME, lang="de")))
    graph.add(
        (
            catalog,
            DCTERMS.description,
            Literal(
                "Offene Daten des Smart-City-Marktplatzes: Lösungen für Kommunen, Pilotprojekte und "
                "das Verzeichnis der Kommunen.",
                lang="de",
            ),
        )
    )
    graph.add((catalog, DCTERMS.publisher, publisher))
    graph.add((catalog, FOAF.homepage, URIRef(mail.absolute("/"))))
    graph.add((catalog, DCTERMS.language, german))
    graph.add((catalog, DCTERMS.license, licence))
    graph.add((catalog, DCTERMS.issued, Literal(FIRST_PUBLISHED, datatype=XSD.date)))
    graph.add((catalog, DCTERMS.modified, changed))
    graph.add((catalog, DCAT.themeTaxonomy, THEME_SCHEME))
    graph.add((THEME_SCHEME, RDF.type, SKOS.ConceptScheme))
    graph.add((THEME_SCHEME, DCTERMS.title, Literal("Data theme", lang="en")))
    for dataset in DATASETS.values():
        node = URIRef(mail.absolute(reverse("opendata:index")) + f"#{dataset.slug}")
        graph.add((catalog, DCAT.dataset, node))
        graph.add((node, RDF.type, DCAT.Dataset))
        graph.add((node, DCTERMS.identifier, Literal(str(node))))
        graph.add((node, DCTERMS.title, Literal(str(dataset.title), lang="de")))
        graph.add((node, DCTERMS.description, Literal(str(dataset.description), lang="de")))
        graph.add((node, DCTERMS.publisher, publisher))
        graph.add((node, DCAT.contactPoint, contact))
        graph.add(
            (
                node,
                DCATDE.contributorID,
                _in_scheme(graph, CONTRIBUTOR_ID, URIRef("http://dcat-ap.de/def/contributors")),
            )
        )
        graph.add((node, DCAT.landingPage, URIRef(mail.absolute(reverse(dataset.list_url_name)))))
        graph.add((node, DCTERMS.language, german))
        graph.add((node, DCTERMS.modified, changed))
        graph.add((node, DCTERMS.issued, Literal(FIRST_PUBLISHED, datatype=XSD.date)))
        graph.add(
            (
                node,
                DCTERMS.accessRights,
                _in_scheme(graph, URIRef(EU + "access-right/PUBLIC"), ACCESS_RIGHT_SCHEME),
            )
        )
        graph.add(
            (
                node,
                DCTERMS.accrualPeriodicity,
                _in_scheme(graph, URIRef(EU + "frequency/DAILY"), FREQUENCY_SCHEME),
            )
        )
        for theme in THEMES:
            graph.add((node, DCAT.theme, _in_scheme(graph, URIRef(f"{EU}data-theme/{theme}"), THEME_SCHEME)))
        graph.add((node, DCTERMS.spatial, GERMANY))
        for land in LAENDER:
            graph.add((node, DCATDE.politicalGeocodingURI, _in_scheme(graph, land, STATE_KEY_SCHEME)))
        for keyword in (*KEYWORDS, str(dataset.title)):
            graph.add((node, DCAT.keyword, Literal(keyword, lang="de")))
        graph.add(
            (
                node,
                DCATDE.politicalGeocodingLevelURI,
                _in_scheme(graph, GEOCODING_LEVEL, GEOCODING_LEVEL_SCHEME),
            )
        )
        period = BNode(f"period-{dataset.slug}")
        graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
        graph.add((period, DCAT.startDate, Literal(FIRST_PUBLISHED, datatype=XSD.date)))
        graph.add((node, DCTERMS.temporal, period))
        for extension, (format_code, media_type) in FORMATS.items():
            url = URIRef(mail.absolute(reverse("opendata:export", args=[dataset.slug, extension])))
            distribution = URIRef(f"{url}#distribution")
            graph.add((node, DCAT.distribution, distribution))
            graph.add((distribution, RDF.type, DCAT.Distribution))
            graph.add((distribution, DCTERMS.title, Literal(f"{dataset.title} ({format_code})", lang="de")))
            graph.add((distribution, DCAT.accessURL, url))
            graph.add((distribution, DCAT.downloadURL, url))
            graph.add(
                (
                    distribution,
                    DCTERMS.format,
                    _in_scheme(graph, URIRef(f"{EU}file-type/{format_code}"), FILE_TYPE_SCHEME),
                )
            )
            graph.add((distribution, DCAT.mediaType, URIRef(MEDIA_TYPES + media_type)))
            graph.add((distribution, DCTERMS.license, licence))
            graph.add((distribution, DCATDE.licenseAttributionByText, Literal(ATTRIBUTION)))
            graph.add((distribution, DCTERMS.modified, changed))
    return graph


def serialise(graph: Graph, key: str) -> tuple[str, str]:
    """The graph in one of SERIALISATIONS (ttl, rdf, jsonld): its text and content type."""
    rdflib_format, content_type = SERIALISATIONS[key]
    return graph.serialize(format=rdflib_format), content_type

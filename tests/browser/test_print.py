"""Printing: a solution page and a pilot project page fit on at most two A4 pages for typical content.

Paper shows the content, not the site around it: no navigation, footer, filters or "similar solutions" cards,
no internal link paths; links to other sites print their address after the link text. Chromium prints the page
to PDF (``page.pdf``, headless only); the test counts the PDF's page objects (pypdf is not a dependency).
"""

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from tests.factories import (
    CategoryFactory,
    MunicipalityFactory,
    PilotLinkFactory,
    PilotProjectFactory,
    ReferenceFactory,
    SolutionFactory,
    StandardFactory,
    VendorFactory,
)
from tests.solutions.portal.conftest import image_bytes

pytestmark = pytest.mark.django_db(transaction=True)

MAX_PAGES = 2
PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
WEBSITE = "https://www.parksense.example/produkt"
PARAGRAPH = (
    "Die Sensoren erkennen belegte Stellplätze per Magnetfeldmessung und melden sie über LoRaWAN an eine "
    "offene Datenplattform. Die Kommune behält alle Daten und kann sie als Open Data veröffentlichen; "
    "Parkleitsysteme und Apps lesen sie über eine dokumentierte Schnittstelle. "
)
TEXT = PARAGRAPH * 2


@pytest.fixture
def typical_solution(settings, tmp_path):
    """A listing as vendors fill them in: a logo, every fact, a description of some paragraphs, four
    references with statements, a pilot project and similar solutions."""
    settings.MEDIA_ROOT = tmp_path / "media"
    mobility = CategoryFactory(slug="mobilitaet", name_de="Mobilität", name_en="Mobility")
    vendor = VendorFactory(
        name="ParkSense GmbH",
        website="https://www.parksense.example/",
        street="Hafenstraße 1",
        postcode="20457",
        city="Hamburg",
        email="kontakt@parksense.example",
        phone="+49 40 000000",
    )
    solution = SolutionFactory(
        title="ParkSense Parkraumsensorik",
        slug="parksense",
        vendor=vendor,
        summary="Sensoren melden freie Parkplätze in Echtzeit an eine offene Datenplattform der Kommune.",
        description=(
            f"## Funktionen\n\n{TEXT}\n\n- Echtzeit-Belegung\n- Auslastungsstatistik\n- Open-Data-Export\n"
            f"- Anbindung an Parkleitsysteme\n- Störungsmeldungen\n\n## Einführung\n\n{TEXT}\n\n{PARAGRAPH}"
        ),
        categories=[mobility],
        standards=[StandardFactory(name="LoRaWAN", url="https://lora-alliance.example/")],
        maturity="production",
        licence_type="proprietary",
        website=WEBSITE,
        accessibility_statement_url="https://www.parksense.example/barrierefreiheit",
        dpa_available=True,
        price_model="subscription",
        cost_introduction_eur=9_000,
        cost_yearly_eur=2_400,
        cost_notes="Preise für bis zu 200 Sensoren; größere Netze nach Angebot.",
        procurement_notes="Beschaffung über den Rahmenvertrag des Landes möglich.",
        contact_name="Max Mustermann",
        contact_email="max.mustermann@parksense.example",
        contact_phone="+49 40 000000-12",
    )
    solution.logo.save("logo.png", ContentFile(image_bytes(size=(256, 256))), save=True)
    pilot = PilotProjectFactory(
        title="Smarte Parkplätze Ulm", lead_municipality=MunicipalityFactory(name="Ulm")
    )
    for number, town in enumerate(["Ulm", "Kiel", "Jena", "Trier"]):
        ReferenceFactory(
            solution=solution,
            municipality=MunicipalityFactory(name=town),
            pilot=pilot if number == 0 else None,
            is_verified=number % 2 == 0,
            statement="Läuft zuverlässig; die Auslastung ist jetzt für alle sichtbar.",
        )
    for number in range(3):
        SolutionFactory(title=f"Parkleitsystem {number}", categories=[mobility])
    return solution


@pytest.fixture
def typical_pilot():
    mobility = CategoryFactory(slug="mobilitaet", name_de="Mobilität", name_en="Mobility")
    ulm = MunicipalityFactory(name="Ulm", ags="08421000")
    pilot = PilotProjectFactory(
        title="Smarte Parkplätze Ulm",
        slug="smarte-parkplaetze",
        lead_municipality=ulm,
        partners=[MunicipalityFactory(name=name) for name in ("Neu-Ulm", "Biberach", "Ehingen")],
        categories=[mobility],
        funding="msc",
        model_project_round=2020,
        phase="continued",
        start_date=datetime.date(2021, 4, 1),
        end_date=datetime.date(2025, 3, 31),
        budget_eur=1_200_000,
        summary="Weniger Parksuchverkehr durch Sensoren an 400 Stellplätzen der Innenstadt.",
        goals=TEXT,
        results=TEXT,
        lessons_learned=PARAGRAPH,
        transferability="Übertragbar auf Städte ab 20.000 Einwohnern mit LoRaWAN-Netz.",
        operator_model="Betrieb durch die Stadtwerke.",
        data_used="Belegungsdaten, Verkehrszählungen.",
        contact_name="Erika Mustermann",
        contact_email="digital@ulm.example",
    )
    PilotLinkFactory(pilot=pilot, label="Projektseite", url="https://www.ulm.example/parken")
    PilotLinkFactory(pilot=pilot, label="Abschlussbericht", url="https://www.ulm.example/bericht.pdf")
    for name in ("ParkSense", "Parkleitsystem"):
        ReferenceFactory(pilot=pilot, municipality=ulm, solution=SolutionFactory(title=name))
    return pilot


def _printed_pages(page) -> int:
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    return len(PAGE_OBJECT.findall(pdf))


def _hidden_in_print(page, selector) -> bool:
    return page.evaluate(
        f"[...document.querySelectorAll({selector!r})].every(el => el.offsetParent === null"
        " && getComputedStyle(el).position !== 'fixed')"
    )


def _after(page, selector) -> list[str]:
    """The generated text after each link matched by `selector`, as printed."""
    return page.evaluate(
        f"[...document.querySelectorAll({selector!r})].map(a => getComputedStyle(a, '::after').content)"
    )


def test_solution_page_prints_on_two_pages_without_site_chrome(page, live_server, typical_solution):
    page.goto(reverse("solutions:detail", kwargs={"slug": typical_solution.slug}))
    assert page.locator(".similar .card").count() == 3
    assert page.locator(".detail-logo").evaluate("img => img.naturalWidth") == 256

    page.emulate_media(media="print")

    for selector in (".main-nav", ".site-footer", ".similar", ".breadcrumb", ".skip-link", ".header-search"):
        assert page.locator(selector).count() > 0, selector
        assert _hidden_in_print(page, selector), selector
    assert _after(page, f'.detail-main a[href="{WEBSITE}"]') == [f'" ({WEBSITE})"']
    # Internal links keep their text only: a path like /kommunen/ulm/ means nothing on paper.
    internal = _after(page, '.detail a[href^="/"]')
    assert internal and set(internal) == {"none"}
    assert _printed_pages(page) <= MAX_PAGES


def test_pilot_page_prints_on_two_pages(page, live_server, typical_pilot):
    page.goto(reverse("pilots:detail", kwargs={"slug": typical_pilot.slug}))
    page.emulate_media(media="print")

    assert _hidden_in_print(page, ".main-nav") and _hidden_in_print(page, ".site-footer")
    assert _after(page, '.detail a[href="https://www.ulm.example/parken"]') == [
        '" (https://www.ulm.example/parken)"'
    ]
    assert set(_after(page, '.detail a[href^="/"]')) == {"none"}
    assert _printed_pages(page) <= MAX_PAGES

"""The solution and pilot detail pages pass a standard accessibility audit (issue 13): axe-core with the WCAG
2.2 AA rules, which add ``target-size`` (targets of at least 24 × 24 CSS px; links inside sentences are
exempt), and the best-practice rule ``heading-order`` (no skipped heading levels), on a phone and on a wide
screen, with the visitor's own municipality chosen so the peer panel shows too."""

import datetime
import re

import pytest
from axe_playwright_python.sync_playwright import Axe

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

pytestmark = pytest.mark.django_db(transaction=True)

AUDIT_RULES = ("target-size", "heading-order")
AUDIT_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    # heading-order is tagged best-practice only: enabled on top of the WCAG tags.
    "rules": {"heading-order": {"enabled": True}},
    "resultTypes": ["violations", "passes"],
}
VIEWPORTS = [{"width": 360, "height": 740}, {"width": 1280, "height": 800}]
TEXT = "Die Sensoren melden belegte Stellplätze an eine offene Datenplattform der Kommune. " * 3

_axe = Axe()


def assert_audit_passes(page):
    """axe-core with the WCAG 2.2 AA rules and heading-order; both audited rules must have run and passed."""
    response = _axe.run(page, options=AUDIT_OPTIONS).response
    report = "\n".join(
        f"{v['id']}: {v['help']} -> " + "; ".join(f"{n['target']} {n['failureSummary']}" for n in v["nodes"])
        for v in response["violations"]
    )
    assert response["violations"] == [], f"{page.url} at {page.viewport_size['width']} px:\n{report}"
    passed = {rule["id"] for rule in response["passes"]}
    assert passed.issuperset(AUDIT_RULES), f"not audited on {page.url}: {set(AUDIT_RULES) - passed}"


@pytest.fixture
def listings():
    """A solution and a pilot project as they are filled in: a description with its own headings (written as
    "##", as vendors do), standards, references with a pilot, similar solutions, partner towns and links."""
    mobility = CategoryFactory(slug="mobilitaet", name_de="Mobilität", name_en="Mobility")
    ulm = MunicipalityFactory(name="Ulm", ags="08421000", kind="kreisfreie_stadt", population=126_000)
    kiel = MunicipalityFactory(name="Kiel", ags="01002000", kind="kreisfreie_stadt", population=246_000)
    pilot = PilotProjectFactory(
        title="Smarte Parkplätze Ulm",
        slug="smarte-parkplaetze",
        lead_municipality=ulm,
        partners=[kiel, MunicipalityFactory(name="Neu-Ulm")],
        categories=[mobility],
        funding="msc",
        model_project_round=2020,
        start_date=datetime.date(2021, 4, 1),
        goals=TEXT,
        results=TEXT,
        lessons_learned=TEXT,
    )
    PilotLinkFactory(pilot=pilot, label="Projektseite", url="https://www.ulm.example/parken")
    PilotLinkFactory(pilot=pilot, label="Abschlussbericht", url="https://www.ulm.example/bericht.pdf")
    solution = SolutionFactory(
        title="ParkSense Parkraumsensorik",
        slug="parksense",
        vendor=VendorFactory(name="ParkSense GmbH", website="https://www.parksense.example/"),
        description=f"## Funktionen\n\n{TEXT}\n\n### Schnittstellen\n\n{TEXT}\n\n## Einführung\n\n{TEXT}",
        categories=[mobility],
        standards=[
            StandardFactory(name="LoRaWAN", slug="lorawan", url="https://lora-alliance.example/"),
            StandardFactory(name="OParl", slug="oparl", url="https://oparl.example/"),
        ],
        maturity="production",
        website="https://www.parksense.example/produkt",
        source_url="https://code.example/parksense",
        accessibility_statement_url="https://www.parksense.example/barrierefreiheit",
        contact_name="Max Mustermann",
        contact_email="max.mustermann@parksense.example",
        contact_phone="+49 40 000000-12",
    )
    ReferenceFactory(solution=solution, municipality=ulm, pilot=pilot, statement="Läuft zuverlässig.")
    ReferenceFactory(solution=solution, municipality=kiel, is_verified=False)
    for number in range(2):
        SolutionFactory(title=f"Parkleitsystem {number}", categories=[mobility])
    return {"solution": solution, "pilot": pilot, "municipality": kiel}


def _choose_municipality(page, municipality):
    """Pick the visitor's own municipality (the session), so the solution page shows its peer panel."""
    page.goto(f"/kommunen/finden/?q={municipality.name}")
    with page.expect_navigation():
        page.locator(f'.find-result__choose:has(input[value="{municipality.slug}"]) button').click()


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda viewport: f"{viewport['width']}px")
def test_solution_detail_passes_target_size_and_heading_order(page, live_server, listings, viewport):
    _choose_municipality(page, listings["municipality"])
    page.set_viewport_size(viewport)
    page.goto(listings["solution"].get_absolute_url())
    assert page.locator(".peer-panel").is_visible()
    # The description's own "##" headings sit one level below the section's h2, never two.
    assert page.locator("#h-description ~ .prose h3").all_inner_texts() == ["Funktionen", "Einführung"]
    assert page.locator("#h-description ~ .prose h4").all_inner_texts() == ["Schnittstellen"]
    levels = page.evaluate(
        "[...document.querySelectorAll('main :is(h1, h2, h3, h4, h5, h6)')].map(h => +h.tagName[1])"
    )
    assert levels[0] == 1
    assert all(later <= earlier + 1 for earlier, later in zip(levels, levels[1:], strict=False)), levels
    assert_audit_passes(page)


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda viewport: f"{viewport['width']}px")
def test_pilot_detail_passes_target_size_and_heading_order(page, live_server, listings, viewport):
    page.set_viewport_size(viewport)
    page.goto(listings["pilot"].get_absolute_url())
    assert page.locator("h1").inner_text() == "Smarte Parkplätze Ulm"
    breadcrumb = page.locator(".breadcrumb a").first.bounding_box()
    assert breadcrumb["height"] >= 24
    assert re.search(r"Projektseite", page.locator("#h-links ~ ul").inner_text())
    assert_audit_passes(page)

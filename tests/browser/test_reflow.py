"""Reflow (WCAG 2.1 SC 1.4.10): every page shape fits a 320 CSS px wide screen without horizontal scrolling.

Each shape is a page as a person meets it: a catalog with filters, a detail page with long compound words and
long addresses, a form with its errors, the portal pages of a logged-in vendor. The test measures
``document.documentElement.scrollWidth`` (wider than the viewport means a horizontal scroll bar or text cut
off) and runs axe-core on each. New page shapes belong in PUBLIC_SHAPES or PORTAL_SHAPES.
"""

import datetime
from pprint import pformat

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.urls import NoReverseMatch, reverse

from marketplace.choices import EditorialStatus
from solutions.models import JoinRequest, SolutionDocument, VendorMembership
from tests.browser.conftest import assert_accessible
from tests.factories import (
    CategoryFactory,
    MunicipalityFactory,
    PilotLinkFactory,
    PilotProjectFactory,
    ReferenceFactory,
    SolutionFactory,
    StandardFactory,
    UserFactory,
    VendorFactory,
    VendorMembershipFactory,
)
from tests.solutions.portal.conftest import image_bytes, make_verified

pytestmark = pytest.mark.django_db(transaction=True)

VIEWPORT = {"width": 320, "height": 640}
PASSWORD = "Wolken-Lauf-2026!"
# German compound words and addresses without a break opportunity are what pushed pages wide.
LONG_WORD = "Datenschutzgrundverordnungskonformitätsprüfungsplattform"
LONG_URL = (
    "https://www.beispiel-kommunalsoftware.example/produkte/parkraumbewirtschaftung/"
    "sensorik-und-auswertung/datenblatt-und-leistungsbeschreibung?quelle=smart-city-marktplatz"
)
LONG_EMAIL = "digitalisierungsbeauftragte.stadtverwaltung@landeshauptstadt-beispielstadt.example"


@pytest.fixture
def content(settings, tmp_path):
    """One of every public thing, each with the longest words and addresses it may realistically hold."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ENQUIRY_MIN_FILL_SECONDS = 0
    cache.clear()
    mobility = CategoryFactory(
        slug="mobilitaet", name_de="Mobilität und Verkehr", name_en="Mobility", position=1
    )
    energy = CategoryFactory(slug="energie", name_de="Energie & Umwelt", name_en="Energy", position=2)
    standard = StandardFactory(name="LoRaWAN Regional Parameters RP002-1.0.4", slug="lorawan", url=LONG_URL)
    city = MunicipalityFactory(
        name="Schwäbisch Gmünd-Hussenhofen",
        slug="schwaebisch-gmuend",
        ags="08136065",
        kind="stadt",
        population=61_000,
        is_model_project=True,
        model_project_round=2020,
        description=f"Die Stadt betreibt eine {LONG_WORD}. Mehr unter {LONG_URL}",
        website=LONG_URL,
        contact_name="Erika Mustermann-Schnarrenberger",
        contact_email=LONG_EMAIL,
        contact_phone="+49 7171 603-0000",
    )
    other = MunicipalityFactory(name="Ostfildern", ags="08116049", kind="stadt", population=61_000)
    vendor = VendorFactory(
        name="Kommunalinformationsverarbeitungsgesellschaft Baden-Württemberg mbH",
        website=LONG_URL,
        street="Industriestraße 12",
        postcode="70565",
        city="Stuttgart-Vaihingen",
        email=LONG_EMAIL,
        phone="+49 711 000000",
    )
    solution = SolutionFactory(
        title=f"Parkraumsensorik {LONG_WORD}",
        slug="parkraumsensorik",
        vendor=vendor,
        summary=f"Sensoren melden freie Parkplätze in Echtzeit: {LONG_WORD}.",
        description=(
            f"## {LONG_WORD}\n\nDatenblatt: <{LONG_URL}>\n\n"
            f"- {LONG_WORD}\n- Schnittstellen nach OParl\n\n"
            "| Tarif | Preis pro Monat | Enthaltene Sensoren |\n|---|---|---|\n"
            f"| {LONG_WORD} | 1.250 € | 250 |\n"
        ),
        categories=[mobility, energy],
        standards=[standard],
        maturity="production",
        licence_type="open_source",
        spdx_id="EUPL-1.2",
        source_url=LONG_URL,
        website=LONG_URL,
        accessibility_statement_url=LONG_URL,
        cost_introduction_eur=12_500,
        cost_yearly_eur=3_000,
        cost_notes=f"Staffelpreise nach Einwohnerzahl, siehe {LONG_URL}",
        framework_agreement=True,
        framework_agreement_name=f"Rahmenvertrag {LONG_WORD}",
        contact_name="Max Mustermann",
        contact_email=LONG_EMAIL,
        contact_phone="+49 711 000000-12",
        is_demo=True,
    )
    solution.logo.save("logo.png", ContentFile(image_bytes(size=(512, 128))), save=True)
    pilot = PilotProjectFactory(
        title=f"Smarte Parkplätze: {LONG_WORD}",
        slug="smarte-parkplaetze",
        lead_municipality=city,
        partners=[other],
        categories=[mobility],
        funding="msc",
        model_project_round=2020,
        phase="continued",
        start_date=datetime.date(2021, 4, 1),
        budget_eur=1_200_000,
        summary=f"Weniger Parksuchverkehr durch {LONG_WORD}.",
        goals=f"Ziel ist eine {LONG_WORD}. Details: {LONG_URL}",
        results="Der Parksuchverkehr sank um ein Fünftel.",
        transferability=LONG_URL,
        contact_email=LONG_EMAIL,
    )
    PilotLinkFactory(pilot=pilot, label=f"Abschlussbericht {LONG_WORD}", url=LONG_URL)
    ReferenceFactory(
        solution=solution,
        municipality=city,
        pilot=pilot,
        statement=f"{LONG_WORD} {LONG_URL}",
        since_year=2021,
    )
    ReferenceFactory(solution=solution, municipality=other, is_verified=False, since_year=2023)
    for number in range(3):
        SolutionFactory(title=f"Parkleitsystem {number}", categories=[mobility])
    return {"solution": solution, "pilot": pilot, "municipality": city}


@pytest.fixture
def vendor_account(content):
    """A logged-in vendor's world: an organisation with a published listing, a draft, documents and a
    join request waiting for a decision."""
    # The header shows who is logged in: a long address must wrap there too.
    user = make_verified(UserFactory(username=LONG_EMAIL, email=LONG_EMAIL))
    user.set_password(PASSWORD)
    user.save()
    vendor = content["solution"].vendor
    VendorMembershipFactory(vendor=vendor, user=user, role=VendorMembership.Role.ADMIN)
    draft = SolutionFactory(
        vendor=vendor,
        title=f"Bürgerportal {LONG_WORD}",
        website=LONG_URL,
        status=EditorialStatus.DRAFT,
        published_at=None,
        categories=[CategoryFactory()],
    )
    for solution in (draft, content["solution"]):
        document = SolutionDocument(
            solution=solution, title=f"Leistungsbeschreibung {LONG_WORD}", size=123_456
        )
        document.file.name = "documents/leistungsbeschreibung.pdf"
        document.save()
    applicant = make_verified(UserFactory(username="bewerbung@example.org", email="bewerbung@example.org"))
    JoinRequest.objects.create(vendor=vendor, user=applicant, message=f"Bitte aufnehmen: {LONG_WORD}")
    return {"user": user, "vendor": vendor, "draft": draft, "published": content["solution"]}


def _submit(page, selector=".portal-form button[type=submit]"):
    with page.expect_navigation():
        page.locator(selector).first.click()


def _go(url_name, **kwargs):
    return lambda page, data: page.goto(reverse(url_name, kwargs=kwargs) if kwargs else reverse(url_name))


def _go_with(url_name, query, key=None):
    """A page of `url_name` whose argument comes from the test data (`key`), with a query string."""

    def visit(page, data):
        kwargs = {"slug": data[key].slug} if key else {}
        page.goto(reverse(url_name, kwargs=kwargs) + query)

    return visit


def _form_with_errors(url_name):
    def visit(page, data):
        page.goto(reverse(url_name))
        _submit(page)
        assert page.locator(".error-summary, #error-summary, .errorlist").count() > 0

    return visit


PUBLIC_SHAPES = {
    "home": _go("home"),
    "search with results": _go_with("search", "?q=Parkraumsensorik"),
    "search without results": _go_with("search", "?q=Quantenteleportation"),
    "solutions catalog": _go("solutions:list"),
    "solutions catalog, filtered and sorted": _go_with(
        "solutions:list", "?category=mobilitaet&licence=open_source&sort=references"
    ),
    "solutions catalog, searched": _go_with("solutions:list", "?q=Parkraum"),
    "solutions catalog, nothing found": _go_with("solutions:list", "?q=Quantenteleportation"),
    "pilots catalog, filtered": _go_with("pilots:list", "?category=mobilitaet&state=08"),
    "pilots catalog, searched": _go_with("pilots:list", "?q=Parkplätze"),
    "municipalities catalog, filtered": _go_with("municipalities:list", "?state=08&kind=stadt"),
    "municipalities catalog, searched": _go_with("municipalities:list", "?q=Gmünd"),
    "solution detail": _go_with("solutions:detail", "", "solution"),
    "pilot detail": _go_with("pilots:detail", "", "pilot"),
    "municipality detail": _go_with("municipalities:detail", "", "municipality"),
    "vendor landing": _go("vendor:landing"),
    "imprint": _go("imprint"),
    "privacy": _go("privacy"),
    "accessibility statement": _go("accessibility"),
    "contact": _go("contact"),
    "open data": _go("opendata:index"),
    "API documentation": _go("api:docs"),
    "enquiry form with errors": _form_with_errors("enquiry"),
    "barrier report with errors": _form_with_errors("barrier_report"),
    "login with errors": _form_with_errors("accounts:login"),
    "sign-up with errors": _form_with_errors("accounts:signup"),
    "password reset": _go("accounts:password_reset"),
    "not found": lambda page, data: page.goto("/diese-seite-gibt-es-nicht/"),
}


def _portal(url_name, key=None):
    def visit(page, data):
        page.goto(reverse(url_name, kwargs={"pk": data[key].pk}) if key else reverse(url_name))

    return visit


def _listing_form_with_errors(page, data):
    page.goto(reverse("vendor:solution_edit", kwargs={"pk": data["draft"].pk}))
    page.fill("#id_title", "")
    _submit(page, "#solution-form button[type=submit]")
    assert page.locator(".errorlist, #error-summary").count() > 0


PORTAL_SHAPES = {
    "dashboard": _portal("vendor:dashboard"),
    "new listing form": _portal("vendor:solution_create"),
    "listing form with errors": _listing_form_with_errors,
    "listing overview (draft)": _portal("vendor:solution", "draft"),
    "listing overview (published)": _portal("vendor:solution", "published"),
    "documents": _portal("vendor:documents", "draft"),
    "references": _portal("vendor:references", "published"),
    "listing logo": _portal("vendor:solution_logo", "draft"),
    "publiccode import": _portal("vendor:publiccode_import"),
    "organisation": _portal("vendor:organisation", "vendor"),
    "organisation form": _portal("vendor:organisation_edit", "vendor"),
    "new organisation": _portal("vendor:organisation_create"),
    "join an organisation": _portal("vendor:organisation_join"),
    "profile": _portal("accounts:profile"),
    "password change": _portal("accounts:password_change"),
}
try:  # the public page as the vendor will see it, where the portal offers a preview
    reverse("vendor:solution_preview", kwargs={"pk": 1})
    PORTAL_SHAPES["listing preview"] = _portal("vendor:solution_preview", "draft")
except NoReverseMatch:
    pass


# The outermost elements that stick out on the right, so a failure names what to fix.
CULPRITS_JS = """() => {
  const limit = document.documentElement.clientWidth;
  const right = el => Math.round(el.getBoundingClientRect().right);
  const wide = [...document.querySelectorAll('body *')].filter(el => right(el) > limit);
  const classes = el => typeof el.className === 'string' && el.className
    ? '.' + el.className.trim().split(/ +/).join('.') : '';
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + classes(el);
  const outermost = wide.filter(el => !wide.includes(el.parentElement));
  return outermost.slice(0, 5).map(el => name(el) + ' ' + right(el));
}"""


def _measure(page, shapes, data) -> tuple[dict, dict]:
    """Visit every shape at 320 px; the widths (and widest elements) of those wider than the screen, and
    axe-core's findings."""
    too_wide, inaccessible = {}, {}
    for name, visit in shapes.items():
        visit(page, data)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > VIEWPORT["width"]:
            too_wide[name] = (width, page.evaluate(CULPRITS_JS))
        try:
            assert_accessible(page)
        except AssertionError as error:
            inaccessible[name] = str(error)
    return too_wide, inaccessible


def test_every_public_page_shape_reflows_at_320_pixels(page, live_server, content):
    page.set_viewport_size(VIEWPORT)

    too_wide, inaccessible = _measure(page, PUBLIC_SHAPES, content)

    assert too_wide == {}, pformat(too_wide)
    assert inaccessible == {}, "\n".join(inaccessible.values())


def test_every_portal_page_shape_reflows_at_320_pixels(page, live_server, content, vendor_account):
    page.set_viewport_size(VIEWPORT)
    page.goto(reverse("accounts:login"))
    page.fill("#id_username", LONG_EMAIL)
    page.fill("#id_password", PASSWORD)
    _submit(page)

    too_wide, inaccessible = _measure(page, PORTAL_SHAPES, vendor_account)

    assert too_wide == {}, pformat(too_wide)
    assert inaccessible == {}, "\n".join(inaccessible.values())

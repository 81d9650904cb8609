"""Home, the legal and contact pages, the vendor landing page, the layout around them and the error pages."""

from html.parser import HTMLParser

import pytest
from django.db import connection
from django.template import loader
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse
from django.utils import timezone

import marketplace.urls
from marketplace.choices import EditorialStatus
from tests.factories import (
    CategoryFactory,
    MunicipalityFactory,
    PilotProjectFactory,
    ReferenceFactory,
    SolutionFactory,
    VendorFactory,
)

STATIC_PAGES = ["imprint", "privacy", "accessibility", "contact", "vendor:landing"]
ENGLISH_H1 = {
    "imprint": "Imprint",
    "privacy": "Privacy statement",
    "accessibility": "Accessibility statement",
    "contact": "Contact",
    "vendor:landing": "Get your solution listed",
}


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text inside each element of interest."""

    TEXT_TAGS = {"h1", "h2", "h3", "a", "button", "title", "dt", "dd", "li", "span", "p"}

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.texts: list[tuple[str, dict, str]] = []
        self._open: list[tuple[str, dict, list[str]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        self.tags.append((tag, attributes))
        if tag in self.TEXT_TAGS:
            self._open.append((tag, attributes, []))

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                open_tag, attributes, parts = self._open.pop(index)
                self.texts.append((open_tag, attributes, " ".join("".join(parts).split())))
                break

    def handle_data(self, data):
        for _tag, _attributes, parts in self._open:
            parts.append(data)

    def all(self, tag: str, **attrs) -> list[dict]:
        return [
            a for t, a in self.tags if t == tag and all(a.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]

    def text_of(self, tag: str, **attrs) -> list[str]:
        return [
            text
            for t, a, text in self.texts
            if t == tag and all(a.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]

    def with_class(self, tag: str, css_class: str) -> list[str]:
        return [text for t, a, text in self.texts if t == tag and css_class in a.get("class", "").split()]


def parse(response) -> Elements:
    return Elements(response.content.decode())


# ---------------------------------------------------------------- layout


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["home", *STATIC_PAGES])
def test_layout_has_landmarks_skip_link_and_one_h1(client, url_name):
    page = parse(client.get(reverse(url_name)))

    assert [t for t, _ in page.tags if t in {"header", "main", "footer"}] == ["header", "main", "footer"]
    assert page.all("main")[0]["id"] == "main"
    assert page.all("a", class_="skip-link")[0]["href"] == "#main"
    assert len(page.all("h1")) == 1
    assert page.text_of("span", class_="brand__name") == ["Smart-City-Marktplatz"]
    nav_links = [a["href"] for a in page.all("a", class_="main-nav__link")]
    assert nav_links == [
        reverse("solutions:list"),
        reverse("pilots:list"),
        reverse("municipalities:list"),
        reverse("vendor:landing"),
    ]


@pytest.mark.django_db
def test_layout_is_german_by_default_and_english_on_request(client):
    german = client.get(reverse("imprint"))
    english = client.get(reverse("imprint"), headers={"accept-language": "en"})

    assert parse(german).all("html")[0]["lang"] == "de"
    assert parse(english).all("html")[0]["lang"] == "en"
    assert parse(english).text_of("a", class_="main-nav__link") == [
        "Solutions",
        "Pilot projects",
        "Municipalities",
        "For vendors",
    ]


@pytest.mark.django_db
def test_layout_follows_the_language_cookie_over_the_browser_preference(client):
    client.cookies["django_language"] = "en"

    response = client.get(reverse("accessibility"), headers={"accept-language": "de"})

    assert parse(response).all("html")[0]["lang"] == "en"
    assert parse(response).text_of("h1") == ["Accessibility statement"]


@pytest.mark.django_db
def test_layout_footer_links_legal_pages_barrier_report_and_data_credit(client):
    page = parse(client.get(reverse("home"), headers={"accept-language": "en"}))

    footer_links = {text: a["href"] for t, a, text in page.texts if t == "a" and a.get("href")}
    assert footer_links["Imprint"] == reverse("imprint")
    assert footer_links["Privacy"] == reverse("privacy")
    assert footer_links["Accessibility"] == reverse("accessibility")
    assert footer_links["Contact"] == reverse("contact")
    # the form, with the page the visitor was on filled in
    assert footer_links["Report a barrier"] == reverse("barrier_report") + "?page=/"
    credit = page.with_class("p", "site-footer__credit")[0]
    assert "Destatis" in credit
    assert "CC BY 4.0" in credit
    assert "landkreise-deutschland" in credit


@pytest.mark.django_db
def test_layout_search_form_is_labelled_get_to_search(client):
    page = parse(client.get(reverse("imprint")))

    form = page.all("form", class_="header-search")[0]
    assert (form["action"], form["method"], form["role"]) == (reverse("search"), "get", "search")
    field = page.all("input", id="header-search-q")[0]
    assert field["name"] == "q"
    assert page.all("label", for_="header-search-q") != []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "current"),
    [("vendor:landing", reverse("vendor:landing")), ("imprint", None), ("home", None)],
)
def test_nav_marks_only_the_current_section(client, url_name, current):
    page = parse(client.get(reverse(url_name)))

    marked = [a["href"] for a in page.all("a", class_="main-nav__link") if a.get("aria-current") == "page"]
    assert marked == ([current] if current else [])


@pytest.mark.django_db
def test_brand_link_is_current_only_on_home(client):
    home = parse(client.get(reverse("home"))).all("a", class_="brand")[0]
    imprint = parse(client.get(reverse("imprint"))).all("a", class_="brand")[0]

    assert home.get("aria-current") == "page"
    assert "aria-current" not in imprint


@pytest.mark.django_db
def test_language_switch_form_keeps_the_current_path(client):
    page = parse(client.get(reverse("privacy") + "?x=1"))

    form = page.all("form", class_="lang-switch")[0]
    assert (form["action"], form["method"]) == (reverse("set_language"), "post")
    assert page.all("input", name="next")[0]["value"] == reverse("privacy") + "?x=1"
    assert page.all("input", name="csrfmiddlewaretoken") != []
    buttons = page.all("button", name="language")
    assert [(b["value"], b["type"], b.get("aria-current")) for b in buttons] == [
        ("de", "submit", "true"),
        ("en", "submit", None),
    ]


@pytest.mark.django_db
def test_language_switch_round_trip(client):
    to_english = client.post(reverse("set_language"), {"language": "en", "next": reverse("contact")})
    english = client.get(reverse("contact"))
    to_german = client.post(reverse("set_language"), {"language": "de", "next": reverse("contact")})
    german = client.get(reverse("contact"))

    assert (to_english.status_code, to_english.headers["Location"]) == (302, reverse("contact"))
    assert to_english.cookies["django_language"].value == "en"
    assert parse(english).all("html")[0]["lang"] == "en"
    assert parse(english).all("button", value="en")[0].get("aria-current") == "true"
    assert to_german.headers["Location"] == reverse("contact")
    assert parse(german).all("html")[0]["lang"] == "de"


# ---------------------------------------------------------------- home


@pytest.mark.django_db
def test_home_search_field_gets_to_the_global_search(client):
    page = parse(client.get(reverse("home")))

    form = page.all("form", class_="hero-search")[0]
    assert (form["action"], form["method"]) == (reverse("search"), "get")
    assert page.all("input", id="home-search-q")[0]["name"] == "q"
    assert page.all("label", for_="home-search-q") != []


@pytest.mark.django_db
def test_home_fields_of_action_link_to_the_filtered_catalog_with_published_counts(client):
    mobility = CategoryFactory(slug="mobilitaet", name_en="Mobility", position=1)
    energy = CategoryFactory(slug="energie", name_en="Energy", position=2)
    SolutionFactory.create_batch(2, categories=[mobility])
    SolutionFactory(categories=[mobility, energy])
    SolutionFactory(categories=[energy], status=EditorialStatus.DRAFT)
    SolutionFactory(categories=[energy], vendor=VendorFactory(is_verified=False))

    page = parse(client.get(reverse("home"), headers={"accept-language": "en"}))

    tiles = [
        (a["href"], text) for t, a, text in page.texts if t == "a" and "category-tile" in a.get("class", "")
    ]
    assert tiles == [
        (reverse("solutions:list") + "?category=mobilitaet", "Mobility 3 solutions"),
        (reverse("solutions:list") + "?category=energie", "Energy 1 solution"),
    ]


@pytest.mark.django_db
def test_home_shows_featured_solutions_and_newest_pilots_only_when_published(client):
    SolutionFactory(title="Smarte Parkplätze", featured=True)
    SolutionFactory(title="Nicht hervorgehoben", featured=False)
    SolutionFactory(title="Entwurf", featured=True, status=EditorialStatus.DRAFT)
    earlier = timezone.now() - timezone.timedelta(days=30)
    PilotProjectFactory(title="Alter Pilot", published_at=earlier)
    PilotProjectFactory(title="Neuer Pilot")
    PilotProjectFactory(title="Pilot im Entwurf", status=EditorialStatus.SUBMITTED)

    page = parse(client.get(reverse("home")))

    titles = page.text_of("a", class_="card__link")
    assert titles == ["Smarte Parkplätze", "Neuer Pilot", "Alter Pilot"]


@pytest.mark.django_db
def test_home_figures_count_public_rows_only(client):
    town = MunicipalityFactory()
    other_town = MunicipalityFactory()
    MunicipalityFactory()  # no reference
    solution = SolutionFactory()
    ReferenceFactory(solution=solution, municipality=town)
    ReferenceFactory(solution=SolutionFactory(), municipality=town)
    ReferenceFactory(solution=SolutionFactory(status=EditorialStatus.DRAFT), municipality=other_town)
    VendorFactory(is_verified=False)
    PilotProjectFactory()
    PilotProjectFactory(status=EditorialStatus.DRAFT)

    page = parse(client.get(reverse("home"), headers={"accept-language": "en"}))

    figures = dict(zip(page.text_of("dt"), page.text_of("dd"), strict=True))
    assert figures == {
        "Published solutions": "2",
        "Verified vendors": "3",
        "Pilot projects": "1",
        "Municipalities with references": "1",
    }


@pytest.mark.django_db
def test_home_marks_sample_rows(client):
    SolutionFactory(title="Demo-Lösung", featured=True, is_demo=True)
    SolutionFactory(title="Echte Lösung", featured=True, is_demo=False)
    PilotProjectFactory(title="Demo-Pilot", is_demo=True)

    html = client.get(reverse("home"), headers={"accept-language": "en"}).content.decode()

    demo_card = html.split("Demo-Lösung")[1].split("</article>")[0]
    real_card = html.split("Echte Lösung")[1].split("</article>")[0]
    pilot_card = html.split("Demo-Pilot")[1].split("</article>")[0]
    assert '<li class="badge badge-sample">Sample data</li>' in demo_card
    assert "badge-sample" not in real_card
    assert '<li class="badge badge-sample">Sample data</li>' in pilot_card
    assert Elements(html).with_class("li", "badge-sample") == ["Sample data", "Sample data"]


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 50])
def test_home_query_count_does_not_grow_with_rows(client, django_assert_num_queries, rows):
    categories = CategoryFactory.create_batch(3)
    for index in range(rows):
        solution = SolutionFactory(featured=True, categories=categories[: 1 + index % 3])
        ReferenceFactory(solution=solution)
        PilotProjectFactory()

    # The first request after a change (tests/marketplace/test_facet_index.py locks the warm one too): the
    # content version, the catalog's facet choices (categories, standards) and its facet index (the rows' own
    # fields, categories, standards, Länder of the references: the category counts and the number of
    # solutions), featured solutions, newest pilots, one COUNT for each other figure
    with django_assert_num_queries(12):
        response = client.get(reverse("home"))

    assert len(parse(response).all("article")) == min(rows, 6) + min(rows, 4)


@pytest.mark.django_db
def test_home_with_an_empty_database_explains_what_is_missing(client):
    page = parse(client.get(reverse("home"), headers={"accept-language": "en"}))

    assert page.with_class("p", "notice") == [
        "No featured solutions yet.",
        "No pilot projects published yet.",
    ]


# ---------------------------------------------------------------- cards


@pytest.mark.django_db
def test_solution_card_shows_vendor_maturity_licence_and_link(client):
    SolutionFactory(
        title="Offene Ratsinfo",
        slug="offene-ratsinfo",
        featured=True,
        vendor=VendorFactory(name="Code für Kommunen e. V."),
        licence_type="open_source",
        spdx_id="EUPL-1.2",
        maturity="production",
    )

    page = parse(client.get(reverse("home"), headers={"accept-language": "en"}))

    assert page.all("a", class_="card__link")[0]["href"] == reverse(
        "solutions:detail", kwargs={"slug": "offene-ratsinfo"}
    )
    assert page.text_of("p", class_="card__meta") == ["by Code für Kommunen e. V."]
    assert page.with_class("li", "badge") == ["In production", "Open source (EUPL-1.2)"]


@pytest.mark.django_db
def test_pilot_card_shows_lead_municipality_land_phase_and_round(client):
    PilotProjectFactory(
        title="Digitaler Zwilling",
        lead_municipality=MunicipalityFactory(name="Ulm", ags="08421000"),
        funding="msc",
        model_project_round=2019,
        phase="continued",
        start_date=timezone.datetime(2020, 3, 1).date(),
    )

    page = parse(client.get(reverse("home"), headers={"accept-language": "en"}))

    assert page.text_of("p", class_="card__meta") == ["Ulm · Baden-Württemberg · since 2020"]
    assert page.with_class("li", "badge") == [
        "Continued operation (Verstetigung)",
        "Modellprojekt Smart Cities 2019",
    ]


# ---------------------------------------------------------------- static pages


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", STATIC_PAGES)
def test_static_page_renders_its_heading_in_english(client, url_name):
    response = client.get(reverse(url_name), headers={"accept-language": "en"})

    assert response.status_code == 200
    assert parse(response).text_of("h1") == [ENGLISH_H1[url_name]]


@pytest.mark.parametrize("url_name", STATIC_PAGES)
def test_static_pages_need_no_database(client, url_name):
    # No django_db mark: any query would fail the test.
    response = client.get(reverse(url_name))

    assert parse(response).all("html")[0]["lang"] == "de"


@pytest.mark.django_db
def test_imprint_marks_the_operator_address_as_placeholder(client):
    page = parse(client.get(reverse("imprint"), headers={"accept-language": "en"}))

    assert page.with_class("span", "badge-sample") == ["Placeholder"]
    assert "Kompetenzzentrum" in page.with_class("p", "notice")[0]


@pytest.mark.django_db
def test_privacy_names_every_cookie_the_site_sets_and_no_tracking(client):
    html = client.get(reverse("privacy"), headers={"accept-language": "en"}).content.decode()

    assert [
        name for name in ("csrftoken", "django_language", "sessionid") if f"<code>{name}</code>" in html
    ] == [
        "csrftoken",
        "django_language",
        "sessionid",
    ]
    assert "We do not use tracking, analytics or advertising" in html


@pytest.mark.django_db
def test_accessibility_statement_has_status_testing_feedback_and_enforcement(client):
    response = client.get(reverse("accessibility"), headers={"accept-language": "en"})
    page = parse(response)

    headings = page.text_of("h2")
    assert headings == [
        "Conformance status",
        "How we test",
        "Known limitations",
        "Report a barrier",
        "Enforcement procedure",
    ]
    form, email = (link["href"] for link in page.all("a", class_="button")[:2])
    assert form == reverse("barrier_report")
    assert email.startswith(
        "mailto:barrierefreiheit@smart-city-marktplatz.example?subject=Accessibility%20barrier"
    )
    assert "axe-core" in response.content.decode()
    assert "Schlichtungsstelle BGG" in response.content.decode()


@pytest.mark.django_db
def test_barrier_report_link_names_the_page_it_was_sent_from(client, settings):
    settings.SITE_URL = "https://marktplatz.example.de"
    page = parse(client.get(reverse("contact"), headers={"accept-language": "en"}))

    link = next(href for href in (a.get("href", "") for a in page.all("a")) if "subject=" in href)
    assert "https%3A//marktplatz.example.de/kontakt/" in link


@pytest.mark.django_db
def test_vendor_landing_explains_review_data_asked_and_contact(client):
    response = client.get(reverse("vendor:landing"), headers={"accept-language": "en"})
    page = parse(response)

    assert page.text_of("h2") == [
        "How it works",
        "What we ask for",
        "Our principles",
        "Contact the editorial team",
    ]
    assert "Editorial review." in response.content.decode()
    assert "References" in page.text_of("dt")
    assert page.all("a", href="mailto:kontakt@smart-city-marktplatz.example") != []


def test_vendor_landing_rejects_post(client):
    response = client.post(reverse("vendor:landing"))

    assert (response.status_code, response.headers["Allow"]) == (405, "GET, HEAD")


# ---------------------------------------------------------------- error pages


@pytest.mark.django_db
def test_unknown_url_gets_the_friendly_404_page_in_the_layout(client):
    response = client.get("/gibt-es-nicht/", headers={"accept-language": "en"})
    page = parse(response)

    assert response.status_code == 404
    assert page.text_of("h1") == ["Page not found"]
    assert page.all("main") != [] and page.all("nav", class_="main-nav") != []
    assert page.all("form", class_="inline-search")[0]["action"] == reverse("search")


def _raise(request):
    raise RuntimeError("boom")


urlpatterns = [path("test-only/boom/", _raise), *marketplace.urls.urlpatterns]
handler404 = marketplace.urls.handler404
handler500 = marketplace.urls.handler500


@pytest.mark.urls(__name__)
def test_server_error_page_is_friendly_and_needs_no_database(client, caplog):
    # No django_db mark: the 500 page must not touch the database.
    client.raise_request_exception = False

    response = client.get("/test-only/boom/", headers={"accept-language": "en"})
    page = parse(response)

    assert response.status_code == 500
    assert page.text_of("h1") == ["Something went wrong on our side"]
    assert page.all("a", class_="button")[0]["href"] == "/"
    assert page.all("script") == []
    assert "RuntimeError: boom" in caplog.text


def test_server_error_template_renders_without_request_or_context():
    html = loader.get_template("500.html").render()

    assert "Smart-City-Marktplatz" in html
    assert len(Elements(html).all("h1")) == 1


@pytest.mark.django_db
def test_404_page_queries_nothing(client):
    with CaptureQueriesContext(connection) as queries:
        client.get("/gibt-es-nicht/")

    assert queries.captured_queries == []


@pytest.mark.django_db
def test_vendor_landing_leads_to_sign_up_or_to_the_overview(client):
    from tests.factories import UserFactory

    anonymous = client.get(reverse("vendor:landing"), headers={"accept-language": "en"}).content.decode()
    assert f'href="{reverse("accounts:signup")}"' in anonymous
    assert f'href="{reverse("accounts:login")}"' in anonymous
    client.force_login(UserFactory())
    member = client.get(reverse("vendor:landing"), headers={"accept-language": "en"}).content.decode()
    assert f'href="{reverse("vendor:dashboard")}"' in member
    assert f'href="{reverse("accounts:signup")}"' not in member


@pytest.mark.django_db
def test_account_pages_mark_the_vendor_section_as_current(client):
    html = client.get(reverse("accounts:signup"), headers={"accept-language": "en"}).content.decode()
    assert f'href="{reverse("vendor:landing")}" aria-current="page"' in html

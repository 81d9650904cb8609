"""One count of references everywhere: cards, detail pages and the "most references" sort tell verified
references from all references in the same words, and the sort puts verified ones first."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext, override

from marketplace.templatetags.catalog import reference_summary
from tests.factories import CategoryFactory, MunicipalityFactory, ReferenceFactory, SolutionFactory

pytestmark = pytest.mark.django_db

ENGLISH = {"accept-language": "en"}
BADGE = re.compile(r'<li class="badge[^"]*">([^<]*references?[^<]*)</li>')


def _detail_header(html: str) -> str:
    start = html.index('<header class="detail-header">')
    return html[start : html.index("</header>", start)]


def _references(solution, verified: int, unverified: int):
    for number in range(verified + unverified):
        ReferenceFactory(solution=solution, municipality=MunicipalityFactory(), is_verified=number < verified)


@pytest.fixture
def catalog():
    """Solutions whose verified and total counts disagree in order."""
    field = CategoryFactory(slug="mobilitaet")
    rows = {
        "Alpha": (0, 3),  # most references, none verified
        "Beta": (1, 0),
        "Delta": (1, 1),
        "Gamma": (1, 1),  # ties with Delta: the title decides
        "Omega": (0, 0),
    }
    solutions = {}
    for title, (verified, unverified) in rows.items():
        solutions[title] = SolutionFactory(title=title, categories=[field], featured=True)
        _references(solutions[title], verified, unverified)
    return solutions


def test_most_references_sorts_by_verified_then_all_then_title(client, catalog):
    response = client.get(reverse("solutions:list"), {"sort": "references"})

    rows = response.context["solutions"]
    assert [s.title for s in rows] == ["Delta", "Gamma", "Beta", "Alpha", "Omega"]
    assert [(s.verified_reference_count, s.reference_count) for s in rows] == [
        (1, 2),
        (1, 2),
        (1, 1),
        (0, 3),
        (0, 0),
    ]


@pytest.mark.parametrize(
    ("total", "verified", "english", "german"),
    [
        (3, 2, "3 references, 2 of them verified", "3 Referenzen, davon 2 geprüft"),
        (1, 1, "1 reference, 1 of them verified", "1 Referenz, davon 1 geprüft"),
        (3, 0, "3 references, none of them verified", "3 Referenzen, davon keine geprüft"),
        (1, 0, "1 reference, not verified", "1 Referenz, nicht geprüft"),
    ],
)
def test_summary_names_all_and_verified_references(total, verified, english, german):
    with override("en"):
        assert reference_summary(total, verified) == english
    with override("de"):
        # Until the German catalogue has these entries, German shows the English text.
        assert reference_summary(total, verified) in {german, english}


def test_summary_is_empty_without_references():
    assert reference_summary(0, 0) == ""


def test_card_and_detail_page_use_the_same_words(client, catalog):
    solution = catalog["Delta"]
    # The pages are requested in English; the words come from the same catalogue entry.
    with translation.override("en"):
        expected = ngettext(
            "%(total)s reference, %(verified)s of them verified",
            "%(total)s references, %(verified)s of them verified",
            2,
        ) % {"total": 2, "verified": 1}

    catalog_page = client.get(reverse("solutions:list"), {"q": "Delta"}, headers=ENGLISH).content.decode()
    detail = client.get(solution.get_absolute_url(), headers=ENGLISH).content.decode()
    search = client.get(reverse("search"), {"q": "Delta"}, headers=ENGLISH).content.decode()
    home = client.get(reverse("home"), headers=ENGLISH).content.decode()
    similar = client.get(catalog["Alpha"].get_absolute_url(), headers=ENGLISH).content.decode()

    assert expected == "2 references, 1 of them verified"
    assert BADGE.findall(catalog_page) == [expected]
    assert BADGE.findall(_detail_header(detail)) == [expected]
    assert BADGE.findall(search) == [expected]
    assert expected in BADGE.findall(home)
    # The similar solutions of another listing show the same badge on Delta's card.
    assert expected in BADGE.findall(similar)


def test_municipality_profile_counts_its_references_in_the_same_words(client):
    town = MunicipalityFactory(slug="ulm")
    ReferenceFactory(municipality=town, is_verified=True)
    ReferenceFactory(municipality=town, is_verified=False)

    html = client.get(town.get_absolute_url(), headers=ENGLISH).content.decode()

    assert BADGE.findall(_detail_header(html)) == ["2 references, 1 of them verified"]

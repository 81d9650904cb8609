"""The buyer's facets of the solutions catalog (issue 13, item 6): data location, AVV, cost bands for the
introduction and for a year of operation, and "in use in municipalities of this size" from verified
references, with the visitor's own size class listed first. Counts, filtering, combinations, bad input."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from tests.factories import MunicipalityFactory, ReferenceFactory, SolutionFactory

pytestmark = pytest.mark.django_db

URL = "/loesungen/"


@pytest.fixture
def catalog():
    """Seven solutions whose costs sit on and around every band limit."""
    village = MunicipalityFactory(name="Dorf", population=3_000)  # landgemeinde
    small = MunicipalityFactory(name="Kleinstadt", population=12_000)  # kleinstadt
    city = MunicipalityFactory(name="Großstadt", population=250_000)  # grossstadt
    rows = {
        "A": SolutionFactory(
            title="A", data_location="de", dpa_available=True, cost_introduction_eur=0, cost_yearly_eur=5_000
        ),
        "B": SolutionFactory(
            title="B",
            data_location="de",
            dpa_available=True,
            cost_introduction_eur=5_001,
            cost_yearly_eur=None,
        ),
        "C": SolutionFactory(
            title="C",
            data_location="eu",
            dpa_available=False,
            cost_introduction_eur=20_000,
            cost_yearly_eur=20_001,
        ),
        "D": SolutionFactory(
            title="D",
            data_location="eu",
            dpa_available=True,
            cost_introduction_eur=50_000,
            cost_yearly_eur=50_001,
        ),
        "E": SolutionFactory(
            title="E",
            data_location="outside_eu",
            dpa_available=False,
            cost_introduction_eur=50_001,
            cost_yearly_eur=None,
        ),
        "F": SolutionFactory(
            title="F",
            data_location="none",
            dpa_available=False,
            cost_introduction_eur=None,
            cost_yearly_eur=0,
        ),
        "G": SolutionFactory(title="G", data_location="", cost_introduction_eur=None, cost_yearly_eur=None),
    }
    ReferenceFactory(solution=rows["A"], municipality=small, is_verified=True)
    ReferenceFactory(solution=rows["A"], municipality=city, is_verified=True)
    ReferenceFactory(solution=rows["B"], municipality=small, is_verified=False)  # not counted: unverified
    ReferenceFactory(solution=rows["C"], municipality=village, is_verified=True)
    ReferenceFactory(solution=rows["D"], municipality=small, is_verified=True)
    return {"rows": rows, "small": small, "city": city}


def _counts(response, name) -> dict[str, int]:
    facet = next(facet for facet in response.context["facets"] if facet.name == name)
    return {option.value: option.count for option in facet.options}


def _titles(response) -> list[str]:
    return sorted(solution.title for solution in response.context["solutions"])


def test_cost_bands_count_every_solution_once_with_inclusive_upper_limits(client, catalog):
    response = client.get(URL)
    assert _counts(response, "cost_introduction") == {
        "upto_5000": 1,  # A (0 €)
        "5000_20000": 2,  # B (5,001 €), C (exactly 20,000 €)
        "20000_50000": 1,  # D (exactly 50,000 €)
        "over_50000": 1,  # E
        "on_request": 2,  # F, G: no amount given
    }
    assert _counts(response, "cost_yearly") == {
        "upto_5000": 2,  # A (exactly 5,000 €), F (0 €)
        "5000_20000": 0,
        "20000_50000": 1,  # C (20,001 €)
        "over_50000": 1,  # D
        "on_request": 3,  # B, E, G
    }


def test_data_location_and_avv_counts(client, catalog):
    response = client.get(URL)
    assert _counts(response, "data_location") == {"de": 2, "eu": 2, "outside_eu": 1, "none": 1}
    assert _counts(response, "dpa") == {"1": 3}


def test_used_by_counts_only_verified_references_by_size_class(client, catalog):
    response = client.get(URL)
    # B's Kleinstadt reference is not verified; A counts once per size class it is used in.
    assert _counts(response, "used_by") == {
        "landgemeinde": 1,
        "kleinstadt": 2,
        "mittelstadt": 0,
        "grossstadt": 1,
    }
    assert _titles(client.get(URL, {"used_by": "kleinstadt"})) == ["A", "D"]


@pytest.mark.parametrize(
    ("params", "titles"),
    [
        ({"cost_introduction": "5000_20000"}, ["B", "C"]),
        # Options of one facet are OR-ed.
        ({"cost_introduction": ["upto_5000", "on_request"]}, ["A", "F", "G"]),
        ({"cost_yearly": "on_request"}, ["B", "E", "G"]),
        ({"data_location": ["de", "none"]}, ["A", "B", "F"]),
        ({"dpa": "1"}, ["A", "B", "D"]),
        # Facets are AND-ed.
        ({"dpa": "1", "data_location": "eu"}, ["D"]),
        ({"dpa": "1", "cost_yearly": "on_request"}, ["B"]),
        (
            {"used_by": ["kleinstadt", "landgemeinde"], "cost_introduction": ["20000_50000", "5000_20000"]},
            ["C", "D"],
        ),
    ],
)
def test_filtering_lists_exactly_the_matching_solutions(client, catalog, params, titles):
    response = client.get(URL, params)
    assert _titles(response) == titles
    assert response.context["total"] == len(titles)
    assert response.context["messages_list"] == []


def test_counts_are_disjunctive_in_a_combination(client, catalog):
    response = client.get(URL, {"dpa": "1", "cost_introduction": "upto_5000"})
    assert _titles(response) == ["A"]
    # Each facet counts with the other's selection only: the AVV rows per band, the bands' rows with an AVV.
    assert _counts(response, "cost_introduction") == {
        "upto_5000": 1,
        "5000_20000": 1,
        "20000_50000": 1,
        "over_50000": 0,
        "on_request": 0,
    }
    assert _counts(response, "dpa") == {"1": 1}
    assert _counts(response, "data_location") == {"de": 1, "eu": 0, "outside_eu": 0, "none": 0}
    html = response.content.decode()
    assert '<input type="checkbox" name="dpa" value="1" id="facet-dpa-0" checked>' in html
    with translation.override("de"):
        expected = {
            (str(_("Data processing")), str(_("Data processing agreement (AVV) available"))),
            (str(_("Introduction costs (one-off)")), str(_("up to €5,000"))),
        }
    assert {(chip.label, chip.value_label) for chip in response.context["chips"]} == expected


def test_htmx_update_sends_the_new_counts_out_of_band(client, catalog):
    response = client.get(URL, {"dpa": "1"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body
    counts = re.search(r'data-facet-counts="([^"]*)"', body).group(1)
    parts = dict(part.split("=") for part in counts.split(";"))
    assert parts["dpa"] == "3"
    assert parts["cost_introduction"] == "1,1,1,0,0"
    assert parts["used_by"] == "0,2,0,1"
    assert 'name="dpa"' not in body  # the checkboxes stay outside the swapped results


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"cost_introduction": "cheap"}, "cheap"),
        ({"cost_yearly": "-1"}, "-1"),
        ({"dpa": "yes"}, "yes"),
        ({"data_location": "mars"}, "mars"),
        ({"used_by": "<script>alert(1)</script>"}, "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ({"used_by": "\x00"}, None),
    ],
)
def test_bad_values_are_ignored_with_a_message(client, catalog, params, named):
    response = client.get(URL, params)
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["total"] == 7  # nothing valid left to filter by
    messages = [str(message) for message in response.context["messages_list"]]
    assert len(messages) == 1
    if named is not None:
        assert named in html
    assert "<script>alert(1)</script>" not in html


def test_bad_values_keep_the_valid_ones(client, catalog):
    response = client.get(URL, {"cost_introduction": ["5000_20000", "bogus"], "dpa": "1"})
    assert _titles(response) == ["B"]
    assert ["bogus" in str(message) for message in response.context["messages_list"]] == [True]


def _choose(client, municipality):
    response = client.post(reverse("municipalities:choose"), {"slug": municipality.slug, "next": "/"})
    assert response.status_code == 302


def _options_in_page_order(html: str, name: str) -> list[str]:
    fieldset = re.search(rf'<fieldset class="facet" id="facet-{name}">.*?</fieldset>', html, re.S).group(0)
    return re.findall(r'<input type="checkbox" name="[^"]+" value="([^"]+)"', fieldset)


def test_my_municipality_size_comes_first_with_a_hint_and_is_not_selected(client, catalog):
    _choose(client, catalog["small"])
    response = client.get(URL)
    html = response.content.decode()
    for name in ("size", "used_by"):
        assert _options_in_page_order(html, name) == [
            "kleinstadt",
            "landgemeinde",
            "mittelstadt",
            "grossstadt",
        ]
    # The option keeps its id (the out-of-band counts follow the choices' order) and is not ticked.
    with translation.override("de"):
        hint = escape(_("your municipality's size"))
    assert (
        '<input type="checkbox" name="used_by" value="kleinstadt" id="facet-used_by-1">'
        '<label for="facet-used_by-1">'
        f'Kleinstadt (5.000–19.999) <span class="facet-hint">({hint})</span>'
        ' <span class="facet-count" id="facet-used_by-1-count">(2)</span></label>'
    ) in html
    assert html.count('class="facet-hint"') == 2
    assert response.context["total"] == 7
    assert response.context["chips"] == []


def test_without_a_chosen_municipality_the_choices_order_stays(client, catalog):
    html = client.get(URL).content.decode()
    assert _options_in_page_order(html, "used_by") == [
        "landgemeinde",
        "kleinstadt",
        "mittelstadt",
        "grossstadt",
    ]
    assert 'class="facet-hint"' not in html


def _make_rows(count):
    small = MunicipalityFactory(population=12_000)
    for i in range(count):
        solution = SolutionFactory(
            dpa_available=True, cost_introduction_eur=1_000 * i, cost_yearly_eur=None if i % 2 else 100
        )
        ReferenceFactory(solution=solution, municipality=small, is_verified=True)
    return small


BUYER_PARAMS = {
    "dpa": "1",
    "data_location": "de",
    "cost_introduction": ["upto_5000", "5000_20000", "20000_50000", "over_50000"],
    "cost_yearly": ["upto_5000", "on_request"],
    "used_by": "kleinstadt",
}


@pytest.mark.parametrize("rows", [1, 50])
def test_buyer_facets_need_no_extra_query(client, django_assert_num_queries, rows):
    """The same numbers as the catalog without them (tests/solutions/test_catalog.py): the facet index
    reads the buyer's facets in its query of the rows' own fields."""
    _make_rows(rows)
    # First request after a change: content version, category and standard choices, the facet index (rows'
    # own fields with the buyer's facets, categories, standards, Länder of the references), the page.
    with django_assert_num_queries(8):
        response = client.get(URL, BUYER_PARAMS)
    assert response.context["total"] == rows
    # Warm: the content version and the page.
    with django_assert_num_queries(2):
        response = client.get(URL, BUYER_PARAMS, headers={"HX-Request": "true"})
    assert response.context["total"] == rows


@pytest.mark.parametrize("rows", [1, 50])
def test_buyer_facets_with_my_municipality_need_no_extra_query(
    client, django_assert_num_queries, settings, rows
):
    settings.PAGE_CACHE = False  # the page rendered, not kept
    small = _make_rows(rows)
    _choose(client, small)
    client.get(URL, BUYER_PARAMS)
    # As without the buyer's facets (tests/solutions/test_for_my_municipality.py): the content version, the
    # page, the session, the chosen municipality and the peer counts of the page's cards.
    with django_assert_num_queries(5):
        response = client.get(URL, BUYER_PARAMS)
    assert response.context["total"] == rows

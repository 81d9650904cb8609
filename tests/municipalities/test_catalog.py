"""The municipalities catalog: levels, Kreise, rounds, "uses solutions", dissolved rows, name search, hostile
parameters, HTMX and query counts, on a small register with every level."""

import datetime as dt
import re

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from marketplace.choices import EditorialStatus
from municipalities.filters import MunicipalityFilterSet
from municipalities.models import Municipality
from tests.factories import MunicipalityFactory, ReferenceFactory, SolutionFactory

pytestmark = pytest.mark.django_db

URL = "/kommunen/"


@pytest.fixture
def client():
    """English UI, so the assertions read the msgids whatever the German catalogue says."""
    return Client(headers={"Accept-Language": "en"})


def _place(name, ars, level, kind, parent=None, population=None, **fields):
    return MunicipalityFactory(
        name=name, ars=ars, ags=None, level=level, kind=kind, parent=parent, population=population, **fields
    )


@pytest.fixture
def register():
    """Two Länder with Kreise, a Verband, Gemeinden, a dissolved Gemeinde and a row made before levels."""
    bayern = _place("Bayern", "09", "land", "land", population=13_000_000)
    hessen = _place("Hessen", "06", "land", "land", population=6_300_000)
    neustadt_kreis = _place(
        "Landkreis Neustadt a.d.Aisch-Bad Windsheim", "09575", "kreis", "landkreis", bayern, 101_000
    )
    muenchen_kreis = _place("München", "09162", "kreis", "kreisfreie_stadt", bayern, 1_500_000)
    kassel_kreis = _place("Landkreis Kassel", "06633", "kreis", "landkreis", hessen, 236_000)
    vgem = _place(
        "Sugenheim (VGem)", "095755555", "verband", "verwaltungsgemeinschaft", neustadt_kreis, 6_000
    )
    towns = {
        "Bayern": bayern,
        "Hessen": hessen,
        "LK Neustadt": neustadt_kreis,
        "München (Kreis)": muenchen_kreis,
        "LK Kassel": kassel_kreis,
        "VGem": vgem,
        "Neustadt a.d.Aisch": _place(
            "Neustadt a.d.Aisch", "095750153153", "gemeinde", "stadt", neustadt_kreis, 13_000
        ),
        "Sugenheim": _place("Sugenheim", "095755555158", "gemeinde", "markt", vgem, 2_300),
        "München": _place(
            "München",
            "091620000000",
            "gemeinde",
            "kreisfreie_stadt",
            muenchen_kreis,
            1_500_000,
            is_model_project=True,
            model_project_round=2020,
        ),
        "Baunatal": _place(
            "Baunatal",
            "066330003003",
            "gemeinde",
            "stadt",
            kassel_kreis,
            28_000,
            postcode="34225",
            is_model_project=True,
            model_project_round=2019,
        ),
        "Musterdorf": MunicipalityFactory(  # made before the register had levels: no ARS, no level
            name="Musterdorf", ags="09575900", kind="gemeinde", population=1_200, is_demo=True
        ),
    }
    towns["Altdorf"] = _place(
        "Altdorf",
        "066330099099",
        "gemeinde",
        "gemeinde",
        kassel_kreis,
        900,
        dissolved_on=dt.date(2020, 1, 1),
        successor=towns["Baunatal"],
    )
    ReferenceFactory(municipality=towns["Baunatal"])
    ReferenceFactory(municipality=towns["LK Kassel"])
    # A reference to a listing that is not published is no public reference.
    ReferenceFactory(municipality=towns["Sugenheim"], solution=SolutionFactory(status=EditorialStatus.DRAFT))
    return towns


GEMEINDE_ROWS = {"Neustadt a.d.Aisch", "Sugenheim", "München", "Baunatal", "Musterdorf"}


def _level(town) -> str:
    if town.level:
        return town.level
    return "gemeinde" if town.kind in Municipality.TOWN_KINDS else "kreis"


def _kreis(town) -> str:
    return (town.ars or town.ags)[:5]


def _uses(town) -> bool:
    return town.references.filter(solution__status=EditorialStatus.PUBLISHED).exists()


CHECKS = {
    "state": lambda town, values: town.state in values,
    "level": lambda town, values: _level(town) in values,
    "kreis": lambda town, values: _kreis(town) in values,
    "kind": lambda town, values: town.kind in values,
    "size": lambda town, values: town.size_class in values,
    "funded": lambda town, values: str(town.model_project_round) in values,
    "uses": lambda town, values: _uses(town),
}


def _matches(town, params: QueryDict, skip=None) -> bool:
    if town.dissolved_on and params.get("dissolved") != "1":
        return False
    for name, check in CHECKS.items():
        values = [value for value in params.getlist(name) if value != "all"]
        if name != skip and values and not check(town, values):
            return False
    return True


@pytest.mark.parametrize(
    ("query", "effective"),
    [
        ("", "level=gemeinde"),
        ("level=all", "level=all"),
        ("state=09", "state=09"),
        ("state=09&level=gemeinde&kind=markt&kind=stadt", None),
        ("kreis=06633&level=all&dissolved=1", None),
        ("kreis=09575&kreis=09162&size=kleinstadt", None),
        ("funded=1", "funded=2019&funded=2020&funded=2021"),
        ("level=kreis&uses=1", None),
        ("level=verband&level=land&state=06&state=09", None),
    ],
)
def test_facet_counts_equal_true_counts(register, query, effective, counted_by):
    params = QueryDict(effective if effective is not None else query)
    filterset = counted_by(MunicipalityFilterSet(QueryDict(query), queryset=Municipality.objects.all()))
    everyone = list(Municipality.objects.all())
    for facet in filterset.facets:
        for option in facet.options:
            probe = params.copy()
            probe.setlist(facet.name, [option.value])
            expected = sum(1 for t in everyone if _matches(t, probe) and _matches(t, params, skip=facet.name))
            assert (facet.name, option.value, option.count) == (facet.name, option.value, expected)
            assert option.selected == (option.value in params.getlist(facet.name))
    assert [facet.name for facet in filterset.facets] == [
        "state",
        "level",
        "kreis",
        "kind",
        "size",
        "funded",
        "uses",
    ]
    expected = sorted(t.name for t in everyone if _matches(t, params))
    assert filterset.total == len(expected)
    assert sorted(filterset.qs.values_list("name", flat=True)) == expected
    assert sorted(row.name for row in filterset.ordered()[:100]) == expected


def _names(response) -> list[str]:
    return [town.name for town in response.context["municipalities"]]


def test_bare_catalog_lists_gemeinden_and_says_nothing_about_the_default(client, register):
    response = client.get(URL)
    content = response.content.decode()
    assert _names(response) == ["Baunatal", "München", "Musterdorf", "Neustadt a.d.Aisch", "Sugenheim"]
    assert response.context["chips"] == []  # the default is no filter the visitor set
    assert re.search(r'name="level" value="gemeinde" id="facet-level-0" checked', content)
    assert 'value="all" id="facet-level-all">' in content


def test_filter_links_without_a_level_mean_every_level(client, register):
    # Links from before the register had levels (and the global search's "show all") keep their meaning.
    assert _names(client.get(URL, {"state": "06"})) == ["Baunatal", "Hessen", "Landkreis Kassel"]
    assert _names(client.get(URL, {"kind": "landkreis"})) == [
        "Landkreis Kassel",
        "Landkreis Neustadt a.d.Aisch-Bad Windsheim",
    ]
    response = client.get(URL, {"q": "Neustadt"})
    assert _names(response) == ["Landkreis Neustadt a.d.Aisch-Bad Windsheim", "Neustadt a.d.Aisch"]
    assert 'value="all" id="facet-level-all" checked' in response.content.decode()


def test_level_chip_removes_to_all_levels(client, register):
    response = client.get(URL, {"level": "kreis", "state": "09"})
    assert _names(response) == ["Landkreis Neustadt a.d.Aisch-Bad Windsheim", "München"]
    chips = {chip.label: chip for chip in response.context["chips"]}
    assert chips["Level"].value_label == "Districts and district-free cities (Kreise)"
    assert QueryDict(chips["Level"].url.partition("?")[2]) == QueryDict("state=09&level=all")
    assert QueryDict(chips["Land"].url.partition("?")[2]) == QueryDict("level=kreis")
    following = client.get(chips["Level"].url)
    assert _names(following) == [
        "Bayern",
        "Landkreis Neustadt a.d.Aisch-Bad Windsheim",
        "München",
        "München",
        "Musterdorf",
        "Neustadt a.d.Aisch",
        "Sugenheim",
        "Sugenheim (VGem)",
    ]


def test_rows_name_kind_kreis_and_land(client, register):
    content = client.get(URL, {"q": "Neustadt", "level": "all"}).content.decode()
    metas = re.findall(r'<p class="card__meta">([^<]*)</p>', content)
    assert metas == [
        "District (Landkreis) · Bayern · 101,000 inhabitants",
        "Town (Stadt) · Landkreis Neustadt a.d.Aisch-Bad Windsheim · Bayern · 13,000 inhabitants",
    ]
    content = client.get(URL, {"state": "09", "level": "gemeinde"}).content.decode()
    metas = re.findall(r'<p class="card__meta">([^<]*)</p>', content)
    assert metas == [
        "District-free city · Bayern · 1,500,000 inhabitants",  # München: no Kreis beside its own name
        "Municipality (Gemeinde) · Landkreis Neustadt a.d.Aisch-Bad Windsheim · Bayern · 1,200 inhabitants",
        "Town (Stadt) · Landkreis Neustadt a.d.Aisch-Bad Windsheim · Bayern · 13,000 inhabitants",
        "Market town (Markt) · Landkreis Neustadt a.d.Aisch-Bad Windsheim · Bayern · 2,300 inhabitants",
    ]


def test_kreis_facet_offers_the_kreise_of_the_chosen_laender(client, register):
    response = client.get(URL)
    content = response.content.decode()
    assert "Choose a Land on the map to list its districts." in content
    assert 'name="kreis"' not in content
    kreis = response.context["panel"].kreis
    assert [(option.value, option.label) for option in kreis.options] == [
        ("06633", "Landkreis Kassel"),
        ("09575", "Landkreis Neustadt a.d.Aisch-Bad Windsheim"),
        ("09162", "München (district-free city)"),
    ]
    content = client.get(URL, {"state": "09"}).content.decode()
    assert re.findall(r'name="kreis" value="(\d+)"', content) == ["09575", "09162"]
    # Several Länder: one group per Land.
    content = client.get(URL, {"state": ["06", "09"]}).content.decode()
    assert re.findall(r"<legend>(Hessen|Bayern)</legend>", content) == [
        "Hessen",
        "Bayern",
    ]


def test_profile_link_to_a_kreis(client, register):
    response = client.get(URL, {"kreis": "09575"})
    assert _names(response) == [
        "Landkreis Neustadt a.d.Aisch-Bad Windsheim",
        "Musterdorf",
        "Neustadt a.d.Aisch",
        "Sugenheim",
        "Sugenheim (VGem)",
    ]
    content = response.content.decode()
    # No Land is chosen, but the chosen Kreis is offered (ticked) so that it can be unticked.
    assert re.findall(r'name="kreis" value="(\d+)"[^>]*>', content) == ["09575"]
    assert 'name="kreis" value="09575" id="facet-kreis-1" checked' in content
    gemeinden = client.get(URL, {"kreis": "09575", "level": "gemeinde"})
    assert _names(gemeinden) == ["Musterdorf", "Neustadt a.d.Aisch", "Sugenheim"]


def test_kind_and_size_facets_follow_the_level(client, register):
    towns = client.get(URL).context["panel"]
    assert [option.value for option in towns.kind.options] == [
        "gemeinde",
        "stadt",
        "kreisfreie_stadt",
        "markt",
    ]
    assert towns.size is not None
    districts = client.get(URL, {"level": "kreis"}).context["panel"]
    assert [option.value for option in districts.kind.options] == [
        "kreisfreie_stadt",
        "landkreis",
        "kreis",
        "regionalverband",
    ]
    assert districts.size is None
    assert client.get(URL, {"level": "land"}).context["panel"].kind is None
    everything = client.get(URL, {"level": "all"}).context["panel"]
    assert len(everything.kind.options) == len(Municipality.Kind.choices)


def test_modellprojekt_rounds_and_the_older_funded_link(client, register):
    assert _names(client.get(URL, {"funded": "2019"})) == ["Baunatal"]
    response = client.get(URL, {"funded": "1"})  # "funded" of older links: every round
    assert _names(response) == ["Baunatal", "München"]
    assert response.context["messages_list"] == []
    content = response.content.decode()
    assert "Modellprojekt Smart Cities 2019" in content
    assert "2 municipalities found" in content


def test_uses_solutions_counts_public_references_only(client, register):
    response = client.get(URL, {"uses": "1"})
    assert _names(response) == ["Baunatal", "Landkreis Kassel"]
    # Sugenheim's only reference is to a listing that is not published.
    assert "Sugenheim" not in _names(client.get(URL, {"uses": "1", "level": "all"}))


def test_dissolved_municipalities_only_on_request(client, register):
    assert "Altdorf" not in _names(client.get(URL, {"level": "all"}))
    response = client.get(URL, {"state": "06", "dissolved": "1"})
    assert _names(response) == ["Altdorf", "Baunatal", "Hessen", "Landkreis Kassel"]
    content = response.content.decode()
    assert "Dissolved on 01/01/2020" in content
    assert 'name="dissolved" value="1" id="id_dissolved" checked' in content
    chip = response.context["chips"][-1]
    assert (chip.label, chip.value_label) == ("Also list dissolved and merged municipalities", "included")
    assert QueryDict(chip.url.partition("?")[2]) == QueryDict("state=06&level=all")


def test_empty_result_points_to_other_levels(client, register):
    response = client.get(URL, {"q": "Landkreis Kassel", "level": "gemeinde"})
    content = response.content.decode()
    assert response.context["total"] == 0
    link = re.search(r'<a href="([^"]+)">Show 1 match at other levels</a>', content)
    assert link is not None
    assert _names(client.get(link.group(1).replace("&amp;", "&"))) == ["Landkreis Kassel"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("münchen", ["München", "München"]),
        ("Muenchen", ["München", "München"]),  # umlauts spelled out
        ("Baunatl", ["Baunatal"]),  # a typo, found by trigram similarity
        ("Mnchen", []),  # neither a substring nor similar enough
        ("kassel", ["Landkreis Kassel"]),
        ("34225", ["Baunatal"]),  # the postcode of the seat
        ("0957501", ["Neustadt a.d.Aisch"]),  # the start of a key
        (
            "09575",  # a Kreis's key: the Kreis and everything in it
            [
                "Landkreis Neustadt a.d.Aisch-Bad Windsheim",
                "Musterdorf",
                "Neustadt a.d.Aisch",
                "Sugenheim",
                "Sugenheim (VGem)",
            ],
        ),
    ],
)
def test_search_by_name_postcode_or_key(client, register, text, expected):
    assert _names(client.get(URL, {"q": text})) == expected


def test_one_letter_finds_nothing_and_says_why(client, register):
    response = client.get(URL, {"q": "M"})
    assert response.status_code == 200
    assert response.context["total"] == 0
    assert response.context["messages_list"] == ["Please enter at least 2 characters."]


def test_sort_by_population_puts_unknown_populations_last(client, register):
    MunicipalityFactory(name="Unbekannt", ags="09575901", kind="gemeinde", population=None)
    response = client.get(URL, {"sort": "population"})
    assert _names(response) == [
        "München",
        "Baunatal",
        "Neustadt a.d.Aisch",
        "Sugenheim",
        "Musterdorf",
        "Unbekannt",
    ]


def test_pages_are_read_in_order(client):
    MunicipalityFactory.create_batch(30, kind="gemeinde")
    expected = list(Municipality.objects.order_by("name", "pk").values_list("name", flat=True))
    first = _names(client.get(URL))
    second = _names(client.get(URL, {"page": "2"}))
    assert first + second == expected
    assert (len(first), len(second)) == (24, 6)
    by_population = _names(client.get(URL, {"page": "2", "sort": "population", "state": "09"}))
    assert by_population == expected[24:]  # all have the same population: by name


@pytest.mark.parametrize("matches", [2, 30])  # a few: from the index's bits; many: walking the kept order
def test_pages_file_umlauts_with_their_vowel(client, matches):
    # DIN 5007-1, as German lists go: Ä with A, Ö with O, Ü with U (the database may sort them after Z).
    names = ["Öhringen", "Pfaffing", "Zell", "Oberau", "Ohlsbach", "Aachen", "Ährenfeld", "Ulm", "Überlingen"]
    for key in ("09575", "09162"):
        _place(f"Landkreis {key}", key, "kreis", "landkreis")
    for number in range(40):
        kreis = "09575" if number < matches else "09162"
        MunicipalityFactory(name=f"{names[number % 9]} {number // 9}", ags=f"{kreis}{number:03d}")
    german = str.maketrans({"ä": "a", "ö": "o", "ü": "u"})
    expected = sorted(
        Municipality.objects.filter(ags__startswith="09575").values_list("name", flat=True),
        key=lambda name: name.casefold().translate(german),
    )
    pages = [_names(client.get(URL, {"kreis": "09575", "level": "gemeinde", "page": page})) for page in "12"]
    shown = pages[0] + (pages[1] if matches > 24 else [])
    assert shown == expected
    assert shown[0] == ("Öhringen 0" if matches == 2 else "Aachen 0")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"kind": "castle"}, "Ignored unknown values"),
        ({"state": "00"}, "Ignored unknown values"),
        ({"kreis": "99999"}, "Ignored unknown values"),
        ({"level": "galaxy"}, "Ignored unknown values"),
        ({"funded": "yes"}, "Ignored unknown values"),
        ({"size": "\x00"}, "Ignored unknown values"),
        ({"page": "999999"}, "There is no page 999999"),
        ({"page": "abc"}, "The page number was not valid"),
        ({"q": "x" * 10_000}, "The search text is too long"),
        ({"sort": "population; DROP TABLE municipalities_municipality"}, "Select a valid choice"),
    ],
)
def test_hostile_parameters_give_a_message_not_an_error(client, register, params, message):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Municipality.objects.count() == 12


def test_html_and_sql_fragments_are_escaped(client, register):
    response = client.get(URL, {"q": "<script>alert(1)</script>' OR '1'='1", "kind": "<i>x</i>"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in content
    assert "&lt;i&gt;x&lt;/i&gt;" in content
    assert response.context["total"] == 0


def _counts(content: str) -> dict[str, list[str]]:
    match = re.search(r'id="facet-counts" hidden hx-swap-oob="true" data-facet-counts="([^"]*)"', content)
    assert match is not None
    return {
        name: values.split(",") for name, values in (part.split("=") for part in match.group(1).split(";"))
    }


def test_htmx_request_gets_the_partial(client, register):
    full = client.get(URL, {"state": "09"})
    response = client.get(
        URL,
        {"state": "09"},
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/kommunen/?state=09"},
    )
    content = response.content.decode()
    assert "<html" not in content
    assert content.lstrip().startswith('<div id="catalog-results"')
    assert _names(response) == [
        "Bayern",
        "Landkreis Neustadt a.d.Aisch-Bad Windsheim",
        "München",
        "München",
        "Musterdorf",
        "Neustadt a.d.Aisch",
        "Sugenheim",
        "Sugenheim (VGem)",
    ]
    # every facet's live counts travel as one out-of-band element, the Kreise's too
    counts = _counts(content)
    assert list(counts) == ["level", "kreis", "kind", "size", "funded", "uses"]
    assert counts["kreis"] == ["0", "5", "2"]
    # The Länder did not change: the Kreis, kind and size facets stay as they are on the page.
    assert 'id="facet-slot-kreis"' not in content
    assert "HX-Request" in response["Vary"]
    assert "HX-Request" in full["Vary"]
    assert len(response.content) < len(full.content)


@pytest.mark.parametrize(
    ("shown", "requested"),
    [
        ("/kommunen/", "state=09"),
        ("/kommunen/?state=09", "state=06"),
        ("/kommunen/?level=all", "level=kreis"),
    ],
)
def test_htmx_sends_the_dependent_facets_when_laender_or_level_change(client, register, shown, requested):
    response = client.get(
        f"{URL}?{requested}", headers={"HX-Request": "true", "HX-Current-URL": f"http://testserver{shown}"}
    )
    content = response.content.decode()
    for slot in ("kreis", "kind", "size"):
        assert f'id="facet-slot-{slot}" hx-swap-oob="true"' in content
    if requested.startswith("state"):
        state = requested.partition("=")[2]
        assert set(re.findall(r'name="kreis" value="(\d\d)\d+"', content)) == {state}


def test_history_restore_gets_the_full_page(client, register):
    response = client.get(URL, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert response.content.decode().startswith("<!DOCTYPE html>")
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize("rows", [1, 50])
def test_list_query_count_does_not_grow(client, django_assert_num_queries, settings, rows):
    settings.PAGE_CACHE = False  # the page rendered, not kept
    for municipality in MunicipalityFactory.create_batch(rows, is_demo=True):
        ReferenceFactory(municipality=municipality)
    # The first request after a change: the content version, the Kreise (the facet's options), the facet
    # index, the keys in the chosen order, one page of rows and the register's source (kept until the data
    # changes, like the rest).
    with django_assert_num_queries(6):
        response = client.get(URL, {"state": "09", "sort": "population", "uses": "1"})
    assert len(response.context["municipalities"]) == min(rows, 24)
    assert "badge badge-sample" in response.content.decode()
    # Every later request until the data changes: the content version and one page of rows.
    with django_assert_num_queries(2):
        response = client.get(URL, {"state": "09", "sort": "population", "uses": "1"})
    assert len(response.context["municipalities"]) == min(rows, 24)


@pytest.mark.parametrize("rows", [1, 50])
def test_search_query_count_does_not_grow(client, django_assert_num_queries, rows):
    MunicipalityFactory.create_batch(rows)
    # ... and the keys of the rows the name matches
    with django_assert_num_queries(7):
        response = client.get(URL, {"q": "Musterstadt", "size": "mittelstadt"})
    assert response.context["total"] == rows
    with django_assert_num_queries(3):
        response = client.get(URL, {"q": "Musterstadt", "size": "mittelstadt", "page": "2"})
    assert response.context["total"] == rows


def test_list_url_name():
    assert reverse("municipalities:list") == URL

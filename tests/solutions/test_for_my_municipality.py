""" "Kommunen wie meine" on the solutions catalog, the detail page and the home page: peer counts on every
card, the "recommended for my municipality" order, the home page's recommendations with their reasons, and
query counts that do not grow with the rows. Expectations are computed here from the fixture's own values and
the formula of docs/recommendations.md (tests/municipalities/expected_similarity.py)."""

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify

from marketplace.choices import EditorialStatus
from solutions.peers import PeerCounts, explain
from tests.factories import MunicipalityFactory, ReferenceFactory, SolutionFactory
from tests.municipalities import expected_similarity as expected
from tests.municipalities.peers_fixture import NEVER_PEERS, build_region

pytestmark = pytest.mark.django_db

URL = reverse("solutions:list")
ENGLISH = {"Accept-Language": "en"}
CARD = re.compile(
    r'<article class="card solution-card">.*?<a class="card__link" href="[^"]*">([^<]*)</a>(.*?)</article>',
    re.S,
)
PEERS_LINE = re.compile(r'<p class="card__meta card__peers">([^<]*)</p>')
NOTE = re.compile(r'<p class="card__text card__note">([^<]*)</p>')

# title: (users, verified users)
USES = {
    "Parkleitsystem": (["Nachbarstadt", "Dorfheim", "Grenzstadt"], ["Nachbarstadt"]),
    "Bürgerportal": (["Musterstadt", "Nordstadt", "Wetteraukreis"], []),
    "Straßenlicht": (["Großstadt", "Fernstadt"], []),
    "Dorf-App": (["Dorfheim"], []),
    "Ohne Nutzer": ([], []),
    "Altlast": (["Altstadt"], []),
    "Kreisportal": (["Wetteraukreis", "Amt Musterland"], ["Wetteraukreis"]),
    "Zwilling A": (["Nordstadt"], []),
    "Zwilling B": (["Nordstadt"], ["Nordstadt"]),
    "Zwilling C": (["Nordstadt"], []),
}


@pytest.fixture
def region():
    """Musterstadt's region (tests/municipalities/peers_fixture.py) and ten solutions used there."""
    places = build_region()
    solutions = {}
    for title, (users, verified) in USES.items():
        solutions[title] = SolutionFactory(title=title, slug=slugify(title))
        for name in users:
            ReferenceFactory(
                solution=solutions[title], municipality=places[name], is_verified=name in verified
            )
    # Never shown, never counted: a draft used by the best peer.
    draft = SolutionFactory(title="Entwurf", status=EditorialStatus.DRAFT)
    ReferenceFactory(solution=draft, municipality=places["Nachbarstadt"])
    return {"places": places, "solutions": solutions}


def choose(client, municipality):
    """Pick "my municipality" the way a visitor does: the choose form of the find page."""
    response = client.post(reverse("municipalities:choose"), {"slug": municipality.slug, "next": "/"})
    assert response.status_code == 302


def cards(html: str) -> dict[str, str]:
    """Each card's title with the inner HTML after its title."""
    return {unescape(title): rest for title, rest in CARD.findall(html)}


def peer_lines(html: str) -> dict[str, str]:
    return {
        title: unescape(match.group(1))
        for title, rest in cards(html).items()
        if (match := PEERS_LINE.search(rest))
    }


def _kreis(row):
    return (row.ars or row.ags)[:5]


def expected_counts(region, m, title):
    """(same Land, same Kreis, same size class) among the current municipalities other than m using it."""
    users = [region["places"][name] for name in USES[title][0]]
    users = [row for row in users if row != m and row.dissolved_on is None]
    return (
        sum(row.state == m.state for row in users),
        sum(_kreis(row) == _kreis(m) for row in users),
        sum(row.size_class == m.size_class for row in users),
    )


def expected_recommended_order(region, m):
    peers = {name: row for name, row in region["places"].items() if row != m and name not in NEVER_PEERS}

    def key(title):
        users, verified = USES[title]
        score = sum(expected.similarity(m, peers[name]) for name in users if name in peers)
        return (-round(score, 9), -len(verified), title)

    return sorted(USES, key=key)


def test_cards_count_municipalities_like_mine(client, region):
    m = region["places"]["Musterstadt"]
    choose(client, m)
    html = client.get(URL, headers=ENGLISH).content.decode()
    lines = peer_lines(html)
    assert set(lines) == set(USES)
    for title in USES:
        state, kreis, size = expected_counts(region, m, title)
        line = (
            f"Municipalities like yours: {state} in the same Land, {kreis} in the same district,"
            f" {size} of the same size"
        )
        if title == "Bürgerportal":
            line += " · already in use in your municipality"
        assert lines[title] == line
    assert lines["Parkleitsystem"].startswith(
        "Municipalities like yours: 2 in the same Land, 2 in the same district, 2"
    )
    assert "Compared with Musterstadt:" in html


def test_counts_leave_out_what_the_municipality_cannot_be_compared_by(client, region):
    """Ohnezahl has no population (so no size class): its cards count Land and Kreis only."""
    choose(client, region["places"]["Ohnezahl"])
    lines = peer_lines(client.get(URL, headers=ENGLISH).content.decode())
    assert lines["Parkleitsystem"] == "Municipalities like yours: 2 in the same Land, 0 in the same district"
    assert lines["Ohne Nutzer"] == "Municipalities like yours: 0 in the same Land, 0 in the same district"


def test_without_a_choice_no_counts_and_no_recommended_sort(client, region):
    response = client.get(URL, headers=ENGLISH)
    html = response.content.decode()
    assert peer_lines(html) == {}
    assert len(cards(html)) == len(USES)
    assert 'value="recommended"' not in html
    assert "Compared with" not in html


def test_recommended_sort_is_offered_with_a_choice(client, region):
    choose(client, region["places"]["Musterstadt"])
    html = client.get(URL, headers=ENGLISH).content.decode()
    assert '<option value="recommended">Recommended for my municipality</option>' in html


def test_recommended_without_a_choice_falls_back_to_the_default_order(client, region):
    response = client.get(URL, {"sort": "recommended"}, headers=ENGLISH)
    assert response.status_code == 200
    assert response.context["messages_list"] == []
    assert response.context["sort_order"] == "newest"
    newest_first = [
        s.title
        for s in sorted(region["solutions"].values(), key=lambda s: (s.published_at, s.pk), reverse=True)
    ]
    assert list(cards(response.content.decode())) == newest_first


@pytest.mark.parametrize("chosen", ["Musterstadt", "Nordstadt", "Dorfheim"])
def test_recommended_order_is_the_summed_similarity_of_the_users(client, region, chosen):
    m = region["places"][chosen]
    choose(client, m)
    response = client.get(URL, {"sort": "recommended"}, headers=ENGLISH)
    assert response.context["sort_order"] == "recommended"
    assert list(cards(response.content.decode())) == expected_recommended_order(region, m)


def test_recommended_order_breaks_ties_by_verified_references_then_title(client, region):
    m = region["places"]["Musterstadt"]
    choose(client, m)
    order = list(cards(client.get(URL, {"sort": "recommended"}).content.decode()))
    # Four solutions used by Nordstadt alone: the verified one first, then by title.
    nordstadt_only = [
        title for title in order if title in {"Bürgerportal", "Zwilling A", "Zwilling B", "Zwilling C"}
    ]
    assert nordstadt_only == ["Zwilling B", "Bürgerportal", "Zwilling A", "Zwilling C"]
    # Used by no peer at all: the one with a verified reference (of a Kreis) first, then by title.
    assert order[-3:] == ["Kreisportal", "Altlast", "Ohne Nutzer"]


def test_recommended_order_applies_filters_and_search(client, region):
    m = region["places"]["Musterstadt"]
    choose(client, m)
    response = client.get(URL, {"sort": "recommended", "q": "Zwilling"}, headers=ENGLISH)
    assert list(cards(response.content.decode())) == ["Zwilling B", "Zwilling A", "Zwilling C"]
    assert response.context["total"] == 3
    response = client.get(URL, {"sort": "recommended", "verified": "1"}, headers=ENGLISH)
    full = expected_recommended_order(region, m)
    with_verified = [title for title in full if USES[title][1]]
    assert list(cards(response.content.decode())) == with_verified


def test_detail_page_counts_municipalities_like_mine(client, region):
    m = region["places"]["Musterstadt"]
    choose(client, m)
    html = client.get(
        region["solutions"]["Parkleitsystem"].get_absolute_url(), headers=ENGLISH
    ).content.decode()
    assert "Municipalities like Musterstadt</h2>" in html
    assert (
        "Municipalities using this solution: 2 in the same Land, 2 in the same district, 2 of the same size"
        in html
    )
    html = client.get(
        region["solutions"]["Bürgerportal"].get_absolute_url(), headers=ENGLISH
    ).content.decode()
    assert (
        "Municipalities using this solution: 1 in the same Land, 1 in the same district, 1 of the same size"
        in html
    )
    assert "Musterstadt already uses it." in html


def test_detail_page_numbers_are_never_served_to_another_visitor(client, region):
    """The page body is cached for everyone; the panel is not: each visitor sees their own, or none."""
    url = region["solutions"]["Straßenlicht"].get_absolute_url()
    choose(client, region["places"]["Musterstadt"])
    mine = client.get(url, headers=ENGLISH).content.decode()
    assert (
        "Municipalities using this solution: 2 in the same Land, 0 in the same district, 1 of the same size"
        in mine
    )

    anonymous = Client().get(url, headers=ENGLISH).content.decode()
    assert "Municipalities like" not in anonymous
    assert "Municipalities using this solution" not in anonymous
    assert "Who uses it" in anonymous  # the cached body is the same

    other = Client()
    choose(other, region["places"]["Nordstadt"])
    theirs = other.get(url, headers=ENGLISH).content.decode()
    assert "Municipalities like Nordstadt</h2>" in theirs
    assert (
        "Municipalities using this solution: 0 in the same Land, 0 in the same district, 1 of the same size"
        in theirs
    )


def test_home_recommends_what_municipalities_like_mine_use(client, region):
    m = region["places"]["Musterstadt"]
    choose(client, m)
    html = client.get(reverse("home"), headers=ENGLISH).content.decode()
    section = html[
        html.index('aria-labelledby="for-mine-title"') : html.index('aria-labelledby="figures-title"')
    ]
    assert "For municipalities like Musterstadt</h2>" in section
    recommended = cards(section)
    # Only solutions some peer uses, not those Musterstadt uses itself, best first.
    expected_titles = [
        title
        for title in expected_recommended_order(region, m)
        if title != "Bürgerportal"
        and any(name not in NEVER_PEERS and name != "Musterstadt" for name in USES[title][0])
    ][:6]
    assert list(recommended) == expected_titles
    notes = {title: unescape(NOTE.search(rest).group(1)) for title, rest in recommended.items()}
    assert (
        notes["Parkleitsystem"]
        == "Used in 2 municipalities of similar size, 1 of them in Hessen, e.g. in Nachbarstadt."
    )
    assert notes["Straßenlicht"] == "Used in 1 municipality of similar size, in Hessen, e.g. in Fernstadt."
    assert notes["Zwilling B"] == "Used in 1 municipality of similar size, e.g. in Nordstadt."
    assert notes["Dorf-App"] == "Used in 1 municipality in Hessen, e.g. in Dorfheim."


def test_home_invites_to_choose_without_a_choice(client, region):
    html = client.get(reverse("home"), headers=ENGLISH).content.decode()
    section = html[
        html.index('aria-labelledby="for-mine-title"') : html.index('aria-labelledby="figures-title"')
    ]
    assert "Solutions for municipalities like yours</h2>" in section
    assert f'action="{reverse("municipalities:find")}"' in section
    assert f'action="{reverse("municipalities:choose")}"' in section
    assert cards(section) == {}


def test_home_says_so_when_no_peer_uses_anything(client):
    lonely = MunicipalityFactory(name="Einsamstadt", level="gemeinde")
    SolutionFactory(title="Unbenutzt")
    choose(client, lonely)
    html = client.get(reverse("home"), headers=ENGLISH).content.decode()
    assert "No municipality like Einsamstadt has reported using a solution yet." in html


@pytest.mark.parametrize(
    ("counts", "text"),
    [
        (
            PeerCounts(same_size_class=4, same_size_class_and_state=2, examples=["Musterstadt"]),
            "Used in 4 municipalities of similar size, 2 of them in Hessen, e.g. in Musterstadt.",
        ),
        (
            PeerCounts(same_state=3, examples=["Dorfheim"]),
            "Used in 3 municipalities in Hessen, e.g. in Dorfheim.",
        ),
        (
            PeerCounts(peers=2, examples=["Nordstadt"]),
            "Used in 2 comparable municipalities, e.g. in Nordstadt.",
        ),
        (
            PeerCounts(same_size_class=None, same_size_class_and_state=None, peers=1),
            "Used in 1 comparable municipality.",
        ),
    ],
)
def test_explanation_sentences(counts, text):
    hessen = MunicipalityFactory.build(ags="06440001")
    hessen.state = "06"
    with translation.override("en"):
        assert explain(counts, hessen) == text


def _make_rows(count):
    """``count`` published solutions, each used by a peer and a Kreis of the chosen municipality's Land."""
    m = MunicipalityFactory(name="Meine", ags="06440001", level="gemeinde", population=25_000)
    kreis = MunicipalityFactory(ags="06440000", level="kreis", kind="landkreis")
    for i in range(count):
        peer = MunicipalityFactory(ags=f"06440{100 + i:03d}", level="gemeinde", population=20_000 + i)
        solution = SolutionFactory()
        ReferenceFactory(solution=solution, municipality=peer)
        ReferenceFactory(solution=solution, municipality=kreis, is_verified=i % 2 == 0)
    return m


@pytest.mark.parametrize("rows", [1, 50])
@pytest.mark.parametrize(
    ("chosen", "params", "queries"),
    [
        # The content version, the page (the facet index, the choices are kept from the first request).
        (False, {}, 2),
        (False, {"sort": "recommended"}, 2),
        # ... plus the session, the chosen municipality and the peer counts of the page's cards.
        (True, {}, 5),
        (True, {"sort": "references", "verified": "1"}, 5),
        # ... the kept ranking; the page's rows read by key.
        (True, {"sort": "recommended"}, 5),
    ],
)
def test_catalog_query_count_is_constant(
    client, django_assert_num_queries, settings, rows, chosen, params, queries
):
    settings.PAGE_CACHE = False  # the page rendered (kept pages: tests/marketplace/catalog/test_pagecache.py)
    m = _make_rows(rows)
    if chosen:
        choose(client, m)
    client.get(URL, params)  # builds what is kept until the data changes (facet index, ranking)
    with django_assert_num_queries(queries):
        response = client.get(URL, params)
    assert response.context["total"] == rows
    assert len(cards(response.content.decode())) == min(rows, 20)


@pytest.mark.parametrize("rows", [1, 50])
@pytest.mark.parametrize(("params", "queries"), [({}, 12), ({"sort": "recommended"}, 13)])
def test_first_request_after_a_change_ranks_in_one_query(
    client, django_assert_num_queries, rows, params, queries
):
    """After a data change: the content version, the session, the chosen municipality, the choices of two
    facets, the facet index (four), the page, its peer counts, the solutions the municipality can have
    without its own tender (solutions/agreements/catalog.py); for the recommended order one more query ranks
    all published solutions, however many."""
    m = _make_rows(rows)
    choose(client, m)
    client.get(URL, params)
    MunicipalityFactory()  # a change a public page shows: a new content version
    with django_assert_num_queries(queries):
        response = client.get(URL, params)
    assert response.context["total"] == rows


@pytest.mark.parametrize("rows", [1, 50])
@pytest.mark.parametrize(("chosen", "queries"), [(False, 3), (True, 7)])
def test_home_query_count_is_constant(client, django_assert_num_queries, settings, rows, chosen, queries):
    """The content version, the featured solutions, the newest pilots; with a choice also the session, the
    chosen municipality, the recommended cards and their reasons (the ranking is kept)."""
    settings.PAGE_CACHE = False  # the page rendered, not kept
    m = _make_rows(rows)
    if chosen:
        choose(client, m)
    client.get(reverse("home"))
    with django_assert_num_queries(queries):
        response = client.get(reverse("home"))
    assert len(response.context["recommendations"]) == (min(rows, 6) if chosen else 0)

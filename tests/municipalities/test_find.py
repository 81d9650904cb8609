"""Finding one's municipality (name, umlauts, typos, postcode, key), the autocomplete, and choosing it."""

import datetime
import json
import re

import pytest
from django.core.cache import cache
from django.test import Client

from municipalities.choice import SESSION_KEY
from municipalities.models import Municipality
from tests.factories import MunicipalityFactory
from tests.municipalities.register_rows import gemeinde, kreis, land, neustadts

pytestmark = pytest.mark.django_db

FIND = "/kommunen/finden/"
CHOOSE = "/kommunen/meine/waehlen/"
FORGET = "/kommunen/meine/vergessen/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate-limit counters and cached page fragments live in the local-memory cache across tests.
    cache.clear()


@pytest.fixture
def client():
    return Client(headers={"Accept-Language": "en"})


@pytest.fixture
def places():
    return neustadts()


def names(text, **filters):
    return [m.name for m in Municipality.objects.search(text).filter(**filters)]


def results(response):
    """(name, details) of every result on the page, in order."""
    html = response.content.decode()
    items = re.findall(
        r'<h3 class="find-result__name"><a href="[^"]+">([^<]+)</a>'
        r'.*?<p class="find-result__details">(.*?)</p>',
        html,
        flags=re.S,
    )
    return [(name, re.sub(r"\s+", " ", details).strip()) for name, details in items]


# --- The search itself -----------------------------------------------------------------------------------


def test_neustadt_lists_every_place_each_distinguishable(client, places):
    response = client.get(FIND, {"q": "Neustadt"})
    found = results(response)
    assert response.status_code == 200
    lk, kr = "District (Landkreis)", "District (Kreis)"
    expected = [
        # exact name first: the larger one first
        (
            "Neustadt",
            [
                "Municipality (Gemeinde)",
                f"{kr} Ilm-Kreis",
                "Thüringen",
                "1,200 inhabitants",
                "postcode 98701",
            ],
        ),
        (
            "Neustadt",
            ["Municipality (Gemeinde)", f"{lk} Greiz", "Thüringen", "800 inhabitants", "postcode 07980"],
        ),
        # then names starting with it: Gemeinden by population, then the Verband, then the Kreise
        (
            "Neustadt an der Weinstraße",
            ["District-free city", "Rheinland-Pfalz", "53,920 inhabitants", "postcode 67433"],
        ),
        (
            "Neustadt in Holstein",
            [
                "Town (Stadt)",
                f"{kr} Ostholstein",
                "Schleswig-Holstein",
                "15,749 inhabitants",
                "postcode 23730",
            ],
        ),
        (
            "Neustadt (Hessen)",
            ["Town (Stadt)", f"{lk} Marburg-Biedenkopf", "Hessen", "10,051 inhabitants", "postcode 35279"],
        ),
        (
            "Neustadt a.d.Waldnaab",
            ["Town (Stadt)", f"{lk} Neustadt a.d.Waldnaab", "Bayern", "5,950 inhabitants", "postcode 92660"],
        ),
        (
            "Neustadt (Dosse)",
            [
                "Town (Stadt)",
                "Amt Neustadt (Dosse)",
                f"{lk} Ostprignitz-Ruppin",
                "Brandenburg",
                "3,477 inhabitants",
                "postcode 16845",
            ],
        ),
        ("Neustadt (Dosse)", ["Amt", f"{lk} Ostprignitz-Ruppin", "Brandenburg", "7,758 inhabitants"]),
        ("Neustadt a.d.Waldnaab", [lk, "Bayern", "96,400 inhabitants"]),
        (
            "Neustadt an der Weinstraße",
            ["District-free city (as a district)", "Rheinland-Pfalz", "53,920 inhabitants"],
        ),
        # then names containing it
        (
            "Bad Neustadt a.d.Saale",
            ["Town (Stadt)", f"{lk} Rhön-Grabfeld", "Bayern", "16,000 inhabitants", "postcode 97616"],
        ),
    ]
    assert found == [(name, ", ".join(parts)) for name, parts in expected]
    # Every place can be told apart by what the page says about it.
    assert len(set(found)) == len(found)
    assert "11 matches for “Neustadt”" in response.content.decode()


def test_ranking_exact_then_start_then_contains(places):
    ranks = [(m.name, m.match_rank, m.level_rank) for m in Municipality.objects.search("Neustadt")]
    assert ranks[0] == ("Neustadt", 0, 0)
    assert [rank for _, rank, _ in ranks] == sorted(rank for _, rank, _ in ranks)
    assert ranks[-1] == ("Bad Neustadt a.d.Saale", 2, 0)
    # Within "starts with": Gemeinden, then the Verband, then the Kreise.
    starting = [level for _, rank, level in ranks if rank == 1]
    assert starting == [0, 0, 0, 0, 0, 1, 2, 2]


def test_similar_names_only_for_a_typo_closest_first(places):
    MunicipalityFactory(name="Neustatt", ags="16070999", population=90_000)
    assert "Neustatt" not in names("Neustadt")  # found as typed: no guessing
    typo = list(Municipality.objects.search("Neustadr"))
    assert {m.match_rank for m in typo} == {3}
    found = [m.name for m in typo]
    # Every Neustadt is closer to "Neustadr" than Neustatt, however large Neustatt is.
    assert found.index("Neustatt") == len([name for name in found if "Neustadt" in name])
    assert [m.closeness for m in typo] == sorted((m.closeness for m in typo), reverse=True)


def test_spelled_out_umlauts_find_the_place():
    by = land("09", "Bayern")
    muenchen_kreis = kreis(by, "09162", "München", kind="kreisfreie_stadt", population=1_510_378)
    muenchen = gemeinde(
        muenchen_kreis, "091620000000", "München", kind="kreisfreie_stadt", population=1_510_378
    )
    gemeinde(
        kreis(by, "09184", "München", population=358_480),
        "091840118118",
        "Garching b.München",
        population=17_577,
    )
    assert names("Muenchen")[:1] == ["München"]
    assert names("muenchen")[:1] == ["München"]
    assert Municipality.objects.search("Muenchen").first() == muenchen
    assert "Garching b.München" in names("Muenchen")


def test_a_typo_still_finds_the_place():
    he = land("06", "Hessen")
    frankfurt = gemeinde(
        kreis(he, "06412", "Frankfurt am Main", kind="kreisfreie_stadt"),
        "064120000000",
        "Frankfurt am Main",
        kind="kreisfreie_stadt",
        population=775_790,
    )
    gemeinde(kreis(he, "06435", "Main-Kinzig-Kreis"), "064350001001", "Hanau", population=100_000)
    assert Municipality.objects.search("Frankfrt").first() == frankfurt
    assert "Hanau" not in names("Frankfrt")


def test_postcode_finds_the_seat(client, places):
    assert names("67433") == ["Neustadt an der Weinstraße"]
    assert names("23730") == ["Neustadt in Holstein"]
    # The start of a postcode (2 to 4 digits) finds every seat in that area.
    assert names("674") == ["Neustadt an der Weinstraße"]
    assert set(names("07")) >= {"Neustadt", "Neustadt an der Weinstraße"}  # postcode 07980 and key 07…
    response = client.get(FIND, {"q": "23730"})
    assert [name for name, _ in results(response)] == ["Neustadt in Holstein"]


def test_official_key_finds_the_place_and_a_prefix_everything_below(places):
    assert names("120685805324") == ["Neustadt (Dosse)"]  # ARS
    assert names("12068324") == ["Neustadt (Dosse)"]  # AGS
    assert names("12 0 68 5805 324") == ["Neustadt (Dosse)"]  # written in groups
    # The Kreis key: the Kreis itself first (exact), then everything in it.
    found = list(Municipality.objects.search("12068"))
    assert [(m.name, m.level) for m in found] == [
        ("Ostprignitz-Ruppin", "kreis"),
        ("Neustadt (Dosse)", "gemeinde"),
        ("Neustadt (Dosse)", "verband"),
    ]


def test_postcode_and_name_together_narrow_it_down(places):
    assert names("16845 Neustadt") == ["Neustadt (Dosse)"]
    assert names("Neustadt 98701") == ["Neustadt"]


def test_dissolved_rows_only_when_nothing_current_matches(client):
    sh = land("01", "Schleswig-Holstein")
    nf = kreis(sh, "01054", "Nordfriesland")
    successor = gemeinde(nf, "010540168168", "Sylt", kind="gemeinde", population=13_679)
    old = gemeinde(
        nf,
        "010540168999",
        "Westerland",
        population=9_000,
        dissolved_on=datetime.date(2009, 1, 1),
        successor=successor,
    )
    assert list(Municipality.objects.search("Westerland")) == [old]
    response = client.get(FIND, {"q": "Westerland"})
    content = response.content.decode()
    assert '<span class="badge">dissolved</span>' in content
    assert f'Successor: <a href="{successor.get_absolute_url()}">Sylt</a>' in content
    assert 'name="slug" value="' + old.slug not in content  # nothing to choose
    current = gemeinde(nf, "010540170170", "Westerland-Nord", population=100)
    assert list(Municipality.objects.search("Westerland")) == [current]


# --- Bad and odd input -----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["N", " ", "9"])
def test_one_character_is_refused_with_a_message(client, places, text):
    response = client.get(FIND, {"q": text})
    assert response.status_code == 200
    assert results(response) == []
    if text.strip():
        assert "Please enter at least 2 characters." in response.content.decode()
    assert Municipality.objects.search(text).count() == 0


def test_two_letters_find_names_starting_with_them(places):
    assert names("Ne")[:2] == ["Neustadt an der Weinstraße", "Neustadt in Holstein"]
    assert "Bad Neustadt a.d.Saale" not in names("Ne")


def test_overlong_input_is_cut_and_answers_fast(client, places, django_assert_max_num_queries):
    text = "Neustadt in Holstein, Am Markt 1, 23730 Neustadt in Holstein " * 200
    with django_assert_max_num_queries(1):
        response = client.get(FIND, {"q": text})
    assert response.status_code == 200
    query = response.context["query"]
    assert len(query) == 100
    assert text.startswith(query)
    assert [name for name, _ in results(response)] == names(query)


@pytest.mark.parametrize("text", ["%%", "_%_", "__", "[a-z]*", "'; DROP TABLE x; --", "Ñeü😀"])
def test_odd_characters_are_plain_text(client, places, text):
    response = client.get(FIND, {"q": text})
    assert response.status_code == 200
    assert results(response) == []  # "%" and "_" are no wildcards


# --- The autocomplete partial ----------------------------------------------------------------------------


def test_partial_has_at_most_ten_options_and_a_way_to_all(client, places):
    for index in range(12):
        gemeinde(places.dosse_amt, f"120685805{400 + index}", f"Neustadtfeld {index}", population=100 + index)
    response = client.get(FIND, {"q": "Neustadt"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and "<h1" not in html
    assert html.count('role="option"') == 11  # ten places and "Show all matches"
    assert html.count("data-slug=") == 10
    assert html.endswith("data-find-all>Show all matches</li>")
    assert re.findall(r'<span class="combobox__name">([^<]+)</span>', html)[:3] == [
        "Neustadt",
        "Neustadt",
        "Neustadt an der Weinstraße",
    ]
    assert response["Vary"].startswith("HX-Request")
    trigger = json.loads(response["HX-Trigger-After-Swap"])
    assert trigger == {
        "municipality-suggestions": {"status": "The first 10 matches. Type more to narrow them down."}
    }


def test_partial_announces_the_count_and_nothing_found(client, places):
    response = client.get(FIND, {"q": "Bad Neu"}, headers={"HX-Request": "true"})
    assert response.content.decode().count('role="option"') == 1
    assert json.loads(response["HX-Trigger-After-Swap"])["municipality-suggestions"]["status"] == (
        "1 suggestion. Use the arrow keys to choose."
    )
    response = client.get(FIND, {"q": "Qqqqq"}, headers={"HX-Request": "true"})
    assert response.content.decode() == ""
    assert json.loads(response["HX-Trigger-After-Swap"])["municipality-suggestions"]["status"] == (
        "No municipality found."
    )
    response = client.get(FIND, {"q": "N"}, headers={"HX-Request": "true"})
    assert response.content.decode() == ""
    assert json.loads(response["HX-Trigger-After-Swap"])["municipality-suggestions"]["status"] == (
        "Please enter at least 2 characters."
    )


def test_history_restore_gets_the_full_page(client, places):
    response = client.get(
        FIND, {"q": "Neustadt"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<h1>Find your municipality</h1>" in response.content.decode()


def test_page_has_the_form_that_works_without_javascript(client):
    response = client.get(FIND, {"q": "Neu", "next": "/loesungen/"})
    html = response.content.decode()
    assert '<form class="municipality-find__form" method="get" action="/kommunen/finden/"' in html
    assert 'name="q" value="Neu"' in html
    assert '<input type="hidden" name="next" value="/loesungen/">' in html
    assert re.search(r'<button class="button municipality-find__submit" type="submit">', html)
    # CSP: the script is a file of our own, nothing inline.
    assert re.search(r'<script src="/static/js/municipality-find\.js" nonce="[^"]+" defer></script>', html)
    assert " style=" not in html and " onclick=" not in html


@pytest.mark.parametrize("rows", [1, 40])
def test_find_page_query_count_does_not_grow(client, django_assert_num_queries, rows):
    nf = kreis(land("01", "Schleswig-Holstein"), "01054", "Nordfriesland")
    amt = MunicipalityFactory(
        name="Föhr-Amrum", ars="010545859", ags=None, level="verband", kind="amt", parent=nf
    )
    for index in range(rows):
        in_amt = index % 2
        ars = f"01054{'5859' if in_amt else '0000'}{index + 1:03d}"
        gemeinde(amt if in_amt else nf, ars, f"Wyk {index}", population=1000 + index)
    with django_assert_num_queries(1):  # the search, with Verband, Kreis and successor joined
        response = client.get(FIND, {"q": "Wyk"})
    assert len(results(response)) == rows


def test_too_many_requests_from_one_address_are_refused(client, settings, places):
    settings.MUNICIPALITY_FIND_RATE = (2, 60)
    assert client.get(FIND, {"q": "Neu"}).status_code == 200
    assert client.get(FIND, {"q": "Neus"}, headers={"HX-Request": "true"}).status_code == 200
    response = client.get(FIND, {"q": "Neust"}, headers={"HX-Request": "true"})
    assert response.status_code == 429
    assert response["Retry-After"] == "60"


# --- Choosing and forgetting -----------------------------------------------------------------------------


def test_choose_remembers_it_and_goes_back(client, places):
    response = client.post(CHOOSE, {"slug": places.hessen.slug, "next": "/loesungen/?size=kleinstadt"})
    assert response.status_code == 302
    assert response["Location"] == "/loesungen/?size=kleinstadt"
    assert client.session[SESSION_KEY] == places.hessen.pk


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/x",
        "javascript:alert(1)",
        "http://testserver.evil.example/",
        "",
    ],
)
def test_choose_with_a_bad_next_goes_to_the_profile(client, places, next_url):
    response = client.post(CHOOSE, {"slug": places.dosse.slug, "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == places.dosse.get_absolute_url()
    assert client.session[SESSION_KEY] == places.dosse.pk


def test_choosing_a_dissolved_municipality_chooses_its_successor(client):
    successor = MunicipalityFactory(name="Sylt", ags="01054168")
    old = MunicipalityFactory(name="Westerland", dissolved_on=datetime.date(2009, 1, 1), successor=successor)
    response = client.post(CHOOSE, {"slug": old.slug})
    assert response["Location"] == successor.get_absolute_url()
    assert client.session[SESSION_KEY] == successor.pk


@pytest.mark.parametrize("slug", ["gibt-es-nicht", "", "not a slug!"])
def test_choose_an_unknown_municipality_is_not_found(client, slug):
    response = client.post(CHOOSE, {"slug": slug})
    assert response.status_code == 404
    assert SESSION_KEY not in client.session


def test_choose_and_forget_only_by_post_with_csrf(places):
    strict = Client(enforce_csrf_checks=True)
    assert strict.get(CHOOSE, {"slug": places.hessen.slug}).status_code == 405
    assert strict.post(CHOOSE, {"slug": places.hessen.slug}).status_code == 403
    assert strict.get(FORGET).status_code == 405
    assert SESSION_KEY not in strict.session


def test_forget_removes_the_choice(client, places):
    client.post(CHOOSE, {"slug": places.hessen.slug})
    response = client.post(FORGET, {"next": "/kommunen/"})
    assert response["Location"] == "/kommunen/"
    assert SESSION_KEY not in client.session
    client.post(CHOOSE, {"slug": places.hessen.slug})
    response = client.post(FORGET, {"next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert SESSION_KEY not in client.session


# --- The header and cached pages -------------------------------------------------------------------------


def header(response):
    html = response.content.decode()
    return html[html.index('<header class="site-header">') : html.index("</header>")]


def test_header_shows_the_choice_with_change_and_forget(client, places):
    assert "Choose my municipality" in header(client.get("/kommunen/"))
    client.post(CHOOSE, {"slug": places.holstein.slug})
    top = header(client.get("/kommunen/?state=01"))
    assert re.search(
        r'<span class="my-municipality__label">My municipality:</span>\s*'
        rf'<a class="my-municipality__name" href="{places.holstein.get_absolute_url()}">'
        r"Neustadt in Holstein</a>",
        top,
    )
    assert 'href="/kommunen/finden/?next=/kommunen/%3Fstate%3D01">change' in top
    assert '<form class="my-municipality__forget" method="post" action="/kommunen/meine/vergessen/">' in top
    assert '<input type="hidden" name="next" value="/kommunen/?state=01">' in top
    assert "Choose my municipality" not in top


def test_find_page_marks_the_chosen_one(client, places):
    client.post(CHOOSE, {"slug": places.holstein.slug})
    html = client.get(FIND, {"q": "Neustadt in"}).content.decode()
    assert '<span class="badge badge-verified">Your municipality</span>' in html
    assert 'name="slug" value="' + places.holstein.slug not in html


def test_cached_profile_never_shows_another_visitors_choice(places):
    first = Client(headers={"Accept-Language": "en"})
    first.post(CHOOSE, {"slug": places.holstein.slug})
    page = first.get(places.hessen.get_absolute_url()).content.decode()  # fills the fragment cache
    assert "Neustadt in Holstein</a>" in page
    second = Client(enforce_csrf_checks=True, headers={"Accept-Language": "en"})
    response = second.get(places.hessen.get_absolute_url())
    html = response.content.decode()
    assert "My municipality" not in header(response)
    assert "Choose my municipality" in header(response)
    # The choose button carries the second visitor's own CSRF token, so it works for them.
    token = re.search(
        r'action="/kommunen/meine/waehlen/">\s*'
        r'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"',
        html,
    ).group(1)
    response = second.post(CHOOSE, {"slug": places.hessen.slug, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert second.session[SESSION_KEY] == places.hessen.pk
    # And now the (cached) profile says it is theirs.
    html = second.get(places.hessen.get_absolute_url()).content.decode()
    assert '<span class="badge badge-verified">Your municipality</span>' in html

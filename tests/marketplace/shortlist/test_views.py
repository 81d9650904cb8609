"""The Merkliste: adding, removing and notes by plain POST and htmx, the header count, isolation, caps."""

import re

import pytest
from django.urls import reverse

from marketplace.shortlist.models import MAX_ENTRIES, Shortlist, ShortlistEntry
from marketplace.shortlist.services import SESSION_KEY
from pilots.models import PilotProject
from solutions.models import Solution
from tests.factories import PilotProjectFactory, SolutionFactory

pytestmark = pytest.mark.django_db

ADD = "/merkliste/hinzufuegen/"
REMOVE = "/merkliste/entfernen/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def _entries(client):
    return list(
        ShortlistEntry.objects.filter(shortlist_id=client.session[SESSION_KEY]).values_list(
            "solution__title", "pilot__title"
        )
    )


def _header_count(response) -> int:
    return int(re.search(r'id="shortlist-count".*?\((\d+)\)', response.content.decode(), re.S).group(1))


def test_urls_have_the_agreed_names_and_paths():
    assert reverse("shortlist:detail") == "/merkliste/"
    assert reverse("shortlist:add") == ADD
    assert reverse("shortlist:shared", kwargs={"signed": "x:y"}) == "/merkliste/geteilt/x:y/"


def test_visiting_creates_no_list(client):
    solution = SolutionFactory()
    assert _header_count(client.get(solution.get_absolute_url())) == 0
    response = client.get("/merkliste/")
    assert "Your shortlist is empty" in response.content.decode()
    assert Shortlist.objects.count() == 0
    assert SESSION_KEY not in client.session


def test_add_by_plain_post_redirects_back_to_next(client):
    solution = SolutionFactory(title="Parkplatz-Sensorik")
    response = client.post(ADD, {"item": f"solution:{solution.pk}", "next": "/loesungen/?q=park"})
    assert response.status_code == 302
    assert response["Location"] == "/loesungen/?q=park"
    assert _entries(client) == [("Parkplatz-Sensorik", None)]
    # Adding twice keeps one entry.
    client.post(ADD, {"item": f"solution:{solution.pk}"})
    assert _entries(client) == [("Parkplatz-Sensorik", None)]


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_add_never_redirects_off_site(client, target):
    solution = SolutionFactory()
    response = client.post(ADD, {"item": f"solution:{solution.pk}", "next": target})
    assert response["Location"] == "/merkliste/"


def test_add_by_htmx_returns_remove_button_and_header_count_out_of_band(client):
    solution = SolutionFactory(title="Carsharing")
    pilot = PilotProjectFactory(title="Smarte Laternen")
    client.post(ADD, {"item": f"pilot:{pilot.pk}"}, **HTMX)
    response = client.post(ADD, {"item": f"solution:{solution.pk}"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="shortlist-solution-{solution.pk}"' in html
    assert 'formaction="/merkliste/entfernen/"' in html
    assert "On the shortlist: remove" in html
    assert re.search(r'id="shortlist-count" href="/merkliste/" hx-swap-oob="true"', html)
    assert _header_count(response) == 2
    assert response["Vary"].count("HX-Request") == 1


def test_remove_by_plain_post_and_htmx(client):
    first, second = SolutionFactory(title="Eins"), SolutionFactory(title="Zwei")
    for solution in (first, second):
        client.post(ADD, {"item": f"solution:{solution.pk}"})
    response = client.post(REMOVE, {"item": f"solution:{first.pk}", "next": first.get_absolute_url()})
    assert response["Location"] == first.get_absolute_url()
    assert _entries(client) == [("Zwei", None)]
    response = client.post(REMOVE, {"item": f"solution:{second.pk}"}, **HTMX)
    assert "Add to shortlist" in response.content.decode()
    assert _header_count(response) == 0
    assert _entries(client) == []


def test_remove_on_the_list_page_by_htmx_returns_the_entries(client):
    first, second = SolutionFactory(title="Eins"), SolutionFactory(title="Zwei")
    for solution in (first, second):
        client.post(ADD, {"item": f"solution:{solution.pk}"})
    response = client.post(REMOVE, {"item": f"solution:{first.pk}", "from": "list"}, **HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="shortlist-entries"')
    assert ">Zwei</a>" in html
    assert ">Eins</a>" not in html
    assert _header_count(response) == 1


def test_header_count_on_pages(client):
    solutions = SolutionFactory.create_batch(3)
    for solution in solutions:
        client.post(ADD, {"item": f"solution:{solution.pk}"})
    assert _header_count(client.get("/")) == 3
    assert _header_count(client.get("/loesungen/")) == 3


def test_detail_pages_show_the_visitors_state(client):
    solution, pilot = SolutionFactory(), PilotProjectFactory()
    client.post(ADD, {"item": f"solution:{solution.pk}"})
    html = client.get(solution.get_absolute_url()).content.decode()
    assert "On the shortlist: remove" in html
    html = client.get(pilot.get_absolute_url()).content.decode()
    assert f'value="pilot:{pilot.pk}"' in html
    assert "On the shortlist: remove" not in html
    # The cached detail body of the solution must not keep this visitor's state for the next one.
    other = client.__class__()
    assert "On the shortlist: remove" not in other.get(solution.get_absolute_url()).content.decode()


def test_catalog_cards_carry_the_add_button(client):
    solution = SolutionFactory(title="Sensorik")
    pilot = PilotProjectFactory()
    html = client.get("/loesungen/").content.decode()
    assert f'form="shortlist-form" name="item" value="solution:{solution.pk}"' in html
    assert 'id="shortlist-form"' in html
    html = client.get("/pilotprojekte/").content.decode()
    assert f'value="pilot:{pilot.pk}"' in html


def test_visitor_b_never_sees_visitor_as_list(client, django_user_model):
    solution = SolutionFactory(title="Geheime Auswahl")
    client.post(ADD, {"item": f"solution:{solution.pk}"})
    other = client.__class__()
    response = other.get("/merkliste/")
    assert "Geheime Auswahl" not in response.content.decode()
    assert _header_count(response) == 0
    # B's removal and notes never reach A's list.
    entry = ShortlistEntry.objects.get()
    other.post(REMOVE, {"item": f"solution:{solution.pk}"})
    assert other.post(f"/merkliste/notiz/{entry.pk}/", {"note": "hijack"}).status_code == 404
    entry.refresh_from_db()
    assert entry.note == ""
    assert _entries(client) == [("Geheime Auswahl", None)]


def test_note_by_plain_post_and_htmx(client):
    solution = SolutionFactory()
    client.post(ADD, {"item": f"solution:{solution.pk}"})
    entry = ShortlistEntry.objects.get()
    response = client.post(f"/merkliste/notiz/{entry.pk}/", {"note": "Mit IT klären"})
    assert response["Location"] == f"/merkliste/#entry-{entry.pk}"
    entry.refresh_from_db()
    assert entry.note == "Mit IT klären"
    response = client.post(f"/merkliste/notiz/{entry.pk}/", {"note": "Angebot anfragen"}, **HTMX)
    html = response.content.decode()
    assert "Note saved." in html
    assert ">Angebot anfragen</textarea>" in html
    entry.refresh_from_db()
    assert entry.note == "Angebot anfragen"


def test_note_over_the_cap_is_refused_with_a_message(client):
    solution = SolutionFactory()
    client.post(ADD, {"item": f"solution:{solution.pk}"})
    entry = ShortlistEntry.objects.get()
    response = client.post(f"/merkliste/notiz/{entry.pk}/", {"note": "x" * 501})
    html = response.content.decode()
    assert response.status_code == 200
    assert "at most 500 characters" in html
    assert 'aria-invalid="true"' in html
    entry.refresh_from_db()
    assert entry.note == ""


@pytest.mark.parametrize("item", ["solution:abc", "car:1", "solution:0", "", "solution:99999999"])
def test_bad_or_unknown_items_give_404(client, item):
    response = client.post(ADD, {"item": item})
    assert response.status_code == 404
    assert Shortlist.objects.count() == 0


def test_unpublished_items_cannot_be_added(client):
    draft = SolutionFactory(status="draft")
    unverified = SolutionFactory(vendor__is_verified=False)
    for solution in (draft, unverified):
        assert client.post(ADD, {"item": f"solution:{solution.pk}"}).status_code == 404
    assert Shortlist.objects.count() == 0


def test_entries_no_longer_published_never_leak(client):
    solution = SolutionFactory(title="Verschwundene Lösung", summary="Geheimer Inhalt")
    pilot = PilotProjectFactory(title="Verschwundenes Pilotprojekt")
    kept = SolutionFactory(title="Bleibt")
    for kind, obj in (("solution", solution), ("pilot", pilot), ("solution", kept)):
        client.post(ADD, {"item": f"{kind}:{obj.pk}"})
    Solution.objects.filter(pk=solution.pk).update(status="archived")
    PilotProject.objects.filter(pk=pilot.pk).update(status="draft")
    html = client.get("/merkliste/").content.decode()
    assert "Verschwundene" not in html
    assert solution.slug not in html
    assert pilot.slug not in html
    assert "This solution is no longer published." in html
    assert "This pilot project is no longer published." in html
    assert ">Bleibt</a>" in html
    # It can still be removed.
    client.post(REMOVE, {"item": f"solution:{solution.pk}"})
    assert len(_entries(client)) == 2


def test_compare_link_for_two_to_four_published_solutions(client):
    solutions = [SolutionFactory(slug=f"s-{n}") for n in range(5)]
    pilot = PilotProjectFactory()
    client.post(ADD, {"item": f"pilot:{pilot.pk}"})
    client.post(ADD, {"item": f"solution:{solutions[0].pk}"})
    assert "/loesungen/vergleich/" not in client.get("/merkliste/").content.decode()
    for solution in solutions[1:4]:
        client.post(ADD, {"item": f"solution:{solution.pk}"})
    html = client.get("/merkliste/").content.decode()
    assert "/loesungen/vergleich/?s=s-0&amp;s=s-1&amp;s=s-2&amp;s=s-3" in html
    client.post(ADD, {"item": f"solution:{solutions[4].pk}"})
    assert "/loesungen/vergleich/" not in client.get("/merkliste/").content.decode()


def test_list_is_capped_with_a_clear_message(client):
    solutions = SolutionFactory.create_batch(MAX_ENTRIES + 1)
    for solution in solutions[:MAX_ENTRIES]:
        client.post(ADD, {"item": f"solution:{solution.pk}"})
    response = client.post(ADD, {"item": f"solution:{solutions[-1].pk}"})
    assert response.status_code == 409
    assert f"Your shortlist is full ({MAX_ENTRIES} entries)" in response.content.decode()
    response = client.post(ADD, {"item": f"solution:{solutions[-1].pk}"}, **HTMX)
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert "Add to shortlist" in response.content.decode()
    assert ShortlistEntry.objects.count() == MAX_ENTRIES


def test_writes_are_rate_limited_per_client(client, settings):
    settings.SHORTLIST_RATE = (3, 600)
    solutions = SolutionFactory.create_batch(4)
    statuses = [client.post(ADD, {"item": f"solution:{s.pk}"}).status_code for s in solutions]
    assert statuses == [302, 302, 302, 429]
    assert ShortlistEntry.objects.count() == 3
    # Another session from the same address is refused as well.
    assert client.__class__().post(REMOVE, {"item": f"solution:{solutions[0].pk}"}).status_code == 429


def test_writes_need_post_and_csrf(client):
    solution = SolutionFactory()
    assert client.get(ADD).status_code == 405
    csrf_client = client.__class__(enforce_csrf_checks=True)
    assert csrf_client.post(ADD, {"item": f"solution:{solution.pk}"}).status_code == 403
    assert Shortlist.objects.count() == 0


@pytest.mark.parametrize("rows", [2, 4])
def test_list_page_query_count_is_locked(client, django_assert_num_queries, rows):
    for n in range(rows):
        kind, obj = ("solution", SolutionFactory()) if n % 2 == 0 else ("pilot", PilotProjectFactory())
        client.post(ADD, {"item": f"{kind}:{obj.pk}"})
    # session, the list, its entries (with vendors, municipalities and published flags), the header count
    with django_assert_num_queries(4):
        response = client.get("/merkliste/")
    assert response.content.decode().count('class="shortlist-entry"') == rows

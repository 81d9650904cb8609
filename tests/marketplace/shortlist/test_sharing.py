"""The signed, read-only share link: no forgery, no other list, noindex; adopting a shared list."""

import pytest
from django.core import signing

from marketplace.shortlist.models import Shortlist, ShortlistEntry
from marketplace.shortlist.services import SESSION_KEY, SHARE_SALT
from tests.factories import SolutionFactory

pytestmark = pytest.mark.django_db

ADD = "/merkliste/hinzufuegen/"


@pytest.fixture
def shared(client):
    solution = SolutionFactory(title="Geteilte Lösung")
    client.post(ADD, {"item": f"solution:{solution.pk}"})
    entry = ShortlistEntry.objects.get()
    client.post(f"/merkliste/notiz/{entry.pk}/", {"note": "Rückruf vereinbart"})
    html = client.get("/merkliste/").content.decode()
    start = html.index("/merkliste/geteilt/")
    url = html[start : html.index('"', start)]
    return {"url": url, "solution": solution, "shortlist": Shortlist.objects.get()}


def test_shared_link_shows_the_list_read_only_to_anyone(client, shared):
    colleague = client.__class__()
    response = colleague.get(shared["url"])
    html = response.content.decode()
    assert response.status_code == 200
    assert ">Geteilte Lösung</a>" in html
    assert "Rückruf vereinbart" in html
    assert "<textarea" not in html
    assert "/merkliste/entfernen/" not in html.split('id="shortlist-entries"')[1]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in html
    # Reading creates nothing for the colleague.
    assert Shortlist.objects.count() == 1
    assert SESSION_KEY not in colleague.session


def test_altered_or_forged_links_give_404(client, shared):
    url = shared["url"]
    signed = url.removeprefix("/merkliste/geteilt/").rstrip("/")
    token, signature = signed.rsplit(":", 1)
    other = Shortlist.objects.create()
    forged = [
        f"{token}x:{signature}",
        f"{token}:{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}",
        f"{other.token}:{signature}",
        token,
        signing.Signer(salt="another.salt").sign(other.token),
        signing.Signer(salt=SHARE_SALT, key="not-our-secret-key-at-all-0123456789").sign(other.token),
    ]
    for candidate in forged:
        response = client.__class__().get(f"/merkliste/geteilt/{candidate}/")
        assert response.status_code == 404, candidate
        assert "Geteilte Lösung" not in response.content.decode()


def test_validly_signed_unknown_token_gives_404(client):
    signed = signing.Signer(salt=SHARE_SALT).sign("no-such-token")
    assert client.get(f"/merkliste/geteilt/{signed}/").status_code == 404


def test_other_lists_link_shows_only_that_list(client, shared):
    colleague = client.__class__()
    other_solution = SolutionFactory(title="Andere Lösung")
    colleague.post(ADD, {"item": f"solution:{other_solution.pk}"})
    html = colleague.get("/merkliste/").content.decode()
    start = html.index("/merkliste/geteilt/")
    other_url = html[start : html.index('"', start)]
    assert other_url != shared["url"]
    html = client.get(other_url).content.decode()
    assert "Andere Lösung" in html
    assert "Geteilte Lösung" not in html


def test_adopting_copies_the_list_into_the_session(client, shared):
    later = client.__class__()  # the owner after the session expired, or a colleague
    assert "Adopt this list" in later.get(shared["url"]).content.decode()
    response = later.post(shared["url"] + "uebernehmen/")
    assert response["Location"] == "/merkliste/"
    copy = Shortlist.objects.get(pk=later.session[SESSION_KEY])
    assert copy != shared["shortlist"]
    assert list(copy.entries.values_list("solution__title", "note")) == [
        ("Geteilte Lösung", "Rückruf vereinbart")
    ]
    # Changes to the copy leave the shared list alone.
    later.post("/merkliste/entfernen/", {"item": f"solution:{shared['solution'].pk}"})
    assert shared["shortlist"].entries.count() == 1
    assert "Geteilte Lösung" in client.get(shared["url"]).content.decode()


def test_adopting_a_forged_link_gives_404(client, shared):
    response = client.__class__().post(shared["url"].replace(":", "x:", 1) + "uebernehmen/")
    assert response.status_code == 404
    assert Shortlist.objects.count() == 1

"""The forgiving search on the global search page, and the detail page's similar solutions by purpose."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import CategoryFactory, MunicipalityFactory, PilotProjectFactory, SolutionFactory

pytestmark = pytest.mark.django_db

SEARCH = "/suche/"


def _group(response, key):
    return next(group for group in response.context["groups"] if group.key == key)


def test_global_search_corrects_typos_and_links_to_the_exact_search(client):
    SolutionFactory(title="Digitaler Bauantrag", summary="Bauanträge online.")
    PilotProjectFactory(title="Bauantrag ohne Papier", summary="Ein Pilot.")
    response = client.get(SEARCH, {"q": "Bauatrag"})
    html = response.content.decode()
    assert [s.title for s in _group(response, "solutions").items] == ["Digitaler Bauantrag"]
    assert [p.title for p in _group(response, "pilots").items] == ["Bauantrag ohne Papier"]
    assert response.context["corrected"] == "Bauantrag"
    assert 'href="/suche/?q=Bauatrag&amp;exact=1"' in html


def test_global_search_exactly_as_typed(client):
    SolutionFactory(title="Digitaler Bauantrag", summary="Bauanträge online.")
    response = client.get(SEARCH, {"q": "Bauatrag", "exact": "1"})
    assert response.context["corrected"] == ""
    assert "search-corrected" not in response.content.decode()


def test_global_search_finds_municipalities_by_postcode_and_key(client):
    MunicipalityFactory(name="Musterhausen", postcode="67433", ags="07316000")
    assert [m.name for m in _group(client.get(SEARCH, {"q": "67433"}), "municipalities").items] == [
        "Musterhausen"
    ]
    assert [m.name for m in _group(client.get(SEARCH, {"q": "07316000"}), "municipalities").items] == [
        "Musterhausen"
    ]


def test_similar_solutions_share_purpose_first(client):
    mobility, health, rooms = CategoryFactory(), CategoryFactory(), CategoryFactory()
    old = timezone.now() - datetime.timedelta(days=300)
    solution = SolutionFactory(
        title="Parkplatz-Sensorik", summary="Sensoren melden freie Parkplätze.", categories=[mobility, rooms]
    )
    same_purpose = [
        SolutionFactory(
            title=f"Parkplatz-Sensoren {n}",
            summary="Freie Parkplätze erkennen.",
            categories=[mobility],
            published_at=old,
        )
        for n in range(3)
    ]
    both_fields = SolutionFactory(
        title="Stellplatzbuchung", summary="Buchen.", categories=[mobility, rooms], published_at=old
    )
    # Newer, but of another purpose: sharing only a field of action, or nothing at all.
    for n in range(4):
        SolutionFactory(title=f"Raumbuchung {n}", summary="Räume buchen.", categories=[rooms])
        SolutionFactory(title=f"Fallmanagement {n}", summary="Gesundheitsamt.", categories=[health])
    response = client.get(solution.get_absolute_url())
    similar = response.context["data"].similar
    assert {s.title for s in similar[:3]} == {s.title for s in same_purpose}
    assert similar[3].title == both_fields.title
    categories = {s.pk: set(s.categories.values_list("pk", flat=True)) for s in similar}
    assert sum(1 for s in similar if categories[s.pk] & {mobility.pk, rooms.pk}) >= 3


@pytest.fixture
def editor(client):
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory

    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Redaktion"))
    client.force_login(user)
    return user


def test_an_editor_adds_a_synonym_in_the_admin_and_the_search_uses_it(client, editor):
    from django.urls import reverse

    from marketplace.catalog.models import SearchSynonym

    SolutionFactory(title="Geodatenportal", summary="Karten der Stadt.")
    response = client.post(
        reverse("admin:marketplace_searchsynonym_add"),
        {"term": "Xylofon", "expansions": "Geodatenportal, Kartendienst"},
    )
    assert response.status_code == 302
    assert SearchSynonym.objects.get(term="Xylofon").expansions == ["Geodatenportal", "Kartendienst"]
    listing = client.get(reverse("admin:marketplace_searchsynonym_changelist"), {"q": "Xylo"})
    assert [s.term for s in listing.context["cl"].result_list] == ["Xylofon"]
    client.logout()
    found = client.get("/loesungen/", {"q": "Xylofon"})
    assert [row.title for row in found.context["rows"]] == ["Geodatenportal"]


def test_exactly_as_typed_is_not_served_from_the_forgiving_search_cache(client):
    SolutionFactory(title="Füllstandssensor", summary="Misst Pegel.")
    forgiving = client.get("/loesungen/", {"q": "Sensor"})
    assert [row.title for row in forgiving.context["rows"]] == ["Füllstandssensor"]
    exact = client.get("/loesungen/", {"q": "Sensor", "exact": "1"})
    assert exact.context["text_search"].mode == "fuzzy"  # the full text as typed found nothing

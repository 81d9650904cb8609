"""Steps a visitor takes, shared by the procurement tests."""

from django.urls import reverse


def choose(client, municipality):
    """Pick "my municipality" the way a visitor does: the choose form of the find page."""
    response = client.post(reverse("municipalities:choose"), {"slug": municipality.slug, "next": "/"})
    assert response.status_code == 302


def add_to_shortlist(client, *solutions):
    for solution in solutions:
        response = client.post(reverse("shortlist:add"), {"item": f"solution:{solution.pk}"})
        assert response.status_code == 302

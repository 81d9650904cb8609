"""The procurement path page: prefilled from the Merkliste and the chosen municipality; answers from data."""

import re

import pytest
from django.urls import reverse

from tests.factories import MunicipalityFactory, SolutionFactory

from .helpers import add_to_shortlist, choose

URL = reverse("procurement:guide")


def procedure(response) -> str:
    match = re.search(r'<strong id="procedure">(.*?)</strong>', response.content.decode())
    return match.group(1) if match else ""


@pytest.fixture
def listed(client):
    solutions = [
        SolutionFactory(
            title="Parken", cost_introduction_eur=20_000, cost_yearly_eur=5_000, price_model="subscription"
        ),
        SolutionFactory(
            title="Zähler",
            cost_introduction_eur=10_000,
            cost_yearly_eur=None,
            price_model="one_off",
            hosting_options=["on_premises"],
        ),
        SolutionFactory(title="Ohne Preis", hosting_options=["on_premises"]),
    ]
    add_to_shortlist(client, *solutions)
    return solutions


@pytest.mark.django_db
def test_guide_from_the_shortlist_estimates_and_answers_for_my_land(client, limits, listed):
    choose(client, MunicipalityFactory(name="Kassel", ags="06611000"))  # Hessen
    response = client.get(URL)
    html = response.content.decode()
    # 20,000 + 4 × 5,000 + 10,000 = 50,000 €: negotiated award in the test table's Hessen (up to 60,000).
    assert response.context["estimate"] == 50_000
    assert response.context["form"]["land"].value() == "HE"
    assert procedure(response) == "Negotiated award (Verhandlungsvergabe)"
    assert "Guidance, not legal advice." in html
    assert "Test-Gesetz HE § 1" in html
    assert "EVB-IT Cloud" in html and "EVB-IT Überlassung" in html and "EVB-IT Dienstleistung" in html
    assert "One solution states no costs and is not in the estimate." in html
    assert 'id="unconfirmed"' not in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"


@pytest.mark.django_db
def test_guide_term_and_value_are_editable(client, limits, listed):
    # Ten years: 20,000 + 50,000 + 10,000 = 80,000 € → restricted tender (60,000 < v <= 120,000).
    response = client.get(URL, {"land": "HE", "years": "10", "day": "2025-06-01"})
    assert response.context["estimate"] == 80_000
    assert procedure(response) == "Restricted tender (Beschränkte Ausschreibung)"
    response = client.get(URL, {"land": "HE", "years": "10", "value": "200000", "day": "2025-06-01"})
    assert procedure(response) == "EU-wide procedure (GWB/VgV)"


@pytest.mark.django_db
def test_guide_standalone_without_shortlist_or_municipality(client, limits):
    response = client.get(URL)
    assert "decision" not in response.context
    assert response.context["form"].is_bound is False
    response = client.get(URL, {"land": "BY", "value": "80000", "day": "2025-06-01"})
    assert procedure(response) == "Direct award (Direktauftrag)"


@pytest.mark.django_db
def test_guide_says_when_a_limit_is_unconfirmed(client, limits):
    response = client.get(URL, {"land": "SN", "value": "300", "day": "2025-06-01"})
    html = response.content.decode()
    assert procedure(response) == "Direct award (Direktauftrag)"
    assert 'id="unconfirmed"' in html
    assert "<strong>unconfirmed</strong>" in html


@pytest.mark.django_db
def test_guide_without_a_limit_in_force_says_so(client, limits):
    response = client.get(URL, {"land": "ST", "value": "1000", "day": "2026-06-01"})
    assert procedure(response) == "Public tender (Öffentliche Ausschreibung)"
    html = response.content.decode()
    assert "No value limit of this Land in force on that day is on record" in html
    # Nothing stored is nothing unconfirmed: the missing limit is named above instead.
    assert 'id="unconfirmed"' not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"land": "XX", "value": "1000"},
        {"land": "HE", "value": "-5"},
        {"land": "HE", "value": "viel"},
        {"land": "HE", "value": "1000", "day": "31.02.2025"},
        {"land": "HE", "value": "1000", "day": "1800-01-01"},
        {"land": "HE", "years": "999", "value": "1000"},
        {"land": "HE"},
    ],
)
def test_guide_bad_input_gives_a_message_not_a_500(client, limits, params):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "decision" not in response.context
    assert "Please correct" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 8])
def test_guide_query_count_does_not_grow_with_the_shortlist(client, limits, django_assert_num_queries, rows):
    add_to_shortlist(client, *[SolutionFactory(cost_yearly_eur=1_000) for _ in range(rows)])
    choose(client, MunicipalityFactory(ags="06611000"))
    # session, the chosen municipality, the shortlist's solutions, the limits, the Land's notes, and the
    # header's shortlist count
    with django_assert_num_queries(6):
        response = client.get(URL, {"land": "HE", "day": "2025-06-01"})
    assert response.context["estimate"] == rows * 4 * 1_000
    assert len(response.context["decision"].land_limits) == 4


@pytest.mark.django_db
def test_shortlist_links_to_the_guide(client, listed):
    html = client.get(reverse("shortlist:detail")).content.decode()
    assert f'href="{URL}"' in html
    assert "Find the procurement path" in html

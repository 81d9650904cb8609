"""The solution detail page in Chromium: accessible, no third-party requests, JSON-LD allowed by the CSP."""

import json

import pytest

from tests.browser.conftest import assert_accessible
from tests.factories import CategoryFactory, MunicipalityFactory, ReferenceFactory, SolutionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_detail_page_is_accessible(page, live_server):
    category = CategoryFactory(slug="mobilitaet", name_de="Mobilität", name_en="Mobility")
    solution = SolutionFactory(
        title="Parkplatz-Sensorik",
        categories=[category],
        description="## Funktionen\n\n- freie Plätze\n- Auslastung",
        cost_introduction_eur=9000,
        is_demo=True,
    )
    ReferenceFactory(solution=solution, municipality=MunicipalityFactory(name="Ulm", ags="08421000"))
    SolutionFactory(title="Parkleitsystem", categories=[category])
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(solution.get_absolute_url())
    assert page.locator("h1").inner_text() == "Parkplatz-Sensorik"
    assert page.locator(".similar .card__title").all_inner_texts() == ["Parkleitsystem"]
    data = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert data["name"] == "Parkplatz-Sensorik"
    assert_accessible(page)
    assert errors == []

"""Open data in Chromium: the catalog's download links follow the filters (with htmx and without JavaScript)
and download exactly the filtered rows."""

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import CategoryFactory, SolutionFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def catalog():
    mobility = CategoryFactory(slug="mobilitaet", name_de="Mobilität", name_en="Mobility")
    SolutionFactory(title="Parksensoren", categories=[mobility])
    SolutionFactory(title="Schulportal")


def _download_rows(page, link) -> list[str]:
    with page.expect_download() as info:
        link.click()
    text = Path(info.value.path()).read_text(encoding="utf-8-sig")
    return sorted(row["title"] for row in csv.DictReader(io.StringIO(text)))


def test_download_links_follow_the_filters_after_an_htmx_update(page, live_server, catalog):
    page.goto("/loesungen/")
    csv_link = page.locator(".catalog-downloads a", has_text="CSV")
    assert _download_rows(page, csv_link) == ["Parksensoren", "Schulportal"]

    page.locator("#catalog-form input[name=category][value=mobilitaet]").check()
    page.wait_for_url(re.compile(r"category=mobilitaet"))
    expect(csv_link).to_have_attribute("href", re.compile(r"category=mobilitaet"))

    assert _download_rows(page, csv_link) == ["Parksensoren"]


def test_download_links_carry_the_filters_without_javascript(page_without_js, live_server, catalog):
    page_without_js.goto("/loesungen/?category=mobilitaet&page=1")

    link = page_without_js.locator(".catalog-downloads a", has_text="JSON")

    assert link.get_attribute("href") == "/daten/loesungen.json?category=mobilitaet"

"""CSV and JSON exports of the catalogs: exactly the rows and values the page shows for the same query (all of
its pages, in its order), nothing unpublished, no contact persons, streamed in chunks."""

import csv
import io
import json

import pytest
from django.core.cache import cache
from django.urls import reverse

from marketplace.csvsafe import restore
from marketplace.opendata import exports
from solutions.models import Solution
from tests.factories import (
    CategoryFactory,
    MunicipalityFactory,
    PilotProjectFactory,
    SolutionFactory,
    VendorFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()  # the rate limit counts in the cache


def _body(response) -> str:
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8")


def _csv(client, dataset, query=None):
    response = client.get(reverse("opendata:export", args=[dataset, "csv"]), query or {})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(f'attachment; filename="{dataset}-')
    return list(csv.DictReader(io.StringIO(_body(response).removeprefix("\ufeff"))))


def _json(client, dataset, query=None):
    response = client.get(reverse("opendata:export", args=[dataset, "json"]), query or {})
    assert response["Content-Type"] == "application/json"
    return json.loads(_body(response))


def _page_titles(client, url_name, query):
    """The titles on every page of a catalog for ``query``, in the page's order."""
    titles, page = [], 1
    while True:
        response = client.get(reverse(url_name), {**query, "page": page})
        rows = response.context["rows"]
        titles += [getattr(row, "title", None) or row.name for row in rows]
        if not response.context["page_obj"].has_next():
            return titles
        page += 1


@pytest.fixture
def catalog():
    mobility = CategoryFactory(slug="mobilitaet", name_de="Mobilität", name_en="Mobility")
    other = CategoryFactory(slug="bildung", name_de="Bildung", name_en="Education")
    solutions = [SolutionFactory(title=f"Parken {n:02d}", categories=[mobility]) for n in range(45)]
    SolutionFactory(title="Schulportal", categories=[other])
    SolutionFactory(title="Entwurf", categories=[mobility], status="draft")
    SolutionFactory(
        title="Ungeprüfter Anbieter", categories=[mobility], vendor=VendorFactory(is_verified=False)
    )
    return {"mobility": mobility, "solutions": solutions}


def test_csv_has_the_rows_of_every_page_of_the_filtered_catalog_in_its_order(client, catalog):
    query = {"category": "mobilitaet", "sort": "name"}

    rows = _csv(client, "loesungen", query)

    assert [row["title"] for row in rows] == _page_titles(client, "solutions:list", query)
    assert len(rows) == 45
    assert {"Entwurf", "Ungeprüfter Anbieter", "Schulportal"}.isdisjoint(row["title"] for row in rows)


def test_json_has_the_same_rows_and_values_as_the_csv(client, catalog):
    query = {"category": "mobilitaet", "q": "Parken"}

    document = _json(client, "loesungen", query)
    rows = _csv(client, "loesungen", query)

    assert document["licence"]["url"] == "https://www.govdata.de/dl-de/by-2-0"
    assert document["source"].endswith(f"{reverse('solutions:list')}?category=mobilitaet&q=Parken")
    assert [row["id"] for row in document["rows"]] == [int(row["id"]) for row in rows]
    first, csv_first = document["rows"][0], rows[0]
    solution = Solution.objects.get(pk=first["id"])
    assert first["title"] == csv_first["title"] == solution.title
    assert first["vendor"] == csv_first["vendor"] == solution.vendor.name
    assert first["fields_of_action"] == ["mobilitaet"]
    assert csv_first["fields_of_action"] == "mobilitaet"
    assert first["hosting"] == ["german_dc"] and csv_first["hosting"] == "german_dc"
    assert first["dpa_available"] is False and csv_first["dpa_available"] == "false"
    assert first["cost_yearly_eur"] is None and csv_first["cost_yearly_eur"] == ""
    assert first["url"].endswith(solution.get_absolute_url())


def test_exports_carry_no_contact_person_and_no_private_address(client):
    SolutionFactory(contact_name="Erika Mustermann", contact_email="erika@vendor.example")

    csv_text = client.get(reverse("opendata:export", args=["loesungen", "csv"]))
    json_text = client.get(reverse("opendata:export", args=["loesungen", "json"]))

    for body in (_body(csv_text), _body(json_text)):
        assert "Mustermann" not in body and "erika@" not in body


def test_a_formula_in_a_title_is_neutralised_in_csv_and_kept_in_json(client):
    SolutionFactory(title="=HYPERLINK(1)")

    [row] = _csv(client, "loesungen")
    document = _json(client, "loesungen")

    assert row["title"] == "'=HYPERLINK(1)" and restore(row["title"]) == "=HYPERLINK(1)"
    assert document["rows"][0]["title"] == "=HYPERLINK(1)"


def test_pilot_and_municipality_exports_follow_their_catalogs(client):
    ulm = MunicipalityFactory(name="Ulm", ags="08421000", population=126_000)
    MunicipalityFactory(name="Kiel", ags="01002000", population=246_000)
    PilotProjectFactory(title="Smarte Parkplätze", lead_municipality=ulm)
    PilotProjectFactory(title="Entwurf", lead_municipality=ulm, status="draft")

    pilots = _csv(client, "pilotprojekte")
    municipalities = _json(client, "kommunen", {"state": "08"})

    assert [row["title"] for row in pilots] == ["Smarte Parkplätze"]
    assert pilots[0]["lead_municipality"] == "Ulm" and pilots[0]["land"] == "08"
    assert [row["name"] for row in municipalities["rows"]] == ["Ulm"]
    assert municipalities["rows"][0]["population"] == 126_000


def test_export_reads_in_chunks_with_a_fixed_number_of_queries_per_chunk(
    client, django_assert_max_num_queries, monkeypatch
):
    monkeypatch.setattr(exports, "CHUNK", 10)
    for _ in range(25):
        SolutionFactory()
    url = reverse("opendata:export", args=["loesungen", "json"])

    # 3 chunks of rows: each reads its keys and then its rows, vendors, fields of action and standards.
    with django_assert_max_num_queries(8 + 3 * 5):
        document = json.loads(_body(client.get(url)))

    assert len(document["rows"]) == 25


def test_unknown_dataset_or_format_is_404_and_bad_filters_are_ignored(client, catalog):
    assert client.get(reverse("opendata:export", args=["geheim", "csv"])).status_code == 404
    assert client.get(reverse("opendata:export", args=["loesungen", "xls"])).status_code == 404

    rows = _csv(client, "loesungen", {"category": "gibt-es-nicht", "page": "x", "sort": "?"})

    assert len(rows) == 46


def test_exports_are_rate_limited_per_client(client, settings):
    settings.OPEN_DATA_EXPORT_RATE = (2, 60)
    url = reverse("opendata:export", args=["pilotprojekte", "csv"])

    statuses = [client.get(url).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_docs_describe_every_column_of_every_dataset():
    from pathlib import Path

    from django.conf import settings

    from marketplace.opendata.datasets import DATASETS

    text = (Path(settings.BASE_DIR) / "docs" / "open-data.md").read_text(encoding="utf-8")
    for dataset in DATASETS.values():
        section = text.split(f"### `{dataset.slug}`", 1)[1].split("\n### ", 1)[0].split("\n## ", 1)[0]
        for column in dataset.columns:
            assert f"| `{column.name}` | {column.type} |" in section, (dataset.slug, column.name)

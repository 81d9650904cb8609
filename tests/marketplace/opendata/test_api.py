"""The read-only API: the catalog filters as parameters (every documented one works), stable keys, paging,
updated_since, conditional requests, CORS, rate limits, and nothing that is not public."""

import json
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from openapi_spec_validator import validate

from solutions.models import Solution
from tests.factories import (
    CategoryFactory,
    MunicipalityFactory,
    ReferenceFactory,
    SolutionFactory,
    StandardFactory,
    VendorFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()  # rate limits and the cached document live in the cache


@pytest.fixture
def rows():
    mobility = CategoryFactory(slug="mobilitaet", name_de="Mobilität", name_en="Mobility")
    ulm = MunicipalityFactory(name="Ulm", ags="08421000", ars="084210000000")
    parking = SolutionFactory(title="Parksensoren", categories=[mobility], standards=[StandardFactory()])
    SolutionFactory(title="Schulportal")
    draft = SolutionFactory(title="Entwurf", status="draft", categories=[mobility])
    ReferenceFactory(solution=parking, municipality=ulm, contact_email="amt@ulm.example")
    ReferenceFactory(solution=draft, municipality=ulm)
    VendorFactory(name="Ohne Angebot")
    return {"parking": parking, "draft": draft, "ulm": ulm}


def _get(client, path, **query):
    response = client.get(path, query)
    return response, (json.loads(response.content) if response.content else None)


def test_the_openapi_document_is_valid_and_names_every_resource(client, rows):
    response, document = _get(client, reverse("api:openapi"))

    validate(document)
    assert response["Access-Control-Allow-Origin"] == "*"
    for name in ("solutions", "vendors", "pilots", "municipalities", "references", "categories", "standards"):
        assert f"/api/v1/{name}/" in document["paths"]


def _example(parameter):
    schema = parameter["schema"]
    if schema["type"] == "array":
        return schema["items"]["enum"][0]
    if "enum" in schema:
        return schema["enum"][0]
    return {
        "integer": "1",
        "boolean": "true",
        "number": "1",
        "string": "2026-01-01T00:00:00Z" if schema.get("format") == "date-time" else "Park",
    }[schema["type"]]


def test_every_documented_parameter_is_accepted_without_warnings(client, rows):
    _response, document = _get(client, reverse("api:openapi"))

    for path, methods in document["paths"].items():
        if "{" in path:
            continue
        for parameter in methods["get"]["parameters"]:
            schema = parameter["schema"]
            if (schema.get("items") or schema).get("enum") == []:
                continue  # no value exists yet (a start year without pilot projects)
            cache.clear()
            response, body = _get(client, path, **{parameter["name"]: _example(parameter)})
            assert response.status_code == 200, (path, parameter["name"], body)
            assert "warnings" not in body, (path, parameter["name"], body["warnings"])


def test_solutions_list_has_the_rows_of_the_catalog_page_for_the_same_filters(client, rows):
    page = client.get(reverse("solutions:list"), {"category": "mobilitaet"})
    _response, body = _get(client, "/api/v1/solutions/", category="mobilitaet")

    assert [row["id"] for row in body["results"]] == [row.pk for row in page.context["rows"]]
    assert body["count"] == 1 and body["results"][0]["title"] == "Parksensoren"
    _response, one = _get(client, f"/api/v1/solutions/{rows['parking'].pk}/")
    assert one == body["results"][0]


def test_paging_links_and_bad_paging_parameters(client):
    for _ in range(5):
        SolutionFactory()

    _response, first = _get(client, "/api/v1/solutions/", page_size=2)
    _response, last = _get(client, "/api/v1/solutions/", page_size=2, page=3)

    assert first["count"] == 5 and len(first["results"]) == 2 and first["previous"] is None
    assert first["next"].endswith("page_size=2&page=2")
    assert len(last["results"]) == 1 and last["next"] is None
    for bad in ({"page_size": 101}, {"page": 0}, {"page": "x"}, {"updated_since": "gestern"}):
        response, body = _get(client, "/api/v1/solutions/", **bad)
        assert response.status_code == 400 and body["status"] == 400 and body["detail"]


def test_updated_since_returns_only_rows_changed_since(client, rows):
    Solution.objects.filter(pk=rows["parking"].pk).update(updated_at=timezone.now() - timedelta(days=10))
    since = (timezone.now() - timedelta(days=1)).isoformat()

    _response, body = _get(client, "/api/v1/solutions/", updated_since=since)

    assert [row["title"] for row in body["results"]] == ["Schulportal"]


def test_nothing_unpublished_and_no_contact_data(client, rows):
    _response, solutions = _get(client, "/api/v1/solutions/", page_size=100)
    _response, references = _get(client, "/api/v1/references/")
    _response, vendors = _get(client, "/api/v1/vendors/")

    assert "Entwurf" not in {row["title"] for row in solutions["results"]}
    assert client.get(f"/api/v1/solutions/{rows['draft'].pk}/").status_code == 404
    assert [row["solution"] for row in references["results"]] == ["Parksensoren"]
    assert "amt@ulm.example" not in json.dumps(references)
    assert "Ohne Angebot" not in {row["name"] for row in vendors["results"]}
    _response, ulm = _get(client, "/api/v1/municipalities/084210000000/")
    assert ulm["name"] == "Ulm"
    assert client.get("/api/v1/municipalities/000000000000/").status_code == 404
    assert client.get("/api/v1/gibt-es-nicht/").status_code == 404


def test_conditional_requests_get_304(client, rows):
    response = client.get("/api/v1/solutions/")
    etag, modified = response["ETag"], response["Last-Modified"]

    assert client.get("/api/v1/solutions/", headers={"If-None-Match": etag}).status_code == 304
    assert client.get("/api/v1/solutions/", headers={"If-Modified-Since": modified}).status_code == 304
    SolutionFactory(title="Neu")
    assert client.get("/api/v1/solutions/", headers={"If-None-Match": etag}).status_code == 200


def test_rate_limit_answers_429_with_a_reason_and_retry_after(client, settings):
    settings.API_RATE = (2, 60)

    statuses = [client.get("/api/v1/categories/").status_code for _ in range(2)]
    response, body = _get(client, "/api/v1/categories/")

    assert statuses == [200, 200]
    assert response.status_code == 429 and response["Retry-After"] == "60"
    assert body["status"] == 429 and "2" in body["detail"]
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("count", [3, 30])
def test_a_page_of_solutions_takes_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    category = CategoryFactory()
    for _ in range(count):
        SolutionFactory(categories=[category], standards=[StandardFactory()])
    client.get("/api/v1/solutions/")  # builds the facet index and caches, like any earlier request
    cache.delete_many([])

    with django_assert_num_queries(7):
        response = client.get("/api/v1/solutions/", {"page_size": 100, "sort": "name"})

    assert len(json.loads(response.content)["results"]) == count

"""Every procurement page answers HEAD like GET and names its methods in a 405 (as tests/marketplace/
test_methods.py checks for the pages in its table); the declaration is POST only."""

import pytest
from django.urls import reverse

from marketplace.procurement.services import confirm_token, declare_interest
from tests.factories import MunicipalityFactory, SolutionFactory

FOREIGN = ("PUT", "PATCH", "DELETE", "TRACE", "OPTIONS")


@pytest.fixture
def urls(db):
    solution = SolutionFactory()
    interest = declare_interest(solution=solution, municipality=MunicipalityFactory(), email="a@b.example")
    return {
        "guide": (reverse("procurement:guide"), "GET, HEAD"),
        "sent": (reverse("procurement:interest_sent", args=[solution.slug]), "GET, HEAD"),
        "confirmed": (reverse("procurement:interest_confirmed", args=[solution.slug]), "GET, HEAD"),
        "confirm": (reverse("procurement:confirm", args=[confirm_token(interest)]), "GET, HEAD, POST"),
        "interest": (reverse("procurement:interest", args=[solution.slug]), "POST"),
    }


@pytest.mark.parametrize("page", ["guide", "sent", "confirmed", "confirm", "interest"])
def test_methods_of_procurement_pages(client, urls, page):
    url, allowed = urls[page]
    answers = {method: client.generic(method, url) for method in ("GET", "HEAD", *FOREIGN)}
    refused = {m: (r.status_code, r.headers.get("Allow")) for m, r in answers.items() if r.status_code == 405}
    if allowed == "POST":
        assert refused == dict.fromkeys(answers, (405, "POST"))
        return
    assert refused == dict.fromkeys(FOREIGN, (405, allowed))
    get, head = answers["GET"], answers["HEAD"]
    assert (get.status_code, head.status_code, head.content) == (200, 200, b"")
    assert head.headers["Content-Length"] == str(len(get.content))

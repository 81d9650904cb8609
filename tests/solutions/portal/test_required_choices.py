"""A new listing starts without pre-chosen answers for the facts the vendor must decide: data location,
maturity, price model and hosting. A draft may leave them open; submitting needs them."""

import re

import pytest
from django.urls import reverse

from marketplace.choices import EditorialStatus
from solutions import publiccode, services
from solutions.models import Solution, SolutionRevision
from solutions.portal.forms import SolutionForm
from tests.factories import SolutionFactory

from .conftest import form_data

pytestmark = pytest.mark.django_db

DECIDED_BY_THE_VENDOR = ["maturity", "data_location", "price_model"]


def _select(html: str, name: str) -> str:
    return re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.DOTALL).group(1)


def test_a_new_listing_has_no_default_for_facts_the_vendor_decides():
    solution = Solution()
    assert (solution.maturity, solution.data_location, solution.price_model) == ("", "", "")
    assert solution.hosting_options == []


def test_the_new_listing_form_preselects_no_answer(client, owner, vendor):
    client.force_login(owner)
    html = client.get(reverse("vendor:solution_create")).content.decode()
    for name in DECIDED_BY_THE_VENDOR:
        options = _select(html, name)
        # The first option is the empty "please choose" one, and it is the selected one.
        assert re.match(r'\s*<option value="" selected>– please choose –</option>', options), name
        assert options.count("selected") == 1, name
    assert not re.search(r'<input type="checkbox" name="hosting_options"[^>]*checked', html)


def test_a_draft_may_leave_them_open_but_submitting_needs_them(client, owner, vendor, category):
    client.force_login(owner)
    data = form_data(
        Solution(
            title="Mängelmelder",
            summary="Bürger melden Schäden.",
            description="Meldungen mit Foto.",
            contact_email="info@example.org",
            size_classes=["kleinstadt"],
        ),
        categories=[str(category.pk)],
    )
    response = client.post(reverse("vendor:solution_create"), data)
    assert response.status_code == 302
    solution = Solution.objects.get(title="Mängelmelder")
    assert (solution.maturity, solution.data_location, solution.price_model) == ("", "", "")
    assert services.missing_for_submission(solution) == [
        "maturity",
        "hosting_options",
        "data_location",
        "price_model",
    ]

    overview = client.get(reverse("vendor:solution", kwargs={"pk": solution.pk})).content.decode()
    edit_url = reverse("vendor:solution_edit", kwargs={"pk": solution.pk})
    for anchor in ["id_maturity", "id_hosting_options", "id_data_location", "id_price_model"]:
        assert f'href="{edit_url}#{anchor}"' in overview

    response = client.post(reverse("vendor:solution_submit", kwargs={"pk": solution.pk}), follow=True)
    messages = [str(message) for message in response.context["messages"]]
    assert "Missing: maturity" in messages
    assert "Missing: hosting" in messages
    assert "Missing: where data is stored" in messages
    assert "Missing: price model" in messages
    solution.refresh_from_db()
    assert solution.status == EditorialStatus.DRAFT

    client.post(
        reverse("vendor:solution_edit", kwargs={"pk": solution.pk}),
        form_data(
            solution,
            categories=[str(category.pk)],
            maturity="production",
            hosting_options=["german_dc"],
            data_location="de",
            price_model="subscription",
        ),
    )
    client.post(reverse("vendor:solution_submit", kwargs={"pk": solution.pk}))
    solution.refresh_from_db()
    assert solution.status == EditorialStatus.SUBMITTED


def test_existing_values_are_shown_selected(client, owner, draft):
    Solution.objects.filter(pk=draft.pk).update(
        maturity="widespread", data_location="eu", price_model="usage"
    )
    client.force_login(owner)
    html = client.get(reverse("vendor:solution_edit", kwargs={"pk": draft.pk})).content.decode()
    assert '<option value="widespread" selected>' in _select(html, "maturity")
    assert '<option value="eu" selected>' in _select(html, "data_location")
    assert '<option value="usage" selected>' in _select(html, "price_model")


def test_changes_to_a_published_listing_cannot_empty_what_submitting_needs(client, owner, published):
    """A revision becomes the public listing when accepted, so it must be as complete as a submission."""
    client.force_login(owner)
    response = client.post(
        reverse("vendor:solution_edit", kwargs={"pk": published.pk}),
        form_data(published, maturity="", hosting_options=[], summary=""),
    )
    assert response.status_code == 200
    assert sorted(response.context["form"].errors) == ["hosting_options", "maturity", "summary"]
    assert not SolutionRevision.objects.filter(solution=published).exists()


def test_draft_form_does_not_require_them(draft):
    form = SolutionForm(form_data(draft, maturity="", data_location="", price_model="", hosting_options=[]))
    assert form.errors == {}


def test_publiccode_import_leaves_the_vendors_decisions_open():
    from .test_publiccode import VALID

    result = publiccode.parse(VALID)
    assert result.errors == []
    values = result.form_data()
    for name in [*DECIDED_BY_THE_VENDOR, "hosting_options"]:
        assert not values.get(name), name


def test_published_listing_without_a_maturity_shows_no_empty_badge(client):
    """Published listings have these values (submitting needs them); rows from before are shown sensibly."""
    solution = SolutionFactory(title="Altbestand", maturity="", data_location="", price_model="")
    html = client.get(reverse("solutions:list")).content.decode()
    assert "Altbestand" in html
    assert '<li class="badge badge-status"></li>' not in html
    detail = client.get(solution.get_absolute_url()).content.decode()
    assert '<li class="badge badge-status"></li>' not in detail
    assert "<dd></dd>" not in detail

"""References: find the municipality (search field + select, works without JavaScript); proposals stay
unverified."""

import pytest
from django.core import mail
from django.urls import reverse

from pilots.models import Reference, ReferenceProposal
from tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def towns():
    return [
        MunicipalityFactory(name="Ulm", ags="08421000"),
        MunicipalityFactory(name="Neu-Ulm", ags="09775147"),
        MunicipalityFactory(name="Bonn", ags="05314000"),
    ]


def test_search_fills_the_select(client, owner, draft, towns):
    client.force_login(owner)
    response = client.get(reverse("vendor:references", kwargs={"pk": draft.pk}), {"municipality_q": "ulm"})
    choices = [label for value, label in response.context["form"].fields["municipality"].choices if value]
    assert [label.split(" (")[0] for label in choices] == ["Neu-Ulm", "Ulm"]
    assert "2 municipalities found." in response.content.decode()


def test_search_by_official_key(client, owner, draft, towns):
    client.force_login(owner)
    response = client.get(reverse("vendor:references", kwargs={"pk": draft.pk}), {"municipality_q": "05314"})
    assert [m.name for m in response.context["form"].fields["municipality"].queryset] == ["Bonn"]


def test_htmx_search_returns_only_the_select(client, owner, draft, towns):
    client.force_login(owner)
    response = client.get(
        reverse("vendor:references", kwargs={"pk": draft.pk}),
        {"municipality_q": "bonn"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div class="field')
    assert "<html" not in html
    assert "Bonn" in html
    assert response["Vary"].endswith("HX-Request") or "HX-Request" in response["Vary"]


def test_proposed_reference_waits_for_the_editors_and_tells_them(client, owner, draft, towns):
    client.force_login(owner)
    response = client.post(
        reverse("vendor:references", kwargs={"pk": draft.pk}),
        {"municipality": towns[2].pk, "since_year": "2023", "statement": "Im Einsatz.", "is_verified": "on"},
    )
    assert response["Location"] == reverse("vendor:references", kwargs={"pk": draft.pk})
    # Nothing public yet: a proposal, not a reference.
    assert not Reference.objects.exists()
    proposal = ReferenceProposal.objects.get()
    assert (proposal.municipality, proposal.since_year, proposal.status, proposal.proposed_by) == (
        towns[2],
        2023,
        ReferenceProposal.Status.PENDING,
        owner,
    )
    assert mail.outbox[-1].to == ["redaktion@example.org"]


def test_invalid_reference_keeps_the_chosen_municipality(client, owner, draft, towns):
    client.force_login(owner)
    response = client.post(
        reverse("vendor:references", kwargs={"pk": draft.pk}),
        {"municipality": towns[0].pk, "since_year": "1800", "statement": "Seit langem."},
    )
    assert list(response.context["form"].errors) == ["since_year"]
    html = response.content.decode()
    assert f'value="{towns[0].pk}" selected' in html
    assert "Seit langem.</textarea>" in html
    assert not Reference.objects.exists()


def test_duplicate_reference_is_refused(client, owner, draft, towns):
    Reference.objects.create(solution=draft, municipality=towns[0])
    client.force_login(owner)
    response = client.post(
        reverse("vendor:references", kwargs={"pk": draft.pk}), {"municipality": towns[0].pk}
    )
    assert response.context["form"].errors["municipality"] == [
        "This municipality is already listed as a reference."
    ]


@pytest.mark.parametrize("rows", [1, 50])
def test_references_page_query_count_is_fixed(client, django_assert_num_queries, owner, draft, rows):
    for index in range(rows):
        Reference.objects.create(solution=draft, municipality=MunicipalityFactory(name=f"Ort {index}"))
    client.force_login(owner)
    # session, user, solution, search results, select options, references with municipalities
    with django_assert_num_queries(7):
        response = client.get(
            reverse("vendor:references", kwargs={"pk": draft.pk}), {"municipality_q": "Ort"}
        )
    assert len(response.context["references"]) == rows

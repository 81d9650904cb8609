"""Query counts of the portal pages do not grow with the number of rows."""

import pytest
from django.urls import reverse

from pilots.models import Reference
from solutions.models import SolutionDocument, VendorMembership
from tests.factories import MunicipalityFactory, UserFactory, VendorMembershipFactory

pytestmark = pytest.mark.django_db


def _documents(solution, rows):
    for index in range(rows):
        document = SolutionDocument(solution=solution, title=f"Dokument {index}", size=10)
        document.file.name = f"documents/{index}.pdf"
        document.save()


@pytest.mark.parametrize("rows", [1, 50])
def test_listing_overview(client, django_assert_num_queries, owner, draft, rows):
    _documents(draft, rows)
    for index in range(rows):
        Reference.objects.create(solution=draft, municipality=MunicipalityFactory(name=f"Ort {index}"))
    client.force_login(owner)
    # session, user, solution, pending revision, categories (missing fields), documents,
    # references with municipalities, e-mail verification
    with django_assert_num_queries(9):
        response = client.get(reverse("vendor:solution", kwargs={"pk": draft.pk}))
    assert len(response.context["documents"]) == rows


@pytest.mark.parametrize("rows", [1, 50])
def test_documents_page(client, django_assert_num_queries, owner, draft, rows):
    _documents(draft, rows)
    client.force_login(owner)
    with django_assert_num_queries(4):
        response = client.get(reverse("vendor:documents", kwargs={"pk": draft.pk}))
    assert len(response.context["documents"]) == rows


@pytest.mark.parametrize("rows", [1, 50])
def test_organisation_page(client, django_assert_num_queries, owner, vendor, rows):
    for _index in range(rows):
        VendorMembershipFactory(vendor=vendor, user=UserFactory(), role=VendorMembership.Role.EDITOR)
    client.force_login(owner)
    # session, user, membership with organisation, members with users, open join requests
    with django_assert_num_queries(5):
        response = client.get(reverse("vendor:organisation", kwargs={"pk": vendor.pk}))
    assert len(response.context["members"]) == rows + 1


@pytest.mark.parametrize("name", ["vendor:organisation_edit", "vendor:organisation_logo"])
def test_organisation_form_pages(client, django_assert_num_queries, owner, vendor, name):
    client.force_login(owner)
    with django_assert_num_queries(3):
        client.get(reverse(name, kwargs={"pk": vendor.pk}))

"""Creating an organisation, asking to join and deciding on requests."""

import pytest
from django.core import mail
from django.urls import reverse

from solutions.models import JoinRequest, Vendor, VendorMembership
from tests.factories import UserFactory

from .conftest import make_verified

pytestmark = pytest.mark.django_db


def test_verified_user_creates_an_unverified_organisation_and_becomes_its_admin(client, owner):
    client.force_login(owner)
    response = client.post(
        reverse("vendor:organisation_create"),
        {
            "name": "Stadtwerk Digital GmbH",
            "kind": "municipal_it",
            "city": "Halle",
            "website": "https://example.org",
        },
    )
    assert response["Location"] == reverse("vendor:dashboard")
    vendor = Vendor.objects.get()
    assert (vendor.name, vendor.slug, vendor.is_verified) == (
        "Stadtwerk Digital GmbH",
        "stadtwerk-digital-gmbh",
        False,
    )
    assert vendor.memberships.get().user == owner
    assert vendor.memberships.get().role == VendorMembership.Role.ADMIN
    assert [m.to for m in mail.outbox] == [["redaktion@example.org"]]


def test_invalid_organisation_keeps_the_values(client, owner):
    client.force_login(owner)
    response = client.post(
        reverse("vendor:organisation_create"), {"name": "Firma", "kind": "company", "website": "kein link"}
    )
    assert list(response.context["form"].errors) == ["website"]
    assert 'value="Firma"' in response.content.decode()
    assert not Vendor.objects.exists()


def test_join_request_is_approved_by_an_admin(client, owner, vendor):
    applicant = make_verified(UserFactory(username="neu@example.org", email="neu@example.org"))
    client.force_login(applicant)
    search = client.get(reverse("vendor:organisation_join"), {"q": "eigene"})
    assert "Eigene GmbH" in search.content.decode()
    client.post(reverse("vendor:organisation_join"), {"vendor": vendor.pk, "message": "Ich bin neu im Team."})
    join_request = JoinRequest.objects.get()
    assert (join_request.user, join_request.status) == (applicant, JoinRequest.Status.PENDING)
    assert mail.outbox[-1].to == ["owner@example.org"]

    client.force_login(owner)
    page = client.get(reverse("vendor:organisation", kwargs={"pk": vendor.pk})).content.decode()
    assert "Ich bin neu im Team." in page
    client.post(
        reverse("vendor:join_request_decide", kwargs={"pk": join_request.pk}), {"decision": "approve"}
    )
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.APPROVED
    assert vendor.memberships.get(user=applicant).role == VendorMembership.Role.EDITOR
    assert mail.outbox[-1].to == ["neu@example.org"]


def test_declined_join_request_adds_no_member(client, owner, vendor):
    applicant = make_verified(UserFactory())
    join_request = JoinRequest.objects.create(vendor=vendor, user=applicant)
    client.force_login(owner)
    client.post(
        reverse("vendor:join_request_decide", kwargs={"pk": join_request.pk}), {"decision": "decline"}
    )
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.DECLINED
    assert not vendor.memberships.filter(user=applicant).exists()


def test_invalid_decision_changes_nothing(client, owner, vendor):
    join_request = JoinRequest.objects.create(vendor=vendor, user=make_verified(UserFactory()))
    client.force_login(owner)
    client.post(reverse("vendor:join_request_decide", kwargs={"pk": join_request.pk}), {"decision": "maybe"})
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.PENDING


def test_admin_promotes_an_editor(client, owner, editor_member, vendor):
    client.force_login(owner)
    membership = vendor.memberships.get(user=editor_member)
    client.post(reverse("vendor:member_role", kwargs={"pk": membership.pk}), {"role": "admin"})
    membership.refresh_from_db()
    assert membership.role == VendorMembership.Role.ADMIN


def test_organisation_search_with_one_letter_finds_nothing(client, owner, vendor):
    client.force_login(owner)
    response = client.get(reverse("vendor:organisation_join"), {"q": "e"})
    assert list(response.context["results"]) == []

"""The editors keep the value limits in the admin; the joint-buying declarations are theirs to read only."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from marketplace.procurement.models import JointBuyingInterest, ValueLimit
from marketplace.procurement.services import declare_interest
from tests.factories import MunicipalityFactory, SolutionFactory, UserFactory


@pytest.fixture
def editor(client):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Redaktion"))
    client.force_login(user)
    return user


@pytest.mark.django_db
def test_editor_adds_and_changes_a_value_limit(client, editor, limits):
    response = client.get(reverse("admin:procurement_valuelimit_changelist"), {"land__exact": "HE"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 5
    data = {
        "land": "HB",
        "procedure": "direktauftrag",
        "max_value_eur": "3000",
        "valid_from": "2026-01-01",
        "valid_until": "",
        "legal_source": "Bremisches Gesetz",
        "source_url": "https://example.org/hb",
        "confirmed": "on",
        "note": "",
    }
    response = client.post(reverse("admin:procurement_valuelimit_add"), data)
    assert response.status_code == 302
    row = ValueLimit.objects.get(land="HB")
    assert (row.max_value_eur, row.confirmed) == (3000, True)
    # An end before the start is refused by the database constraint, shown as a form error.
    data.update(valid_until="2025-01-01")
    response = client.post(reverse("admin:procurement_valuelimit_change", args=[row.pk]), data)
    assert response.status_code == 200
    row.refresh_from_db()
    assert row.valid_until is None


@pytest.mark.django_db
def test_editor_reads_declarations_but_cannot_add_or_change_them(client, editor):
    interest = declare_interest(
        solution=SolutionFactory(), municipality=MunicipalityFactory(), email="it@stadt.example"
    )
    changelist = client.get(reverse("admin:procurement_jointbuyinginterest_changelist"))
    assert "it@stadt.example" in changelist.content.decode()
    assert client.get(reverse("admin:procurement_jointbuyinginterest_add")).status_code == 403
    change = reverse("admin:procurement_jointbuyinginterest_change", args=[interest.pk])
    client.post(change, {"email": "other@example.org"})
    assert JointBuyingInterest.objects.get().email == "it@stadt.example"

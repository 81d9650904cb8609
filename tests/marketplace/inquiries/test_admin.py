"""Editors see every request and answer in the admin; nobody adds or changes them there."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.marketplace.inquiries.factories import AnswerFactory, InquiryFactory, RecipientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, settings):
    settings.ADMIN_REQUIRE_OTP = False
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def test_editors_see_every_request_with_its_vendors_and_answers(client, editor, vendors):
    inquiry = InquiryFactory(municipality_name="Musterstadt", confirmed_at=None)
    recipient = RecipientFactory(inquiry=inquiry, vendor=vendors["a"], solutions=[vendors["a"].solution])
    AnswerFactory(recipient=recipient, text="Antwort von Alpha")
    InquiryFactory(municipality_name="Anderswo")

    listing = client.get(reverse("admin:inquiries_inquiry_changelist")).content.decode()
    detail = client.get(reverse("admin:inquiries_inquiry_change", args=[inquiry.pk])).content.decode()
    answers = client.get(reverse("admin:inquiries_answer_changelist")).content.decode()

    assert "Musterstadt" in listing and "Anderswo" in listing
    assert "Alpha GmbH" in detail and "Antwort von Alpha" in detail and "Lösung Alpha GmbH" in detail
    assert "Alpha GmbH" in answers


def test_the_admin_adds_and_changes_nothing(client, editor):
    inquiry = InquiryFactory()

    assert client.get(reverse("admin:inquiries_inquiry_add")).status_code == 403
    response = client.post(
        reverse("admin:inquiries_inquiry_change", args=[inquiry.pk]), {"municipality_name": "Geändert"}
    )
    assert response.status_code == 403
    inquiry.refresh_from_db()
    assert inquiry.municipality_name != "Geändert"


def test_vendor_accounts_do_not_reach_the_admin(client, vendors):
    client.force_login(vendors["a"].admin_user)

    response = client.get(reverse("admin:inquiries_inquiry_changelist"))

    assert response.status_code == 302

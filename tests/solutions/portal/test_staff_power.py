"""Staff rights need the second factor, whichever login page was used: without it staff are vendors."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from solutions.models import SolutionDocument
from tests.factories import UserFactory, VendorFactory

from .conftest import image_bytes, read_file_response

pytestmark = pytest.mark.django_db

STAFF_PASSWORD = "correct-horse-battery"  # the factory's password
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _otp_on(settings):
    settings.ADMIN_REQUIRE_OTP = True


@pytest.fixture
def staff():
    return UserFactory(
        username="redaktion@example.org", email="redaktion@example.org", is_staff=True, is_superuser=True
    )


@pytest.fixture
def hidden_files(draft):
    """An unpublished listing's logo and document, and the logo of an organisation nobody verified yet."""
    draft.logo.save("entwurf.png", ContentFile(image_bytes()))
    document = SolutionDocument.objects.create(
        solution=draft, title="Datenblatt", file=ContentFile(PDF, name="datenblatt.pdf"), size=len(PDF)
    )
    unverified = VendorFactory(name="Neue GmbH", is_verified=False)
    unverified.logo.save("neu.png", ContentFile(image_bytes()))
    return [
        reverse("vendor:solution_logo_file", kwargs={"pk": draft.pk}),
        reverse("vendor:document_download", kwargs={"pk": document.pk}),
        reverse("vendor:organisation_logo_file", kwargs={"pk": unverified.pk}),
    ]


def _statuses(client, urls) -> list[int]:
    statuses = []
    for url in urls:
        response = client.get(url)
        if response.status_code == 200:
            read_file_response(response)
        statuses.append(response.status_code)
    return statuses


def _vendor_login(client, user):
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": STAFF_PASSWORD})
    assert response["Location"] == reverse("vendor:dashboard")


def _admin_login_with_code(client, user):
    device = TOTPDevice.objects.create(user=user, name="App", confirmed=True)
    response = client.post(
        reverse("admin:login"),
        {
            "username": user.username,
            "password": STAFF_PASSWORD,
            "otp_device": device.persistent_id,
            "otp_token": f"{totp(device.bin_key):06d}",
            "next": reverse("admin:index"),
        },
    )
    assert response["Location"] == reverse("admin:index")


def test_staff_logged_in_at_the_vendor_login_see_no_hidden_files(client, staff, hidden_files):
    _vendor_login(client, staff)

    assert _statuses(client, hidden_files) == [404, 404, 404]


def test_staff_logged_in_at_the_vendor_login_do_not_enter_the_admin(client, staff):
    _vendor_login(client, staff)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_with_the_second_factor_see_hidden_files(client, staff, hidden_files):
    _admin_login_with_code(client, staff)

    assert _statuses(client, hidden_files) == [200, 200, 200]
    assert client.get(reverse("admin:index")).status_code == 200


def test_without_the_requirement_the_password_gives_staff_their_rights(client, staff, hidden_files, settings):
    settings.ADMIN_REQUIRE_OTP = False
    _vendor_login(client, staff)

    assert _statuses(client, hidden_files) == [200, 200, 200]


def test_members_keep_their_own_files_and_outsiders_see_none(client, owner, outsider, hidden_files):
    client.force_login(owner)
    assert _statuses(client, hidden_files[:2]) == [200, 200]
    client.force_login(outsider)
    assert _statuses(client, hidden_files) == [404, 404, 404]
    client.logout()
    assert _statuses(client, hidden_files) == [404, 404, 404]

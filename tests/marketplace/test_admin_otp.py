"""Editor security: a second factor (TOTP) for the admin when ADMIN_REQUIRE_OTP is on (default: DEBUG off)."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from marketplace.admin_site import EditorAdminSite, otp_required
from tests.factories import UserFactory, VendorMembershipFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _otp_on(settings):
    settings.ADMIN_REQUIRE_OTP = True
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def staff():
    return UserFactory(username="redakteurin", is_staff=True, is_superuser=True)


def login(client, username, *, token="", device=None):
    return client.post(
        reverse("admin:login"),
        {
            "username": username,
            "password": PASSWORD,
            "otp_device": device.persistent_id if device else "",
            "otp_token": token,
            "next": reverse("admin:index"),
        },
    )


def test_the_admin_site_is_the_otp_site():
    from django.contrib import admin

    assert isinstance(admin.site, EditorAdminSite)
    assert admin.site.name == "admin"


def test_otp_is_required_by_default_when_debug_is_off(settings):
    del settings.ADMIN_REQUIRE_OTP
    settings.DEBUG = False
    assert otp_required()
    settings.DEBUG = True
    assert not otp_required()


def test_password_alone_does_not_open_the_admin(client, staff):
    client.force_login(staff)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    login_page = client.get(reverse("admin:login")).content.decode()
    assert 'name="otp_token"' in login_page


def test_password_and_a_wrong_code_are_refused(client, staff):
    device = TOTPDevice.objects.create(user=staff, name="App", confirmed=True)

    wrong = (totp(device.bin_key) + 500_000) % 1_000_000

    response = login(client, staff.username, token=f"{wrong:06d}", device=device)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert client.get(reverse("admin:index")).status_code == 302


def test_password_and_the_current_code_open_the_admin(client, staff):
    device = TOTPDevice.objects.create(user=staff, name="App", confirmed=True)

    response = login(client, staff.username, token=f"{totp(device.bin_key):06d}", device=device)

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    assert index.context["user"] == staff


def test_without_the_requirement_staff_enter_with_the_password(client, staff, settings):
    settings.ADMIN_REQUIRE_OTP = False
    client.force_login(staff)

    assert client.get(reverse("admin:index")).status_code == 200
    client.logout()
    login_page = client.get(reverse("admin:login")).content.decode()
    assert 'name="password"' in login_page
    assert 'name="otp_token"' not in login_page


@pytest.mark.parametrize("require_otp", [True, False])
def test_vendor_accounts_never_enter_the_admin(client, settings, require_otp):
    settings.ADMIN_REQUIRE_OTP = require_otp
    vendor_user = VendorMembershipFactory().user
    client.force_login(vendor_user)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    client.logout()
    refused = login(client, vendor_user.username)
    assert refused.status_code == 200
    assert refused.context["form"].errors


def test_anonymous_gets_the_login_page(client):
    response = client.get(reverse("admin:marketplace_enquiry_changelist"))
    assert response["Location"].startswith(reverse("admin:login"))


def test_add_totp_enrols_a_device_and_prints_the_uri(staff):
    out = io.StringIO()

    call_command("add_totp", staff.username, stdout=out)

    device = TOTPDevice.objects.get(user=staff)
    assert device.confirmed
    text = out.getvalue()
    assert re.search(r"otpauth://totp/[^\s]*redakteurin\?secret=[A-Z2-7]+", text)
    secret = re.search(r"Secret: ([A-Z2-7]+)", text).group(1)
    assert f"secret={secret}" in text


def test_add_totp_refuses_accounts_that_are_not_staff():
    vendor_user = VendorMembershipFactory().user

    with pytest.raises(CommandError, match="not an active staff user"):
        call_command("add_totp", vendor_user.username, stdout=io.StringIO())
    assert not TOTPDevice.objects.exists()

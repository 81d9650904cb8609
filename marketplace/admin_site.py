"""The editors' admin site: a second factor (django-otp, TOTP) whenever settings.ADMIN_REQUIRE_OTP is on.

ADMIN_REQUIRE_OTP defaults to "DEBUG is off", so production always asks for the code from the
authenticator app and development does not. The setting is read per request, so tests can switch it.
"""

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


def otp_required() -> bool:
    return bool(getattr(settings, "ADMIN_REQUIRE_OTP", not settings.DEBUG))


class EditorAdminSite(OTPAdminSite):
    site_header = _("Smart-City-Marktplatz – editorial office")
    site_title = _("Smart-City-Marktplatz editorial office")
    index_title = _("Editorial office")

    # Keep Django's instance name so every `admin:` URL name stays as it is.
    def __init__(self, name="admin"):
        super().__init__(name)

    @property
    def login_form(self):
        return OTPAdminAuthenticationForm if otp_required() else AdminAuthenticationForm

    @property
    def login_template(self):
        return "otp/admin111/login.html" if otp_required() else None

    def has_permission(self, request):
        """Active staff only (vendor accounts are never staff), verified by a TOTP device when required.

        Vendor sign-up never sets is_staff; editors get it from an administrator together with the
        "Redaktion" group.
        """
        if not (request.user.is_active and request.user.is_staff):
            return False
        return not otp_required() or request.user.is_verified()

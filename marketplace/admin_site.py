"""The editors' admin site: a second factor (django-otp, TOTP) whenever settings.ADMIN_REQUIRE_OTP is on.

ADMIN_REQUIRE_OTP defaults to "DEBUG is off", so production always asks for the code from the
authenticator app and development does not. The setting is read per request, so tests can switch it.
"""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django.views.decorators.cache import never_cache
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite

from solutions.portal.access import has_staff_power, second_factor_required

# Texts of Django 6.1 itself that its German catalogue does not translate yet (the action button, the
# empty choice of every select, the search and pagination headings, the date filter). Named here so that
# makemessages keeps them in the project's catalogue, which Django reads before its own (LOCALE_PATHS):
# the editors see "Ausführen", not "Run".
DJANGO_TEXTS_WITHOUT_GERMAN = (
    gettext_noop("Run"),
    gettext_noop("- Select an option -"),
    gettext_noop("Search %(name)s"),
    gettext_noop("Filter by %(field_name)s"),
    gettext_noop("Pagination %(name)s"),
    gettext_noop("Pagination %(name)s entries"),
    gettext_noop("Logout"),
)


def otp_required() -> bool:
    return second_factor_required()


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

    @method_decorator(never_cache)
    def login(self, request, extra_context=None):
        # Django sends a signed-in editor on from the login page only on GET; HEAD must answer as GET does.
        if request.method == "HEAD" and self.has_permission(request):
            from django.contrib.auth.views import LoginView  # imports models: not at app loading time

            return HttpResponseRedirect(
                LoginView().get_redirect_url(request) or reverse("admin:index", current_app=self.name)
            )
        return super().login(request, extra_context)

    def has_permission(self, request):
        """Active staff only (vendor accounts are never staff), verified by a TOTP device when required.

        The same rule as every other place where staff have more rights (access.has_staff_power). Vendor
        sign-up never sets is_staff; editors get it from an administrator with the "Redaktion" group.
        """
        return has_staff_power(request.user)

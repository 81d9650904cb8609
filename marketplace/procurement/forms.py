"""The guidance form (GET) and the joint-buying declaration (POST).

The declaration's spam protection stays on this server: a honeypot field people never see, a signed time
stamp that tells how long the form was open, the rate limit on the POST (views.py) and the e-mail
confirmation before a declaration counts.
"""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from marketplace import formguard
from marketplace.procurement.models import LAND_CHOICES
from municipalities.models import Municipality
from solutions.portal.forms import SummaryMixin

DEFAULT_MIN_FILL_SECONDS = 3
STARTED_SALT = "marketplace.procurement.started"
DEFAULT_YEARS = 4
MAX_VALUE = 10_000_000_000


def new_started_token() -> str:
    """A stamp of the interest form (for tests that post it)."""
    return formguard.new_started_token(STARTED_SALT)


class GuideForm(SummaryMixin, forms.Form):
    land = forms.ChoiceField(label=_("Land"), choices=[("", _("Please choose")), *LAND_CHOICES])
    years = forms.IntegerField(
        label=_("Term in years"),
        min_value=1,
        max_value=20,
        initial=DEFAULT_YEARS,
        required=False,
        help_text=_(
            "For the estimate from your shortlist: introduction plus operation over this many years."
        ),
    )
    value = forms.IntegerField(
        label=_("Estimated contract value (EUR net)"),
        min_value=0,
        max_value=MAX_VALUE,
        required=False,
        help_text=_("Leave empty to use the estimate from your shortlist."),
    )
    day = forms.DateField(
        label=_("Date of the award"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The limits in force on this day apply. Empty: today."),
    )

    def clean_years(self):
        return self.cleaned_data.get("years") or DEFAULT_YEARS

    def clean_day(self):
        day = self.cleaned_data.get("day") or date.today()
        if not date(2000, 1, 1) <= day <= date(2100, 12, 31):
            raise ValidationError(_("Give a date between 2000 and 2100."), code="range")
        return day


class InterestForm(SummaryMixin, formguard.GuardedForm):
    """The honeypot and the time stamp come from marketplace/formguard.py."""

    started_salt = STARTED_SALT
    min_fill_setting = "JOINT_BUYING_MIN_FILL_SECONDS"
    default_min_fill_seconds = DEFAULT_MIN_FILL_SECONDS

    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.filter(dissolved_on__isnull=True, state__isnull=False),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose your municipality first."),
            "invalid_choice": _("Choose your municipality from the register first."),
        },
    )
    email = forms.EmailField(
        label=_("Your work e-mail address"),
        max_length=254,
        help_text=_("We send a confirmation link; only confirmed declarations are counted."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def error_summary(self):
        # Hidden fields' messages belong to the form, not to a control nobody can reach.
        hidden = {"started", "homepage", "municipality"}
        items = [("", "", error) for error in self.non_field_errors()]
        items += [("", "", error) for name in sorted(hidden) for error in self.errors.get(name, [])]
        for name, errors in self.errors.items():
            if name != "__all__" and name not in hidden:
                items.extend((self.anchor(name), self[name].label, error) for error in errors)
        return items

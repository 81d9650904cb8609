"""The guidance form (GET) and the joint-buying declaration (POST).

The declaration's spam protection stays on this server: a honeypot field people never see, a signed time
stamp that tells how long the form was open, the rate limit on the POST (views.py) and the e-mail
confirmation before a declaration counts.
"""

import time
from datetime import date

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from marketplace.procurement.models import LAND_CHOICES
from municipalities.models import Municipality
from solutions.portal.forms import SummaryMixin

DEFAULT_MIN_FILL_SECONDS = 3
STARTED_SALT = "marketplace.procurement.started"
DEFAULT_YEARS = 4
MAX_VALUE = 10_000_000_000


def new_started_token() -> str:
    return signing.Signer(salt=STARTED_SALT).sign(f"{time.time():.3f}")


def started_at(token: str) -> float | None:
    try:
        return float(signing.Signer(salt=STARTED_SALT).unsign(token or ""))
    except (signing.BadSignature, ValueError):
        return None


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


class InterestForm(SummaryMixin, forms.Form):
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
    # Named like a field bots love to fill; the template renders it inside a `hidden` block.
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    started_invalid = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["started"] = new_started_token()
        elif started_at(str(self.data.get("started", ""))) is None:
            # A tampered or missing time stamp: the next try gets a fresh one so it can pass.
            self.data = self.data.copy()
            self.data["started"] = new_started_token()
            self.started_invalid = True

    def clean_homepage(self):
        if self.cleaned_data["homepage"].strip():
            raise ValidationError(
                _("This form looks filled in by a program. Please check your entries and send it again."),
                code="honeypot",
            )
        return ""

    def clean_started(self):
        if self.started_invalid:
            raise ValidationError(_("The form could not be checked. Please send it again."), code="stamp")
        started = started_at(self.cleaned_data["started"])
        minimum = getattr(settings, "JOINT_BUYING_MIN_FILL_SECONDS", DEFAULT_MIN_FILL_SECONDS)
        if started is not None and time.time() - started < minimum:
            raise ValidationError(
                _("The form was sent very quickly. Please check your entries and send it again."),
                code="too_fast",
            )
        return self.cleaned_data["started"]

    def error_summary(self):
        # Hidden fields' messages belong to the form, not to a control nobody can reach.
        hidden = {"started", "homepage", "municipality"}
        items = [("", "", error) for error in self.non_field_errors()]
        items += [("", "", error) for name in sorted(hidden) for error in self.errors.get(name, [])]
        for name, errors in self.errors.items():
            if name != "__all__" and name not in hidden:
                items.extend((self.anchor(name), self[name].label, error) for error in errors)
        return items

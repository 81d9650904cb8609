"""Forms of the agreements feature: the public call-off request and the vendor's agreement proposal.

The call-off form keeps spam off like the Kompetenzzentrum's forms, on this server: a honeypot people never
see and a signed time stamp of when the form was shown (bots send within a second).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace import formguard
from solutions.models import Solution
from solutions.portal.forms import SummaryMixin

from .models import AgreementProposal, CallOffRequest, FrameworkAgreement

DEFAULT_MIN_FILL_SECONDS = 3
SIGNING_SALT = "agreements.call_off.started"


def new_started_token() -> str:
    """A stamp of the call-off form (for tests that post it)."""
    return formguard.new_started_token(SIGNING_SALT)


class CallOffForm(SummaryMixin, formguard.GuardedForm, forms.ModelForm):
    """The time stamp comes from marketplace/formguard.py; a filled honeypot is not an error here but
    ``is_spam``: the view then says "sent" and sends nothing, so a bot learns nothing."""

    started_salt = SIGNING_SALT
    min_fill_setting = "ENQUIRY_MIN_FILL_SECONDS"
    default_min_fill_seconds = DEFAULT_MIN_FILL_SECONDS

    class Meta:
        model = CallOffRequest
        fields = ["municipality_name", "contact_name", "email", "phone", "scope", "desired_start", "message"]
        widgets = {
            "desired_start": forms.DateInput(attrs={"type": "date"}),
            "message": forms.Textarea(attrs={"rows": 6}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel"}),
        }
        help_texts = {
            "scope": _("For example: number of licences, locations or users, modules."),
            "desired_start": _("Optional."),
        }

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("homepage", "").strip())

    def clean_homepage(self):
        return ""  # see is_spam

    def error_summary(self):
        items = [item for item in super().error_summary() if item[0] != self["started"].auto_id]
        items += [("", "", error) for error in self.errors.get("started", [])]
        return items


class ProposalForm(SummaryMixin, forms.ModelForm):
    """A vendor names an existing agreement, or describes a new one, for one of its own solutions."""

    class Meta:
        model = AgreementProposal
        fields = [
            "solution",
            "agreement",
            "title",
            "body_name",
            "reference_number",
            "ends_on",
            "url",
            "message",
        ]
        widgets = {
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "message": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the user's own organisations' listings: another vendor's id is simply not a valid choice.
        self.fields["solution"].queryset = Solution.objects.for_vendor_user(user).order_by("title")
        self.fields["agreement"].queryset = FrameworkAgreement.objects.published().order_by("title")
        self.fields["agreement"].required = False
        self.fields["agreement"].empty_label = _("– a new agreement, described below –")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("agreement") and not (cleaned.get("title") and cleaned.get("body_name")):
            raise forms.ValidationError(
                _("Choose an existing agreement, or give the title and contracting body of a new one.")
            )
        return cleaned

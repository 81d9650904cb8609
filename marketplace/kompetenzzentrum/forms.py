"""Public forms of the Kompetenzzentrum: "Beratung anfragen" and "Barriere melden".

Spam protection stays on this server: a honeypot field that people never see, and a signed timestamp that
tells how long the form was open (bots send within a second). No captcha service, nothing leaves the site.
"""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from marketplace.kompetenzzentrum.models import Enquiry
from municipalities.models import Municipality
from solutions.portal.forms import SummaryMixin

# Seconds a person needs at least to fill in the form; settings.ENQUIRY_MIN_FILL_SECONDS overrides it.
DEFAULT_MIN_FILL_SECONDS = 3
_SIGNING_SALT = "marketplace.enquiry.started"
MUNICIPALITY_CHOICES_LIMIT = 20


def _new_started_token() -> str:
    return signing.Signer(salt=_SIGNING_SALT).sign(f"{time.time():.3f}")


def _started_at(token: str) -> float | None:
    try:
        return float(signing.Signer(salt=_SIGNING_SALT).unsign(token or ""))
    except (signing.BadSignature, ValueError):
        return None


class SpamGuardForm(SummaryMixin, forms.Form):
    """A honeypot and a minimum fill time; `is_spam` says the sender is a bot (then nothing is stored)."""

    # Named like a field bots love to fill; the template renders it inside a `hidden` block, so people,
    # screen readers and the keyboard never reach it.
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.started_invalid = False
        if not self.is_bound:
            self.initial.setdefault("started", _new_started_token())
        elif _started_at(self.data.get(self.add_prefix("started"), "")) is None:
            # A tampered or missing timestamp: ask to send again, with a fresh one so the next try can pass.
            self.started_invalid = True
            self.data = self.data.copy()
            self.data[self.add_prefix("started")] = _new_started_token()

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get(self.add_prefix("homepage"), "").strip())

    def clean_started(self):
        if self.started_invalid:
            raise forms.ValidationError(_("The form could not be checked. Please send it again."))
        started = _started_at(self.cleaned_data["started"])
        minimum = getattr(settings, "ENQUIRY_MIN_FILL_SECONDS", DEFAULT_MIN_FILL_SECONDS)
        if started is not None and time.time() - started < minimum:
            raise forms.ValidationError(
                _("The form was sent very quickly. Please check your entries and send it again.")
            )
        return self.cleaned_data["started"]

    def error_summary(self):
        # The timestamp is a hidden field: its message belongs to the form, not to a control.
        items = [item for item in super().error_summary() if item[0] != self["started"].auto_id]
        items += [("", "", error) for error in self.errors.get("started", [])]
        return items


class MunicipalityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.get_state_display()}, {obj.ags})"


def municipalities_matching(text: str):
    """Municipalities whose name contains `text`, or whose official key (AGS) starts with it."""
    text = text.strip()
    if not text:
        return Municipality.objects.none()
    if text.isdigit():
        return Municipality.objects.filter(ags__startswith=text).order_by("ags")
    return Municipality.objects.filter(name__icontains=text).order_by("name", "ags")


class EnquiryForm(SpamGuardForm):
    """Without JavaScript the municipality is typed; when several match, a list to choose from appears."""

    municipality_name = forms.CharField(
        label=_("Municipality"),
        max_length=200,
        help_text=_("The name of your municipality or district, or its official key (AGS)."),
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    municipality = MunicipalityChoiceField(
        label=_("Choose your municipality"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("Please choose"),
    )
    name = forms.CharField(
        label=_("Your name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    role = forms.CharField(
        label=_("Your role"),
        max_length=200,
        help_text=_("For example: digitalisation officer, head of the IT department, mayor."),
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("We send a confirmation and our answer to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    topic = forms.ChoiceField(label=_("Topic"), choices=[("", _("Please choose")), *Enquiry.Topic.choices])
    message = forms.CharField(
        label=_("Your question"),
        max_length=5000,
        help_text=_("What are you planning, and where do you need advice? At most 5,000 characters."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    field_order = ["municipality_name", "municipality", "name", "role", "email", "topic", "message"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.show_municipality_choices = False
        if self.is_bound:
            typed = str(self.data.get(self.add_prefix("municipality_name"), ""))[:200]
            self.fields["municipality"].queryset = municipalities_matching(typed)

    def clean(self):
        cleaned = super().clean()
        if "municipality_name" not in cleaned:
            return cleaned
        typed = cleaned["municipality_name"].strip()
        if cleaned.get("municipality") is not None:
            return cleaned
        matches = list(municipalities_matching(typed)[: MUNICIPALITY_CHOICES_LIMIT + 1])
        exact = [m for m in matches if m.name.casefold() == typed.casefold() or m.ags == typed]
        if len(exact) == 1 or len(matches) == 1:
            cleaned["municipality"] = exact[0] if len(exact) == 1 else matches[0]
        elif not matches:
            self.add_error(
                "municipality_name",
                _("No municipality in the register matches “%(text)s”. Please check the spelling.")
                % {"text": typed},
            )
        elif len(matches) > MUNICIPALITY_CHOICES_LIMIT:
            self.add_error(
                "municipality_name",
                _("Many municipalities match “%(text)s”. Please type more of the name.") % {"text": typed},
            )
        else:
            self.show_municipality_choices = True
            self.add_error(
                "municipality",
                _("Several municipalities match “%(text)s”. Please choose yours.") % {"text": typed},
            )
        return cleaned


class BarrierReportForm(SpamGuardForm):
    page_url = forms.URLField(
        label=_("Page with the barrier"),
        max_length=500,
        assume_scheme="https",
        help_text=_("The address of the page, as shown in the address bar of your browser."),
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    message = forms.CharField(
        label=_("What did not work?"),
        max_length=5000,
        help_text=_("Describe what you were trying to do, what happened, and which aids you use, if any."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    name = forms.CharField(
        label=_("Your name (optional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-mail address (optional)"),
        max_length=254,
        required=False,
        help_text=_("Only if you would like an answer; we then send a confirmation to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    field_order = ["page_url", "message", "name", "email"]


class BarrierPrefillForm(forms.Form):
    """`?page=` from the "Report a barrier" links: the page the visitor came from."""

    page = forms.CharField(required=False, max_length=500)

    def page_url(self) -> str:
        if not self.is_valid():
            return ""
        page = self.cleaned_data["page"].strip()
        # Only a path on this site; an absolute address could carry anything into the form.
        if not page.startswith("/") or page.startswith("//"):
            return ""
        # Under the canonical address, not the Host header: the report lands in the editors' mail.
        return settings.SITE_URL + page

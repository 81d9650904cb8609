"""The form "Kontakt zur Referenzkommune" and the contact person's consent answer.

Spam protection stays on this server: a honeypot field people never see and a signed timestamp that tells
how long the form was open. Every refusal shows the form again with what was typed and a clear message.
"""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from pilots.contact.models import QUESTION_MAX_CHARS
from solutions.portal.forms import SummaryMixin

# Seconds a person needs at least to fill in the form; settings.PEER_CONTACT_MIN_FILL_SECONDS overrides it.
DEFAULT_MIN_FILL_SECONDS = 3
_STARTED_SALT = "pilots.contact.started"


def _new_started_token() -> str:
    return signing.Signer(salt=_STARTED_SALT).sign(f"{time.time():.3f}")


def _started_at(token: str) -> float | None:
    try:
        return float(signing.Signer(salt=_STARTED_SALT).unsign(token or ""))
    except (signing.BadSignature, ValueError):
        return None


def single_line(value: str) -> None:
    # These values end up in a mail; a line break there is how headers are smuggled in.
    if "\r" in value or "\n" in value or "\x00" in value:
        raise forms.ValidationError(_("Please enter this on one line, without line breaks."))


class SingleLineEmailField(forms.EmailField):
    """An e-mail address; a line break is named as such (EmailField alone calls it just "invalid")."""

    def to_python(self, value):
        value = super().to_python(value)
        single_line(value)
        return value


class ContactForm(SummaryMixin, forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        strip=False,
        validators=[single_line],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    organisation = forms.CharField(
        label=_("Your municipality or organisation"),
        max_length=200,
        strip=False,
        validators=[single_line],
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    email = SingleLineEmailField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_("The answer comes straight to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    question = forms.CharField(
        label=_("Your question"),
        max_length=QUESTION_MAX_CHARS,
        help_text=_("At most 3,000 characters."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    # Named like a field bots love to fill; the template renders it inside a `hidden` block.
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["started"] = _new_started_token()

    def clean_homepage(self):
        if self.cleaned_data["homepage"].strip():
            raise forms.ValidationError(
                _("The form could not be sent. Please check your entries and send it again.")
            )
        return ""

    def clean_started(self):
        started = _started_at(self.cleaned_data["started"])
        if started is None:
            raise forms.ValidationError(_("The form could not be checked. Please send it again."))
        minimum = getattr(settings, "PEER_CONTACT_MIN_FILL_SECONDS", DEFAULT_MIN_FILL_SECONDS)
        if time.time() - started < minimum:
            raise forms.ValidationError(
                _("The form was sent very quickly. Please check your entries and send it again.")
            )
        return self.cleaned_data["started"]

    def refresh_guards(self) -> None:
        """For showing the form again: a fresh timestamp, an empty honeypot; the typed text stays."""
        self.data = self.data.copy()
        self.data[self.add_prefix("started")] = _new_started_token()
        self.data[self.add_prefix("homepage")] = ""

    def error_summary(self):
        # The hidden fields' messages belong to the form, not to a control people can reach.
        hidden = {self["started"].auto_id, self["homepage"].auto_id}
        items = [item for item in super().error_summary() if item[0] not in hidden]
        items += [("", "", error) for name in ("homepage", "started") for error in self.errors.get(name, [])]
        return items


class ConsentForm(forms.Form):
    answer = forms.ChoiceField(choices=[("yes", _("Yes")), ("no", _("No"))])

    @property
    def agrees(self) -> bool:
        return self.cleaned_data["answer"] == "yes"

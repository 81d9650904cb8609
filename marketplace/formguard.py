"""Spam protection of the public forms, on this server and without a third party: a honeypot field people
never see (``homepage``, rendered inside a hidden block) and a signed time stamp of when the form was shown
(``started``), so a form sent back faster than a person can fill it in is refused with a message.

Library code: it imports no app. A form subclasses ``GuardedForm`` next to its own base (``forms.Form`` or a
ModelForm) and names its ``started_salt`` (a stamp of one form is worthless for another), the setting that
may change the minimum time (``min_fill_setting``) and its default. A refused form keeps what was typed; a
missing or forged stamp is replaced, so the next try can pass.
"""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

HONEYPOT_MESSAGE = _("This form looks filled in by a program. Please check your entries and send it again.")
STAMP_MESSAGE = _("The form could not be checked. Please send it again.")
TOO_FAST_MESSAGE = _("The form was sent very quickly. Please check your entries and send it again.")


def new_started_token(salt: str) -> str:
    return signing.Signer(salt=salt).sign(f"{time.time():.3f}")


def started_at(token: str, salt: str) -> float | None:
    """When the form with this stamp was shown, or None for a missing or forged stamp."""
    try:
        return float(signing.Signer(salt=salt).unsign(token or ""))
    except (signing.BadSignature, ValueError):
        return None


class GuardedForm(forms.Form):
    started_salt = "marketplace.formguard.started"
    min_fill_setting = ""  # the name of a setting with the minimum seconds, or "" for the default
    default_min_fill_seconds = 3

    # Named like a field bots love to fill; templates render it inside a `hidden` block.
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
            self.initial.setdefault("started", new_started_token(self.started_salt))
        elif started_at(str(self.data.get("started", "")), self.started_salt) is None:
            # A tampered or missing time stamp: the next try gets a fresh one so it can pass.
            self.data = self.data.copy()
            self.data["started"] = new_started_token(self.started_salt)
            self.started_invalid = True

    def clean_homepage(self):
        if self.cleaned_data["homepage"].strip():
            raise ValidationError(HONEYPOT_MESSAGE, code="honeypot")
        return ""

    def clean_started(self):
        if self.started_invalid:
            raise ValidationError(STAMP_MESSAGE, code="stamp")
        started = started_at(self.cleaned_data["started"], self.started_salt)
        minimum = getattr(settings, self.min_fill_setting, None) if self.min_fill_setting else None
        if minimum is None:
            minimum = self.default_min_fill_seconds
        if started is not None and time.time() - started < minimum:
            raise ValidationError(TOO_FAST_MESSAGE, code="too_fast")
        return self.cleaned_data["started"]

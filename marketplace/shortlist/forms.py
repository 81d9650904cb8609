"""Every parameter of the Merkliste's write endpoints."""

from django import forms
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from marketplace.shortlist.models import NOTE_MAX_LENGTH


class ItemForm(forms.Form):
    """Which solution or pilot project ("solution:12", "pilot:3") and where to go back to."""

    item = forms.RegexField(regex=r"^(solution|pilot):[1-9][0-9]{0,17}$")
    next = forms.CharField(required=False, max_length=2000)

    def clean_item(self):
        kind, pk = self.cleaned_data["item"].split(":")
        return kind, int(pk)

    def next_url(self, request, default: str) -> str:
        """The `next` target when it is a path on this site, else `default`."""
        target = self.cleaned_data.get("next", "") if self.is_bound and hasattr(self, "cleaned_data") else ""
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return target
        return default


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTE_MAX_LENGTH}),
    )

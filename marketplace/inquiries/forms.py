"""The request form (from the Merkliste) and the vendor's answer form.

Spam protection stays on this server: a honeypot field people never see, a signed time stamp that tells
how long the form was open, the rate limit on the POST (views.py) and the e-mail confirmation before any
vendor hears of it. Unlike the Kompetenzzentrum's forms a refusal says so and keeps what was typed: a
person who tripped a check by accident must not lose a page of text.
"""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from marketplace import formguard
from marketplace.inquiries.models import (
    ANSWER_MAX_LENGTH,
    NEED_MAX_LENGTH,
    QUESTIONS_MAX_LENGTH,
    Budget,
    Timeframe,
)
from municipalities.models import SizeClass
from solutions.portal.forms import SummaryMixin
from solutions.uploads import check_pdf

# Seconds a person needs at least to fill in the form; settings.INQUIRY_MIN_FILL_SECONDS overrides it.
DEFAULT_MIN_FILL_SECONDS = 5
STARTED_SALT = "marketplace.inquiries.started"


def new_started_token() -> str:
    """A stamp of this form (for tests that post it)."""
    return formguard.new_started_token(STARTED_SALT)


class SolutionsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.vendor.name})"


class InquiryForm(SummaryMixin, formguard.GuardedForm):
    """The request; the honeypot and the time stamp come from marketplace/formguard.py."""

    started_salt = STARTED_SALT
    min_fill_setting = "INQUIRY_MIN_FILL_SECONDS"
    default_min_fill_seconds = DEFAULT_MIN_FILL_SECONDS

    """`solutions` offers only the published solutions of the visitor's own Merkliste (the view passes
    them), so a request can never be addressed to a vendor the visitor did not choose from the list."""

    solutions = SolutionsField(
        label=_("Solutions whose vendors receive the request"),
        queryset=None,
        error_messages={
            "required": _("Choose at least one solution."),
            "invalid_choice": _("Choose only solutions from your shortlist."),
        },
    )
    need = forms.CharField(
        label=_("Your need"),
        max_length=NEED_MAX_LENGTH,
        help_text=_("The task or problem the solution should solve. At most 3,000 characters."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    timeframe = forms.ChoiceField(
        label=_("Planned start"), choices=[("", _("Please choose")), *Timeframe.choices]
    )
    municipality_name = forms.CharField(
        label=_("Municipality"),
        max_length=200,
        help_text=_("The municipality, district or association the request is for."),
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    inhabitants = forms.IntegerField(
        label=_("Inhabitants"),
        required=False,
        min_value=1,
        max_value=100_000_000,
        help_text=_("Give the number of inhabitants or a size class."),
    )
    size_class = forms.ChoiceField(
        label=_("Size class"), required=False, choices=[("", _("Please choose")), *SizeClass.choices]
    )
    budget = forms.ChoiceField(label=_("Budget range"), choices=[("", _("Please choose")), *Budget.choices])
    questions = forms.CharField(
        label=_("Your questions to the vendors"),
        required=False,
        max_length=QUESTIONS_MAX_LENGTH,
        help_text=_("Optional. At most 3,000 characters."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    name = forms.CharField(
        label=_("Your name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("We send a confirmation link to this address; the vendors' answers come here too."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the marketplace stores these details and passes them to the chosen vendors "
            "so that they can answer."
        ),
        error_messages={"required": _("Without your consent we cannot pass the request on.")},
    )

    def __init__(self, *args, solutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["solutions"].queryset = solutions

    def clean(self):
        cleaned = super().clean()
        if (
            not cleaned.get("inhabitants")
            and not cleaned.get("size_class")
            and "inhabitants" not in self.errors
        ):
            self.add_error("inhabitants", _("Give the number of inhabitants or choose a size class."))
        return cleaned

    def refuse(self, message) -> None:
        """A refusal that belongs to no field (the rate limit): shown at the top, the typed text kept."""
        self.add_error(None, message)

    def error_summary(self):
        # Hidden fields' messages belong to the form, not to a control nobody can reach.
        hidden = {self["started"].auto_id, self["homepage"].auto_id}
        items = [item for item in super().error_summary() if item[0] not in hidden]
        items += [("", "", error) for name in ("started", "homepage") for error in self.errors.get(name, [])]
        return items


class AnswerForm(SummaryMixin, forms.Form):
    text = forms.CharField(
        label=_("Your answer"),
        max_length=ANSWER_MAX_LENGTH,
        help_text=_("The municipality receives it by e-mail. At most 10,000 characters."),
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    pdf = forms.FileField(
        label=_("PDF (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pdf"].help_text = _(
            "For example an offer or a product sheet; a PDF file of at most %(size)d MB."
        ) % {"size": settings.PORTAL_DOCUMENT_MAX_BYTES // (1024 * 1024)}

    def clean_pdf(self):
        upload = self.cleaned_data.get("pdf")
        if not upload:
            return None
        return check_pdf(upload)

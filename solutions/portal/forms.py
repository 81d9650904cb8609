"""Forms of the vendor portal. Every request parameter passes through one of these.

The account forms (sign-up, login, passwords, profile) are in marketplace/accounts/forms.py.
"""

import math

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from marketplace.choices import EditorialStatus
from municipalities.models import SizeClass
from solutions import plausibility, publiccode, services, uploads
from solutions.models import JoinRequest, Solution, SolutionDocument, Vendor, VendorMembership


def _lazy_format(message, **params):
    """`message % params`, translated when shown, not when the module is imported."""
    return lazy(lambda: message % {key: value() for key, value in params.items()}, str)()


class SummaryMixin:
    """`error_summary()`: every error with the id of its control, for the links in the error summary."""

    def anchor(self, name: str) -> str:
        """The id of the control of field `name` to link to (a group of boxes: its first box)."""
        bound = self[name]
        return f"{bound.auto_id}_0" if bound.use_fieldset else bound.auto_id

    def error_summary(self):
        items = [("", "", error) for error in self.non_field_errors()]
        for name, errors in self.errors.items():
            if name == "__all__":
                continue
            items.extend((self.anchor(name), self[name].label, error) for error in errors)
        return items


# ---------- Shared by the portal pages ----------


class FieldNameForm(forms.Form):
    """Which field of a form an inline check is about."""

    _field = forms.ChoiceField()

    def __init__(self, *args, names: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["_field"].choices = [(name, name) for name in names]


class EmptyForm(forms.Form):
    """For POST-only actions without fields: the CSRF token is all they carry."""


# ---------- Organisations ----------


class LogoField(forms.FileField):
    """A logo upload, checked by content and re-encoded (solutions.uploads.process_logo)."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            _lazy_format(
                _(
                    "PNG, JPEG or WebP, at most %(size)d MB and %(side)d × %(side)d pixels; "
                    "we scale it to at most 512 × 512 pixels. SVG is not accepted."
                ),
                size=lambda: settings.PORTAL_LOGO_MAX_BYTES // (1024 * 1024),
                side=lambda: math.isqrt(settings.PORTAL_LOGO_MAX_SOURCE_PIXELS),
            ),
        )
        kwargs.setdefault(
            "widget", forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"})
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and hasattr(upload, "read"):
            return uploads.process_logo(upload)
        return upload


class LogoVersionForm(forms.Form):
    """`?v=` of a logo address: which version of the file is wanted (see Solution.logo_url)."""

    v = forms.RegexField(regex=r"^[0-9a-f]{12}$", required=False)


class OrganisationForm(SummaryMixin, forms.ModelForm):
    class Meta:
        model = Vendor
        fields = ["name", "kind", "website", "street", "postcode", "city", "email", "phone", "description"]
        help_texts = {
            "name": _("The name municipalities know you by, e.g. “Musterstadt Digital GmbH”."),
            "website": _("Starting with https://"),
            "email": _("Shown publicly: where municipalities reach you."),
            "phone": _("Shown publicly."),
            "description": _("Who you are, in a few sentences. Markdown; HTML is removed."),
        }
        widgets = {
            "street": forms.TextInput(attrs={"autocomplete": "address-line1"}),
            "postcode": forms.TextInput(attrs={"autocomplete": "postal-code"}),
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel"}),
        }


class LogoForm(SummaryMixin, forms.Form):
    logo = LogoField(label=_("Logo"))


class OrganisationSearchForm(forms.Form):
    q = forms.CharField(label=_("Name of the organisation"), max_length=100, required=False)

    def results(self):
        if not self.is_valid() or len(self.cleaned_data["q"].strip()) < 2:
            return Vendor.objects.none()
        return Vendor.objects.filter(name__icontains=self.cleaned_data["q"].strip()).order_by("name")[:20]


class JoinRequestForm(SummaryMixin, forms.ModelForm):
    vendor = forms.ModelChoiceField(queryset=Vendor.objects.all(), widget=forms.HiddenInput)

    class Meta:
        model = JoinRequest
        fields = ["vendor", "message"]
        labels = {"message": _("Message to the administrators (optional)")}
        widgets = {"message": forms.Textarea(attrs={"rows": 3})}


class JoinDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("decline", _("Decline"))])


class RoleForm(forms.ModelForm):
    class Meta:
        model = VendorMembership
        fields = ["role"]


# ---------- Listings ----------


def add_organisation_choice(form, organisations) -> None:
    """A person in several organisations chooses which one a new listing belongs to.

    Only their own organisations are offered, so an id changed in the POST data is refused.
    """
    if organisations is not None and len(organisations) > 1:
        form.fields["organisation"] = forms.ModelChoiceField(
            label=_("Organisation"),
            queryset=Vendor.objects.filter(pk__in=[vendor.pk for vendor in organisations]),
            initial=organisations[0].pk,
            help_text=_("The organisation that offers this solution."),
        )


class SolutionForm(SummaryMixin, forms.ModelForm):
    """The listing form, in the sections vendors see (SECTIONS); drafts may be saved incomplete."""

    SECTIONS = [
        ("basics", _("Basics"), ["title", "summary", "website"]),
        ("function", _("What it does"), ["description", "categories"]),
        ("fit", _("Fit for which municipalities"), ["size_classes", "maturity"]),
        ("technology", _("Technology and standards"), ["licence_type", "spdx_id", "source_url", "standards"]),
        ("hosting", _("Data protection and hosting"), ["hosting_options", "data_location", "dpa_available"]),
        ("accessibility", _("Accessibility"), ["accessibility", "accessibility_statement_url"]),
        ("costs", _("Costs"), ["price_model", "cost_introduction_eur", "cost_yearly_eur", "cost_notes"]),
        (
            "procurement",
            _("Procurement"),
            ["framework_agreement", "framework_agreement_name", "procurement_notes"],
        ),
        ("contact", _("Contact"), ["contact_name", "contact_email", "contact_phone"]),
    ]

    size_classes = forms.MultipleChoiceField(
        label=_("Suitable for"),
        choices=SizeClass.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Tick every municipality size where the solution works well today."),
    )
    hosting_options = forms.MultipleChoiceField(
        label=_("Hosting"),
        choices=Solution.Hosting.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Every way the solution can be operated."),
    )

    class Meta:
        model = Solution
        fields = [
            "title", "summary", "website", "description", "categories", "size_classes", "maturity",
            "licence_type", "spdx_id", "source_url", "standards", "hosting_options", "data_location",
            "dpa_available", "accessibility", "accessibility_statement_url", "price_model",
            "cost_introduction_eur", "cost_yearly_eur", "cost_notes", "framework_agreement",
            "framework_agreement_name", "procurement_notes", "contact_name", "contact_email", "contact_phone",
        ]  # fmt: skip
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 10}),
            "categories": forms.CheckboxSelectMultiple,
            "standards": forms.CheckboxSelectMultiple,
            "cost_notes": forms.Textarea(attrs={"rows": 3}),
            "procurement_notes": forms.Textarea(attrs={"rows": 3}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "contact_phone": forms.TextInput(attrs={"autocomplete": "tel"}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
        }
        help_texts = {
            "title": _("The product name as municipalities search for it."),
            "summary": _("One or two sentences: which problem it solves for whom. Shown in the catalog."),
            "website": _("The product page, starting with https://"),
            "description": _(
                "What it does, how it is introduced, what a municipality needs. Markdown; HTML is removed."
            ),
            "categories": _("The fields of action where municipalities should find it."),
            "maturity": _("How far it is: concept, pilot, in production, widely used."),
            "spdx_id": _("Required for open source, e.g. EUPL-1.2, AGPL-3.0-only, MIT."),
            "source_url": _("Public repository, e.g. on OpenCoDE."),
            "standards": _("Open standards and interfaces it supports."),
            "data_location": _("Where personal data is stored when the solution runs."),
            "dpa_available": _("Tick if you provide a data processing agreement (Art. 28 GDPR)."),
            "accessibility_statement_url": _("Link to the accessibility statement (BITV 2.0)."),
            "cost_introduction_eur": _(
                "Typical one-off cost in euros for a medium town; leave empty if unknown."
            ),
            "cost_yearly_eur": _("Typical yearly cost in euros for a medium town."),
            "framework_agreement_name": _("E.g. the framework agreement of a state's IT service provider."),
            "contact_email": _("Where municipalities send questions about this solution."),
        }

    # Fields a draft may leave empty; submitting checks completeness (services.missing_for_submission).
    OPTIONAL_IN_DRAFT = {"summary", "categories"}
    # Choices the vendor must make: no answer is chosen in advance, the empty option asks for one.
    DECIDED_BY_THE_VENDOR = ["maturity", "data_location", "price_model"]

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        add_organisation_choice(self, organisations)
        for name in self.OPTIONAL_IN_DRAFT:
            self.fields[name].required = False
        for name in self.DECIDED_BY_THE_VENDOR:
            self.fields[name].choices = [
                ("", _("– please choose –")),
                *Solution._meta.get_field(name).choices,
            ]
        if self.instance.status in services.REVISED_STATES:
            # Changes to a published listing become the public listing when an editor accepts them, so
            # they must be as complete as a submission.
            for name in services.REQUIRED_FOR_SUBMISSION:
                self.fields[name].required = True
        self.fields["categories"].queryset = self.fields["categories"].queryset.order_by(
            "position", "name_de"
        )

    def clean(self):
        cleaned = super().clean()
        for name, message in plausibility.contradictions(cleaned):
            if name not in self.errors:
                self.add_error(name, message)
        return cleaned

    def requested_changes(self) -> list[tuple[str, str, str]]:
        """The fields of this form the editors' current change request concerns, in form order:
        (name, link to the control, label). Other names (e.g. the logo, changed on its own page) are left
        to the caller."""
        if self.instance.status != EditorialStatus.CHANGES_REQUESTED:
            return []
        names = set(self.instance.changes_requested_fields)
        return [(name, f"#{self.anchor(name)}", self[name].label) for name in self.fields if name in names]

    def sections(self):
        sections = [
            {"id": section_id, "title": title, "fields": [self[name] for name in names]}
            for section_id, title, names in self.SECTIONS
        ]
        if "organisation" in self.fields:
            sections[0]["fields"].insert(0, self["organisation"])
        return sections

    def revision_data(self) -> dict:
        """The cleaned values as JSON for a pending revision (objects become primary keys)."""
        data = {}
        for name in self.Meta.fields:
            value = self.cleaned_data.get(name)
            if hasattr(value, "values_list"):
                value = sorted(value.values_list("pk", flat=True))
            data[name] = value
        return data


class DocumentForm(SummaryMixin, forms.ModelForm):
    file = forms.FileField(
        label=_("PDF file"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
        help_text=_lazy_format(
            _("PDF only, at most %(size)d MB."),
            size=lambda: settings.PORTAL_DOCUMENT_MAX_BYTES // (1024 * 1024),
        ),
    )

    class Meta:
        model = SolutionDocument
        fields = ["kind", "title"]
        help_texts = {"title": _("As it should appear on the listing, e.g. “Product sheet 2026”.")}

    def clean_file(self):
        return uploads.check_pdf(self.cleaned_data["file"])


class PubliccodeImportForm(SummaryMixin, forms.Form):
    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        add_organisation_choice(self, organisations)

    file = forms.FileField(
        label=_("publiccode.yml file"),
        required=False,
        help_text=_("Upload the file from your repository, or paste its content below."),
    )
    text = forms.CharField(
        label=_("publiccode.yml content"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false"}),
        max_length=publiccode.MAX_SIZE,
    )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload:
            if upload.size > publiccode.MAX_SIZE:
                raise forms.ValidationError(
                    _("The file is larger than %(limit)s.") % {"limit": filesizeformat(publiccode.MAX_SIZE)}
                )
            try:
                cleaned["text"] = upload.read().decode("utf-8")
            except UnicodeDecodeError as exc:
                raise forms.ValidationError(_("The file is not UTF-8 text.")) from exc
        if not cleaned.get("text", "").strip():
            raise forms.ValidationError(_("Please upload a publiccode.yml file or paste its content."))
        return cleaned


class DraftTokenForm(forms.Form):
    """The token static/js/draft.js sends with a long form, to drop the browser's copy once saved."""

    _draft = forms.RegexField(regex=r"^[0-9a-z]{1,40}$", required=False)

"""Forms of the reference proposals: find the municipality, then propose it."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from municipalities.forms import MunicipalityChoiceField
from municipalities.models import Municipality
from pilots.models import Reference, ReferenceProposal
from solutions.portal.forms import SummaryMixin


class MunicipalitySearchForm(forms.Form):
    municipality_q = forms.CharField(
        label=_("Search the municipality"),
        max_length=100,
        required=False,
        help_text=_("Type at least two letters of the name or the official key (AGS), then press “Search”."),
    )

    def matches(self):
        if not self.is_valid():
            return Municipality.objects.none()
        query = self.cleaned_data["municipality_q"].strip()
        if len(query) < 2:
            return Municipality.objects.none()
        if query.isdigit():
            return Municipality.objects.filter(ags__startswith=query).order_by("ags")[:50]
        return Municipality.objects.filter(name__icontains=query).order_by("name", "ags")[:50]


class ReferenceForm(SummaryMixin, forms.ModelForm):
    municipality = MunicipalityChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.all(),
        empty_label=_("– choose from the search results –"),
    )

    class Meta:
        model = ReferenceProposal
        fields = ["municipality", "since_year", "statement", "contact_name", "contact_email"]
        widgets = {"statement": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "since_year": _("The year the municipality started using it."),
            "statement": _("What the municipality uses it for, in one or two sentences."),
            "contact_name": _("Someone at the municipality the editors may ask; not shown publicly."),
        }

    def __init__(self, *args, solution, **kwargs):
        super().__init__(*args, **kwargs)
        self.solution = solution

    def offer(self, municipalities) -> None:
        """Render only these municipalities in the select (call after validation: any id validates)."""
        self.fields["municipality"].queryset = municipalities

    def clean_since_year(self):
        year = self.cleaned_data.get("since_year")
        this_year = timezone.now().year
        if year is not None and not 1990 <= year <= this_year:
            raise forms.ValidationError(
                _("Please give a year between 1990 and %(year)d.") % {"year": this_year}
            )
        return year

    def clean_municipality(self):
        municipality = self.cleaned_data["municipality"]
        if Reference.objects.filter(solution=self.solution, municipality=municipality).exists():
            raise forms.ValidationError(_("This municipality is already listed as a reference."))
        if ReferenceProposal.objects.filter(
            solution=self.solution, municipality=municipality, status=ReferenceProposal.Status.PENDING
        ).exists():
            raise forms.ValidationError(_("This municipality is already proposed and waits for the editors."))
        return municipality

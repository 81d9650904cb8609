"""The global search page: solutions, pilot projects and municipalities together, grouped by type."""

from dataclasses import dataclass, field

from django import forms
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from municipalities.models import Municipality
from pilots.models import PilotProject
from solutions.filters import CARD_FIELDS, with_reference_counts
from solutions.models import Solution

from .catalog import search as text_search
from .catalog.filters import TOO_LONG

GROUP_LIMIT = 5


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=text_search.MAX_QUERY_LENGTH,
        error_messages={"max_length": TOO_LONG},
    )
    # "Search exactly as typed" (the link under a corrected search): no corrections, compounds or synonyms.
    exact = forms.BooleanField(required=False, widget=forms.HiddenInput)


@dataclass
class Group:
    key: str
    title: str
    url_name: str
    count: int = 0
    items: list = field(default_factory=list)
    fuzzy: bool = False


def _ranked(queryset, search, snippet_field):
    ranked = text_search.rank(queryset, search).order_by(F("relevance").desc(), "title", "pk")
    headline = text_search.headline(snippet_field, search)
    return ranked.annotate(snippet=headline) if headline is not None else ranked


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    text = form.cleaned_data["q"].strip() if form.is_valid() else ""
    exact = bool(form.cleaned_data.get("exact")) if form.is_valid() else False
    groups: list[Group] = []
    suggestions: list[str] = []
    corrected = ""
    if text:
        solutions, found = text_search.apply_text_search(Solution.objects.published(), text, exact=exact)
        corrected = found.corrected
        group = Group("solutions", _("Solutions"), "solutions:list", fuzzy=found.is_fuzzy)
        group.count = solutions.count()
        group.items = list(
            with_reference_counts(_ranked(solutions, found, "summary"))
            .select_related("vendor")
            .only(*CARD_FIELDS)[:GROUP_LIMIT]
        )
        groups.append(group)

        pilots, found = text_search.apply_text_search(PilotProject.objects.published(), text, exact=exact)
        corrected = corrected or found.corrected
        group = Group("pilots", _("Pilot projects"), "pilots:list", fuzzy=found.is_fuzzy)
        group.count = pilots.count()
        group.items = list(
            _ranked(pilots, found, "summary").select_related("lead_municipality")[:GROUP_LIMIT]
        )
        groups.append(group)

        # Names of places are no words of a lexicon: the municipalities' own search (name, part of it or a
        # similar one for a typo; postcode; official key), as in their catalog.
        municipalities = Municipality.objects.search(text)
        group = Group("municipalities", _("Municipalities"), "municipalities:list")
        group.count = municipalities.order_by().count()
        group.items = list(municipalities[:GROUP_LIMIT])
        groups.append(group)

        if not any(group.count for group in groups):
            suggestions = text_search.suggestions(Solution.objects.published(), text)
    context = {
        "form": form,
        "text": text,
        "groups": groups,
        "total": sum(group.count for group in groups),
        "suggestions": suggestions,
        # The text as searched when a typo was corrected ("Ergebnisse für »Bauantrag«"), else "".
        "corrected": corrected if any(group.count for group in groups) else "",
    }
    return render(request, "marketplace/search.html", context)

"""Finding one's municipality by name, postcode or key, and picking it as "my municipality".

``find`` is one view for the search page (a plain GET form with every match and a "Das ist meine Kommune"
button each) and for the suggestions of the autocomplete over that form (htmx asks for the named partial;
static/js/municipality-find.js makes the field a WAI-ARIA combobox). ``choose`` and ``forget`` write the
choice into the session through ``municipalities.choice``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.formats import number_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import trigger_client_event

from marketplace.ratelimit import check_request

from . import choice
from .models import Level, Municipality, MunicipalityQuerySet

PAGE_LIMIT = 50  # matches on the search page; "Neustadt" has 24 places and Verbände
SUGGESTION_LIMIT = 10  # suggestions in the autocomplete
MIN_LENGTH = MunicipalityQuerySet.SEARCH_MIN_LENGTH
MAX_LENGTH = MunicipalityQuerySet.SEARCH_MAX_LENGTH
SUGGESTIONS_EVENT = "municipality-suggestions"  # names the htmx event the script listens for
NEXT_MAX_LENGTH = 2000


def safe_next(request: HttpRequest, url: str | None) -> str:
    """``url`` if it leads back into this site (a path or our own host), else ""."""
    if (
        url
        and len(url) <= NEXT_MAX_LENGTH
        and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return url
    return ""


class FindForm(forms.Form):
    q = forms.CharField(required=False)  # the field is drawn by templates/municipalities/_find_form.html
    next = forms.CharField(required=False)

    def clean_q(self) -> str:
        # Cut, not refused: a pasted address line should still find the place at its start.
        text = " ".join(self.cleaned_data["q"][: MAX_LENGTH * 2].split())[:MAX_LENGTH]
        if text and len(text) < MIN_LENGTH:
            raise forms.ValidationError(
                ngettext(
                    "Please enter at least %(count)d character.",
                    "Please enter at least %(count)d characters.",
                    MIN_LENGTH,
                )
                % {"count": MIN_LENGTH}
            )
        return text


class ChooseForm(forms.Form):
    slug = forms.SlugField(max_length=220)
    next = forms.CharField(required=False)


class NextForm(forms.Form):
    next = forms.CharField(required=False)


@dataclass
class Place:
    """A municipality with what tells it apart from others of the same name: its Verband and Kreis."""

    municipality: Municipality
    verband: Municipality | None
    kreis: Municipality | None

    @classmethod
    def of(cls, municipality: Municipality) -> Place:
        above = loaded_ancestors(municipality)
        return cls(municipality, above.get(Level.VERBAND), above.get(Level.KREIS))

    @cached_property
    def details(self) -> str:
        """One line: kind, Verband, Kreis, Land, population ("Stadt, Amt Neustadt (Dosse), Landkreis
        Ostprignitz-Ruppin, Brandenburg, 3.477 Einwohner"). Plain text, escaped by the template; built here
        because fifty results times a template include cost more than the search itself."""
        m = self.municipality
        kind = m.get_kind_display()
        if m.level == Level.KREIS and m.kind == Municipality.Kind.KREISFREIE_STADT:
            kind = f"{kind} ({_('as a district')})"
        parts = [kind]
        if self.verband is not None:
            parts.append(f"{self.verband.get_kind_display()} {self.verband.name}")
        # The Kreis of a kreisfreie Stadt is the city itself: naming it again tells nothing.
        if self.kreis is not None and self.kreis.kind != Municipality.Kind.KREISFREIE_STADT:
            parts.append(f"{self.kreis.get_kind_display()} {self.kreis.name}")
        if m.state and m.level != Level.LAND:
            parts.append(m.get_state_display())
        if m.population is not None:
            population = number_format(m.population, force_grouping=True)
            parts.append(_("%(population)s inhabitants") % {"population": population})
        return ", ".join(parts)


def loaded_ancestors(municipality: Municipality) -> dict[str, Municipality]:
    """The municipality's parents by level (Verband, Kreis, Regierungsbezirk, Land), nearest first.

    Walks only the parents a ``select_related("parent__parent…")`` already fetched, so it never queries: a
    list of fifty matches stays one query.
    """
    found: dict[str, Municipality] = {}
    current = municipality
    while current.parent_id is not None and Municipality.parent.is_cached(current):
        current = current.parent
        if current.level:
            found.setdefault(current.level, current)
    return found


def _status(count: int, more: bool) -> str:
    """What the live region announces when suggestions arrive."""
    if not count:
        return _("No municipality found.")
    if more:
        return _("The first %(count)d matches. Type more to narrow them down.") % {"count": count}
    return ngettext(
        "%(count)d suggestion. Use the arrow keys to choose.",
        "%(count)d suggestions. Use the arrow keys to choose.",
        count,
    ) % {"count": count}


@require_safe
def find(request: HttpRequest) -> HttpResponse:
    """The search page, or (for htmx) the suggestions for the autocomplete: ``#suggestions``."""
    # Cheap insurance for a read endpoint that every keystroke calls: one cache counter per address.
    if (refused := check_request(request, "municipality-find", "MUNICIPALITY_FIND_RATE")) is not None:
        return refused
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    form = FindForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    limit = SUGGESTION_LIMIT if partial else PAGE_LIMIT
    rows = []
    if query:
        # One more than shown tells whether there are more.
        found = Municipality.objects.search(query).select_related("parent__parent", "successor")
        rows = list(found[: limit + 1])
    places = [Place.of(row) for row in rows[:limit]]
    more = len(rows) > limit
    context = {
        "form": form,
        "query": query,
        "places": places,
        "more": more,
        "limit": limit,
        # Where a choice made on this page leads back to (kept by the form; cleaned_data keeps valid fields).
        "next": safe_next(request, form.cleaned_data.get("next")),
    }
    template = "municipalities/municipality_find.html"
    if partial:
        template += "#suggestions"
    response = render(request, template, context)
    if partial:
        # Announced by the combobox's live region once the options are in place.
        status = _status(len(places), more) if query else ""
        if form.errors.get("q"):
            status = form.errors["q"][0]
        trigger_client_event(response, SUGGESTIONS_EVENT, {"status": status}, after="swap")
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_POST
def choose_view(request: HttpRequest) -> HttpResponse:
    """Remember the municipality of the POSTed slug as the visitor's own; back to ``next`` or its profile.

    A dissolved municipality passes the choice on to its successor. Side effects: ``choice.choose``
    (writes the session)."""
    form = ChooseForm(request.POST)
    if not form.is_valid():
        raise Http404(_("No municipality has this address."))
    municipality = (
        Municipality.objects.filter(slug=form.cleaned_data["slug"]).select_related("successor").first()
    )
    if municipality is not None and municipality.is_dissolved:
        municipality = municipality.successor
    if municipality is None or municipality.is_dissolved:
        raise Http404(_("No current municipality has this address."))
    choice.choose(request, municipality)
    return redirect(safe_next(request, form.cleaned_data["next"]) or municipality.get_absolute_url())


@require_POST
def forget_view(request: HttpRequest) -> HttpResponse:
    """Stop comparing with the chosen municipality; back to ``next`` or the home page.

    Side effects: ``choice.forget`` (removes the choice from the session)."""
    form = NextForm(request.POST)
    choice.forget(request)
    form.is_valid()
    return redirect(safe_next(request, form.cleaned_data.get("next")) or reverse("home"))

"""Small helpers for catalog templates."""

import html
import json

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext

from marketplace.catalog.search import mark_highlights

register = template.Library()


@register.filter
def highlight(snippet):
    """A search headline with its matches in <mark>; everything else escaped."""
    return mark_highlights(snippet)


@register.filter(name="heading_level")
def heading_level_of(level):
    """A card's heading level: 2-6 as given, 3 for anything else (nothing else may become a tag name)."""
    return level if level in (2, 3, 4, 5, 6) else 3


@register.filter
def euro(amount):
    """A whole-euro amount in plain numbers with German grouping, e.g. 12.500 €; empty stays empty."""
    if amount in (None, ""):
        return ""
    return f"{int(amount):,} €".replace(",", ".")


# The same escapes as django.utils.html.json_script: nothing in the data can close the <script> element.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def ld_json(value):
    """JSON for a ``<script type="application/ld+json" nonce=...>`` data block, escaped like json_script."""
    return mark_safe(  # noqa: S308 - <, > and & are escaped, so the text cannot leave the script element
        json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    )


def _escape(value) -> str:
    """``django.utils.html.conditional_escape`` without its lazy-string wrapper: safe strings pass as they
    are, everything else is escaped exactly like ``django.utils.html.escape`` (``& < > " '``).

    The wrapper checks every argument for lazy translations on each call; with some hundred values per
    catalog page that check costs more than the escaping.
    """
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


@register.simple_tag
def facet_counts(facets):
    """Every option's count in one attribute value, e.g. ``category=12,3,0;size=4,1``.

    Used by includes/_facet_counts_oob.html; the checkboxes are includes/_facet_fieldset.html.
    """
    return ";".join(
        f"{_escape(facet.name)}={','.join(str(int(option.count)) for option in facet.options)}"
        for facet in facets
    )


def reference_summary(total: int, verified: int) -> str:
    """How many references, and how many of them the editors verified, in the words every page uses
    (cards, detail pages): e.g. "3 references, 2 of them verified"; empty without references."""
    if not total:
        return ""
    if verified:
        return ngettext(
            "%(total)s reference, %(verified)s of them verified",
            "%(total)s references, %(verified)s of them verified",
            total,
        ) % {"total": total, "verified": verified}
    return ngettext(
        "%(total)s reference, not verified", "%(total)s references, none of them verified", total
    ) % {"total": total}


@register.simple_tag
def reference_badge(total: int, verified: int) -> str:
    """The badge (``<li>`` of a badge list) with ``reference_summary``; nothing without references."""
    if not total:
        return ""
    kind = "badge badge-verified" if verified else "badge"
    label = _escape(reference_summary(total, verified))
    return mark_safe(f'<li class="{kind}">{label}</li>')  # noqa: S308 - the label is escaped


@register.simple_tag
def peer_summary(counts) -> str:
    """How many municipalities like the visitor's use a solution (``solutions.peers.PeerCounts``), e.g.
    "3 in the same Land, 1 in the same district, 2 of the same size"; a count the chosen municipality cannot
    be compared by (no size class, no key) is left out. Plain text: autoescaped where it is used."""
    parts = []
    if counts.same_state is not None:
        parts.append(gettext("%(count)s in the same Land") % {"count": counts.same_state})
    if counts.same_kreis is not None:
        parts.append(gettext("%(count)s in the same district") % {"count": counts.same_kreis})
    if counts.same_size_class is not None:
        parts.append(gettext("%(count)s of the same size") % {"count": counts.same_size_class})
    return ", ".join(parts)


def _peer_line(counts) -> str:
    """The line a card shows with a chosen municipality (``solution.peer_counts``)."""
    text = gettext("Municipalities like yours: %(counts)s") % {"counts": peer_summary(counts)}
    if counts.used_here:
        text += " · " + gettext("already in use in your municipality")
    return f'<p class="card__meta card__peers">{_escape(text)}</p>'


def shortlist_button(kind: str, pk: int, title: str) -> str:
    """The Merkliste's "add" button for a card: the same for every visitor, so cards stay cacheable.

    It submits the page's hidden #shortlist-form (includes/_header.html, with the CSRF token), also from
    inside the catalog's filter form; htmx swaps it for the state (templates/shortlist/_button.html).

    Only what differs per card is here (``type`` defaults to submit; the one class has the button styles,
    static/css/site.css, and sits directly in the card): the catalog (``SHORTLIST_HX`` on #catalog-main in
    templates/catalog/base.html, outside the swapped results) gives every button the rest by htmx
    inheritance. ``hx-post`` itself is never inherited in htmx 2, so it stays on the button; ``hx-target``
    is "closest button", which htmx resolves from the clicked button (the button itself), where an inherited
    "this" would mean the list. Twenty cards with every attribute made the htmx partial half the page's size.
    """
    url = _escape(reverse("shortlist:add"))
    return (
        f'<button class="shortlist-button" id="shortlist-{kind}-{int(pk)}" form="shortlist-form"'
        f' name="item" value="{kind}:{int(pk)}" hx-post="{url}">'
        f'{_escape(gettext("Add to shortlist"))}<span class="visually-hidden"> ({_escape(title)})</span>'
        "</button>"
    )


# The htmx attributes every card's shortlist_button inherits (the catalog form's own target, the results, and
# its pushed URL must not apply to a button click).
SHORTLIST_HX = (
    'hx-target="closest button" hx-swap="outerHTML" hx-include="#shortlist-form" hx-push-url="false"'
)


@register.simple_tag
def shortlist_list_attrs():
    """``SHORTLIST_HX`` for an element around the cards (see ``shortlist_button``)."""
    return mark_safe(SHORTLIST_HX)  # noqa: S308 - a constant


@register.simple_tag
def solution_card(solution, heading_level=3, snippet=None, note="", shortlist=False):
    """A solution in a list (templates/includes/_solution_card.html is the same for includes).

    Built in Python because twenty cards through the template engine cost more than the database work of a
    warm catalog page: on the benchmark's data (docs/performance.md) the same twenty cards took 3.1-4.7 ms
    as a template (even inlined, without an include per card: 2.8 ms) and 0.7 ms here, more than the 2 ms
    a page may spend on making them templates again.

    ``solution.vendor`` should come with ``select_related``; ``heading_level`` is 2-6; ``snippet`` is safe
    highlighted HTML: without it the card highlights the search headline the queryset annotated as
    ``solution.snippet``, if any, and otherwise shows the summary (at most 220 characters).
    ``solution.reference_count`` and ``solution.verified_reference_count`` (``with_reference_counts`` in
    solutions/filters.py) add the references badge when annotated; ``solution.peer_counts`` (set for a
    visitor who chose a municipality, solutions/peers.py) a line with its peers; ``note`` (plain text) a last
    paragraph, e.g. why the solution is recommended. Every other value is escaped.
    """
    level = heading_level_of(heading_level)
    if snippet is None:
        snippet = mark_highlights(getattr(solution, "snippet", None))
    badges = []
    if solution.is_demo:
        badges.append(f'<li class="badge badge-sample">{_escape(gettext("Sample data"))}</li>')
    if solution.maturity:
        badges.append(f'<li class="badge badge-status">{_escape(solution.get_maturity_display())}</li>')
    if solution.is_open_source:
        licence = gettext("Open source") + (f" ({solution.spdx_id})" if solution.spdx_id else "")
        badges.append(f'<li class="badge badge-open">{_escape(licence)}</li>')
    if references := getattr(solution, "reference_count", 0):
        badges.append(reference_badge(references, getattr(solution, "verified_reference_count", 0)))
    summary = solution.summary
    text = snippet or (summary if len(summary) <= 220 else Truncator(summary).chars(220))
    # The logo repeats the name in the title next to it, so it is decorative here (empty alt): twenty
    # "Logo of …" per page would only be noise, and the title link stays the card's one name.
    logo = (
        f'<img class="card__logo" src="{_escape(solution.logo_url)}" alt="" width="48" height="48"'
        ' loading="lazy">'
        if solution.logo
        else ""
    )
    counts = getattr(solution, "peer_counts", None)
    peers = _peer_line(counts) if counts is not None else ""
    note_html = f'<p class="card__text card__note">{_escape(note)}</p>' if note else ""
    if shortlist:
        note_html += shortlist_button("solution", solution.pk, solution.title)
    return mark_safe(  # noqa: S308 - every interpolated value is escaped
        f'<article class="card solution-card">{logo}<h{level} class="card__title">'
        f'<a class="card__link" href="{_escape(solution.get_absolute_url())}">{_escape(solution.title)}</a>'
        f'</h{level}><p class="card__meta">{_escape(gettext("by"))} {_escape(solution.vendor.name)}</p>'
        f'<ul class="badge-list" aria-label="{_escape(gettext("Properties"))}">{"".join(badges)}</ul>'
        f'<p class="card__text">{_escape(text)}</p>{peers}{note_html}</article>'
    )


@register.simple_tag
def pilot_card(pilot, heading_level=3, snippet=None, shortlist=False):
    """A pilot project in a list (see templates/includes/_pilot_card.html), built in Python like
    ``solution_card``. ``pilot.lead_municipality`` should come with ``select_related``; ``heading_level`` is
    2-6; ``snippet`` as for ``solution_card`` (the highlighted ``pilot.snippet`` when not given).
    """
    level = heading_level_of(heading_level)
    if snippet is None:
        snippet = mark_highlights(getattr(pilot, "snippet", None))
    municipality = pilot.lead_municipality
    meta = f"{_escape(municipality.name)} · {_escape(municipality.get_state_display())}"
    if pilot.start_date:
        meta += " · " + _escape(gettext("since %(year)s") % {"year": pilot.start_date.year})
    badges = []
    if pilot.is_demo:
        badges.append(f'<li class="badge badge-sample">{_escape(gettext("Sample data"))}</li>')
    badges.append(f'<li class="badge badge-status">{_escape(pilot.get_phase_display())}</li>')
    if pilot.model_project_round:
        funding = gettext("Modellprojekt Smart Cities %(round)s") % {"round": pilot.model_project_round}
    else:
        funding = pilot.get_funding_display()
    badges.append(f'<li class="badge badge-funding">{_escape(funding)}</li>')
    return mark_safe(  # noqa: S308 - every interpolated value is escaped
        f'<article class="card pilot-card"><h{level} class="card__title"><a class="card__link"'
        f' href="{_escape(pilot.get_absolute_url())}">{_escape(pilot.title)}</a></h{level}>'
        f'<p class="card__meta">{meta}</p>'
        f'<ul class="badge-list" aria-label="{_escape(gettext("Properties"))}">{"".join(badges)}</ul>'
        f'<p class="card__text">{_escape(snippet or pilot.summary)}</p>'
        f"{shortlist_button('pilot', pilot.pk, pilot.title) if shortlist else ''}</article>"
    )


@register.simple_tag
def municipality_card(municipality, heading_level=3):
    """A municipality in a list (templates/municipalities/_list_row.html is the same for includes), built in
    Python like ``solution_card``: 24 of them as a template took about 5 ms of the catalog page.

    The meta line names kind, Kreis and Land, so that the twenty places called Neustadt can be told apart:
    ``municipality.kind_label`` and ``municipality.kreis_name`` come from the catalog
    (``MunicipalityFilterSet.ordered()``; without them the kind's label and no Kreis).
    """
    level = heading_level_of(heading_level)
    kind = getattr(municipality, "kind_label", None) or municipality.get_kind_display()
    meta = [kind]
    if kreis := getattr(municipality, "kreis_name", ""):
        meta.append(kreis)
    if municipality.state and municipality.level != "land":
        meta.append(municipality.get_state_display())
    if municipality.population is not None:
        inhabitants = gettext("%(number)s inhabitants") % {"number": intcomma(municipality.population)}
        meta.append(inhabitants)
    badges = []
    if municipality.is_demo:
        badges.append(f'<li class="badge badge-sample">{_escape(gettext("Sample data"))}</li>')
    if municipality.dissolved_on:
        dissolved = gettext("Dissolved on %(date)s") % {
            "date": date_format(municipality.dissolved_on, "SHORT_DATE_FORMAT")
        }
        badges.append(f'<li class="badge">{_escape(dissolved)}</li>')
    if municipality.size_class:
        badges.append(f'<li class="badge">{_escape(municipality.get_size_class_display())}</li>')
    if municipality.is_model_project:
        funding = (
            gettext("Modellprojekt Smart Cities %(round)s") % {"round": municipality.model_project_round}
            if municipality.model_project_round
            else gettext("Modellprojekt Smart Cities")
        )
        badges.append(f'<li class="badge badge-funding">{_escape(funding)}</li>')
    badge_list = (
        f'<ul class="badge-list" aria-label="{_escape(gettext("Properties"))}">{"".join(badges)}</ul>'
        if badges
        else ""
    )
    return mark_safe(  # noqa: S308 - every interpolated value is escaped
        f'<article class="card municipality-card"><h{level} class="card__title"><a class="card__link"'
        f' href="{_escape(municipality.get_absolute_url())}">{_escape(municipality.name)}</a></h{level}>'
        f'<p class="card__meta">{" · ".join(_escape(part) for part in meta)}</p>{badge_list}</article>'
    )

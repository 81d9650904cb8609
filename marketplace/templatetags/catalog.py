"""Small helpers for catalog templates."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext

from marketplace.search import mark_highlights

register = template.Library()


@register.filter
def highlight(snippet):
    """A search headline with its matches in <mark>; everything else escaped."""
    return mark_highlights(snippet)


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


@register.simple_tag
def facet_options(facet):
    """The checkbox items of one facet (see includes/_facet_checkboxes.html).

    Rendered in Python because a catalog shows some 60 of them on every request and the template engine
    spends far more time on such a loop than the database spends on the counts.
    """
    return format_html_join(
        "\n",
        '<li class="facet-option"><input type="checkbox" name="{}" value="{}" id="{}"{}>'
        '<label for="{}">{} <span class="facet-count" id="{}-count">({})</span></label></li>',
        (
            (
                facet.name,
                option.value,
                option.dom_id,
                mark_safe(" checked") if option.selected else "",  # noqa: S308 - a constant
                option.dom_id,
                option.label,
                option.dom_id,
                option.count,
            )
            for option in facet.options
        ),
    )


@register.simple_tag
def solution_card(solution, snippet=""):
    """A compact solution card for catalog results (see templates/solutions/_card.html).

    Built in Python for the same reason as ``facet_options``: twenty cards through the template engine cost
    more than the whole database work of the catalog page. ``snippet`` is safe highlighted HTML or empty.
    """
    badges = []
    if solution.is_demo:
        badges.append(format_html('<li class="badge badge-sample">{}</li>', gettext("Sample data")))
    badges.append(format_html('<li class="badge badge-status">{}</li>', solution.get_maturity_display()))
    if solution.is_open_source:
        badges.append(format_html('<li class="badge badge-open">{}</li>', gettext("Open source")))
    references = getattr(solution, "reference_count", 0)
    if references:
        label = ngettext("%(counter)s reference", "%(counter)s references", references) % {
            "counter": references
        }
        badges.append(format_html('<li class="badge">{}</li>', label))
    return format_html(
        '<article class="card solution-card"><h3 class="card__title">'
        '<a class="card__link" href="{}">{}</a></h3><p class="card__meta">{}</p>'
        '<ul class="badge-list">{}</ul><p class="card__text">{}</p></article>',
        solution.get_absolute_url(),
        solution.title,
        solution.vendor.name,
        mark_safe("".join(badges)),  # noqa: S308 - each badge was built with format_html
        snippet or Truncator(solution.summary).chars(220),
    )

"""The Merkliste in templates: the header count, the add/remove button and its shared form.

The button carries no per-visitor data except on_list, which only uncached parts of a page pass in; cards
and cached fragments render the plain "add" button (catalog.shortlist_button), and the answer to a click
(htmx swap, or the page the redirect leads back to) shows the state.
"""

from django import template

from marketplace.shortlist import services

register = template.Library()


@register.simple_tag(takes_context=True)
def shortlist_count(context) -> int:
    request = context.get("request")
    return services.count(request) if request is not None else 0


@register.inclusion_tag("shortlist/_button.html", takes_context=True)
def shortlist_toggle(context, kind, obj):
    """The button with the visitor's state, for the uncached part of a detail page."""
    request = context.get("request")
    on_list = request is not None and services.contains(request, kind, obj.pk)
    return {"kind": kind, "pk": obj.pk, "title": obj.title, "on_list": on_list}

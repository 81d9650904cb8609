"""``{% can_request_information items as name %}``: has a Merkliste a published solution to ask about?"""

from django import template

register = template.Library()


@register.simple_tag
def can_request_information(items) -> bool:
    # `items` are the shortlist's Item rows, already read for the page: no query here.
    return any(item.kind == "solution" and item.is_public for item in items)

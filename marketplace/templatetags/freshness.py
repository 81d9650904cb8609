"""`{% last_link_check entry as checked %}`: when the entry's external links were last checked (no SQL)."""

from django import template

from marketplace.editorial import linkcheck

register = template.Library()


@register.simple_tag
def last_link_check(entry):
    return linkcheck.last_checked(entry)

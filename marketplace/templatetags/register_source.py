"""``{% newest_register_source version as register_source %}``, for municipalities/_register_source.html."""

from django import template

from marketplace.catalog.version import cached_for_version
from municipalities.models import RegisterSource

register = template.Library()


@register.simple_tag
def newest_register_source(version: str | None = None):
    """The source the register of municipalities reflects now, or None.

    With the page's content ``version`` (a catalog has it already) the row is kept in the cache until the
    content changes, so a catalog request pays no query for it; without one it costs one query."""
    # In a one-element tuple: "no source yet" (None) is an answer worth keeping too.
    kept = cached_for_version("register-source", lambda: (RegisterSource.objects.newest(),), version or None)
    return kept[0]

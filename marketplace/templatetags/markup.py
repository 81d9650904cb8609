"""Markdown from vendors and editors, rendered to HTML and sanitised with nh3 (an allow-list).

``{{ solution.description|markdown }}``: raw HTML in the source is escaped by Markdown's own rules first and
whatever markup remains passes nh3's allow-list, so ``<script>``, ``on*=`` handlers, ``style`` and
``javascript:`` links never reach the page. Links get ``rel="nofollow noopener noreferrer"``.
"""

import functools
import re
import threading

import markdown as markdown_lib
import nh3
from django import template
from django.utils.safestring import mark_safe

register = template.Library()

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "code", "pre", "blockquote", "ul", "ol", "li",
    "h3", "h4", "h5", "h6", "a", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": set()}
# Headings start at h3: the page has its own h1 and section h2s.
HEADING_SHIFT = {"h1": "h3", "h2": "h4", "h3": "h5", "h4": "h6", "h5": "h6", "h6": "h6"}
_HEADING = re.compile(r"<(/?)(h[1-6])\b")


_local = threading.local()


def _converter() -> markdown_lib.Markdown:
    # Building a Markdown instance with its extensions costs more than converting a description; one per
    # thread (instances are not thread-safe), reset before each use.
    if not hasattr(_local, "converter"):
        _local.converter = markdown_lib.Markdown(extensions=["extra", "sane_lists"], output_format="html")
    return _local.converter.reset()


@functools.lru_cache(maxsize=1024)
def render_markdown(text: str) -> str:
    """Sanitised HTML for ``text``; the same text always gives the same HTML, so results are memoised."""
    if not text:
        return ""
    html = _converter().convert(text)
    html = _HEADING.sub(lambda m: f"<{m.group(1)}{HEADING_SHIFT[m.group(2)]}", html)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )


@register.filter(is_safe=True)
def markdown(text):
    return mark_safe(render_markdown(text or ""))  # noqa: S308 - sanitised by nh3 above

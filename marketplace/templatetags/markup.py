"""Markdown from vendors and editors, rendered to HTML and sanitised with nh3 (an allow-list).

``{{ solution.description|markdown }}``: whatever markup the text produces passes nh3's allow-list, so
``<script>``, ``on*=`` handlers, ``style`` and ``javascript:`` links never reach the page. Links get
``rel="nofollow noopener noreferrer"``.

The parser is markdown-it-py (CommonMark): its run time grows linearly with the input and it limits the
nesting depth itself. Python-Markdown, used before, took seconds for a few thousand nested ``[`` and
crashed with a RecursionError on deeply indented lists, so one saved description could tie up a worker.
Together with the length caps on every long text field (``marketplace.limits``) a page renders any text
anybody can save in well under a second.
"""

import functools
import re

import nh3
from django import template
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

register = template.Library()

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "s", "code", "pre", "blockquote", "ul", "ol", "li",
    "h3", "h4", "h5", "h6", "a", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": set()}
# Headings start at h3: the page has its own h1 and section h2s (see outline_headings).
FIRST_HEADING_LEVEL = 3
_HEADING = re.compile(r"<(/?)h([1-6])\b")
# Deeper nesting (lists in quotes in lists …) is rendered as text; no description needs more.
MAX_NESTING = 20

# Raw HTML is parsed (and then removed or kept by nh3) rather than shown as text, so a pasted
# "<b>…</b>" keeps working; a parser instance holds no per-document state and can be shared by threads.
_parser = (
    MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING, "breaks": False})
    .enable("table")
    .enable("strikethrough")
)


@functools.lru_cache(maxsize=1024)
def render_markdown(text: str) -> str:
    """Sanitised HTML for ``text``; the same text always gives the same HTML, so results are memoised."""
    if not text:
        return ""
    html = _parser.render(text)
    html = outline_headings(html)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    ).strip()


def outline_headings(html: str) -> str:
    """Renumber the headings of ``html`` into an outline below the page's section heading (h2).

    Vendors write "## Funktionen" as often as "# Funktionen"; a fixed shift made the first an h4 straight
    after the section's h2, a skipped level that accessibility audits (axe's heading-order) and screen reader
    users trip over. Each heading becomes one level deeper than the nearest preceding heading of a higher
    source level (h3 when there is none), so no level is ever skipped, and the text's own nesting is kept.
    """
    ancestors: list[tuple[int, int]] = []  # (source level, output level) of the open outline branch
    current = FIRST_HEADING_LEVEL

    def renumber(match: re.Match) -> str:
        nonlocal current
        closing, level = match.group(1), int(match.group(2))
        if not closing:
            while ancestors and ancestors[-1][0] >= level:
                ancestors.pop()
            current = min(ancestors[-1][1] + 1 if ancestors else FIRST_HEADING_LEVEL, 6)
            ancestors.append((level, current))
        # Headings do not nest: a closing tag belongs to the last opening one.
        return f"<{closing}h{current}"

    return _HEADING.sub(renumber, html)


@register.filter(is_safe=True)
def markdown(text):
    return mark_safe(render_markdown(text or ""))  # noqa: S308 - sanitised by nh3 above

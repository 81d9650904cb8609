"""Markdown from vendors is rendered and sanitised: no scripts, handlers or javascript: links survive."""

import time

import pytest
from django.db import IntegrityError, transaction
from django.template import Context, Template

from marketplace.limits import DESCRIPTION_MAX_CHARS
from marketplace.templatetags.markup import render_markdown


def test_markdown_renders_structure_with_shifted_headings():
    html = render_markdown("# Titel\n\n## Abschnitt\n\n- eins\n- **zwei**\n\n[Quelle](https://example.org)")
    assert html.startswith("<h3>Titel</h3>\n<h4>Abschnitt</h4>")
    assert "<li><strong>zwei</strong></li>" in html
    assert '<a href="https://example.org" rel="nofollow noopener noreferrer">Quelle</a>' in html


def test_markdown_headings_never_skip_a_level_below_the_section_heading():
    # "##" as the top level (as most vendors write) becomes h3 right under the page's h2, not h4; a jump in
    # the text ("#" to "####") closes up; a later top-level heading returns to h3.
    html = render_markdown("## Funktionen\n\n#### Sensoren\n\n### Daten\n\n# Einführung\n\n###### Kosten")
    assert html == (
        "<h3>Funktionen</h3>\n<h4>Sensoren</h4>\n<h4>Daten</h4>\n<h3>Einführung</h3>\n<h4>Kosten</h4>"
    )


def test_markdown_drops_script_handlers_and_javascript_links():
    html = render_markdown(
        "<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n"
        '<a href="javascript:alert(3)">klick</a> <p style="color:red" onclick="x()">Text</p>'
    )
    assert "<script" not in html
    assert "alert(1)" not in html
    assert "onerror" not in html and "onclick" not in html and "style=" not in html
    assert "javascript:" not in html
    assert "<img" not in html
    assert "Text" in html and "klick" in html


def test_markdown_filter_marks_output_safe_and_handles_empty():
    template = Template("{% load markup %}[{{ text|markdown }}]")
    assert template.render(Context({"text": "*kursiv*"})) == "[<p><em>kursiv</em></p>]"
    assert template.render(Context({"text": None})) == "[]"


# ---------- No saved text makes a page slow ----------

# Inputs that took Python-Markdown seconds (nested brackets, footnote and link starts) or crashed it with a
# RecursionError (deeply nested list indentation), each filled up to the description's cap.
HOSTILE = ["[", "[a](", "![", "[a][", "[^", "    - ", "1. ", "> ", "*a", "__a", "<a ", "a|b\n-|-\n", "`a"]


@pytest.mark.parametrize("unit", HOSTILE)
def test_hostile_markdown_up_to_the_cap_renders_fast(unit):
    text = (unit * (DESCRIPTION_MAX_CHARS // len(unit) + 1))[:DESCRIPTION_MAX_CHARS]
    render_markdown.cache_clear()
    started = time.perf_counter()
    html = render_markdown(text)
    elapsed = time.perf_counter() - started
    assert isinstance(html, str)
    # Measured: at most about 0.15 s on a 2-core machine; generous for slow CI machines.
    assert elapsed < 1.0, f"{unit!r} took {elapsed:.2f} s"


def test_eight_thousand_nested_brackets_render_in_well_under_a_second():
    render_markdown.cache_clear()
    started = time.perf_counter()
    html = render_markdown("[" * 8000)
    assert time.perf_counter() - started < 0.5
    assert html == "<p>" + "[" * 8000 + "</p>"


@pytest.mark.django_db
def test_description_longer_than_the_cap_gets_a_clear_form_message():
    from solutions.portal.forms import SolutionForm

    form = SolutionForm({"title": "Lang", "description": "x" * (DESCRIPTION_MAX_CHARS + 1)})
    assert not form.is_valid()
    assert form.errors["description"] == [
        "Bitte sicherstellen, dass der Wert aus höchstens 10000 Zeichen besteht. "
        "(Er besteht aus 10001 Zeichen.)"
    ]
    assert f'maxlength="{DESCRIPTION_MAX_CHARS}"' in str(form["description"])


@pytest.mark.django_db
def test_database_refuses_a_description_longer_than_the_cap_on_any_write_path():
    from solutions.models import Solution
    from tests.factories import SolutionFactory

    solution = SolutionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Solution.objects.filter(pk=solution.pk).update(description="x" * (DESCRIPTION_MAX_CHARS + 1))

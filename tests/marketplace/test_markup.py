"""Markdown from vendors is rendered and sanitised: no scripts, handlers or javascript: links survive."""

from django.template import Context, Template

from marketplace.templatetags.markup import render_markdown


def test_markdown_renders_structure_with_shifted_headings():
    html = render_markdown("# Titel\n\n## Abschnitt\n\n- eins\n- **zwei**\n\n[Quelle](https://example.org)")
    assert html.startswith("<h3>Titel</h3>\n<h4>Abschnitt</h4>")
    assert "<li><strong>zwei</strong></li>" in html
    assert '<a href="https://example.org" rel="nofollow noopener noreferrer">Quelle</a>' in html


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

"""The outputs' markdown renderer: the writers' markup becomes HTML, and nothing unsafe gets through."""

from __future__ import annotations

import re

import nh3
import pytest

from dashboards.markdown import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_CLASSES,
    ALLOWED_TAGS,
    render_inline,
    render_markdown,
)

ATTACKS = [
    '[a](https://x/`"onmouseover="alert(1)"`)',
    '[a](https://x/"onmouseover="alert(1))',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](javascript&#58;alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![i](javascript:alert(1))",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '<input autofocus onfocus="alert(1)">',
    "`` `<b onclick=alert(1)>` ``",
    '[`code`](https://x/`"autofocus onfocus="alert(1)`)',
    "<a href='javascript:alert(1)'>x</a>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "[x](<javascript:alert(1)>)",
    "[x](vbscript:msgbox(1))",
    "[x]( javascript:alert(1) )",
    "[x](java\tscript:alert(1))",
    "[x](javascript\\:alert(1))",
    "<details open ontoggle=alert(1)>",
    '<div class="table-scroll" onclick="alert(1)">x</div>',
    "[x][r]\n\n[r]: javascript:alert(1)",
    '<https://x/"onmouseover="alert(1)>',
    "<javascript:alert(1)>",
]
HANDLER = re.compile(r"<[^>]*\son\w+\s*=", re.IGNORECASE)
HREF = re.compile(r'href="([^"]*)"')


def nh3_only(html: str) -> str:
    """The sanitizer with the renderer's allow-lists, for markup markdown-it never emits."""
    return nh3.clean(
        html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, allowed_classes=ALLOWED_CLASSES
    )


def test_it_renders_headings_paragraphs_and_emphasis():
    html = render_markdown("# Title\n\nSome **bold** and *italic* text.\n\n## Part")
    assert "<h1>Title</h1>" in html and "<h2>Part</h2>" in html
    assert "<p>Some <strong>bold</strong> and <em>italic</em> text.</p>" in html


def test_it_renders_bullet_and_numbered_lists():
    html = render_markdown("- **One.** first\n- Two\n\n1. Alpha\n2. Beta").replace("\n", "")
    assert "<ul><li><strong>One.</strong> first</li><li>Two</li></ul>" in html
    assert "<ol><li>Alpha</li><li>Beta</li></ol>" in html


def test_it_renders_pipe_tables():
    html = render_markdown("| Keyword | Type |\n|---|---|\n| trail shoes | product |\n")
    flat = html.replace("\n", "")
    assert "<thead><tr><th>Keyword</th><th>Type</th></tr></thead>" in flat
    assert "<tbody><tr><td>trail shoes</td><td>product</td></tr></tbody>" in flat


def test_wide_tables_scroll_on_their_own():
    html = render_markdown("| a | b |\n|:--|--:|\n| 1 | 2 |\n")
    assert html.startswith('<div class="table-scroll"><table>')
    assert html.rstrip().endswith("</table>\n</div>")
    assert '<th style="text-align:left">a</th>' in html


def test_a_line_break_inside_a_paragraph_stays_a_line_break():
    assert render_markdown("Visit us\n12 High Street") == "<p>Visit us<br>\n12 High Street</p>\n"


def test_classes_and_tags_outside_the_allow_list_are_dropped():
    html = nh3_only('<div class="evil table-scroll" style="x">a</div><span>b</span>')
    assert html == '<div class="table-scroll">a</div>b'


def test_it_renders_quotes_rules_and_code():
    html = render_markdown("> quoted\n\n---\n\n```\n<b>raw</b>\n```\n\nuse `x < y`")
    assert "<blockquote>" in html and "<p>quoted</p>" in html
    assert "<hr>" in html
    assert "<pre><code>&lt;b&gt;raw&lt;/b&gt;\n</code></pre>" in html
    assert "<code>x &lt; y</code>" in html


def test_raw_html_is_shown_as_text_never_interpreted():
    html = render_markdown('<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">')
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_only_safe_link_schemes_become_links():
    assert render_inline("[site](https://example.com/a?b=1&c=2)") == (
        '<a href="https://example.com/a?b=1&amp;c=2" target="_blank" '
        'rel="noopener noreferrer nofollow">site</a>'
    )
    assert "<a" not in render_inline("[bad](javascript:alert%281%29)")
    assert 'href="mailto:hi@example.com"' in render_inline("[mail](mailto:hi@example.com)")


@pytest.mark.parametrize("attack", ATTACKS)
def test_no_known_attack_shape_yields_a_handler_a_script_or_an_unsafe_url(attack: str):
    for html in (render_markdown(attack), render_inline(attack), render_markdown(f"# {attack}")):
        assert not HANDLER.search(html), html
        assert "<script" not in html.lower() and "<img" not in html and "<svg" not in html
        assert "<input" not in html and "<iframe" not in html
        for href in HREF.findall(html):
            assert href.startswith(("https://", "http://", "mailto:")), html
            assert '"' not in href


def test_a_code_span_inside_a_link_url_stays_inside_the_attribute():
    html = render_markdown('[a](https://x/`"onmouseover="alert(1)"`)')
    assert 'onmouseover="' not in html
    assert html.count('"') == 6  # href="…", target="…" and rel="…", nothing more

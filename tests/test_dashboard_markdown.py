"""The outputs' markdown renderer: the writers' markup becomes HTML, and nothing unsafe gets through."""

from __future__ import annotations

from dashboards.markdown import render_inline, render_markdown


def test_it_renders_headings_paragraphs_and_emphasis():
    html = render_markdown(
        "# Title\n\nSome **bold** and *italic* text\nwith a second line.\n\n## Part"
    )
    assert html == (
        "<h1>Title</h1>\n"
        "<p>Some <strong>bold</strong> and <em>italic</em> text<br>\nwith a second line.</p>\n"
        "<h2>Part</h2>"
    )


def test_it_renders_bullet_and_numbered_lists():
    html = render_markdown("- **One.** first\n- Two\n\n1. Alpha\n2. Beta")
    assert "<ul><li><strong>One.</strong> first</li><li>Two</li></ul>" in html
    assert "<ol><li>Alpha</li><li>Beta</li></ol>" in html


def test_it_renders_pipe_tables():
    html = render_markdown("| Keyword | Type |\n|---|---|\n| trail shoes | product |\n")
    assert "<thead><tr><th>Keyword</th><th>Type</th></tr></thead>" in html
    assert "<tbody><tr><td>trail shoes</td><td>product</td></tr></tbody>" in html


def test_it_renders_quotes_rules_and_code():
    html = render_markdown("> quoted\n\n---\n\n```\n<b>raw</b>\n```\n\nuse `x < y`")
    assert "<blockquote><p>quoted</p></blockquote>" in html
    assert "<hr>" in html
    assert "<pre><code>&lt;b&gt;raw&lt;/b&gt;</code></pre>" in html
    assert "<code>x &lt; y</code>" in html


def test_raw_html_is_shown_as_text_never_interpreted():
    html = render_markdown('<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">')
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_only_safe_link_schemes_become_links():
    assert render_inline("[site](https://example.com/a?b=1&c=2)") == (
        '<a href="https://example.com/a?b=1&amp;c=2" rel="nofollow noopener" target="_blank">site</a>'
    )
    assert render_inline("[bad](javascript:alert%281%29)") == "bad"
    assert 'href="mailto:hi@example.com"' in render_inline("[mail](mailto:hi@example.com)")


def test_a_quote_in_a_link_cannot_break_out_of_the_attribute():
    html = render_inline('[x](https://e.com/"onmouseover="alert(1))')
    assert '"onmouseover' not in html

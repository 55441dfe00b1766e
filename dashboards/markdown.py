"""Markdown of outputs to HTML that is safe to put in a page.

markdown-it-py renders (CommonMark plus pipe tables) with raw HTML disabled, so HTML in the
source is shown as text; nh3, an allow-list sanitizer, then keeps only the tags and attributes
below and links with http, https or mailto addresses. Every output is rendered through here:
brief fields reach outputs verbatim, so outputs are untrusted input.
"""

from __future__ import annotations

from typing import Any

import nh3
from markdown_it import MarkdownIt

# A line break inside a paragraph stays a line break: writers put addresses, hashtags and
# caption lines on lines of their own.
_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True})
_renderer.enable("table")


def _table_open(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    # Wide tables scroll on their own instead of widening the page.
    return '<div class="table-scroll">' + self.renderToken(tokens, idx, options, env)


def _table_close(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    return self.renderToken(tokens, idx, options, env) + "</div>"


_renderer.add_render_rule("table_open", _table_open)
_renderer.add_render_rule("table_close", _table_close)

ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "div", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "li", "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "td": {"style"}, "th": {"style"}}
ALLOWED_CLASSES = {"div": {"table-scroll"}}
LINK_SCHEMES = {"http", "https", "mailto"}


def render_markdown(source: str) -> str:
    """Markdown to sanitized HTML."""
    html = _renderer.render(source or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=LINK_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        set_tag_attribute_values={"a": {"target": "_blank"}},
        filter_style_properties={"text-align"},
    )


def render_inline(text: str) -> str:
    """One line of Markdown (a title, a table cell) without the paragraph around it."""
    html = render_markdown(text).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html

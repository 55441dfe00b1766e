"""A small, safe Markdown renderer for outputs: every character is escaped before markup is added.

It covers what the writers produce (headings, paragraphs, lists, emphasis, code, links, block
quotes, rules and pipe tables). Raw HTML in the source is shown as text, never interpreted, and
links keep only http, https and mailto addresses.
"""

from __future__ import annotations

import re
from html import escape

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
ORDERED = re.compile(r"^\s*(\d{1,9})[.)]\s+(.*)$")
RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")
TABLE_DIVIDER = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")

CODE_SPAN = re.compile(r"`([^`]+)`")
LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
EMPHASIS = re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])")
SAFE_URL = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)


def render_markdown(source: str) -> str:
    """Markdown to HTML, safe to mark as such: the input is escaped first."""
    lines = (source or "").replace("\r\n", "\n").split("\n")
    return "\n".join(_blocks(lines))


def render_inline(text: str) -> str:
    """Escape, then add code spans, links, bold and italics."""
    codes: list[str] = []

    def keep_code(match: re.Match[str]) -> str:
        codes.append(f"<code>{escape(match.group(1), quote=False)}</code>")
        return f"\x00{len(codes) - 1}\x00"

    text = CODE_SPAN.sub(keep_code, text)
    text = escape(text, quote=False)
    text = LINK.sub(_link, text)
    text = STRONG.sub(r"<strong>\2</strong>", text)
    text = EMPHASIS.sub(r"<em>\2</em>", text)
    return re.sub(r"\x00(\d+)\x00", lambda m: codes[int(m.group(1))], text)


def _link(match: re.Match[str]) -> str:
    # Both parts were escaped with the rest of the line; only quotes still need it in an attribute.
    label, url = match.group(1), match.group(2)
    if not SAFE_URL.match(url):
        return label
    href = url.replace('"', "&quot;").replace("'", "&#x27;")
    return f'<a href="{href}" rel="nofollow noopener" target="_blank">{label}</a>'


def _blocks(lines: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        if FENCE.match(line):
            i = _code_block(lines, i, out)
            continue
        heading = HEADING.match(line)
        if heading:
            level = len(heading.group(1))
            out.append(f"<h{level}>{render_inline(heading.group(2))}</h{level}>")
            i += 1
            continue
        if RULE.match(line):
            out.append("<hr>")
            i += 1
            continue
        if line.lstrip().startswith(">"):
            quoted: list[str] = []
            while i < len(lines) and lines[i].lstrip().startswith(">"):
                quoted.append(lines[i].lstrip()[1:].removeprefix(" "))
                i += 1
            out.append("<blockquote>" + "\n".join(_blocks(quoted)) + "</blockquote>")
            continue
        if "|" in line and i + 1 < len(lines) and TABLE_DIVIDER.match(lines[i + 1]):
            i = _table(lines, i, out)
            continue
        if BULLET.match(line) or ORDERED.match(line):
            i = _list(lines, i, out)
            continue
        paragraph: list[str] = []
        while i < len(lines) and lines[i].strip() and not _starts_block(lines, i):
            paragraph.append(lines[i].strip())
            i += 1
        if not paragraph:  # a line that looks like a block start but is not one
            paragraph.append(lines[i].strip())
            i += 1
        out.append("<p>" + "<br>\n".join(render_inline(p) for p in paragraph) + "</p>")
    return out


def _starts_block(lines: list[str], i: int) -> bool:
    line = lines[i]
    return bool(
        HEADING.match(line)
        or FENCE.match(line)
        or RULE.match(line)
        or BULLET.match(line)
        or ORDERED.match(line)
        or line.lstrip().startswith(">")
        or ("|" in line and i + 1 < len(lines) and TABLE_DIVIDER.match(lines[i + 1]))
    )


def _code_block(lines: list[str], i: int, out: list[str]) -> int:
    fence = FENCE.match(lines[i]).group(1)  # type: ignore[union-attr]
    body: list[str] = []
    i += 1
    while i < len(lines) and not lines[i].strip().startswith(fence):
        body.append(lines[i])
        i += 1
    out.append("<pre><code>" + escape("\n".join(body), quote=False) + "</code></pre>")
    return i + 1


def _list(lines: list[str], i: int, out: list[str]) -> int:
    ordered = bool(ORDERED.match(lines[i]))
    pattern = ORDERED if ordered else BULLET
    items: list[str] = []
    while i < len(lines):
        match = pattern.match(lines[i])
        if match:
            items.append(match.group(2) if ordered else match.group(1))
        elif lines[i].strip() and lines[i].startswith((" ", "\t")) and items:
            items[-1] += " " + lines[i].strip()  # a wrapped continuation line
        else:
            break
        i += 1
    tag = "ol" if ordered else "ul"
    body = "".join(f"<li>{render_inline(item)}</li>" for item in items)
    out.append(f"<{tag}>{body}</{tag}>")
    return i


def _cells(line: str) -> list[str]:
    stripped = line.strip()
    stripped = stripped.removeprefix("|").removesuffix("|")
    return [cell.strip() for cell in stripped.split("|")]


def _table(lines: list[str], i: int, out: list[str]) -> int:
    head = _cells(lines[i])
    i += 2
    rows: list[list[str]] = []
    while i < len(lines) and "|" in lines[i] and lines[i].strip():
        rows.append(_cells(lines[i]))
        i += 1
    thead = "".join(f"<th>{render_inline(c)}</th>" for c in head)
    tbody = "".join(
        "<tr>" + "".join(f"<td>{render_inline(c)}</td>" for c in row) + "</tr>" for row in rows
    )
    out.append(
        f'<div class="table-scroll"><table><thead><tr>{thead}</tr></thead>'
        f"<tbody>{tbody}</tbody></table></div>"
    )
    return i

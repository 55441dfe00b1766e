"""The deterministic parser: treatment text as people write it, read into scenes and hints."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from jobs.planner.chartdata import data_point, is_rule_row, table_cells, table_points
from jobs.planner.directions import DIRECTION, sentences, split_directions
from jobs.planner.hints import HINT_LABEL, HINT_WINDOW, hints_from_labels, hints_from_prose
from jobs.planner.labels import FIELD_LABELS, TITLE_COLUMNS
from jobs.planner.text import (
    BULLET,
    QUOTES_OPEN,
    balance_quotes,
    has_words,
    plain,
    sanitise,
    unquote,
)
from jobs.planner.timecodes import (
    BARE_SECONDS,
    CLOCK_START,
    Timing,
    find_range,
    seconds,
    take_timing,
)
from jobs.planner.treatment import (
    MAX_CHART_POINTS,
    MAX_ITEM_TEXT,
    MAX_ITEMS,
    ParsedScene,
    ParsedTreatment,
    clip,
)
from jobs.planner.vocabulary import purpose_by_position, purpose_from_text

MAX_SCENES = 200
HEADER_LIMIT = MAX_SCENES + 1  # one past the last scene kept is enough to end it
BODY_LIMIT = 2000  # lines read per scene
PREAMBLE_LIMIT = 2000  # lines read for hints; they sit at the top
HEADER_MAX = 200  # longer lines are never headers, which also keeps the regexes cheap


# --- labels ---------------------------------------------------------------------------------

# Label spellings per field (jobs/planner/labels.py), longest tried first.
_FIELD_LABELS: dict[str, str] = FIELD_LABELS
_LABEL_FIELD = {
    label: name for name, labels in _FIELD_LABELS.items() for label in labels.split("|")
}
_LABEL_ALTERNATION = "|".join(re.escape(x) for x in sorted(_LABEL_FIELD, key=len, reverse=True))
_LABEL = re.compile(
    # "Shot 3: ..." is a numbered visual label; "(V.O.)" qualifies a label.
    rf"^({_LABEL_ALTERNATION})(?:\s*#?\d{{1,3}}[a-z]?)?\s*(?:\([^)]{{0,40}}\))?\s*"
    r"(?::|[-–—]\s|$)\s*",
    re.IGNORECASE,
)
_INLINE_VOICE = re.compile(
    r"(?<=[.!?;])\s+(?=(?:VO|V\.O\.|Narration|Narrator|Voiceover|Voice-over)\s*:)", re.IGNORECASE
)
_CUE = re.compile(
    r"^[A-Z][A-Z0-9 .'\-]{0,30}\s*\((?:V\.?\s?O\.?|O\.?\s?S\.?|CONT'?D|VOICE[- ]?OVER)\)\s*:?$"
)
_EFFECT_NAMES = {
    "sfx": "SFX",
    "fx": "SFX",
    "sound": "SFX",
    "sound effect": "SFX",
    "sound effects": "SFX",
    "effect": "Effect",
    "effects": "Effect",
    "transition": "Transition",
    "transitions": "Transition",
}

_VISUAL_CUE = re.compile(
    r"^(?:we\s+)?(?:open(?:s|ing)?\s+(?:on|with)|close[- ]?up|extreme close|close on|wide"
    r"|medium shot|establishing|aerial|drone|cut(?:s)?\s+to|pan(?:s)?\b|tilt|zoom|dolly|push in"
    r"|tracking|slow[- ]?motion|slo-mo|montage|split[- ]screen|screen recording|screencast"
    r"|animated|animation|motion graphics?|graphics?\b|footage|b-roll|shot of|over[- ]the"
    r"|pov\b|time[- ]?lapse|fade (?:in|to|up|out)|see\b|overhead|top[- ]down|macro|product shot"
    r"|logo\b|end card|end screen|title card|hero shot|a shot|interior|exterior|ext\.|int\.|flash(?:es)?\b"
    r"|quick cuts|a montage|an animated|illustration)",
    re.IGNORECASE,
)

# --- headers --------------------------------------------------------------------------------

_NUMBER_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
_SCENE_WORD = re.compile(
    r"^(scene|shot|segment|sequence|sc\.|section|part|beat|chapter"
    r"|escena|secuencia|toma|scène|séquence|szene|einstellung|scena|cena|phân cảnh|cảnh)\s*#?\s*"
    rf"(\d{{1,3}}|[ivxlc]{{1,6}}|{_NUMBER_WORDS})\b[.)]?\s*(.*)$",
    re.IGNORECASE,
)
_WEAK_SCENE_WORDS = {"section", "part", "beat", "chapter"}
# Shots are grouped under scenes when a script numbers both.
_SHOT_WORDS = {"shot", "toma", "einstellung"}
_SLUGLINE = re.compile(r"^(?:\d{1,3}[.)]?\s+)?((?:INT|EXT|INT\./EXT|EXT\./INT|I/E)[./]\s*.*)$")
_NUMBERED = re.compile(r"^(\d{1,3})\s*[.)]\s+(\S.*)$")
_PURPOSE_HEADER = re.compile(
    r"^(?:the\s+)?(hook|cold open|opening|opener|intro|introduction|problem|pain points?"
    r"|solution|reveal|demo|how it works|features?|benefits?|proof|social proof|results"
    r"|testimonials?|cta|call to action|outro|closing|close|end card|conclusion|wrap[- ]up)\b",
    re.IGNORECASE,
)
_NON_SCENE_HEADING = re.compile(
    r"^(?:overview|notes?|production notes|director'?s? notes|specs?|specifications|brief"
    r"|summary|synopsis|logline|audience|target audience|goals?|objectives?|tone|style"
    r"|style guide|look (?:and|&) feel|music|music notes|sound design|deliverables?"
    r"|references?|format|details|concept|brand|key messages?|assets|requirements|cast"
    r"|locations?|credits|appendix|budget|schedule|metadata|info|information|about"
    r"|production details)\b",
    re.IGNORECASE,
)
_CONTAINER_HEADING = re.compile(
    r"^(?:the\s+)?(?:video\s+)?(?:script|treatment|scenes|storyboard|shot list|scene breakdown"
    r"|breakdown|outline|structure)\s*:?$",
    re.IGNORECASE,
)
_NUMBERING = re.compile(r"^\d{1,3}[.)]\s+")
_SEPARATORS = (": ", " - ", " – ", " — ", " | ", " -- ")


@dataclass
class _Line:
    raw: str
    text: str  # stripped
    plain: str  # without markdown marks
    heading: int  # markdown heading level, 0 when not a heading
    indent: int


@dataclass
class _Header:
    line: int
    title: str = ""
    body: str = ""
    timing: Timing = field(default_factory=Timing)
    purpose: str | None = None


def _lines(text: str) -> list[_Line]:
    out = []
    for raw in text.split("\n"):
        stripped = raw.strip()
        level = 0
        if stripped.startswith("#"):
            hashes = len(stripped) - len(stripped.lstrip("#"))
            if hashes <= 6 and stripped[hashes : hashes + 1] in (" ", ""):
                level = hashes
        out.append(_Line(raw, stripped, plain(stripped), level, len(raw) - len(raw.lstrip())))
    return out


def _is_decorated(line: _Line) -> bool:
    text = line.text
    return line.heading > 0 or (
        text.startswith(("**", "__")) and text.rstrip(":").endswith(("**", "__"))
    )


def _split_title(rest: str) -> tuple[str, str]:
    """A header's remaining text split into a short title and any body text after it."""
    rest = _NUMBERING.sub("", rest.strip().strip(":-–—|.").strip())
    cuts = [(rest.find(sep), sep) for sep in _SEPARATORS if rest.find(sep) > 0]
    if cuts:
        at, sep = min(cuts)
        left, right = rest[:at].strip(), rest[at + len(sep) :].strip()
        if left and len(left.split()) <= 8:
            return unquote(left), right
    if len(rest.split()) <= 6 and not rest.endswith((".", "!", "?")):
        return unquote(rest), ""
    return "", rest


def _header_from_rest(index: int, rest: str, purpose_source: str = "") -> _Header:
    rest, timing = take_timing(rest)
    title, body = _split_title(rest)
    purpose = purpose_from_text(title) or purpose_from_text(purpose_source)
    return _Header(index, clip(title, 200), body, timing, purpose)


def _scene_word_header(index: int, line: _Line) -> _Header | None:
    bullet = BULLET.match(line.plain)
    match = _SCENE_WORD.match(line.plain[bullet.end() :] if bullet else line.plain)
    if not match:
        return None
    word, rest = match.group(1).lower(), match.group(3)
    opens_with_separator = rest[:1] in ("", ":", "-", "–", "—", "|", "(", "[", ".", "/")
    if word in _WEAK_SCENE_WORDS and not (opens_with_separator or _is_decorated(line)):
        return None
    short = len(rest.split()) <= 4 and not rest.endswith((".", "!", "?", ","))
    if not (opens_with_separator or _is_decorated(line) or short):
        return None
    return _header_from_rest(index, rest)


def _slug_header(index: int, line: _Line) -> _Header | None:
    match = _SLUGLINE.match(line.plain)
    if not match:
        return None
    rest, timing = take_timing(match.group(1))
    return _Header(index, clip(rest, 200), "", timing, purpose_from_text(rest))


def _timecode_header(index: int, line: _Line) -> _Header | None:
    text = line.plain
    found = find_range(text[:40])
    if found and found[2] <= 1:
        header = _header_from_rest(index, text[found[3] :].lstrip(")] "))
        header.timing = Timing(found[0], found[1])
        return header
    match = CLOCK_START.match(text)
    if match and match.group(2):
        header = _header_from_rest(index, match.group(2))
        header.timing = Timing(start=seconds(match.group(1)))
        return header
    return None


def _purpose_header(index: int, line: _Line) -> _Header | None:
    text = line.plain
    match = _PURPOSE_HEADER.match(text)
    if not match or len(text) > 100:
        return None
    after = text[match.end() :].strip()
    # "Problem: ..." and "HOOK (0-3s)" open scenes; "Problem solving is hard" is prose.
    if after and after[0] not in ":-–—|([" and not _is_decorated(line):
        return None
    return _header_from_rest(index, text, text)


def _caps_header(index: int, line: _Line) -> _Header | None:
    text = line.plain.rstrip(":").strip()
    if not 3 <= len(text) <= 60 or not has_words(text) or _CUE.match(text):
        return None
    if _LABEL.match(text) or text[0] in QUOTES_OPEN:
        return None
    bold = line.text.startswith("**") and line.text.rstrip(":").endswith("**")
    caps = text.isupper() and sum(ch.isalpha() for ch in text) >= 3
    if not (bold or caps):
        return None
    return _header_from_rest(index, text, text)


def _numbered_headers(lines: list[_Line]) -> list[_Header]:
    headers: list[_Header] = []
    expected: int | None = None
    for index, line in enumerate(lines):
        if line.indent > 1 or len(line.text) > HEADER_MAX:
            continue
        match = _NUMBERED.match(line.plain)
        if not match:
            continue
        number = int(match.group(1))
        if expected is None or number == expected:
            headers.append(_header_from_rest(index, match.group(2)))
            expected = number + 1
            if len(headers) >= HEADER_LIMIT:
                break
    return headers


def _markdown_headers(lines: list[_Line]) -> tuple[list[_Header], list[int]]:
    """Scene headings and the lines that open non-scene sections (notes, specs, music)."""
    headings = [
        i
        for i, line in enumerate(lines)
        if line.heading and len(line.text) <= HEADER_MAX and has_words(line.plain)
    ]
    notes = _note_lines(lines)
    skip = set(notes)
    candidates = [
        i for i in headings if i not in skip and not _CONTAINER_HEADING.match(lines[i].plain)
    ]
    if len(candidates) >= 3:
        first = candidates[0]
        deeper = [i for i in candidates[1:] if lines[i].heading > lines[first].heading]
        # A lone top-level heading over deeper ones is the document's title.
        if len(deeper) == len(candidates) - 1:
            candidates = candidates[1:]
    if not candidates:
        return [], notes
    level = min(lines[i].heading for i in candidates)
    scene_lines = [i for i in candidates if lines[i].heading == level][:HEADER_LIMIT]
    return [_header_from_rest(i, lines[i].plain, lines[i].plain) for i in scene_lines], notes


def _simple_headers(
    lines: list[_Line], finder: Callable[[int, _Line], _Header | None]
) -> list[_Header]:
    found = []
    for index, line in enumerate(lines):
        if line.text and len(line.text) <= HEADER_MAX:
            header = finder(index, line)
            if header is not None:
                found.append(header)
                if len(found) >= HEADER_LIMIT:
                    break
    return found


def _scene_word(line: _Line) -> str:
    bullet = BULLET.match(line.plain)
    match = _SCENE_WORD.match(line.plain[bullet.end() :] if bullet else line.plain)
    return match.group(1).lower() if match else ""


def _without_shots(lines: list[_Line], headers: list[_Header]) -> list[_Header]:
    """Scene headers only, when shots are numbered under them: the shots are the scene's
    visuals, not scenes of their own."""
    shots = [h for h in headers if _scene_word(lines[h.line]) in _SHOT_WORDS]
    if not shots or len(shots) == len(headers):
        return headers
    return [h for h in headers if h not in shots]


def _with_sibling_headings(lines: list[_Line], headers: list[_Header]) -> list[_Header]:
    """An outline's "## Part 1" and "## Part 2" come with "## Intro" and "## Outro" beside
    them: when every scene-word header is a markdown heading, its sibling headings are
    scenes too."""
    if not headers or not all(lines[h.line].heading for h in headers):
        return headers
    siblings, _ = _markdown_headers(lines)
    found = {h.line for h in headers}
    if found < {h.line for h in siblings}:
        return siblings
    return headers


def _note_lines(lines: list[_Line]) -> list[int]:
    return [
        i
        for i, line in enumerate(lines)
        if line.heading and len(line.text) <= HEADER_MAX and _NON_SCENE_HEADING.match(line.plain)
    ]


def _choose_headers(lines: list[_Line]) -> tuple[list[_Header], list[int]]:
    """The scene headers of the strongest kind the treatment uses, plus note-section starts."""
    notes = _note_lines(lines)
    for finder, minimum in ((_scene_word_header, 1), (_slug_header, 1), (_timecode_header, 2)):
        headers = _simple_headers(lines, finder)
        if finder is _scene_word_header:
            headers = _without_shots(lines, headers)
            headers = _with_sibling_headings(lines, headers)
        if len(headers) >= minimum:
            return headers, notes
    headers, notes = _markdown_headers(lines)
    if len(headers) >= 2:
        return headers, notes
    for candidates in (
        _numbered_headers(lines),
        _simple_headers(lines, _purpose_header),
        _simple_headers(lines, _caps_header),
    ):
        if len(candidates) >= 2:
            return candidates, notes
    return [], notes


# --- scene bodies ---------------------------------------------------------------------------


@dataclass
class _Body:
    narration: list[str] = field(default_factory=list)
    visuals: list[str] = field(default_factory=list)
    on_screen: list[str] = field(default_factory=list)
    music: list[str] = field(default_factory=list)
    effects: list[str] = field(default_factory=list)
    prose: list[str] = field(default_factory=list)
    # Bullets that are not shots: an outline's talking points, spoken when nothing else is.
    talking: list[str] = field(default_factory=list)
    points: list[dict[str, object]] = field(default_factory=list)
    point_lines: list[str] = field(default_factory=list)
    table: list[str] = field(default_factory=list)
    chart_title: str = ""
    timing: Timing = field(default_factory=Timing)
    purpose: str | None = None

    def add(self, name: str, text: str, new_item: bool) -> None:
        target = {
            "narration": self.narration,
            "visuals": self.visuals,
            "on_screen": self.on_screen,
            "music": self.music,
            "effects": self.effects,
            "prose": self.prose,
            "talking": self.talking,
        }.get(name)
        if target is None or not text:
            return
        if name == "narration":
            text = unquote(text)
        if target and not new_item:
            target[-1] = f"{target[-1]} {text}"
        elif len(target) < MAX_ITEMS * 5:
            target.append(text)


def _split_inline_voice(lines: list[str]) -> list[str]:
    """Lines with a mid-line "... rings. VO: Hello." split where the narration label starts."""
    out: list[str] = []
    for line in lines:
        out.extend(_INLINE_VOICE.split(line) if len(line) <= 2000 else [line])
    return out


def _read_body(lines: list[str]) -> _Body:
    """Sort a scene's lines into narration, visuals, text, music, effects and data."""
    body = _Body()
    current: str | None = None  # the labelled field that unlabelled lines continue
    for raw in _split_inline_voice(lines):
        text = raw.strip()
        if not text:
            current = None
            continue
        if text.startswith("|"):
            body.table.append(text)
            continue
        if text.startswith("#"):
            text = text.lstrip("#").strip()
        text = text.lstrip(">").strip()
        bullet = BULLET.match(text)
        if bullet:
            # A numbered shot ("23. Logo on cream") starts afresh: it is not one more line
            # of the on-screen text or music cue above it.
            if text[0].isdigit() and current not in (None, "narration"):
                current = None
            text = text[bullet.end() :]
        text = text.replace("*", "").replace("__", "").strip()
        if not has_words(text):
            continue
        if text.startswith("(") and text.endswith(")") and len(text) < 60:
            continue  # a parenthetical direction such as "(beat)"
        if _CUE.match(text):
            current = "narration"
            continue
        label = _LABEL.match(text[:200])
        if label:
            name = _LABEL_FIELD[label.group(1).lower()]
            content = text[label.end() :].strip()
            current = _read_label(body, name, label.group(1).lower(), content)
            continue
        if text[0] in QUOTES_OPEN:
            body.add("narration", text, new_item=True)
            current = "narration"
            continue
        point = data_point(text)
        if point is not None:
            body.points.append(point)
            body.point_lines.append(text)
            continue
        if current is not None:
            body.add(current, text, new_item=bool(bullet) or current in ("effects",))
            continue
        cue = _VISUAL_CUE.match(text) or DIRECTION.match(text)
        if cue and (bullet or len(sentences(text)) == 1):
            body.add("visuals", text, new_item=True)
        elif bullet:
            body.add("talking", _TALKING_LABEL.sub("", text, count=1), new_item=True)
        else:
            _add_prose(body, text)
    return body


def _field_label(text: str) -> tuple[str, str] | None:
    label = _LABEL.match(text[:200])
    if label is None:
        return None
    return _LABEL_FIELD[label.group(1).lower()], text[label.end() :].strip()


def _add_prose(body: _Body, text: str) -> None:
    """A prose line: its spoken sentences as one item, each stage direction in its field."""
    spoken = []
    for name, piece in split_directions(text, _field_label):
        if name == "narration":
            spoken.append(piece)
        elif name == "on_screen":
            body.add(name, unquote(piece), new_item=True)
        else:
            body.add(name, piece, new_item=True)
    if spoken:
        body.add("prose", " ".join(spoken), new_item=True)


def _read_label(body: _Body, name: str, label: str, content: str) -> str | None:
    """Apply one labelled line; returns the field later unlabelled lines continue."""
    if name == "time":
        _, timing = take_timing(content)
        if timing.start is None and timing.duration is None:
            number = BARE_SECONDS.match(content)
            if number:
                timing.duration = float(number.group(1))
        if timing.start is not None or timing.duration is not None:
            body.timing = timing
        return None
    if name == "purpose":
        body.purpose = purpose_from_text(content) or body.purpose
        return None
    if name == "chart":
        if content:
            body.chart_title = clip(unquote(content), 200)
        return None
    if name == "effects" and content:
        content = f"{_EFFECT_NAMES.get(label, 'Effect')}: {content}"
    if name == "on_screen":
        content = unquote(content)
    body.add(name, content, new_item=True)
    return name


# An outline bullet's role word, not said aloud: "Hook: ...", "Call to action: ...".
_TALKING_LABEL = re.compile(
    r"^(?:hook|promise|cta|call to action|talking points?|key points?|point|recap|tip|teaser"
    r"|question|intro|outro)\s*:\s+(?=\S)",
    re.IGNORECASE,
)


# --- hints ----------------------------------------------------------------------------------

# --- assembling -----------------------------------------------------------------------------


def _scene_from(index: int, header: _Header | None, lines: list[str]) -> ParsedScene:
    # No real scene runs to thousands of lines; reading more only costs time.
    body = _read_body(([header.body] if header and header.body else []) + lines[:BODY_LIMIT])
    points = body.points if len(body.points) >= 2 else []
    if not points:
        body.prose.extend(body.point_lines)
        points = table_points(body.table)
        if len(points) < 2:
            points = []
    elif body.table:
        points = points + table_points(body.table)
    narration = body.narration
    visuals = body.visuals
    # Without a voice-over label the prose and an outline's talking points are what is said.
    if not narration:
        narration = body.prose + body.talking
    else:
        visuals = visuals + body.prose + body.talking
    timing = header.timing if header else Timing()
    if timing.start is None and timing.duration is None:
        timing = body.timing
    return ParsedScene(
        index=index,
        title=header.title if header else "",
        purpose=(header.purpose if header else None) or body.purpose or "",
        narration=clip(" ".join(balance_quotes(piece) for piece in narration)),
        visuals=[v for v in (clip(x, MAX_ITEM_TEXT) for x in visuals) if v][:MAX_ITEMS],
        on_screen_text=clip(" / ".join(body.on_screen), MAX_ITEM_TEXT),
        effects=[e for e in (clip(x, MAX_ITEM_TEXT) for x in body.effects) if e][:MAX_ITEMS],
        music=clip("; ".join(body.music), MAX_ITEM_TEXT),
        chart=points[:MAX_CHART_POINTS],
        chart_title=body.chart_title,
        start=timing.start,
        end=timing.end,
        duration=timing.duration,
    )


def _is_hint_block(lines: list[str]) -> bool:
    content = [line for line in lines if line.strip()]
    return 0 < len(content) <= 50 and all(
        HINT_LABEL.match(plain(line)[:300]) or _lines(line)[0].heading for line in content
    )


def _paragraph_scenes(lines: list[_Line], preamble: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in [*lines, _Line("", "", "", 0, 0)]:
        if line.heading:
            preamble.append(line.text)
            continue
        if line.text:
            current.append(line.raw)
            continue
        if current and any(has_words(x) for x in current):
            if _is_hint_block(current):
                preamble.extend(current)
            else:
                blocks.append(current)
        current = []
        if len(blocks) > HEADER_LIMIT:
            break
    if len(blocks) >= 2 and _is_title_line(blocks[0]):
        preamble.extend(blocks.pop(0))
    return blocks


def _is_title_line(block: list[str]) -> bool:
    """A lone short line with no closing punctuation opening a prose treatment: its title."""
    text = plain(block[0]) if len(block) == 1 else ""
    return 0 < len(text.split()) <= 10 and not text.endswith((".", "!", "?", '"', "”"))


def _scene_table(lines: list[_Line]) -> list[ParsedScene]:
    """Scenes from a table whose columns are visuals, narration and so on, one row a scene."""
    rows = [line.text for line in lines if line.text.startswith("|")][: MAX_SCENES + 2]
    if len(rows) < 3:
        return []
    columns = _table_columns(table_cells(rows[0]))
    body_rows = rows[1:]
    if "narration" not in columns and "visuals" not in columns:
        # A storyboard keyed by timestamps may have no header: "| 00:00 - 00:08 | shot | VO |".
        columns = _timestamp_columns(table_cells(rows[0]))
        body_rows = rows
    if "narration" not in columns and "visuals" not in columns:
        return []
    scenes = []
    for row in body_rows:
        cells = table_cells(row)
        if is_rule_row(cells):
            continue
        lines_for_row = []
        for field_name, label in (
            ("narration", "Narration"),
            ("visuals", "Visual"),
            ("on_screen", "On-screen text"),
            ("music", "Music"),
            ("effects", "Effect"),
            ("time", "Time"),
            ("purpose", "Purpose"),
        ):
            position = columns.get(field_name, -1)
            if 0 <= position < len(cells) and cells[position]:
                lines_for_row.append(f"{label}: {cells[position]}")
        title_at = columns.get("title", -1)
        title = cells[title_at] if 0 <= title_at < len(cells) else ""
        if re.fullmatch(r"\d{1,3}", title):
            title = ""
        header = _header_from_rest(0, title, title) if title else None
        scenes.append(_scene_from(len(scenes) + 1, header, lines_for_row))
    return scenes


def _table_columns(header: list[str]) -> dict[str, int]:
    """Field name -> column position, read from the header's words in any order or language."""
    columns: dict[str, int] = {}
    for position, cell in enumerate(header):
        name = plain(cell).lower().strip(" :")
        label = _LABEL.match(name + ":")
        field_name = _LABEL_FIELD[label.group(1).lower()] if label else None
        if name in TITLE_COLUMNS:
            field_name = "title"
        if field_name and field_name not in columns:
            columns[field_name] = position
    return columns


def _timestamp_columns(first_row: list[str]) -> dict[str, int]:
    """Columns of a header-less storyboard whose first cell is a time range: after the time
    come the picture, the voice-over and the on-screen text, as storyboards order them."""
    if len(first_row) < 3 or find_range(first_row[0]) is None:
        return {}
    columns = {"time": 0}
    for position, name in enumerate(("visuals", "narration", "on_screen"), start=1):
        if position < len(first_row):
            columns[name] = position
    return columns


def parse_treatment(text: str) -> ParsedTreatment:
    """Scenes and hints from treatment text; never raises, same text gives the same result."""
    if not isinstance(text, str):
        return ParsedTreatment()
    try:
        return _parse(sanitise(text))
    except RecursionError:  # pragma: no cover - nothing here recurses; belt and braces
        return ParsedTreatment()


def _parse(text: str) -> ParsedTreatment:
    lines = _lines(text)
    # A table with a row per scene is the script itself, whatever headings sit around it.
    table_scenes = _scene_table(lines)
    headers, notes = ([], []) if len(table_scenes) >= 2 else _choose_headers(lines)
    preamble: list[str] = []
    blocks: list[tuple[_Header | None, list[str]]] = []
    if headers:
        boundaries = sorted({h.line for h in headers} | set(notes))
        by_line = {h.line: h for h in headers}
        preamble = [line.raw for line in lines[: boundaries[0]]]
        for position, start in enumerate(boundaries):
            stop = boundaries[position + 1] if position + 1 < len(boundaries) else len(lines)
            chunk = [line.raw for line in lines[start + 1 : stop]]
            if start in by_line:
                blocks.append((by_line[start], chunk))
            else:
                preamble.extend([lines[start].text, *chunk])
        scenes = [_scene_from(i + 1, h, chunk) for i, (h, chunk) in enumerate(blocks[:MAX_SCENES])]
    else:
        scenes = table_scenes
        if not scenes:
            paragraphs = _paragraph_scenes(lines, preamble)
            blocks = [(None, p) for p in paragraphs]
            scenes = [_scene_from(i + 1, None, p) for i, p in enumerate(paragraphs[:MAX_SCENES])]
        else:
            preamble = [line.raw for line in lines if not line.text.startswith("|")]
    scenes = scenes[:MAX_SCENES]
    for current, following in zip(scenes, scenes[1:], strict=False):
        # A start time alone ("0:05 Problem") ends where the next scene starts.
        open_ended = current.end is None and current.duration is None
        after = following.start if following.start is not None else -1.0
        if open_ended and current.start is not None and after > current.start:
            current.end = after
    for position, scene in enumerate(scenes):
        if not scene.purpose:
            scene.purpose = purpose_by_position(
                position, len(scenes), has_chart=len(scene.chart) >= 2
            )
    return ParsedTreatment(scenes=scenes, hints=_hints(lines, preamble, text, scenes, len(blocks)))


def _title_from(preamble: list[str]) -> dict[str, str]:
    """The first heading before the scenes, else a short first line that is not a label."""
    parsed = [_lines(raw)[0] for raw in preamble if raw.strip()]
    for line in parsed:
        if line.heading and has_words(line.plain):
            return {"title": clip(line.plain, 200)}
    first = parsed[0] if parsed else None
    is_label = first is not None and bool(
        HINT_LABEL.match(first.plain) or _LABEL.match(first.plain)
    )
    if first and len(first.plain) <= 100 and has_words(first.plain) and not is_label:
        return {"title": clip(unquote(first.plain.rstrip(":")), 200)}
    return {}


def _hints(
    lines: list[_Line], preamble: list[str], text: str, scenes: list[ParsedScene], found: int
) -> dict[str, object]:
    hints: dict[str, object] = {}
    preamble = preamble[:PREAMBLE_LIMIT]
    hints_from_labels(preamble, hints)
    if "title" not in hints:
        hints.update(_title_from(preamble))
    hints_from_prose(text[:HINT_WINDOW], hints)
    ends = [s.end for s in scenes if s.end is not None]
    if ends:
        hints["timecode_total"] = max(ends)
    if found > MAX_SCENES:
        hints["scenes_truncated"] = True
    return {key: value for key, value in hints.items() if value not in (None, "")}

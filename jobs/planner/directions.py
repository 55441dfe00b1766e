"""Stage directions inside prose: a treatment's paragraph split into the sentences to speak
and the directions around them ("On screen: ...", "Show the logo ...", "Music: mellow piano",
"[Wide shot of the shop]"), so a direction is never read aloud."""

from __future__ import annotations

import re
from collections.abc import Callable

# A sentence that tells the crew what to show, in the product's languages. Sentence-initial
# only: "we see" opens a direction, "as you can see" does not.
DIRECTION = re.compile(
    r"^(?:we\s+)?(?:open(?:s|ing)?\s+(?:on|with)|cut(?:s)?\s+(?:to|back)|close(?:[- ]up|\s+on)"
    r"|show(?:s|ing)?\b|we\s+see\b|wide\s+shot|medium\s+shot|establishing|aerial|drone\s+shot"
    r"|pan(?:s|ning)?\s+(?:to|across|over)|tilt|zoom(?:s)?\s+(?:in|out|to)|dolly|push(?:es)?\s+in"
    r"|tracking\s+shot|slow[- ]?motion|montage|split[- ]screen|screen\s+recording|time[- ]?lapse"
    r"|fade(?:s)?\s+(?:in|to|up|out)|overhead\s+shot|insert\s+shot|b-roll|end\s+card|title\s+card"
    r"|super(?:impose)?\b|lower\s+third|logo\s+(?:appears|animates|reveal)"
    # es
    r"|abrimos\s+con|abre\s+con|vemos\b|se\s+ve\b|mostrar\b|muestra\b|mostramos\b|corte\s+a\b"
    r"|plano\s+(?:general|medio|detalle|cenital)|primer\s+plano"
    # fr
    r"|on\s+(?:voit|ouvre\s+sur)|nous\s+voyons\b|montrer\b|montrez\b|montre\b|plan\s+large"
    r"|gros\s+plan|plan\s+serré|ouverture\s+sur|carton\s+final|fondu\b"
    # de
    r"|wir\s+sehen\b|man\s+sieht\b|zeige\b|zeigen\b|zeigt\b|schnitt\s+(?:auf|zu)|totale\b"
    r"|nahaufnahme|großaufnahme|abblende|aufblende|einblendung\b"
    # it, pt
    r"|vediamo\b|mostra\b|mostrare\b|vemos\b|mostrar\b|corta\s+para)",
    re.IGNORECASE,
)
# Sentences end at . ! ? (and a closing quote right after); brackets hold directions whole.
_END = r"[.!?]+[\"”»“’]?(?=\s|$)"
_PIECE = re.compile(
    r"\[[^\]\n]{1,300}\]|\([^)\n]{1,200}\)"
    # A run of stops inside a word ("northwind.example", "4.50", "...x") does not end it.
    rf"|(?:[^.!?\[(]|[.!?]+(?![\"”»“’]?(?:\s|$)|[.!?]))+(?:{_END})?|{_END}|[\[(]"
)
SHORT_ASIDE = 3  # words: "(beat)", "(laughs)", "(music swells)" are cues, not words to say
LabelReader = Callable[[str], tuple[str, str] | None]


def sentences(text: str) -> list[str]:
    """The sentences and bracketed asides of a line, in order, stripped."""
    pieces: list[str] = []
    for match in _PIECE.finditer(text):
        piece = match.group(0).strip()
        if not piece:
            continue
        # "On screen: "Steeped"." splits at the quote; a piece without letters joins the last.
        if pieces and not any(ch.isalnum() for ch in piece):
            pieces[-1] += piece
        else:
            pieces.append(piece)
    return pieces


def split_directions(text: str, label: LabelReader) -> list[tuple[str, str]]:
    """(field, text) pieces of a prose line: "narration" for words to speak, otherwise the
    field a direction belongs to ("visuals", "on_screen", "music", "effects").

    `label` reads a leading field label ("Music: mellow piano" -> ("music", "mellow piano"));
    a labelled sentence keeps its field, a bracketed aside or a sentence that opens with a
    camera or "show" verb is a visual, and everything else is spoken.
    """
    out: list[tuple[str, str]] = []
    for piece in sentences(text):
        bracketed = piece[0] in "[(" and piece[-1] in "])"
        inner = piece[1:-1].strip() if bracketed else piece
        labelled = label(inner)
        if labelled is not None and labelled[0] not in ("narration", "time", "purpose", "chart"):
            name, content = labelled
            out.append((name, content.rstrip(".").strip()))
        elif labelled is not None and labelled[0] == "narration":
            out.append(("narration", labelled[1]))
        elif piece[0] == "[" or DIRECTION.match(inner):
            out.append(("visuals", inner.rstrip(".").strip()))
        elif bracketed and len(inner.split()) <= SHORT_ASIDE:
            continue  # a cue such as "(beat)" is neither shown nor spoken
        else:
            out.append(("narration", piece))
    return out

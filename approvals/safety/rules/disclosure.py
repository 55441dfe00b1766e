"""Missing disclosure: a material connection (paid, gifted, affiliate, code) with no #ad label."""

from __future__ import annotations

import re

from approvals.safety.flags import Flag, make_flag, quote_excerpt
from approvals.safety.text import Doc, rule

_I = re.IGNORECASE

# Phrases that reveal a material connection between the writer and a brand.
_CONNECTIONS = (
    rule(
        r"\bmy\s+(?:\w+\s+)?(?:code|link)\b|\bmy\s+(?:affiliate|referral|discount)\s+(?:links?|codes?)\b"
        r"|\baffiliate\s+links?\b",
        "code|link",
        requires=r"my\s|affiliate\s+link",
    ),
    rule(
        r"\b(?:kindly\s+)?(?:sent|gifted|given)\s+to\s+(?:me|us)\s+by\b"
        r"|\bfor\s+(?:sending|gifting)\s+(?:me|us)\b|\b(?:sent|gifted)\s+me\b"
        r"|\bkindly\s+(?:sent|gifted|provided)\b"
        r"|\b(?:was|were|been)\s+gifted\b|\bgifted\s+(?:to\s+)?(?:me|us|by)\b"
        r"|\b(?:got|received|given|sent)\s+(?:[\w-]+\s+){0,4}?free\s+from\b"
        r"|\b(?:was|were|been|got)\s+(?:given|sent|lent|loaned)\s+(?:this|these|it|them|a|an|the)\b"
        r"[^.!?]{0,40}?\bto\s+(?:try|test|review)\b",
        "sent|sending|gift|kindly|free from|given|lent|loaned",
    ),
    rule(r"\b(?:we|i)\s+(?:were|was|got|get|am|are)\s+paid\b|\bpaid\s+(?:me|us)\s+to\b", "paid"),
    rule(
        r"\b(?:i've|i’ve|i\s+have|we've|we’ve|we\s+have|i'm|i’m|i\s+am|we're|we’re|we\s+are)\s+"
        r"(?:\w+\s+)?partner(?:ed|ing)\s+with\b|\bour\s+partners?\s+(?:at|over\s+at)\b"
        r"|\b(?:brand\s+)?ambassador\s+(?:for|of|to)\b|\bcollab\s+with\b"
        r"|\b(?:i've|i’ve|i\s+have|i'm|i’m|i\s+am)\s+(?:been\s+)?(?:working|teaming\s+up|teamed\s+up"
        r"|collaborating)\s+with\b",
        "partner|ambassador|collab|working with|teaming|teamed",
    ),
    rule(
        r"\bin\s+exchange\s+for\s+(?:an?\s+|my\s+|our\s+)?(?:honest\s+)?(?:review|post|feature"
        r"|shout-?out|mention)",
        "exchange",
    ),
    rule(
        r"\b(?-i:PR)\s+(?:package|haul|box|parcel|gift|trip|event)s?\b",
        "pr",
        requires=r"pr\s+(?:package|haul|box|parcel|gift|trip|event)",
    ),
    rule(
        r"\bthank(?:s|\s+you)\s+(?:so\s+much\s+)?(?:to\s+)?@\w+"
        r"|\bthanks?\s+(?:you\s+)?(?:so\s+much\s+)?(?:to\s+)?(?:[\w@-]+\s+){0,3}?for\s+(?:the|this|my|our)"
        r"\s+(?:free\s+|amazing\s+|lovely\s+)?(?:trip|stay|holiday|cruise|hamper|samples?|goodies"
        r"|package|parcel|invite|invitation|tickets?|gift|freebies)\b",
        "thank",
    ),
    rule(
        r"\bfor\s+(?:hosting|having|inviting)\s+(?:me|us)\b"
        r"|\b(?:invited|hosted|treated|looked\s+after)\b[^.!?]{0,60}?\bby\s+(?:the\s+)?"
        r"(?:[\w-]+\s+){0,2}?team\s+at\b",
        "hosting|having me|having us|inviting|invited|hosted|treated|looked after",
    ),
)
# A discount code is a connection when the copy reads as someone endorsing a brand.
_CODE = re.compile(
    r"\bcode\s+(?-i:[A-Z0-9]{4,})\b|\b(?:use|using|enter|with)\s+(?-i:[A-Z]{2,}\d{1,3})\b", _I
)
# For _may_hold_code: A-Z as "A", and anything that may be a digit (0-9, and "?", which
# every non-ASCII character becomes when encoded) as "0".
_CAPITALS_AND_DIGITS = bytes(
    65 if 65 <= c <= 90 else 48 if 48 <= c <= 57 or c == 63 else 32 for c in range(256)
)
_ENDORSING_VOICE = re.compile(
    r"\b(?:i|i'm|i’m|i've|i’ve|my|me|obsessed\s+with|loving|can't\s+live\s+without"
    r"|check\s+(?:them|it)\s+out)\b|@\w+",
    _I,
)
# Labels that disclose the connection clearly enough.
_DISCLOSED = rule(
    r"#(?:ad|advert|advertisement|sponsored|spon|paid|paidpartnership|partner|partnership"
    r"|affiliate|gifted|collab|ambassador)\b"
    r"|[\[(]\s*(?:ad|advert|sponsored|gifted|affiliate)\s*[\])]"
    r"|^\s*(?:ad|advert|sponsored)\s*[|:\-–—]"
    r"|\b(?:advertisement|advertorial)\b"
    r"|\bsponsored\s+(?:by|post|content|partnership)\b"
    r"|\bpaid\s+partnership\b"
    r"|\b(?:contains?|includes?|uses?)\s+affiliate\s+links?\b|\baffiliate\s+disclosure\b"
    r"|\b(?:i|we)\s+(?:may\s+|might\s+|will\s+)?(?:earn|get|receive|make)\s+(?:a\s+)?(?:small\s+)?"
    r"commission\b"
    r"|\bthis\s+(?:post|video|reel|episode)\s+is\s+sponsored\b",
    "#|ad|advert|sponsor|paid|affiliate|commission",
    _I | re.MULTILINE,
)


def _may_hold_code(doc: Doc) -> bool:
    """False when _CODE cannot match: no "code" (any case) and no capital A-Z before a digit.

    A regex scan for a capital before a digit is slow, so the text is mapped byte for byte
    first (see _CAPITALS_AND_DIGITS): without an "A0" there, there is no such pair either.
    """
    if "code" in doc.lower:
        return True
    return b"A0" in doc.text.encode("ascii", "replace").translate(_CAPITALS_AND_DIGITS)


def find_missing_disclosure(doc: Doc) -> list[Flag]:
    text = doc.text
    spans = [(m.start(), m.end()) for r in _CONNECTIONS for m in doc.finditer(r)]
    # Codes first: they are rare and cheap to rule out, while a search for the endorsing
    # voice scans the whole text when it finds none. Either way round, codes count only in
    # an endorsing voice.
    codes = _CODE.finditer(text) if _may_hold_code(doc) else ()
    code_spans = [(m.start(), m.end()) for m in codes]
    if code_spans and _ENDORSING_VOICE.search(text):
        spans += code_spans
    if not spans or next(doc.finditer(_DISCLOSED), None):
        return []
    flags: list[Flag] = []
    for start, end in sorted(set(spans)):
        if flags and start < flags[-1].end:
            continue
        excerpt = quote_excerpt(text[start:end])
        message = (
            f'Material connection "{excerpt}" with no disclosure such as #ad, "sponsored" or '
            '"paid partnership".'
        )
        flags.append(make_flag(text, "missing_disclosure", "high", message, start, end))
    return flags

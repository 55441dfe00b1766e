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
# The same connections in Spanish, French and German.
_CONNECTIONS_ABROAD = (
    rule(
        r"(?<!\w)(?:mi|con\s+mi|mon|avec\s+mon|mein(?:em)?|mit\s+meinem)\s+(?:c[óo]digo|code|Code"
        r"|enlace|lien|Link|Rabattcode|Gutscheincode|code\s+promo)(?!\w)"
        r"|(?<!\w)(?:enlace|lien|Link)\s+(?:en|dans|in)\s+(?:mi|ma|meiner)\s+bio(?!\w)",
        "mi|con mi|mon|avec mon|mein|mit meinem|bio",
    ),
    rule(
        r"(?<!\w)me\s+(?:lo\s+|la\s+|los\s+|las\s+)?(?:han\s+)?(?:regalado|regal[óo]|regalaron"
        r"|enviado|envi[óo]|enviaron|mandaron|mand[óo])(?!\w)"
        r"|(?<!\w)(?:on\s+m['’]a|m['’]a\s+[ée]t[ée]|m['’]ont\s+[ée]t[ée]|on\s+nous\s+a)\s+"
        r"(?:offerte?s?|envoy[ée]e?s?)(?!\w)|(?<!\w)offerte?s?\s+par(?!\w)"
        r"|(?<!\w)(?:wurde|wurden)\s+mir\s+(?:\w+\s+){0,2}?(?:zur\s+Verf[üu]gung\s+gestellt"
        r"|geschenkt|geschickt|zugeschickt)(?!\w)|(?<!\w)(?:kostenlos|gratis)\s+(?:erhalten"
        r"|bekommen)(?!\w)|(?<!\w)PR-Sample(?!\w)",
        "me|on m|m'a|m’a|m'ont|m’ont|on nous|offert|wurde|wurden|kostenlos|gratis|pr-sample",
    ),
    rule(
        r"(?<!\w)(?:colaboraci[óo]n\s+con|embajador(?:a)?\s+de|gracias\s+a\s+@\w+"
        r"|ambassadeur\s+de|ambassadrice\s+de|merci\s+[àa]\s+@\w+|en\s+collaboration\s+avec"
        r"|in\s+Kooperation\s+mit|Markenbotschafter\w*|danke\s+an\s+@\w+)",
        "colaboraci|embajador|gracias|ambassad|merci|collaboration|kooperation|markenbotschafter"
        "|danke",
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
    r"|\bthis\s+(?:post|video|reel|episode)\s+is\s+sponsored\b"
    # Spanish, French and German labels.
    r"|#(?:publi|publicidad|anuncio|patrocinado|colaboraci[óo]n|pub|publicit[ée]|sponsoris[ée]"
    r"|partenariat|collaborationcommerciale|werbung|anzeige|gesponsert)(?!\w)"
    r"|(?<!\w)(?:publicidad|contenido\s+patrocinado|patrocinado\s+por|colaboraci[óo]n\s+"
    r"(?:pagada|remunerada)|publicit[ée]|sponsoris[ée]e?\s+par|collaboration\s+commerciale"
    r"|partenariat\s+r[ée]mun[ée]r[ée]|en\s+partenariat\s+avec|Werbung|Anzeige"
    r"|bezahlte\s+Partnerschaft|gesponsert\s+von)(?!\w)",
    "#|ad|advert|sponsor|paid|affiliate|commission|publicidad|contenido|patrocinado|colaboraci"
    "|publicit|sponsoris|collaboration|partenariat|werbung|anzeige|bezahlte|gesponsert",
    _I | re.MULTILINE,
)
# A label after a "more" cut (hidden until the reader expands the caption), or buried at the
# end of a run of other hashtags, is not a clear disclosure.
_MORE = re.compile(
    r"(?:\.\.\.|…)\s*(?:see\s+|read\s+|show\s+)?more\b|^\s*(?:see|read|show)?\s*more\s*$"
    r"|(?:\.\.\.|…)\s*(?:ver\s+m[áa]s|voir\s+plus|mehr(?:\s+anzeigen)?|plus)(?!\w)",
    _I | re.MULTILINE,
)
_HASHTAG_RUN = re.compile(r"(?:#\w+\s+){3,}$")


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
    spans = [
        (m.start(), m.end()) for r in _CONNECTIONS + _CONNECTIONS_ABROAD for m in doc.finditer(r)
    ]
    # Codes first: they are rare and cheap to rule out, while a search for the endorsing
    # voice scans the whole text when it finds none. Either way round, codes count only in
    # an endorsing voice.
    codes = _CODE.finditer(text) if _may_hold_code(doc) else ()
    code_spans = [(m.start(), m.end()) for m in codes]
    if code_spans and _ENDORSING_VOICE.search(text):
        spans += code_spans
    if not spans:
        return []
    labels = list(doc.finditer(_DISCLOSED))
    if any(_clear(text, label) for label in labels):
        return []
    hidden = ' (the only label is hidden after "more" or buried in hashtags)' if labels else ""
    flags: list[Flag] = []
    for start, end in sorted(set(spans)):
        if flags and start < flags[-1].end:
            continue
        excerpt = quote_excerpt(text[start:end])
        message = (
            f'Material connection "{excerpt}" with no clear disclosure such as #ad, "sponsored" '
            f'or "paid partnership"{hidden}.'
        )
        flags.append(make_flag(text, "missing_disclosure", "high", message, start, end))
    return flags


def _clear(text: str, label: re.Match[str]) -> bool:
    """A label is clear unless a "more" cut comes before it or other hashtags bury it."""
    if _MORE.search(text, 0, label.start()):
        return False
    line_start = text.rfind("\n", 0, label.start()) + 1
    return not (
        label.group().startswith("#") and _HASHTAG_RUN.search(text, line_start, label.start())
    )

"""Profanity and hate: a modest word list matched on whole words, plus hateful generalisations.

Whole-word matching keeps "Scunthorpe", "assess", "cocktail" and "Dickens" clean. Mild
words ("damn", "bloody") are medium: a reviewer may well keep them in a cheeky brand voice.
Strong profanity, slurs and hateful statements about a group are critical.
"""

from __future__ import annotations

import re

from approvals.safety.flags import Flag, make_flag, quote_excerpt
from approvals.safety.text import Doc, rule, word_set

MILD_WORDS = word_set("""damn damned dammit goddamn crap crappy bloody arse arses bollocks bugger piss pissed wtf
    effing frigging friggin feck""")
STRONG_WORDS = word_set("""fuck fucks fucked fucker fuckers fucking fuckin motherfucker motherfucking shit shits
    shitty shite shitload shitloads shithole bullshit horseshit cunt cunts asshole assholes
    arsehole arseholes bitch bitches bastard bastards dickhead dickheads wanker wankers twat
    twats""")
SLURS = word_set("""retard retards retarded faggot faggots fag fags dyke dykes tranny trannies nigger niggers
    nigga niggas kike kikes spic spics wetback wetbacks paki pakis gook gooks towelhead
    towelheads raghead ragheads spastic spastics spaz gyppo gyppos gypo gypos pikey pikeys chav
    chavs""")
# Lowercase only, so "Dick Whittington" and "Moby-Dick" stay clean.
_CASE_SENSITIVE_MILD = frozenset({"dick", "dicks"})
_WORD = re.compile(r"[A-Za-z]+")
# Starred or symbol-swapped spellings ("f*cking", "sh!t", "f***"), and compounds ("kick-ass").
_OBFUSCATED = rule(
    r"\bf[u*@#]ck(?:s|ed|er|ers|ing|in)?\b|\bf\*{2,}k?(?:s|ed|ing|in)?\b"
    r"|\bsh[*!1]t(?:s|ty|e|loads?|hole|heads?)?(?!\w)",
    "*|!|@|#|1",
    requires=r"f[u*@#]ck|f\*\*|sh[*!1]t",
)
_ASS_COMPOUND = rule(r"\b(?:kick|bad|smart|dumb|lazy|hard)[- ]?ass\b", "ass")
_GROUPS = (
    r"immigrants|migrants|refugees|foreigners|muslims|jews|christians|hindus|sikhs|blacks|whites"
    r"|asians|gays|lesbians|trans\s+people|gypsies|travellers|women|girls|disabled\s+people"
)
_GROUP_ANCHORS = (
    "immigrant|migrant|refugee|foreigner|muslim|jew|christian|hindu|sikh|black|white|asian|gay"
    "|lesbian|trans|gypsies|traveller|women|girls|disabled|country|irish"
)
_HATEFUL = rule(
    rf"\b(?:all\s+|those\s+|these\s+|the\s+)?(?:{_GROUPS})\s+(?:are|is)\s+(?:all\s+)?"
    r"(?:ruining|destroying|taking\s+over|invading|vermin|animals|criminals|parasites|scum|filth"
    r"|disgusting|the\s+problem|inferior|stupid|lazy|dangerous|a\s+plague)"
    r"|\bgo\s+back\s+to\s+(?:your|their)\s+(?:own\s+)?country\b"
    rf"|\bno\s+(?:{_GROUPS}|irish|blacks)\s+allowed\b"
    rf"|\b(?:{_GROUPS})\s+(?:aren't|aren’t|are\s+not|not)\s+(?:welcome|allowed|wanted)\b",
    _GROUP_ANCHORS,
)
_STEREOTYPE = rule(
    rf"\b(?:{_GROUPS})\s+(?:can't|cannot|can’t|shouldn't|should\s+not|don't\s+belong|belong\s+in"
    r"\s+the\s+kitchen)\b",
    _GROUP_ANCHORS,
)


_LISTED = SLURS | STRONG_WORDS | MILD_WORDS | _CASE_SENSITIVE_MILD


def find_profanity_hate(doc: Doc) -> list[Flag]:
    found: list[tuple[int, int, str, str]] = []
    listed = doc.words & _LISTED
    words = _WORD.finditer(doc.text) if listed else ()
    for m in words:
        word = m.group()
        lower = word.lower()
        if lower in SLURS:
            found.append((m.start(), m.end(), "critical", "Slur"))
        elif lower in STRONG_WORDS:
            found.append((m.start(), m.end(), "critical", "Strong profanity"))
        elif lower in MILD_WORDS or word in _CASE_SENSITIVE_MILD:
            if lower == "bloody" and doc.text[m.end() : m.end() + 5].lower() == " mary":
                continue
            found.append((m.start(), m.end(), "medium", "Mild profanity"))
    for r, severity, label in (
        (_HATEFUL, "critical", "Hateful statement about a group"),
        (_STEREOTYPE, "high", "Demeaning stereotype about a group"),
        (_OBFUSCATED, "critical", "Strong profanity"),
        (_ASS_COMPOUND, "medium", "Mild profanity"),
    ):
        found += [(m.start(), m.end(), severity, label) for m in doc.finditer(r)]
    flags: list[Flag] = []
    for start, end, severity, label in sorted(found, key=lambda f: (f[0], -f[1])):
        if flags and start < flags[-1].end:
            continue
        excerpt = quote_excerpt(doc.text[start:end])
        message = f'{label} "{excerpt}": not acceptable in client copy.'
        flags.append(make_flag(doc.text, "profanity_hate", severity, message, start, end))
    return flags

"""Competitor disparagement: attacks on rivals, named or generic, instead of facts about the client."""

from __future__ import annotations

import re
from collections.abc import Sequence

from approvals.safety.flags import Flag, make_flag, quote_excerpt
from approvals.safety.text import Doc, rule, word_set

_I = re.IGNORECASE

_NEGATIVE = (
    r"rip(?:s|ping)?\s+(?:you\s+|people\s+|customers\s+)?off|rip-?offs?|overcharg\w*|cut(?:s|ting)?"
    r"\s+corners|lie|lies|liars?|lying|cheat\w*|scam\w*|crooks?|crooked|cowboys?|useless"
    r"|incompetent|dishonest|clueless|shoddy|dodgy|shady|inflated|hidden\s+(?:fees|charges|costs"
    r"|retainers)|hides?\s+(?:its|their)\s+(?:fees|charges|costs)|ignore\s+you|rubbish|terrible"
    r"|awful|worst|garbage|trash|overpriced|greedy|con\s+(?:you|artists?)|fleece\w*"
    r"|treat\s+you\s+like\s+a\s+number|couldn't\s+care\s+less|don't\s+care|lock\s+you\s+in(?:to)?"
    r"|trap\s+you|hopeless|amateurs?|frauds?|fraudulent|inferior|clunky|buggy|unreliable"
    r"|outdated|cheap\s+(?:cheese|parts|materials|ingredients|labour)|frozen\s+dough|poor\s+quality"
    r"|a\s+joke|waste\s+of\s+(?:money|time)|drops?\s+out|crash(?:es|ing)?|keeps?\s+(?:crashing"
    r"|failing|breaking|dropping)|lets?\s+you\s+down|slow|sluggish|patchy|rude|never\s+(?:answer"
    r"|turn\s+up|call\s+back)|don't\s+(?:answer|listen)|doesn't\s+care|churn\s+out|generic"
    r"|cookie-cutter|spammers?|glorified|mediocre|sloppy|so-called|just\s+another\s+number"
)
_NEGATIVE_RE = re.compile(rf"\b(?:{_NEGATIVE})\b", _I)
# A rival only counts in a sentence that also says something negative, so rival patterns run
# only over sentences holding one of these.
_NEGATIVE_ANCHORS = tuple(
    sorted(
        word_set("""rip overcharg corner lie liar lying cheat scam crook cowboy useless incompetent dishonest
    clueless shoddy dodgy shady inflated hidden hide ignore rubbish terrible awful worst garbage
    trash overpriced greedy con fleece number care lock trap hopeless amateur fraud inferior
    clunky buggy unreliable outdated cheap frozen poor joke waste drop crash fail break let
    slow sluggish patchy rude never answer listen churn generic cookie spam glorified mediocre
    sloppy so-called""")
    )
)
_RIVALS = (
    r"agencies|agents|firms|companies|providers|builders|plumbers|electricians|garages|mechanics"
    r"|gyms|banks|brands|lenders|dentists|opticians|salons|shops|stores|suppliers|developers"
    r"|competitors|rivals|guys|installers|roofers|cleaners|caterers|photographers|accountants"
    r"|lawyers|solicitors|brokers|insurers|apps|platforms|tools|estate\s+agents|traders"
    r"|landlords|letting\s+agents|restaurants|cafes|bakeries|studios|consultants|networks"
    r"|recruiters|coaches|trainers|tutors|schools|hotels|airlines|retailers|supermarkets|vets"
    r"|clinics|practices|carriers|couriers|removals\s+firms|web\s+designers|designers|printers"
    r"|chains|franchises|corporates|experts|outfits"
)
_RIVAL_GROUP = rule(
    r"\b(?:other|most|many|some|rival|competing|typical|traditional|big|bigger|high[- ]street"
    r"|those|the\s+other|cheaper|online)\s+(?:[\w-]+\s+){0,2}?"
    rf"(?:{_RIVALS})(?:'s|s'|’)?"
    r"|\b(?:our|the|your)\s+(?:competitors|competition|rivals)\b",
    _NEGATIVE_ANCHORS,
    # A rival always follows a space, so its (first) word starts a word of the sentence.
    needs_words="|".join(
        {rival.split("\\s+")[0] for rival in _RIVALS.split("|")} | {"competition"}
    ),
)
_LABELS = (
    "cowboy|dodgy|shady|crooked|rogue|overpriced|greedy|faceless|soulless|incompetent|dishonest"
    "|clueless|careless|so-called"
)
_LABELLED = rule(rf"\b(?:{_LABELS})\s+(?:[\w-]+\s+)?(?:{_RIVALS})\b", _LABELS)
_UNLIKE = rule(
    r"\bunlike\s+[^,.;!?\n]{2,60}?,?\s+(?:which|who|that|where|whose)\b[^,.;!?\n]*", "unlike"
)
_NOT_NAMES = word_set(
    "this that it there everything nothing something what which who our we you it's "
    "that's here he she they"
)
_NAMED_ATTACK = rule(
    r"(?-i:(?P<name>[A-Z][\w&'’-]*(?:\s+[A-Z][\w&'’-]*){0,3}))\s+(?:is|are)\s+"
    r"(?:(?:a|an|just|total|complete|such)\s+)*(?:scam|rip-?off|fraud|joke|con|cowboys|crooks"
    r"|liars|useless|rubbish|garbage|a\s+waste\s+of\s+money)\b"
    r"|(?-i:(?P<owner>[A-Z][\w&-]+))(?:'s|’s)\s+(?:[\w-]+,?\s+){0,2}?"
    r"(?:clunky|overpriced|buggy|useless|terrible|awful|rubbish|shoddy|unreliable|outdated)\b",
    "scam|rip|fraud|joke|con|cowboys|crooks|liars|useless|rubbish|garbage|waste|clunky|overpriced"
    "|buggy|terrible|awful|shoddy|unreliable|outdated",
    0,
    requires=r"(?:is|are)\s+(?:(?:a|an|just|total|complete|such)\s+)*(?:scam|rip-?off|fraud|joke"
    r"|con|cowboys|crooks|liars|useless|rubbish|garbage|a\s+waste\s+of\s+money)|(?:'s|’s)\s+"
    r"(?:[\w-]+,?\s+){0,2}?(?:clunky|overpriced|buggy|useless|terrible|awful|rubbish|shoddy"
    r"|unreliable|outdated)",
    starts="[A-Z]",
)

_MESSAGE = 'Disparages a competitor: "{}". Compare on verified facts instead.'


def _flag(text: str, start: int, end: int) -> Flag:
    excerpt = quote_excerpt(text[start:end])
    return make_flag(text, "competitor_disparagement", "high", _MESSAGE.format(excerpt), start, end)


def find_disparagement(doc: Doc, competitors: Sequence[str] = ()) -> list[Flag]:
    text, sentences = doc.text, doc.sentences
    spans = [(m.start(), m.end()) for r in (_UNLIKE, _LABELLED) for m in doc.finditer(r)]
    for m in doc.finditer(_NAMED_ATTACK):
        name = (m.group("name") or m.group("owner") or "").split()[0].lower()
        if name not in _NOT_NAMES:
            spans.append((m.start(), m.end()))
    # A rival, generic or named, in a sentence that also says something negative.
    named = [name for name in competitors if name.strip() and name.strip().lower() in doc.lower]
    rivals = [_RIVAL_GROUP] + [
        rule(rf"(?<!\w){re.escape(name.strip())}(?!\w)", _NEGATIVE_ANCHORS) for name in named
    ]
    for r in rivals:
        for m in doc.finditer(r):
            s_start, s_end = sentences.around(m.start())
            negative = _NEGATIVE_RE.search(text, s_start, s_end)
            if negative:
                spans.append((min(m.start(), negative.start()), max(m.end(), negative.end())))
    flags: list[Flag] = []
    last_end = -1
    for start, end in sorted(spans, key=lambda span: (span[0], -span[1])):
        if start < last_end:
            continue
        last_end = end
        flags.append(_flag(text, start, end))
    return flags

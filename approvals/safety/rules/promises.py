"""Health and financial promises: outcomes for the reader's body or money.

Cures, weight loss, immunity and detox promises, and promised returns or earnings, are never
backed by a fact: no record about the business makes them safe to promise an audience.
Evidence claims ("clinically proven", "doctor recommended") are health claims a verified
fact can back, such as the trial the client holds on file.
"""

from __future__ import annotations

import re

from approvals.safety.rules.claims import NUM, Claim
from approvals.safety.text import Doc, content_stems, rule

_I = re.IGNORECASE

_CONDITIONS = (
    r"cancers?|tumou?rs?|diabetes|arthritis|anxiety|depression|insomnia|acne|eczema|psoriasis"
    r"|rosacea|asthma|migraines?|headaches?|(?:back|joint|chronic|neck|knee|nerve|muscle"
    r"|arthritis)\s+pain|covid(?:-19)?|flu|colds|common\s+cold|infections?|allergies|hay\s*fever"
    r"|high\s+blood\s+pressure|hypertension|cholesterol|alzheimer'?s|dementia|adhd|ibs"
    r"|bloating|acid\s+reflux|indigestion|constipation|fatigue|obesity|hair\s+loss|baldness"
    r"|wounds?|scars?|epilepsy|heart\s+disease|diseases?|illness(?:es)?|ageing|aging|wrinkles"
    r"|cellulite|tinnitus|sciatica|fibromyalgia|osteoporosis|viruses|bacteria|inflammation"
    r"|leaky\s+gut|colds?\s+and\s+flu|hangovers?"
)
_CONDITION_ANCHORS = (
    "cancer|tumo|diabetes|arthritis|anxiety|depression|insomnia|acne|eczema|psoriasis|rosacea"
    "|asthma|migraine|headache|pain|covid|flu|cold|infection|allergies|fever|blood pressure"
    "|hypertension|cholesterol|alzheimer|dementia|adhd|ibs|bloating|reflux|indigestion"
    "|constipation|fatigue|obesity|hair loss|baldness|wound|scar|epilepsy|disease|illness"
    "|ageing|aging|wrinkles|cellulite|tinnitus|sciatica|fibromyalgia|osteoporosis|virus"
    "|bacteria|inflammation|leaky gut|hangover"
)
# Medical verbs may reach a few words ahead ("treats chronic pain, depression and epilepsy");
# everyday verbs ("stops", "ends", "eases") count only right before the condition, so "the
# boiler stops working in a cold snap" stays clean.
_MEDICAL_VERBS = (
    r"cures?|cured|curing|heals?|healed|healing|treats?|treated|treating|prevents?|prevented"
    r"|preventing|reverses?|reversed|reversing|eliminates?|eliminated|relieves?|relieved"
    r"|banish(?:es)?|gets?\s+rid\s+of|say\s+goodbye\s+to"
)
_EVERYDAY_VERBS = (
    r"fights?|beats?|ends?|stops?|kills?|fix(?:es)?|eases?|soothes?|reduces?|defeats?|conquers?"
    r"|protects?\s+(?:you\s+)?(?:against|from)|wards?\s+off"
)
_HEALTH = (
    rule(
        rf"\b(?:{_MEDICAL_VERBS})\s+(?:[\w'’-]+,?\s+){{0,3}}?(?:{_CONDITIONS})\b"
        rf"|\b(?:{_EVERYDAY_VERBS})\s+(?:your\s+|the\s+|my\s+)?(?:[\w-]+\s+)?(?:{_CONDITIONS})\b",
        _CONDITION_ANCHORS,
        # The verbs, each a word: "cures" starts with "cur", "gets rid of" with "get".
        needs_words="cur|heal|treat|prevent|revers|eliminat|reliev|banish|get|say|fight|beat|end"
        "|stop|kill|fix|eas|sooth|reduc|defeat|conquer|protect|ward",
        requires=rf"(?:{_MEDICAL_VERBS}|{_EVERYDAY_VERBS})\s",
    ),
    rule(
        r"\b(?:(?:a|the)\s+)?(?:natural\s+|miracle\s+)?cure\s+for\s+[\w'’-]+|\bmiracle\s+cure\b",
        "cure",
    ),
    rule(r"\bregrows?\s+(?:your\s+)?hair\b", "regrow"),
    rule(
        rf"\b(?:lose|lost|losing|loses|drop|dropped|shed|shift)\s+(?:up\s+to\s+|over\s+)?"
        rf"(?:{NUM}|a|half\s+a)\s*(?:pounds|lbs?|kg|kilos?|kilograms?|stone|st|dress\s+sizes?"
        r"|sizes?|inches)\b",
        "lose|lost|losing|drop|shed|shift",
        requires=rf"(?:lose|lost|losing|loses|drop|dropped|shed|shift)\s+(?:up\s+to\s+|over\s+)?"
        rf"(?:{NUM}|a|half\s+a)\s*(?:pounds|lbs?|kg|kilos?|kilograms?|stone|st|dress\s+sizes?"
        r"|sizes?|inches)",
    ),
    rule(r"\blose\s+weight\s+(?:fast|quickly|in\s+days|overnight|without)\b", "lose weight"),
    rule(
        r"\bflatten\s+(?:your\s+)?(?:stomach|tummy|belly)\b|\b(?:flat|toned)\s+(?:stomach|tummy"
        r"|belly)\s+in\s+\d+|\bburns?\s+(?:up\s+to\s+|over\s+)?\d[\d,]*\s+calories\b",
        "flat|toned|calories",
    ),
    rule(
        r"\bturns?\s+back\s+the\s+clock\b|\b(?:stop|quit)\s+smoking\s+(?:in\s+(?:one|a|just|\d)"
        r"|for\s+good|forever|overnight)",
        "clock|smoking",
    ),
    rule(
        r"\b(?:melt|melts|burn|burns|blast|blasts|torch|torches)\s+(?:away\s+)?"
        r"(?:belly\s+|stubborn\s+|body\s+)?fat\b",
        "fat",
    ),
    rule(
        r"\b(?:boost|boosts|boosting|strengthen|strengthens|supercharge|supercharges)\s+"
        r"(?:your\s+|the\s+)?(?:immune\s+system|immunity|immune\s+health)\b",
        "immun",
    ),
    rule(
        r"\bdetox(?:es|ify|ifies)?\s+(?:your\s+|the\s+)?(?:body|liver|kidneys|blood|system|gut)\b"
        r"|\b(?:flush(?:es)?\s+out|removes?|eliminates?|draws?\s+out)\s+(?:harmful\s+)?toxins\b",
        "detox|toxin",
    ),
    rule(
        r"\bno\s+(?:known\s+)?side[- ]effects\b"
        r"|\b(?:replaces?|no\s+need\s+for)\s+(?:your\s+)?(?:medication|medicine|prescriptions?)\b",
        "side effect|side-effect|medic|prescription",
    ),
)
_EVIDENCE = rule(
    r"\b(?P<key>clinically|scientifically|medically|dermatologically)[- ]"
    r"(?:proven|tested|approved|shown|backed)\b"
    r"|\b(?P<key2>doctors?|dermatologists?|dentists?|gps?|vets?|physios?)[- ]"
    r"(?:recommended|approved|endorsed)\b",
    "clinically|scientifically|medically|dermatologically|recommended|approved|endorsed",
)

_FINANCIAL = (
    rule(
        r"\bguarantee[ds]?\s+(?:an?\s+|you\s+)?(?:(?:annual|monthly|weekly|fixed|high|steady"
        r"|\d+(?:\.\d+)?%)\s+)*(?:returns?|income|profits?|payouts?|yields?|interest|gains"
        r"|roi|dividends?|wins?|winners|tips|earnings)(?:\s+of\s+(?:up\s+to\s+)?\d+(?:\.\d+)?%)?",
        "guarantee",
    ),
    rule(
        r"\b(?:returns?|income|profits?|payouts?|earnings|gains)\s+(?:are\s+|is\s+)?guaranteed\b",
        "guaranteed",
    ),
    rule(
        r"\b(?:double|triple|quadruple|doubled|tripled|doubles|triples)\s+(?:your|my|their|our)"
        r"\s+(?:money|investment|investments|income|savings|cash|capital|wealth|portfolio|profits?)\b",
        "doubl|tripl|quadrupl",
    ),
    rule(r"\bget(?:ting)?\s+rich\b|\bmake\s+money\s+while\s+you\s+sleep\b", "rich|while you sleep"),
    rule(
        r"\b(?:earn|earns|make|makes|making|earning|take\s+home|pocket)\s+(?:your\s+first\s+|up\s+to\s+"
        r"|over\s+|an\s+average\s+of\s+|on\s+average\s+|as\s+much\s+as\s+|at\s+least\s+)?"
        r"(?:[£$€]\s?\d[\d,]*k?\+?|six|seven)\s*(?:figures\s+)?(?:(?:a|an|per|every)\s+"
        r"(?:day|week|month|hour|year)|online|from\s+home|in\s+(?:just\s+)?\d+\s+(?:days|weeks|months))\b",
        "£|$|€|figures",
    ),
    rule(r"\bquit\s+(?:your|the)\s+(?:day\s+)?job\b|\bfire\s+your\s+boss\b", "quit|boss"),
    rule(
        r"\bturn\s+[£$€]\s?\d[\d,]*k?\s+into\s+[£$€]\s?\d[\d,]*k?",
        "turn",
        requires=r"turn\s+[£$€]",
    ),
    rule(
        r"\binvest\s+[£$€]\s?\d[\d,]*k?\b[^.!?]{0,40}?\b(?:receive|get|earn|make|take)\s+"
        r"(?:back\s+)?[£$€]\s?\d[\d,]*k?",
        "invest",
    ),
    # A percentage a day, week or month is a promised return; a yearly savings rate is not.
    rule(
        r"\b(?:earn|make|get|receive|returns?\s+of|yields?)\s+(?:up\s+to\s+|over\s+|at\s+least\s+)?"
        r"\d+(?:\.\d+)?%\s+(?:a|per|every|each)\s+(?:day|week|month)\b",
        "%",
    ),
    rule(r"\b\d+(?:\.\d+)?%\s+(?:daily|weekly|monthly)\s+(?:returns?|profits?|gains)\b", "%"),
    rule(r"\b(?:make|makes|earn|earns|making|earning)\s+(?:six|seven)[- ]figures?\b", "figure"),
    rule(
        r"\bdebt[- ]free\s+in\s+(?:just\s+)?\d+\s+\w+|\b(?:clear|wipe\s+out)\s+(?:your|all)"
        r"\s+debts?\s+in\s+\d+",
        "debt",
    ),
    rule(
        r"\bnever\s+lose\s+(?:money|a\s+penny|your\s+money)\b|\bretire\s+(?:a\s+)?millionaire\b"
        r"|\bbecome\s+a\s+millionaire\b"
        r"|\b(?:financial(?:ly)?\s+(?:free|freedom|independen\w+)|retire\s+early)\s+(?:in|within)"
        r"\s+\d+(?:\s+\w+)?",
        "never lose|millionaire|financial|retire",
    ),
)
# Risk words are a financial promise only when the sentence is about money.
_RISK = rule(
    r"\b(?:risk[- ]free|no[- ]risk|zero[- ]risk|without\s+(?:any\s+)?risk|with\s+no\s+risk"
    r"|(?:you\s+)?(?:can't|cannot|can’t)\s+lose|only\s+goes?\s+up|(?:can't|cannot|can’t|never)"
    r"\s+go(?:es)?\s+down)\b",
    "risk|lose|go up|goes up|go down|goes down",
)
_MONEY_CONTEXT = re.compile(
    r"\b(?:invest\w*|returns?|profits?|income|trading|traders?|crypto\w*|bitcoin|forex|stocks?"
    r"|shares|portfolio|savings|wealth|earn\w*|dividends?|pension|funds?|yield|trades?|coins?"
    r"|tokens?|money(?![- ]back))\b",
    _I,
)


def _promise(category: str, kind: str, m: re.Match[str], **kw: object) -> Claim:
    return Claim(category, kind, "high", m.start(), m.end(), **kw)  # type: ignore[arg-type]


def find_promises(doc: Doc) -> list[Claim]:
    """Health and financial promise candidates, as claims for the truth layer."""
    found: list[Claim] = []
    for r in _HEALTH:
        found += [_promise("health_promise", "health", m, backable=False) for m in doc.finditer(r)]
    for m in doc.finditer(_EVIDENCE):
        key = m.group("key") or m.group("key2")
        found.append(
            _promise("health_promise", "evidence", m, triggers=frozenset(content_stems(key)))
        )
    for r in _FINANCIAL:
        found += [
            _promise("financial_promise", "financial", m, backable=False) for m in doc.finditer(r)
        ]
    for m in doc.finditer(_RISK):
        if _MONEY_CONTEXT.search(doc.sentences.sentence(m.start())):
            found.append(_promise("financial_promise", "financial", m, backable=False))
    return found

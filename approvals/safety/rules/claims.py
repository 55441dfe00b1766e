"""Claim candidates: superlatives, rankings, statistics and guarantees the truth layer must back."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from approvals.safety.text import DIGITS, Doc, content_stems, number_value, rule, word_set


@dataclass(frozen=True)
class Claim:
    """A statement that needs a verified fact behind it, found at text[start:end].

    A fact backs the claim when it holds `number` (alone enough when `number_alone`, else
    together with a shared content word) or one of the `triggers` stems plus a shared word.
    Claims with backable=False (medical cures, promised returns) are never backed.
    """

    category: str
    kind: str
    severity: str
    start: int
    end: int
    triggers: frozenset[str] = field(default_factory=frozenset)
    number: str | None = None
    number_alone: bool = False
    backable: bool = True
    # What the claim is about ("environmental", "origin", ...), for messages and the
    # breakdown; empty means the kind says it (see truth.claim_type).
    topic: str = ""


NUM = (
    r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine"
    r"|ten|twelve|twenty|fifty)"
)
_I = re.IGNORECASE

# --- superlatives and rankings -------------------------------------------------------------

_SUPERLATIVE_WORDS = (
    "best|finest|greatest|biggest|largest|fastest|quickest|cheapest|lowest|highest|safest"
    "|strongest|smartest|freshest|gentlest|friendliest|tastiest|healthiest|leading|favourite"
    "|favorite"
)
_MOST = (
    r"most\s+(?:trusted|popular|reliable|advanced|experienced|affordable|innovative|comprehensive"
    r"|powerful|accurate|secure|effective|loved|recommended|awarded|respected|qualified|sustainable"
    r"|luxurious|comfortable|delicious|complete|transparent|efficient)"
)
# "the best ...", "Britain's best ...", "the UK's most trusted ...". "our best" and "our most
# popular" compare a business with itself, which is not a market claim, so "our" is absent.
_DETERMINED = rule(
    rf"(?P<det>\bthe|\b[\w.-]+(?:'s|’s|s'|s’))\s+(?:very\s+)?(?P<key>{_SUPERLATIVE_WORDS}|{_MOST}"
    r"|number[\s-]one|\#\s?1|no\.\s?1)(?!\w)(?P<tail>[^.!?\n]{0,40})",
    _SUPERLATIVE_WORDS + "|most|number|#|no.",
    requires=rf"(?:the|'s|’s|s'|s’)\s+(?:very\s+)?(?:{_SUPERLATIVE_WORDS}|{_MOST}"
    r"|number[\s-]one|#\s?1|no\.\s?1)",
)
_NOT_POSSESSIVE = word_set(
    "it's that's what's there's here's he's she's who's let's one's "
    "it’s that’s what’s there’s here’s he’s she’s who’s let’s one’s"
)
# Advice and effort, not claims: "the best way to", "the strongest application we can".
_ADVICE_TAIL = re.compile(
    r"[\s-]*(?:way|ways|time|times|part|thing|things|bit|approach|option for you|of luck"
    r"|difference|differences|reason|reasons|mistake|mistakes|challenge|challenges|problem"
    r"|problems|question|questions|factor|factors|impact|single\s+\w+"
    r"|of both|practice|practices|place to start|cause|causes|(?:[\w-]+\s+){0,2}(?:we|you)\s+can"
    r"|(?:[\w-]+\s+){0,2}possible)\b",
    _I,
)
_RANK_TAIL = re.compile(
    r"\s+(?:priority|priorities|rule|tip|reason|question|thing|goal|focus|fan|mistake|concern)\b",
    _I,
)
_VOTED = rule(
    r"\bvoted\s+(?:the\s+)?(?:[\w.-]+(?:'s|’s|s')\s+)?"
    r"(?P<key>best|top|favourite|favorite|number[\s-]one|\#\s?1|no\.\s?1)(?!\w)",
    "voted",
)
_BEST_IN_PLACE = rule(
    r"\b(?P<key>best)\s+(?:[\w-]+\s+){1,2}?(?:in|on)\s+(?:the\s+)?"
    r"(?:town|city|country|world|uk|britain|(?-i:[A-Z])[\w'’-]+)",
    "best",
)
_RANK = rule(
    r"(?<![\w#])(?P<key>\#\s?1|no\.\s?1)(?=\s+(?:rated|ranked|choice|for|in)\b)",
    "#|no.",
    requires=r"1\s+(?:rated|ranked|choice|for|in)",
)
_COMPOUND = rule(
    r"\b(?P<key>(?:best|top|highest|five[- ]star|5[- ]star)[- ]rated|best[- ]in[- ]class"
    r"|award[- ]winning|(?:industry|market|world|sector|category|uk|europe)[- ]leading"
    r"|unbeatable|unmatched|unrivall?ed|unparall?ell?ed|second\s+to\s+none|bar\s+none"
    r"|world'?s\s+first)\b",
    "rated|class|award|leading|unbeat|unmatch|unrival|unparal|second|bar none|first",
    requires=r"[- ](?:rated|class|leading)|award[- ]winning|un(?:beatable|matched|rivall?ed"
    r"|parall?ell?ed)|second\s+to\s+none|bar\s+none|world'?s\s+first",
)
_LEADER = rule(
    r"\b(?P<key>(?:market|industry|world|global|sector|category)\s+leaders?"
    r"|the\s+leader\s+in|leaders?\s+in\s+(?:the\s+|our\s+)?(?:field|industry|market|sector))\b",
    "leader",
    requires=r"leaders?\s+in|(?:market|industry|world|global|sector|category)\s+leader",
)
_ONLY = rule(
    r"\bthe\s+(?P<key>only)\s+(?!(?:thing|one|way|time|catch|question|difference|problem"
    r"|downside|exception|person)\b)[\w-]+(?:\s+[\w-]+){0,4}?\s+(?:that|who|which|to|in)\b",
    "only",
)
_PRICE = rule(
    r"\b(?P<key>lowest|cheapest|best)\s+(?:prices?|value|deals?)\b",
    "price|value|deal",
    requires=r"(?:lowest|cheapest|best)\s+(?:price|value|deal)",
)
# Comparisons against everyone are superlatives in disguise: "quicker than any other broker",
# "no one in London makes a better croissant", "ranked first", "nobody comes close".
_THAN_ANY = rule(
    r"\b(?P<key>\w+er|more\s+\w+|better|less\s+\w+)\s+than\s+(?:any(?:one|body)?(?:\s+else|\s+other)?"
    r"|every(?:one|body)?(?:\s+else|\s+other)?|all\s+(?:the\s+)?(?:others|rest|competitors))\b",
    "than any|than every|than all",
)
_NO_ONE = rule(
    r"\b(?:no\s*one|nobody|no\s+other\s+[\w-]+)\s+(?:[\w,'’-]+\s+){0,5}?"
    r"(?P<key>better|cheaper|faster|bigger|more|comes?\s+close|does\s+it\s+better|beats?)\b",
    "no one|noone|nobody|no other",
)
_RANKED = rule(
    r"\b(?:ranked|rated|named|crowned)\s+(?:the\s+)?(?P<key>first|top|highest|best|#\s?1"
    r"|number\s+one|no\.?\s?1)\b",
    "ranked|rated|named|crowned",
)
_RANKINGS = (_VOTED, _BEST_IN_PLACE, _RANK, _COMPOUND, _LEADER, _PRICE, _THAN_ANY, _NO_ONE, _RANKED)
_PROVEN = rule(r"\b(?P<key>proven|shown|tested)\s+to\s+\w+", "proven|shown|tested")

# --- statistics ------------------------------------------------------------------------------

_PERCENT = rule(
    r"(?<![\w.])(?P<num>\d{1,3}(?:[.,]\d+)?)\s?(?P<pct>%|per\s?cent\b)"
    r"(?:\s+of\s+(?:our\s+|all\s+|the\s+)?[\w-]+)?",
    "%|per cent|percent",
    starts=r"\d",
)
# "20% off" and "save 15%" are offers the client sets, not statistics.
_OFFER_TAIL = re.compile(
    r"\s*(?:off|discount|cashback|deposit|apr|finance|interest|de\s+descuento|dto|descuento"
    r"|de\s+r[ée]duction|de\s+remise|r[ée]duction|remise|rabatt|nachlass|preisnachlass)(?!\w)",
    _I,
)
_OFFER_HEAD = re.compile(
    r"(?:\b(?:save|saving|saves|extra|ahorra|ahorre|[ée]conomisez|spart|sparen|spare)\s+"
    r"(?:up\s+to\s+|hasta\s+(?:un\s+)?|jusqu['’][àa]\s+|bis\s+zu\s+)?|[-−–]\s?)$",
    _I,
)
# "Rebajas: 20% en muebles", "Soldes : -20 % sur", "20 % auf alles": in a sale, a percentage
# followed by what it applies to is the offer.
_OFFER_ON = re.compile(r"\s*(?:en|sur|auf)\s", _I)
_SALE = re.compile(
    r"\b(?:sale|rebajas|oferta|descuento|promo\w*|soldes|remise|angebot|rabatt|aktion)\b", _I
)
_RATIO = rule(
    rf"\b(?P<num>{NUM})\s+(?P<sep>out\s+of|in)\s+(?P<den>{NUM})\b",
    ("out of",)
    + tuple(f" in {d}" for d in "123456789")
    + tuple(
        f" in {w}"
        for w in ("three", "four", "five", "six", "seven", "eight", "nine", "ten", "twenty")
    ),
)
_FRACTION = rule(
    r"\b(?P<key>half|a\s+third|two[\s-]thirds|a\s+quarter|three[\s-]quarters|the\s+majority"
    r"|a\s+fifth)\s+of\s+(?:our|all|the|their)\s+(?:[\w-]+\s+){0,2}?[\w-]+"
    r"|\bby\s+(?P<key2>half|a\s+third|two[\s-]thirds|a\s+quarter|three[\s-]quarters)\b",
    "half|third|quarter|majority|fifth",
    requires=r"(?:half|third|thirds|quarter|quarters|majority|fifth)\s+of\s+(?:our|all|the|their)\s"
    r"|by\s+(?:half|a\s+third|two[\s-]thirds|a\s+quarter|three[\s-]quarters)",
)
_IN_HALF = rule(
    r"\b(?P<key>cuts?|halves|reduces?|slashes|slash)\s+(?:[\w-]+\s+){0,3}?in\s+half\b", "in half"
)
_MULTIPLIER = rule(
    r"(?<![\w.])(?P<num>\d+(?:\.\d+)?)\s?(?:x|times)\s+(?:more|faster|better|cheaper|quicker"
    r"|higher|less|bigger|stronger|longer|as)\b",
    "x |times",
    requires=r"\d\s?(?:x|times)\s+(?:more|faster|better|cheaper|quicker|higher|less|bigger|stronger"
    r"|longer|as)",
    starts=r"\d",
)
_WORD_MULTIPLIER = rule(
    r"\b(?:(?P<num>two|three|four|five|ten)\s+times|(?P<key>twice))\s+(?:more|faster|better"
    r"|cheaper|quicker|higher|less|bigger|stronger|longer|as)\b",
    "times|twice",
)
_COUNT = rule(
    r"(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?![\d,.]\d)\s?(?P<mult>k|m|million|thousand)?(?P<plus>\+)?"
    r"\s+(?:[a-z-]+\s+){0,2}?(?P<noun>men|women|people|children|[a-z]+[^s\W]s)\b",
    DIGITS,
    requires=r"\d\s?(?:k|m|million|thousand)?\+?\s+(?:[a-z-]+\s+){0,2}?"
    r"(?:men|women|people|children|[a-z]+[^s\W]s)",
    starts=r"\d",
)
_COUNT_QUALIFIER = re.compile(
    r"\b(?:over|more\s+than|almost|nearly|upwards\s+of|at\s+least|trusted\s+by|loved\s+by"
    r"|used\s+by|join|helped|served)\s+$",
    _I,
)
_COUNT_HEAD = re.compile(
    r"(?:[£$€.,]|\b(?:up\s+to|of|for|max|maximum|per|sleeps|serves|seats|fits|only|just)\s+)$", _I
)
# Plural nouns after a number that measure something rather than count who or what was served.
_UNITS = word_set("""miles kilometres kilometers km metres meters feet inches yards hours minutes seconds days
    weeks months years decades nights pounds dollars euros pence grams kilos kgs litres liters
    calories words pages steps degrees percents points stars seats spaces rooms bedrooms tickets
    places sizes colours colors flavours flavors varieties options styles designs courses times
    classes sessions lessons slots grados degrés minutos horas heures gramos grammes semanas
    semaines días jours años ans metros mètres litros litres euros céntimos centimes calorías
    kilómetros kilomètres raciones porciones tranches unidades""") | word_set(
    "has was is his its this yes plus thus always perhaps towards besides whereas"
)
_SERVED = (
    r"customers|clients|users|businesses|companies|homes|households|projects|patients|reviews"
    r"|families|members|students|pupils|learners|couples|subscribers|followers|guests|visitors"
    r"|readers|shoppers|buyers|homeowners|parents|people|brands|organisations|organizations"
)
_MASS = rule(
    rf"\b(?P<key>thousands|hundreds|millions)\s+of\s+(?:happy\s+|satisfied\s+)?(?:{_SERVED})\b",
    "thousands|hundreds|millions",
)
_YEARS = rule(
    rf"\b(?:over|more\s+than|almost|nearly|around)?\s*(?P<num>\d{{1,3}}|{NUM})\+?\s+years?"
    r"(?:'|’)?\s+(?:of\s+)?(?:experience|in\s+business|trading|serving|in\s+the\s+(?:trade"
    r"|industry|business))\b"
    rf"|\bfor\s+(?:over|more\s+than|almost|nearly|well\s+over)\s+(?P<num2>\d{{1,3}}|{NUM})\s+years\b",
    "year",
    requires=r"years?(?:'|’)?\s+(?:of\s+)?(?:experience|in\s+business|trading|serving"
    r"|in\s+the\s+(?:trade|industry|business))|for\s+(?:over|more\s+than|almost|nearly|well\s+over)\s",
)
_SINCE = rule(
    r"\b(?:since|established(?:\s+in)?|est\.?|founded\s+in)\s+(?P<num>1[89]\d\d|20[0-4]\d)\b",
    "since|established|est|founded",
)
_RATING = rule(
    r"\brated\s+(?P<num>\d(?:\.\d)?)\s*(?:/\s*(?:5|10)|out\s+of\s+(?:5|five|10)|stars?)"
    r"|\b(?P<num2>\d\.\d)[- ]?stars?\b",
    "rated|star",
    requires=r"\d(?:(?:\.\d)?\s*(?:/|out\s+of|star)|\.\d[- ]?star)",
)
_IMPROVE_BY = rule(
    r"\b(?:improv|increas|boost|grow|rais|cut|reduc|lower|lift|doubl)\w*\s+(?:[\w']+\s+){0,3}?"
    r"by\s+(?:up\s+to\s+|over\s+|an\s+average\s+of\s+|around\s+|about\s+|on\s+average\s+)?"
    rf"(?P<num>{NUM})\b(?!\s?%|[.,]\d)",
    "improv|increas|boost|grow|rais|cut|reduc|lower|lift|doubl",
    requires=r"by\s+(?:up\s+to\s+|over\s+|an\s+average\s+of\s+|around\s+|about\s+|on\s+average\s+)?"
    r"(?:\d|one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|fifty)",
)

# --- guarantees ------------------------------------------------------------------------------

_GUARANTEE = rule(r"\b(?P<key>guarantee[ds]?)\b", "guarantee")
_NEGATED = re.compile(
    r"\b(?:no|not|never|can't|cannot|can’t|don't|doesn't|won't|without)\b[^.!?]{0,15}$", _I
)
_RISK = rule(r"\b(?P<key>risk[- ]free|no[- ]risk|zero[- ]risk)\b", "risk")
_BEAT = rule(r"\b(?P<key>beat|match)\s+any\s+(?:price|quote)s?\b", "any price|any quote")

_GUARANTEE_TRIGGERS = frozenset({"guarant", "refund", "warranty", "risk"})


def _stems(text: str) -> frozenset[str]:
    return frozenset(content_stems(text))


def _claim(kind: str, m: re.Match[str], **kw: object) -> Claim:
    return Claim("unsubstantiated_claim", kind, "medium", m.start(), m.end(), **kw)  # type: ignore[arg-type]


def _superlatives(doc: Doc) -> list[Claim]:
    text, found = doc.text, []
    for m in doc.finditer(_DETERMINED):
        det, key, tail = m.group("det"), m.group("key"), m.group("tail")
        if det.lower() in _NOT_POSSESSIVE or _ADVICE_TAIL.match(tail):
            continue
        if re.match(r"number|#|no", key, _I) and _RANK_TAIL.match(tail):
            continue
        # The span ends at the first word after the superlative, enough to show what is claimed.
        words = re.match(r"[\s-]*[\w'-]+", tail)
        end = m.end("key") + (words.end() if words else 0)
        found.append(
            Claim("unsubstantiated_claim", "superlative", "medium", m.start(), end, _stems(key))
        )
    for r in _RANKINGS:
        for m in doc.finditer(r):
            if r is _BEST_IN_PLACE and _ADVICE_TAIL.match(text, m.end("key")):
                continue  # "had the best time in Cornwall" is an experience, not a claim
            found.append(_claim("superlative", m, triggers=_stems(m.group("key"))))
    for m in doc.finditer(_ONLY):
        found.append(_claim("superlative", m, triggers=frozenset({"only"})))
    for m in doc.finditer(_PROVEN):
        found.append(_claim("proof", m, triggers=_stems(m.group("key"))))
    return found


def _statistics(doc: Doc) -> list[Claim]:
    text, found = doc.text, []
    for m in doc.finditer(_PERCENT):
        if _OFFER_TAIL.match(text, m.end("pct")) or _OFFER_HEAD.search(
            text, max(0, m.start() - 20), m.start()
        ):
            continue
        if _OFFER_ON.match(text, m.end("pct")) and _SALE.search(doc.sentences.sentence(m.start())):
            continue
        found.append(_claim("statistic", m, number=number_value(m.group("num")), number_alone=True))
    for m in doc.finditer(_RATIO):
        num, den = number_value(m.group("num")), number_value(m.group("den"))
        if m.group("sep").lower() == "in" and not _is_fraction(num, den):
            continue
        found.append(_claim("statistic", m, number=num, number_alone="." in num))
    for m in doc.finditer(_IN_HALF):
        found.append(_claim("statistic", m, triggers=frozenset({"half"})))
    for m in doc.finditer(_FRACTION):
        found.append(_claim("statistic", m, triggers=_stems(m.group("key") or m.group("key2"))))
    for m in doc.finditer(_MULTIPLIER):
        found.append(_claim("statistic", m, number=m.group("num")))
    for m in doc.finditer(_WORD_MULTIPLIER):
        if m.group("key"):
            found.append(_claim("statistic", m, triggers=frozenset({"twice"})))
        else:
            found.append(_claim("statistic", m, number=number_value(m.group("num"))))
    found.extend(_counts(doc))
    for m in doc.finditer(_MASS):
        found.append(_claim("statistic", m, triggers=_stems(m.group("key"))))
    for m in doc.finditer(_YEARS):
        found.append(_claim("statistic", m, number=number_value(m.group("num") or m.group("num2"))))
    for m in doc.finditer(_SINCE):
        found.append(_claim("statistic", m, number=m.group("num"), number_alone=True))
    for m in doc.finditer(_RATING):
        num = m.group("num") or m.group("num2")
        found.append(_claim("statistic", m, number=num, number_alone="." in num))
    for m in doc.finditer(_IMPROVE_BY):
        if m.group("num").lower() not in ("half", "a"):
            found.append(_claim("statistic", m, number=number_value(m.group("num"))))
    return found


def _counts(doc: Doc) -> list[Claim]:
    """ "Over 50,000 happy customers", "350 local families": counts of who or what was served."""
    text, found = doc.text, []
    for m in doc.finditer(_COUNT):
        if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "£$€.,"):
            continue
        head = text[max(0, m.start() - 24) : m.start()]
        if m.group("noun").lower() in _UNITS or _COUNT_HEAD.search(head):
            continue
        qualifier = _COUNT_QUALIFIER.search(head)
        value = _count_value(m.group("num"), m.group("mult"))
        looks_like_year = re.fullmatch(r"(?:19|20)\d\d", m.group("num"))
        if not (
            qualifier
            or m.group("plus")
            or m.group("mult")
            or (value >= 100 and not looks_like_year)
        ):
            continue
        start = m.start() - len(qualifier.group()) if qualifier else m.start()
        found.append(
            Claim(
                "unsubstantiated_claim",
                "statistic",
                "medium",
                start,
                m.end(),
                number=number_value(m.group("num")),
            )
        )
    return found


def _guarantees(doc: Doc) -> list[Claim]:
    text, found = doc.text, []
    for m in doc.finditer(_GUARANTEE):
        if not _NEGATED.search(text, max(0, m.start() - 30), m.start()):
            found.append(_claim("guarantee", m, triggers=_GUARANTEE_TRIGGERS))
    for r in (_RISK, _BEAT):
        for m in doc.finditer(r):
            found.append(_claim("guarantee", m, triggers=_GUARANTEE_TRIGGERS))
    return found


def _is_fraction(num: str, den: str) -> bool:
    try:
        return 0 < float(num) < float(den) and float(den) >= 3
    except ValueError:
        return False


def _count_value(num: str, mult: str | None) -> float:
    factor = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6}
    return float(num.replace(",", "")) * factor.get((mult or "").lower(), 1)


DETECTORS: tuple[Callable[[Doc], list[Claim]], ...] = (_superlatives, _statistics, _guarantees)


def find_claims(doc: Doc) -> list[Claim]:
    """Every claim candidate in the text; overlapping candidates are merged by the truth layer."""
    return [claim for detector in DETECTORS for claim in detector(doc)]

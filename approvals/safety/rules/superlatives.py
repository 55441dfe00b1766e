"""Superlatives, rankings and comparisons beyond claims.py: the ones it misses in English, and
all of them in Spanish, French and German ("the King of ...", "undisputed No. 1", "best ...
I have ever seen", "better than Brand X", "el mejor", "le meilleur", "der beste").

A business comparing itself with itself ("our best", "nuestro mejor", "unser bestes") and
advice ("the best way to", "la mejor manera de") are not claims.
"""

from __future__ import annotations

from approvals.safety.rules.claims import Claim
from approvals.safety.rules.phrases import Phrase, phrase_claims
from approvals.safety.text import Doc, rule


def _rank(pattern: str, anchors: str) -> Phrase:
    return Phrase(rule(pattern, anchors), "comparative", "superlative")


_EN_THAN_SKIP = (
    r"ever|before|usual|expected|last|you|we|i|it|that|this|they|he|she|our|your|yesterday"
    r"|today|normal|average|one|two|three|four|five|\d|most|many|half|a|an|the\s+(?:original"
    r"|previous|last|old|first)|in|at|on|when|if|what|needed|necessary|required|planned"
)
_EN_RIVALS = (
    r"(?:the\s+)?(?:leading|other|rival|competing|big|major|national|top|premium|regular"
    r"|ordinary|standard|conventional|supermarket|high[- ]street)\s+(?:brands?|competitors?"
    r"|names?|products?|options?|models?|stores?|shops?|banks?)|the\s+competition|competitors"
)
_ES_BEST_SKIP = (
    r"manera|forma|opci[óo]n\s+para\s+(?:ti|usted)|parte|momento|[ée]poca|hora|d[íi]a|modo"
)
_FR_BEST_SKIP = r"moyen|fa[çc]on|mani[èe]re|moment|choix\s+pour\s+vous|partie"
_DE_BEST_SKIP = r"Weg|Art|Zeit|Moment|Tag|Zeitpunkt|M[öo]glichkeit"
_DE_SUPERLATIVES = (
    r"beste|g[üu]nstigste|billigste|schnellste|gr[öo][ßs]te|st[äa]rkste|sicherste|beliebteste"
    r"|hochwertigste|preiswerteste|leistungsst[äa]rkste|effektivste|wirksamste|modernste"
    r"|innovativste|zuverl[äa]ssigste|frischeste|leckerste|ges[üu]ndeste|meistverkaufte"
)

PHRASES: tuple[Phrase, ...] = (
    # --- English -----------------------------------------------------------------------
    _rank(
        r"\b(?:the\s+)?(?P<key>undisputed|unquestioned|undeniable|reigning|uncontested)\s+"
        r"(?:no\.?\s?1|number\s+one|#\s?1|champions?|leaders?|kings?|queens?|best|leader)\b"
        r"|\bthe\s+(?:undisputed\s+|true\s+|real\s+|new\s+)?(?P<key2>kings?|queens?|emperors?"
        r"|champions?|masters?|gods?)\s+of\s+(?!the\s+(?:house|castle|jungle\s+book))[\w'’-]+",
        "undisputed|unquestioned|undeniable|reigning|uncontested|king|queen|emperor|champion"
        "|master|god",
    ),
    _rank(
        r"\b(?P<key>best|finest|greatest|nicest|tastiest|most\s+\w+)\b[^.!?\n]{0,50}?\b(?:i|we)"
        r"(?:'ve|’ve|\s+have|\s+had|'d|’d)?\s+(?:ever|yet)\s+(?:seen|had|tasted|tried|used|owned"
        r"|eaten|bought|worn|slept|stayed|visited|experienced|found|driven|read|heard|met|drunk"
        r"|come\s+across)\b",
        "ever|yet",
    ),
    _rank(
        r"(?<![\w#])(?P<key>#\s?1|no\.\s?1)(?!\s+(?:priority|priorities|rule|tip|reason|question"
        r"|thing|goal|focus|fan|mistake|concern|on\s+the\s+list)\b)(?![\d.])",
        "#|no.",
    ),
    _rank(
        r"\b(?P<key>(?:better|cheaper|faster|stronger|cleaner|healthier|tastier|safer|quieter"
        r"|lighter|smarter|fresher|greener|longer[- ]lasting)\s+than)\s+"
        rf"(?!(?:{_EN_THAN_SKIP})\b)(?:{_EN_RIVALS}|(?-i:[A-Z])[\w&'’-]+)"
        r"|\b(?P<key2>outperforms?|outlasts?|outsells?|beats)\s+(?:the\s+)?(?:leading|other|rival"
        r"|competing|big|major|national|top)?\s*(?:brands?|competitors?|competition"
        r"|(?-i:[A-Z])[\w&'’-]+)",
        "better than|cheaper than|faster than|stronger than|cleaner than|healthier than"
        "|tastier than|safer than|quieter than|lighter than|smarter than|fresher than"
        "|greener than|lasting than|outperform|outlast|outsell|beats",
    ),
    _rank(
        rf"\b(?P<key>(?:more|less)\s+[\w-]+\s+than)\s+(?:{_EN_RIVALS})",
        "than the|than other|than rival|than competing|than big|than major|than national"
        "|than top|than premium|than regular|than ordinary|than standard|than conventional"
        "|than supermarket|than high|than leading|than competitors",
    ),
    # --- Spanish -----------------------------------------------------------------------
    _rank(
        rf"(?<!\w)(?:el|la|los|las)\s+(?P<key>mejor(?:es)?)\s+(?!(?:{_ES_BEST_SKIP})(?!\w))[\w-]+"
        r"|(?<!\w)(?P<key2>mejor(?:es)?)\s+que\s+(?!nunca(?!\w)|antes(?!\w))(?:cualquier"
        r"|ning[úu]n|ninguna|la\s+competencia|los\s+dem[áa]s|otr[oa]s|(?-i:[A-Z]))[\w-]*",
        "mejor",
    ),
    _rank(
        r"(?<!\w)(?:el|la|los|las)\s+(?P<key>más)\s+(?!de(?!\w)|que(?!\w))[\w-]+"
        r"(?:\s+(?:de|del|en)\s+[\w-]+)?"
        r"|(?<!\w)(?P<key2>más\s+(?:barat[oa]s?|r[áa]pid[oa]s?|eficaz(?:es)?|potentes?|duraderos?"
        r"|econ[óo]mic[oa]s?|fiables?))\s+que\s+(?!nunca(?!\w)|antes(?!\w))(?:cualquier"
        r"|ning[úu]n|ninguna|la\s+competencia|los\s+dem[áa]s|otr[oa]s|(?-i:[A-Z]))[\w-]*",
        "más",
    ),
    _rank(
        r"(?<!\w)(?P<key>n[úu]mero\s+(?:1|uno)|n\.?\s?º\s?1)(?!\w)"
        r"|(?<!\w)(?P<key2>l[íi]der(?:es)?)\s+(?:del|en\s+el|en|de)\s+(?:mercado|sector|Espa[ñn]a"
        r"|Europa|el\s+mundo|ventas)(?!\w)",
        "número|numero|nº|n.º|líder|lider",
    ),
    _rank(
        r"(?<!\w)(?P<key>insuperables?|inigualables?|imbatibles?|incomparables?|indiscutibles?"
        r"|sin\s+(?:igual|rival|competencia)|premiad[oa]s?|galardonad[oa]s?)(?!\w)"
        r"|(?<!\w)(?:el|la)\s+(?P<key2>rey|reina)\s+(?:de|del)\s+[\w-]+"
        r"|(?<!\w)nadie\s+(?:lo\s+hace\s+mejor|ofrece\s+m[áa]s|te\s+da\s+m[áa]s"
        r"|es\s+m[áa]s\s+barato)(?!\w)",
        "insuperable|inigualable|imbatible|incomparable|indiscutible|sin igual|sin rival"
        "|sin competencia|premiad|galardonad|rey|reina|nadie",
    ),
    # --- French ------------------------------------------------------------------------
    _rank(
        rf"(?<!\w)(?:le|la|les)\s+(?P<key>meilleure?s?)\s+(?!(?:{_FR_BEST_SKIP})(?!\w))[\w'’-]+"
        r"|(?<!\w)(?P<key2>[ée]lue?s?\s+meilleure?s?)"
        r"|(?<!\w)(?P<key3>meilleure?s?)\s+que\s+(?!jamais(?!\w)|avant(?!\w))"
        r"(?:tous|toutes|n['’]importe|la\s+concurrence|les\s+autres|(?-i:[A-Z]))[\w'’-]*",
        "meilleur",
    ),
    _rank(
        r"(?<!\w)(?:le|la|les)\s+(?P<key>plus)\s+(?!de(?!\w)|que(?!\w)|souvent|tard|t[ôo]t"
        r"|possible)[\w-]+\s+(?:de|du|des|d['’]|en)\s*[\w-]+"
        r"|(?<!\w)(?P<key2>plus\s+(?:rapides?|efficaces?|puissante?s?|[ée]conomiques?"
        r"|performante?s?|durables?|fiables?))\s+que\s+(?!jamais(?!\w)|avant(?!\w))"
        r"(?:tous|toutes|n['’]importe|la\s+concurrence|les\s+autres|(?-i:[A-Z]))[\w'’-]*",
        "plus",
    ),
    _rank(
        r"(?<!\w)(?P<key>num[ée]ro\s+(?:1|un)|n\s?°\s?1|nº\s?1)(?!\w)"
        r"|(?<!\w)(?P<key2>leaders?)\s+(?:du|sur\s+le|en|de\s+la|de\s+l['’]|europ[ée]en|fran[çc]ais"
        r"|mondial)\s*(?:march[ée]|secteur|France|Europe|vente)?(?!\w)"
        r"|(?<!\w)(?P<key3>imbattables?|in[ée]gal[ée]e?s?|sans\s+(?:[ée]gal|pareil|concurrence)"
        r"|incomparables?|incontest[ée]e?s?|prim[ée]e?s?)(?!\w)"
        r"|(?<!\w)(?:le|la)\s+(?P<key4>roi|reine)\s+(?:de|du|des)\s+[\w-]+"
        r"|(?<!\w)(?P<key5>[ée]lue?s?)\s+(?:produit\s+de\s+l['’]ann[ée]e|n°\s?1)"
        r"|(?<!\w)personne\s+ne\s+(?:fait\s+mieux|propose\s+plus|est\s+moins\s+cher)(?!\w)",
        "numéro|numero|n°|nº|leader|imbattable|inégal|inegal|sans égal|sans egal|sans pareil"
        "|sans concurrence|incomparable|incontest|primé|prime|roi|reine|élu|elu|personne ne",
    ),
    # --- German ------------------------------------------------------------------------
    _rank(
        rf"(?<!\w)(?:der|die|das|den|dem|des)\s+(?P<key>{_DE_SUPERLATIVES})[nmrs]?\s+"
        rf"(?!(?:{_DE_BEST_SKIP})(?!\w))[\w-]+",
        "beste|günstigste|gunstigste|billigste|schnellste|größte|grösste|grosste|stärkste"
        "|starkste|sicherste|beliebteste|hochwertigste|preiswerteste|leistungsstärkste"
        "|effektivste|wirksamste|modernste|innovativste|zuverlässigste|zuverlassigste|frischeste"
        "|leckerste|gesündeste|gesundeste|meistverkaufte",
    ),
    _rank(
        r"(?<!\w)(?P<key>Nr\.\s?1|Nummer\s+(?:1|eins))(?!\w)"
        r"|(?<!\w)(?P<key2>Marktf[üu]hrer\w*|Testsieger\w*|Branchenf[üu]hrer\w*|f[üu]hrende[rn]?\s+"
        r"(?:Anbieter|Hersteller|Marke|Spezialist))"
        r"|(?<!\w)(?P<key3>unschlagbar\w*|un[üu]bertroffen\w*|konkurrenzlos\w*|unangefochten\w*"
        r"|preisgekr[öo]nt\w*|ausgezeichnet\s+als)"
        r"|(?<!\w)(?:der|die)\s+(?P<key4>K[öo]nig|K[öo]nigin)\s+(?:der|des|unter\s+den)\s+[\w-]+"
        r"|(?<!\w)niemand\s+(?:macht\s+es\s+besser|ist\s+g[üu]nstiger|bietet\s+mehr)(?!\w)",
        "nr.|nummer|marktf|testsieger|branchenf|führende|fuhrende|unschlagbar|unübertroffen"
        "|unubertroffen|konkurrenzlos|unangefochten|preisgekr|ausgezeichnet als|könig|konig"
        "|niemand",
    ),
    _rank(
        r"(?<!\w)(?P<key>besser|g[üu]nstiger|billiger|schneller|st[äa]rker|effektiver|wirksamer"
        r"|leistungsst[äa]rker|langlebiger)\s+als\s+(?!je(?!\w)|jemals|vorher|bisher|erwartet)"
        r"(?:jede[rsn]?|alle|die\s+Konkurrenz|andere|herk[öo]mmliche|(?-i:[A-Z]))[\w-]*",
        "besser als|günstiger als|gunstiger als|billiger als|schneller als|stärker als"
        "|starker als|effektiver als|wirksamer als|leistungsstärker als|langlebiger als",
    ),
)


def find_superlatives(doc: Doc) -> list[Claim]:
    return phrase_claims(doc, PHRASES)

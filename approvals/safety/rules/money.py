"""Price, "free", savings and earnings claims (FTC guides on "free" (16 CFR 251) and former
price comparisons (16 CFR 233), and earnings claims), plus guarantees in Spanish, French and
German. English guarantees and promised returns are in claims.py and promises.py.

A former or reference price ("was £80, now £40", "RRP", "worth £50"), a savings figure
("save £300 a year") or a typical earning must be on file as a verified fact. A plain offer
the client sets ("20% off", "free delivery over £40") is not a claim.
"""

from __future__ import annotations

import re

from approvals.safety.rules.claims import Claim
from approvals.safety.rules.phrases import Phrase, phrase_claims
from approvals.safety.text import Doc, rule

_I = re.IGNORECASE
_MONEY = r"(?:[£$€]\s?\d+(?:[,.]\d+)*k?|\d(?:[\d.,\s]*\d)?\s?(?:€|euros?|EUR|USD|dollars|pounds))"
# A guarantee denied in any of the languages ("sin garantía", "aucune garantie", "keine
# Garantie") is no claim; the word "garantie" is French and German alike.
_NOT = r"(?<!\w)(?:sin|no|ninguna|nunca|sans|aucune|pas|ni|non|keine|ohne|nicht|kein)(?!\w)"
_PERIOD_EN = r"(?:a|per|every|each)\s+(?:day|week|month|year)"


def _price(pattern: str, anchors: str) -> Phrase:
    return Phrase(rule(pattern, anchors), "price", "price")


def _earnings(pattern: str, anchors: str, backable: bool = True) -> Phrase:
    return Phrase(
        rule(pattern, anchors), "earnings", "earnings", "financial_promise", "high", backable
    )


def _guarantee(pattern: str, anchors: str) -> Phrase:
    return Phrase(
        rule(pattern, anchors),
        "guarantee",
        "guarantee",
        negations=re.compile(rf"{_NOT}[^.!?]{{0,15}}$", _I),
    )


# Risk words are about money only in a sentence about money (as in promises.py).
_MONEY_CONTEXT = re.compile(
    r"(?<!\w)(?:invers\w*|rentabilidad|dinero|ganancias|beneficios|cripto\w*|bitcoin|acciones"
    r"|ahorros|investiss\w*|rendement|argent|gains|placement|crypto\w*|[ée]pargne|Geld\w*"
    r"|Rendite|Anlage\w*|investier\w*|Gewinn\w*|Aktien|Krypto\w*|Ersparnis\w*|trading)(?!\w)",
    _I,
)

PHRASES: tuple[Phrase, ...] = (
    # --- English -----------------------------------------------------------------------
    _price(
        rf"\b(?:was|originally|previously|normally|usually|regularly|reg\.?|rrp|msrp|list\s+price"
        rf"|retail\s+price|regular\s+price|compare\s+at|compare\s+to|valued\s+at|worth|retail\s+value"
        rf"(?:\s+of)?)\s*:?\s*{_MONEY}"
        r"|\b(?:half|a\s+fraction\s+of|a\s+third\s+of)\s+the\s+(?:price|cost)\s+of\b"
        r"|\b(?:below|under|at)\s+(?:wholesale|cost|trade|factory)\s+(?:price|prices)?\b"
        r"|\bfactory[- ](?:direct\s+)?prices?\b|\bprices?\s+(?:slashed|crashed)\b"
        r"|\b(?:cheaper|less)\s+than\s+(?:the\s+)?(?:high\s+street|supermarkets?|retail)\b",
        "£|$|€|euro|usd|dollar|pound|the price of|the cost of|wholesale|at cost|below cost"
        "|trade price|factory|slashed|crashed|high street|supermarket|than retail",
    ),
    _price(
        rf"\bsave\s+(?:up\s+to\s+|over\s+|an\s+average\s+of\s+|around\s+)?{_MONEY}\s+(?:{_PERIOD_EN}"
        r"|on\s+(?:your|their|the\s+average)\s+(?:\w+\s+)?(?:bills?|energy|fuel|heating|insurance))"
        r"|\bsave\s+(?:you\s+)?(?:hundreds|thousands)\b|\bpays?\s+for\s+itself\b"
        rf"|\b(?:cuts?|slashes|halves|reduces?)\s+(?:your\s+)?(?:energy|heating|fuel|water"
        r"|electricity|running)?\s*(?:bills?|costs)\s+by\b"
        rf"|\b(?:customers|members|households|users)\s+(?:save|saved)\s+(?:an\s+average\s+of|on"
        r"\s+average|up\s+to)\b",
        "£|$|€|euro|usd|dollar|pound|hundreds|thousands|pays for itself|pay for itself|bills"
        "|costs by|save an|saved an|save on|saved on|save up|saved up",
    ),
    _price(
        r"\bfree\s+(?:[\w-]+\s+){0,2}?(?:with|when\s+you\s+(?:buy|order|spend|purchase))\s+"
        r"(?:any|every|all|your|a|an)\s+(?:\w+\s+)?(?:purchase|order|subscription)\b"
        r"|\bbuy\s+one,?\s+get\s+one(?:\s+free)?\b|\bbogo\b|\b(?:absolutely|completely|totally"
        r"|100\s?%)\s+free\b|\bfree\s+(?:forever|for\s+life)\b",
        "purchase|order|subscription|buy one|bogo|absolutely free|completely free|totally free"
        "|% free|free forever|free for life",
    ),
    _earnings(
        r"\b(?:our|my)\s+(?:students|members|affiliates|partners|clients|sellers|drivers|coaches"
        r"|graduates|reps|distributors)\s+(?:typically\s+|regularly\s+|now\s+)?(?:earn|make|made"
        r"|earned|bring\s+in|take\s+home)\b|\bpassive\s+income\b|\b(?:replace|double|triple)\s+"
        r"your\s+(?:salary|income)\b|\bwork\s+from\s+home\s+and\s+(?:earn|make)\b",
        "earn|make|made|bring in|take home|passive|salary|income",
    ),
    # --- Spanish -----------------------------------------------------------------------
    _price(
        rf"(?<!\w)(?:antes|precio\s+(?:original|habitual|anterior|de\s+venta\s+recomendado)"
        rf"|pvpr?|valorad[oa]\s+en|con\s+un\s+valor\s+de)\s*:?\s*{_MONEY}"
        r"|(?<!\w)(?:a\s+)?precios?\s+de\s+(?:f[áa]brica|coste|mayorista)(?!\w)"
        r"|(?<!\w)la\s+mitad\s+(?:de\s+precio\s+)?que(?!\w)"
        rf"|(?<!\w)ahorra(?:r[áa]s)?\s+(?:hasta\s+)?{_MONEY}\s+(?:al|por|cada)\s+(?:a[ñn]o|mes)(?!\w)"
        r"|(?<!\w)se\s+paga\s+s[óo]l[oa](?!\w)|(?<!\w)reduce\s+(?:tu|su)\s+factura\s+(?:\w+\s+)?"
        r"(?:en|un)(?!\w)"
        r"|(?<!\w)gratis\s+(?:con|por)\s+(?:tu|cada|cualquier|toda)\s+(?:compra|pedido)(?!\w)"
        r"|(?<!\w)(?:2\s?x\s?1|3\s?x\s?2|dos\s+por\s+uno)(?!\w)"
        r"|(?<!\w)(?:totalmente|completamente|100\s?%)\s+gratis(?!\w)|(?<!\w)gratis\s+para\s+siempre",
        "€|euro|$|£|fábrica|fabrica|coste|mayorista|la mitad|se paga|factura|gratis|2x1|2 x 1"
        "|3x2|3 x 2|dos por uno",
    ),
    _earnings(
        rf"(?<!\w)(?:gana|ganar|ganan|ganar[áa]s|genera)\s+(?:hasta\s+|m[áa]s\s+de\s+)?{_MONEY}\s+"
        r"(?:al|por|a\s+la|cada)\s+(?:d[íi]a|semana|mes|a[ñn]o)(?!\w)"
        r"|(?<!\w)ingresos\s+(?:pasivos|garantizados|extra\s+de)(?!\w)"
        r"|(?<!\w)rentabilidad\s+(?:garantizada|asegurada)(?!\w)"
        r"|(?<!\w)duplica(?:r|r[áa]s)?\s+(?:tu|su)\s+(?:dinero|inversi[óo]n|capital)(?!\w)"
        r"|(?<!\w)(?:hazte|hacerte|te\s+har[áa]s)\s+rico(?!\w)|(?<!\w)libertad\s+financiera(?!\w)",
        "€|euro|$|£|ingresos|rentabilidad|duplica|rico|libertad financiera",
        backable=False,
    ),
    # --- French ------------------------------------------------------------------------
    _price(
        rf"(?<!\w)(?:au\s+lieu\s+de|prix\s+(?:barr[ée]|conseill[ée]|public|habituel|initial)"
        rf"|d['’]une\s+valeur\s+de|valeur|avant)\s*:?\s*{_MONEY}"
        r"|(?<!\w)prix\s+(?:d['’]usine|de\s+gros|co[ûu]tant)(?!\w)"
        r"|(?<!\w)moiti[ée]\s+prix\s+(?:de|par\s+rapport)(?!\w)"
        rf"|(?<!\w)[ée]conomisez\s+(?:jusqu['’][àa]\s+)?{_MONEY}\s+(?:par|chaque)\s+(?:an|mois"
        r"|ann[ée]e)(?!\w)|(?<!\w)(?:r[ée]duisez|divisez)\s+(?:vos|votre)\s+factures?\s+(?:\w+\s+)?"
        r"(?:de|par)(?!\w)|(?<!\w)s['’]amortit(?!\w)"
        r"|(?<!\w)offerte?s?\s+(?:pour|avec)\s+(?:tout|toute|chaque)\s+(?:achat|commande)(?!\w)"
        r"|(?<!\w)gratuite?s?\s+(?:pour|avec)\s+(?:tout|toute|chaque)\s+(?:achat|commande)(?!\w)"
        r"|(?<!\w)(?:1|un)\s+achet[ée]e?\s*(?:=|,)\s*(?:1|un)\s+offerte?(?!\w)"
        r"|(?<!\w)(?:totalement|enti[èe]rement|100\s?%)\s+gratuite?s?(?!\w)"
        r"|(?<!\w)gratuite?s?\s+[àa]\s+vie(?!\w)",
        "€|euro|$|£|usine|de gros|coûtant|coutant|moitié prix|moitie prix|factures|amortit"
        "|offert|gratuit",
    ),
    _earnings(
        rf"(?<!\w)(?:gagnez|gagner|gagnent|gagnerez)\s+(?:jusqu['’][àa]\s+|plus\s+de\s+)?{_MONEY}"
        r"\s+(?:par|chaque)\s+(?:jour|semaine|mois|an)(?!\w)"
        r"|(?<!\w)revenus?\s+(?:passifs?|garantis?)(?!\w)"
        r"|(?<!\w)rendements?\s+(?:garantis?|assur[ée]s?)(?!\w)"
        r"|(?<!\w)doublez\s+(?:votre|vos)\s+(?:argent|capital|investissements?|revenus)(?!\w)"
        r"|(?<!\w)(?:devenez|devenir)\s+riches?(?!\w)|(?<!\w)libert[ée]\s+financi[èe]re(?!\w)",
        "€|euro|$|£|revenu|rendement|doublez|riche|libert",
        backable=False,
    ),
    # --- German ------------------------------------------------------------------------
    _price(
        rf"(?<!\w)(?:statt|uvp|fr[üu]her|vorher|regul[äa]r|Normalpreis|im\s+Wert\s+von|Wert)\s*:?\s*"
        rf"{_MONEY}|(?<!\w)(?:zu\s+)?(?:Fabrikpreis|Gro[ßs]handelspreis|Einkaufspreis)e?n?(?!\w)"
        r"|(?<!\w)halb\s+so\s+teuer\s+wie(?!\w)"
        rf"|(?<!\w)(?:sparen\s+Sie|spare|spart|sparst)\s+(?:bis\s+zu\s+)?{_MONEY}\s+(?:im|pro|jedes)"
        r"\s+(?:Jahr|Monat)(?!\w)|(?<!\w)senkt\s+(?:Ihre|Ihren|deine|deinen|die)\s+"
        r"(?:Strom|Heiz|Energie|Neben)\w*\s+um(?!\w)|(?<!\w)amortisiert\s+sich(?!\w)"
        r"|(?<!\w)(?:gratis|kostenlos)\s+(?:zu|bei)\s+(?:jeder|Ihrer|deiner)\s+(?:Bestellung|Kauf"
        r"|Einkauf)(?!\w)|(?<!\w)(?:komplett|v[öo]llig|100\s?%)\s+(?:kostenlos|gratis)(?!\w)"
        r"|(?<!\w)f[üu]r\s+immer\s+kostenlos(?!\w)|(?<!\w)2\s+f[üu]r\s+1(?!\w)",
        "€|euro|$|£|fabrikpreis|handelspreis|einkaufspreis|halb so teuer|senkt|amortisiert"
        "|gratis|kostenlos|2 für 1|2 fur 1",
    ),
    _earnings(
        rf"(?<!\w)(?:verdienen\s+Sie|verdiene|verdienst|verdienen)\s+(?:bis\s+zu\s+|[üu]ber\s+)?"
        rf"{_MONEY}\s+(?:pro|im|am|in\s+der|jeden)\s+(?:Tag|Woche|Monat|Jahr)(?!\w)"
        r"|(?<!\w)passive[sn]?\s+Einkommen(?!\w)"
        r"|(?<!\w)garantierte[n]?\s+(?:Rendite|Gewinne|Zinsen|Einnahmen|Ertr[äa]ge)(?!\w)"
        r"|(?<!\w)verdopp(?:eln\s+Sie|le)\s+(?:Ihr|dein)\s+(?:Geld|Kapital|Einkommen)(?!\w)"
        r"|(?<!\w)(?:reich\s+werden|werden\s+Sie\s+reich)(?!\w)|(?<!\w)finanzielle\s+Freiheit(?!\w)",
        "€|euro|$|£|passive|garantierte|verdopp|reich|finanzielle",
        backable=False,
    ),
    Phrase(
        rule(
            r"(?<!\w)(?:sin\s+(?:ning[úu]n\s+)?riesgo|no\s+puedes\s+perder|sans\s+(?:aucun\s+)?risque"
            r"|vous\s+ne\s+pouvez\s+pas\s+perdre|ohne\s+(?:jedes\s+)?Risiko|risikolos|risikofrei"
            r"|Sie\s+k[öo]nnen\s+nicht\s+verlieren)(?!\w)",
            "sin|no puedes|sans|vous ne|ohne|risikolos|risikofrei|sie k",
        ),
        "earnings",
        "earnings",
        "financial_promise",
        "high",
        False,
        money=_MONEY_CONTEXT,
    ),
    _guarantee(
        r"(?<!\w)(?P<key>garantizad[oa]s?|garant[íi]a|garantizamos|garantizan)(?!\w)",
        "garantiz|garant",
    ),
    _guarantee(
        r"(?<!\w)(?P<key>garanti(?:e|s|es)?|garantissons)(?!\w)",
        "garanti",
    ),
    _guarantee(
        r"(?<!\w)(?P<key>Garantie|garantiert\w*|garantieren)(?!\w)",
        "garantie|garantiert|garantieren",
    ),
)


def find_money_claims(doc: Doc) -> list[Claim]:
    return phrase_claims(doc, PHRASES)

"""Origin claims (FTC Made in USA rule, 16 CFR 323, and its counterparts) in four languages.

"Made in USA", "American-made", "hecho en España", "fabriqué en France", "Made in Germany"
promise that all or virtually all of the product comes from that country: a verified fact
must say so. Where a business is, or where a thing was designed, is not an origin claim,
nor is a town or county ("made in our Bristol studio").
"""

from __future__ import annotations

from approvals.safety.rules.claims import Claim
from approvals.safety.rules.phrases import Phrase, phrase_claims
from approvals.safety.text import Doc, rule

_EN_COUNTRIES = (
    r"usa|u\.s\.a\.?|(?-i:US)|(?-i:U\.S\.)|america|united\s+states|uk|u\.k\.|britain"
    r"|great\s+britain|england|scotland|wales|ireland|germany|france|italy|spain|canada"
    r"|australia|japan|switzerland|europe|(?-i:EU)|portugal|mexico|new\s+zealand|sweden|denmark"
)
_NATIONALITIES = (
    r"american|british|english|scottish|welsh|irish|german|french|italian|spanish|swiss"
    r"|canadian|australian|japanese|usa|us|uk|european"
)


def _origin(pattern: str, anchors: str) -> Phrase:
    return Phrase(rule(pattern, anchors), "origin", "origin")


PHRASES: tuple[Phrase, ...] = (
    _origin(
        r"\b(?:proudly\s+|all\s+|100\s?%\s+|truly\s+|genuinely\s+)?(?P<key>made|built|manufactured"
        r"|produced|crafted|handmade|hand-?made|assembled|grown|brewed|sewn|knitted|forged|woven)"
        rf"\s+in\s+(?:the\s+)?(?:{_EN_COUNTRIES})(?!\w)"
        rf"|\b(?P<key2>{_NATIONALITIES})[- ](?:made|built|manufactured|grown|produced|crafted"
        r"|sourced)\b|\ball[- ]american\b|\b(?:100\s?%\s+)?(?P<key3>locally)\s+(?:sourced|made"
        r"|grown|produced)\b",
        "usa|u.s|in us|in the us|america|united states|uk|u.k|britain|england|scotland|wales"
        "|ireland|germany|france|italy|spain|canada|australia|japan|switzerland|europe|in eu"
        "|in the eu|portugal|mexico|new zealand|sweden|denmark|british|english|scottish|welsh"
        "|irish|german|french|italian|spanish|swiss|canadian|australian|japanese|european"
        "|us-made|us made|locally",
    ),
    _origin(
        r"(?<!\w)(?:100\s?%\s+)?(?P<key>hech[oa]s?|fabricad[oa]s?|elaborad[oa]s?|producid[oa]s?"
        r"|cultivad[oa]s?|tejid[oa]s?)\s+(?:a\s+mano\s+)?en\s+(?:Espa[ñn]a|M[ée]xico|Argentina"
        r"|Colombia|Chile|Per[úu]|Italia|Francia|Alemania|EE\.?\s?UU\.?|Estados\s+Unidos|Europa"
        r"|la\s+UE|Portugal)(?!\w)|(?<!\w)(?P<key2>origen)\s+(?:100\s?%\s+)?(?:espa[ñn]ol|nacional"
        r"|mexicano|local)(?!\w)|(?<!\w)(?:producto|producci[óo]n|fabricaci[óo]n)\s+(?:100\s?%\s+)?"
        r"(?P<key3>espa[ñn]ola?|nacional|mexicana?|local)(?!\w)",
        "espa|méxico|mexico|argentina|colombia|chile|per|italia|francia|alemania|ee.|ee uu|eeuu"
        "|estados unidos|europa|la ue|portugal|origen|española|espanola|nacional|mexicana|local",
    ),
    _origin(
        r"(?<!\w)(?:100\s?%\s+)?(?P<key>fabriqu[ée]e?s?|fait(?:e|es|s)?|produit(?:e|es|s)?"
        r"|[ée]labor[ée]e?s?|cousue?s?|assembl[ée]e?s?|tiss[ée]e?s?)\s+(?:[àa]\s+la\s+main\s+)?en"
        r"\s+(?:France|Italie|Espagne|Allemagne|Europe|Suisse|Belgique|Bretagne|Normandie"
        r"|Provence|Alsace|Portugal)(?!\w)|(?<!\w)(?P<key2>origine)\s+(?:France|fran[çc]aise"
        r"|100\s?%\s+\w+)(?!\w)|(?<!\w)(?:fabrication|production)\s+(?P<key3>fran[çc]aise"
        r"|locale|europ[ée]enne)(?!\w)|(?<!\w)100\s?%\s+(?P<key4>fran[çc]ais(?:e|es)?)(?!\w)",
        "france|italie|espagne|allemagne|europe|suisse|belgique|bretagne|normandie|provence"
        "|alsace|portugal|origine|fran|locale|europ",
    ),
    _origin(
        r"(?<!\w)(?P<key>made|hergestellt|gefertigt|produziert|gebaut|entwickelt\s+und\s+gefertigt)"
        r"\s+in\s+(?:Germany|Deutschland|[ÖO]sterreich|der\s+Schweiz|Europa|der\s+EU|Bayern"
        r"|Italien|Italy|Spain|Spanien|France|Frankreich|Austria|Switzerland)(?!\w)"
        r"|(?<!\w)(?:aus\s+)?(?P<key2>deutscher|heimischer|regionaler|[öo]sterreichischer)\s+"
        r"(?:Herstellung|Produktion|Fertigung|Erzeugung)(?!\w)|(?<!\w)(?P<key3>aus\s+der\s+Region"
        r"|aus\s+regionalem\s+Anbau|100\s?%\s+regional)(?!\w)",
        "germany|deutschland|sterreich|schweiz|europa|der eu|bayern|italien|italy|spain|spanien"
        "|france|frankreich|austria|switzerland|deutscher|heimischer|regionaler|sterreichischer"
        "|region|regional",
    ),
)


def find_origin(doc: Doc) -> list[Claim]:
    return phrase_claims(doc, PHRASES)

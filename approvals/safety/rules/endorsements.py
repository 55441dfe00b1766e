"""Endorsement and review claims (FTC Endorsement Guides, 16 CFR 255), four languages.

"Doctors recommend", "as seen on TV", "thousands of five-star reviews" and "customers love
it" tell the reader that someone vouches for the product: a verified fact must show who did
and how (the survey, the review count, the broadcast). Quoted testimonials are checked
word for word elsewhere (testimonials.py); material connections in disclosure.py.
"""

from __future__ import annotations

from approvals.safety.rules.claims import NUM, Claim
from approvals.safety.rules.phrases import Phrase, phrase_claims
from approvals.safety.text import Doc, rule

_EN_EXPERTS = (
    r"doctors?|physicians?|dentists?|dermatologists?|experts?|scientists?|nutritionists?"
    r"|dietitians?|dieticians?|vets?|veterinarians?|pharmacists?|chefs?|professionals?|pros"
    r"|trainers?|p(?:a)?ediatricians?|nurses?|midwives|gps|cardiologists?|surgeons?|mechanics"
    r"|engineers|teachers|therapists?"
)
_ES_EXPERTS = (
    r"m[ée]dicos|doctores|dentistas|dermat[óo]logos|expertos|especialistas|nutricionistas"
    r"|veterinarios|cient[íi]ficos|farmac[ée]uticos|profesionales|pediatras|chefs"
)
_FR_EXPERTS = (
    r"m[ée]decins|docteurs|dentistes|dermatologues|experts|sp[ée]cialistes|nutritionnistes"
    r"|v[ée]t[ée]rinaires|scientifiques|pharmaciens|professionnels|p[ée]diatres|chefs"
)
_DE_EXPERTS = (
    r"[ÄA]rzte|[ÄA]rzten|Zahn[äa]rzte|Zahn[äa]rzten|Dermatologen|Experten|Fachleute|Fachleuten"
    r"|Wissenschaftler|Wissenschaftlern|Apotheker|Apothekern|Tier[äa]rzte|Tier[äa]rzten"
    r"|Ern[äa]hrungsberater|Profis|Hebammen|Kinder[äa]rzte|Kinder[äa]rzten"
)


def _endorse(pattern: str, anchors: str) -> Phrase:
    return Phrase(rule(pattern, anchors), "endorsement", "endorsement")


PHRASES: tuple[Phrase, ...] = (
    # --- English -----------------------------------------------------------------------
    _endorse(
        rf"\b(?:(?:{NUM})\s+(?:out\s+of|in)\s+(?:{NUM})\s+|most\s+|leading\s+|top\s+|many\s+)?"
        rf"(?P<key>{_EN_EXPERTS})\s+(?:all\s+|now\s+|everywhere\s+)?(?:recommend|recommended"
        r"|approve|approved|agree|trust|trusted|swear\s+by|endorse|endorsed|prefer|rely\s+on)\b",
        "recommend|approv|agree|trust|swear by|endors|prefer|rely on",
    ),
    _endorse(
        r"\b(?:recommended|approved|endorsed|trusted|used|tested|formulated|chosen)\s+by\s+"
        r"(?:\d[\d,]*\s+|leading\s+|top\s+|real\s+|independent\s+|professional\s+)*"
        rf"(?P<key>{_EN_EXPERTS})\b",
        "recommended by|approved by|endorsed by|trusted by|used by|tested by|formulated by"
        "|chosen by",
    ),
    _endorse(
        r"\b(?P<key>expert|doctor|dentist|vet|chef|nutritionist|trainer)[- ](?:approved"
        r"|recommended|endorsed|formulated|tested|developed|designed)\b",
        "-approved|-recommended|-endorsed|-formulated|-tested|-developed|-designed"
        "|expert approved|expert recommended|doctor approved|doctor recommended|dentist approved"
        "|dentist recommended|vet approved|vet recommended|chef approved",
    ),
    _endorse(
        r"\b(?:as\s+)?(?P<key>seen|featured|heard|as\s+featured)\s+(?:on|in)\s+(?:the\s+)?"
        r"(?:tv|television|bbc|itv|channel\s+\d|sky|cnn|fox|nbc|abc|cbs|radio|(?-i:[A-Z])[\w&'’.-]+)"
        r"|\b(?:endorsed|approved|certified|backed)\s+by\s+(?:the\s+)?(?-i:[A-Z])[\w&'’.-]+"
        r"|\b(?:fda|nhs|ce|usda|epa)[- ](?:approved|certified|endorsed)\b",
        "seen|featured|heard|endorsed|approved|certified|backed|fda|nhs|ce|usda|epa",
    ),
    _endorse(
        r"\b(?:(?:thousands|hundreds|millions|\d[\d,]*\+?)\s+of\s+|over\s+\d[\d,]*\s+)?"
        r"(?P<key>five|5)[- ]star\s+(?:reviews|ratings)\b|\brated\s+(?P<key2>excellent|outstanding"
        r"|exceptional|great)\s+(?:on|by)\b|\b(?P<key3>customers|users|parents|mums|moms|reviewers"
        r"|buyers|shoppers|people|everyone|fans|critics|readers|patients|gamers)\s+(?:all\s+)?"
        r"(?:love|rave\s+about|rave|agree|swear\s+by|can't\s+get\s+enough)\b"
        r"|\b(?P<key4>(?:highly|best|top|well)[- ]reviewed)\b|★{4,5}",
        "star|excellent|outstanding|exceptional|great|love|rave|agree|swear|enough|reviewed|★",
    ),
    # --- Spanish -----------------------------------------------------------------------
    _endorse(
        rf"(?<!\w)(?:(?:los|las|\d+\s+de\s+cada\s+\d+)\s+)?(?P<key>{_ES_EXPERTS})\s+(?:lo\s+|la\s+"
        r"|los\s+)?(?:recomiendan|aprueban|avalan|prefieren|conf[íi]an|eligen|usan)(?!\w)"
        rf"|(?<!\w)(?:recomendad[oa]s?|aprobad[oa]s?|avalad[oa]s?|testad[oa]s?|probad[oa]s?)\s+por\s+"
        rf"(?:los\s+|las\s+|\d+\s+)?(?P<key2>{_ES_EXPERTS})(?!\w)"
        r"|(?<!\w)(?:cl[íi]nicamente|cient[íi]ficamente|dermatol[óo]gicamente)\s+(?:probad[oa]"
        r"|demostrad[oa]|testad[oa]|comprobad[oa])s?(?!\w)",
        "dicos|doctores|dentistas|dermat|expertos|especialistas|nutricionistas|veterinarios"
        "|ficos|farmac|profesionales|pediatras|chefs|nicamente|ficamente|gicamente",
    ),
    _endorse(
        r"(?<!\w)(?:(?:miles|cientos|millones)\s+de\s+)?(?:rese[ñn]as|opiniones|valoraciones)\s+de"
        r"\s+(?P<key>5|cinco)\s+estrellas(?!\w)|(?<!\w)(?P<key2>visto|anunciado)\s+en\s+(?:la\s+)?"
        r"(?:tv|televisi[óo]n|tele)(?!\w)|(?<!\w)(?:nuestros\s+)?(?P<key3>clientes|usuarios"
        r"|padres|mam[áa]s)\s+(?:lo\s+|la\s+|nos\s+)?(?:adoran|aman|recomiendan|prefieren)(?!\w)",
        "estrellas|televisi|tv|tele|adoran|aman|recomiendan|prefieren",
    ),
    # --- French ------------------------------------------------------------------------
    _endorse(
        rf"(?<!\w)(?:(?:les|\d+\s+sur\s+\d+)\s+)?(?P<key>{_FR_EXPERTS})\s+(?:le\s+|la\s+|les\s+"
        r"|l['’])?(?:recommandent|approuvent|conseillent|adorent|pr[ée]f[èe]rent|valident"
        r"|utilisent)(?!\w)|(?<!\w)(?:recommand[ée]e?s?|approuv[ée]e?s?|valid[ée]e?s?"
        rf"|test[ée]e?s?)\s+par\s+(?:les\s+|des\s+|\d+\s+)?(?P<key2>{_FR_EXPERTS})(?!\w)"
        r"|(?<!\w)(?:cliniquement|scientifiquement|dermatologiquement|m[ée]dicalement)\s+"
        r"(?:prouv[ée]|test[ée]|d[ée]montr[ée]|approuv[ée])e?s?(?!\w)",
        "decins|docteurs|dentistes|dermatologues|experts|cialistes|nutritionnistes|rinaires"
        "|scientifiques|pharmaciens|professionnels|diatres|chefs|cliniquement"
        "|scientifiquement|dermatologiquement|dicalement",
    ),
    _endorse(
        r"(?<!\w)(?:(?:des\s+)?milliers\s+d['’]|des\s+centaines\s+d['’])?avis\s+(?P<key>5|cinq)\s+"
        r"[ée]toiles(?!\w)|(?<!\w)(?P<key2>vu)\s+(?:à\s+la|[àa]\s+la)\s+(?:t[ée]l[ée]|tv)(?!\w)"
        r"|(?<!\w)(?:nos\s+)?(?P<key3>clients|utilisateurs|parents|mamans)\s+(?:l['’]|les\s+|nous\s+)?"
        r"(?:adorent|recommandent|pl[ée]biscitent)(?!\w)",
        "toiles|tv|télé|adorent|recommandent|biscitent",
    ),
    # --- German ------------------------------------------------------------------------
    _endorse(
        rf"(?<!\w)(?:\d+\s+von\s+\d+\s+)?(?P<key>{_DE_EXPERTS})\s+(?:empfehlen|vertrauen|lieben"
        r"|best[äa]tigen|schw[öo]ren\s+auf|raten\s+zu)(?!\w)|(?<!\w)(?:von|bei)\s+"
        rf"(?:\d+\s+)?(?P<key2>{_DE_EXPERTS})\s+(?:empfohlen|getestet|gepr[üu]ft|best[äa]tigt)(?!\w)"
        r"|(?<!\w)(?:[äa]rztlich|klinisch|dermatologisch|wissenschaftlich)\s+(?:getestet|best[äa]tigt"
        r"|gepr[üu]ft|erwiesen|bewiesen|empfohlen)(?!\w)",
        "rzte|rzten|rztlich|dermatolog|experten|fachleute|wissenschaftl|apotheker|hrungsberater"
        "|profis|hebammen|klinisch",
    ),
    _endorse(
        r"(?<!\w)(?:(?:Tausende|Hunderte|Millionen)\s+(?:von\s+)?)?(?P<key>5|f[üu]nf)[- ]Sterne"
        r"[- ]?Bewertungen(?!\w)|(?<!\w)(?P<key2>bekannt)\s+aus\s+(?:dem\s+)?(?:TV|Fernsehen|Funk)"
        r"(?!\w)|(?<!\w)(?:unsere\s+)?(?P<key3>Kunden|Nutzer|Eltern|M[üu]tter)\s+(?:lieben|empfehlen"
        r"|schw[öo]ren\s+auf)(?!\w)",
        "sterne|bekannt|lieben|empfehlen|schw",
    ),
)


def find_endorsements(doc: Doc) -> list[Claim]:
    return phrase_claims(doc, PHRASES)

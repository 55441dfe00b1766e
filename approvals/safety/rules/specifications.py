"""Measurable product specifications and statistics, in four languages.

"Weighs only 4 oz", "fewer calories per slice", "a 20-hour battery", "sugar-free",
"9 de cada 10", "neuf sur dix", "9 von 10": numbers and nutrient comparisons a reader takes
as measured, so a verified fact must hold them. They cost little (low severity) but stop
auto-approval until backed. Instructions and schedules ("bake for 25 minutes", "classes
run for 10 weeks") are not claims.
"""

from __future__ import annotations

from approvals.safety.rules.claims import NUM, Claim
from approvals.safety.rules.phrases import Phrase, phrase_claims
from approvals.safety.text import Doc, rule

_N = r"\d+(?:[.,]\d+)?"
_NUTRIENTS = (
    r"calories|kcal|sugars?|fat|saturated\s+fat|salt|sodium|carbs|carbohydrates|protein|fibre"
    r"|fiber|caffeine|cholesterol|additives"
)


def _spec(pattern: str, anchors: str) -> Phrase:
    return Phrase(rule(pattern, anchors), "specification", "specification", severity="low")


def _stat(pattern: str, anchors: str) -> Phrase:
    return Phrase(rule(pattern, anchors), "statistic", "statistic")


PHRASES: tuple[Phrase, ...] = (
    # --- English -----------------------------------------------------------------------
    _spec(
        rf"\bweigh(?:s|ing)?\s+(?:only\s+|just\s+|less\s+than\s+|under\s+|a\s+mere\s+|in\s+at\s+)?"
        rf"{_N}\s?(?:oz|ounces|g|grams|kg|kilos|lbs?|pounds)\b"
        rf"|\b(?:only|just|a\s+mere)\s+{_N}\s?(?:oz|ounces|grams|g)\b"
        rf"|\b{_N}[- ]?(?:hour|hr|day)\s+battery(?:\s+life)?\b"
        rf"|\bbattery(?:\s+life)?\s+(?:that\s+)?(?:lasts\s+|of\s+)?(?:up\s+to\s+)?{_N}\s+(?:hours|days)\b"
        rf"|\b(?:lasts|runs|plays)\s+(?:for\s+)?(?:up\s+to\s+)?{_N}\s+(?:hours|days|months|years"
        r"|washes|uses|charges)\s+(?:on\s+a\s+single|per|between|without)\b"
        rf"|\bcharges?\s+(?:fully\s+)?in\s+(?:just\s+|only\s+|under\s+)?{_N}\s+(?:minutes|mins|hours)\b"
        rf"|\b(?:top\s+speed\s+of|speeds\s+of(?:\s+up\s+to)?|reaches|up\s+to)\s+{_N}\s?(?:mph|km/h"
        r"|kph|mbps|gbps|mb/s)\b"
        rf"|\b(?:waterproof|water[- ]resistant)\s+(?:to|up\s+to|down\s+to)\s+{_N}\s?(?:m|metres"
        r"|meters|feet|ft)\b"
        rf"|\b(?:holds|carries|supports|covers)\s+up\s+to\s+{_N}\s?(?:kg|kilos|lbs|pounds|litres"
        r"|liters|sq\s?ft|square\s+(?:feet|metres|meters)|m²|people)\b",
        "weigh|oz|ounce|gram|battery|charge|recharg|mph|km/h|kph|mbps|gbps|mb/s|waterproof"
        "|water-resistant|water resistant|holds up|carries up|supports up|covers up",
    ),
    _spec(
        rf"\b(?:fewer|less|lower|reduced)\s+(?:{_NUTRIENTS})(?:\s+(?:per|a|in\s+every|than)\s+[\w-]+)?\b"
        rf"|\b(?:more|extra|higher|double\s+the)\s+(?:{_NUTRIENTS})\s+(?:per|in\s+every|than)\s+[\w-]+"
        rf"|\b(?:low|reduced|zero|no|lower)[- ](?:calorie|sugar|fat|carb|sodium|salt)\b"
        r"|\b(?:sugar|fat|gluten|lactose|calorie|dairy|allergen|caffeine)[- ]free\b"
        rf"|\b(?:only|just|under|less\s+than|fewer\s+than)\s+{_N}\s+(?:calories|kcal)\b"
        r"|\b(?:high\s+in|rich\s+in|packed\s+with|loaded\s+with|a\s+source\s+of|full\s+of)\s+"
        r"(?:protein|fibre|fiber|vitamins?(?:\s+\w)?|antioxidants|omega[- ]?3|minerals|iron"
        r"|calcium|probiotics)\b",
        "calorie|kcal|sugar|fat|salt|sodium|carb|protein|fibre|fiber|caffeine|cholesterol"
        "|additives|gluten|lactose|dairy|allergen|vitamin|antioxidant|omega|mineral|iron|calcium"
        "|probiotic",
    ),
    # --- Spanish -----------------------------------------------------------------------
    _spec(
        rf"(?<!\w)pesa\s+(?:s[óo]lo\s+|apenas\s+|menos\s+de\s+)?{_N}\s?(?:g|gramos|kg|kilos)(?!\w)"
        rf"|(?<!\w)bater[íi]a\s+(?:de|que\s+dura)\s+(?:hasta\s+)?{_N}\s+(?:horas|d[íi]as)(?!\w)"
        rf"|(?<!\w)(?:dura|aguanta)\s+(?:hasta\s+)?{_N}\s+(?:horas|d[íi]as)\s+(?:con\s+una"
        r"|sin)(?!\w)"
        rf"|(?<!\w)se\s+carga\s+en\s+(?:s[óo]lo\s+)?{_N}\s+minutos(?!\w)"
        r"|(?<!\w)(?:menos|m[áa]s)\s+(?:calor[íi]as|az[úu]car|grasas?|sal|prote[íi]nas?|fibra)"
        r"(?:\s+por\s+(?:raci[óo]n|porci[óo]n|rebanada|unidad|ración))?(?!\w)"
        r"|(?<!\w)(?:sin|0\s?%)\s+(?:az[úu]car(?:es)?(?:\s+a[ñn]adidos?)?|grasas?|gluten|lactosa)"
        r"(?!\w)|(?<!\w)(?:bajo|baja)\s+en\s+(?:calor[íi]as|grasas?|az[úu]car|sal)(?!\w)"
        r"|(?<!\w)ric[oa]\s+en\s+(?:prote[íi]nas|fibra|vitaminas|antioxidantes)(?!\w)",
        "pesa|bater|horas|se carga|calor|azúcar|azucar|grasa|menos sal|más sal|mas sal|en sal"
        "|proteína|proteina|fibra|gluten|lactosa|vitaminas|antioxidantes",
    ),
    # --- French ------------------------------------------------------------------------
    _spec(
        rf"(?<!\w)(?:ne\s+)?p[èe]se\s+(?:que\s+|seulement\s+|moins\s+de\s+|[àa]\s+peine\s+)?{_N}"
        r"\s?(?:g|grammes|kg|kilos)(?!\w)"
        rf"|(?<!\w)autonomie\s+de\s+(?:jusqu['’][àa]\s+)?{_N}\s?(?:h|heures|jours)(?!\w)"
        rf"|(?<!\w)(?:tient|dure)\s+(?:jusqu['’][àa]\s+)?{_N}\s+(?:heures|jours)(?!\w)"
        rf"|(?<!\w)se\s+recharge\s+en\s+{_N}\s+minutes(?!\w)"
        r"|(?<!\w)(?:moins|plus)\s+de\s+(?:calories|sucres?|mati[èe]res\s+grasses|sel"
        r"|prot[ée]ines|fibres)(?:\s+par\s+(?:part|portion|tranche))?(?!\w)"
        r"|(?<!\w)(?:sans|0\s?%)\s+(?:sucres?(?:\s+ajout[ée]s)?|mati[èe]res\s+grasses|gluten"
        r"|lactose)(?!\w)|(?<!\w)all[ée]g[ée]e?\s+en(?!\w)|(?<!\w)riche\s+en\s+(?:prot[ée]ines"
        r"|fibres|vitamines|antioxydants)(?!\w)|(?<!\w)faible\s+teneur\s+en(?!\w)",
        "pèse|pese|autonomie|heures|se recharge|de calories|de sucre|sans sucre|% sucre"
        "|grasses|de sel|sans sel|protéines|proteines|de fibres|sans gluten|% gluten"
        "|sans lactose|% lactose|allég|alleg|riche en|faible teneur",
    ),
    # --- German ------------------------------------------------------------------------
    _spec(
        rf"(?<!\w)wiegt\s+(?:nur\s+|lediglich\s+|weniger\s+als\s+|gerade\s+(?:mal\s+)?)?{_N}"
        r"\s?(?:g|Gramm|kg|Kilo)(?!\w)"
        rf"|(?<!\w)Akkulaufzeit\s+von\s+(?:bis\s+zu\s+)?{_N}\s+(?:Stunden|Tagen)(?!\w)"
        rf"|(?<!\w)(?:h[äa]lt|l[äa]uft)\s+(?:bis\s+zu\s+)?{_N}\s+(?:Stunden|Tage)\s+(?:mit\s+einer"
        r"|ohne)(?!\w)"
        rf"|(?<!\w)l[äa]dt\s+in\s+(?:nur\s+)?{_N}\s+Minuten(?!\w)"
        r"|(?<!\w)(?:weniger|mehr)\s+(?:Kalorien|Zucker|Fett|Salz|Eiwei[ßs]|Protein|Ballaststoffe)"
        r"(?:\s+pro\s+(?:Scheibe|Portion|St[üu]ck))?(?!\w)"
        r"|(?<!\w)(?:ohne|0\s?%)\s+(?:zugesetzten\s+)?(?:Zucker|Fett|Gluten|Laktose)(?!\w)"
        r"|(?<!\w)(?:zuckerfrei|fettfrei|glutenfrei|laktosefrei|kalorienarm|fettarm|zuckerarm"
        r"|proteinreich|eiwei[ßs]reich|ballaststoffreich)\w*"
        r"|(?<!\w)reich\s+an\s+(?:Eiwei[ßs]|Protein|Ballaststoffen|Vitaminen)(?!\w)",
        "wiegt|akkulaufzeit|stunden|minuten|kalorien|zucker|fett|salz|eiwei|protein|ballaststoff"
        "|gluten|laktose|reich an",
    ),
    # --- statistics in Spanish, French and German ---------------------------------------
    _stat(
        rf"(?<!\w)(?:{NUM}|uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez)\s+de\s+cada\s+"
        r"(?:\d+|diez|cien)(?!\w)"
        rf"|(?<!\w)(?:\d+|un|deux|trois|quatre|cinq|six|sept|huit|neuf)\s+(?:\w+\s+)?sur\s+"
        r"(?:10|100|dix|cent)(?!\w)"
        rf"|(?<!\w)(?:\d+|zwei|drei|vier|f[üu]nf|sechs|sieben|acht|neun)\s+von\s+(?:10|100|zehn)"
        r"(?!\w)"
        rf"|(?<!\w)(?:m[áa]s\s+de|plus\s+de|[üu]ber|mehr\s+als)\s+\d[\d.,\s]*\d?\s*(?:clientes"
        r"|clients|Kunden|usuarios|utilisateurs|Nutzer|familias|familles|Familien|pacientes"
        r"|patients|Patienten)(?!\w)"
        r"|(?<!\w)(?:desde|depuis|seit)\s+(?:1[89]\d\d|20[0-4]\d)(?!\w)"
        rf"|(?<!\w){_N}\s+(?:a[ñn]os\s+de\s+experiencia|ans\s+d['’]exp[ée]rience"
        r"|Jahre[n]?\s+Erfahrung)(?!\w)"
        r"|(?<!\w)\d[.,]\d\s+(?:estrellas|[ée]toiles|Sterne)(?!\w)",
        "de cada|sur 10|sur 100|sur dix|sur cent|von 10|von 100|von zehn|clientes|kunden"
        "|usuarios|utilisateurs|nutzer|familias|familles|familien|pacientes|patienten|plus de"
        "|desde|depuis|seit|experiencia|rience|erfahrung|estrellas|toiles|sterne",
    ),
)


def find_specifications(doc: Doc) -> list[Claim]:
    return phrase_claims(doc, PHRASES)

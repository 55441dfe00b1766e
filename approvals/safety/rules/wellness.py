"""Health claims in everyday wording (FTC Health Products Compliance Guidance), four languages.

Weight loss, fitness, energy, sleep, memory and immunity claims need competent scientific
evidence, which a verified fact on file (a trial, an authorised claim) can supply. Claims to
cure, treat or prevent a disease are never backed: no fact makes them safe to promise.
"""

from __future__ import annotations

from approvals.safety.rules.claims import Claim
from approvals.safety.rules.phrases import Phrase, phrase_claims
from approvals.safety.text import Doc, rule


def _wellness(pattern: str, anchors: str) -> Phrase:
    return Phrase(rule(pattern, anchors), "health", "wellness", "health_promise", "high")


def _disease(pattern: str, anchors: str) -> Phrase:
    return Phrase(rule(pattern, anchors), "health", "health", "health_promise", "high", False)


_EN_WEIGHT = (
    r"pounds|lbs?|kilos?|kg|stone|dress\s+sizes?|inches|belly\s+fat|stubborn\s+fat|fat|weight"
)
_ES_ILLS = (
    r"cansancio|fatiga|estr[ée]s|ansiedad|insomnio|dolor(?:es)?(?:\s+\w+)?|c[áa]ncer|diabetes"
    r"|artritis|artrosis|acn[ée]|resfriados?|gripe|enfermedad(?:es)?|celulitis|arrugas"
    r"|envejecimiento|migra[ñn]as?|depresi[óo]n|colesterol|hipertensi[óo]n"
)
_FR_ILLS = (
    r"fatigue|stress|anxi[ée]t[ée]|insomnie|douleurs?(?:\s+\w+)?|cancer|diab[èe]te|arthrose"
    r"|arthrite|acn[ée]|rhumes?|grippe|maladies?|cellulite|rides|vieillissement|migraines?"
    r"|d[ée]pression|cholest[ée]rol|hypertension"
)
_DE_ILLS = (
    r"M[üu]digkeit|Stress|Angst(?:zust[äa]nde)?|Schlaflosigkeit|Schmerzen|Krebs|Diabetes"
    r"|Arthrose|Arthritis|Akne|Erk[äa]ltungen?|Grippe|Krankheiten?|Cellulite|Falten"
    r"|Migr[äa]ne|Depressionen?|Cholesterin|Bluthochdruck"
)

PHRASES: tuple[Phrase, ...] = (
    # --- English -----------------------------------------------------------------------
    _wellness(
        rf"\b(?:melt|melts|melting|shed|sheds|drop|drops|blast|blasts|torch|torches|burn|burns"
        rf"|lose|loses)\s+(?:away\s+)?(?:the\s+|those\s+|your\s+|up\s+to\s+)?(?:\d+\s*|extra\s+)?"
        rf"(?:{_EN_WEIGHT})\b|\bfat[- ]burn(?:ing|er)\b|\b(?:rapid|fast|quick|effortless|easy"
        r"|permanent|guaranteed)\s+weight[- ]loss\b|\bwithout\s+(?:dieting|diets|exercise"
        r"|exercising)\b|\bslim\s+down\s+(?:fast|in)\b|\b(?:speeds?\s+up|boosts?|revs?\s+up"
        r"|kick-?starts?)\s+(?:your\s+)?metabolism\b|\b(?:curbs?|suppress(?:es)?)\s+(?:your\s+)?"
        r"(?:appetite|cravings|hunger)\b|\bappetite[- ]suppress\w*",
        "pound|lbs|lb|kilo|kg|stone|dress|inches|fat|weight|dieting|diets|exercis|slim"
        "|metabolism|appetite|craving|hunger",
    ),
    _wellness(
        r"\b(?:build|builds|gain|gains)\s+(?:lean\s+)?muscle\s+(?:fast|quickly|in\s+\d+)"
        r"|\bsix[- ]pack\s+(?:abs\s+)?in\s+\d+|\bget\s+(?:fit|ripped|toned|shredded|lean|in\s+shape)"
        r"\s+in\s+(?:just\s+)?\d+|\b(?:doubles?|triples?|boosts?|increases?|improves?)\s+(?:your\s+)?"
        r"(?:strength|stamina|endurance|energy(?:\s+levels)?|athletic\s+performance|testosterone)"
        r"\b|\b(?:all[- ]day|more|endless|instant|boundless)\s+energy\b",
        "muscle|six-pack|six pack|fit|ripped|toned|shredded|lean|shape|strength|stamina"
        "|endurance|energy|athletic|testosterone",
    ),
    _wellness(
        r"\b(?:sharper|better|stronger|improved)\s+(?:memory|focus|concentration|thinking|mind"
        r"|brain\s+power|recall)\b|\b(?:boosts?|improves?|enhances?|sharpens?|supercharges?"
        r"|increases?|strengthens?)\s+(?:your\s+(?:child's\s+)?|their\s+)?(?:memory|focus"
        r"|concentration|brain\s+(?:power|function|health)|cognitive\s+(?:function|performance)"
        r"|cognition|iq|mental\s+clarity|attention\s+span|grades)\b|\b(?:raise|raises)\s+your\s+iq"
        r"\b|\bbrain[- ]boosting\b|\b(?:prevents?|delays?|slows?|stops?)\s+(?:cognitive\s+decline"
        r"|memory\s+loss|mental\s+decline)\b",
        "memory|focus|concentration|thinking|mind|brain|recall|cognit|iq|clarity|attention"
        "|grades|decline",
    ),
    _wellness(
        r"\b(?:supports?|improves?|protects?|strengthens?|boosts?)\s+(?:your\s+|healthy\s+)?"
        r"(?:immune\s+(?:system|function|defences|defenses)|immunity|natural\s+defen[cs]es"
        r"|(?:joint|heart|gut|digestive|bone|liver|skin|brain|prostate)\s+(?:health|function))\b"
        r"|\bimmune[- ]boosting\b|\b(?:helps?\s+you\s+)?(?:sleep\s+(?:better|deeper|longer)"
        r"|deeper\s+sleep|better\s+sleep)\b|\blook\s+\d+\s+years\s+younger\b"
        r"|\banti[- ]?age?ing\b|\bwrinkle[- ]free\s+in\b",
        "immun|defen|health|function|sleep|younger|anti|ageing|aging|wrinkle",
    ),
    _disease(
        r"\b(?:cures?|cured|heals?|ends|beats|fights|banishes|eliminates)\s+(?:your\s+|the\s+)?"
        r"(?:tiredness|fatigue|stress|low\s+mood|brain\s+fog|exhaustion|burnout|joint\s+pain"
        r"|aches)\b",
        "tiredness|fatigue|stress|mood|fog|exhaustion|burnout|joint pain|aches",
    ),
    # --- Spanish -----------------------------------------------------------------------
    _wellness(
        r"\b(?:pierde|pierdes|perder|adelgaza|adelgazar|baja|bajar|elimina|eliminar|quema|quemar"
        r"|derrite|derretir)\s+(?:hasta\s+)?(?:\d+\s*)?(?:kilos|kg|libras|tallas|grasa|la\s+grasa"
        r"|peso|barriga)\b|\bquemagrasas?\b|\badelgaza(?:r)?\s+(?:sin|r[áa]pido|en)\b"
        r"|\bvientre\s+plano\s+en\b|\bacelera(?:r)?\s+(?:el|tu)\s+metabolismo\b"
        r"|\b(?:refuerza|reforzar|fortalece|fortalecer|potencia|potenciar|mejora|mejorar|aumenta"
        r"|aumentar|estimula)\s+(?:el\s+|tu\s+|las\s+|tus\s+|su\s+|sus\s+|la\s+)?(?:sistema\s+"
        r"inmun(?:e|itario)|defensas|inmunidad|memoria|concentraci[óo]n|rendimiento\s+(?:cognitivo"
        r"|deportivo)|energ[ií]a|resistencia)\b|\bmemoria\s+m[áa]s\s+(?:aguda|fuerte|r[áa]pida)"
        r"|\bm[áa]s\s+energ[ií]a\b|\bm[úu]sculos?\s+en\s+\d+|\bponte\s+en\s+forma\s+en\s+\d+"
        r"|\bduerme\s+mejor\b|\bantienvejecimiento\b|\brejuvenece\b",
        "kilos|kg|libras|tallas|grasa|peso|barriga|quemagrasa|adelgaz|vientre|metabolismo"
        "|inmun|defensas|memoria|concentraci|rendimiento|energ|resistencia|sculo|forma|duerme"
        "|antienvejecimiento|rejuvenece",
    ),
    _disease(
        rf"\b(?:cura|curar|cur[óo]|sana|elimina|acaba\s+con|combate|previene|alivia|adi[óo]s\s+a)"
        rf"\s+(?:el\s+|la\s+|los\s+|las\s+|tu\s+|tus\s+)?(?:{_ES_ILLS})\b"
        r"|\bsin\s+efectos\s+secundarios\b|\bdesintoxica\w*",
        "cansancio|fatiga|estr|ansiedad|insomnio|dolor|ncer|diabetes|artritis|artrosis|acn"
        "|resfriado|gripe|enfermedad|celulitis|arrugas|envejecimiento|migra|depresi|colesterol"
        "|hipertensi|efectos secundarios|desintoxica",
    ),
    # --- French ------------------------------------------------------------------------
    _wellness(
        r"(?<!\w)(?:perdez|perdre|perdu|[ée]liminez|br[ûu]lez?|br[ûu]le|fait\s+fondre)\s+"
        r"(?:jusqu['’]à\s+)?(?:\d+\s*)?(?:kilos|kg|tailles|graisses?|les\s+graisses|la\s+graisse"
        r"|les\s+kilos|du\s+poids|vos\s+kilos)(?!\w)|(?<!\w)br[ûu]le-graisses?(?!\w)"
        r"|(?<!\w)(?:maigrir|mincir)\s+(?:vite|sans|en)(?!\w)|(?<!\w)ventre\s+plat\s+en(?!\w)"
        r"|(?<!\w)(?:booste[rz]?|acc[ée]l[èe]re[rz]?)\s+(?:le|votre)\s+m[ée]tabolisme"
        r"|(?<!\w)(?:renforce[rz]?|booste[rz]?|stimule[rz]?|am[ée]liore[rz]?|augmente[rz]?)\s+"
        r"(?:le\s+|la\s+|les\s+|votre\s+|vos\s+|l['’])?(?:syst[èe]me\s+immunitaire|immunit[ée]"
        r"|d[ée]fenses(?:\s+naturelles)?|m[ée]moire|concentration|[ée]nergie|endurance"
        r"|performances?\s+(?:cognitives?|sportives?))(?!\w)|(?<!\w)m[ée]moire\s+plus\s+(?:vive"
        r"|forte)|(?<!\w)plus\s+d['’][ée]nergie(?!\w)|(?<!\w)muscl[ée]s?\s+en\s+\d+"
        r"|(?<!\w)dormez\s+mieux(?!\w)|(?<!\w)anti-[âa]ge(?!\w)|(?<!\w)rajeuni[rt](?!\w)",
        "kilos|kg|tailles|graisse|poids|maigrir|mincir|ventre|tabolisme|immunit|fenses|moire"
        "|concentration|nergie|endurance|performance|muscl|dormez|anti|rajeuni",
    ),
    _disease(
        rf"(?<!\w)(?:gu[ée]rit|gu[ée]rir|soigne|soigner|[ée]limine|combat|pr[ée]vient|soulage"
        rf"|soulager|adieu)\s+(?:la\s+|le\s+|les\s+|l['’]|votre\s+|vos\s+|à\s+la\s+|aux\s+)?"
        rf"(?:{_FR_ILLS})(?!\w)|(?<!\w)sans\s+effets\s+secondaires(?!\w)|(?<!\w)d[ée]tox\w*",
        "fatigue|stress|anxi|insomnie|douleur|cancer|diab|arthrose|arthrite|acn|rhume|grippe"
        "|maladie|cellulite|rides|vieillissement|migraine|pression|cholest|hypertension"
        "|effets secondaires|tox",
    ),
    # --- German ------------------------------------------------------------------------
    _wellness(
        r"(?<!\w)(?:\d+\s*(?:Kilo|kg|Pfund)\s+(?:abnehmen|verlieren|weniger)|nimm\s+(?:\d+\s*"
        r"(?:Kilo|kg)\s+)?(?:[\w-]+\s+){0,4}?ab|abnehmen\s+ohne\s+(?:Di[äa]t|Sport|Hunger)|Fett\s+(?:verbrennen"
        r"|verbrennt|schmelzen|schmilzt)|Fettverbrenn\w*|fettverbrennend\w*|Pfunde\s+purzeln"
        r"|flacher\s+Bauch\s+in|(?:kurbelt|kurbeln)\s+(?:den|Ihren|deinen)\s+Stoffwechsel\s+an"
        r"|Stoffwechsel\s+(?:ankurbeln|anregen|beschleunigen)|(?:st[äa]rkt|st[äa]rken|boostet"
        r"|verbessert|verbessern|steigert|steigern|f[öo]rdert)\s+(?:das\s+|Ihr\s+|dein\s+|die\s+"
        r"|Ihre\s+|deine\s+|Ihren\s+|deinen\s+)?(?:Immunsystem|Abwehrkr[äa]fte|Immunabwehr"
        r"|Ged[äa]chtnis|Konzentration|Denkverm[öo]gen|Merkf[äa]higkeit|Energie|Ausdauer"
        r"|Leistungsf[äa]higkeit)|sch[äa]rfere[sn]?\s+Ged[äa]chtnis|mehr\s+Energie"
        r"|Muskeln\s+in\s+\d+|besser\s+schlafen|Anti-?Aging|verj[üu]ngt)(?!\w)",
        "kilo|kg|pfund|nimm|abnehmen|fett|bauch|stoffwechsel|immun|abwehr|ged|konzentration"
        "|denkverm|merkf|energie|ausdauer|leistungsf|muskeln|schlafen|aging|verj",
    ),
    _disease(
        rf"(?<!\w)(?:heilt|heilen|beseitigt|bek[äa]mpft|lindert|verhindert|gegen|Schluss\s+mit)"
        rf"\s+(?:die\s+|den\s+|das\s+|Ihre\s+|deine\s+|jede\s+)?(?:{_DE_ILLS})(?!\w)"
        r"|(?<!\w)ohne\s+Nebenwirkungen(?!\w)|(?<!\w)(?:entgiftet|entgiften|Detox)\w*",
        "digkeit|stress|angst|schlaflosigkeit|schmerzen|krebs|diabetes|arthrose|arthritis|akne"
        "|erk|grippe|krankheit|cellulite|falten|migr|depression|cholesterin|bluthochdruck"
        "|nebenwirkungen|entgift|detox",
    ),
)


def find_wellness(doc: Doc) -> list[Claim]:
    return phrase_claims(doc, PHRASES)

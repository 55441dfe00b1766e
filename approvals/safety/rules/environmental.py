"""Environmental claims (FTC Green Guides, 16 CFR 260) in English, Spanish, French and German.

General benefit ("eco-friendly", "green", "sustainable"), degradable, compostable,
recyclable and recycled content, ozone, carbon neutral and offsets, free-of, non-toxic and
renewable claims each need a verified fact naming the specific, proven benefit. Saying
what a product is made of ("our cups are made from paper") or asking people to recycle is
not a claim.
"""

from __future__ import annotations

from approvals.safety.rules.claims import Claim
from approvals.safety.rules.phrases import Phrase, phrase_claims
from approvals.safety.text import Doc, rule

_CHEMICALS = (
    r"chemicals?|toxins?|toxics?|bpa|pfas|pfoa|phthalates?|parabens?|sulph?ates?|cfcs?|vocs?"
    r"|pesticides?|formaldehyde|microplastics?|plastics?|nasties"
)


def _env(pattern: str, anchors: str) -> Phrase:
    return Phrase(rule(pattern, anchors), "environmental", "environmental")


PHRASES: tuple[Phrase, ...] = (
    # --- English -----------------------------------------------------------------------
    _env(
        r"\b(?P<key>eco[- ]?(?:friendly|conscious|safe|smart)|environmentally[- ](?:friendly|safe"
        r"|responsible|sound|conscious|kind)|(?:earth|planet|ocean|nature|climate|environment)"
        r"[- ](?:friendly|safe|positive|kind))\b",
        "eco|environment|earth|planet|ocean|nature|climate",
    ),
    _env(
        r"\b(?P<key>(?:kind|kinder|good|better|gentle|gentler)\s+(?:to|for)\s+(?:the\s+)?"
        r"(?:planet|earth|environment)|go(?:ing)?\s+green|greener|green\s+(?:choice|option"
        r"|alternative|credentials|product|products|packaging|cleaning|brand)|zero[- ](?:impact"
        r"|footprint|waste)|sustainabl[ey](?:\s+(?:made|sourced|produced|grown))?)\b",
        "kind|good|better|gentle|go|green|zero|sustainab",
    ),
    _env(
        r"\b(?P<key>(?:bio|photo|oxo)?-?degradable|breaks?\s+down\s+naturally"
        r"|(?:home\s+|industrially\s+)?compostable|recyclable|refillable"
        r"|(?:made|crafted|produced|created)\s+(?:from|with|of)\s+(?:\d+\s?%\s+)?"
        r"(?:recycled|renewable|reclaimed|upcycled)(?:\s+[\w-]+)?"
        r"|(?:\d+\s?%\s+)?recycled\s+(?:plastics?|materials?|content|packaging|paper|cardboard"
        r"|ocean\s+plastics?|bottles|fibres|fibers|polyester|aluminium|aluminum|glass))\b",
        "degrad|biodegrad|photodegrad|oxo|breaks|break|compost|recycl|refill|made|crafted"
        "|produced|created",
    ),
    _env(
        r"\b(?P<key>ozone[- ](?:friendly|safe)|(?:won't|will\s+not|doesn't|does\s+not)\s+harm"
        r"\s+the\s+ozone|carbon[- ](?:neutral|negative|positive|free|zero|neutrality)"
        r"|net[- ]zero|climate[- ](?:neutral|positive|compensated)|zero[- ](?:carbon|emissions?)"
        r"|emissions?[- ]free|low[- ]carbon|carbon\s+offsets?|offsets?\s+(?:all\s+)?(?:of\s+)?"
        r"(?:our|your|its|their|the|every|all)\s+(?:[\w-]+\s+)?(?:emissions|carbon|footprint)"
        r"|plant(?:s|ed)?\s+(?:a|one)\s+tree\s+(?:for|with)\s+every"
        r"|powered\s+by\s+(?:100\s?%\s+)?(?:renewable|green|clean)\s+(?:energy|power|electricity))\b",
        "ozone|carbon|net zero|net-zero|climate|zero|emission|offset|tree for|tree with|powered by",
    ),
    _env(
        rf"\b(?P<key>non[- ]?toxic|(?:{_CHEMICALS})[- ]free|free\s+(?:of|from)\s+(?:all\s+)?"
        rf"(?:harmful\s+|nasty\s+|toxic\s+|synthetic\s+)?(?:{_CHEMICALS})|no\s+(?:harmful|nasty"
        r"|toxic|synthetic)\s+chemicals|all[- ]natural|100\s?%\s+natural)\b",
        "nontoxic|chemical|toxin|toxic|bpa|pfas|pfoa|phthalat|paraben|sulphat|sulfat|cfc|voc"
        "|pesticid|formaldehyd|microplastic|plastic|nasties|natural",
    ),
    # --- Spanish -----------------------------------------------------------------------
    _env(
        r"\b(?P<key>ecol[oó]gic[oa]s?|eco-?amigables?|respetuos[oa]s?\s+con\s+el\s+(?:medio\s+)?"
        r"(?:ambiente|planeta)|amigables?\s+con\s+el\s+(?:medio\s+)?ambiente|sosten[ii]bles?"
        r"|sustentables?|biodegradables?|compostables?|reciclables?|(?:100\s?%\s+)?reciclad[oa]s?"
        r"|neutr[oa]s?\s+en\s+(?:carbono|emisiones|CO2)|huella\s+de\s+carbono\s+cero|cero\s+emisiones"
        r"|carbono\s+neutral|compensa(?:mos)?\s+(?:nuestras|las|todas\s+(?:las|nuestras))\s+emisiones"
        r"|(?:libres?\s+de|sin)\s+(?:productos\s+)?(?:qu[ií]micos|t[oó]xicos|pl[aá]stico|BPA"
        r"|parabenos|pesticidas)|no\s+t[oó]xic[oa]s?|cuida(?:mos)?\s+(?:el|del)\s+planeta"
        r"|buen[oa]s?\s+para\s+el\s+planeta|m[aá]s\s+verdes?|100\s?%\s+natural(?:es)?)\b",
        "ecol|eco|respetuos|amigable|sosten|sustentable|biodegradable|compostable|reciclab"
        "|reciclad|neutr|huella|cero|carbono|compensa|mico|xico|tico|bpa|parabenos|pesticidas"
        "|planeta|verde|natural",
    ),
    # --- French ------------------------------------------------------------------------
    _env(
        r"(?<!\w)(?P<key>[ée]cologiques?|[ée]co-?responsables?|[ée]co-?con[çc]ue?s?"
        r"|respectueu(?:x|se|ses)\s+de\s+(?:l['’]environnement|la\s+plan[èe]te)"
        r"|bon(?:ne)?s?\s+pour\s+la\s+plan[èe]te|(?:mode|produits?|emballages?|mat[ée]riaux"
        r"|mat[ée]riau|solutions?|marque|choix|cosm[ée]tiques?)\s+durables?"
        r"|biod[ée]gradables?|compostables?|recyclables?|recycl[ée](?:e|s|es)?|neutres?\s+en\s+carbone"
        r"|carboneutres?|z[ée]ro\s+(?:[ée]mission|carbone|d[ée]chet)s?"
        r"|compens(?:ons|[ée]e?s?|er)\s+(?:nos|les|toutes\s+nos|l['’]int[ée]gralit[ée]\s+de\s+nos)"
        r"\s+[ée]missions|sans\s+(?:produits\s+chimiques|substances\s+toxiques|plastique|BPA"
        r"|parab[èe]nes|pesticides|perturbateurs)|non[- ]toxiques?|plus\s+verte?s?"
        r"|100\s?%\s+naturel(?:le)?s?)(?!\w)",
        "cologiqu|responsable|conçu|concu|respectueu|plan|durable|biod|compost|recycl|neutre"
        "|carboneutre|zéro|zero|compens|chimiques|toxique|plastique|bpa|parab|pesticides"
        "|perturbateurs|vert|naturel",
    ),
    # --- German ------------------------------------------------------------------------
    _env(
        r"(?<!\w)(?P<key>umweltfreundlich\w*|umweltschonend\w*|nachhaltig\w*|biologisch\s+abbaubar\w*"
        r"|(?<!\w)abbaubar\w*|kompostierbar\w*|recycelbar\w*|recyclingf[äa]hig\w*"
        r"|wiederverwertbar\w*|aus\s+(?:\d+\s?%\s+)?recycelte[mnr]?\s+\w+|klimaneutral\w*"
        r"|klimapositiv\w*|CO[2₂]-neutral\w*|emissionsfrei\w*|kompensier\w*\s+(?:unsere|alle|die"
        r"|s[äa]mtliche)\s+(?:\w+\s+)?(?:Emissionen|CO[2₂])|frei\s+von\s+(?:Chemikalien"
        r"|Schadstoffen|Giftstoffen|Plastik|BPA|Parabenen|Pestiziden)|schadstofffrei\w*"
        r"|giftfrei\w*|ungiftig\w*|chemiefrei\w*|plastikfrei\w*|ozonfreundlich\w*"
        r"|gut\s+f[üu]r\s+(?:die\s+Umwelt|den\s+Planeten)|schont\s+die\s+Umwelt"
        r"|100\s?%\s+nat[üu]rlich\w*)",
        "umwelt|nachhaltig|biologisch|abbaubar|kompost|recycel|recycling|wiederverwert|aus"
        "|klima|co2|co₂|emission|kompens|frei|schadstoff|giftfrei|ungiftig|chemiefrei|plastikfrei"
        "|ozon|gut|schont|nat",
    ),
)


def find_environmental(doc: Doc) -> list[Claim]:
    return phrase_claims(doc, PHRASES)

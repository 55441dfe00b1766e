"""Which language a text is in, told cheaply from its commonest short words.

The detectors read English, Spanish, French and German (COVERED). A text whose short words
are mostly another language's, or whose letters are mostly of another script, is
something the scorer cannot check, so it must never be verified. Texts of under 20 words
without a telling word (headlines, names and addresses) are given the benefit of the doubt
("und", treated as covered).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from approvals.safety.text import word_set

COVERED: frozenset[str] = frozenset({"en", "es", "fr", "de"})

NAMES: dict[str, str] = {
    "en": "English",
    "es": "Spanish",
    "fr": "French",
    "de": "German",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
    "und": "undetermined",
    "other-script": "a script other than Latin",
}

_LISTS: dict[str, frozenset[str]] = {
    "en": word_set("""the and of to is are with for you your our we this that it at be by from
        was were have has will not or but they their can all just get on over my me i us an
        a so if up out off into than who what when how why its any every more most been do
        does did should would could may about after before them which here there these those
        it's we're you're we'll don't"""),
    "es": word_set("""el los las del y es son con por para su sus nuestro nuestra nuestros
        tu tus más muy pero como al lo se le este esta estos cada también nosotros usted a
        para"""),
    "fr": word_set("""le les des du et est sont avec pour pas nous vous votre vos notre nos
        ce cette qui dans sur au aux ne se très aussi être ils elle"""),
    "de": word_set("""der die das und ist sind mit für nicht ein eine einen dem den des wir
        ihr ihre unser unsere auf zu von im auch sich bei oder sie sehr jetzt"""),
    "it": word_set("""il gli della delle degli che è sono nostro nostra nostri più anche
        questo questa nel alla dei di del ma ogni siamo tutti a i"""),
    "pt": word_set("""os da das do dos e é são nosso nossa seu sua você mais também em no
        na pelo pela ao não uma um com para a muito às aos nossos numa num tem está estão"""),
    "nl": word_set("""het een van niet voor met zijn op wij ons onze je jouw uw dat dit ook
        maar bij naar om te er is"""),
}
# A word in two lists tells neither apart ("de", "la", "que", "en"): count it for none.
_SEEN = Counter(word for words in _LISTS.values() for word in words)
_WORDS: dict[str, str] = {
    word: lang for lang, words in _LISTS.items() for word in words if _SEEN[word] == 1
}
_ANY: frozenset[str] = frozenset(_SEEN)

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_OTHER_LETTERS = re.compile(r"[^\W\d_A-Za-z\u00c0-\u024f]")
# Enough words to tell a language by, and how clearly an uncovered one must lead.
MIN_WORDS = 20
SAMPLE = 3000
MIN_LEAD = 3


@dataclass(frozen=True)
class Language:
    code: str
    covered: bool
    reason: str = ""


def detect_language(text: str) -> Language:
    sample = text[:SAMPLE]
    if not sample.isascii():
        other = len(_OTHER_LETTERS.findall(sample))
        if other and other > len(_LATIN.findall(sample)):
            return Language(
                "other-script",
                False,
                "The text is mostly written in a script other than Latin; the scorer only "
                "checks English, Spanish, French and German.",
            )
    counts: Counter[str] = Counter()
    # The opening of a long text tells its language as well as the whole would.
    words = _WORD.findall(text[:SAMPLE].lower().replace("’", "'"))
    lookup = _WORDS.get
    for word in words:
        lang = lookup(word)
        if lang is not None:
            counts[lang] += 1
    if not counts:
        if len(words) >= MIN_WORDS and _ANY.isdisjoint(words):
            return Language(
                "und",
                False,
                "The scorer could not tell which language the text is in, so it could not "
                "check it; it only checks English, Spanish, French and German.",
            )
        return Language("und", True)
    best_covered = max((counts[c] for c in COVERED), default=0)
    lang, top = counts.most_common(1)[0]
    if lang not in COVERED and top >= MIN_LEAD and top > 2 * best_covered:
        return Language(
            lang,
            False,
            f"The text looks {NAMES[lang]}; the scorer only checks English, Spanish, French "
            "and German, so its claims could not be checked.",
        )
    covered_lang = max(COVERED, key=lambda c: (counts[c], c == "en"))
    return Language(covered_lang if counts[covered_lang] else "und", True)


def language_counts(text: str) -> Counter[str]:
    """How many telling short words of each language the text's opening holds."""
    words = _WORD.findall(text[:SAMPLE].lower().replace("’", "'"))
    return Counter(lang for word in words if (lang := _WORDS.get(word)) is not None)

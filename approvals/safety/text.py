"""Text helpers the detectors share: sentences, normalisation, content words and numbers."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass


def word_set(words: str) -> frozenset[str]:
    """A set from a whitespace-separated word list, which reads better than a list literal."""
    return frozenset(words.split())


# A sentence ends at . ! ? (plus closing quotes) before whitespace, or at a line break.
_SENTENCE_END = re.compile(r"[.!?\n][.!?\"'”’)\]\n]*")
# Abbreviations that end in a full stop without ending the sentence ("No. 1", "Dr. Hart").
_ABBREVIATIONS = word_set("no dr mr mrs ms st vs etc est e.g i.e approx")


class Sentences:
    """The sentence spans of a text, with a fast lookup of the sentence around a position."""

    def __init__(self, text: str) -> None:
        self.text = text
        spans: list[tuple[int, int]] = []
        start = 0
        for match in _SENTENCE_END.finditer(text):
            if (
                "\n" not in match.group()
                and match.end() < len(text)
                and not text[match.end()].isspace()
            ):
                continue  # "3.5", "e.g.", "example.com": not the end of a sentence
            if match.group() == ".":
                word_start = max(
                    text.rfind(" ", 0, match.start()), text.rfind("\n", 0, match.start())
                )
                if text[word_start + 1 : match.start()].lower() in _ABBREVIATIONS:
                    continue
            if match.end() > start:
                spans.append((start, match.end()))
            start = match.end()
        if start < len(text):
            spans.append((start, len(text)))
        self.spans = spans or [(0, len(text))]
        self._starts = [s for s, _ in self.spans]

    def index_at(self, pos: int) -> int:
        return max(0, bisect_right(self._starts, pos) - 1)

    def around(self, pos: int) -> tuple[int, int]:
        return self.spans[self.index_at(pos)]

    def sentence(self, pos: int) -> str:
        start, end = self.around(pos)
        return self.text[start:end]


@dataclass(frozen=True)
class Rule:
    """A compiled pattern and the literal anchors (lowercase) one of which it cannot match without.

    Checking a few substrings costs microseconds, while a full regex scan of a long text
    costs a fraction of a millisecond, so a rule whose anchors are absent is skipped.
    """

    regex: re.Pattern[str]
    anchors: tuple[str, ...] = ()


DIGITS: tuple[str, ...] = tuple("0123456789")


def rule(pattern: str, anchors: str | tuple[str, ...] = (), flags: int = re.IGNORECASE) -> Rule:
    if isinstance(anchors, str):
        anchors = tuple(anchors.split("|"))
    return Rule(re.compile(pattern, flags), anchors)


class Doc:
    """A text being scored: the original, its sentences, and where each anchor occurs.

    A rule's regex runs only over the sentences that contain one of its anchors, so a long
    text costs little more than the few sentences that could match. Patterns never cross a
    sentence boundary. Rules without anchors scan the whole text.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.lower = text.lower()
        self.sentences = Sentences(text)
        # str.lower() can change the length of a few non-ASCII characters; then positions in
        # the lowercase copy do not map back, and rules fall back to scanning everything.
        self._aligned = len(self.lower) == len(text)
        self._anchor_sentences: dict[str, frozenset[int]] = {}
        # Every lowercase word, with the sentences it occurs in; sorted for prefix look-ups.
        self._word_sentences: dict[str, set[int]] = {}
        for index, (start, end) in enumerate(self.sentences.spans):
            for word in set(_LETTERS.findall(self.lower, start, end)):
                self._word_sentences.setdefault(word, set()).add(index)
        self._sorted_words = sorted(self._word_sentences)
        self.words = frozenset(self._word_sentences)

    def _sentences_with(self, anchor: str) -> frozenset[int]:
        cached = self._anchor_sentences.get(anchor)
        if cached is None and anchor.isalpha() and anchor.isascii():
            # An alphabetic anchor is a word prefix: "guarantee" finds "guaranteed".
            words, found = self._sorted_words, set()
            i = bisect_left(words, anchor)
            while i < len(words) and words[i].startswith(anchor):
                found |= self._word_sentences[words[i]]
                i += 1
            cached = self._anchor_sentences[anchor] = frozenset(found)
        elif cached is None:
            found = set()
            pos = self.lower.find(anchor)
            while pos != -1:
                index = self.sentences.index_at(pos)
                found.add(index)
                # Jump to the next sentence: one hit per sentence is enough.
                pos = self.lower.find(anchor, max(pos + 1, self.sentences.spans[index][1]))
            cached = self._anchor_sentences[anchor] = frozenset(found)
        return cached

    def has(self, anchors: tuple[str, ...]) -> bool:
        return not anchors or any(self._sentences_with(a) for a in anchors)

    def finditer(self, r: Rule) -> Iterator[re.Match[str]]:
        if not r.anchors or not self._aligned:
            yield from r.regex.finditer(self.text)
            return
        indices: set[int] = set()
        for anchor in r.anchors:
            indices |= self._sentences_with(anchor)
        spans = self.sentences.spans
        for index in sorted(indices):
            start, end = spans[index]
            yield from r.regex.finditer(self.text, start, end)


_LETTERS = re.compile(r"[a-z]+")
_QUOTE_CHARS = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "`": "'"})
_NON_WORD = re.compile(r"[^\w\s%#£$€]+")
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Lowercase, apostrophes unified and dropped, other punctuation and runs of space folded."""
    text = text.translate(_QUOTE_CHARS).lower().replace("'", "")
    return _SPACES.sub(" ", _NON_WORD.sub(" ", text)).strip()


STOPWORDS: frozenset[str] = (
    word_set("""a an the and or but if of to in on at by for with from as is are was were be been being
    it its this that these those we our us you your they their them he she his her i me my
    will would can could should may might must do does did have has had not no so than then
    too very just also all any every each more most over up out about into onto off per
    who whom which what when where why how there here one ones own same such new now get got
    make makes made it's we're you're we've you'll we'll""")
)

_WORD = re.compile(r"#1\b|[a-z0-9]+")
_NUMBER_WORDS = {
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "twelve": "12",
    "twenty": "20",
    "fifty": "50",
    "hundred": "100",
}
_RANK_ONE = re.compile(r"#\s?1\b|\bnumber[\s-]one\b|\bno\.?\s?1\b", re.IGNORECASE)


def stem(word: str) -> str:
    """A light stem, enough to match "families" with "family" and "awarded" with "award"."""
    if word.isdigit() or len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    for suffix in ("ingly", "edly", "ing", "ed", "es", "ly", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def content_stems(text: str) -> set[str]:
    """The stems of a text's content words ("#1", "number one" and "No. 1" all become "#1")."""
    text = _RANK_ONE.sub(" #1 ", text.translate(_QUOTE_CHARS).lower().replace("'", ""))
    return {stem(w) for w in _WORD.findall(text) if w not in STOPWORDS}


_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def numbers_in(text: str) -> set[str]:
    """The numbers a text mentions, as digits without separators ("10,000" gives "10000")."""
    found = {m.group().replace(",", "").rstrip(".") for m in _NUMBER.finditer(text)}
    for word in _WORD.findall(text.lower()):
        if word in _NUMBER_WORDS:
            found.add(_NUMBER_WORDS[word])
    return found


def number_value(token: str) -> str:
    """One number token as numbers_in would list it."""
    token = token.lower().replace(",", "").strip()
    return _NUMBER_WORDS.get(token, token)


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]

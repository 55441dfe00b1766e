"""Text helpers the detectors share: sentences, normalisation, content words and numbers."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple


def word_set(words: str) -> frozenset[str]:
    """A set from a whitespace-separated word list, which reads better than a list literal."""
    return frozenset(words.split())


# A sentence ends at . ! ? (plus closing quotes) before whitespace, or at a line break.
_SENTENCE_END = re.compile(r"[.!?\n][.!?\"'”’)\]\n]*")
# Abbreviations that end in a full stop without ending the sentence ("No. 1", "Dr. Hart").
_ABBREVIATIONS = word_set("no dr mr mrs ms st vs etc est e.g i.e approx nr")
# A word before a full stop longer than this is no abbreviation, so the search back for its
# start can stop there rather than run to the previous line break.
_ABBREVIATION_LOOKBACK = max(map(len, _ABBREVIATIONS)) + 1
# Nor is one whose last character is none of these (no other character lowercases to them).
_ABBREVIATION_ENDINGS = frozenset(
    {a[-1] for a in _ABBREVIATIONS} | {a[-1].upper() for a in _ABBREVIATIONS}
)


def _abbreviation_before(text: str, stop: int) -> bool:
    """Whether the word before the full stop at `stop`, after a space or line break, is an
    abbreviation. The cheap checks come first, as most words plainly are not."""
    if stop == 0 or text[stop - 1] not in _ABBREVIATION_ENDINGS:
        return False
    lookback = max(0, stop - _ABBREVIATION_LOOKBACK)
    word_start = max(text.rfind(" ", lookback, stop), text.rfind("\n", lookback, stop))
    return text[word_start + 1 : stop].lower() in _ABBREVIATIONS


class Sentences:
    """The sentence spans of a text, with a fast lookup of the sentence around a position."""

    def __init__(self, text: str) -> None:
        self.text = text
        spans: list[tuple[int, int]] = []
        start, length = 0, len(text)
        for match in _SENTENCE_END.finditer(text):
            mark_start, end = match.span()
            if end < length and not text[end].isspace() and "\n" not in match.group():
                continue  # "3.5", "e.g.", "example.com": not the end of a sentence
            if (
                end - mark_start == 1
                and text[mark_start] == "."
                and _abbreviation_before(text, mark_start)
            ):
                continue
            if end > start:
                spans.append((start, end))
            start = end
        if start < len(text):
            spans.append((start, len(text)))
        self.spans = spans or [(0, len(text))]
        self.starts = [s for s, _ in self.spans]

    def index_at(self, pos: int) -> int:
        return max(0, bisect_right(self.starts, pos) - 1)

    def around(self, pos: int) -> tuple[int, int]:
        return self.spans[self.index_at(pos)]

    def sentence(self, pos: int) -> str:
        start, end = self.around(pos)
        return self.text[start:end]


def _is_prefix_anchor(anchor: str) -> bool:
    """An alphabetic ASCII anchor is a word prefix ("guarantee" finds "guaranteed")."""
    return anchor.isalpha() and anchor.isascii()


_LETTERS = re.compile(r"[a-z]+")
# Characters from the most to the least common in English copy; any other (digits, most
# punctuation) is rarer still.
_COMMON_CHARS = " etaoinshrdlcumwfgypb.,vk-'jxqz"


class _SubstringNeeds(NamedTuple):
    """What a text must hold for a substring anchor to occur in its lowercase form.

    A run of a-z after a non-letter inside the anchor starts a word of the text: "per cent"
    needs a word starting "cent", and " in 3" the word "in" itself. (A leading run may end
    a longer word, "no one" is in "piano one", so it needs nothing.) And the anchor's rarest
    character must occur: finding one character is far quicker than finding a string.
    """

    anchor: str
    whole_words: frozenset[str]
    prefixes: frozenset[str]
    rarest_char: str

    @classmethod
    def of(cls, anchor: str) -> _SubstringNeeds:
        whole, prefixes = set(), set()
        for run in _LETTERS.finditer(anchor):
            if run.start() > 0:
                (whole if run.end() < len(anchor) else prefixes).add(run.group())
        rarest = max(
            anchor, key=lambda c: (c not in _COMMON_CHARS, _COMMON_CHARS.find(c)), default=""
        )
        return cls(anchor, frozenset(whole), frozenset(prefixes), rarest)


class _AnchorIndex:
    """Every anchor the Rules declare, and which word-prefix anchors each word seen starts with.

    A Doc finds which anchors occur once, with set operations, instead of every rule
    searching the text for each of its own. Registering new anchors makes a new index, so
    an index's word caches stay valid for its life.
    """

    # Far more than the words of everyday copy; a flood of odd words just starts it over.
    _CACHE_LIMIT = 50_000

    def __init__(
        self, generation: int, prefixes: frozenset[str], substrings: dict[str, _SubstringNeeds]
    ) -> None:
        self.generation = generation
        self.substrings = substrings
        # Word prefixes: the rules' alphabetic anchors and those their substrings need.
        self.prefixes = prefixes.union(*(needs.prefixes for needs in substrings.values()))
        self._max_len = max(map(len, self.prefixes), default=0)
        self.plain_words: set[str] = set()  # words that start with no prefix
        self.prefixes_by_word: dict[str, tuple[str, ...]] = {}

    def prefixes_of(self, word: str) -> tuple[str, ...]:
        """The registered prefixes `word` starts with."""
        found = self.prefixes_by_word.get(word)
        if found is None:
            found = tuple(
                word[:k]
                for k in range(1, min(len(word), self._max_len) + 1)
                if word[:k] in self.prefixes
            )
            if len(self.plain_words) + len(self.prefixes_by_word) >= self._CACHE_LIMIT:
                self.plain_words.clear()
                self.prefixes_by_word.clear()
            if found:
                self.prefixes_by_word[word] = found
            else:
                self.plain_words.add(word)
        return found

    def register(self, prefixes: frozenset[str], substrings: frozenset[str]) -> _AnchorIndex:
        """This index, or a new one holding the anchors it lacks."""
        new_substrings = substrings - self.substrings.keys()
        if prefixes <= self.prefixes and not new_substrings:
            return self
        needs = dict(self.substrings)
        needs.update((a, _SubstringNeeds.of(a)) for a in new_substrings)
        return _AnchorIndex(self.generation + 1, self.prefixes | prefixes, needs)


_anchor_index = _AnchorIndex(0, frozenset(), {})


@dataclass(frozen=True)
class Rule:
    """A compiled pattern and the literal anchors (lowercase) one of which it cannot match without.

    Checking a few substrings costs microseconds, while a full regex scan of a long text
    costs a fraction of a millisecond, so a rule whose anchors are absent is skipped.

    Costly rules may say more about what their matches need, which only ever spares work:

    - `needs_words`: word prefixes, like alphabetic anchors, one of which starts a word of
      every match's sentence (a second word the match cannot do without).
    - `requires`: a pattern in lowercase without assertions that matches within the
      lowercase form of every match and the rest of its sentence (a lookahead may reach
      past the match), so a sentence where it finds nothing is not scanned.
      It should begin with a literal or a character class (not a repeat: "\\d\\d" is found
      quickly, "\\d{2}" is tried at every position).
    - `starts`: a pattern, compiled with the rule's flags, matching the first character of
      every match, so a scan tries the regex only there instead of at every position.

    Lowercase forms stand for what IGNORECASE matches only in "plain" texts (see Doc), so
    `needs_words` and `requires` are used only on those.
    """

    regex: re.Pattern[str]
    anchors: tuple[str, ...] = ()
    needs_words: frozenset[str] = frozenset()
    requires: re.Pattern[str] | None = None
    starts: re.Pattern[str] | None = None
    # The anchors split once by how a Doc finds them, and the first anchor index holding them.
    prefixes: frozenset[str] = field(init=False, repr=False, compare=False)
    substrings: frozenset[str] = field(init=False, repr=False, compare=False)
    generation: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        global _anchor_index
        if not all(_is_prefix_anchor(word) and word.islower() for word in self.needs_words):
            raise ValueError("needs_words must be lowercase a-z word prefixes")
        prefixes = frozenset(a for a in self.anchors if _is_prefix_anchor(a))
        substrings = frozenset(a for a in self.anchors if not _is_prefix_anchor(a))
        _anchor_index = _anchor_index.register(prefixes | self.needs_words, substrings)
        object.__setattr__(self, "prefixes", prefixes)
        object.__setattr__(self, "substrings", substrings)
        object.__setattr__(self, "generation", _anchor_index.generation)


DIGITS: tuple[str, ...] = tuple("0123456789")


def rule(
    pattern: str,
    anchors: str | tuple[str, ...] = (),
    flags: int = re.IGNORECASE,
    *,
    needs_words: str = "",
    requires: str | None = None,
    starts: str | None = None,
) -> Rule:
    if isinstance(anchors, str):
        anchors = tuple(anchors.split("|"))
    return Rule(
        re.compile(pattern, flags),
        anchors,
        frozenset(needs_words.split("|")) if needs_words else frozenset(),
        re.compile(requires) if requires is not None else None,
        re.compile(starts, flags) if starts is not None else None,
    )


def _finditer(r: Rule, text: str, pos: int, endpos: int) -> Iterator[re.Match[str]]:
    """r.regex.finditer(text, pos, endpos), trying only where `starts` allows if it is set."""
    if r.starts is None:
        return r.regex.finditer(text, pos, endpos)
    return _finditer_at_starts(r.regex, r.starts, text, pos, endpos)


def _finditer_at_starts(
    regex: re.Pattern[str], starts: re.Pattern[str], text: str, pos: int, endpos: int
) -> Iterator[re.Match[str]]:
    """regex.finditer(text, pos, endpos) for a regex whose matches all begin where `starts` matches.

    A search from pos finds the match at the first place one is possible, so trying the
    places `starts` allows, in order, finds the same matches. Every match is at least its
    first character long, so there are no empty matches to step past.
    """
    search, match = starts.search, regex.match
    while (candidate := search(text, pos, endpos)) is not None:
        found = match(text, candidate.start(), endpos)
        if found is None:
            pos = candidate.start() + 1
        else:
            yield found
            pos = found.end()


# Every character but a-z as a space, byte for byte (non-ASCII is "?" by then).
_LETTERS_ONLY = bytes(c if 97 <= c <= 122 else 32 for c in range(256))
_NO_MATCHES: Iterator[re.Match[str]] = iter(())


class Doc:
    """A text being scored: the original, its sentences, and where each anchor occurs.

    A rule's regex runs only over the sentences that contain one of its anchors, so a long
    text costs little more than the few sentences that could match. Patterns never cross a
    sentence boundary. Rules without anchors scan the whole text.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.lower = lower = text.lower()
        self.sentences = Sentences(text)
        # str.lower() can change the length of a few non-ASCII characters; then positions in
        # the lowercase copy do not map back, and rules fall back to scanning everything.
        self._aligned = len(lower) == len(text)
        # IGNORECASE matches "ı" and "ſ" (and "İ", which lower() lengthens) to i and s, which
        # their lowercase forms do not show. In a text without them, a letter IGNORECASE
        # matches is that letter in the lowercase text, so rules' `needs_words` and
        # `requires` can be checked there.
        self._plain = self._aligned and "ı" not in text and "ſ" not in text
        self._anchor_sentences: dict[str, frozenset[int]] = {}
        self._index = index = _anchor_index
        self._present_prefixes: set[str] = set()
        self._present_substrings: set[str] = set()
        if not self._aligned:
            # Words are read per sentence span, as they always were, though spans and
            # lowercase positions disagree; only has() and the word list use them.
            self._sentence_words = [
                set(_LETTERS.findall(lower, start, end)) for start, end in self.sentences.spans
            ]
            self.words = frozenset().union(*self._sentence_words)
            return
        # The lowercase text with everything but a-z blanked, led by a space: a word
        # starting "guarantee" is a find of " guarantee", with no regex per word. Sentence
        # ends are never letters, so no word runs across two sentences.
        letters = lower.encode("ascii", "replace").translate(_LETTERS_ONLY).decode("ascii")
        self._spaced_letters = " " + letters
        self.words = words = frozenset(letters.split())
        # Which registered anchors occur, found with set operations and a few finds: a
        # prefix anchor when a word starts with it, a substring when the words it needs
        # are there and then it is.
        present = self._present_prefixes
        cached = index.prefixes_by_word.get
        for word in words - index.plain_words:
            prefixes = cached(word)
            present.update(index.prefixes_of(word) if prefixes is None else prefixes)
        self._present_substrings = {
            anchor
            for anchor, whole, prefixes, rarest in index.substrings.values()
            if whole <= words and prefixes <= present and rarest in lower and anchor in lower
        }

    def _sentences_with(self, anchor: str) -> frozenset[int]:
        """The sentences holding the anchor (computed once per anchor)."""
        found = self._anchor_sentences.get(anchor)
        if found is None:
            found = self._find_sentences(anchor, _is_prefix_anchor(anchor))
        return found

    def _find_sentences(self, anchor: str, is_prefix: bool) -> frozenset[int]:
        """The sentences holding the anchor, which an alphabetic anchor does as a word prefix
        ("guarantee" finds "guaranteed") and any other as a substring of the lowercase text."""
        found: set[int] = set()
        if is_prefix and not self._aligned:
            found = {
                i
                for i, words in enumerate(self._sentence_words)
                if any(word.startswith(anchor) for word in words)
            }
        else:
            if is_prefix:
                haystack, needle = self._spaced_letters, " " + anchor
            else:
                haystack, needle = self.lower, anchor
            spans, starts, find = self.sentences.spans, self.sentences.starts, haystack.find
            pos = find(needle)
            while pos != -1:
                index = bisect_right(starts, pos) - 1  # the first sentence starts at 0
                found.add(index)
                # Jump to the next sentence: one hit per sentence is enough.
                pos = find(needle, max(pos + 1, spans[index][1]))
        sentences = self._anchor_sentences[anchor] = frozenset(found)
        return sentences

    def has(self, anchors: tuple[str, ...]) -> bool:
        return not anchors or any(self._sentences_with(a) for a in anchors)

    def finditer(self, r: Rule) -> Iterator[re.Match[str]]:
        if not r.anchors or not self._aligned:
            if r.requires is not None and self._plain and not r.requires.search(self.lower):
                return _NO_MATCHES
            return _finditer(r, self.text, 0, len(self.text))
        if r.generation > self._index.generation:  # anchors new since this Doc was made
            indices: set[int] = set()
            for anchor in r.anchors:
                indices |= self._sentences_with(anchor)
            return self._scan(r, sorted(indices)) if indices else _NO_MATCHES
        # The index this Doc used knows the rule's anchors: look up only those present,
        # after the quicker check that any is (most rules have none in a given text).
        present_prefixes, present_substrings = self._present_prefixes, self._present_substrings
        if r.prefixes.isdisjoint(present_prefixes) and r.substrings.isdisjoint(present_substrings):
            return _NO_MATCHES
        prefixes = r.prefixes.intersection(present_prefixes)
        substrings = r.substrings.intersection(present_substrings)
        if r.needs_words and self._plain:
            # The sentences with a word the rule needs are usually few: look for the
            # anchors in those alone rather than throughout the text.
            indices = set()
            for word in r.needs_words.intersection(present_prefixes):
                indices |= self._sentences_with(word)
            indices = {i for i in indices if self._sentence_has_any(i, prefixes, substrings)}
        else:
            indices = set()
            cache, find_sentences = self._anchor_sentences, self._find_sentences
            for anchor in prefixes:
                found = cache.get(anchor)
                indices |= find_sentences(anchor, True) if found is None else found
            for anchor in substrings:
                found = cache.get(anchor)
                indices |= find_sentences(anchor, False) if found is None else found
        return self._scan(r, sorted(indices)) if indices else _NO_MATCHES

    def _sentence_has_any(
        self, index: int, prefixes: frozenset[str], substrings: frozenset[str]
    ) -> bool:
        """Whether sentence `index` holds one of the anchors, as _sentences_with would say."""
        start, end = self.sentences.spans[index]
        cache = self._anchor_sentences
        for anchor in prefixes:
            found = cache.get(anchor)
            if found is not None:
                if index in found:
                    return True
            # " anchor" starting at a position of the sentence, a word start there.
            elif self._spaced_letters.find(" " + anchor, start, end + len(anchor)) != -1:
                return True
        for anchor in substrings:
            found = cache.get(anchor)
            if found is not None:
                if index in found:
                    return True
            elif self.lower.find(anchor, start, end + len(anchor) - 1) != -1:
                return True
        return False

    def _scan(self, r: Rule, indices: list[int]) -> Iterator[re.Match[str]]:
        text, lower, spans = self.text, self.lower, self.sentences.spans
        requires = r.requires if self._plain else None
        for index in indices:
            start, end = spans[index]
            # A match lies within its sentence, and so does what it requires.
            if requires is None or requires.search(lower, start, end):
                yield from _finditer(r, text, start, end)


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

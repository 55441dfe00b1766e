"""What the client told us, read once: the topic's grammatical form, its title, and the
description split into sentences, steps, key points, names and numbers.

The built-in writers say only what is in the brief, the brand profile or the verified facts,
so everything they can say starts here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ..brand import BrandProfile
from .common import Setup, capitalise, end_sentence, setup, title_case

Form = Literal["howto", "question", "statement", "phrase"]

_QUESTION_WORDS = frozenset(
    {"how", "why", "what", "when", "where", "which", "who", "whose", "whom"}
)
_AUXILIARIES = frozenset(
    {
        *("is", "are", "was", "were", "do", "does", "did", "can", "could", "should"),
        *("will", "would", "may", "might", "must", "has", "have", "shall"),
    }
)
# Finite verbs that make a topic a statement ("Our cold brew is back"), not a noun phrase.
_FINITE = frozenset(
    {
        *("is", "are", "was", "were", "has", "have", "had", "will", "can", "gets", "makes"),
        *("opens", "launches", "returns", "arrives", "comes", "goes", "helps", "lets", "means"),
        *("matters", "works", "starts", "needs", "keeps", "turns", "changes", "moves", "joins"),
        *("isn't", "aren't", "won't", "can't", "it's", "we're", "they're", "you're", "there's"),
    }
)
# Sentences in a description that speak to the writer rather than to the reader.
_INSTRUCTION = re.compile(
    r"^(?:please\s+)?(?:write|mention|include|highlight|focus|emphasi[sz]e|stress|cover|"
    r"explain|talk about|target|aim|say|note|make sure|remember|avoid|don't|do not|use|"
    r"keep it|tone)\b",
    re.I,
)
_THAT_CLAUSE = re.compile(
    r"^(?:please\s+)?(?:mention|say|note|stress|explain|highlight|remember|make sure)\s+"
    r"(?:that\s+)(?P<rest>.+)$",
    re.I,
)
_MENTION_PHRASE = re.compile(
    r"^(?:please\s+)?(?:mention|include|highlight|emphasi[sz]e|stress|cover|talk about|"
    r"focus on)\s+(?P<rest>.+)$",
    re.I,
)
# Imperative verbs a reader can act on: a how-to's steps.
_STEP_VERBS = frozenset(
    {
        *("keep", "store", "buy", "grind", "brew", "drink", "use", "choose", "check", "book"),
        *("call", "try", "add", "send", "connect", "set", "turn", "open", "close", "avoid"),
        *("brush", "floss", "visit", "ask", "start", "stop", "pick", "put", "let", "wait"),
        *("find", "compare", "plan", "measure", "write", "list", "bring", "clean", "replace"),
        *("seal", "freeze", "weigh", "pour", "heat", "boil", "rinse", "mark", "review", "track"),
        *("sign", "log", "upload", "download", "install", "enable", "schedule", "follow"),
        "don't",
        "never",
        "always",
    }
)
_SPLIT = re.compile(
    r"(?<!\b(?:Dr|Mr|Ms|St|No)\.)(?<!\bMrs\.)(?<!\bProf\.)(?<=[.!?])\s+(?=[A-Z0-9\"“(])"
)
_NUMBER = re.compile(r"(?<![\w.])\d[\d,.]*(?:\s?(?:%|L|ml|kg|g|km|m)\b)?")
# A capitalised word or run of them; a run may be joined by "de", "of", "&" and similar.
_NAME = re.compile(
    r"\b(?:Dr\.\s|Mr\.\s|Mrs\.\s|Ms\.\s)?[A-Z][\w'’&-]*[A-Za-z0-9]"
    r"(?:\s+(?:(?:de|du|des|la|le|of|von|van)\s+)?[A-Z][\w'’&-]*[A-Za-z0-9])*"
)
_POSSESSIVE = re.compile(r"['’]s$")
_COMMON_STARTS = frozenset(
    {
        *("The", "A", "An", "Our", "We", "You", "Your", "It", "Its", "This", "That", "These"),
        *("Those", "They", "Their", "Each", "Every", "All", "Keep", "Store", "Use", "New", "Now"),
        *("From", "If", "When", "With", "For", "In", "On", "At", "And", "But", "Or", "Also"),
        *("Here", "There", "How", "Why", "What", "Who", "Where", "Which", "Most", "Many", "One"),
        *("Two", "After", "Before", "Since", "Then", "So", "Yes", "No", "Please", "Mention"),
        *("Highlight", "Include", "Write", "Make", "Avoid", "Don't", "Do", "Book", "Call", "Try"),
        "I",
    }
)


@dataclass(frozen=True)
class Brief:
    """The client's words, sorted by what a writer can do with them."""

    topic: str
    form: Form
    title: str
    sentences: tuple[str, ...] = ()
    steps: tuple[str, ...] = ()
    points: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    client: str = ""
    proper_nouns: frozenset[str] = field(default_factory=frozenset)

    @property
    def copy(self) -> tuple[str, ...]:
        """Everything the description says to a reader: sentences, then steps."""
        return self.sentences + self.steps

    @property
    def is_question(self) -> bool:
        return self.form == "question"

    @property
    def inline(self) -> str:
        """The topic for use after a colon or a verb: its first letter lowered unless a name."""
        first = self.topic.split(" ", 1)[0]
        if first in self.proper_nouns or first.isupper() or any(c.isupper() for c in first[1:]):
            return self.topic
        return first.lower() + self.topic[len(first) :]

    @property
    def sentence(self) -> str:
        """The topic as it would open a sentence, ending in the right punctuation."""
        text = capitalise(self.topic)
        return text + "?" if self.form == "question" else end_sentence(text)

    def subject_line(self) -> str:
        """The topic as a subject line: sentence case, a question keeps its question mark."""
        return capitalise(self.topic) + ("?" if self.form == "question" else "")

    def mentioning(self, *words: str) -> list[str]:
        """Description sentences (and steps) that mention any of `words`, in order."""
        wanted = [w.lower() for w in words if w]
        return [s for s in self.copy if any(w in s.lower() for w in wanted)]

    def richest(self, limit: int | None = None) -> list[str]:
        """Description sentences ordered by how many names and numbers they carry."""

        def weight(sentence: str) -> int:
            return sum(n in sentence for n in self.names) + sum(n in sentence for n in self.numbers)

        order = sorted(range(len(self.copy)), key=lambda i: (-weight(self.copy[i]), i))
        return [self.copy[i] for i in order[:limit]]


def topic_form(topic: str) -> Form:
    """How the topic is written: a how-to, a question, a statement or a noun phrase."""
    words = topic.lower().rstrip("?.! ").split()
    if not words:
        return "phrase"
    if words[0] == "how" and len(words) > 1 and words[1] == "to":
        return "howto"
    if topic.rstrip().endswith("?") or (
        words[0] in _QUESTION_WORDS | _AUXILIARIES and len(words) > 2 and words[1] in _AUXILIARIES
    ):
        return "question"
    if words[0] in _AUXILIARIES and len(words) > 2 and topic.rstrip().endswith("?"):
        return "question"
    if words[0] in _QUESTION_WORDS and len(words) > 2:
        # "Why regular check-ups matter": an embedded question, read as a statement-title.
        return "statement"
    if any(w.strip(",;:") in _FINITE for w in words[1:]):
        return "statement"
    return "phrase"


def headline(topic: str, form: Form) -> str:
    """A headline in title case; a how-to loses its stray question mark, a question keeps it."""
    bare = topic.rstrip(" ?.!")
    # Words the client capitalised mid-title stay as written; the rest follow headline case.
    text = title_case(bare)
    return text + "?" if form == "question" else text


def split_sentences(text: str) -> list[str]:
    """Sentences and list items of a description, each tidied; blank pieces dropped."""
    pieces: list[str] = []
    for line in re.split(r"\n+|;\s+|\s+[–—-]\s+(?=[A-Z])", text or ""):
        line = re.sub(r"^\s*(?:[-*•]|\d+[.)])\s+", "", line).strip()
        if not line:
            continue
        pieces.extend(p.strip() for p in _SPLIT.split(line) if p.strip())
    return pieces


def _is_sentence(piece: str) -> bool:
    return piece[-1:] in ".!?" and len(piece.split()) >= 4


def _first_word(piece: str) -> str:
    return piece.split(" ", 1)[0].lower().strip(",:")


def names_in(texts: Iterable[str]) -> list[str]:
    """Capitalised names (people, places, products, companies) in order, without repeats.

    A capital that opens a sentence is grammar, not a name: a lone word there counts only
    when it is also capitalised mid-sentence somewhere, or has capitals inside it.
    """
    found: list[str] = []
    openers: list[str] = []
    for text in texts:
        for match in _NAME.finditer(text):
            words = [_POSSESSIVE.sub("", w) for w in match.group(0).split()]
            at_start = match.start() == 0 or text[: match.start()].rstrip()[-1:] in ".!?:"
            if at_start and words[0] in _COMMON_STARTS:
                words = words[1:]
            elif at_start and len(words) == 1 and not any(c.isupper() for c in words[0][1:]):
                openers.append(words[0])
                continue
            name = " ".join(words)
            if not words or name in _COMMON_STARTS or len(name) < 2:
                continue
            if name not in found:
                found.append(name)
    mid = {w for name in found for w in name.split()}
    return found + [w for w in dict.fromkeys(openers) if w in mid and w not in found]


def numbers_in(texts: Iterable[str]) -> list[str]:
    found: list[str] = []
    for text in texts:
        for match in _NUMBER.finditer(text):
            number = match.group(0).rstrip(".,")
            if number and number not in found:
                found.append(number)
    return found


def read_brief(
    topic: str,
    description: str = "",
    *,
    keywords: Sequence[str] = (),
    client: str = "",
    brand_names: Sequence[str] = (),
) -> Brief:
    """Sort a topic and description into what each writer can reuse, word for word."""
    topic = " ".join(topic.split())
    form = topic_form(topic)
    topic = topic.rstrip(" ?!.") or topic
    sentences: list[str] = []
    steps: list[str] = []
    points: list[str] = []
    notes: list[str] = []
    for piece in split_sentences(description):
        if clause := _THAT_CLAUSE.match(piece):
            sentences.append(end_sentence(capitalise(clause.group("rest"))))
        elif _INSTRUCTION.match(piece):
            notes.append(piece)
            if phrase := _MENTION_PHRASE.match(piece):
                points.append(capitalise(phrase.group("rest").rstrip(".!")))
        elif not _is_sentence(piece):
            points.append(capitalise(piece.rstrip(".")))
        elif _first_word(piece) in _STEP_VERBS:
            steps.append(piece)
        else:
            sentences.append(piece)
    everything = [topic, *sentences, *steps, *points, client]
    names = names_in(everything)
    proper = {w for name in [*names, *brand_names] for w in name.split()}
    return Brief(
        topic=topic,
        form=form,
        title=headline(topic, form),
        sentences=tuple(sentences),
        steps=tuple(steps),
        points=tuple(points),
        notes=tuple(notes),
        names=tuple(names),
        numbers=tuple(numbers_in([topic, *sentences, *steps, *points])),
        keywords=tuple(keywords),
        client=client,
        proper_nouns=frozenset(proper),
    )


def brief_setup(
    kind: str,
    inputs: Mapping[str, Any],
    brand: BrandProfile,
    feedback: Sequence[str],
    revision: int,
    *,
    description: str = "",
    default_tone: str = "professional",
) -> tuple[Setup, Brief]:
    """The usual writer setup plus the brief read from the topic and description."""
    s = setup(kind, inputs, brand, feedback, revision, default_tone=default_tone)
    b = read_brief(
        s.topic,
        description,
        keywords=list(inputs.get("keywords") or []),
        client=str(inputs.get("clientName") or ""),
        brand_names=[n for n in (brand.name, brand.location) if n],
    )
    s.composer.context.update({"topic": b.inline, "Topic": capitalise(b.inline), "focus": b.inline})
    return s, b

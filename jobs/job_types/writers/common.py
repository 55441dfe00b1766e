"""Shared helpers for the writers: seeded variation, text fitting, tone phrases and feedback."""

from __future__ import annotations

import hashlib
import random
import re
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from jobs.feedback import clean_title, remove_matching
from jobs.feedback.edits import phrase_hit

from ..brand import BrandProfile
from ..deliverable import Deliverable
from .tones import TonePhrases, tone_phrases

STOPWORDS = frozenset(
    {
        *("a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "how", "in", "into"),
        *("is", "it", "its", "of", "on", "or", "our", "the", "their", "this", "to", "what"),
        *("when", "why", "with", "your", "you", "we", "us", "vs", "about", "after", "before"),
        *("more", "most", "new", "over", "than", "that", "these", "those", "who", "will", "can"),
        *("do", "does"),
    }
)

# Claims the truth layer cannot back and placeholders no client should ever receive.
FORBIDDEN_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"\bbest\b", re.I),
    re.compile(r"#1\b"),  # a ranking, not a hex colour such as #1F4E79
    re.compile(r"\bnumber one\b", re.I),
    re.compile(r"\bguarantee[ds]?\b", re.I),
    re.compile(r"\blorem\b", re.I),
    re.compile(r"\[insert", re.I),
    re.compile(r"\bTBD\b"),
    re.compile(r"\bworld[- ]class\b", re.I),
    re.compile(r"\bunmatched\b|\bunbeatable\b|\brevolutionary\b", re.I),
)


def find_forbidden(text: str) -> list[str]:
    """Every forbidden phrase found in `text`, as written."""
    return [m.group(0) for pattern in FORBIDDEN_PATTERNS for m in pattern.finditer(text)]


# --- deterministic variation -------------------------------------------------------------


def seeded_rng(*parts: object) -> random.Random:
    """A random generator whose sequence depends only on `parts` (not on PYTHONHASHSEED)."""
    return random.Random(_seed("\x1f".join(str(p) for p in parts)))


@lru_cache(maxsize=1024)
def _seed(key: str) -> int:
    # The same few keys (topic, heading, kind) recur on every pass, so hash each once.
    return int(hashlib.sha256(key.encode()).hexdigest()[:16], 16)


# --- text helpers -----------------------------------------------------------------------

# Possessive (`*+`): nothing follows the run, so it never needs to backtrack; same matches.
_WORD = re.compile(r"[A-Za-z0-9À-ÿ][A-Za-z0-9À-ÿ'’\-]*+")
_TIMING_MARK = re.compile(r"\[\d+:\d\d-\d+:\d\d\]")


# Writers count the same sentences many times while fitting a piece to its length, and
# `finalise` recounts the finished text the writer has just measured; counting is a full
# regex scan, so remember recent answers.
@lru_cache(maxsize=1024)
def word_count(text: str) -> int:
    """Words as a reader counts them; markdown marks and timing marks are not words."""
    if "[" in text:  # only voice scripts carry timing marks; skip the pass for everything else
        text = _TIMING_MARK.sub(" ", text)
    return len(_WORD.findall(text))


def inline(phrase: str) -> str:
    """A phrase for use mid-sentence: 'Industry trends' -> 'industry trends', 'AI' stays."""
    first, _, rest = phrase.partition(" ")
    article = first in {"A", "An", "The"}
    if article or (
        len(first) > 1 and first.isalpha() and first[0].isupper() and first[1:].islower()
    ):
        return first.lower() + (" " + rest if rest else "")
    return phrase


def capitalise(text: str) -> str:
    """Upper-case the first letter only, leaving the rest (acronyms, names) alone."""
    if text[:1].isalpha():  # the usual case: the first character is the letter
        return text[0].upper() + text[1:]
    for i, ch in enumerate(text):
        if ch.isalpha():
            return text[:i] + ch.upper() + text[i + 1 :]
    return text


_SMALL_WORDS = frozenset(
    {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "vs"}
)


def title_case(text: str) -> str:
    """Headline case that keeps acronyms and lower-cases short joining words."""
    small = _SMALL_WORDS
    words = text.split()
    out = []
    for i, word in enumerate(words):
        after_colon = i > 0 and words[i - 1].endswith(":")
        if word.isupper() or any(ch.isupper() for ch in word[1:]):
            out.append(word)
        elif i and word.lower() in small and not after_colon:
            out.append(word.lower())
        else:
            out.append(capitalise(word))
    return " ".join(out)


def end_sentence(text: str) -> str:
    """Make sure a sentence ends with punctuation."""
    text = text.strip()
    return text if not text or text[-1] in ".!?…:" else text + "."


def join_list(items: Sequence[str], conjunction: str = "and") -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def fit(text: str, limit: int) -> str:
    """Shorten to at most `limit` characters at a word boundary, without a dangling word."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit + 1]
    cut = cut[: cut.rfind(" ")] if " " in cut else text[:limit]
    words = cut.split()
    while len(words) > 1 and (words[-1].lower().strip(",;:-–") in STOPWORDS or words[-1] in "-–"):
        words.pop()
    return " ".join(words).rstrip(",;:-– ")[:limit]


_BREAKS = frozenset({"that", "which", "while", "who", "where", "so", "because", "and", "but"})


def brief(phrase: str, limit: int = 60) -> str:
    """A long topic cut to a phrase that can be repeated, ending before a trailing clause."""
    cut = fit(phrase, limit)
    if cut == " ".join(phrase.split()):
        return cut
    words = cut.split()
    for i in range(len(words) - 1, 1, -1):
        if words[i].lower().strip(",;:") in _BREAKS:
            return " ".join(words[:i]).rstrip(",;:")
    return cut


_TERM = re.compile(r"[A-Za-z][A-Za-z0-9'\-]*")


def terms(text: str) -> list[str]:
    """Significant lower-case words of a phrase, in order, without repeats."""
    seen: list[str] = []
    for word in _TERM.findall(text.lower()):
        word = word.strip("'-")
        if len(word) > 2 and word not in STOPWORDS and word not in seen:
            seen.append(word)
    return seen


_ALNUM = re.compile(r"[A-Za-z0-9]+")


def hashtag(phrase: str, max_length: int = 24) -> str | None:
    """'small business tips' -> '#SmallBusinessTips'; None when nothing usable is left."""
    words = _ALNUM.findall(phrase)
    while words and (not words[0][0].isalpha() or words[0].lower() in STOPWORDS):
        words.pop(0)
    parts: list[str] = []
    for word in words:
        piece = word if word.isupper() and len(word) <= 4 else word.capitalize()
        if len("".join(parts)) + len(piece) > max_length:
            break
        parts.append(piece)
    return "#" + "".join(parts) if parts else None


_CONTRACTIONS = (
    ("do not", "don't"),
    ("does not", "doesn't"),
    ("is not", "isn't"),
    ("are not", "aren't"),
    ("cannot", "can't"),
    ("will not", "won't"),
    ("it is", "it's"),
    ("you are", "you're"),
    ("we are", "we're"),
    ("that is", "that's"),
    ("there is", "there's"),
    ("you will", "you'll"),
    ("we will", "we'll"),
    ("let us", "let's"),
    ("you would", "you'd"),
    ("we would", "we'd"),
)


_NO_CONTRACTION_BEFORE = frozenset(
    {"where", "what", "who", "how", "as", "than", "whatever", "wherever"}
)


_CONTRACTION_PATTERNS = tuple(
    (re.compile(rf"\b(?:{long}|{long[0].upper() + long[1:]})\b"), short)
    for long, short in _CONTRACTIONS
)
_CLAUSE_END = re.compile(r"\s*(?:[.,;:!?)]|$|now\b|and\b|or\b|here\b|there\b)")


# Only ever called on the writers' constant templates, so a bounded cache holds them all and
# spares the fifteen pattern searches on every render.
@lru_cache(maxsize=4096)
def contract(text: str) -> str:
    """Relaxed contractions for friendly and playful copy (templates only, never facts).

    A verb that ends its clause keeps its full form: "tell us where you are" stays as it is.
    """

    def swap(match: re.Match[str], short: str, source: str) -> str:
        # Only the word just before matters; a short look-back keeps this linear.
        before = source[max(0, match.start() - 40) : match.start()].split()
        if (before and before[-1].lower() in _NO_CONTRACTION_BEFORE) or _CLAUSE_END.match(
            source, match.end()
        ):
            return match.group(0)
        return capitalise(short) if match.group(0)[0].isupper() else short

    for pattern, short in _CONTRACTION_PATTERNS:
        if pattern.search(text) is None:
            continue
        text = pattern.sub(lambda m, short=short, source=text: swap(m, short, source), text)
    return text


@lru_cache(maxsize=1024)
def _stems(text: str) -> frozenset[str]:
    """The first five letters of each significant word; a brand's facts recur on every job."""
    return frozenset(w[:5] for w in terms(text))


def relevant_facts(facts: Sequence[str], text: str, limit: int = 2) -> list[str]:
    """The verified facts that share words with `text`, most overlapping first."""
    wanted = _stems(text)
    scored = []
    for index, fact in enumerate(facts):
        score = len(wanted & _stems(fact))
        if score:
            scored.append((-score, index, fact))
    return [fact for _, _, fact in sorted(scored)[:limit]]


def facts_for(brand: BrandProfile, text: str, limit: int = 2) -> list[str]:
    """Relevant verified facts, or the first one as brand context when none overlap."""
    chosen = relevant_facts(brand.verified_facts, text, limit)
    return chosen or brand.verified_facts[:1]


# --- feedback ----------------------------------------------------------------------------


@dataclass
class FeedbackPlan:
    """What a reviewer's feedback asks for, in terms a writer can act on."""

    length_factor: float = 1.0
    tone: str | None = None
    audience: str | None = None
    emoji: bool | None = None
    hashtags: int | None = None
    mentions: list[str] = field(default_factory=list)
    removals: list[str] = field(default_factory=list)
    focus: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    applied: list[str] = field(default_factory=list)

    @property
    def angle_shift(self) -> int:
        """Free-form notes move the writer to a different angle, one step per note."""
        return len(self.notes)

    def allows(self, text: str) -> bool:
        """False when `text` contains something the reviewer asked to remove."""
        if not self.removals:  # the usual case; skip building the generator
            return True
        return not any(_phrase_re(p).search(text) for p in self.removals)

    def tone_for(self, requested: str) -> str:
        return self.tone or requested


_VERBS = (
    r"(?:please\s+)?(?:make|mention|remove|add|include|drop|delete|use|be|focus|cut|keep|talk|"
    r"avoid|don't|do not|highlight|change|write|aim|speak|emphasi[sz]e|get rid|leave|take)\b"
)
_CLAUSE_SPLIT = re.compile(
    rf"[.;!?\n]+|,?\s+(?:and|but|also|then)\s+(?={_VERBS})|,\s+(?={_VERBS})", re.I
)
_REMOVE = re.compile(
    r"\b(?:remove|drop|delete|cut out|leave out|get rid of|take out|don't mention|do not mention|"
    r"stop mentioning|no more|avoid mentioning|avoid using|avoid)\s+(?:all\s+|any\s+)?"
    r"(?:(?:the\s+)?(?:word|phrase|term)s?\s+|(?:the\s+)?(?:mentions?|references?)\s+(?:of|to)\s+)?"
    r"(?:the\s+)?(?P<phrase>.+)$",
    re.I,
)
_MENTION = re.compile(
    r"\b(?:mention|include|add|highlight|talk about|reference|feature|bring up|call out)\s+"
    r"(?:that\s+)?(?:(?:a\s+)?(?:mention|note|line|sentence|word)\s+(?:of|about|on)\s+)?"
    r"(?:the\s+|a\s+|an\s+)?(?P<phrase>.+)$",
    re.I,
)
_FOCUS = re.compile(
    r"\b(?:focus(?:\s+more)?\s+on|emphasi[sz]e|more about|concentrate on|lean into)\s+"
    r"(?:the\s+|our\s+)?(?P<phrase>.+)$",
    re.I,
)
_AUDIENCE = re.compile(
    r"\b(?:aim it at|speak to|write for|target|angle it (?:towards|toward|at))\s+(?P<phrase>.+)$",
    re.I,
)
_SHORTER = re.compile(
    r"\b(?:shorter|shorten|too long|more concise|concise|trim|condense|tighten|cut (?:it )?down|"
    r"less wordy|too wordy|fewer words|briefer|less text|reduce the length|make it brief)\b",
    re.I,
)
_LONGER = re.compile(
    r"\b(?:longer|lengthen|too short|more detail|more depth|expand|elaborate|flesh (?:it )?out|"
    r"more words|go deeper|more thorough)\b",
    re.I,
)
_TONE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "playful",
        re.compile(
            r"\b(?:playful|fun|funnier|funny|light-?hearted|humou?r\w*|witty|"
            r"cheeky)\b",
            re.I,
        ),
    ),
    (
        "friendly",
        re.compile(
            r"\b(?:casual|friendl\w*|relaxed|warm(?:er)?|conversational|"
            r"approachable|less formal|informal|chatty)\b",
            re.I,
        ),
    ),
    ("inspirational", re.compile(r"\b(?:inspir\w*|motivat\w*|uplifting|aspirational)\b", re.I)),
    (
        "authoritative",
        re.compile(
            r"\b(?:authoritative|expert|confident|assertive|"
            r"more credible|firmer)\b",
            re.I,
        ),
    ),
    (
        "professional",
        re.compile(
            r"\b(?:professional|formal|businesslike|serious|"
            r"less casual)\b",
            re.I,
        ),
    ),
)
_TRAILING = re.compile(
    r"\s+(?:(?:in|at|near|to|towards?|into)\s+(?:the\s+)?(?:intro\w*|start|beginning|end|"
    r"conclusion|headline|title|subject(?: line)?|cta|call to action|first paragraph|opening|"
    r"copy|text|post|posts|page|email|script)\b.*|please|too|as well|somewhere|again|instead)$",
    re.I,
)
_QUOTED = re.compile(r"[\"“'‘](?P<phrase>[^\"”'’]{2,80})[\"”'’]")


@lru_cache(maxsize=256)
def _phrase_re(phrase: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)", re.I)


def _clean_phrase(raw: str, clause: str) -> str:
    quoted = _QUOTED.search(clause)
    if quoted:
        return quoted.group("phrase").strip()
    phrase = raw.strip(" \"'“”‘’,:-")
    for _ in range(3):
        phrase = _TRAILING.sub("", phrase).strip(" \"'“”‘’,:-")
    return phrase[:80].strip()


def interpret_feedback(feedback: Iterable[str]) -> FeedbackPlan:
    """Turn free-text review feedback into concrete, deterministic edits."""
    plan = FeedbackPlan()
    for item in feedback:
        for clause in _CLAUSE_SPLIT.split(item or ""):
            clause = " ".join(clause.split())
            if clause:
                _interpret_clause(plan, clause)
    plan.length_factor = min(1.8, max(0.4, plan.length_factor))
    return plan


def _interpret_clause(plan: FeedbackPlan, clause: str) -> None:
    if match := _REMOVE.search(clause):
        phrase = _clean_phrase(match.group("phrase"), clause)
        if phrase.lower() in {"emoji", "emojis", "the emoji", "emoticons"}:
            plan.emoji = False
            plan.applied.append("Removed emoji.")
        elif phrase.lower() in {"hashtags", "hashtag", "the hashtags"}:
            plan.hashtags = 0
            plan.applied.append("Removed hashtags.")
        elif phrase:
            plan.removals.append(phrase)
            plan.applied.append(f"Removed '{phrase}'.")
        return
    mention = _MENTION.search(clause)
    if mention and not _LONGER.search(clause):
        phrase = _clean_phrase(mention.group("phrase"), clause)
        if phrase.lower() in {"emoji", "emojis", "some emoji"}:
            plan.emoji = True
            plan.applied.append("Added emoji.")
        elif phrase:
            plan.mentions.append(phrase)
            plan.applied.append(f"Mentioned '{phrase}'.")
        return
    if match := _FOCUS.search(clause):
        phrase = _clean_phrase(match.group("phrase"), clause)
        if phrase:
            plan.focus.append(phrase)
            plan.applied.append(f"Put more focus on '{phrase}'.")
            return
    if match := _AUDIENCE.search(clause):
        phrase = _clean_phrase(match.group("phrase"), clause)
        if phrase:
            plan.audience = phrase
            plan.applied.append(f"Rewrote for {phrase}.")
            return
    understood = False
    if _SHORTER.search(clause):
        plan.length_factor *= 0.7
        plan.applied.append("Made it shorter.")
        understood = True
    elif _LONGER.search(clause):
        plan.length_factor *= 1.3
        plan.applied.append("Made it longer, with more detail.")
        understood = True
    for tone, pattern in _TONE_RULES:
        if pattern.search(clause):
            plan.tone = tone
            plan.applied.append(f"Changed the tone to {tone}.")
            understood = True
            break
    if not understood:
        plan.notes.append(clause)
        plan.applied.append(f"Reworked the angle in response to: '{clause}'.")


MENTION_FRAMES = (
    "Also worth a mention: {phrase}.",
    "One more thing to know about: {phrase}.",
    "And do not forget {phrase}.",
    "Ask us about {phrase}.",
)
FOCUS_FRAMES = (
    "This version looks more closely at {phrase}.",
    "Much of what follows comes back to {phrase}.",
)


# --- removing what the reviewer asked to remove -----------------------------------------


def apply_removals(text: str, removals: Sequence[str]) -> str:
    """Drop the sentences, list items and heading clauses that carry a removed phrase.

    Cutting the phrase alone would break the sentence around it ("Why X Is the and ...").
    """
    if not removals:
        return text
    return remove_matching(text, phrase_hit(removals))


def _scrub(value: Any, removals: Sequence[str]) -> Any:
    if isinstance(value, str):
        # Short fields (subject lines, headlines) lose a clause; longer ones whole sentences.
        if "\n" in value or len(value.split()) > 16:
            return apply_removals(value, removals)
        return clean_title(value, phrase_hit(removals)) if removals else value
    if isinstance(value, list):
        return [_scrub(v, removals) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, removals) for k, v in value.items()}
    return value


# --- composing paragraphs from sentence pools -------------------------------------------


class Composer:
    """Renders sentence templates for one piece, avoiding repeats and honouring removals."""

    def __init__(
        self, rng: random.Random, context: Mapping[str, str], tone: str, plan: FeedbackPlan
    ) -> None:
        self.rng = rng
        self.context = dict(context)
        for key, value in list(self.context.items()):
            self.context.setdefault(capitalise(key), capitalise(value))
        self.tone = tone
        self.phrases = tone_phrases(tone)
        self.plan = plan
        self.used: Counter[str] = Counter()
        # The same templates are rendered again and again while a piece is fitted to its
        # length, so renders (and the context merged with each set of extras) are remembered
        # for the piece. Writers may update `context` after construction, so the memos belong
        # to the context and phrases they were filled with; see `_memo`.
        self._rendered: dict[Hashable, str] = {}
        self._contexts: dict[tuple[tuple[str, str], ...], dict[str, str]] = {}
        self._memo_for: tuple[dict[str, str], TonePhrases] = (dict(self.context), self.phrases)

    def render(self, template: str, **extra: str) -> str:
        """One template with the piece's context, tone contractions and a capital first letter."""
        return self._render(self._memo(), template, tuple(extra.items()))

    def _memo(self) -> dict[Hashable, str]:
        """The render memo, emptied first if the context or tone changed since it was filled."""
        context, phrases = self._memo_for
        if self.phrases is not phrases or self.context != context:
            self._rendered.clear()
            self._contexts.clear()
            self._memo_for = (dict(self.context), self.phrases)
        return self._rendered

    def _render(
        self, memo: dict[Hashable, str], template: str, extra: tuple[tuple[str, str], ...]
    ) -> str:
        """`render` with the memo from `_memo` and the extras as a tuple of pairs."""
        key = (template, *extra) if extra else template
        text = memo.get(key)
        if text is None:
            if self.phrases.contractions:
                template = contract(template)
            text = memo[key] = capitalise(template.format_map(self._with(extra)))
        return text

    def _with(self, extra: tuple[tuple[str, str], ...]) -> dict[str, str]:
        """The context plus a render's extra placeholders, each also in capitalised form."""
        if not extra:
            return self.context
        context = self._contexts.get(extra)
        if context is None:
            context = self._contexts[extra] = dict(self.context)
            for name, value in extra:
                context[name] = value
                context[capitalise(name)] = capitalise(value)
        return context

    def pick(self, templates: Sequence[str], **extra: str) -> str:
        """The least used template of a pool (ties broken by the seed), rendered."""
        memo, items, allows = self._memo(), tuple(extra.items()), self.plan.allows
        candidates = [t for t in templates if allows(self._render(memo, t, items))]
        candidates = candidates or list(templates)
        used = self.used.get  # plain lookups: Counter's default goes through a Python method
        low = min(used(t, 0) for t in candidates)
        choice = self.rng.choice([t for t in candidates if used(t, 0) == low])
        self.used[choice] += 1
        return self._render(memo, choice, items)

    def mention(self, phrase: str) -> str:
        """A short, neutral sentence that brings a requested phrase into the copy."""
        return self.pick(MENTION_FRAMES, phrase=phrase.rstrip(".!?"))

    def focus_line(self, phrase: str) -> str:
        """A sentence that says which aspect this version concentrates on."""
        return self.pick(FOCUS_FRAMES, phrase=phrase.rstrip(".!?"))


# --- finishing a deliverable --------------------------------------------------------------

# The metadata value of "draft_source" on everything the offline writers produce: the page
# says the deliverable is a structured draft from the built-in writer.
DRAFT_SOURCE = "built-in writer"


def finalise(
    deliverable: Deliverable,
    plan: FeedbackPlan,
    *,
    tone: str | None,
    revision: int,
    feedback: Sequence[str],
) -> Deliverable:
    """Apply removals everywhere, make sure mentions appear, and record what was done."""
    text = apply_removals(deliverable.text, plan.removals).strip()
    # Documents end with a newline; posts and specs are measured to the character, so do not.
    deliverable.text = text + "\n" if deliverable.kind in ("markdown", "html") else text
    deliverable.data = _scrub(deliverable.data, plan.removals)
    # A title with no whole clause left is given a new one by the feedback step.
    if plan.removals:
        deliverable.title = clean_title(deliverable.title, phrase_hit(plan.removals))
    for phrase in plan.mentions + plan.focus:
        if plan.allows(phrase) and phrase.lower() not in deliverable.text.lower():
            deliverable.text += f"\n\nAlso worth a mention: {phrase}."
    meta = deliverable.metadata
    # Until a hosted model rewrites it, every deliverable is the built-in writer's draft.
    meta["draft_source"] = DRAFT_SOURCE
    meta["word_count"] = word_count(deliverable.text)
    meta["char_count"] = len(deliverable.text.strip())
    if tone:
        meta["tone"] = tone
    meta["revision"] = revision
    meta["feedback"] = list(feedback)
    meta["feedback_applied"] = list(plan.applied)
    return deliverable


# --- the context every writer starts from ----------------------------------------------


@dataclass
class Setup:
    """Everything a writer needs for one piece: plan, tone, seeded generator and wording."""

    plan: FeedbackPlan
    tone: str
    rng: random.Random
    composer: Composer
    topic: str
    audience: str
    brand: BrandProfile
    cta: str
    cta_requested: bool = False


def setup(
    kind: str,
    inputs: Mapping[str, Any],
    brand: BrandProfile,
    feedback: Sequence[str],
    revision: int,
    *,
    topic: str | None = None,
    default_tone: str = "professional",
) -> Setup:
    """Interpret feedback, pick the tone and audience, and seed the variation for a piece."""
    plan = interpret_feedback(feedback)
    tone = plan.tone_for(str(inputs.get("tone") or default_tone))
    topic = topic or str(inputs.get("topic") or brand.tagline or brand.name)
    audience = plan.audience or str(inputs.get("audience") or brand.audience_or_default)
    rng = seeded_rng(kind, topic, revision, tone, plan.angle_shift)
    context = {
        "topic": inline(brief(topic)),  # a long brief reads badly when repeated in full
        "audience": inline(audience),
        "brand": brand.name,
        "focus": inline(brief(topic)),
    }
    composer = Composer(rng, context, tone, plan)
    requested = str(inputs.get("callToAction") or "")
    cta = (
        end_sentence(requested)
        if requested
        else end_sentence(composer.pick(tone_phrases(tone).ctas))
    )
    return Setup(plan, tone, rng, composer, topic, audience, brand, cta, bool(requested))

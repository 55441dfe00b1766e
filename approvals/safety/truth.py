"""The truth layer: claims must be backed by a verified fact, testimonials must be approved ones.

A claim is backed when one of the client's verified facts contains it word for word, or
holds its number (a percentage, rating or year alone is specific enough; a count needs a
shared content word too, so "30 years" is not backed by "30 staff"), or holds its key word
("best", "award", "guarantee") plus another content word of the claim's sentence. A
testimonial is approved when its quoted words, normalised for case, punctuation and space,
appear within one of the client's approved testimonials.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from approvals.safety.flags import Flag, make_flag, quote_excerpt
from approvals.safety.rules.claims import Claim
from approvals.safety.rules.testimonials import Quote
from approvals.safety.text import Doc, Sentences, content_stems, normalise, numbers_in, overlaps


@dataclass(frozen=True)
class Fact:
    """A verified fact, prepared once per scoring call."""

    text: str
    normalised: str
    stems: frozenset[str]
    numbers: frozenset[str]

    @classmethod
    def of(cls, text: str) -> Fact:
        return cls(
            text, normalise(text), frozenset(content_stems(text)), frozenset(numbers_in(text))
        )


@lru_cache(maxsize=4096)
def _cached_fact(text: str) -> Fact:
    return Fact.of(text)


def prepare_facts(facts: Sequence[str]) -> list[Fact]:
    # A client's facts are the same on every call, and a Fact is immutable, so each is
    # prepared once and shared. Anything but a plain str goes uncached, failing as before.
    return [_cached_fact(f) if type(f) is str else Fact.of(f) for f in facts if f and f.strip()]


def is_backed(claim: Claim, excerpt: str, sentence: str, facts: Sequence[Fact]) -> bool:
    if not claim.backable or not facts:
        return False
    phrase = normalise(excerpt)
    sentence_stems = content_stems(sentence)
    for fact in facts:
        if len(phrase) >= 6 and phrase in fact.normalised:
            return True
        if claim.number is not None:
            if claim.number not in fact.numbers:
                continue
            if claim.number_alone or (sentence_stems - {claim.number}) & fact.stems:
                return True
        elif claim.triggers & fact.stems and (sentence_stems - claim.triggers) & fact.stems:
            return True
    return False


_CLAIM_MESSAGES = {
    "superlative": 'Unbacked superlative "{}": no verified fact supports it.',
    "statistic": 'Unbacked statistic "{}": no verified fact supports it.',
    "guarantee": 'Unbacked guarantee "{}": no verified fact supports it.',
    "proof": 'Unbacked claim of proof "{}": no verified fact supports it.',
    "evidence": 'Unbacked health claim "{}": no verified fact supports it.',
    "health": 'Health promise "{}": a medical outcome cannot be promised in marketing copy.',
    "financial": 'Financial promise "{}": returns or earnings cannot be promised to an audience.',
    "environmental": (
        'Unbacked environmental claim "{}": no verified fact names the specific, proven benefit.'
    ),
    "wellness": (
        'Unbacked health claim "{}": only scientific evidence on file as a verified fact '
        "supports it."
    ),
    "endorsement": (
        'Unbacked endorsement "{}": no verified fact shows who vouches for it and how.'
    ),
    "origin": 'Unbacked origin claim "{}": no verified fact says where it is made.',
    "specification": 'Unbacked specification "{}": no verified fact holds the measurement.',
    "price": 'Unbacked price claim "{}": no verified fact holds the reference price or saving.',
    "earnings": (
        'Unbacked earnings claim "{}": no verified fact holds what people typically earn.'
    ),
}
# The claim type a kind stands for when the detector did not name one.
_KIND_TYPES = {
    "superlative": "comparative",
    "statistic": "statistic",
    "guarantee": "guarantee",
    "proof": "proof",
    "evidence": "health",
    "health": "health",
    "wellness": "health",
    "financial": "earnings",
}


def claim_type(claim: Claim) -> str:
    return claim.topic or _KIND_TYPES.get(claim.kind, claim.kind)


# Promises win over the plain claims they contain ("guaranteed returns" is one financial
# promise, not also a guarantee), and within a rank a longer span wins over a shorter one.
_PRIORITY = {"financial_promise": 0, "health_promise": 1, "unsubstantiated_claim": 2}


def resolve_claims(claims: Sequence[Claim], sentences: Sentences) -> list[Claim]:
    """Drop overlapping duplicates, and guarantees that only restate a promise in their sentence."""
    kept: list[Claim] = []
    for claim in sorted(claims, key=lambda c: (_PRIORITY[c.category], c.start - c.end, c.start)):
        if any(overlaps((claim.start, claim.end), (k.start, k.end)) for k in kept):
            continue
        if claim.kind == "guarantee":
            sentence = sentences.around(claim.start)
            if any(
                k.category != "unsubstantiated_claim" and overlaps(sentence, (k.start, k.end))
                for k in kept
            ):
                continue
        kept.append(claim)
    return sorted(kept, key=lambda c: c.start)


def claim_flags(doc: Doc, claims: Sequence[Claim], facts: Sequence[Fact]) -> list[Flag]:
    text, sentences, flags = doc.text, doc.sentences, []
    for claim in claims:
        excerpt = text[claim.start : claim.end]
        if is_backed(claim, excerpt, sentences.sentence(claim.start), facts):
            continue
        message = _CLAIM_MESSAGES[claim.kind].format(quote_excerpt(excerpt))
        flags.append(
            make_flag(
                text,
                claim.category,
                claim.severity,
                message,
                claim.start,
                claim.end,
                claim_type(claim),
            )
        )
    return flags


@lru_cache(maxsize=4096)
def _normalised_testimonial(text: str) -> str:
    return normalise(text)


def is_approved(quote: Quote, approved: Sequence[str]) -> bool:
    words = normalise(quote.words)
    # A client's approved testimonials repeat on every call: normalise each once.
    return bool(words) and any(
        words in (_normalised_testimonial(a) if type(a) is str else normalise(a))
        for a in approved
        if a
    )


def testimonial_flags(text: str, quotes: Sequence[Quote], approved: Sequence[str]) -> list[Flag]:
    return [
        make_flag(
            text,
            "unapproved_testimonial",
            "critical",
            f'Testimonial "{quote_excerpt(q.words)}" is not among the approved testimonials: '
            "use an approved one word for word, or remove it.",
            q.start,
            q.end,
        )
        for q in quotes
        if not is_approved(q, approved)
    ]

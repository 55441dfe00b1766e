"""The words that make each tone sound like itself: greetings, headings, frames and sign-offs.

None of these phrases says anything about the client or the topic; they only frame what the
brief says, so a change of tone changes the wording and never the claims.
Placeholders: {brand}, {subject} (the topic after a colon or a verb) and {medium}
("article", "email", "post", "page", "video").
"""

from __future__ import annotations

from dataclasses import dataclass

TONES = ("professional", "friendly", "playful", "authoritative", "inspirational")


@dataclass(frozen=True)
class TonePhrases:
    """How one tone greets, introduces, heads sections, asks and signs off."""

    greeting: str
    signoff: str
    # Introduce the topic when it is a noun phrase or a how-to ("{subject}" after a colon).
    about: str
    # Introduce the topic when it is a question.
    asks: str
    # Introduce the topic when it is a noun phrase: a colon spares it an article.
    on: str
    points: str  # heading for the key points
    steps: str  # heading for a how-to's steps
    about_us: str  # heading for the brand section
    next: str  # heading for the call to action
    ctas: tuple[str, ...]
    # A question that invites replies on social platforms; no claim in it.
    prompt: str
    thanks: str
    lead: str  # introduces the news in an email or post
    contractions: bool = False
    exclaim: bool = False


TONE_PHRASES: dict[str, TonePhrases] = {
    "professional": TonePhrases(
        greeting="Hello,",
        signoff="Kind regards",
        about="This {medium} covers {subject}.",
        asks="This {medium} answers one question: {subject}?",
        on="In this {medium}: {subject}.",
        points="Key points",
        steps="The steps",
        about_us="About {brand}",
        next="Next step",
        ctas=("Contact {brand} to find out more", "Get in touch with the {brand} team"),
        prompt="How does your team approach this?",
        thanks="Thank you for reading.",
        lead="An update from {brand}:",
    ),
    "friendly": TonePhrases(
        greeting="Hi there,",
        signoff="Warm wishes",
        about="Let us walk you through {subject}.",
        asks="You asked, so let us answer: {subject}?",
        on="What we are talking about today: {subject}.",
        points="The short version",
        steps="Step by step",
        about_us="A little about us",
        next="What to do next",
        ctas=("Say hello to the {brand} team", "Drop {brand} a message"),
        prompt="We would love to hear what you think.",
        thanks="Thanks for reading. We would love to hear what you think.",
        lead="We wanted you to hear it from us first.",
        contractions=True,
    ),
    "playful": TonePhrases(
        greeting="Hey there,",
        signoff="Cheers",
        about="Today's mission: {subject}.",
        asks="Big question time: {subject}?",
        on="On today's menu: {subject}.",
        points="The good bits",
        steps="Your game plan",
        about_us="Who we are",
        next="Your move",
        ctas=("Come and say hi to {brand}", "Give the {brand} team a shout"),
        prompt="Tell us in the comments!",
        thanks="That is the scoop. Over to you!",
        lead="Guess what?",
        contractions=True,
        exclaim=True,
    ),
    "authoritative": TonePhrases(
        greeting="Hello,",
        signoff="Regards",
        about="Here is what you need to know about {subject}.",
        asks="The question is a fair one: {subject}?",
        on="The subject: {subject}.",
        points="What you need to know",
        steps="Follow these steps",
        about_us="About {brand}",
        next="Next step",
        ctas=("Speak with {brand}", "Contact {brand} to plan your next step"),
        prompt="Which of these applies to your team?",
        thanks="Those are the essentials.",
        lead="The facts, in brief:",
    ),
    "inspirational": TonePhrases(
        greeting="Hello,",
        signoff="With warm regards",
        about="Here is where it begins: {subject}.",
        asks="It starts with a question: {subject}?",
        on="Today's focus: {subject}.",
        points="What this means",
        steps="Where to begin",
        about_us="Who we are",
        next="Take the next step",
        ctas=("Take the first step with {brand}", "Start the conversation with {brand}"),
        prompt="What will your next step be?",
        thanks="The next step is yours.",
        lead="Something new is here.",
    ),
}


def tone_phrases(tone: str) -> TonePhrases:
    return TONE_PHRASES.get(tone, TONE_PHRASES["professional"])

"""The phrases that make each tone sound like itself: openers, closers, calls to action."""

from __future__ import annotations

from dataclasses import dataclass

TONES = ("professional", "friendly", "playful", "authoritative", "inspirational")


@dataclass(frozen=True)
class TonePhrases:
    """The small set of phrases that make one tone sound different from another."""

    openers: tuple[str, ...]
    closers: tuple[str, ...]
    ctas: tuple[str, ...]
    asides: tuple[str, ...] = ()
    contractions: bool = False
    exclaim: bool = False


TONE_PHRASES: dict[str, TonePhrases] = {
    "professional": TonePhrases(
        openers=(
            "{Topic} has moved from a side project to a regular agenda item for {audience}.",
            "For {audience}, {topic} is now a practical question rather than a theoretical one.",
            "Most conversations about {topic} start with the same question: where to begin.",
            "{Topic} rewards a clear plan and steady follow-through.",
        ),
        closers=(
            "A clear plan, reviewed regularly, keeps {topic} manageable.",
            "Treat {topic} as an ongoing practice and it becomes easier to get right.",
            "Small, consistent steps make {topic} work for {audience}.",
        ),
        ctas=(
            "Get in touch with {brand} to talk it through",
            "Talk to the {brand} team about your next step",
            "Arrange a conversation with {brand}",
        ),
    ),
    "friendly": TonePhrases(
        openers=(
            "Let us be honest: {topic} can feel like a lot when you are busy running things.",
            "If {topic} has been sitting on your to-do list, you are in good company.",
            "Here is a friendly walk through {topic}, without the jargon.",
            "Thinking about {topic}? Pull up a chair.",
        ),
        closers=(
            "You do not have to do it all at once. Pick one idea and start there.",
            "Take it one step at a time and {topic} gets a lot less daunting.",
            "Start small, keep going, and you will be surprised how far it takes you.",
        ),
        ctas=(
            "Say hello to the {brand} team",
            "Drop {brand} a message and we will help you get started",
            "Have a chat with {brand}",
        ),
        contractions=True,
    ),
    "playful": TonePhrases(
        openers=(
            "{Topic}: less scary than it sounds, and more fun than you would think.",
            "Good news: {topic} does not require a cape, a crystal ball or a spare weekend.",
            "Let us talk about {topic}. Snacks optional, curiosity required.",
            "Ever looked at {topic} and thought, where do I even start? Same. Let us fix that.",
        ),
        closers=(
            "There you have it: {topic}, minus the headache.",
            "Go on, try one idea this week. Future you will be pleased.",
            "And that is {topic}, with fewer grey hairs along the way.",
        ),
        ctas=(
            "Give {brand} a shout",
            "Come and say hi to {brand}",
            "Ping the {brand} team",
        ),
        asides=(
            "Yes, really.",
            "No cape required.",
            "Coffee helps, too.",
            "Easier than assembling flat-pack furniture.",
            "Trust the process, even on a Monday.",
        ),
        contractions=True,
        exclaim=True,
    ),
    "authoritative": TonePhrases(
        openers=(
            "{Topic} is not optional for {audience}; it is part of doing the work properly.",
            "There is a right way to approach {topic}, and it starts with discipline.",
            "Here is a clear, structured view of {topic} for {audience}.",
            "Getting {topic} right depends on a few fundamentals applied consistently.",
        ),
        closers=(
            "Apply these fundamentals consistently and {topic} becomes a strength.",
            "The principles are simple; the discipline to follow them is what matters.",
            "Follow the structure above and review it on a fixed schedule.",
        ),
        ctas=(
            "Speak with {brand}",
            "Book a working session with {brand}",
            "Contact {brand} to plan your approach",
        ),
    ),
    "inspirational": TonePhrases(
        openers=(
            "Every meaningful change starts with a single decision, and {topic} is no different.",
            "Imagine what {topic} could look like for {audience} a year from now.",
            "{Topic} is an invitation to do things a little better than yesterday.",
            "Behind every step forward with {topic} is someone who decided to begin.",
        ),
        closers=(
            "The next step is yours, and it can start today.",
            "Progress with {topic} is built one brave decision at a time.",
            "Keep the bigger picture in view and let each small step count.",
        ),
        ctas=(
            "Start the conversation with {brand}",
            "Take the first step with {brand}",
            "Reach out to {brand} and begin",
        ),
        asides=(
            "Every step counts.",
            "Momentum is built, not found.",
            "Begin where you are.",
        ),
    ),
}


def tone_phrases(tone: str) -> TonePhrases:
    return TONE_PHRASES.get(tone, TONE_PHRASES["professional"])

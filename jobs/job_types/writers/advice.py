"""Topic-neutral advice sentences grouped by theme, shared by the long-form writers.

Every sentence is general guidance rather than a claim about the brand, so none of it needs
a verified fact behind it. Placeholders: {topic}, {audience}, {brand}, {focus}.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Theme:
    """One section idea: how to head it, what it is about, and what to say."""

    key: str
    heading: str
    short: str
    focus: str
    sentences: tuple[str, ...]


THEMES: tuple[Theme, ...] = (
    Theme(
        "why",
        "Why {topic} matters right now",
        "why it matters",
        "the case for acting early",
        (
            "Attention is limited, and {audience} decide quickly what deserves their time.",
            "When {topic} is handled well, it quietly removes friction from everyday decisions.",
            "Ignoring {topic} rarely makes it go away; it usually makes the eventual fix larger.",
            "Planning for {topic} early leaves more options open later.",
            "It also shapes how people feel about working with you, long before they say so.",
            "Seen this way, {topic} is less a trend to chase and more a habit to build.",
            "The real question is how much attention {topic} deserves this quarter.",
        ),
    ),
    Theme(
        "start",
        "Where to start with {topic}",
        "where to start",
        "the first steps",
        (
            "Begin by writing down what you already do, even if it feels informal.",
            "A simple list of current habits often shows where the quick improvements are.",
            "Choose one area to improve first rather than trying to change everything at once.",
            "Agree who owns {topic} day to day, so decisions do not stall.",
            "Set a modest first milestone that you can reach within a few weeks.",
            "Keep notes as you go; they become the playbook for the next round.",
        ),
    ),
    Theme(
        "questions",
        "Questions {audience} ask about {topic}",
        "the questions people ask",
        "the questions people ask",
        (
            "How much time will this take each week, and who will do it?",
            "What does a sensible first version look like?",
            "Which parts can be simplified, and which need more care?",
            "How will we know whether it is working?",
            "Answering these questions in writing turns a vague idea into a plan.",
            "If a question has no clear answer yet, note it and revisit it after the first "
            "milestone.",
        ),
    ),
    Theme(
        "mistakes",
        "Common mistakes to avoid with {topic}",
        "mistakes to avoid",
        "common mistakes",
        (
            "One frequent mistake is starting with tools before agreeing on the goal.",
            "Measuring everything is another trap, because it hides what matters.",
            "Teams stumble when {topic} becomes one person's side job with no time set aside "
            "for it.",
            "Copying someone else's approach wholesale rarely fits your situation.",
            "Skipping the review step means the same problems tend to return next quarter.",
            "Each of these is easy to fix once it has been named.",
        ),
    ),
    Theme(
        "plan",
        "Building a simple plan for {topic}",
        "building a simple plan",
        "your plan",
        (
            "A useful plan fits on one page: the goal, the first steps, the owner and the "
            "review date.",
            "Break the work into pieces small enough to finish in a week.",
            "Put the review date in the calendar now, while everyone agrees it matters.",
            "Leave room in the plan for what you learn along the way.",
            "Share the plan with the people it affects, and invite their questions early.",
            "A plan that people understand is worth more than a detailed one nobody reads.",
        ),
    ),
    Theme(
        "measure",
        "Measuring progress with {topic}",
        "measuring progress",
        "measurement",
        (
            "Pick two or three signals that tell you whether things are moving in the right "
            "direction.",
            "Record a starting point before you change anything, so comparisons are fair.",
            "Look at trends over several weeks rather than reacting to a single day.",
            "Where numbers are hard to get, regular conversations with {audience} fill the gap.",
            "Share what you measure with the team so that progress is visible.",
            "If a measure stops helping you decide, replace it.",
        ),
    ),
    Theme(
        "habits",
        "Making {topic} part of everyday work",
        "making it part of everyday work",
        "everyday habits",
        (
            "Changes last longer when they fit into routines people already have.",
            "Attach {topic} to an existing meeting or checklist rather than creating a new one.",
            "Short, regular check-ins are easier to sustain than occasional big pushes.",
            "Make the next action obvious, so nobody has to wonder what to do.",
            "Celebrate small wins; they keep momentum going.",
            "Over time, {topic} stops feeling like a project and starts feeling like normal work.",
        ),
    ),
    Theme(
        "people",
        "Bringing your team along",
        "bringing your team along",
        "your team",
        (
            "People support what they help to shape, so involve them early.",
            "Explain the why behind {topic} before the how.",
            "Give each person one clear responsibility rather than a share of everything.",
            "Make it easy to raise concerns, and respond to them visibly.",
            "Training does not need to be formal; a short walkthrough and a written summary "
            "often do the job.",
            "When the team sees the benefit in their own work, adoption follows.",
        ),
    ),
    Theme(
        "simple",
        "Keeping {topic} simple as you grow",
        "keeping it simple as you grow",
        "simplicity",
        (
            "Growth adds complexity on its own, so resist adding more than you need.",
            "Review your process twice a year and remove steps that no longer earn their place.",
            "Document the essentials in plain language so new people can pick them up quickly.",
            "Standardise the parts that repeat, and leave room for judgement elsewhere.",
            "Simple systems are easier to explain, easier to check and easier to improve.",
        ),
    ),
    Theme(
        "learn",
        "Learning from what you try",
        "learning from what you try",
        "what you learn",
        (
            "Treat each change as an experiment with a clear question behind it.",
            "Write down what you expected to happen, then compare it with what did.",
            "Small tests are cheaper to run and easier to undo.",
            "Share what did not work as openly as what did; both save time later.",
            "Over a few cycles, these notes become a practical guide written for your own "
            "situation.",
        ),
    ),
    Theme(
        "talk",
        "Talking about {topic} with {audience}",
        "talking about it with your audience",
        "communication",
        (
            "Use the words {audience} use, not internal jargon.",
            "Lead with what changes for them, then explain the detail.",
            "Keep updates short and regular, so nobody is surprised.",
            "Invite questions and publish the answers where everyone can see them.",
            "Clear, honest communication is the foundation of trust.",
        ),
    ),
    Theme(
        "tools",
        "Choosing tools for {topic}",
        "choosing tools",
        "tools",
        (
            "Choose tools after you know what problem they need to solve.",
            "Start with what you already have; many needs can be met with familiar software.",
            "Try a tool with a small group before rolling it out widely.",
            "Check how easily you can export your data before committing.",
            "The right tool is the one your team will actually use.",
        ),
    ),
)

THEMES_BY_KEY: dict[str, Theme] = {theme.key: theme for theme in THEMES}

GENERAL: tuple[str, ...] = (
    "When it comes to {focus}, clarity matters more than speed.",
    "It helps to revisit {focus} after the first few weeks, once you have real experience to "
    "draw on.",
    "Keep {audience} in mind at every step; their needs are the reason {topic} matters.",
    "None of this needs a large budget, only steady attention.",
    "Write decisions down, even briefly, so the reasoning is not lost.",
    "If something feels overcomplicated, look for the simpler version.",
    "Progress here is cumulative: each small improvement makes the next one easier.",
    "A short checklist can turn a good intention into a routine.",
    "Ask for feedback early, while changes are still cheap to make.",
    "Be realistic about capacity, and plan around the time you really have.",
    "With {topic}, consistency matters more than intensity.",
    "It is fine to start imperfectly and refine as you learn.",
    "Look for the one change that would make tomorrow noticeably easier.",
    "Involve the people closest to the work; they often see the practical details first.",
    "Review {focus} at set intervals instead of waiting for a problem to force the issue.",
    "Keep the language plain, so everyone involved understands what is expected.",
    "A little structure goes a long way with {topic}.",
    "Make sure each step has a named owner and a date.",
    "Where you are unsure, test a small version before committing.",
    "Think about how {focus} looks from the point of view of {audience}.",
    "The details will differ from one organisation to the next, and that is expected.",
    "Resist the urge to adopt every idea at once; pick what fits.",
    "Good questions are often more useful than quick answers here.",
    "Revisit your assumptions about {topic} whenever circumstances change.",
    "Small improvements add up over a year.",
    "Share progress openly; it keeps people engaged and honest.",
    "Ask what would happen if you did nothing, and weigh that against the effort involved.",
    "Keep a short record of what you changed and why.",
    "Balance ambition with what your team can sustain.",
    "Plain, specific goals are easier to act on than broad ambitions.",
    "A quiet half hour with the facts in front of you is often where good decisions get made.",
    "Keep the first version small enough to review in one sitting.",
    "Notice what {audience} already do well, and build on it.",
    "Timing matters: introduce changes when people have room to absorb them.",
    "If two options look equally good, choose the one that is easier to reverse.",
    "Explain trade-offs openly, so nobody is surprised by what was left out.",
)

# Short, uncontroversial takeaways for summaries, captions and closing lines.
TAKEAWAYS: tuple[str, ...] = (
    "Start with one clear goal.",
    "Name an owner for every step.",
    "Measure a few things that matter.",
    "Review on a fixed schedule.",
    "Keep the plan on one page.",
    "Use the words your audience uses.",
    "Test small before you commit.",
    "Write down what you learn.",
    "Make the next action obvious.",
    "Involve the people closest to the work.",
)

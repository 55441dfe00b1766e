"""A testimonial's flag covers the quote and its attribution, and stops where they end."""

from __future__ import annotations

import pytest

from approvals.safety import score_text


def flagged(text: str) -> str:
    [flag] = [f for f in score_text(text).flags if f.category == "unapproved_testimonial"]
    return text[flag.start : flag.end]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "“Best cold brew in town, I'm hooked.” — Jane, Leeds. Order today for free delivery.",
            "“Best cold brew in town, I'm hooked.” — Jane, Leeds",
        ),
        (
            '"I love the new roast," says Mark from Bristol. Our cafés open at seven.',
            '"I love the new roast," says Mark from Bristol',
        ),
        (
            "“Our team finally agrees on coffee” Sarah, Manchester! Visit us this week.",
            "“Our team finally agrees on coffee” Sarah, Manchester",
        ),
        (
            "Customers say: “I would recommend it to anyone.” Our beans are roasted weekly.",
            "“I would recommend it to anyone.”",
        ),
    ],
)
def test_the_flag_stops_at_the_end_of_the_quote_and_its_attribution(text, expected):
    excerpt = flagged(text)
    assert excerpt.rstrip(" .") == expected.rstrip(" .")
    assert not any(word in excerpt for word in ("Order", "Our cafés", "Visit", "roasted"))

"""Safety scorer speed: a 1,500-word article, median and best of repeated runs."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from approvals.safety import score_text

ARTICLE = Path(__file__).resolve().parent.parent / "tests" / "safety_corpus" / "long_article.txt"


def run(database_url: str = "") -> list[tuple[str, str]]:
    article = ARTICLE.read_text()
    text = article
    while len(text.split()) < 1500:
        text += "\n\n" + article
    text = " ".join(text.split(" ")[:1500])
    facts = ["Family firm serving Leeds for 20 years (since 2004)"]
    score_text(text, facts=facts)
    timings = []
    for _ in range(50):
        started = time.perf_counter()
        score_text(text, facts=facts)
        timings.append((time.perf_counter() - started) * 1000)
    return [
        ("safety score of a 1,500-word article, median ms", f"{statistics.median(timings):.2f}"),
        ("safety score of a 1,500-word article, best ms", f"{min(timings):.2f}"),
    ]

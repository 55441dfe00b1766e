"""Comparing two revisions of a job: a word-level diff of texts, pairs of images and recordings."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from jobs.models import Output, ProductionJob

TEXT_KINDS = frozenset({"text", "markdown", "html", "json"})
TOKEN = re.compile(r"\s+|[^\s]+")


@dataclass
class Piece:
    text: str
    op: str  # "same", "del" (only on the left), "ins" (only on the right)


@dataclass
class Pair:
    key: str
    title: str
    kind: str
    before: Output | None
    after: Output | None
    left: list[Piece] = field(default_factory=list)
    right: list[Piece] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """True unless both sides are known to be the same (same words, or same checksum)."""
        if self.before is None or self.after is None:
            return True
        if self.kind in TEXT_KINDS:
            return any(p.op != "same" for p in self.left + self.right)
        sums = (self.before.checksum, self.after.checksum)
        return not all(sums) or sums[0] != sums[1]


def word_diff(before: str, after: str) -> tuple[list[Piece], list[Piece]]:
    """Both texts as runs of words, the left marking removed words and the right added ones."""
    a, b = TOKEN.findall(before), TOKEN.findall(after)
    left: list[Piece] = []
    right: list[Piece] = []

    def add(pieces: list[Piece], words: list[str], op: str) -> None:
        text = "".join(words)
        if not text:
            return
        if pieces and pieces[-1].op == op:
            pieces[-1].text += text
        else:
            pieces.append(Piece(text, op))

    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add(left, a[i1:i2], "same")
            add(right, b[j1:j2], "same")
        else:
            add(left, a[i1:i2], "del")
            add(right, b[j1:j2], "ins")
    return left, right


def revisions_of(job: ProductionJob) -> list[int]:
    return sorted(set(Output.objects.filter(job=job).values_list("revision", flat=True)))


def pairs(job: ProductionJob, before: int, after: int) -> list[Pair]:
    """Each deliverable of the two revisions, matched by key, in the order of the newer one."""
    # Texts first, then images and recordings, each in workflow order.
    rows = sorted(
        Output.objects.filter(job=job, revision__in=(before, after)),
        key=lambda o: (o.kind not in TEXT_KINDS, o.step, o.item, o.pk),
    )
    olds = {o.key or o.step: o for o in rows if o.revision == before}
    news = {o.key or o.step: o for o in rows if o.revision == after}
    result = []
    for key in [*news, *(k for k in olds if k not in news)]:
        old, new = olds.get(key), news.get(key)
        shown = new or old
        pair = Pair(key, shown.title or key, shown.kind, old, new)
        if shown.kind in TEXT_KINDS:
            pair.left, pair.right = word_diff(old.text if old else "", new.text if new else "")
        result.append(pair)
    return result

"""The QC sentinel against its corpus: seeded defects caught, clean deliverables left alone."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from approvals.qc import CHECK_LABELS, check_deliverable
from tests.qc_corpus.generate import Item, corpus

MIN_DEFECTS = 120
MIN_CAUGHT = 0.90
MAX_FALSE_ALARMS = 0.05


@pytest.fixture(scope="module")
def items(tmp_path_factory: pytest.TempPathFactory) -> list[Item]:
    return corpus(Path(tmp_path_factory.mktemp("qc_corpus")))


def _blocking_checks(item: Item) -> set[str]:
    return {f.check for f in check_deliverable(item.deliverable, item.brief) if f.blocking}


def test_the_sentinel_catches_seeded_defects_and_spares_clean_work(items: list[Item]) -> None:
    defects = [i for i in items if i.defect]
    clean = [i for i in items if not i.defect]
    caught: Counter[str] = Counter()
    seeded: Counter[str] = Counter()
    missed, alarms = [], []
    for item in defects:
        seeded[item.defect] += 1
        # Caught means the right check fired, not merely that something did.
        if item.defect in _blocking_checks(item):
            caught[item.defect] += 1
        else:
            missed.append(item.id)
    for item in clean:
        if found := _blocking_checks(item):
            alarms.append(f"{item.id}: {sorted(found)}")
    recall = sum(caught.values()) / len(defects)
    false_alarms = len(alarms) / len(clean)
    print(f"\nQC corpus: {len(defects)} seeded defects, {len(clean)} clean deliverables")
    for check in sorted(seeded):
        print(f"  {CHECK_LABELS[check]:<40} {caught[check]:>3}/{seeded[check]}")
    print(
        f"caught {recall:.1%} of seeded defects; false alarms on {false_alarms:.1%} of clean ones"
    )
    kinds = Counter(i.deliverable.kind for i in items)
    print("by kind:", ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    assert len(defects) >= MIN_DEFECTS
    assert {"image", "audio", "video"} <= set(kinds)
    assert recall >= MIN_CAUGHT, missed
    assert false_alarms <= MAX_FALSE_ALARMS, alarms


def test_every_check_has_seeded_defects(items: list[Item]) -> None:
    seeded = {i.defect for i in items if i.defect}
    never_seeded = set(CHECK_LABELS) - seeded - {"unreadable"}
    assert not never_seeded

"""Planner benchmark: parse, validate and decompose times for a 60-scene treatment."""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from jobs.planner import (  # noqa: E402
    decompose,
    normalise_inputs,
    parse_treatment,
    plan,
    validate_manifest,
)
from jobs.planner.builder import build_manifest  # noqa: E402

RUNS = 50
SCENES = 60
PARSE_BUDGET_MS = 100.0  # the planner's stated budget for parsing


def sixty_scene_treatment() -> str:
    """A treatment in the common markdown style, with timecodes and a chart every tenth scene."""
    blocks = ["# Benchmark explainer — 300-second video for YouTube", "Tone: confident"]
    for n in range(1, SCENES + 1):
        start, end = (n - 1) * 5, n * 5
        lines = [
            f"## Scene {n}: Beat {n} ({start // 60}:{start % 60:02d}-{end // 60}:{end % 60:02d})",
            f"Visual: Shot {n} of the product in use, warm light, shallow depth of field.",
            f"VO: Line {n} explains one more reason teams choose the product every day.",
            f"On-screen text: Reason {n}",
        ]
        if n % 10 == 0:
            lines += ["Chart: Hours saved", "- Q1: 12%", "- Q2: 18%", "- Q3: 25%"]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _median_ms(action: Callable[[], Any], runs: int = RUNS) -> float:
    action()  # warm caches (compiled regexes, the schema validator)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(samples), 3)


def run() -> dict[str, float | int | bool]:
    """Median milliseconds over RUNS runs for each planner stage on a 60-scene treatment."""
    text = sixty_scene_treatment()
    parsed = parse_treatment(text)
    inputs = normalise_inputs({"duration_seconds": 300}, None, parsed.hints)
    manifest = build_manifest(parsed, inputs)
    assert len(parsed.scenes) == SCENES and not validate_manifest(manifest)
    parse_ms = _median_ms(lambda: parse_treatment(text))
    validate_ms = _median_ms(lambda: validate_manifest(manifest))
    decompose_ms = _median_ms(lambda: decompose(manifest))
    figures: dict[str, float | int | bool] = {
        "scenes": SCENES,
        "runs": RUNS,
        "parse_ms": parse_ms,
        "validate_ms": validate_ms,
        "decompose_ms": decompose_ms,
        "parse_validate_decompose_ms": round(parse_ms + validate_ms + decompose_ms, 3),
        "plan_ms": _median_ms(lambda: plan(text, user={"duration_seconds": 300}), runs=10),
        "dag_nodes": len(decompose(manifest)),
        "parse_within_budget": parse_ms < PARSE_BUDGET_MS,
    }
    return figures


if __name__ == "__main__":
    for name, value in run().items():
        print(f"planner {name}: {value}")

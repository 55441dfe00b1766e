"""Fitting scenes to their narration: a scene never ends before its speech does. Time is
taken from scenes with room to spare first; what is still missing lengthens the video."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

TAIL = 0.4  # seconds of picture after the last word, so speech never meets the cut
MIN_SCENE = 2.0


@dataclass(frozen=True)
class Fit:
    """Scene durations after fitting, and a sentence per scene that had to change."""

    durations: tuple[float, ...]
    warnings: tuple[str, ...]

    @property
    def total(self) -> float:
        return round(sum(self.durations), 3)


def fit_scenes(planned: Sequence[float], speech: Sequence[float], *, tail: float = TAIL) -> Fit:
    """Durations where each scene lasts at least its speech plus `tail`.

    Scenes whose speech is longer than planned grow; the time comes first from scenes with
    slack (never below their own speech plus tail, nor below MIN_SCENE), so the video keeps
    its planned length when it can, and runs longer only by what cannot be found.
    """
    if len(planned) != len(speech):
        raise ValueError("one speech length per scene")
    need = [max(float(s) + tail, MIN_SCENE) if s > 0 else 0.0 for s in speech]
    durations = [max(float(p), n) for p, n in zip(planned, need, strict=True)]
    extra = sum(durations) - sum(float(p) for p in planned)
    warnings: list[str] = []
    for number, (p, d) in enumerate(zip(planned, durations, strict=True), start=1):
        if d > p + 1e-6:
            warnings.append(
                f"Scene {number}: narration runs {float(speech[number - 1]):.1f} s, too long "
                f"for its planned {float(p):.1f} s; the scene now lasts {d:.1f} s"
            )
    if extra > 0:
        for index, (p, d) in enumerate(zip(planned, durations, strict=True)):
            floor = max(need[index], MIN_SCENE)
            if d > p + 1e-6 or d <= floor:
                continue
            take = min(d - floor, extra)
            durations[index] = d - take
            extra -= take
            if extra <= 1e-6:
                break
    durations = [round(d, 3) for d in durations]
    if extra > 1e-3:
        warnings.append(
            f"The narration needs {extra:.1f} s more than the plan: the video runs "
            f"{sum(durations):.1f} s instead of {sum(float(p) for p in planned):.1f} s"
        )
    elif warnings:
        warnings.append("Other scenes were shortened so the video keeps its planned length")
    return Fit(tuple(durations), tuple(warnings))

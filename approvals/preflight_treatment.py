"""Pre-flight of a video treatment: its planned scenes are checked before anything is
rendered, so the client answers for them while nothing has been spent.

Every scene's narration and on-screen text is scored like a brief (claims without a verified
fact become questions), searched for unsafe content (personal data, profanity or hate,
disparaging a competitor) and screened for prompt injection, and the whole plan is checked
for the names and numbers of the brief that no scene carries. Unsafe content and injections
block: they must go before the video is rendered. Claims are questions for the client, and a
missing name or number is a warning.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from approvals.preflight import Preflight, _question
from approvals.qc.text import brief_details
from approvals.safety.flags import CATEGORY_LABELS, TRUTH_CATEGORIES, quote_excerpt
from approvals.scoring import score_for_client
from jobs.prompt_screen import screen_text
from production.models import Client

UNSAFE_CATEGORIES = frozenset({"personal_data", "profanity_hate", "competitor_disparagement"})
BLOCKING, QUESTION, WARNING = "blocking", "question", "warning"
LEVELS = (BLOCKING, QUESTION, WARNING)
LEVEL_NAMES = {BLOCKING: "blocking", QUESTION: "question(s) for the client", WARNING: "warning(s)"}


@dataclass(frozen=True)
class TreatmentFinding:
    """One thing pre-flight found in the plan: where, how serious, and what to do."""

    level: str
    kind: str
    scene: str
    excerpt: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {
            "level": self.level,
            "kind": self.kind,
            "scene": self.scene,
            "excerpt": self.excerpt,
            "message": self.message,
        }


@dataclass(frozen=True)
class TreatmentPreflight:
    findings: tuple[TreatmentFinding, ...]
    scenes: int

    @property
    def blocking(self) -> list[TreatmentFinding]:
        return [f for f in self.findings if f.level == BLOCKING]

    @property
    def questions(self) -> list[str]:
        return [f.message for f in self.findings if f.level == QUESTION]

    @property
    def ready(self) -> bool:
        """Nothing blocks rendering and no question waits for the client."""
        return not any(f.level in (BLOCKING, QUESTION) for f in self.findings)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ready": self.ready,
            "scenes": self.scenes,
            "blocking": len(self.blocking),
            "questions": self.questions,
            "findings": [f.as_dict() for f in self.findings],
        }


def scene_texts(manifest: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(scene label, words the audience hears or reads) for every scene of a manifest."""
    texts = []
    for number, scene in enumerate(manifest.get("scenes") or [], start=1):
        if not isinstance(scene, Mapping):
            continue
        label = str(scene.get("title") or f"Scene {scene.get('index', number)}")
        words = [scene.get("narration"), scene.get("on_screen_text")]
        text = "\n".join(w.strip() for w in words if isinstance(w, str) and w.strip())
        if text:
            texts.append((label, text))
    return texts


def _plan(treatment: str, client: Client | None, title: str) -> Mapping[str, Any]:
    from jobs.planner import PlannerInputError, plan

    try:
        return plan(treatment, title=title, profile=client.brand() if client else None).manifest
    except PlannerInputError:
        return {}


def _mentions(text: str, detail: str) -> bool:
    pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, detail.split())) + r"(?!\w)"
    return re.search(pattern, text, re.IGNORECASE) is not None


def _scene_findings(label: str, text: str, client: Client | None) -> list[TreatmentFinding]:
    # "Scene 2" names itself; a heading ("Hook", "Call to action") is named as a scene.
    where = label if label.startswith(("Scene ", "The treatment")) else f"The scene “{label}”"
    found = []
    report = score_for_client(text, client)
    for flag in report.flags:
        excerpt = quote_excerpt(flag.excerpt, 60)
        if flag.category in TRUTH_CATEGORIES and flag.category != "uncovered_language":
            question = _question(flag.as_dict()).replace("The brief", where, 1)
            found.append(TreatmentFinding(QUESTION, flag.category, label, excerpt, question))
        elif flag.category in UNSAFE_CATEGORIES:
            what = CATEGORY_LABELS[flag.category].lower()
            found.append(
                TreatmentFinding(
                    BLOCKING,
                    flag.category,
                    label,
                    excerpt,
                    f"{where} would put {what} on screen or in the narration (“{excerpt}”): "
                    "change the treatment before the video is rendered.",
                )
            )
    for injection in screen_text(text, label):
        found.append(
            TreatmentFinding(
                BLOCKING,
                "prompt_injection",
                label,
                injection.quote,
                f"{where} contains text that {injection.explanation} (“{injection.quote}”): "
                "remove it before the video is rendered.",
            )
        )
    return found


def preflight_treatment(
    client: Client | None,
    *,
    treatment: str = "",
    manifest: Mapping[str, Any] | None = None,
    topic: str = "",
    title: str = "",
    language: str = "",
) -> TreatmentPreflight:
    """Check the plan of a video before rendering: `manifest` when it is planned, else the
    planner's reading of `treatment`. `topic` names what the video must carry."""
    if manifest is None:
        manifest = _plan(treatment, client, title) if treatment.strip() else {}
    texts = scene_texts(manifest)
    if not texts and treatment.strip():
        texts = [("The treatment", treatment)]
    findings: list[TreatmentFinding] = []
    for label, text in texts:
        findings += _scene_findings(label, text, client)
    everything = "\n".join(text for _, text in texts)
    missing = [d for d in brief_details(topic, language) if not _mentions(everything, d)]
    if texts and missing:
        named = ", ".join(f"“{m}”" for m in missing)
        findings.append(
            TreatmentFinding(
                WARNING,
                "missing_details",
                "",
                ", ".join(missing),
                f"The brief names {named}; no scene's narration or on-screen text carries "
                f"{'it' if len(missing) == 1 else 'them'}.",
            )
        )
    return TreatmentPreflight(tuple(findings), len(texts))


def preflight_video_job(job: Any) -> TreatmentPreflight | None:
    """The pre-flight of a video job's plan (or of its treatment before it is planned)."""
    inputs = job.input_data or {}
    treatment = inputs.get("treatment")
    if not isinstance(treatment, str) or not treatment.strip():
        return None
    from jobs.models import Manifest

    # The job page has usually loaded the manifest already (jobs.workflows.video caches it).
    record = getattr(job, "_manifest_cache", None)
    if record is None:
        record = Manifest.objects.filter(job=job).only("manifest").first()
    return preflight_treatment(
        job.client,
        treatment=treatment,
        manifest=record.manifest if record is not None else None,
        topic=str(inputs.get("topic") or ""),
        title=job.title,
        language=str(inputs.get("language") or ""),
    )


def record_before_run(sender: Any, job: Any, **kwargs: Any) -> bool:
    """Receiver of lifecycle.run_requested: a video job's plan is checked as its run is about
    to start, and what was found goes into its history, before any rendering is paid for.
    It never holds the run (answering the questions is the client's part)."""
    if getattr(job, "job_type", "") != "video":
        return False
    found = preflight_video_job(job)
    if found is None or not found.findings:
        return False
    from jobs import lifecycle

    counts = {level: sum(f.level == level for f in found.findings) for level in LEVELS}
    parts = [f"{n} {LEVEL_NAMES[level]}" for level, n in counts.items() if n]
    lifecycle.record_event(
        job,
        "preflight.treatment",
        note="Pre-flight of the treatment before rendering: "
        + ", ".join(parts)
        + ". "
        + " ".join(f.message for f in found.findings[:5]),
        payload=found.as_dict(),
    )
    return False


__all__ = [
    "Preflight",
    "TreatmentPreflight",
    "preflight_treatment",
    "preflight_video_job",
    "record_before_run",
]

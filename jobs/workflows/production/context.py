"""What a production step's handler works with: the brief, upstream data, and output writers."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.core.files.storage import default_storage

from jobs.models import Output
from jobs.provider_runtime import configured_providers
from jobs.providers import TextRequest
from jobs.workflows.base import OutputSpec, StepContext, StepFailure
from jobs.workflows.production.brief import Brief, read_brief

DATA_KEY = "data"
SYSTEM_PROMPT = (
    "You are {role} on a production team. Improve the draft for the brand and brief below. "
    "Keep its structure, headings, tables, numbers and limits. Never invent statistics, "
    "testimonials, guarantees or health or financial promises. Reply with the document only."
)


@dataclass
class Production:
    """One step of a production: the StepContext plus the brief and what earlier steps made."""

    ctx: StepContext
    role: str
    reads: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def brief(self) -> Brief:
        job = self.ctx.job
        return read_brief(self.ctx.inputs, brand=self.ctx.brand, title=job.title)

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.ctx.step.params)

    @property
    def feedback(self) -> list[str]:
        return list(self.ctx.feedback)

    # --- reading earlier steps ------------------------------------------------------------

    def data(self, step: str) -> dict[str, Any]:
        """The data an earlier step of this revision returned; a missing step is an error."""
        found = self._data_rows(step)
        if not found:
            raise StepFailure(
                f"{self.ctx.step.label} needs the result of “{step}”, which is missing."
            )
        return found[0]

    def data_or_none(self, step: str) -> dict[str, Any] | None:
        found = self._data_rows(step)
        return found[0] if found else None

    def group_data(self, group: str) -> list[dict[str, Any]]:
        """The data of every batch of a fan-out, in batch order."""
        return self._data_rows(group, prefix=True)

    def _data_rows(self, step: str, *, prefix: bool = False) -> list[dict[str, Any]]:
        qs = Output.objects.filter(job=self.ctx.job, revision=self.ctx.revision, key=DATA_KEY)
        qs = qs.filter(step__startswith=f"{step}.") if prefix else qs.filter(step=step)
        rows = list(qs.order_by("step").values_list("step", "text"))
        self.reads.update({name: True for name, _ in rows})
        self.ctx.input_snapshot.setdefault("read", sorted(self.reads))
        self.ctx.input_snapshot["read"] = sorted(self.reads)
        return [json.loads(text) for _, text in rows]

    def files(self, step: str) -> list[Output]:
        return list(
            Output.objects.filter(job=self.ctx.job, revision=self.ctx.revision, step=step)
            .exclude(file="")
            .order_by("item")
        )

    @staticmethod
    def file_bytes(output: Output) -> bytes:
        with default_storage.open(output.file.name, "rb") as handle:
            return handle.read()

    # --- writing --------------------------------------------------------------------------

    def _next_item(self) -> int:
        return len(self.ctx.outputs) + 1  # item 0 is the step's data

    def add(self, spec: OutputSpec) -> OutputSpec:
        spec.item = self._next_item()
        return self.ctx.add_output(spec)

    def document(
        self, key: str, title: str, markdown: str, *, purpose: str = "", scored: bool | str = True
    ) -> str:
        """A markdown deliverable, rewritten by the model chain when a hosted model is set.

        Copy a client publishes is scored for safety; `scored=False` marks a planning
        document (schedules, budgets, QC), and a string scores just that part (the captions).
        """
        text = self.polish(purpose or title, markdown)
        self.add(
            OutputSpec(
                kind="markdown",
                key=key,
                title=title,
                text=text,
                metadata={"word_count": len(text.split()), "role": self.role},
                scored_text=None if scored is True else (scored or ""),
            )
        )
        return text

    def table(self, key: str, title: str, rows: list[dict[str, Any]]) -> None:
        """A table as CSV (for spreadsheets); rows share their first row's columns."""
        if not rows:
            return
        columns = list(rows[0])
        lines = [",".join(columns)]
        for row in rows:
            lines.append(",".join(_csv_cell(row.get(c, "")) for c in columns))
        self.add(
            OutputSpec(
                kind="text",
                key=key,
                title=title,
                text="\n".join(lines) + "\n",
                metadata={"columns": columns, "rows": len(rows), "format": "csv"},
                scored_text="",  # data, not copy: nothing here makes a claim
            )
        )

    def file(
        self, key: str, title: str, content: bytes, filename: str, mime: str, **meta: Any
    ) -> None:
        self.add(
            OutputSpec(
                kind="image"
                if mime.startswith("image/")
                else "video"
                if mime.startswith("video/")
                else "text",
                key=key,
                title=title,
                content=content,
                filename=filename,
                mime_type=mime,
                metadata=meta,
                scored_text=meta.get("text"),
            )
        )

    # --- the model chain ------------------------------------------------------------------

    def _messages(self, purpose: str, draft: str, *, reply: str = "") -> list[dict[str, str]]:
        """The instructions and context go in the system message; the draft is the user's."""
        brand = self.ctx.brand
        feedback = "\n".join(f"- {f}" for f in self.feedback) or "- (none)"
        facts = "\n".join(f"- {f}" for f in brand.get("verified_facts") or []) or "- (none)"
        system = (
            f"{SYSTEM_PROMPT.format(role=self.role)}{reply}\n\n"
            f"Brand: {brand.get('name')}\nVoice: {brand.get('voice', '')}\n"
            f"Verified facts:\n{facts}\nBrief: {self.brief.text}\n"
            f"Reviewer feedback to apply:\n{feedback}\n\nTask: {purpose}"
        )
        return [{"role": "system", "content": system}, {"role": "user", "content": draft}]

    def polish(self, purpose: str, draft: str) -> str:
        """The draft through the text chain (the built-in provider keeps it as it is)."""
        messages = self._messages(purpose, draft)
        self.ctx.record_prompt(purpose, messages)
        request = TextRequest(messages=messages, draft=draft)
        result = configured_providers().chain("text").call(request)
        self.ctx.record_attempts(result.attempts)
        return result.value.text

    def ask_json(self, purpose: str, instructions: str, draft: Any) -> Any:
        """Structured data from the chain; the built-in provider answers with `draft`.

        An answer that is not JSON raises, so the step is retried (a model may do better).
        """
        draft_text = json.dumps(draft, ensure_ascii=False)
        messages = self._messages(
            f"{purpose}. {instructions}",
            draft_text,
            reply=" Reply with JSON only, in the draft's shape.",
        )
        self.ctx.record_prompt(purpose, messages)
        request = TextRequest(messages=messages, draft=draft_text)
        result = configured_providers().chain("text").call(request)
        self.ctx.record_attempts(result.attempts)
        # Models wrap JSON in prose or fences ("Here it is: {...}"): read the outermost object.
        answer = result.value.text
        start, end = answer.find("{"), answer.rfind("}")
        try:
            return json.loads(answer[start : end + 1] if 0 <= start < end else answer)
        except ValueError:
            raise ValueError(f"{purpose}: the model's answer was not JSON") from None


def _csv_cell(value: Any) -> str:
    text = str(value)
    if any(c in text for c in ',"\n'):
        return '"' + text.replace('"', '""') + '"'
    return text

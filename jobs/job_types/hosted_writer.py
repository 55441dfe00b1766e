"""A deliverable rewritten by the text chain: JSON asked for, validated, repaired, or the draft kept.

The chain's last provider is the built-in one, which hands back the built-in writer's draft;
a hosted reply must match its output type's JSON Schema. An invalid reply is sent back once or
twice with what is wrong ("sections: [] should be non-empty"); if it is still invalid the
built-in draft is kept, so a job never ends with unvalidated model output.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from jobs.feedback import Instruction
from jobs.providers import Attempt, ProviderChain, TextRequest, is_local

from .deliverable import Deliverable
from .prompts import messages_for, repair_message

REPAIRS = 2  # follow-up turns after an invalid reply, before the draft is kept
_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.I)

PLAIN_SYSTEM = (
    "You are a senior copywriter. Rewrite the draft for the brand below. Keep its structure, "
    "headings, limits and facts. Never invent statistics, testimonials, guarantees or "
    "superlatives; use only the verified facts given. Reply with the finished copy only."
)


@dataclass
class Rewrite:
    text: str
    hosted: bool
    attempts: list[Attempt] = field(default_factory=list)
    prompts: list[list[dict[str, str]]] = field(default_factory=list)
    # Why a hosted reply was refused, when the draft was kept because of it.
    problems: list[str] = field(default_factory=list)


def parse_reply(raw: str) -> Any:
    """The JSON value in a reply, fences and chatter around one object tolerated."""
    text = _FENCE.sub("", raw.strip())
    try:
        return json.loads(text)
    except ValueError:
        start, end = text.find("{"), text.rfind("}")
        if start < 0 or end <= start:
            raise
        return json.loads(text[start : end + 1])


def rewrite(
    chain: ProviderChain,
    deliverable: Deliverable,
    *,
    brand: Mapping[str, Any],
    testimonials: Sequence[Mapping[str, Any]] = (),
    description: str = "",
    instructions: Sequence[Instruction] = (),
    structured: bool = True,
) -> Rewrite:
    """Rewrite one deliverable through `chain`; `structured=False` accepts plain-text replies."""
    if not structured:
        return _plain(chain, deliverable, brand, instructions)
    messages, shape = messages_for(
        deliverable,
        brand=brand,
        testimonials=testimonials,
        description=description,
        instructions=instructions,
    )
    done = Rewrite(deliverable.text, hosted=False)
    for _ in range(1 + REPAIRS):
        done.prompts.append(messages)
        request = TextRequest(
            messages=messages, draft=deliverable.text, max_tokens=2000, temperature=0.4
        )
        result = chain.call(request)
        done.attempts += result.attempts
        if is_local(result.provider):  # the built-in draft is already the copy
            return done
        raw = result.value.text
        try:
            problems = shape.errors(reply := parse_reply(raw))
        except ValueError as exc:
            problems = [f"(top level): the reply is not JSON ({exc})"]
        if not problems:
            done.text, done.hosted, done.problems = shape.render(reply), True, []
            return done
        done.problems = problems
        messages = [*messages, *repair_message(raw, problems)]
    return done


def _plain(
    chain: ProviderChain,
    deliverable: Deliverable,
    brand: Mapping[str, Any],
    instructions: Sequence[Instruction],
) -> Rewrite:
    facts = "\n".join(f"- {f}" for f in brand.get("verified_facts") or []) or "- (none)"
    asked = "\n".join(f"- {i.label}" for i in instructions) or "- (none)"
    messages = [
        {"role": "system", "content": PLAIN_SYSTEM},
        {
            "role": "user",
            "content": (
                f"Brand: {brand.get('name')}\nVoice: {brand.get('voice', '')}\n"
                f"Audience: {brand.get('audience', '')}\nVerified facts:\n{facts}\n"
                f"Reviewer feedback to apply:\n{asked}\n\n"
                f"Deliverable: {deliverable.title}\n\nDraft:\n{deliverable.text}"
            ),
        },
    ]
    result = chain.call(TextRequest(messages=messages, draft=deliverable.text))
    text = result.value.text
    return Rewrite(text, text != deliverable.text, list(result.attempts), [messages])

"""The three production workflows that ship (seed 003's graphs), as definitions, and their seeding."""

from __future__ import annotations

from typing import Any

BRIEF_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["brief"],
    "properties": {
        "brief": {"type": "string", "minLength": 20, "maxLength": 5000},
        "budget_usd": {"type": "number", "minimum": 0, "maximum": 100000000},
        "duration_seconds": {"type": "integer", "minimum": 6, "maximum": 600},
        "concepts": {"type": "integer", "minimum": 10, "maximum": 500},
        "trend_data": {
            "type": "array",
            "maxItems": 50,
            "items": {
                "type": "object",
                "required": ["topic"],
                "properties": {
                    "topic": {"type": "string", "minLength": 1, "maxLength": 120},
                    "platform": {"type": "string", "maxLength": 30},
                    "growth_pct": {"type": "number"},
                    "engagement_rate": {"type": "number", "minimum": 0, "maximum": 100},
                },
            },
        },
        "attachments": {
            "type": "array",
            "maxItems": 10,
            "items": {
                "type": "object",
                "required": ["name", "text"],
                "properties": {
                    "name": {"type": "string", "minLength": 1, "maxLength": 200},
                    "text": {"type": "string", "maxLength": 20000},
                },
                "additionalProperties": False,
            },
        },
    },
    "additionalProperties": False,
}


def _needs(*steps: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": list(steps),
        "properties": {s: {"type": "object"} for s in steps},
    }


def _out(*keys: str, **extra: Any) -> dict[str, Any]:
    return {"type": "object", "required": list(keys), **extra}


def task(name: str, label: str, role: str, capability: str, depends_on: list[str],
         minutes: float, cost: tuple[float, float], *, needs: tuple[str, ...] = (),
         output: dict[str, Any] | None = None, **more: Any) -> dict[str, Any]:  # fmt: skip
    return {
        "name": name,
        "label": label,
        "kind": more.pop("kind", "task"),
        "role": role,
        "capability": capability,
        "depends_on": depends_on,
        "input_schema": _needs(*needs) if needs else {"type": "object"},
        "output_schema": output or {"type": "object"},
        "estimate": {"minutes": minutes, "cost_usd": list(cost)},
        **more,
    }


def gate(name: str, label: str, approver: str, approval_type: str, reviews: str,
         depends_on: list[str], **more: Any) -> dict[str, Any]:  # fmt: skip
    return {
        "name": name,
        "label": label,
        "kind": "gate",
        "approver": approver,
        "approver_role": more.pop("approver_role", "reviewer"),
        "approval_type": approval_type,
        "reviews": reviews,
        "depends_on": depends_on,
        **more,
    }


METHODS = ["ai_only", "hybrid", "traditional"]

FILM: dict[str, Any] = {
    "brief_schema": BRIEF_SCHEMA,
    "steps": [
        task("vrd", "Video requirements document", "Creative producer", "film.vrd", [], 2, (0.02, 0.2),
             output=_out("key_messages", "deliverables", "duration")),
        task("script", "Script and scene breakdown", "Scriptwriter", "film.script", ["vrd"], 4, (0.05, 0.6),
             needs=("vrd",), output=_out("scenes", "alternatives", properties={
                 "scenes": {"type": "array", "minItems": 3},
                 "alternatives": {"type": "array", "minItems": 2, "maxItems": 2}})),
        gate("cd_gate", "Creative Director approves the script", "Creative Director", "script", "script", ["script"]),
        task("shot_list", "Shot list", "First AD", "film.shot_list", ["cd_gate"], 3, (0.03, 0.4),
             needs=("script",), output=_out("shots", properties={"shots": {"type": "array", "minItems": 3}})),
        task("solver", "Budget and method solver", "Line producer", "film.solver", ["shot_list"], 2, (0.02, 0.3),
             needs=("shot_list",), output=_out("method", "options", properties={"method": {"enum": METHODS}})),
        gate("method_gate", "Producer confirms the production method", "Producer", "budget", "solver",
             ["solver"], overrides={"choice": "method", "options": METHODS}, over_budget_role="owner"),
        task("route_ai", "AI generation plan", "AI supervisor", "film.ai_plan", ["method_gate"], 2, (0.02, 0.2),
             kind="branch", when={"choice": "method", "equals": "ai_only", "source": "solver"}),
        task("route_hybrid", "Hybrid plate and environment plan", "VFX producer", "film.hybrid_plan",
             ["method_gate"], 2, (0.02, 0.2), kind="branch",
             when={"choice": "method", "equals": "hybrid", "source": "solver"}),
        task("route_traditional", "Shoot schedule and call sheet", "Production manager", "film.traditional_plan",
             ["method_gate"], 2, (0.02, 0.2), kind="branch",
             when={"choice": "method", "equals": "traditional", "source": "solver"}),
        task("mood_board", "Mood board", "Art director", "film.mood_board",
             ["route_ai", "route_hybrid", "route_traditional"], 3, (0.1, 1.5), needs=("script",),
             output=_out("palette", "style_notes")),
        task("storyboard", "Storyboard", "Storyboard artist", "film.storyboard", ["mood_board"], 5, (0.2, 4.0),
             needs=("shot_list", "mood_board")),
        task("assembly", "Rough cut and EDL", "Assistant editor", "film.assembly", ["storyboard"], 4, (0.0, 0.5),
             needs=("script", "shot_list")),
        task("qc", "QC report", "QC operator", "film.qc", ["assembly"], 1, (0.01, 0.2), needs=("assembly",),
             output=_out("status", "checks")),
        gate("legal_gate", "Legal review of claims", "Legal counsel", "legal", "script", ["qc"],
             when={"risk": True}),
        gate("editor_gate", "Editor approves the cut", "Editor", "final_cut", "assembly", ["legal_gate"]),
        gate("director_gate", "Director signs off the cut", "Director", "final_cut", "assembly", ["editor_gate"]),
    ],
}  # fmt: skip

ADVERTISING: dict[str, Any] = {
    "brief_schema": BRIEF_SCHEMA,
    "steps": [
        task("account_brief", "Account brief", "Account director", "ad.account_brief", [], 2, (0.02, 0.2),
             output=_out("proposition", "mandatories")),
        gate("cd_gate", "Creative Director approves the brief", "Creative Director", "concept", "account_brief",
             ["account_brief"]),
        task("concepts", "Concept generator", "Creative team", "ad.concepts", ["cd_gate"], 6, (0.5, 8.0),
             kind="fanout", batches=10, needs=("account_brief",),
             output=_out("concepts", properties={"concepts": {"type": "array", "minItems": 1, "items": _out(
                 "big_idea", "visual_approach", "key_message", "emotion", "angle", "score")}})),
        task("shortlist", "Concept ranking and shortlist", "Creative director's deputy", "ad.shortlist",
             ["concepts"], 1, (0.01, 0.1), output=_out("ranked", "shortlist")),
        gate("concept_gate", "Concept review", "Creative Director", "concept", "concepts", ["shortlist"]),
        task("storyboards", "Storyboards for the shortlist", "Storyboard artist", "ad.storyboards",
             ["concept_gate"], 4, (0.2, 3.0), needs=("shortlist",)),
        gate("client_gate", "Client presentation", "Client", "storyboard", "storyboards", ["storyboards"],
             approver_role="owner"),
        task("budget", "Budget solver", "Producer", "ad.budget", ["client_gate"], 2, (0.02, 0.3),
             needs=("shortlist",), output=_out("total", "lines")),
        gate("budget_gate", "Owner chooses how to fit the budget", "Owner (over the client's budget)", "budget",
             "budget", ["budget"], approver_role="owner", when={"choice": "fits", "equals": "no", "source": "budget"},
             overrides={"choice": "budget_option", "options": ["cheaper_route", "fewer_versions", "raise_budget"]}),
        task("production", "Production (hero film)", "Director", "ad.production", ["budget_gate"], 5, (0.2, 3.0),
             needs=("shortlist", "budget")),
        task("versions", "Version generator", "Finishing editor", "ad.versions", ["production"], 6, (0.1, 2.0),
             needs=("production",), output=_out("versions")),
        gate("legal_gate", "Legal review", "Legal counsel", "legal", "versions", ["versions"]),
        task("final_qc", "Final QC", "QC operator", "ad.final_qc", ["legal_gate"], 1, (0.01, 0.1),
             needs=("versions",), output=_out("status", "checks")),
        task("traffic", "Traffic plan", "Traffic manager", "ad.traffic", ["final_qc"], 1, (0.01, 0.1),
             needs=("versions",), output=_out("placements")),
    ],
}  # fmt: skip

SOCIAL: dict[str, Any] = {
    "brief_schema": BRIEF_SCHEMA,
    "steps": [
        task("trend_brief", "Trend brief", "Trend analyst", "social.trends", [], 1, (0.01, 0.1),
             output=_out("trends", "angle")),
        task("platform_plan", "Platform plan", "Platform strategist", "social.platform_plan", ["trend_brief"],
             2, (0.02, 0.2), needs=("trend_brief",), output=_out("platforms")),
        task("posts", "Posts and short videos", "Social producer", "social.posts", ["platform_plan"], 5,
             (0.1, 2.0), needs=("platform_plan",), output=_out("posts")),
        gate("review_gate", "Social review", "Social lead", "concept", "posts", ["posts"]),
        gate("legal_gate", "Legal review of claims", "Legal counsel", "legal", "posts", ["review_gate"],
             when={"risk": True}),
        task("package", "Publishing-ready package", "Community manager", "social.package", ["legal_gate"], 1,
             (0.0, 0.05), needs=("posts",), output=_out("files", "schedule")),
    ],
}  # fmt: skip

WORKFLOWS: list[dict[str, Any]] = [
    {
        "slug": "film",
        "name": "Film/TV production",
        "workflow_type": "film",
        "description": (
            "From brief to a director-approved rough cut: requirements, a script with two "
            "alternatives, shot list, a priced choice of AI-only, hybrid or traditional "
            "production, mood board, storyboard, rough cut with EDL and a QC report."
        ),
        "definition": FILM,
    },
    {
        "slug": "advertising",
        "name": "Advertising campaign",
        "workflow_type": "advertising",
        "description": (
            "An account brief becomes 100 ranked concepts, storyboards for the shortlist, a "
            "budget, a hero film in every aspect and length, a legal review and a traffic plan."
        ),
        "definition": ADVERTISING,
    },
    {
        "slug": "social",
        "name": "Social content",
        "workflow_type": "social",
        "description": (
            "The client's own trend data becomes a platform plan, posts and short videos per "
            "platform with captions, hashtags and posting times, packaged ready to publish."
        ),
        "definition": SOCIAL,
    },
]


def seed_workflows(only: tuple[str, ...] = ()) -> int:
    """Create or update the shipped workflows (or the `only` ones); returns how many."""
    from jobs.models import ProductionWorkflow

    chosen = [w for w in WORKFLOWS if not only or w["slug"] in only]
    for spec in chosen:
        record = ProductionWorkflow.objects.filter(slug=spec["slug"]).first() or ProductionWorkflow(
            slug=spec["slug"]
        )
        for key in ("name", "workflow_type", "description", "definition"):
            setattr(record, key, spec[key])
        record.save()
    return len(chosen)

"""Advertising production steps: brief, 100 concepts in batches, boards, budget, film, versions,
QC and a traffic plan."""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from io import BytesIO
from typing import Any

from PIL import Image

from jobs.mediakit.images import render_banner
from jobs.mediakit.video import SceneClip
from jobs.workflows.production import frames
from jobs.workflows.production.capabilities import capability
from jobs.workflows.production.context import Production
from jobs.workflows.production.film import md, md_lines
from jobs.workflows.production.media import probe_bytes, render_mp4

ANGLES = [
    ("Problem and solution", 0.9), ("Product demonstration", 1.0), ("Slice of life", 0.7),
    ("The old way vs the new", 0.8), ("Understated humour", 0.6), ("Emotional story", 0.8),
    ("A challenge accepted", 0.7), ("Behind the making", 0.6), ("Numbers that matter", 0.5),
    ("Seasonal moment", 0.5), ("Community and belonging", 0.7), ("The product as hero object", 0.9),
]  # fmt: skip
EMOTIONS = ["relief", "pride", "curiosity", "joy", "confidence", "belonging", "surprise", "calm"]
VISUALS = [
    ("one continuous take", 0.9), ("macro close-ups", 0.95), ("split screen", 0.8),
    ("POV through the user's eyes", 0.85), ("stop-motion", 0.6), ("bold typographic cards", 1.0),
    ("aerial to close-up", 0.55), ("hand-drawn animation", 0.5),
]  # fmt: skip
TONE_EMOTIONS = {"warm": {"belonging", "joy", "calm"}, "bold": {"confidence", "surprise"},
                 "playful": {"joy", "surprise"}, "honest": {"relief", "confidence"},
                 "premium": {"pride", "calm"}, "energetic": {"joy", "confidence"}}  # fmt: skip
ASPECTS = {"16:9": (640, 360), "9:16": (360, 640), "1:1": (480, 480), "4:5": (432, 540)}


@capability("ad.account_brief", "Account brief", "The proposition, audience and mandatories.")
def account_brief(p: Production) -> dict[str, Any]:
    b, brand = p.brief, p.ctx.brand
    proposition = b.messages[0]
    mandatories = [f"{b.brand} logo in the final three seconds",
                   *(f"Verified: {f}" for f in brand.get("verified_facts") or []),
                   "No health, earnings or testimonial claims without substantiation"]  # fmt: skip
    doc = md(
        f"# Account brief — {b.title}",
        f"**Single-minded proposition:** {proposition}.",
        "## Audience", b.audience[0].upper() + b.audience[1:] + ".",
        "## Supporting messages", [f"- {m}." for m in b.messages[1:]] or ["- (the proposition alone)"],
        "## Tone", b.tone.capitalize() + ".",
        "## Mandatories", [f"- {m}" for m in mandatories],
        "## Deliverables", ["- Hero film 30 s, cut-down 15 s", "- 16:9, 9:16, 1:1 and 4:5, with stills"],
        "## Budget", f"${b.budget:,.0f}" if b.budget else "To be set by the budget solver.",
    )  # fmt: skip
    p.document("account_brief", "Account brief", doc, purpose="Write the account brief")
    return {"proposition": proposition, "messages": b.messages, "mandatories": mandatories,
            "tones": b.tones, "product": b.product, "concepts": int(p.ctx.inputs.get("concepts") or 100)}  # fmt: skip


def _concept(i: int, ab: dict[str, Any]) -> dict[str, Any]:
    """Concept number i, composed from the brief: angle, emotion and visual vary with i."""
    angle, angle_fit = ANGLES[i % len(ANGLES)]
    emotion = EMOTIONS[(i * 5 + i // len(ANGLES)) % len(EMOTIONS)]
    visual, producibility = VISUALS[(i * 3 + i // 7) % len(VISUALS)]
    message = ab["messages"][i % len(ab["messages"])]
    product = ab["product"]
    tone_fit = 1.0 if any(emotion in TONE_EMOTIONS.get(t, set()) for t in ab["tones"]) else 0.6
    on_proposition = 1.0 if message == ab["proposition"] else 0.75
    # Stated score: proposition 35%, brand tone 25%, producibility 20%, angle strength 20%.
    score = round(
        100 * (0.35 * on_proposition + 0.25 * tone_fit + 0.2 * producibility + 0.2 * angle_fit)
    )
    return {
        "number": i + 1,
        "title": f"{angle}: {' '.join(message.split()[:6])}",
        "big_idea": f"{angle} — {product} in {visual}, so the viewer feels {emotion} when they see that "
                    f"{message[0].lower() + message[1:]}.",
        "visual_approach": visual,
        "key_message": message,
        "emotion": emotion,
        "angle": angle,
        "score": score,
        "score_basis": {"proposition": on_proposition, "tone": tone_fit,
                        "producibility": producibility, "angle": angle_fit},
    }  # fmt: skip


@capability("ad.concepts", "Concept batch", "One batch of the concept fan-out, ranked by score.")
def concepts(p: Production) -> dict[str, Any]:
    ab = p.data("account_brief")
    total, batch, batches = ab["concepts"], p.params["batch"], p.params["batches"]
    size = math.ceil(total / batches)
    numbers = range((batch - 1) * size, min(total, batch * size))
    drafts = [_concept(i, ab) for i in numbers]
    p.ctx.progress(0, len(drafts))
    done = 0

    def ask(draft: dict[str, Any]) -> dict[str, Any]:
        return p.ask_json(
            f"Concept {draft['number']} of {total}",
            "Sharpen this advertising concept. Keep every field and the score's basis.",
            draft,
        )

    # The batch's calls run at once: with a hosted model each takes seconds.
    p.brief  # noqa: B018 - read once here, not from the threads
    results: list[dict[str, Any]] = []
    with ThreadPoolExecutor(max_workers=max(1, len(drafts))) as pool:
        for answer in pool.map(ask, drafts):
            results.append(answer)
            done += 1
    p.ctx.progress(done, len(drafts))
    p.ctx.note = f"Concepts {numbers.start + 1}–{numbers.stop} of {total}."
    return {"batch": batch, "concepts": results}


@capability(
    "ad.shortlist", "Ranking and shortlist", "All concepts ranked; the top five shortlisted."
)
def shortlist(p: Production) -> dict[str, Any]:
    everything = [c for batch in p.group_data("concepts") for c in batch["concepts"]]
    ranked = sorted(everything, key=lambda c: (-int(c["score"]), int(c["number"])))
    # The shortlist offers five different angles: the best-scoring concept of each.
    top: list[dict[str, Any]] = []
    for concept in ranked:
        if concept["angle"] not in {c["angle"] for c in top}:
            top.append(concept)
        if len(top) == 5:
            break
    p.table("concepts_csv", f"All {len(ranked)} concepts (CSV)",
            [{k: c[k] for k in ("number", "score", "angle", "emotion", "visual_approach", "key_message", "big_idea")}
             for c in ranked])  # fmt: skip
    doc = md(
        f"# {len(ranked)} concepts, ranked",
        "Score: fit to the proposition 35%, brand tone 25%, producibility 20%, strength of angle 20%.",
        "## Shortlist (the best concept of five different angles)",
        [f"{i}. **{c['title']}** ({c['score']}) — {c['big_idea']}" for i, c in enumerate(top, 1)],
        "## Top twenty",
        ["| Rank | # | Score | Angle | Emotion | Visual |", "|---|---|---|---|---|---|",
         *[f"| {r} | {c['number']} | {c['score']} | {c['angle']} | {c['emotion']} | {c['visual_approach']} |"
           for r, c in enumerate(ranked[:20], 1)]],
    )  # fmt: skip
    p.document("ranking", "Concept ranking", doc, purpose="Rank the concepts")
    return {"ranked": [c["number"] for c in ranked], "shortlist": top, "count": len(ranked)}


@capability(
    "ad.storyboards", "Shortlist storyboards", "Four frames for each of the top three concepts."
)
def storyboards(p: Production) -> dict[str, Any]:
    top = p.data("shortlist")["shortlist"][:3]
    beats = [("WS", "Static", "Open on the world of the idea"), ("MS", "Slow push-in", "The turn"),
             ("CU", "Static", "The product proves it"), ("MCU", "Slider left to right", "Payoff and logo")]  # fmt: skip
    count = 0
    for rank, concept in enumerate(top, 1):
        for k, (size, move, beat) in enumerate(beats, 1):
            png = frames.storyboard_frame(
                p.ctx.brand, look=f"{concept['emotion']} {concept['visual_approach']}", seed=concept["number"],
                number=k, size=size, move=move, description=f"{beat}: {concept['key_message']}",
                accent="#E07A5F",
            )  # fmt: skip
            p.file(
                f"board_{rank}_{k}",
                f"Concept {concept['number']} — frame {k}",
                png,
                f"concept-{concept['number']}-{k}.png",
                "image/png",
                concept=concept["number"],
                frame=k,
            )
            count += 1
    return {"frames": count, "concepts": [c["number"] for c in top]}


# What the owner may choose when the plan does not fit the client's budget.
BUDGET_OPTIONS = ("cheaper_route", "fewer_versions", "raise_budget")
LEAN_ROUTE = {"Director and crew": 5200, "Art department and props": 1500,
              "Edit, grade and sound": 4800, "Music licence (12 months, digital)": 600}  # fmt: skip
FEWER_VERSIONS = ("16:9", "9:16")


def _budget_lines(days: int) -> list[tuple[str, int]]:
    return [
        ("Director and crew", 9500 * days), ("Talent (2 principals)", 1200 * 2 * days),
        ("Art department and props", 3500), ("Edit, grade and sound", 7200),
        ("Version generator: 4 aspects × 2 lengths + stills", 1800), ("Music licence (12 months, digital)", 2500),
    ]  # fmt: skip


def _options(lines: list[tuple[str, int]], total: int, cap: float) -> list[dict[str, Any]]:
    """Ways to bring the plan within the budget (or to raise the budget), each priced."""
    lean = [(n, 1200 if n.startswith("Talent") else LEAN_ROUTE.get(n, v)) for n, v in lines]
    lean_total = sum(v for _, v in lean)
    versions_line = next(v for n, v in lines if n.startswith("Version generator"))
    fewer_total = total - versions_line + 700
    return [
        {"option": "cheaper_route", "label": "Cheaper route: one shoot day, a lean crew, one principal, library music",
         "total": lean_total, "fits": lean_total <= cap,
         "changes": [f"{n}: ${v:,.0f} (was ${dict(lines)[n]:,.0f})" for n, v in lean if v != dict(lines)[n]]},
        {"option": "fewer_versions", "label": "Fewer versions: 16:9 and 9:16 only, no stills",
         "total": fewer_total, "fits": fewer_total <= cap,
         "changes": [f"Version generator: $700 (was ${versions_line:,.0f}); 1:1 and 4:5 dropped"]},
        {"option": "raise_budget", "label": f"Raise the budget to ${total:,.0f} and keep the plan",
         "total": total, "fits": True, "changes": [f"Budget ${cap:,.0f} → ${total:,.0f}"]},
    ]  # fmt: skip


@capability("ad.budget", "Budget solver", "Prices the hero film and its versions.")
def budget(p: Production) -> dict[str, Any]:
    """Prices the plan; when it does not fit, prices the ways out for an owner to choose."""
    hero = p.data("shortlist")["shortlist"][0]
    days = 2 if hero["visual_approach"] in ("aerial to close-up", "one continuous take") else 1
    lines = _budget_lines(days)
    total = sum(v for _, v in lines)
    cap = p.ctx.job.budget_usd or p.brief.budget
    cap = float(cap) if cap else None
    fits = cap is None or total <= cap
    options = [] if fits else _options(lines, total, cap)  # type: ignore[arg-type]
    # The cheapest option that fits; raising the budget when nothing cheaper does.
    fitting = [o for o in options if o["fits"]]
    pick = min(fitting, key=lambda o: o["total"])["option"] if fitting else ""
    table = ["| Line | Cost |", "|---|---|", *[f"| {n} | ${v:,.0f} |" for n, v in lines],
             f"| **Total** | **${total:,.0f}** |"]  # fmt: skip
    verdict = (
        "No budget was set." if cap is None
        else f"Within the ${cap:,.0f} budget." if fits
        else f"Over the ${cap:,.0f} budget by ${total - cap:,.0f}: an owner chooses how to go on."
    )  # fmt: skip
    choices = [
        "## Options for the owner",
        "| Option | Total | Fits | Changes |", "|---|---|---|---|",
        *[f"| {o['label']}{' (recommended)' if o['option'] == pick else ''} | ${o['total']:,.0f} | "
          f"{'yes' if o['fits'] else 'no'} | {'; '.join(o['changes'])} |" for o in options],
    ] if options else []  # fmt: skip
    doc = md_lines([f"# Budget — concept {hero['number']}: {hero['angle']}",
                    f"{days} shoot day(s) for {hero['visual_approach']}.", *table, verdict, *choices])  # fmt: skip
    p.document(
        "budget", "Production budget", doc, purpose="Write the production budget", scored=False
    )
    if not fits:
        p.ctx.note = f"Over the ${cap:,.0f} budget by ${total - cap:,.0f}; an owner chooses."  # type: ignore[operator]
    return {
        "total": total,
        "lines": [{"line": n, "cost": v} for n, v in lines],
        "shoot_days": days,
        "budget": cap,
        "fits": "yes" if fits else "no",
        "within_budget": fits,
        "options": options,
        "budget_option": pick,
    }


def budget_plan(p: Production) -> str:
    """How the owner chose to go on over budget ("" when the plan fitted)."""
    from jobs.workflows.production.routing import chosen

    solved = p.data("budget")
    if solved.get("fits", "yes") == "yes":
        return ""
    return chosen(p.ctx.job, "budget_option", "budget")[0] or "raise_budget"


def _hero_frames(p: Production) -> list[bytes]:
    hero = p.data("shortlist")["shortlist"][0]
    boards = [o for o in p.files("storyboards") if o.metadata.get("concept") == hero["number"]]
    pictures = []
    for board in sorted(boards, key=lambda o: o.metadata.get("frame", 0)):
        image = Image.open(BytesIO(p.file_bytes(board))).convert("RGB")
        out = BytesIO()
        image.crop((0, 0, frames.FRAME_W, frames.FRAME_H)).save(out, format="PNG")
        pictures.append(out.getvalue())
    return pictures


@capability("ad.production", "Hero film", "The 30-second hero film from the winning boards.")
def production(p: Production) -> dict[str, Any]:
    hero = p.data("shortlist")["shortlist"][0]
    pictures = _hero_frames(p)
    lines = [hero["key_message"], hero["big_idea"].split(" — ")[0], p.brief.product, p.brief.brand]
    clips = [
        SceneClip(image_png=png, duration=7.5, caption=lines[i % len(lines)])
        for i, png in enumerate(pictures)
    ]
    mp4, info = render_mp4(clips, 640, 360, seed=hero["number"])
    plan = budget_plan(p)
    if plan:
        p.ctx.note = f"Made on the owner's choice: {plan.replace('_', ' ')}."
    p.file(
        "hero_film",
        "Hero film 30 s (16:9)",
        mp4,
        "hero-30s-16x9.mp4",
        "video/mp4",
        **info.as_dict(),
    )
    return {"duration": info.duration_seconds, "concept": hero["number"], "budget_plan": plan}


@capability("ad.versions", "Version generator", "Every aspect ratio, 30 s and 15 s, and stills.")
def versions(p: Production) -> dict[str, Any]:
    hero = p.data("shortlist")["shortlist"][0]
    pictures = _hero_frames(p)
    made = []
    # The owner chose fewer versions to fit the budget: the two main aspects, no stills.
    fewer = budget_plan(p) == "fewer_versions"
    aspects = {a: ASPECTS[a] for a in (FEWER_VERSIONS if fewer else ASPECTS)}
    total = len(aspects) * (2 if fewer else 3)
    p.ctx.progress(0, total)
    for aspect, (w, h) in aspects.items():
        for seconds in (30, 15):
            chosen = pictures if seconds == 30 else [pictures[0], pictures[-1]]
            clips = [SceneClip(image_png=png, duration=seconds / len(chosen),
                               caption=hero["key_message"] if i == 0 else p.brief.brand)
                     for i, png in enumerate(chosen)]  # fmt: skip
            mp4, info = render_mp4(clips, w, h, seed=hero["number"])
            name = f"{seconds}s-{aspect.replace(':', 'x')}"
            p.file(
                f"version_{name}",
                f"{seconds} s · {aspect}",
                mp4,
                f"{name}.mp4",
                "video/mp4",
                aspect=aspect,
                seconds=seconds,
                **info.as_dict(),
            )
            made.append(
                {"aspect": aspect, "seconds": seconds, "width": w, "height": h, "kind": "video"}
            )
            p.ctx.progress(len(made), total)
        if fewer:
            continue
        still = render_banner(w, h, brand=p.ctx.brand, headline=hero["key_message"], subline=p.brief.product,
                              cta=p.brief.brand)  # fmt: skip
        p.file(
            f"still_{aspect.replace(':', 'x')}",
            f"Still · {aspect}",
            still,
            f"still-{aspect.replace(':', 'x')}.png",
            "image/png",
            aspect=aspect,
            text=hero["key_message"],
        )
        made.append({"aspect": aspect, "seconds": 0, "width": w, "height": h, "kind": "still"})
        p.ctx.progress(len(made), total)
    return {"versions": made}


@capability("ad.final_qc", "Final QC", "Checks every version's frame size, length and sound.")
def final_qc(p: Production) -> dict[str, Any]:
    checks = []
    for output in p.files("versions"):
        if output.kind != "video":
            continue
        info = probe_bytes(p.file_bytes(output))
        want_w, want_h = ASPECTS[output.metadata["aspect"]]
        ok = (
            (info.width, info.height) == (want_w, want_h)
            and abs(info.duration_seconds - output.metadata["seconds"]) <= 0.2
            and info.has_audio
        )
        checks.append({"version": output.title, "result": "pass" if ok else "fail",
                       "detail": f"{info.width}×{info.height}, {info.duration_seconds:.2f}s, audio {'yes' if info.has_audio else 'no'}"})  # fmt: skip
    failed = [c for c in checks if c["result"] == "fail"]
    doc = md_lines([f"# Final QC — {'PASS' if not failed else 'FAIL'}", f"{len(checks) - len(failed)} of {len(checks)} versions pass.",
                    "| Version | Result | Detail |", "|---|---|---|",
                    *[f"| {c['version']} | {c['result'].upper()} | {c['detail']} |" for c in checks]])  # fmt: skip
    p.document("final_qc", "Final QC", doc, purpose="Write the QC report", scored=False)
    return {"status": "pass" if not failed else "fail", "checks": checks}


PLACEMENTS = [
    ("30 s · 16:9", "YouTube pre-roll and connected TV", 0.35), ("15 s · 16:9", "YouTube bumper extension", 0.1),
    ("15 s · 9:16", "TikTok In-Feed, Instagram Reels, YouTube Shorts", 0.25),
    ("30 s · 9:16", "Instagram Stories (full story)", 0.05), ("15 s · 1:1", "Facebook and LinkedIn feed", 0.1),
    ("15 s · 4:5", "Instagram feed", 0.1), ("Still · 1:1", "Display retargeting", 0.05),
]  # fmt: skip


@capability("ad.traffic", "Traffic plan", "Which version goes where, and when.")
def traffic(p: Production) -> dict[str, Any]:
    start = date.today() + timedelta(days=7)
    rows = []
    made = {
        f"Still · {v['aspect']}" if v["kind"] == "still" else f"{v['seconds']} s · {v['aspect']}"
        for v in p.data("versions")["versions"]
    }
    for version, channel, share in PLACEMENTS:
        if version not in made:
            continue
        weeks = 4 if share >= 0.1 else 2
        rows.append({"version": version, "channel": channel, "start": start.isoformat(),
                     "end": (start + timedelta(weeks=weeks) - timedelta(days=1)).isoformat(),
                     "share_of_spend": f"{share:.0%}"})  # fmt: skip
    p.table("traffic_csv", "Traffic plan (CSV)", rows)
    doc = md_lines([f"# Traffic plan — flight from {start:%d %B %Y}",
                    "| Version | Channel | Start | End | Share of spend |", "|---|---|---|---|---|",
                    *[f"| {r['version']} | {r['channel']} | {r['start']} | {r['end']} | {r['share_of_spend']} |" for r in rows],
                    "Rotate the 9:16 cut-down weekly by concept frame to limit fatigue; hold 10% of spend for the "
                    "best-performing placement after week two."])  # fmt: skip
    p.document("traffic", "Traffic plan", doc, purpose="Write the traffic plan", scored=False)
    return {"placements": rows}

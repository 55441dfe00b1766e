"""Film/TV production steps: requirements, script, shot list, method, look, boards, cut, QC.

Every step drafts its deliverable from the brief and the steps before it (the built-in
providers); a configured hosted model rewrites the documents through the text chain.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from jobs.mediakit.palette import palette_from_brand, to_hex
from jobs.mediakit.video import SceneClip, frame_boundaries
from jobs.models import Output
from jobs.workflows.base import OutputSpec
from jobs.workflows.production import frames, media
from jobs.workflows.production.capabilities import capability
from jobs.workflows.production.context import Production
from jobs.workflows.production.media import probe_bytes, render_mp4

FPS = media.FPS  # the rough cut's frame rate, which its EDL counts in
TONE_COLOURS = {
    "warm": "#E8A87C", "calm": "#A8C6D9", "bold": "#D7263D", "premium": "#1F1F1F",
    "cinematic": "#2B3A55", "playful": "#FFB400", "documentary": "#8C8C7A", "energetic": "#FF5E5B",
    "minimal": "#EDEDED", "optimistic": "#F6D55C", "nostalgic": "#C9A66B", "emotional": "#6C5B7B",
    "humorous": "#F49D37", "urgent": "#E4572E", "honest": "#5E8C61", "quiet": "#B8B8AA",
}  # fmt: skip
BEATS = ["Hook", "Tension", "Turn", "Proof", "Payoff", "Sign-off", "Coda", "Tag"]
TIMES = ["MORNING", "DAY", "DAY", "AFTERNOON", "GOLDEN HOUR", "DUSK", "NIGHT", "NIGHT"]
SIZES = {
    "Hook": ["WS", "MS", "CU"], "Tension": ["MS", "CU", "MCU"], "Turn": ["MCU", "CU", "ECU"],
    "Proof": ["CU", "MS", "WS"], "Payoff": ["WS", "MS", "CU"], "Sign-off": ["MS", "CU"],
    "Coda": ["WS", "MS"], "Tag": ["CU"],
}  # fmt: skip
SETUP_MINUTES = {"EWS": 60, "WS": 45, "MWS": 35, "MS": 25, "MCU": 20, "CU": 15, "ECU": 20}
# Day rates and unit costs the solver prices with (USD, a mid-size market, 2026).
RATES = {
    "crew_day": Decimal("9500"), "talent_day": Decimal("1200"), "location_day": Decimal("1500"),
    "studio_day": Decimal("4500"), "ai_shot": Decimal("35"), "ai_environment": Decimal("60"),
    "composite_shot": Decimal("120"), "edit_day": Decimal("850"), "music_licence": Decimal("600"),
    "voice_session": Decimal("450"), "grade_day": Decimal("1100"),
}  # fmt: skip


ON_PLACES = ("mountain", "trail", "street", "rooftop", "beach", "field", "farm", "market")
BY_PLACES = ("lake", "river")


def at(place: str) -> str:
    """'on the trail', 'by the lake', 'in the kitchen'."""
    return f"{'on' if place in ON_PLACES else 'by' if place in BY_PLACES else 'in'} the {place}"


def md(*blocks: str | list[str]) -> str:
    """Markdown from blocks; a list is a block of lines (a table, a list) kept together."""
    return "\n\n".join("\n".join(b) if isinstance(b, list) else b for b in blocks)


def md_lines(lines: list[str]) -> str:
    """Lines to markdown: table rows and list items stay together, other lines are paragraphs."""
    out = lines[:1]
    for prev, line in zip(lines, lines[1:], strict=False):
        together = (prev.startswith("|") and line.startswith("|")) or (
            prev.startswith("- ") and line.startswith("- ")
        )
        out.append(("\n" if together else "\n\n") + line)
    return "".join(out)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() or len(text) < 2 else text


def _words(text: str) -> int:
    return len(text.split())


def _fit_line(sentence: str, seconds: float) -> str:
    """A voice-over line a narrator can say in `seconds` (about 2.5 words a second)."""
    limit = max(4, int(seconds * 2.5))
    if _words(sentence) <= limit:
        return sentence.rstrip(".") + "."
    clauses = [c.strip() for c in re.split(r"[,;:–—]", sentence) if c.strip()]
    line = (
        clauses[0]
        if clauses and _words(clauses[0]) <= limit
        else " ".join(sentence.split()[:limit])
    )
    return line.rstrip(".") + "."


def _durations(total: float, count: int) -> list[float]:
    """Scene lengths in half seconds: short open and close, the middle carries the weight."""
    weights = [0.8 if i in (0, count - 1) else 1.2 for i in range(count)]
    raw = [total * w / sum(weights) for w in weights]
    halves = [max(1.0, round(r * 2) / 2) for r in raw]
    halves[len(halves) // 2] += total - sum(halves)
    return halves


def _feedback_changes(
    p: Production, duration: int, tones: list[str]
) -> tuple[int, list[str], list[str]]:
    """Apply what reviewers asked for that the draft can act on: length and tone."""
    notes: list[str] = []
    for item in p.feedback:
        seconds = re.search(r"(\d+)\s*(?:-?\s*)(?:seconds?|secs?|s\b)", item, re.I)
        lowered = item.lower()
        if seconds:
            duration = int(seconds.group(1))
            notes.append(f"“{item}” — retimed the script to {duration} seconds.")
        elif "shorter" in lowered or "tighter" in lowered:
            duration = max(10, int(duration * 0.8))
            notes.append(f"“{item}” — cut to {duration} seconds, one beat fewer where it fitted.")
        elif "longer" in lowered:
            duration = int(duration * 1.25)
            notes.append(f"“{item}” — extended to {duration} seconds.")
        added = [t for t in TONE_COLOURS if re.search(rf"\b{t}", lowered) and t not in tones]
        if added:
            tones = added + tones
            notes.append(f"“{item}” — the tone now leads with {', '.join(added)}.")
        if not seconds and not added and "shorter" not in lowered and "longer" not in lowered:
            notes.append(f"“{item}” — addressed in the scene directions below.")
    return duration, tones, notes


# --- pre-production ------------------------------------------------------------------------


@capability("film.vrd", "Video requirements document", "Turns the brief into a VRD.")
def requirements(p: Production) -> dict[str, Any]:
    b, brand = p.brief, p.ctx.brand
    aspect = (
        "9:16"
        if any(x in b.text.lower() for x in ("vertical", "9:16", "reels", "tiktok"))
        else "16:9"
    )
    deliverables = [
        {"format": "Master", "duration": f"{b.duration}s", "aspect_ratio": aspect},
        {"format": "Cut-down", "duration": f"{max(6, b.duration // 2)}s", "aspect_ratio": aspect},
        {"format": "Bumper", "duration": "6s", "aspect_ratio": aspect},
    ]
    low = b.budget * Decimal("0.85") if b.budget else None
    budget = {"min": float(low), "max": float(b.budget)} if b.budget else None
    colours = ", ".join(str(c) for c in (brand.get("colors") or [])) or "to be confirmed"
    facts = [str(f) for f in brand.get("verified_facts") or []]
    doc = md(
        f"# Video requirements: {b.title}",
        [f"**Client:** {b.brand}  ", f"**Product:** {b.product}  ",
         f"**Running time:** {b.duration} seconds  ", f"**Tone:** {b.tone}"],
        "## 1. Project overview",
        b.text or b.title,
        "## 2. Target audience",
        b.audience[0].upper() + b.audience[1:] + ".",
        "## 3. Key messages",
        [f"{i}. {m}." for i, m in enumerate(b.messages, 1)],
        "## 4. Creative direction",
        [f"- {d}." for d in b.directions] or [f"- {b.tone.capitalize()}; locations: {', '.join(b.places)}."],
        "## 5. Deliverables",
        ["| Format | Duration | Aspect ratio |", "|---|---|---|",
         *[f"| {d['format']} | {d['duration']} | {d['aspect_ratio']} |" for d in deliverables]],
        "## 6. Brand guidelines",
        [f"- Voice: {brand.get('voice') or 'clear and direct'}", f"- Colours: {colours}",
         "- Claims: only the client's verified facts; no testimonials without written consent.",
         *[f"- Verified: {f}" for f in facts]],
        "## 7. Technical requirements",
        [f"- Master {'1080×1920' if aspect == '9:16' else '1920×1080'}, 25 fps, H.264, stereo AAC at -14 LUFS.",
         "- Captions burned into the social cut-downs; a separate SRT with the master."],
        "## 8. Timeline",
        ["| Phase | Working days |", "|---|---|", "| Script and approvals | 3 |", "| Pre-production | 4 |",
         "| Production | 2-5 (by method) |", "| Post-production | 5 |"],
        "## 9. Budget",
        f"Working range ${budget['min']:,.0f}–${budget['max']:,.0f}." if budget
        else "No budget given: the method solver prices three routes for the client to choose from.",
    )  # fmt: skip
    p.document("vrd", f"VRD — {b.title}", doc, purpose="Write the video requirements document")
    return {
        "project_overview": b.text or b.title,
        "target_audience": b.audience,
        "key_messages": b.messages,
        "deliverables": deliverables,
        "tone": b.tones,
        "places": b.places,
        "product": b.product,
        "duration": b.duration,
        "budget_range": budget,
    }


@capability("film.script", "Script", "A main script, two alternatives and a scene breakdown.")
def script(p: Production) -> dict[str, Any]:
    vrd, b = p.data("vrd"), p.brief
    duration, tones, notes = _feedback_changes(p, int(vrd["duration"]), list(vrd["tone"]))
    count = max(3, min(8, round(duration / 12)))
    lengths = _durations(duration, count)
    beats = BEATS[: count - 1] + ["Sign-off"] if count < 6 else BEATS[:count]
    messages = vrd["key_messages"]
    places = vrd["places"]
    tagline = p.ctx.brand.get("tagline") or messages[0]
    scenes = []
    for i, (beat, seconds) in enumerate(zip(beats, lengths, strict=True)):
        place = places[i % len(places)]
        interior = place in (
            "kitchen",
            "office",
            "studio",
            "cafe",
            "home",
            "workshop",
            "gym",
            "classroom",
            "shop",
            "bakery",
            "warehouse",
        )
        heading = f"{'INT' if interior else 'EXT'}. {place.upper()} — {TIMES[i]}"
        product = vrd.get("product") or "the product"
        message = messages[i % len(messages)]
        who = b.audience.split(" aged")[0].split(",")[0]
        if beat == "Hook":
            action = (
                f"Open wide {at(place)}: the everyday world of {who}. The lead readies "
                f"{product}; hold until the first sound lands."
            )
        elif beat == "Sign-off":
            action = f"{product[0].upper() + product[1:]} as hero on a clean {tones[0]} backdrop; the {b.brand} mark resolves."
            message = f"{b.brand}. {tagline}"
        elif beat == "Tension":
            action = (
                f"{at(place).capitalize()}, the lead slows, shifts the weight of the day — the moment "
                f"this line answers: {_lower_first(message)}."
            )
        elif beat == "Turn":
            action = f"Close on hands and {product} {at(place)}: we see what the line says — {_lower_first(message)}."
        elif beat == "Proof":
            action = f"One unbroken take {at(place)} proves it plainly: {_lower_first(message)}."
        else:
            action = f"Wide again {at(place)}: the lead moves freely, the day opens up; {_lower_first(message)}."
        vo = _fit_line(message, seconds)
        scenes.append(
            {
                "number": i + 1,
                "heading": heading,
                "beat": beat,
                "action": action,
                "vo": vo,
                "duration": seconds,
            }
        )
    alternatives = [
        {
            "name": "Day in the life",
            "logline": f"One {places[0]}, dawn to night: {messages[0].lower()} shown through a single routine.",
            "scenes": [{"number": s["number"], "heading": f"INT./EXT. {places[0].upper()} — {t}",
                        "action": f"{t.title()}: {s['vo']}", "duration": s["duration"]}
                       for s, t in zip(scenes, ["DAWN", "MORNING", "MIDDAY", "AFTERNOON", "EVENING", "DUSK", "NIGHT", "NIGHT"], strict=False)],
        },
        {
            "name": "Manifesto",
            "logline": f"Voice-over led montage; bold type cards carry the {len(messages)} messages, {tones[0]} throughout.",
            "scenes": [{"number": i + 1, "heading": f"TYPE CARD {i + 1}", "action": f"Card reads: “{m}.” Cut to a matching image {at(places[i % len(places)])}.",
                        "duration": round(duration / len(messages), 1)}
                       for i, m in enumerate(messages)],
        },
    ]  # fmt: skip
    blocks: list[str | list[str]] = [
        f"# {b.title} — script (main version)",
        f"*{duration} seconds · {', '.join(tones)}*",
    ]
    if notes:
        blocks += ["## Revision notes", [f"- {n}" for n in notes]]
    for s in scenes:
        blocks += [
            f"## Scene {s['number']} · {s['heading']} · {s['duration']:g}s",
            f"**{s['beat']}.** {s['action']}",
            f"> VO: {s['vo']}",
        ]
    blocks += [
        "## Scene breakdown",
        [
            "| # | Beat | Heading | Seconds | VO words |",
            "|---|---|---|---|---|",
            *[
                f"| {s['number']} | {s['beat']} | {s['heading']} | {s['duration']:g} | {_words(s['vo'])} |"
                for s in scenes
            ],
        ],
    ]
    for alt in alternatives:
        blocks += [
            f"## Alternative: {alt['name']}",
            alt["logline"],
            [
                f"{s['number']}. **{s['heading']}** ({s['duration']:g}s) — {s['action']}"
                for s in alt["scenes"]
            ],
        ]
    p.document("script", f"Script — {b.title}", md(*blocks), purpose="Write the script")
    return {"title": b.title, "duration": duration, "tones": tones, "scenes": scenes,
            "product": vrd.get("product") or "the product",
            "alternatives": alternatives, "revision_notes": notes}  # fmt: skip


def _move_for(tones: list[str], size: str, index: int) -> str:
    lively = {"energetic", "playful", "humorous", "urgent", "bold"} & set(tones)
    if "documentary" in tones:
        options = ["Handheld", "Static", "Handheld follow"]
    elif lively:
        options = ["Gimbal orbit", "Handheld follow", "Whip pan"]
    else:
        options = ["Slow push-in", "Static", "Slider left to right"]
    if size in ("ECU", "CU") and options[index % 3].startswith("Whip"):
        return "Static"
    return options[index % 3]


def _shot_description(size: str, scene: dict[str, Any], scr: dict[str, Any]) -> str:
    place = scene["heading"].split(". ", 1)[1].split(" —")[0].lower()
    product = scr.get("product") or "the product"
    return {
        "EWS": f"Establishing: the whole {place}, the lead a small figure in it.",
        "WS": f"Wide {at(place)}: the lead and {product} in their world.",
        "MWS": f"Lead from the knees up {at(place)}, moving through frame.",
        "MS": f"Lead waist-up {at(place)}; {scene['beat'].lower()} beat plays on the face.",
        "MCU": f"Chest-up on the lead as the line lands: {scene['vo'].rstrip('.')}.",
        "CU": f"Close on hands using {product}.",
        "ECU": f"Macro detail of {product}: texture, buckle, stitch.",
    }.get(size, scene["action"])


def _lighting(heading: str) -> str:
    if "NIGHT" in heading or "DUSK" in heading:
        return "Motivated practicals, soft key 4300K, negative fill"
    if heading.startswith("EXT"):
        return "Natural light, 8×8 diffusion overhead, bounce fill"
    if "MORNING" in heading:
        return "Window key 5600K through diffusion, warm 3200K practical in the background"
    return "Soft overhead key, edge light to separate the subject"


@capability(
    "film.shot_list", "Shot list", "Shots per scene with size, move, light, sound and setup."
)
def shot_list(p: Production) -> dict[str, Any]:
    scr = p.data("script")
    shots = []
    for scene in scr["scenes"]:
        sizes = SIZES.get(scene["beat"], ["WS", "MS", "CU"])
        count = max(1, min(len(sizes), round(scene["duration"] / 4)))
        for k in range(count):
            size = sizes[k]
            move = _move_for(scr["tones"], size, len(shots))
            product = scene["beat"] in ("Proof", "Sign-off") or size in ("CU", "ECU")
            setup = SETUP_MINUTES[size] + (15 if move not in ("Static", "Handheld") else 0)
            shots.append({
                "shot": len(shots) + 1, "scene": scene["number"], "size": size, "move": move,
                "description": _shot_description(size, scene, scr),
                "lighting": _lighting(scene["heading"]),
                "audio": f"VO: “{scene['vo'][:40]}…”" if k == 0 else f"Ambience: {scene['heading'].split('. ')[1].split(' —')[0].lower()} room tone",
                "props_talent": "Product (hero unit), hand model" if product else "Lead talent, wardrobe per mood board",
                "setup_minutes": setup,
                "seconds": round(scene["duration"] / count, 2),
                "location": scene["heading"].split(" — ")[0],
            })  # fmt: skip
    p.table("shot_list_csv", "Shot list (CSV)", shots)
    table = [
        "| Shot | Scene | Size | Move | Action | Lighting | Audio | Props/talent | Setup |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    table += [
        f"| {s['shot']} | {s['scene']} | {s['size']} | {s['move']} | {s['description']} | {s['lighting']} | "
        f"{s['audio']} | {s['props_talent']} | {s['setup_minutes']} min |"
        for s in shots
    ]
    doc = md(f"# Shot list — {scr['title']}",
             f"{len(shots)} shots across {len(scr['scenes'])} scenes; "
             f"{sum(s['setup_minutes'] for s in shots)} minutes of setups.", table)  # fmt: skip
    p.document(
        "shot_list", f"Shot list — {scr['title']}", doc, purpose="Write the shot list", scored=False
    )
    return {"shots": shots, "total_setup_minutes": sum(s["setup_minutes"] for s in shots)}


def _price(shots: list[dict[str, Any]], locations: int) -> dict[str, dict[str, Any]]:
    n = len(shots)
    setup_minutes = sum(s["setup_minutes"] for s in shots)
    talent_shots = sum(1 for s in shots if "talent" in s["props_talent"].lower())
    shoot_days = max(1, -(-setup_minutes // 540))  # nine working hours of setups a day
    r = RATES
    ai = {
        "Shot generation and clean-up": r["ai_shot"] * n * 3,
        "Voice-over session": r["voice_session"],
        "Music licence": r["music_licence"],
        "Edit and grade (3 days)": r["edit_day"] * 2 + r["grade_day"],
    }
    hybrid = {
        "Studio product day (crew and kit)": r["studio_day"] + r["crew_day"] * Decimal("0.5"),
        "Generated environments": r["ai_environment"] * n,
        "Compositing": r["composite_shot"] * n,
        "Voice-over session": r["voice_session"],
        "Music licence": r["music_licence"],
        "Edit and grade (4 days)": r["edit_day"] * 3 + r["grade_day"],
    }
    traditional = {
        f"Crew ({shoot_days} shoot day{'s' if shoot_days > 1 else ''})": r["crew_day"] * shoot_days,
        "Talent": r["talent_day"] * shoot_days * (2 if talent_shots > n / 2 else 1),
        f"Locations ({locations})": r["location_day"] * locations,
        "AI-assisted post (clean-up, sky replacement)": r["ai_shot"] * n,
        "Voice-over session": r["voice_session"],
        "Music licence": r["music_licence"],
        "Edit and grade (6 days)": r["edit_day"] * 5 + r["grade_day"],
    }
    share = talent_shots / n if n else 0
    return {
        "ai_only": {"label": "AI-only", "breakdown": ai, "quality": round(8.5 - 3 * share, 1),
                    "days": 4 + n // 12,
                    "risks": ["Faces and hands drift between shots; each talent shot needs a likeness pass.",
                              "Generated product shots must match the real product exactly (legal and brand risk).",
                              "Broadcast clearance of generated imagery varies by network."]},
        "hybrid": {"label": "Hybrid", "breakdown": hybrid, "quality": 8.4, "days": 7 + n // 10,
                   "risks": ["Plate lighting must match the generated environments; shoot with HDRIs.",
                             "Compositing time grows with camera moves; keep hero moves on real plates."]},
        "traditional": {"label": "Traditional", "breakdown": traditional, "quality": 9.2,
                        "days": 10 + shoot_days * 2,
                        "risks": [f"{shoot_days} shoot day(s) at {locations} location(s): weather and permits.",
                                  "Talent availability sets the schedule.",
                                  "Least room for changes after the shoot."]},
    }  # fmt: skip


@capability("film.solver", "Budget and method solver", "Prices AI-only, hybrid and traditional.")
def solver(p: Production) -> dict[str, Any]:
    shots = p.data("shot_list")["shots"]
    locations = len({s["location"] for s in shots})
    budget = p.ctx.job.budget_usd or p.brief.budget
    options = _price(shots, locations)
    for option in options.values():
        option["cost"] = sum(option["breakdown"].values(), Decimal("0"))
    affordable = [k for k, o in options.items() if budget is None or o["cost"] <= budget]
    if affordable:
        method = max(affordable, key=lambda k: (options[k]["quality"], -options[k]["cost"]))
        reason = (
            f"{options[method]['label']} gives the highest quality ({options[method]['quality']}/10) "
            + (f"within the ${budget:,.0f} budget" if budget else "(no budget was set)")
            + f" at ${options[method]['cost']:,.0f}."
        )
    else:
        method = min(options, key=lambda k: options[k]["cost"])
        reason = (f"No route fits the ${budget:,.0f} budget; {options[method]['label']} is the cheapest at "
                  f"${options[method]['cost']:,.0f} — the budget or the shot list must change.")  # fmt: skip
    summary = ["| Route | Cost | Quality | Timeline | Within budget |", "|---|---|---|---|---|"]
    for o in options.values():
        fits = "n/a" if budget is None else ("yes" if o["cost"] <= budget else "no")
        summary.append(
            f"| {o['label']} | ${o['cost']:,.0f} | {o['quality']}/10 | {o['days']} days | {fits} |"
        )
    blocks: list[str | list[str]] = [
        f"# Production method — {len(shots)} shots, {locations} location(s)",
        f"**Recommendation: {options[method]['label']}.** {reason}",
        summary,
    ]
    for o in options.values():
        blocks += [
            f"## {o['label']}",
            [
                "| Item | Cost |",
                "|---|---|",
                *[f"| {i} | ${c:,.0f} |" for i, c in o["breakdown"].items()],
                f"| **Total** | **${o['cost']:,.0f}** |",
            ],
            "**Risks**",
            [f"- {risk}" for risk in o["risks"]],
        ]
    p.document(
        "method",
        "Budget and method",
        md(*blocks),
        purpose="Recommend a production method",
        scored=False,
    )
    return {
        "method": method,
        "reason": reason,
        "budget": float(budget) if budget is not None else None,
        "within_budget": budget is None or options[method]["cost"] <= budget,
        "options": {k: {"label": o["label"], "cost": float(o["cost"]), "quality": o["quality"],
                        "days": o["days"], "risks": o["risks"],
                        "breakdown": {i: float(c) for i, c in o["breakdown"].items()}}
                    for k, o in options.items()},
    }  # fmt: skip


# --- the three routes ----------------------------------------------------------------------


@capability("film.ai_plan", "AI generation plan", "Prompts, seeds and references per shot.")
def ai_plan(p: Production) -> dict[str, Any]:
    shots, scr = p.data("shot_list")["shots"], p.data("script")
    tones = ", ".join(scr["tones"])
    rows = [{"shot": s["shot"], "prompt": f"{s['description']}, {s['lighting'].lower()}, {tones}, 35mm film look",
             "negative": "extra fingers, warped logos, text artefacts, plastic skin",
             "seed": 1000 + s["scene"], "reference": f"mood frame {min(s['scene'], 4)}"} for s in shots]  # fmt: skip
    p.table("generation_plan", "Generation plan (CSV)", rows)
    lines = [
        "# AI generation plan",
        "One seed per scene keeps faces, wardrobe and light consistent; every shot "
        "references the matching mood frame.",
        "| Shot | Prompt | Seed | Reference |",
        "|---|---|---|---|",
    ]
    lines += [f"| {r['shot']} | {r['prompt']} | {r['seed']} | {r['reference']} |" for r in rows]
    p.document(
        "route_plan",
        "AI generation plan",
        md_lines(lines),
        purpose="Plan the AI generation",
        scored=False,
    )
    return {"route": "ai_only", "shots": len(rows)}


@capability(
    "film.hybrid_plan", "Hybrid plate and environment plan", "Real plates plus generated worlds."
)
def hybrid_plan(p: Production) -> dict[str, Any]:
    shots = p.data("shot_list")["shots"]
    plates = [
        s for s in shots if "Product" in s["props_talent"] or s["size"] in ("CU", "ECU", "MCU")
    ]
    generated = [s for s in shots if s not in plates]
    minutes = sum(s["setup_minutes"] for s in plates)
    lines = [
        "# Hybrid plan",
        f"Studio day: {len(plates)} plate shots ({minutes} minutes of setups) against "
        f"grey, each with an HDRI of its target environment; {len(generated)} environments generated.",
        "## Plates (studio)",
        *[f"- Shot {s['shot']}: {s['size']}, {s['move']}; {s['lighting']}" for s in plates],
        "## Generated environments",
        *[f"- Shot {s['shot']}: {s['location'].title()} — {s['description']}" for s in generated],
    ]
    p.document(
        "route_plan",
        "Hybrid plan",
        md_lines(lines),
        purpose="Plan the hybrid production",
        scored=False,
    )
    return {"route": "hybrid", "plates": len(plates), "generated": len(generated)}


@capability("film.traditional_plan", "Shoot schedule and call sheet", "Days, call times, crew.")
def traditional_plan(p: Production) -> dict[str, Any]:
    shots = p.data("shot_list")["shots"]
    by_location: dict[str, list[dict[str, Any]]] = {}
    for s in shots:
        by_location.setdefault(s["location"], []).append(s)
    schedule, day, clock = [], 1, 8 * 60
    for location, group in by_location.items():
        for s in group:
            if clock + s["setup_minutes"] > 18 * 60:
                day, clock = day + 1, 8 * 60
            schedule.append(
                {
                    "day": day,
                    "call": f"{clock // 60:02d}:{clock % 60:02d}",
                    "shot": s["shot"],
                    "location": location,
                    "size": s["size"],
                    "setup_minutes": s["setup_minutes"],
                }
            )
            clock += s["setup_minutes"]
        clock += 45  # company move
    p.table("schedule", "Shoot schedule (CSV)", schedule)
    lines = [
        f"# Shoot schedule — {day} day(s)",
        "Crew call 07:00; breakfast on set; wrap by 19:00.",
        "Crew: director, DP, 1st AC, gaffer, grip, sound recordist, art director, MUA, producer, runner.",
        "| Day | Call | Shot | Location | Size | Setup |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r['day']} | {r['call']} | {r['shot']} | {r['location']} | {r['size']} | {r['setup_minutes']} min |"
        for r in schedule
    ]
    p.document(
        "route_plan",
        "Shoot schedule and call sheet",
        md_lines(lines),
        purpose="Schedule the shoot",
        scored=False,
    )
    return {"route": "traditional", "days": day}


# --- the look, the boards, the cut ----------------------------------------------------------


def _scene_look(scr: dict[str, Any], scene: dict[str, Any]) -> str:
    return f"{' '.join(scr['tones'])} {scene['heading'].lower()} {scene['beat'].lower()}"


@capability("film.mood_board", "Mood board", "Palette, reference frames and style notes.")
def mood_board(p: Production) -> dict[str, Any]:
    scr = p.data("script")
    pal = palette_from_brand(p.ctx.brand)
    palette = [
        {"role": "Brand primary", "hex": to_hex(pal.primary)},
        {"role": "Brand secondary", "hex": to_hex(pal.secondary)},
        {"role": "Accent", "hex": to_hex(pal.accent)},
    ]
    palette += [
        {"role": f"{t.title()} tone", "hex": TONE_COLOURS[t]}
        for t in scr["tones"][:3]
        if t in TONE_COLOURS
    ]
    refs = []
    for scene in scr["scenes"][:4]:
        png = frames.reference_frame(
            p.ctx.brand,
            _scene_look(scr, scene),
            scene["number"],
            f"Scene {scene['number']} · {scene['heading']}",
        )
        refs.append(png)
        p.file(
            f"reference_{scene['number']}",
            f"Reference frame — scene {scene['number']}",
            png,
            f"reference-{scene['number']}.png",
            "image/png",
            scene=scene["number"],
        )
    sizes = ("WS", "CU")
    notes = [
        f"Light: {_lighting(scr['scenes'][0]['heading']).lower()} to open; {_lighting(scr['scenes'][-1]['heading']).lower()} to close.",
        f"Lenses: 24–35mm for wides, 85mm for close-ups ({' and '.join(sizes)} carry the story).",
        f"Grade: {scr['tones'][0]} — lift the {palette[-1]['role'].lower()} in the mids, keep skin natural.",
        "Texture: fine grain, no heavy vignettes; the product always sharp.",
        f"Type: {p.ctx.brand.get('font') or 'the brand sans-serif'}, set large and short.",
    ]
    sheet = frames.mood_sheet(f"Mood — {scr['title']}", palette, refs, notes)
    p.file("mood_board", "Mood board", sheet, "mood-board.png", "image/png")
    p.document("style_notes", "Style notes", "# Style notes\n\n" + "\n".join(f"- {n}" for n in notes)
               + "\n\n## Palette\n" + "\n".join(f"- {c['role']}: {c['hex']}" for c in palette),
               purpose="Write the style notes", scored=False)  # fmt: skip
    return {"palette": palette, "style_notes": notes, "reference_frames": len(refs)}


@capability("film.storyboard", "Storyboard", "One frame per shot in the mood board's look.")
def storyboard(p: Production) -> dict[str, Any]:
    scr, shots = p.data("script"), p.data("shot_list")["shots"]
    mood = p.data("mood_board")
    accent = mood["palette"][2]["hex"]
    scenes = {s["number"]: s for s in scr["scenes"]}
    total = len(shots)
    p.ctx.progress(0, total)
    for index, shot in enumerate(shots, 1):
        scene = scenes[shot["scene"]]
        png = frames.storyboard_frame(
            p.ctx.brand,
            look=_scene_look(scr, scene),
            seed=scene["number"],
            number=shot["shot"],
            size=shot["size"],
            move=shot["move"],
            description=shot["description"],
            accent=accent,
        )
        p.file(
            f"frame_{shot['shot']:02d}",
            f"Storyboard — shot {shot['shot']}",
            png,
            f"shot-{shot['shot']:02d}.png",
            "image/png",
            shot=shot["shot"],
            scene=shot["scene"],
        )
        p.ctx.progress(index, total)
    return {"frames": total}


def _timecode(frame: int) -> str:
    seconds, f = divmod(frame, FPS)
    minutes, s = divmod(seconds, 60)
    hours, m = divmod(minutes, 60)
    return f"{hours:02d}:{m:02d}:{s:02d}:{f:02d}"


@capability("film.assembly", "Rough cut", "Assembles the storyboard into an MP4 with an EDL.")
def assembly(p: Production) -> dict[str, Any]:
    from io import BytesIO

    from PIL import Image

    scr, shots = p.data("script"), p.data("shot_list")["shots"]
    boards = {o.metadata.get("shot"): o for o in p.files("storyboard") if o.kind == "image"}
    scenes = {s["number"]: s for s in scr["scenes"]}
    clips, seen_scene = [], set()
    for shot in shots:
        board = Image.open(BytesIO(p.file_bytes(boards[shot["shot"]]))).convert("RGB")
        picture = BytesIO()
        board.crop((0, 0, frames.FRAME_W, frames.FRAME_H)).save(picture, format="PNG")
        caption = scenes[shot["scene"]]["vo"] if shot["scene"] not in seen_scene else ""
        seen_scene.add(shot["scene"])
        clips.append(
            SceneClip(
                image_png=picture.getvalue(), duration=float(shot["seconds"]), caption=caption
            )
        )
    bounds = frame_boundaries([c.duration for c in clips], FPS)
    mp4, info = render_mp4(
        clips,
        frames.FRAME_W,
        frames.FRAME_H,
        mood="calm" if "calm" in scr["tones"] else "upbeat",
    )
    p.file(
        "rough_cut",
        f"Rough cut — {scr['title']}",
        mp4,
        "rough-cut.mp4",
        "video/mp4",
        **info.as_dict(),
    )
    edl = [
        f"TITLE: {scr['title'].upper()[:60]} ROUGH CUT R{p.ctx.revision}",
        "FCM: NON-DROP FRAME",
        "",
    ]
    for i, shot in enumerate(shots):
        start, end = bounds[i], bounds[i + 1]
        edl += [f"{i + 1:03d}  SB{shot['shot']:04d}   V     C        {_timecode(0)} {_timecode(end - start)} "
                f"{_timecode(90000 + start)} {_timecode(90000 + end)}",
                f"* FROM CLIP NAME: shot-{shot['shot']:02d}.png",
                f"* COMMENT: SC{shot['scene']} {shot['size']} {shot['move'].upper()}", ""]  # fmt: skip
    p.add(OutputSpec(kind="text", key="edl", title="Edit decision list (CMX 3600)", text="\n".join(edl),
                     metadata={"events": len(shots), "format": "cmx3600"}, scored_text=""))  # fmt: skip
    return {"duration": info.duration_seconds, "shots": len(shots), "width": info.width,
            "height": info.height, "has_audio": info.has_audio, "events": len(shots)}  # fmt: skip


@capability("film.qc", "QC report", "Checks the cut against the script, the shot list and safety.")
def qc(p: Production) -> dict[str, Any]:
    scr, cut = p.data("script"), p.data("assembly")
    video = next(o for o in p.files("assembly") if o.kind == "video")
    info = probe_bytes(p.file_bytes(video))
    checks: list[dict[str, Any]] = []

    def check(name: str, ok: bool, detail: str, fix: str = "") -> None:
        checks.append(
            {
                "check": name,
                "result": "pass" if ok else "fail",
                "detail": detail,
                "fix": "" if ok else fix,
            }
        )

    check(
        "Running time",
        abs(info.duration_seconds - scr["duration"]) <= 0.5,
        f"{info.duration_seconds:.2f}s against {scr['duration']}s scripted",
        "Retime the shots in the EDL to the scripted length.",
    )
    check(
        "Picture",
        (info.width, info.height) == (frames.FRAME_W, frames.FRAME_H)
        and info.video_codec == "h264",
        f"{info.width}×{info.height} {info.video_codec} at {info.fps} fps",
        "Re-export at the offline resolution.",
    )
    check(
        "Sound",
        info.has_audio,
        f"audio track: {info.audio_codec or 'none'}",
        "Lay the music bed and temp VO.",
    )
    check(
        "Coverage",
        cut["events"] == len(p.data("shot_list")["shots"]),
        f"{cut['events']} EDL events for {len(p.data('shot_list')['shots'])} listed shots",
        "Cut in the missing shots.",
    )
    for scene in scr["scenes"]:
        rate = len(scene["vo"].split()) / max(scene["duration"], 0.5)
        check(
            f"VO pace, scene {scene['number']}",
            rate <= 3.0,
            f"{rate:.1f} words/s",
            "Trim the line or lengthen the scene (under 3 words a second reads naturally).",
        )
    script_out = Output.objects.filter(
        job=p.ctx.job, revision=p.ctx.revision, step="script", key="script"
    ).first()
    threshold = p.ctx.job.client.threshold_safe
    if script_out is not None and script_out.safety_score is not None:
        check(
            "Claims and safety",
            script_out.safety_score >= threshold,
            f"script scores {script_out.safety_score} (client threshold {threshold})",
            "Substantiate or remove the flagged claims before delivery.",
        )
    failed = [c for c in checks if c["result"] == "fail"]
    lines = [
        f"# QC report — {scr['title']}",
        f"**{'PASS' if not failed else 'FAIL'}** — {len(checks) - len(failed)} of {len(checks)} checks passed.",
        "| Check | Result | Detail | Fix |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {c['check']} | {c['result'].upper()} | {c['detail']} | {c['fix']} |" for c in checks
    ]
    p.document(
        "qc_report", "QC report", md_lines(lines), purpose="Write the QC report", scored=False
    )
    return {"status": "pass" if not failed else "fail", "checks": checks, "issues": len(failed)}

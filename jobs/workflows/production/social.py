"""Social production steps: trends from the client's data, a platform plan, posts and videos,
and the publishing-ready package."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, time, timedelta
from typing import Any

from jobs.mediakit.images import render_scene_frame, render_social_image
from jobs.mediakit.video import SceneClip
from jobs.workflows.base import OutputSpec
from jobs.workflows.production.capabilities import capability
from jobs.workflows.production.context import Production
from jobs.workflows.production.film import md, md_lines
from jobs.workflows.production.media import render_mp4

# What each platform wants: frame, video length, caption limit, hashtags, best local times.
PLATFORMS: dict[str, dict[str, Any]] = {
    "instagram": {"label": "Instagram", "aspect": "4:5", "size": (432, 540), "video": False,
                  "limit": 2200, "hashtags": 5, "times": ["11:00", "19:00"], "cadence": "4 a week"},
    "tiktok": {"label": "TikTok", "aspect": "9:16", "size": (360, 640), "video": True, "seconds": 9,
               "limit": 2200, "hashtags": 4, "times": ["18:00", "21:00"], "cadence": "5 a week"},
    "youtube": {"label": "YouTube Shorts", "aspect": "9:16", "size": (360, 640), "video": True, "seconds": 12,
                "limit": 100, "hashtags": 3, "times": ["17:00"], "cadence": "3 a week"},
    "linkedin": {"label": "LinkedIn", "aspect": "1:1", "size": (480, 480), "video": False,
                 "limit": 3000, "hashtags": 3, "times": ["08:30", "12:00"], "cadence": "2 a week"},
    "facebook": {"label": "Facebook", "aspect": "1:1", "size": (480, 480), "video": False,
                 "limit": 2000, "hashtags": 2, "times": ["13:00"], "cadence": "3 a week"},
    "x": {"label": "X", "aspect": "16:9", "size": (640, 360), "video": False,
          "limit": 280, "hashtags": 2, "times": ["09:00", "16:00"], "cadence": "daily"},
}  # fmt: skip
POSTS_PER_PLATFORM = 3


def _tag(text: str) -> str:
    return "#" + "".join(w.capitalize() for w in re.findall(r"[A-Za-z0-9]+", text))[:30]


@capability("social.trends", "Trend brief", "Ranks the trends the client supplied.")
def trends(p: Production) -> dict[str, Any]:
    supplied = list(p.ctx.inputs.get("trend_data") or [])
    ranked = sorted(
        supplied,
        key=lambda t: (
            -(float(t.get("growth_pct") or 0) * (1 + float(t.get("engagement_rate") or 0) / 10))
        ),
    )
    if ranked:
        angle = (
            f"Ride “{ranked[0]['topic']}” with {p.brief.product}: {p.brief.messages[0].lower()}."
        )
        rows = [f"| {i} | {t['topic']} | {t.get('platform', 'all')} | {t.get('growth_pct', '–')}% | "
                f"{t.get('engagement_rate', '–')}% |" for i, t in enumerate(ranked, 1)]  # fmt: skip
        table = [
            "| Rank | Topic | Platform | Growth | Engagement |",
            "|---|---|---|---|---|",
            *rows,
        ]
        source = f"{len(ranked)} trends supplied by {p.brief.brand}; ranked by growth weighted by engagement."
    else:
        angle = f"{p.brief.messages[0]}."
        table = ["- No trend data was supplied: the themes come from the brief's own messages."]
        ranked = [{"topic": m, "platform": "all"} for m in p.brief.messages]
        source = "No trend data supplied (nothing is scraped)."
    p.document("trend_brief", "Trend brief", md(f"# Trend brief — {p.brief.title}", source, table,
                                                "## Angle", angle), purpose="Write the trend brief",
               scored=angle)  # fmt: skip
    return {"trends": ranked[:5], "angle": angle}


@capability("social.platform_plan", "Platform plan", "Formats, cadence and times per platform.")
def platform_plan(p: Production) -> dict[str, Any]:
    chosen = [k for k in p.brief.platforms if k in PLATFORMS] or ["instagram", "tiktok", "linkedin"]
    plan = [{"platform": k, **{f: PLATFORMS[k][f] for f in ("label", "aspect", "video", "cadence", "times")},
             "format": "short video" if PLATFORMS[k]["video"] else "image post"} for k in chosen]  # fmt: skip
    doc = md_lines([f"# Platform plan — {', '.join(r['label'] for r in plan)}",
                    "| Platform | Format | Aspect | Cadence | Best times |", "|---|---|---|---|---|",
                    *[f"| {r['label']} | {r['format']} | {r['aspect']} | {r['cadence']} | {', '.join(r['times'])} |" for r in plan]])  # fmt: skip
    p.document(
        "platform_plan", "Platform plan", doc, purpose="Write the platform plan", scored=False
    )
    return {"platforms": plan}


def _slot(day: int, hhmm: str) -> str:
    when = date.today() + timedelta(days=day + 1)
    hours, minutes = (int(x) for x in hhmm.split(":"))
    return datetime.combine(when, time(hours, minutes)).isoformat(timespec="minutes")


@capability(
    "social.posts", "Posts and short videos", "Captions, hashtags, times and media per platform."
)
def posts(p: Production) -> dict[str, Any]:
    plan, tb = p.data("platform_plan")["platforms"], p.data("trend_brief")
    topics = [t["topic"] for t in tb["trends"]]
    messages = p.brief.messages
    made: list[dict[str, Any]] = []
    for r, row in enumerate(plan):
        spec = PLATFORMS[row["platform"]]
        for k in range(POSTS_PER_PLATFORM):
            message = messages[(r + k) % len(messages)]
            topic = topics[(r + k) % len(topics)]
            tags = list(
                dict.fromkeys(
                    [_tag(p.brief.brand), _tag(topic), _tag(p.brief.product.removeprefix("the "))]
                )
            )
            tags = tags[: spec["hashtags"]]
            caption = tb["angle"] if k == 0 else f"{message}. Made for {topic}."
            if len(caption) + len(" ".join(tags)) + 1 > spec["limit"]:
                caption = caption[: spec["limit"] - len(" ".join(tags)) - 2].rsplit(" ", 1)[0] + "…"
            w, h = spec["size"]
            post = {"platform": spec["label"], "aspect": spec["aspect"], "caption": caption, "hashtags": tags,
                    "post_at": _slot(r + k * 2, spec["times"][k % len(spec["times"])]),
                    "format": "video" if spec["video"] else "image", "seconds": spec.get("seconds", 0)}  # fmt: skip
            key = f"{row['platform']}_{k + 1}"
            if spec["video"]:
                looks = [render_scene_frame(w, h, brand=p.ctx.brand, prompt=f"{topic} {message}", seed=k + j,
                                            title=message if j == 0 else "") for j in range(3)]  # fmt: skip
                clips = [SceneClip(image_png=png, duration=spec["seconds"] / 3,
                                   caption="" if j == 0 else (p.brief.product if j == 1 else p.brief.brand))
                         for j, png in enumerate(looks)]  # fmt: skip
                mp4, info = render_mp4(clips, w, h, seed=k)
                p.file(
                    key,
                    f"{spec['label']} video {k + 1}",
                    mp4,
                    f"{key}.mp4",
                    "video/mp4",
                    **info.as_dict(),
                )
            else:
                png = render_social_image(
                    w,
                    h,
                    brand=p.ctx.brand,
                    headline=message,
                    body=topic,
                    handle=f"@{re.sub(r'[^a-z0-9]', '', p.brief.brand.lower())}",
                )
                p.file(
                    key,
                    f"{spec['label']} post {k + 1}",
                    png,
                    f"{key}.png",
                    "image/png",
                    text=message,
                )
            post["file_key"] = key
            made.append(post)
    doc = md(f"# Posts — {len(made)} across {len(plan)} platforms",
             *[md_lines([f"## {m['platform']} · {m['format']} · {m['aspect']} · {m['post_at'].replace('T', ' ')}",
                         m["caption"], " ".join(m["hashtags"])]) for m in made])  # fmt: skip
    published = "\n".join(f"{m['caption']} {' '.join(m['hashtags'])}" for m in made)
    p.document(
        "captions", "Captions and hashtags", doc, purpose="Write the captions", scored=published
    )
    return {"posts": made}


@capability(
    "social.package", "Publishing package", "The schedule and manifest a scheduler imports."
)
def package(p: Production) -> dict[str, Any]:
    made = p.data("posts")["posts"]
    files = {o.key: o for o in p.files("posts")}
    manifest = [{**m, "file": files[m["file_key"]].file.name, "mime_type": files[m["file_key"]].mime_type}
                for m in made if m["file_key"] in files]  # fmt: skip
    p.table("schedule", "Publishing schedule (CSV)",
            [{"post_at": m["post_at"], "platform": m["platform"], "format": m["format"], "aspect": m["aspect"],
              "caption": m["caption"], "hashtags": " ".join(m["hashtags"]), "file": m["file"]} for m in manifest])  # fmt: skip
    p.add(OutputSpec(kind="json", key="manifest", title="Publishing manifest (JSON)",
                     text=json.dumps({"brand": p.brief.brand, "posts": manifest}, indent=2), scored_text=""))  # fmt: skip
    return {"files": len(manifest), "schedule": [m["post_at"] for m in manifest]}

"""Every job type and output type runs its real workflow through a real worker process.

Each test creates all the jobs of one type, lets a single burst worker drain the queues, then
reads the stored deliverables back (text from the database, PNG and WAV files from storage)
and checks what a client would check: limits, sections, sizes, running times.
"""

from __future__ import annotations

import io
import json
import re
import wave
from collections.abc import Callable
from typing import Any

import pytest
from PIL import Image

from approvals import services as approvals
from jobs.job_types import output_types_for
from jobs.job_types.writers.common import word_count
from jobs.job_types.writers.content import TARGET_WORDS
from jobs.job_types.writers.social import PLATFORMS, twitter_length
from jobs.mediakit.speech import espeak_available
from jobs.models import JobEvent, Output, ProductionJob, StepRun
from tests.factories import make_job

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ACME_COLOURS = ("#0B6E4F", "#F4F1DE", "#E07A5F")  # tests.factories.make_client
ACME_FACTS = ("Acme Outdoor was founded in 2009.", "Acme Outdoor ships to 12 countries.")

# One job per output type: (output type, inputs).
JOBS: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "content": [
        (
            "blog_post",
            {
                "contentType": "blog_post",
                "topic": "Trail running for beginners",
                "length": "short",
                "keywords": ["trail shoes", "pacing"],
                "callToAction": "Visit the store",
            },
        ),
        (
            "email",
            {
                "contentType": "email",
                "topic": "Spring range launch",
                "tone": "friendly",
                "callToAction": "See the new range",
            },
        ),
        ("landing_page", {"contentType": "landing_page", "topic": "Guided hikes"}),
        ("case_study", {"contentType": "case_study", "topic": "Shipping to 12 countries"}),
    ],
    "visual": [
        ("banner", {"visualType": "banner", "headline": "Trail season is here"}),
        ("social_image", {"visualType": "social_image", "topic": "New waterproof jackets"}),
        (
            "infographic",
            {
                "visualType": "infographic",
                "headline": "Trail miles by season",
                "data": [
                    {"label": "Spring", "value": 120},
                    {"label": "Summer", "value": 180},
                    {"label": "Autumn", "value": 140},
                ],
            },
        ),
        ("logo", {"visualType": "logo", "style": "minimal"}),
    ],
    "brand": [
        ("guidelines", {"brandType": "guidelines"}),
        ("voice", {"brandType": "voice"}),
        ("messaging", {"brandType": "messaging", "values": ["durability", "care"]}),
    ],
    "social": [
        ("linkedin", {"platforms": ["linkedin"], "topic": "Trail etiquette", "hashtags": 3}),
        ("twitter", {"platforms": ["twitter"], "topic": "Trail etiquette", "hashtags": 5}),
        ("facebook", {"platforms": ["facebook"], "topic": "Trail etiquette", "hashtags": 2}),
        ("instagram", {"platforms": ["instagram"], "topic": "Trail etiquette", "hashtags": 8}),
    ],
    "seo": [
        (
            "meta_tags",
            {
                "seoType": "meta_tags",
                "topic": "Lightweight hiking boots for long weekend trails",
                "url": "https://acme.example/boots",
            },
        ),
        (
            "outline",
            {"seoType": "outline", "topic": "Trail shoes", "keywords": ["trail shoes", "grip"]},
        ),
        ("keywords", {"seoType": "keywords", "topic": "Trail shoes", "keywords": ["shoe prices"]}),
        (
            "local_seo",
            {
                "seoType": "local_seo",
                "topic": "Hiking gear",
                "location": "Boulder",
                "businessCategory": "Outdoor shop",
            },
        ),
    ],
    "website": [
        ("home", {"pageType": "home"}),
        ("about", {"pageType": "about"}),
        ("services", {"pageType": "services", "services": ["Boot fitting", "Pack repairs"]}),
        ("contact", {"pageType": "contact"}),
    ],
    "voice": [
        ("intro", {"scriptType": "intro", "topic": "Welcome to Acme", "durationSeconds": 15}),
        ("explainer", {"scriptType": "explainer", "topic": "Boot fitting", "durationSeconds": 30}),
        ("testimonial", {"scriptType": "testimonial", "topic": "Our packs", "durationSeconds": 20}),
        ("promo", {"scriptType": "promo", "topic": "Spring offer", "durationSeconds": 15}),
    ],
}

IMAGE_SIZES = {
    "banner": [(1200, 628)],
    "social_image": [(1080, 1080), (1080, 1350)],
    "infographic": [(1080, 1350)],
    "logo": [(512, 512)],
}
MARK = re.compile(r"^\[(\d+):(\d\d)-(\d+):(\d\d)\] [A-Z][A-Z :]+$", re.M)


# --- helpers -----------------------------------------------------------------------------------


def produce(acme, worker_factory, job_type: str) -> dict[str, ProductionJob]:
    """Create one job per output type, then let one burst worker run them all."""
    jobs = {
        output_type: make_job(
            acme,
            job_type=job_type,
            title=f"{job_type} {output_type}",
            inputs=inputs,
            auto_process=True,
        )
        for output_type, inputs in JOBS[job_type]
    }
    log = worker_factory(burst=True).wait(timeout=120)
    for job in jobs.values():
        job.refresh_from_db()
        assert job.status == "review", (job.title, job.status, job.error, log[-2000:])
    return jobs


def outputs(job: ProductionJob, step: str | None = None, revision: int = 1) -> list[Output]:
    found = Output.objects.filter(job=job, revision=revision).order_by("step", "item")
    return list(found.filter(step=step) if step else found)


def only(job: ProductionJob, step: str | None = None) -> Output:
    [output] = outputs(job, step)
    return output


def data(output: Output) -> dict[str, Any]:
    return output.metadata["data"]


def headings(text: str, level: int) -> list[str]:
    return re.findall(rf"^{'#' * level} (.+)$", text, flags=re.M)


def hashtags_in(text: str) -> list[str]:
    return re.findall(r"(?<![\w#])#[A-Za-z]\w*", text)


def read_file(output: Output) -> bytes:
    with output.file.open("rb") as handle:
        return handle.read()


def assert_recorded(job: ProductionJob, steps: dict[str, str], events: set[str]) -> None:
    """Each step ran once and says which provider did the work; the events were written."""
    runs = {run.step: run for run in StepRun.objects.filter(job=job, revision=job.revision)}
    assert set(runs) == set(steps)
    for name, provider in steps.items():
        run = runs[name]
        assert run.status == "succeeded", (name, run.error)
        assert run.finished_at and run.started_at and run.finished_at >= run.started_at
        assert run.duration_ms >= 0
        if provider:
            assert run.provider == provider and run.calls >= 1, name
            assert run.provider_attempts and all(
                a["outcome"] == "ok" and a["provider"] == provider and a["duration_ms"] > 0
                for a in run.provider_attempts
            ), name
        else:
            assert run.calls == 0 and run.provider_attempts == [], name
    actions = set(JobEvent.objects.filter(job=job).values_list("action", flat=True))
    assert events <= actions, (job.title, actions)
    assert job.progress == 100 and job.safety_score is not None


# --- content -----------------------------------------------------------------------------------


def check_blog_post(job: ProductionJob) -> None:
    post = only(job)
    assert post.kind == "markdown" and post.key == "blog_post"
    assert len(headings(post.text, 1)) == 1
    h2 = headings(post.text, 2)
    assert len(h2) >= 3 and data(post)["headings"] == h2
    assert h2[0].startswith("Trail shoes") and h2[1].startswith("Pacing")
    # The built-in writer drafts from the brief and records the length to aim for.
    assert post.metadata["target_words"] == TARGET_WORDS["blog_post"]["short"]
    assert post.metadata["draft_source"] == "built-in writer"
    assert "Visit the store." in post.text.split(f"## {h2[-1]}")[1]


def check_email(job: ProductionJob) -> None:
    email = only(job)
    parts = data(email)
    assert 0 < len(parts["subject"]) <= 60 and 0 < len(parts["preheader"]) <= 100
    assert f"**Subject:** {parts['subject']}" in email.text
    assert f"**Preheader:** {parts['preheader']}" in email.text
    assert parts["body"].startswith("Hi there,") and parts["body"] in email.text
    assert word_count(parts["body"]) >= 20
    assert parts["cta"] == "See the new range." and parts["cta"] in parts["body"]


def check_landing_page(job: ProductionJob) -> None:
    page = only(job)
    parts = data(page)
    assert len(headings(page.text, 1)) == 1
    assert {"Key points", "About Acme Outdoor", "Next step"} <= set(headings(page.text, 2))
    assert parts["hero"]["headline"] == "Guided Hikes" and parts["hero"]["cta"]
    assert parts["hero"]["cta"] in page.text.split("## Next step")[1]


def check_case_study(job: ProductionJob) -> None:
    study = only(job)
    assert {"The challenge", "The solution", "The results"} <= set(headings(study.text, 2))
    results = study.text.split("## The results")[1].split("\n## ")[0]
    assert ACME_FACTS[1] in results
    # With no description the challenge and solution are left as marked notes, not invented.
    assert study.text.count("_Draft note:") == 2


# --- visual ------------------------------------------------------------------------------------


def check_images(job: ProductionJob, visual_type: str) -> None:
    specs = [data(o) for o in outputs(job, "copy")]
    images = outputs(job, "render")
    assert [(o.metadata["width"], o.metadata["height"]) for o in images] == IMAGE_SIZES[visual_type]
    for spec, image in zip(specs, images, strict=True):
        png = read_file(image)
        assert png.startswith(b"\x89PNG") and image.size_bytes == len(png)
        with Image.open(io.BytesIO(png)) as picture:
            assert picture.format == "PNG" and picture.mode == "RGB"
            assert picture.size == (spec["width"], spec["height"])
            # Rendered text and shapes, not a flat fill: anti-aliased edges make many colours.
            assert len(picture.getcolors(maxcolors=1 << 20) or []) > 50
        assert image.kind == "image" and image.mime_type == "image/png"
        assert spec["headline"] in image.metadata["text"]
        assert [c.upper() for c in spec["colors"]] == list(ACME_COLOURS)
        assert image.safety_score is not None  # the words on the image were scored


def check_banner(job: ProductionJob) -> None:
    check_images(job, "banner")
    assert data(only(job, "copy"))["headline"] == "Trail season is here"


def check_social_image(job: ProductionJob) -> None:
    check_images(job, "social_image")


def check_infographic(job: ProductionJob) -> None:
    check_images(job, "infographic")
    spec = data(only(job, "copy"))
    assert [d["label"] for d in spec["data"]] == ["Spring", "Summer", "Autumn"]
    assert {"Spring", "Summer", "Autumn"} <= set(only(job, "render").metadata["text"].split("\n"))


def check_logo(job: ProductionJob) -> None:
    check_images(job, "logo")
    assert data(only(job, "copy"))["headline"] == "Acme Outdoor"


# --- brand -------------------------------------------------------------------------------------


def check_guidelines(job: ProductionJob) -> None:
    guide = only(job)
    assert guide.title == "Acme Outdoor brand guidelines"
    assert headings(guide.text, 1)[0].startswith("Acme Outdoor")
    for colour in ACME_COLOURS:
        assert colour in guide.text
    assert [c["hex"] for c in data(guide)["colors"]] == list(ACME_COLOURS)
    for heading in ("Voice", "Tone", "Colours", "Typography", "Do", "Don't"):
        assert heading in headings(guide.text, 2)


def check_voice_guide(job: ProductionJob) -> None:
    guide = only(job)
    traits = [t["trait"] for t in data(guide)["traits"]]
    assert traits[:2] == ["Plain-spoken", "Encouraging"] and len(set(traits)) == len(traits)
    assert "Acme Outdoor" in guide.text


def check_messaging(job: ProductionJob) -> None:
    messaging = only(job)
    assert data(messaging)["proof_points"] == list(ACME_FACTS)
    assert [m["title"] for m in data(messaging)["key_messages"]] == ["Durability", "Care"]


# --- social ------------------------------------------------------------------------------------


def check_post(job: ProductionJob, platform: str, tags: int) -> None:
    post = only(job)
    assert post.kind == "text" and post.key == f"{platform}_post_1"
    length = twitter_length(post.text) if platform == "twitter" else len(post.text)
    assert 0 < length <= PLATFORMS[platform]["limit"]
    assert post.metadata["length"] == length
    assert len(hashtags_in(post.text)) == tags == post.metadata["hashtag_count"]
    assert hashtags_in(post.text) == data(post)["hashtags"]


# --- seo ---------------------------------------------------------------------------------------


def check_meta_tags(job: ProductionJob) -> None:
    tags = only(job)
    title, description = data(tags)["title"], data(tags)["description"]
    assert 0 < len(title) <= 60
    assert 120 <= len(description) <= 160
    assert f"<title>{title}</title>" in tags.text
    assert f'<meta name="description" content="{description}">' in tags.text
    assert '<link rel="canonical" href="https://acme.example/boots">' in tags.text


def check_outline(job: ProductionJob) -> None:
    outline = only(job)
    assert data(outline)["primary_keyword"] == "trail shoes"
    assert len(data(outline)["headings"]) >= 3
    assert all(f"## {h}" in outline.text for h in data(outline)["headings"])
    assert "## Frequently asked questions" in outline.text


def check_keywords(job: ProductionJob) -> None:
    keywords = only(job)
    groups = data(keywords)["groups"]
    assert set(groups) == {"informational", "commercial", "transactional", "navigational"}
    flat = [row["keyword"] for rows in groups.values() for row in rows]
    assert len(flat) == len(set(flat)) >= 10
    assert "shoe prices" in [row["keyword"] for row in groups["transactional"]]


def check_local_seo(job: ProductionJob) -> None:
    local = only(job)
    assert data(local)["nap"]["name"] == "Acme Outdoor"
    assert local.metadata["location_mentions"] >= 5
    assert len(data(local)["title"]) <= 60 and 120 <= len(data(local)["description"]) <= 160
    assert len(data(local)["gbp_description"]) <= 750
    block = local.text.split("```json\n")[1].split("```")[0]
    assert json.loads(block)["areaServed"] == "Boulder"


# --- website -----------------------------------------------------------------------------------


def check_page(job: ProductionJob, page: str) -> None:
    copy = only(job)
    assert copy.key == f"{page}_page" and len(headings(copy.text, 1)) == 1
    sections = data(copy)["sections"]
    assert [s["key"] for s in sections] == copy.metadata["sections"]
    for section in sections[1:]:
        assert f"## {section['title']}" in copy.text
    if page == "services":
        assert {"Boot fitting", "Pack repairs"} <= set(headings(copy.text, 3))


# --- voice -------------------------------------------------------------------------------------


def check_script(job: ProductionJob, seconds: int) -> None:
    script = only(job, "script")
    marks = [
        (int(a) * 60 + int(b), int(c) * 60 + int(d)) for a, b, c, d in MARK.findall(script.text)
    ]
    assert marks[0][0] == 0 and marks[-1][1] == seconds
    assert all(a[1] == b[0] for a, b in zip(marks, marks[1:], strict=False))
    narration = StepRun.objects.get(job=job, step="narration")
    if not espeak_available():
        assert "espeak-ng is not installed" in narration.note
        assert not outputs(job, "narration")
        return
    assert narration.note == "" and narration.items_done == narration.items_total == 1
    audio = only(job, "narration")
    with wave.open(io.BytesIO(read_file(audio))) as reader:
        duration = reader.getnframes() / reader.getframerate()
        assert reader.getnchannels() == 1 and reader.getsampwidth() == 2
    assert duration > 0 and audio.mime_type == "audio/wav"
    assert audio.metadata["duration_seconds"] == pytest.approx(duration)


CHECKS: dict[str, dict[str, Callable[[ProductionJob], None]]] = {
    "content": {
        "blog_post": check_blog_post,
        "email": check_email,
        "landing_page": check_landing_page,
        "case_study": check_case_study,
    },
    "visual": {
        "banner": check_banner,
        "social_image": check_social_image,
        "infographic": check_infographic,
        "logo": check_logo,
    },
    "brand": {
        "guidelines": check_guidelines,
        "voice": check_voice_guide,
        "messaging": check_messaging,
    },
    "social": {
        platform: (lambda job, p=platform, n=inputs["hashtags"]: check_post(job, p, n))
        for platform, inputs in JOBS["social"]
    },
    "seo": {
        "meta_tags": check_meta_tags,
        "outline": check_outline,
        "keywords": check_keywords,
        "local_seo": check_local_seo,
    },
    "website": {page: (lambda job, p=page: check_page(job, p)) for page, _ in JOBS["website"]},
    "voice": {
        kind: (lambda job, s=inputs["durationSeconds"]: check_script(job, s))
        for kind, inputs in JOBS["voice"]
    },
}
STEPS = {
    "visual": {"copy": "", "render": "builtin-image"},
    "voice": {
        "script": "builtin-text",
        "narration": "builtin-speech" if espeak_available() else "",
    },
}
EVENTS = {"visual": {"content_generated", "visual_created"}}


# --- the tests ---------------------------------------------------------------------------------


def test_every_output_type_of_every_job_type_is_covered_here():
    for job_type, cases in JOBS.items():
        ordered = [o.key for o in output_types_for(job_type)]
        assert [name for name, _ in cases] == ordered, job_type
        assert list(CHECKS[job_type]) == ordered, job_type


@pytest.mark.parametrize("job_type", list(JOBS))
def test_a_worker_produces_every_output_type_of_the_job_type(
    job_type, acme, worker_factory, media_root
):
    jobs = produce(acme, worker_factory, job_type)
    for output_type, job in jobs.items():
        CHECKS[job_type][output_type](job)
        assert_recorded(
            job,
            STEPS.get(job_type, {"write": "builtin-text"}),
            EVENTS.get(job_type, {"content_generated"}),
        )
        assert all(
            o.safety_score is not None for o in outputs(job) if o.kind not in ("json", "audio")
        )


def test_changes_requested_through_review_produce_revision_two_from_the_feedback(
    acme, rita, worker_factory, media_root
):
    blog = make_job(
        acme, title="Revised blog", inputs=dict(JOBS["content"][0][1]), auto_process=True
    )
    banner = make_job(
        acme,
        job_type="visual",
        title="Revised banner",
        inputs=dict(JOBS["visual"][0][1]),
        auto_process=True,
    )
    worker_factory(burst=True).wait(timeout=120)
    first_post = only(blog)
    first_png = only(banner, "render")
    first_bytes = read_file(first_png)
    assert "free shipping" not in first_post.text.lower()

    for job in (blog, banner):
        approvals.job_decide(
            job=job, user=rita, decision="request_changes", feedback="Mention free shipping"
        )
    worker_factory(burst=True).wait(timeout=120)

    for job in (blog, banner):
        job.refresh_from_db()
        assert job.status == "review" and job.revision == 2
    post = Output.objects.get(job=blog, revision=2)
    assert "free shipping" in post.text.lower()
    assert post.metadata["feedback_applied"] == ["Mentioned 'free shipping'."]
    assert post.metadata["revision"] == 2 and post.checksum != first_post.checksum
    # The banner's words change, so its picture does; revision 1's file is kept as it was.
    png = Output.objects.get(job=banner, revision=2, step="render")
    assert "free shipping" in png.metadata["text"].lower()
    assert png.file.name != first_png.file.name and read_file(png) != first_bytes
    first_post.refresh_from_db()
    assert "free shipping" not in first_post.text.lower()
    assert read_file(first_png) == first_bytes
    assert Output.objects.filter(job=blog).count() == 2
    assert StepRun.objects.filter(job=banner).count() == 4  # copy and render, per revision
    request = approvals.pending_request_for(blog)
    assert request.revision == 2 and request.output_ids == [post.pk]


@pytest.mark.skipif(not espeak_available(), reason="espeak-ng is not installed")
def test_the_narration_speaks_only_the_scripts_spoken_lines(acme, worker_factory, media_root):
    job = make_job(
        acme,
        job_type="voice",
        title="Narrated promo",
        inputs=dict(JOBS["voice"][3][1]),
        auto_process=True,
    )
    worker_factory(burst=True).wait(timeout=120)
    spoken = data(only(job, "script"))["narration"]
    assert only(job, "narration").metadata["words"] == len(spoken.split())

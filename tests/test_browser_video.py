"""A video job in a real Chromium: paste a treatment, watch the DAG go live, play the MP4."""

from __future__ import annotations

import os
import re

import pytest

from jobs.models import Manifest, ProductionJob
from tests.browser import (
    JOB_URL,
    fill_brief,
    open_new_job_dialog,
    requires_chromium,
    screenshot,
    sign_in,
    wait_for_js,
)
from tests.factories import PASSWORD

# Playwright's sync API keeps an event loop in this thread; the ORM calls made here are still
# plain blocking calls of the test, so Django may run them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), requires_chromium]

TREATMENT = """## Scene 1: Hook
Narration: Meet the lantern that lasts all weekend.
Visual: A glowing lantern at a dusk campsite, tents behind it.
On-screen text: 48 hours of light

## Scene 2: Call to action
Narration: Find it in every Acme store this spring.
Visual: The lantern on a store shelf next to hiking boots.
On-screen text: Shop the lantern
"""
RENDER_TIMEOUT = 90_000  # ms: plan, six media steps on two workers, then a 10-second encode


def test_a_pasted_treatment_goes_live_to_a_playable_video(
    live_server, page, acme, alice, media_root, worker_factory
):
    from playwright.sync_api import expect

    sign_in(page, live_server.url, "alice", PASSWORD)
    open_new_job_dialog(page, "video")
    treatment = page.locator("#f-inputData-treatment")
    assert treatment.evaluate("el => el.tagName") == "TEXTAREA"
    assert treatment.get_attribute("rows") == "12"
    page.fill("#f-title", "Lantern launch teaser")
    fill_brief(
        page,
        {
            "treatment": TREATMENT,
            "durationSeconds": "10",
            "aspectRatio": "16:9",
            "platform": "youtube",
            "tone": "friendly",
        },
    )
    screenshot(page, "video-new-job-dialog", full_page=False)
    page.get_by_role("button", name="Create job").click()
    page.wait_for_url(JOB_URL)
    job_id = page.url.rstrip("/").rsplit("/", 1)[-1]

    status = page.locator("#job-header .pill")
    expect(status).to_have_text("Queued")
    expect(page.locator("#job-manifest")).to_contain_text("appears here once the treatment")
    page.evaluate("window.notReloaded = true")
    for _ in range(2):
        worker_factory(burst=False)

    # The plan runs first; its manifest and the DAG it decided arrive without a reload.
    manifest = page.locator("#job-manifest")
    expect(manifest.locator("tr[data-scene]")).to_have_count(2, timeout=RENDER_TIMEOUT)
    expect(page.locator("#job-pipeline [data-step='speech:s1'] .step-label")).to_contain_text(
        "Narrate scene 1"
    )
    # The pipeline groups steps by DAG layer: the scene's media, then its segment renders.
    parallel = page.locator("#job-pipeline .pipeline-parallel")
    expect(parallel.filter(has_text="The next 5 steps run in parallel")).to_have_count(1)
    screenshot(page, "video-job-producing")

    expect(status).to_have_text("In review", timeout=RENDER_TIMEOUT)
    expect(page.locator("#job-pipeline [data-step='render']")).to_have_attribute(
        "data-state", "done"
    )
    assert page.evaluate("window.notReloaded") is True

    for fact in ("10 s", "16:9", "1280×720", "YouTube"):
        expect(manifest.locator(".manifest-facts")).to_contain_text(fact)
    expect(manifest).to_contain_text("Meet the lantern that lasts all weekend.")
    expect(manifest).to_contain_text("Shop the lantern")

    video = page.locator("#job-outputs video")
    expect(video).to_have_count(1)
    expect(video).to_have_attribute(
        "src", re.compile(rf"/jobs/{job_id}/outputs/\d+/file/\?inline=1$")
    )
    wait_for_js(
        page,
        "document.querySelector('#job-outputs video')"
        " && document.querySelector('#job-outputs video').readyState >= 1",
        timeout=20,
    )
    # It plays: a second of it, muted, moves the clock (and clears the player's spinner).
    played = video.evaluate(
        "async v => { v.muted = true; await v.play();"
        " await new Promise(r => setTimeout(r, 1200)); v.pause(); return v.currentTime; }"
    )
    assert played > 0.5
    state = video.evaluate(
        "v => ({ready: v.readyState, duration: v.duration, width: v.videoWidth,"
        " height: v.videoHeight, error: v.error && v.error.code})"
    )
    assert state["error"] is None
    assert abs(state["duration"] - 10) <= 0.3
    assert (state["width"], state["height"]) == (1280, 720)
    screenshot(page, "video-job-full")
    # Tall enough to hold the header, the manifest and the player in one picture.
    page.set_viewport_size({"width": 1366, "height": 1500})
    screenshot(page, "video-job", full_page=False)

    job = ProductionJob.objects.get(pk=job_id)
    assert job.job_type == "video" and job.status == "review"
    assert Manifest.objects.get(job=job).manifest["metadata"]["duration_seconds"] == 10


def test_a_fallback_manifest_is_flagged_for_manual_review(
    live_server, page, acme, alice, redis_conn
):
    from playwright.sync_api import expect

    from jobs import engine
    from jobs.models import StepRun
    from jobs.services import job_create

    job = job_create(
        client=acme,
        job_type="video",
        title="A wish, not a treatment",
        input_data={"treatment": "!!! ??? ... --- *** !!!", "durationSeconds": 10},
    )
    run = StepRun.objects.get(job=job, step="plan")
    assert engine.run_step(run.pk, run.attempt) == "succeeded"

    sign_in(page, live_server.url, "alice", PASSWORD)
    page.goto(f"{live_server.url}/jobs/{job.pk}/")
    manifest = page.locator("#job-manifest")
    notice = manifest.locator(".manifest-review")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Manual review needed")
    expect(manifest.locator(".manifest-warnings")).to_contain_text("No scenes were found")
    # The notice is styled as a warning, not plain text.
    background = notice.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    screenshot(page, "video-manifest-fallback", full_page=False)

"""The dashboard for video jobs: the treatment form, the manifest panel, the DAG, the player."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from django.test import Client as HttpClient
from django.urls import reverse

from jobs import engine
from jobs.models import Manifest, Output, ProductionJob, StepRun
from jobs.services import job_create
from tests.factories import PASSWORD, with_scope_statements
from tests.test_dashboard_queries import DETAIL_FRAGMENT_QUERIES, DETAIL_PAGE_QUERIES

HTMX = {"HTTP_HX_REQUEST": "true"}
TREATMENT = """## Scene 1: Hook
Narration: Your favourite boots deserve a second life.
Visual: Worn hiking boots on a wooden bench.
On-screen text: Repair, don't replace

## Scene 2: In numbers
Narration: Every year we repair more pairs.
Chart: Pairs repaired
- 2023: 1850
- 2024: 2600
"""
OVERLONG = """SCENE 1 - HOOK (0:00-0:20)
VO: Meet the lantern that lasts all weekend.

SCENE 2 - CTA (0:20-0:40)
VO: Find it in every Acme store.
"""


def signed_in(user) -> HttpClient:
    client = HttpClient()
    assert client.login(username=user.get_username(), password=PASSWORD)
    return client


def planned_video(client, user, treatment: str = TREATMENT, **settings) -> ProductionJob:
    """A video job whose plan step ran: its manifest and DAG exist, no media yet."""
    job = job_create(
        client=client,
        job_type="video",
        title="Boot repair video",
        created_by=user,
        input_data={"treatment": treatment, "durationSeconds": 10, **settings},
    )
    run = StepRun.objects.get(job=job, step="plan")
    assert engine.run_step(run.pk, run.attempt) == "succeeded"
    job.refresh_from_db()
    return job


def test_the_new_job_form_offers_video_with_a_tall_treatment_box(acme, alice):
    html = signed_in(alice).get(reverse("new_job") + "?jobType=video", **HTMX).content.decode()
    assert 'name="jobType" value="video" checked' in html
    treatment = re.search(r"<textarea[^>]*name=\"inputData.treatment\"[^>]*>", html, re.S)
    assert treatment and 'rows="12"' in treatment.group(0)
    for name in ("aspectRatio", "platform", "tone"):
        assert f'<select id="f-inputData-{name}" name="inputData.{name}"' in html
    assert 'type="number" id="f-inputData-durationSeconds"' in html
    assert '<option value="9:16">9:16</option>' in html


def test_posting_the_form_creates_a_queued_video_job(acme, alice):
    response = signed_in(alice).post(
        reverse("new_job"),
        {
            "jobType": "video",
            "client": str(acme.pk),
            "title": "Boot repair video",
            "priority": "normal",
            "inputData.treatment": TREATMENT,
            "inputData.durationSeconds": "10",
            "inputData.aspectRatio": "9:16",
            "inputData.platform": "tiktok",
            "inputData.tone": "friendly",
            "submitted": "1",
            "autoProcess": "on",
        },
    )
    job = ProductionJob.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/jobs/{job.pk}/")
    assert (job.job_type, job.status) == ("video", "queued")
    assert job.input_data["aspectRatio"] == "9:16" and job.input_data["durationSeconds"] == 10
    assert job.input_data["treatment"].startswith("## Scene 1")


def test_the_detail_page_shows_the_manifest_with_its_settings_and_scenes(acme, alice):
    job = planned_video(acme, alice, aspectRatio="16:9", platform="youtube")

    html = signed_in(alice).get(reverse("job_detail", args=[job.pk])).content.decode()

    panel = html[html.index('id="job-manifest"') : html.index('id="job-outputs"')]
    assert "Production manifest" in panel and "Read by the parser" in panel
    for fact in ("10 s", "16:9", "1280×720", "YouTube"):
        assert f"<dd>{fact}</dd>" in panel
    assert panel.count("<tr data-scene=") == 2
    assert "0:00.0–" in panel and "–0:10.0" in panel
    assert "Your favourite boots deserve a second life." in panel
    assert "Repair, don&#x27;t replace" in panel
    assert "Chart: Pairs repaired (2 points)" in panel
    assert "Manual review needed" not in panel


def test_rescaled_timecodes_show_as_warnings_and_a_fallback_asks_for_manual_review(acme, alice):
    rescaled = planned_video(acme, alice, OVERLONG)
    fallback = planned_video(acme, alice, "!!! ??? ... --- *** !!!")
    client = signed_in(alice)

    html = client.get(reverse("job_detail", args=[rescaled.pk])).content.decode()
    assert 'class="alert alert-warning manifest-warnings"' in html
    assert "Scaled the treatment&#x27;s timing from 40.0s to 10s" in html
    assert "Manual review needed" not in html

    html = client.get(reverse("job_detail", args=[fallback.pk])).content.decode()
    assert 'class="alert alert-warning manifest-review"' in html
    assert "minimal fallback" in html and "No scenes were found" in html


def test_the_manifest_part_reloads_on_its_own_and_says_when_there_is_no_plan_yet(acme, alice):
    job = job_create(
        client=acme,
        job_type="video",
        title="Not planned",
        input_data={"treatment": TREATMENT},
        auto_process=False,
    )
    client = signed_in(alice)
    html = client.get(reverse("job_partial", args=[job.pk, "manifest"])).content.decode()
    assert 'id="job-manifest"' in html and "appears here once the treatment is planned" in html
    assert 'hx-trigger="outputs-changed from:body"' in html


def test_the_pipeline_names_scenes_and_shows_which_steps_run_in_parallel(acme, alice):
    job = planned_video(acme, alice)

    html = signed_in(alice).get(reverse("job_partial", args=[job.pk, "pipeline"])).content.decode()

    labels = re.findall(r'<span class="step-label">([^<]+)', html)
    assert labels == [
        "Plan the production",
        "Narrate scene 1",
        "Draw the frame for scene 1",
        "Narrate scene 2",
        "Draw the chart for scene 2",
        "Compose the music bed",
        "Fit the timeline and captions",
        "Render scene 1",
        "Render scene 2",
        "Join the scenes into the MP4",
        "Review and approval",
    ]
    assert html.count("The next 5 steps run in parallel") == 1
    assert html.count('data-parallel="5"') == 5
    assert 'data-step="render" data-state="pending"' in html


def test_other_job_types_get_no_manifest_panel(acme, alice):
    job = job_create(
        client=acme,
        job_type="content",
        title="Blog",
        input_data={"contentType": "blog_post", "topic": "Trail running"},
        auto_process=False,
    )
    html = signed_in(alice).get(reverse("job_detail", args=[job.pk])).content.decode()
    assert 'id="job-manifest"' not in html


def test_the_video_plays_through_the_access_checked_file_route(acme, alice, bob, media_root):
    job = planned_video(acme, alice)
    output = Output.objects.create(
        job=job, step="render", key="video", kind="video", title="Boot repair video"
    )
    output.file.save("video.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42"), save=True)
    Output.objects.filter(pk=output.pk).update(mime_type="video/mp4")
    url = reverse("output_file", args=[job.pk, output.pk])

    html = signed_in(alice).get(reverse("job_detail", args=[job.pk])).content.decode()
    assert f'<video controls preload="metadata" src="{url}?inline=1"' in html
    response = signed_in(alice).get(url + "?inline=1")
    assert response["Content-Type"] == "video/mp4"
    assert response["Content-Disposition"].startswith("inline")
    assert signed_in(bob).get(url + "?inline=1").status_code == 404


@pytest.mark.parametrize("fragment", [False, True])
def test_a_planned_video_job_costs_one_query_more_than_other_jobs(
    acme, alice, fragment, django_assert_num_queries
):
    job = planned_video(acme, alice)
    assert Manifest.objects.filter(job=job).exists()
    client = signed_in(alice)
    # The manifest row: the panel shows it and the workflow lists its steps from the same row.
    expected = with_scope_statements(
        (DETAIL_FRAGMENT_QUERIES if fragment else DETAIL_PAGE_QUERIES) + 1
    )
    with django_assert_num_queries(expected):
        response = client.get(reverse("job_detail", args=[job.pk]), **(HTMX if fragment else {}))
    assert response.status_code == 200

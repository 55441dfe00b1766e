"""Downloaded outputs are named for people: client, job title, which output, revision."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.test import Client as HttpClient

from jobs.models import Output
from jobs.output_names import download_name
from tests.factories import PASSWORD, make_client, make_job

pytestmark = pytest.mark.django_db

VIDEO = {"treatment": "## Scene 1: Hook\nVO: Cold brew is here."}


@pytest.fixture
def northwind(db):
    return make_client("northwind", "Northwind Coffee")


def output(job, **fields) -> Output:
    return Output(job=job, step=fields.pop("step", "render"), **fields)


def test_the_finished_video_is_named_after_the_job(northwind):
    job = make_job(northwind, title="Cold brew launch", job_type="video", inputs=VIDEO)
    video = output(job, key="video", kind="video", title="Cold brew launch", revision=2)
    video.file.name = "outputs/x/y/r2/render-0-video.mp4"
    assert download_name(job, video) == "northwind-cold-brew-launch-video-r2.mp4"


def test_a_scene_part_says_which_scene(northwind):
    job = make_job(northwind, title="Cold brew launch", job_type="video", inputs=VIDEO)
    narration = output(job, key="narration_s1", kind="audio", title="Narration, scene 1")
    narration.file.name = "outputs/x/y/r1/speech_s1-0-narration-s1.wav"
    assert download_name(job, narration) == "northwind-cold-brew-launch-narration-scene-1-r1.wav"


def test_text_outputs_get_their_kinds_extension_and_titles_are_not_repeated(northwind):
    job = make_job(northwind, title="Northwind spring menu")
    post = output(job, key="post", kind="markdown", title="", step="write")
    assert download_name(job, post) == "northwind-spring-menu-post-r1.md"
    spec = output(job, key="manifest", kind="json", title="Production manifest")
    assert download_name(job, spec) == "northwind-spring-menu-production-manifest-r1.json"


def test_a_title_without_latin_letters_still_gives_a_name(northwind):
    job = make_job(northwind, title="北风")
    image = output(job, key="banner_1200x628", kind="image", title="")
    image.file.name = "outputs/banner.png"
    assert download_name(job, image) == "northwind-banner-1200x628-r1.png"


def test_the_dashboard_serves_files_under_that_name(northwind, media_root):
    from tests.factories import make_user

    make_user("nina", northwind, "member")
    job = make_job(northwind, title="Cold brew launch")
    stored = Output(job=job, step="render", key="banner", kind="image", mime_type="image/png")
    stored.file.save("render-0-banner.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=True)
    client = HttpClient()
    assert client.login(username="nina", password=PASSWORD)
    response = client.get(f"/jobs/{job.pk}/outputs/{stored.pk}/file/")
    disposition = response["Content-Disposition"]
    assert 'filename="northwind-cold-brew-launch-banner-r1.png"' in disposition

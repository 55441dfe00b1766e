"""A job's outputs with signed, expiring download links; its history and its step runs."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlparse

import boto3
import pytest
from django.core import signing
from django.core.files.base import ContentFile
from django.utils.text import slugify
from moto.server import ThreadedMotoServer
from rest_framework.test import APIClient

from jobs.api import downloads
from jobs.models import Output, StepRun
from tests.factories import api_as, make_job

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def with_outputs(client):
    job = make_job(client)
    text = Output.objects.create(
        job=job, step="write", key="post", kind="markdown", title="Post", text="# Hello trail"
    )
    image = Output(job=job, step="banner", key="banner", kind="image", mime_type="image/png")
    image.file.save("banner.png", ContentFile(PNG), save=False)
    image.size_bytes = len(PNG)
    image.save()
    return job, text, image


def download_path(url: str) -> str:
    parsed = urlparse(url)
    return f"{parsed.path}?{parsed.query}"


def test_it_lists_outputs_with_download_links(acme, alice, media_root):
    job, text, image = with_outputs(acme)

    response = api_as(alice).get(f"/api/v1/jobs/{job.pk}/outputs/")

    assert response.status_code == 200
    body = {item["key"]: item for item in response.json()}
    assert body["post"]["text"] == "# Hello trail"
    assert body["banner"]["kind"] == "image"
    for item in body.values():
        assert f"/api/v1/outputs/{item['id']}/download?sig=" in item["download_url"]


def test_it_filters_outputs_by_revision(acme, alice, media_root):
    job, _, _ = with_outputs(acme)
    Output.objects.create(job=job, step="write", revision=2, key="post", kind="text", text="v2")

    items = api_as(alice).get(f"/api/v1/jobs/{job.pk}/outputs/?revision=2").json()

    assert [(item["revision"], item["text"]) for item in items] == [(2, "v2")]


def test_a_download_link_streams_the_file(acme, alice, media_root):
    job, _, image = with_outputs(acme)
    api = api_as(alice)
    [item] = [o for o in api.get(f"/api/v1/jobs/{job.pk}/outputs/").json() if o["key"] == "banner"]

    response = api.get(download_path(item["download_url"]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment")


def test_a_download_link_of_a_text_output_gives_the_text(acme, alice, media_root):
    job, text, _ = with_outputs(acme)
    api = api_as(alice)
    [item] = [o for o in api.get(f"/api/v1/jobs/{job.pk}/outputs/").json() if o["key"] == "post"]

    response = api.get(download_path(item["download_url"]))

    assert response.status_code == 200 and response.content == b"# Hello trail"
    # Named for a person: client, job title, output and revision.
    name = f"acme-{slugify(job.title)}-post-r1.md"
    assert f'filename="{name}"' in response["Content-Disposition"]


def test_a_download_link_expires(acme, alice, media_root, monkeypatch):
    _, _, image = with_outputs(acme)
    issued = time.time() - downloads.LINK_MAX_AGE - 5
    monkeypatch.setattr(signing.time, "time", lambda: issued)
    sig = downloads.sign(image.pk, alice.pk)
    monkeypatch.undo()

    response = api_as(alice).get(f"/api/v1/outputs/{image.pk}/download", {"sig": sig})

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "link_expired"


def test_a_link_issued_to_someone_else_or_tampered_with_is_refused(acme, alice, rita, media_root):
    _, _, image = with_outputs(acme)
    ritas = downloads.sign(image.pk, rita.pk)
    api = api_as(alice)

    assert api.get(f"/api/v1/outputs/{image.pk}/download", {"sig": ritas}).status_code == 403
    forged = downloads.sign(image.pk, alice.pk)[:-2] + "xx"
    assert api.get(f"/api/v1/outputs/{image.pk}/download", {"sig": forged}).status_code == 403
    assert api.get(f"/api/v1/outputs/{image.pk}/download").status_code == 403


def test_a_link_still_needs_an_authenticated_caller(acme, alice, media_root):
    _, _, image = with_outputs(acme)

    response = APIClient().get(
        f"/api/v1/outputs/{image.pk}/download", {"sig": downloads.sign(image.pk, alice.pk)}
    )

    assert response.status_code == 401


@pytest.fixture
def s3_storage(settings):
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    ).create_bucket(Bucket="deliverables")
    settings.AWS_STORAGE_BUCKET_NAME = "deliverables"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "deliverables",
                "endpoint_url": endpoint,
                "region_name": "us-east-1",
                "access_key": "testing",
                "secret_key": "testing",
                "querystring_expire": 600,
            },
        },
    }
    yield endpoint
    server.stop()


def test_with_s3_storage_files_get_presigned_s3_urls(acme, alice, s3_storage):
    job, _, image = with_outputs(acme)

    items = {o["key"]: o for o in api_as(alice).get(f"/api/v1/jobs/{job.pk}/outputs/").json()}

    banner = urlparse(items["banner"]["download_url"])
    assert items["banner"]["download_url"].startswith(s3_storage)
    assert banner.path.endswith(image.file.name)
    query = parse_qs(banner.query)
    assert "X-Amz-Signature" in query or "Signature" in query
    # Text outputs have no file: they keep the API's own signed link.
    assert "/api/v1/outputs/" in items["post"]["download_url"]


def test_it_lists_the_history_oldest_first_with_actors(acme, alice):
    job = make_job(acme, user=alice)
    api = api_as(alice)
    api.post(f"/api/v1/jobs/{job.pk}/cancel/", {"notes": "Wrong brief"}, format="json")

    events = api.get(f"/api/v1/jobs/{job.pk}/history/").json()

    assert [e["action"] for e in events] == ["created", "status_changed"]
    assert events[1]["from_status"] == "pending" and events[1]["to_status"] == "cancelled"
    assert events[1]["actor"] == "alice" and events[1]["note"] == "Wrong brief"


def test_it_lists_the_step_runs(acme, alice, clean_queues):
    job = make_job(acme, auto_process=True)
    runs = list(StepRun.objects.filter(job=job))
    assert runs, "queueing a job schedules its first steps"

    steps = api_as(alice).get(f"/api/v1/jobs/{job.pk}/steps/").json()

    assert [s["step"] for s in steps] == [r.step for r in runs]
    assert {s["status"] for s in steps} <= {"queued", "running", "succeeded"}
    assert "provider_attempts" in steps[0] and "cost_usd" in steps[0]

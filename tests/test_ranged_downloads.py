"""Audio and video can be seeked: file downloads answer HTTP Range requests with 206."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from django.core.files.base import ContentFile
from django.test import Client as HttpClient
from django.urls import reverse

from jobs.models import Output
from tests.factories import api_as, login, make_job

pytestmark = pytest.mark.django_db

WAV = b"RIFF" + bytes(range(256)) * 40  # 10,244 bytes


@pytest.fixture
def narration(acme, media_root):
    job = make_job(acme)
    output = Output(job=job, step="narration", key="voiceover", kind="audio", mime_type="audio/wav")
    output.file.save("voiceover.wav", ContentFile(WAV), save=False)
    output.size_bytes = len(WAV)
    output.save()
    return job, output


def page_client(user) -> HttpClient:
    return login(HttpClient(), user)


def file_url(job, output) -> str:
    return reverse("output_file", args=[job.pk, output.pk]) + "?inline=1"


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_range_request_gets_just_those_bytes(narration, alice):
    job, output = narration
    response = page_client(alice).get(file_url(job, output), HTTP_RANGE="bytes=100-199")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 100-199/{len(WAV)}"
    assert response["Content-Length"] == "100" and response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "audio/wav"
    assert response["Content-Disposition"].startswith("inline")
    assert body(response) == WAV[100:200]


def test_open_ended_and_suffix_ranges(narration, alice):
    job, output = narration
    client = page_client(alice)
    tail = client.get(file_url(job, output), HTTP_RANGE="bytes=10000-")
    assert tail.status_code == 206 and body(tail) == WAV[10000:]
    last = client.get(file_url(job, output), HTTP_RANGE="bytes=-44")
    assert last["Content-Range"] == f"bytes {len(WAV) - 44}-{len(WAV) - 1}/{len(WAV)}"
    assert body(last) == WAV[-44:]
    beyond_end = client.get(file_url(job, output), HTTP_RANGE="bytes=10200-99999")
    assert body(beyond_end) == WAV[10200:]


def test_an_unsatisfiable_range_is_a_416_and_no_range_is_the_whole_file(narration, alice):
    job, output = narration
    client = page_client(alice)
    refused = client.get(file_url(job, output), HTTP_RANGE=f"bytes={len(WAV)}-")
    assert refused.status_code == 416 and refused["Content-Range"] == f"bytes */{len(WAV)}"
    whole = client.get(file_url(job, output))
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"
    assert body(whole) == WAV
    several = client.get(file_url(job, output), HTTP_RANGE="bytes=0-1,5-9")
    assert several.status_code == 200 and body(several) == WAV


def test_another_clients_user_gets_no_bytes_with_a_range(narration, bob):
    job, output = narration
    response = page_client(bob).get(file_url(job, output), HTTP_RANGE="bytes=0-99")
    assert response.status_code == 404


def test_the_api_download_link_honours_ranges(narration, alice):
    job, output = narration
    api = api_as(alice)
    [item] = api.get(f"/api/v1/jobs/{job.pk}/outputs/").json()
    link = urlparse(item["download_url"])
    response = api.get(f"{link.path}?{link.query}", HTTP_RANGE="bytes=4-7")
    assert response.status_code == 206 and body(response) == WAV[4:8]
    assert response["Content-Disposition"].startswith("attachment")

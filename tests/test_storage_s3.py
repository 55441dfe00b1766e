"""Outputs go through Django storage: local by default, S3 via django-storages against a local S3."""

from __future__ import annotations

import urllib.request

import boto3
import pytest
from django.core.files.storage import default_storage
from moto.server import ThreadedMotoServer

from jobs.inline import run_inline
from jobs.models import Output
from tests.factories import make_job

BUCKET = "deliverables"


@pytest.fixture
def s3_storage(settings):
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    credentials = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **credentials).create_bucket(
        Bucket=BUCKET
    )
    settings.AWS_STORAGE_BUCKET_NAME = BUCKET
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": endpoint,
                "region_name": "us-east-1",
                "access_key": "testing",
                "secret_key": "testing",
                "querystring_expire": 600,
            },
        },
    }
    yield boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **credentials)
    server.stop()


def test_outputs_are_stored_locally_by_default(acme, media_root):
    job = make_job(
        acme,
        job_type="visual",
        auto_process=True,
        inputs={"visualType": "banner", "headline": "Pack light", "sizes": ["1200x628"]},
    )
    run_inline(job.pk)
    image = Output.objects.get(job=job, kind="image")
    assert (media_root / image.file.name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_outputs_are_stored_in_s3_when_configured(acme, s3_storage):
    job = make_job(
        acme,
        job_type="visual",
        auto_process=True,
        inputs={"visualType": "banner", "headline": "Pack light", "sizes": ["1200x628"]},
    )
    run_inline(job.pk)
    image = Output.objects.get(job=job, kind="image")
    keys = [o["Key"] for o in s3_storage.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert image.file.name in keys
    body = s3_storage.get_object(Bucket=BUCKET, Key=image.file.name)["Body"].read()
    assert body[:8] == b"\x89PNG\r\n\x1a\n" and len(body) == image.size_bytes
    url = default_storage.url(image.file.name)
    assert "Signature" in url or "X-Amz-Signature" in url
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.read() == body

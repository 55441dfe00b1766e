""" "Download all" gives one revision's outputs as a zip, to those who may see the job only; a
specification downloads as real JSON."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from PIL import Image

from jobs.models import Output
from jobs.output_names import download_name
from tests.factories import login, make_client, make_user, produce

pytestmark = pytest.mark.django_db(transaction=True)

BANNERS = {"visualType": "banner", "headline": "Trail season is here"}


@pytest.fixture
def banners(acme, media_root, clean_queues):
    return produce(acme, job_type="visual", title="Trail season banners", inputs=dict(BANNERS))


def url(job, revision: int = 1) -> str:
    return f"/jobs/{job.pk}/r{revision}/download-all/"


def test_download_all_zips_every_output_of_the_revision_under_its_download_name(
    banners, alice, client
):
    response = login(client, alice).get(url(banners))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert 'filename="acme-trail-season-banners-r1.zip"' in response["Content-Disposition"]
    bundle = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert bundle.testzip() is None
    outputs = list(Output.objects.filter(job=banners, revision=1))
    assert sorted(bundle.namelist()) == sorted(download_name(banners, o) for o in outputs)
    images = [o for o in outputs if o.kind == "image"]
    assert images and len(images) < len(outputs)  # the pictures and their specifications
    for image in images:
        packed = bundle.read(download_name(banners, image))
        assert packed == image.file.open("rb").read()
        assert Image.open(io.BytesIO(packed)).size == (
            image.metadata["width"],
            image.metadata["height"],
        )
    for spec in (o for o in outputs if o.kind == "json"):
        data = json.loads(bundle.read(download_name(banners, spec)))
        assert data["headline"] == "Trail season is here"


def test_a_specification_downloads_as_json(banners, alice, client):
    spec = Output.objects.filter(job=banners, kind="json").first()
    response = login(client, alice).get(f"/jobs/{banners.pk}/outputs/{spec.pk}/file/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].endswith('.json"')
    data = json.loads(response.content)
    assert (data["width"], data["height"]) == (spec.metadata["width"], spec.metadata["height"])
    assert data["visualType"] == "banner" and data["brand_name"] == "Acme Outdoor"


def test_another_clients_member_gets_a_404(banners, client):
    outsider = make_user("oscar", make_client("other", "Other Co"), "member")
    assert login(client, outsider).get(url(banners)).status_code == 404


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(banners, client):
    response = client.get(url(banners))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_a_revision_without_outputs_is_a_404(banners, alice, client):
    assert login(client, alice).get(url(banners, revision=7)).status_code == 404


def test_only_get_is_allowed(banners, alice, client):
    assert login(client, alice).post(url(banners)).status_code == 405

"""Publishing to Instagram: a media container made from a signed link to our media (an image as
JPEG, a video as a Reel), polled until processed, then published; the platform's limits checked
before anything is sent. Against tests/publishing_fakes.FakeInstagram."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from PIL import Image

from publishing import runner, services, vault
from tests.factories import make_user
from tests.publishing_data import add_output, approved_job, instagram_account, output_of, wide_png
from tests.publishing_fakes import Answer, FakeInstagram, graph_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def instagram(settings):
    with FakeInstagram() as fake:
        settings.INSTAGRAM_GRAPH_URL = f"{fake.url}/v21.0"
        settings.INSTAGRAM_REFRESH_URL = f"{fake.url}/refresh_access_token"
        settings.INSTAGRAM_POLL_SECONDS = "0.01"
        settings.INSTAGRAM_POLL_LIMIT = "5"
        settings.PUBLISH_RETRY_DELAYS = "1,2,3"
        settings.PUBLISH_MEDIA_BASE_URL = "https://studio.example.com"
        yield fake


def made_containers(fake: FakeInstagram) -> list:
    return [s for s in fake.requests if s.method == "POST" and s.path.endswith("/media")]


def publish(job, connection, kind: str = "image", **fields):  # noqa: ANN001, ANN003, ANN201
    owner = User.objects.filter(username="olive").first() or make_user("olive", job.client, "owner")
    fields.setdefault("caption", "New season, new trails. #trailrunning @acme.outdoor")
    return services.publication_request(
        job=job, user=owner, connection=connection, output=output_of(job, kind), **fields
    )


def test_an_image_is_published_from_a_container_once_it_is_processed(
    acme, media_root, instagram, client
):
    job = approved_job(acme)
    publication = publish(job, instagram_account(acme))

    assert runner.run(publication.pk) == "published"

    made = made_containers(instagram)[0]
    assert made.path == "/v21.0/17841400000000001/media"
    assert made.form["caption"] == "New season, new trails. #trailrunning @acme.outdoor"
    assert made.form["access_token"] == "IGQVJfirst"
    link = made.form["image_url"]
    assert link.startswith("https://studio.example.com/publishing/media/")
    looks = instagram.calls("GET", "/v21.0/1790")
    assert len(looks) == 2 and looks[0].query["fields"] == "status_code,status"
    published = instagram.calls("POST", "/media_publish")[0]
    assert (
        published.form["creation_id"] == made.path
        and False
        or published.form["creation_id"] == next(iter(instagram.containers))
    )

    publication.refresh_from_db()
    assert publication.remote_id == next(iter(instagram.media))
    assert publication.remote_url == f"https://www.instagram.com/p/Fake{publication.remote_id}/"
    # Once published the link serves nothing more.
    assert client.get(urlsplit(link).path).status_code == 404


def test_the_signed_link_serves_the_image_as_jpeg_while_the_publication_runs(
    acme, media_root, instagram, client
):
    job = approved_job(acme)
    publication = publish(job, instagram_account(acme))
    instagram.processing_looks = 99  # never finishes within this attempt

    assert runner.run(publication.pk).startswith("retry")

    link = made_containers(instagram)[0].form["image_url"]
    answer = client.get(urlsplit(link).path)
    assert answer.status_code == 200
    assert answer["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(answer.content)) as image:
        assert image.format == "JPEG" and image.size == (1080, 1080)
    assert client.get(urlsplit(link).path[:-3] + "xx/").status_code == 404


def test_a_reel_is_sent_as_a_video_url_and_a_slow_container_is_looked_at_again_later(
    acme, media_root, instagram
):
    job = approved_job(acme)
    publication = publish(job, instagram_account(acme), kind="video")
    instagram.processing_looks = 7  # more looks than one attempt makes (5)

    assert runner.run(publication.pk).startswith("retry")
    publication.refresh_from_db()
    assert "still processing" in publication.error
    made = made_containers(instagram)
    assert made[0].form["media_type"] == "REELS"
    assert "video_url" in made[0].form and "image_url" not in made[0].form

    assert runner.run(publication.pk) == "published"
    assert len(made_containers(instagram)) == 1  # the same container, not a new one


def test_an_expired_token_is_renewed_and_the_post_goes_out(acme, media_root, instagram):
    job = approved_job(acme)
    instagram.valid_tokens = {"IGQVJfirst"}
    connection = instagram_account(acme, expires_in=3 * 24 * 3600)  # inside the 7-day margin

    assert runner.run(publish(job, connection).pk) == "published"
    refresh = instagram.calls("GET", "/refresh_access_token")[0]
    assert refresh.query == {"grant_type": "ig_refresh_token", "access_token": "IGQVJfirst"}
    assert made_containers(instagram)[0].form["access_token"] == "IGQVJrefreshed1"
    connection.refresh_from_db()
    assert vault.unseal(connection.sealed_secrets)["access_token"] == "IGQVJrefreshed1"


def test_a_token_instagram_refuses_with_code_190_is_renewed_once(acme, media_root, instagram):
    job = approved_job(acme)
    publication = publish(job, instagram_account(acme))
    instagram.fail_next(
        "POST",
        "/17841400000000001/media",
        graph_error(400, 190, "Error validating access token.", 463),
    )
    assert runner.run(publication.pk) == "published"
    assert len(instagram.calls("GET", "/refresh_access_token")) == 1


def test_a_rate_limit_is_retried_later(acme, media_root, instagram):
    job = approved_job(acme)
    publication = publish(job, instagram_account(acme))
    instagram.fail_next("POST", "/media", graph_error(400, 4, "Application request limit reached"))
    assert runner.run(publication.pk).startswith("retry")
    publication.refresh_from_db()
    assert "Instagram is limiting requests (Application request limit reached" in (
        publication.error
    )
    instagram.fail_next("POST", "1/media", Answer(429, {"error": {"message": "Too many"}}))
    assert runner.run(publication.pk).startswith("retry")
    assert runner.run(publication.pk) == "published"


def test_media_instagram_cannot_process_fails_with_its_reason(acme, media_root, instagram):
    job = approved_job(acme)
    publication = publish(job, instagram_account(acme))
    instagram.processing_looks = 0

    original = instagram.handle

    def broken(seen):  # noqa: ANN001, ANN202
        answer = original(seen)
        for container in instagram.containers.values():
            container["error"] = "2207026: unsupported video format"
        return answer

    instagram.handle = broken
    assert runner.run(publication.pk) == "failed"
    publication.refresh_from_db()
    assert publication.error == (
        "Instagram could not process the media: 2207026: unsupported video format."
    )
    assert "container_id" not in publication.progress


def test_instagram_limits_are_checked_before_anything_is_sent(acme, media_root, instagram):
    job = approved_job(acme)
    connection = instagram_account(acme)
    cases = [
        ({"caption": "x" * 2201}, "at most 2200 characters"),
        ({"caption": " ".join(f"#tag{i}" for i in range(31))}, "at most 30 hashtags"),
        ({"caption": " ".join(f"@user{i}" for i in range(21))}, "at most 20 @-mentions"),
    ]
    for fields, message in cases:
        with pytest.raises(services.PublishingError) as refused:
            publish(job, connection, **fields)
        assert message in refused.value.message
    add_output(
        job,
        "banner",
        "image",
        title="Leaderboard",
        data=wide_png(),
        name="wide.png",
        mime_type="image/png",
    )
    with pytest.raises(services.PublishingError) as refused:
        services.publication_request(
            job=job,
            user=None,
            connection=connection,
            output=job.outputs.get(title="Leaderboard"),
        )
    assert "between 4:5 and 1.91:1; this one is 728×90" in refused.value.message
    assert instagram.requests == []


def test_a_reel_shorter_than_three_seconds_is_refused(acme, media_root, instagram):
    job = approved_job(acme, video_seconds=2.0)
    with pytest.raises(services.PublishingError) as refused:
        publish(job, instagram_account(acme), kind="video")
    assert "3 seconds to 15 minutes; this one is 2.0 s" in refused.value.message


def test_a_media_address_instagram_cannot_reach_is_refused_first(
    acme, media_root, instagram, settings
):
    job = approved_job(acme)
    connection = instagram_account(acme)
    for address in ("http://127.0.0.1:8000", "http://10.0.0.5", "http://studio.local"):
        settings.PUBLISH_MEDIA_BASE_URL = address
        with pytest.raises(services.PublishingError) as refused:
            publish(job, connection)
        assert f"Instagram fetches the media from {address}, which it cannot reach" in (
            refused.value.message
        )
    assert instagram.requests == []

"""Publishing to YouTube: Data API v3 resumable upload (a session opened with the metadata, the
bytes sent to it, an interrupted upload resumed where it stopped), with the OAuth access token
refreshed before it expires or when refused. Against tests/publishing_fakes.FakeYouTube."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from publishing import runner, services, vault
from publishing.models import Connection
from tests.factories import make_user
from tests.publishing_data import approved_job, output_of, reel_mp4, youtube_account
from tests.publishing_fakes import FakeYouTube, google_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def youtube(settings):
    with FakeYouTube() as fake:
        settings.YOUTUBE_API_URL = fake.url
        settings.GOOGLE_TOKEN_URL = f"{fake.url}/token"
        settings.PUBLISH_RETRY_DELAYS = "1,2,3"
        yield fake


def publish(job, connection, **fields):  # noqa: ANN001, ANN003, ANN201
    owner = User.objects.filter(username="olive").first() or make_user("olive", job.client, "owner")
    fields.setdefault("caption", "Five tips for your first trail run.")
    return services.publication_request(
        job=job, user=owner, connection=connection, output=output_of(job, "video"), **fields
    )


def test_a_video_is_uploaded_in_a_resumable_session(acme, media_root, youtube):
    job = approved_job(acme)
    publication = publish(job, youtube_account(acme), visibility="unlisted")

    assert runner.run(publication.pk) == "published"

    opened = youtube.calls("POST", "/upload/youtube/v3/videos")[0]
    assert opened.query == {"uploadType": "resumable", "part": "snippet,status"}
    assert opened.headers["authorization"] == "Bearer ya29.first-token"
    assert opened.headers["x-upload-content-length"] == str(len(reel_mp4()))
    assert opened.headers["x-upload-content-type"] == "video/mp4"
    meta = opened.json()
    assert meta["snippet"]["title"] == "Trail running for beginners"
    assert meta["snippet"]["description"] == "Five tips for your first trail run."
    assert meta["status"]["privacyStatus"] == "unlisted"

    sent = youtube.calls("PUT", "/upload/youtube/v3/videos")
    assert len(sent) == 1 and sent[0].body == reel_mp4()
    video_id = next(iter(youtube.videos))
    assert youtube.videos[video_id]["data"] == reel_mp4()
    publication.refresh_from_db()
    assert publication.remote_id == video_id
    assert publication.remote_url == f"https://www.youtube.com/watch?v={video_id}"


def test_a_token_about_to_expire_is_refreshed_first(acme, media_root, youtube):
    job = approved_job(acme)
    connection = youtube_account(acme, expires_in=120)
    before = connection.sealed_secrets

    assert runner.run(publish(job, connection).pk) == "published"

    refresh = youtube.calls("POST", "/token")
    assert len(refresh) == 1
    assert refresh[0].form == {
        "grant_type": "refresh_token",
        "refresh_token": "1//refresh",
        "client_id": "1234.apps.googleusercontent.com",
        "client_secret": "GOCSPX-secret-value",
    }
    assert youtube.calls("POST", "/upload")[0].headers["authorization"] == (
        "Bearer ya29.refreshed-1"
    )
    connection.refresh_from_db()
    assert connection.sealed_secrets != before
    assert "ya29.refreshed-1" not in connection.sealed_secrets
    assert vault.unseal(connection.sealed_secrets)["access_token"] == "ya29.refreshed-1"
    assert connection.token_expires_at > timezone.now() + timedelta(minutes=55)


def test_a_refused_token_is_refreshed_once_and_the_upload_goes_on(acme, media_root, youtube):
    job = approved_job(acme)
    youtube.valid_tokens = {"ya29.someone-revoked-it"}
    publication = publish(job, youtube_account(acme))

    assert runner.run(publication.pk) == "published"
    assert len(youtube.calls("POST", "/token")) == 1
    tried = [s.headers["authorization"] for s in youtube.calls("POST", "/upload")]
    assert tried == ["Bearer ya29.first-token", "Bearer ya29.refreshed-1"]


def test_a_revoked_refresh_token_fails_and_asks_for_the_account_again(acme, media_root, youtube):
    job = approved_job(acme)
    youtube.refresh_token = "1//another"
    publication = publish(job, youtube_account(acme, expires_in=60))

    assert runner.run(publication.pk) == "failed"
    publication.refresh_from_db()
    assert "Token has been expired or revoked" in publication.error
    assert "connect the account again" in publication.error
    assert youtube.calls("POST", "/upload") == []


def test_an_interrupted_upload_resumes_from_the_last_byte_received(acme, media_root, youtube):
    job = approved_job(acme)
    publication = publish(job, youtube_account(acme))
    youtube.cut_after = 50_000

    assert runner.run(publication.pk).startswith("retry")
    publication.refresh_from_db()
    assert publication.status == "retrying"
    assert "upload_url" in publication.progress

    assert runner.run(publication.pk) == "published"
    puts = youtube.calls("PUT", "/upload/youtube/v3/videos")
    assert [p.headers.get("content-range") for p in puts] == [
        None,
        f"bytes */{len(reel_mp4())}",
        f"bytes 50000-{len(reel_mp4()) - 1}/{len(reel_mp4())}",
    ]
    assert puts[2].body == reel_mp4()[50_000:]
    assert len(youtube.calls("POST", "/upload")) == 1
    assert youtube.videos[publication_remote(publication)]["data"] == reel_mp4()


def publication_remote(publication) -> str:  # noqa: ANN001
    publication.refresh_from_db()
    return publication.remote_id


def test_a_quota_refusal_waits_and_tries_again(acme, media_root, youtube):
    job = approved_job(acme)
    publication = publish(job, youtube_account(acme))
    youtube.fail_next(
        "POST",
        "/upload/youtube/v3/videos",
        google_error(
            403,
            "quotaExceeded",
            "The request cannot be completed because you have exceeded your quota.",
        ),
    )
    assert runner.run(publication.pk).startswith("retry")
    publication.refresh_from_db()
    assert "exceeded your quota" in publication.error
    assert runner.run(publication.pk) == "published"


def test_a_title_youtube_would_refuse_is_refused_before_anything_is_sent(acme, media_root, youtube):
    job = approved_job(acme)
    connection = youtube_account(acme)
    with pytest.raises(services.PublishingError) as refused:
        publish(job, connection, title="x" * 101)
    assert "at most 100 characters (101)" in refused.value.message
    with pytest.raises(services.PublishingError) as refused:
        publish(job, connection, caption="Use <b>bold</b>")
    assert "“<” and “>”" in refused.value.message
    with pytest.raises(services.PublishingError) as refused:
        publish(job, connection, visibility="friends")
    assert "private, unlisted or public" in refused.value.message
    assert youtube.requests == []
    assert Connection.objects.count() == 1

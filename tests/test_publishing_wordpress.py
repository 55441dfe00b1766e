"""Publishing to WordPress: the featured image to /wp/v2/media, the post to /wp/v2/posts, signed
in with an application password; failures retried or explained. Against tests/publishing_fakes."""

from __future__ import annotations

import base64

import pytest
from django.contrib.auth.models import User

from jobs.models import JobEvent
from publishing import runner, services
from publishing.models import Publication
from tests.factories import make_user
from tests.publishing_data import (
    WP_PASSWORD,
    approved_job,
    output_of,
    square_png,
    wordpress_account,
)
from tests.publishing_fakes import Answer, FakeWordPress, wp_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def wordpress():
    with FakeWordPress() as fake:
        yield fake


@pytest.fixture
def quick_retries(settings):
    settings.PUBLISH_RETRY_DELAYS = "1,2,3"
    settings.PUBLISH_MAX_ATTEMPTS = 3


def publish(job, connection, **fields) -> Publication:  # noqa: ANN001, ANN003
    reviewer = User.objects.filter(username="rita").first() or make_user(
        "rita", job.client, "reviewer"
    )
    return services.publication_request(
        job=job,
        user=reviewer,
        connection=connection,
        output=output_of(job, "markdown"),
        **fields,
    )


def test_a_post_goes_out_with_its_featured_image(acme, media_root, wordpress):
    job = approved_job(acme)
    connection = wordpress_account(acme, wordpress.url)
    publication = publish(job, connection, image=output_of(job, "image"), visibility="publish")

    assert runner.run(publication.pk) == "published"

    media, post = wordpress.calls("POST", "/media"), wordpress.calls("POST", "/posts")
    assert len(media) == 1 and len(post) == 1
    expected = "Basic " + base64.b64encode(f"editor:{WP_PASSWORD}".encode()).decode()
    assert media[0].headers["authorization"] == expected
    assert media[0].headers["content-type"] == "image/png"
    assert 'filename="square' in media[0].headers["content-disposition"]
    assert media[0].body == square_png()
    body = post[0].json()
    assert body["title"] == "Trail running for beginners"
    assert body["status"] == "publish"
    assert body["featured_media"] == next(iter(wordpress.media))
    assert "<strong>twenty minutes</strong>" in body["content"]
    assert "<li>Shoes with grip</li>" in body["content"]

    publication.refresh_from_db()
    post_id = next(iter(wordpress.posts))
    assert publication.status == "published"
    assert publication.remote_id == str(post_id)
    assert publication.remote_url == f"{wordpress.url}/?p={post_id}"
    event = JobEvent.objects.get(job=job, action="published")
    assert publication.remote_url in event.note


def test_a_draft_is_the_default_and_needs_no_image(acme, media_root, wordpress):
    job = approved_job(acme)
    publication = publish(job, wordpress_account(acme, wordpress.url))
    assert runner.run(publication.pk) == "published"
    assert wordpress.calls("POST", "/media") == []
    assert wordpress.calls("POST", "/posts")[0].json()["status"] == "draft"


def test_a_wrong_application_password_fails_at_once_and_says_what_to_check(
    acme, media_root, wordpress
):
    job = approved_job(acme)
    publication = publish(job, wordpress_account(acme, wordpress.url, password="wrong pass word"))

    assert runner.run(publication.pk) == "failed"

    publication.refresh_from_db()
    assert publication.status == "failed"
    assert publication.attempts == 1
    assert "invalid application password" in publication.error
    assert "Check the user name and application password of “Blog”" in publication.error
    publication.connection.refresh_from_db()
    assert publication.connection.last_error == publication.error
    assert JobEvent.objects.filter(job=job, action="publish_failed").exists()


def test_a_rate_limit_is_retried_later_and_the_uploaded_image_is_not_sent_twice(
    acme, media_root, wordpress, quick_retries
):
    job = approved_job(acme)
    publication = publish(
        job, wordpress_account(acme, wordpress.url), image=output_of(job, "image")
    )
    limited = wp_error(429, "too_many_requests", "Too many requests.")
    wordpress.fail_next("POST", "/posts", Answer(429, limited.body, {"Retry-After": "7"}))

    assert runner.run(publication.pk) == "retry in 7 s"
    publication.refresh_from_db()
    assert publication.status == "retrying"
    assert "limiting requests" in publication.error
    assert publication.progress["media_id"] in wordpress.media

    assert runner.run(publication.pk) == "published"
    assert len(wordpress.calls("POST", "/media")) == 1
    assert len(wordpress.calls("POST", "/posts")) == 2
    publication.refresh_from_db()
    assert publication.attempts == 2 and publication.error == ""


def test_an_outage_is_retried_until_the_attempts_run_out(
    acme, media_root, wordpress, quick_retries
):
    job = approved_job(acme)
    publication = publish(job, wordpress_account(acme, wordpress.url))
    for _ in range(3):
        wordpress.fail_next("POST", "/posts", wp_error(503, "down", "Service Unavailable"))

    assert runner.run(publication.pk).startswith("retry")
    assert runner.run(publication.pk).startswith("retry")
    assert runner.run(publication.pk) == "failed"

    publication.refresh_from_db()
    assert "had a problem on its side (HTTP 503" in publication.error
    assert "Gave up after 3 attempts" in publication.error


def test_an_unreachable_site_is_a_transient_failure(acme, media_root, quick_retries):
    job = approved_job(acme)
    publication = publish(job, wordpress_account(acme, "http://127.0.0.1:9"))
    assert runner.run(publication.pk).startswith("retry")
    publication.refresh_from_db()
    assert "could not be reached" in publication.error


def test_a_publication_runs_once_even_if_its_message_arrives_twice(acme, media_root, wordpress):
    job = approved_job(acme)
    publication = publish(job, wordpress_account(acme, wordpress.url))
    assert runner.run(publication.pk) == "published"
    assert runner.run(publication.pk) == "settled"
    assert len(wordpress.posts) == 1


def test_work_sent_back_after_the_request_is_not_published(acme, media_root, wordpress):
    job = approved_job(acme)
    publication = publish(job, wordpress_account(acme, wordpress.url))
    type(job).objects.filter(pk=job.pk).update(status="revision", revision=2)

    assert runner.run(publication.pk) == "failed"
    publication.refresh_from_db()
    assert publication.error.startswith("Only approved work can be published")
    assert wordpress.requests == []


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_publishes_what_the_job_page_asked_for(
    acme, media_root, worker_factory, wordpress
):
    """Through the queue: the request is sent on commit and a real step worker publishes it."""
    job = approved_job(acme)
    publication = publish(job, wordpress_account(acme, wordpress.url))
    worker = worker_factory(burst=True, threads=2)
    log = worker.wait(timeout=120)
    assert worker.process.returncode == 0, log

    publication.refresh_from_db()
    assert publication.status == "published", (publication.error, log)
    assert publication.remote_url == f"{wordpress.url}/?p={publication.remote_id}"

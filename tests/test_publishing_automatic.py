"""Automatic publishing: an approved job (a signed-off one, if high-impact) goes to each of its
client's accounts set to publish automatically, once per revision, from a worker."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jobs import lifecycle
from jobs.models import JobEvent, ProductionJob
from jobs.queues import get_queue
from publishing import auto_clients, services, tasks
from publishing.models import Connection, Publication
from publishing.queueing import AUTO
from tests.factories import login
from tests.publishing_data import (
    add_output,
    approved_job,
    instagram_account,
    wide_png,
    wordpress_account,
    youtube_account,
)

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:9"


@pytest.fixture
def automatic_blog(acme, redis_conn, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        blog = wordpress_account(acme, SITE)
        services.connection_set_auto(connection=blog, enabled=True, user=None)
    youtube_account(acme)  # asked for by hand only
    return blog


def approve(job: ProductionJob, captured) -> None:  # noqa: ANN001
    with captured(execute=True):
        lifecycle.transition(job, "approved", note="Approved.")


def auto_messages(job: ProductionJob) -> list:
    return [m for m in get_queue(job.priority).jobs if m.func_name == AUTO]


def test_an_approved_job_goes_to_the_automatic_accounts_once(
    acme, media_root, automatic_blog, django_capture_on_commit_callbacks
):
    job = approved_job(acme, status="draft")
    approve(job, django_capture_on_commit_callbacks)

    [message] = auto_messages(job)
    assert message.args == (str(job.pk),)
    assert tasks.publish_automatically(str(job.pk)) == 1
    publication = Publication.objects.get(job=job)
    assert publication.connection == automatic_blog
    assert (publication.platform, publication.visibility) == ("wordpress", "draft")
    assert publication.output.kind == "markdown"
    assert publication.requested_by_label == "system"
    assert tasks.publish_automatically(str(job.pk)) == 0  # once per revision


def test_a_client_without_automatic_accounts_sends_nothing(
    globex, media_root, automatic_blog, django_capture_on_commit_callbacks
):
    wordpress_account(globex, SITE)
    job = approved_job(globex, status="draft")
    approve(job, django_capture_on_commit_callbacks)
    assert auto_messages(job) == []


def test_high_impact_work_waits_for_the_owners_sign_off(
    acme, media_root, automatic_blog, django_capture_on_commit_callbacks
):
    job = approved_job(acme, status="draft", high_impact=True)
    approve(job, django_capture_on_commit_callbacks)
    assert tasks.publish_automatically(str(job.pk)) == 0
    signed = approved_job(acme, title="Signed", status="completed", high_impact=True,
                          signed_off=True)  # fmt: skip
    assert tasks.publish_automatically(str(signed.pk)) == 1


def test_a_deliverable_the_platform_would_refuse_is_noted_in_the_history(
    acme, media_root, redis_conn, django_capture_on_commit_callbacks, settings
):
    settings.PUBLISH_MEDIA_BASE_URL = "https://studio.example.com"
    with django_capture_on_commit_callbacks(execute=True):
        instagram_account(acme)
        Connection.objects.update(auto_publish=True)
        auto_clients.rebuild()
    job = approved_job(acme)
    job.outputs.filter(kind__in=["image", "video"]).delete()
    add_output(job, "banner", "image", title="Leaderboard", data=wide_png(), name="wide.png",
               mime_type="image/png")  # fmt: skip
    assert tasks.publish_automatically(str(job.pk)) == 0
    note = JobEvent.objects.get(job=job, action="publish_failed").note
    assert note.startswith("Automatic publishing to Instagram (Instagram) skipped:")
    assert "between 4:5 and 1.91:1" in note


def test_owners_turn_it_on_and_off_from_the_accounts_page(
    client, acme, olga, rita, redis_conn, django_capture_on_commit_callbacks
):
    blog = wordpress_account(acme, SITE)
    url = reverse("publishing:automatic", args=["acme", blog.pk])
    assert login(client, rita).post(url, {"enabled": "1"}).status_code == 403
    client.logout()
    login(client, olga)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"enabled": "1"}).status_code == 302
    blog.refresh_from_db()
    assert blog.auto_publish is True
    assert auto_clients.wanted(acme.pk)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"enabled": "0"})
    assert not auto_clients.wanted(acme.pk)

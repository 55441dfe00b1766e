"""Pinned comments: passages, image regions and timecodes; threads, mentions, carry-over."""

from __future__ import annotations

import pytest
from django.urls import reverse

from approvals import comments, services
from approvals.models import Comment
from jobs.inline import run_inline
from jobs.models import Output
from notifications.models import Event, Notification
from tests.factories import login, make_user, produce

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _queues(clean_queues):
    return clean_queues


def text_output(job) -> Output:
    return Output.objects.filter(
        job=job, revision=job.revision, kind__in=["markdown", "text"]
    ).first()


def media_output(job, kind: str, **metadata) -> Output:
    return Output.objects.create(
        job=job,
        step=f"{kind}-step",
        key=f"{kind}-1",
        revision=job.revision,
        kind=kind,
        title=f"The {kind}",
        metadata=metadata,
    )


def a_passage(output: Output) -> str:
    words = output.text.split()
    return " ".join(words[3:9])


def test_a_passage_is_found_in_the_output_and_quoted(acme, rita):
    job = produce(acme)
    output = text_output(job)
    passage = a_passage(output)

    comment = comments.add_comment(
        user=rita, output_id=output.pk, body="Too vague.", anchor="text", quote=passage
    )

    assert comment.anchor == "text" and comment.quote.split() == passage.split()
    assert output.text[comment.start : comment.end] == comment.quote
    assert comment.author == rita and comment.revision == 1


def test_a_passage_that_is_not_there_or_an_empty_body_is_refused(client, acme, rita):
    job = produce(acme)
    output = text_output(job)
    login(client, rita)
    url = reverse("reviews:comment_add", args=[output.pk])

    missing = client.post(url, {"body": "Hm", "anchor": "text", "quote": "words never written"})
    empty = client.post(url, {"body": "  ", "anchor": "none"})

    assert (
        missing.status_code == 400
        and "That passage is not in this output" in missing.content.decode()
    )
    assert empty.status_code == 400 and "Write a comment." in empty.content.decode()
    assert 'aria-invalid="true"' in empty.content.decode()
    assert not Comment.objects.exists()


def test_a_region_is_pinned_on_images_only(acme, rita):
    job = produce(acme)
    image = media_output(job, "image")

    comment = comments.add_comment(
        user=rita, output_id=image.pk, body="Logo too small", anchor="region", x="0.9", y="0.5"
    )

    assert (comment.x, comment.y) == (0.9, 0.5)
    assert comment.w == pytest.approx(0.1) and comment.h == pytest.approx(0.12)
    with pytest.raises(comments.CommentError, match="lie on the image"):
        comments.add_comment(user=rita, output_id=image.pk, body="x", anchor="region", x="2", y="0")
    with pytest.raises(comments.CommentError, match="Only images"):
        comments.add_comment(
            user=rita, output_id=text_output(job).pk, body="x", anchor="region", x="0", y="0"
        )


def test_a_timecode_is_pinned_within_the_recording(acme, rita):
    job = produce(acme)
    video = media_output(job, "video", duration=12.0)

    comment = comments.add_comment(
        user=rita, output_id=video.pk, body="Cut here", anchor="time", at_seconds="7.25"
    )

    assert comment.at_seconds == 7.25 and comment.timecode == "0:07.2"
    with pytest.raises(comments.CommentError, match="outside the recording"):
        comments.add_comment(
            user=rita, output_id=video.pk, body="x", anchor="time", at_seconds="40"
        )


def test_threads_reply_resolve_and_reopen(client, acme, rita, alice):
    job = produce(acme)
    output = text_output(job)
    root = comments.add_comment(user=rita, output_id=output.pk, body="Shorter intro?")
    login(client, alice)

    client.post(reverse("reviews:comment_reply", args=[root.pk]), {"body": "Agreed, will do."})
    resolved = client.post(reverse("reviews:comment_resolve", args=[root.pk]))

    assert resolved.status_code == 200 and "Resolved by alice" in resolved.content.decode()
    [thread] = comments.threads_for(output)
    assert [r.body for r in thread.replies] == ["Agreed, will do."] and thread.root.is_resolved
    client.post(reverse("reviews:comment_reopen", args=[root.pk]))
    root.refresh_from_db()
    assert not root.is_resolved


def test_open_threads_carry_to_the_next_revision_and_say_if_the_passage_changed(acme, rita):
    job = produce(acme)
    first = text_output(job)
    kept = comments.add_comment(
        user=rita,
        output_id=first.pk,
        body="Keep an eye on this",
        anchor="text",
        quote=first.text.split("\n")[0][:40],
    )
    gone = comments.add_comment(
        user=rita, output_id=first.pk, body="Remove this", anchor="text", quote=a_passage(first)
    )
    settled = comments.add_comment(user=rita, output_id=first.pk, body="Fine now")
    comments.resolve(user=rita, comment_id=settled.pk)
    # The next revision: the quoted passage of `gone` is no longer in the text.
    Output.objects.filter(pk=first.pk).update(text=first.text)
    services.job_decide(job=job, user=rita, decision="request_changes", feedback="Shorter.")
    run_inline(job.pk)
    job.refresh_from_db()
    second = text_output(job)
    second.text = second.text.replace(gone.quote, "something else entirely")
    second.save(update_fields=["text"])

    threads = {t.root.pk: t for t in comments.threads_for(second)}

    assert settled.pk not in threads
    assert threads[gone.pk].carried_from == 1 and threads[gone.pk].passage_changed is True
    if kept.quote in second.text:
        assert threads[kept.pk].passage_changed is False


def test_a_mention_in_a_comment_tells_that_user_of_the_client_only(acme, globex, rita, alice):
    make_user("gabe", globex, "member")
    output = text_output(produce(acme))

    comments.add_comment(user=rita, output_id=output.pk, body="@alice can you confirm? cc @gabe")

    mentions = Notification.objects.filter(event=Event.MENTION)
    assert [n.user.username for n in mentions] == ["alice"]
    assert "#thread-" in mentions[0].url


def test_another_client_cannot_comment_or_resolve(client, acme, globex, rita):
    output = text_output(produce(acme))
    root = comments.add_comment(user=rita, output_id=output.pk, body="Mine")
    login(client, make_user("gus", globex, "owner"))

    assert (
        client.post(reverse("reviews:comment_add", args=[output.pk]), {"body": "x"}).status_code
        == 404
    )
    assert client.post(reverse("reviews:comment_resolve", args=[root.pk])).status_code == 404
    root.refresh_from_db()
    assert not root.is_resolved and Comment.objects.count() == 1


def test_the_review_page_shows_threads_with_their_quote(client, acme, rita):
    job = produce(acme)
    output = text_output(job)
    comments.add_comment(
        user=rita, output_id=output.pk, body="Too vague.", anchor="text", quote=a_passage(output)
    )
    login(client, rita)

    page = client.get(
        reverse("reviews:review", args=[services.pending_request_for(job).pk])
    ).content.decode()

    assert 'class="pin-quote"' in page and "Too vague." in page and "review_comments.js" in page

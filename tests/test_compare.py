"""Comparing revisions: a word-level diff side by side, image and recording pairs, for members too."""

from __future__ import annotations

import pytest
from django.urls import reverse

from approvals import services
from approvals.compare import pairs, word_diff
from jobs.inline import run_inline
from tests.factories import login, make_user, produce

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _queues(clean_queues):
    return clean_queues


def test_the_word_diff_marks_removed_words_left_and_added_words_right():
    left, right = word_diff("Our boots are the best in town.", "Our boots are waterproof in town.")

    assert [(p.op, p.text) for p in left] == [
        ("same", "Our boots are "),
        ("del", "the best"),
        ("same", " in town."),
    ]
    assert [(p.op, p.text) for p in right] == [
        ("same", "Our boots are "),
        ("ins", "waterproof"),
        ("same", " in town."),
    ]
    # Both sides read back as the original texts.
    assert "".join(p.text for p in left) == "Our boots are the best in town."
    assert "".join(p.text for p in right) == "Our boots are waterproof in town."


def second_revision(acme, rita):
    job = produce(acme)
    services.job_decide(
        job=job, user=rita, decision="request_changes", feedback="Mention free shipping."
    )
    run_inline(job.pk)
    job.refresh_from_db()
    return job


def test_members_see_the_comparison_of_two_revisions(client, acme, rita, alice):
    job = second_revision(acme, rita)
    login(client, alice)

    response = client.get(reverse("reviews:compare", args=[job.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Revision 1" in page and "Revision 2" in page
    assert "<ins>" in page and 'class="word-diff diff-before"' in page
    [pair] = pairs(job, 1, 2)
    assert pair.changed and any(p.op == "ins" for p in pair.right)


def test_a_job_with_one_revision_says_there_is_nothing_to_compare(client, acme, alice):
    job = produce(acme)
    login(client, alice)

    page = client.get(reverse("reviews:compare", args=[job.pk])).content.decode()

    assert "nothing to compare yet" in page


def test_another_client_gets_a_404_and_bad_revisions_fall_back(client, acme, globex, rita):
    job = second_revision(acme, rita)
    login(client, make_user("gus", globex, "owner"))
    assert client.get(reverse("reviews:compare", args=[job.pk])).status_code == 404

    login(client, rita)
    page = client.get(reverse("reviews:compare", args=[job.pk]) + "?a=99&b=x").content.decode()
    assert '<option value="1" selected>' in page and '<option value="2" selected>' in page

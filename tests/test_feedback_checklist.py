"""Reviewer feedback becomes a checklist; revision 2 (written by a real worker) does what it
asks, and the checklist on the review page and in the API says so, with the evidence."""

from __future__ import annotations

import re

import pytest

from approvals import services
from jobs.feedback import parse_feedback
from jobs.feedback.checklist import checklist_for
from jobs.models import Output, ProductionJob
from tests.conftest import worker_env
from tests.factories import api_as, login, make_client, make_job, make_user
from tests.fake_openai_server import FakeOpenAIServer, Reply

pytestmark = pytest.mark.django_db(transaction=True)

FACTS = [
    "Northwind Coffee has roasted in Seattle since 2011.",
    "Northwind Coffee roasts every bean at its own roastery in Ballard.",
    "Northwind Coffee sponsors the Fremont Solstice Parade.",
]
DESCRIPTION = (
    "Our cold brew is back, now in 1 L cans. It is the #1 coffee in America and cures "
    "fatigue. Unlike Starbucks, we never burn our beans. You can pick one up at all 12 of "
    "our cafes in Seattle from 3 May."
)
INPUTS = {
    "contentType": "blog_post",
    "topic": "Why Northwind is the #1 coffee in America and cures fatigue",
    "tone": "professional",
    "length": "short",
}


@pytest.fixture
def northwind(db):
    return make_client(
        "northwind",
        "Northwind Coffee",
        brand_profile={
            "industry": "specialty coffee",
            "location": "Seattle",
            "tone": "professional",
        },
        verified_facts=FACTS,
        approved_testimonials=[],
    )


@pytest.fixture
def reviewer(northwind):
    return make_user("rene", northwind, "reviewer")


def blog(job: ProductionJob, revision: int) -> Output:
    return Output.objects.get(job=job, revision=revision, key="blog_post")


def two_revisions(client, reviewer, worker_factory, feedback: str, env=None) -> ProductionJob:
    """Revision 1 by a worker, changes requested with `feedback`, revision 2 by a worker."""
    job = make_job(
        client,
        title="Cold brew is back",
        inputs=dict(INPUTS),
        description=DESCRIPTION,
        auto_process=True,
    )
    log = worker_factory(burst=True, env=env).wait(timeout=120)
    job.refresh_from_db()
    assert job.status == "review", (job.error, log[-3000:])
    services.job_decide(job=job, user=reviewer, decision="request_changes", feedback=feedback)
    log = worker_factory(burst=True, env=env).wait(timeout=120)
    job.refresh_from_db()
    assert (job.status, job.revision) == ("review", 2), (job.error, log[-3000:])
    return job


def statuses(job: ProductionJob) -> dict[str, tuple[str, str]]:
    checklist = checklist_for(job)
    assert checklist is not None and checklist.revision == 2
    return {i.instruction.label: (i.check.status, i.check.evidence) for i in checklist.items}


def whole_sentences(text: str) -> None:
    """No sentence cut in two: every prose line ends with a full stop, no 'the and'."""
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith(("#", "-", "|", "_")):
            assert line[-1] in ".!?", line
    assert not re.search(r"\b(?:the|a|an)\s+(?:and|the|is|a)\b", text, re.I), text


# --- parsing: the issue's own examples ----------------------------------------------------


def test_the_issues_examples_become_three_removals():
    found = parse_feedback(
        ["remove '#1 coffee in America' and every health claim", "remove the Starbucks jab"]
    )
    assert [(i.kind, i.target) for i in found] == [
        ("remove", "#1 coffee in America"),
        ("remove_claims", "health"),
        ("remove", "Starbucks"),
    ]


@pytest.mark.parametrize(
    ("words", "target"),
    [
        ("Don't use the word cheap", "cheap"),
        ('never say "guaranteed"', "guaranteed"),
        ("Please avoid mentioning competitors", "competitors"),
        ("Cut the bit about parking", "parking"),
    ],
)
def test_ways_of_asking_for_a_removal(words, target):
    assert [(i.kind, i.target) for i in parse_feedback([words])] == [("remove", target)]


def test_each_kind_of_instruction_is_understood():
    found = parse_feedback(
        [
            "Replace 'cafes' with 'coffee bars'. Make it shorter.",
            "Make it more playful, then change the call to action to 'Order a can today'",
            "Use the fact about the parade. The intro feels flat.",
        ],
        FACTS,
    )
    assert [(i.kind, i.target, i.value) for i in found] == [
        ("replace", "cafes", "coffee bars"),
        ("shorter", "", ""),
        ("tone", "playful", ""),
        ("cta", "", "Order a can today"),
        ("fact", "", FACTS[2]),
        ("note", "", ""),
    ]


# --- through a real worker: revision 2 addresses each kind --------------------------------


def test_a_phrase_and_every_health_claim_are_removed_without_breaking_a_sentence(
    northwind, reviewer, worker_factory, media_root
):
    feedback = "remove '#1 coffee in America' and every health claim"
    job = two_revisions(northwind, reviewer, worker_factory, feedback)
    first, second = blog(job, 1), blog(job, 2)
    assert "#1 coffee in America" in first.text and "cures fatigue" in first.text
    assert "#1 coffee" not in second.text and "fatigue" not in second.text.lower()
    assert "#1" not in second.title and " the and " not in second.title
    whole_sentences(second.text)
    assert "1 L cans" in second.text and "12 of our cafes" in second.text  # the rest stays
    assert statuses(job) == {
        "Remove “#1 coffee in America”": (
            "addressed",
            "The phrase “#1 coffee in America” is gone.",
        ),
        "Remove every health claim": ("addressed", "No health claim is left."),
    }
    assert second.metadata["feedback_checklist"][1]["kind"] == "remove_claims"


def test_the_starbucks_jab_is_removed(northwind, reviewer, worker_factory, media_root):
    job = two_revisions(northwind, reviewer, worker_factory, "remove the Starbucks jab")
    assert "Starbucks" in blog(job, 1).text
    assert "Starbucks" not in blog(job, 2).text
    whole_sentences(blog(job, 2).text)
    assert statuses(job) == {"Remove “Starbucks”": ("addressed", "The phrase “Starbucks” is gone.")}


def test_a_phrase_is_replaced(northwind, reviewer, worker_factory, media_root):
    job = two_revisions(northwind, reviewer, worker_factory, "Replace 'cafes' with 'coffee bars'")
    assert "cafes" in blog(job, 1).text
    assert "cafes" not in blog(job, 2).text and "12 of our coffee bars" in blog(job, 2).text
    assert statuses(job) == {
        "Replace “cafes” with “coffee bars”": (
            "addressed",
            "“cafes” is gone and “coffee bars” is there.",
        )
    }


def test_shorter_means_fewer_words(northwind, reviewer, worker_factory, media_root):
    job = two_revisions(northwind, reviewer, worker_factory, "Too long, make it shorter")
    before, after = len(blog(job, 1).text.split()), len(blog(job, 2).text.split())
    assert after < before
    assert statuses(job) == {
        "Make it shorter": ("addressed", f"{before} words before, {after} now.")
    }


def test_longer_means_more_words(northwind, reviewer, worker_factory, media_root):
    job = two_revisions(northwind, reviewer, worker_factory, "Make it longer, with more detail")
    before, after = len(blog(job, 1).text.split()), len(blog(job, 2).text.split())
    assert after > before
    assert statuses(job) == {
        "Make it longer": ("addressed", f"{before} words before, {after} now.")
    }


def test_the_tone_changes(northwind, reviewer, worker_factory, media_root):
    job = two_revisions(northwind, reviewer, worker_factory, "Make it more playful")
    assert blog(job, 1).metadata["tone"] == "professional"
    assert blog(job, 2).metadata["tone"] == "playful"
    assert blog(job, 2).text != blog(job, 1).text
    assert statuses(job) == {
        "Change the tone to playful": ("addressed", "Written in the playful tone.")
    }


def test_the_call_to_action_is_changed(northwind, reviewer, worker_factory, media_root):
    cta = "Order a can at any Northwind cafe today"
    feedback = f"Change the call to action to '{cta}'"
    job = two_revisions(northwind, reviewer, worker_factory, feedback)
    assert cta not in blog(job, 1).text
    assert f"{cta}." in blog(job, 2).text
    assert statuses(job) == {
        f"Call to action: “{cta}”": ("addressed", f"The new call to action is there: “{cta}”.")
    }


def test_a_verified_fact_is_used(northwind, reviewer, worker_factory, media_root):
    job = two_revisions(northwind, reviewer, worker_factory, "Use the fact about the parade")
    assert FACTS[2] not in blog(job, 1).text
    assert FACTS[2] in blog(job, 2).text
    assert statuses(job) == {
        f"Use the fact: “{FACTS[2]}”": ("addressed", f"The fact is there: “{FACTS[2]}”.")
    }


def test_a_free_text_note_is_left_to_the_reviewer(northwind, reviewer, worker_factory, media_root):
    job = two_revisions(northwind, reviewer, worker_factory, "The intro feels flat")
    assert statuses(job) == {
        "Note: “The intro feels flat”": (
            "unchecked",
            "A note for the writer: read the revision to judge it.",
        )
    }


# --- shown to the reviewer ------------------------------------------------------------------


def test_the_review_page_and_the_api_show_the_checklist(
    northwind, reviewer, worker_factory, media_root, client
):
    feedback = "remove '#1 coffee in America' and every health claim"
    job = two_revisions(northwind, reviewer, worker_factory, feedback)
    request = services.pending_request_for(job)
    page = login(client, reviewer).get(f"/reviews/{request.pk}/").content.decode()
    assert "Feedback checklist for revision 2" in page
    assert "The phrase “#1 coffee in America” is gone." in page
    assert "No health claim is left." in page
    assert "misses" not in page

    listed = api_as(reviewer).get("/api/v1/approvals/").json()["results"]
    [data] = [a for a in listed if a["id"] == request.pk]
    checklist = data["feedback_checklist"]
    assert (checklist["revision"], checklist["addressed"], checklist["missed"]) == (2, 2, 0)
    assert checklist["items"][1] == {
        "kind": "remove_claims",
        "source": feedback,
        "target": "health",
        "value": "",
        "label": "Remove every health claim",
        "status": "addressed",
        "evidence": "No health claim is left.",
    }


def test_a_revision_that_misses_an_instruction_says_so_at_the_top_of_the_review_page(
    northwind, reviewer, worker_factory, media_root, client
):
    # A hosted model that ignores the feedback: revision 2 still promises a cure.
    reply = Reply(text="Northwind cold brew cures fatigue. Pick up a 1 L can at our cafes.")
    with FakeOpenAIServer(default=reply) as server:
        env = worker_env(
            OPENAI_BASE_URL=server.base_url,
            OPENAI_API_KEY="test-key",
            TEXT_PROVIDERS="openai,builtin-text",
        )
        job = two_revisions(northwind, reviewer, worker_factory, "Remove every health claim", env)
    assert "cures fatigue" in blog(job, 2).text
    request = services.pending_request_for(job)
    page = login(client, reviewer).get(f"/reviews/{request.pk}/").content.decode()
    banner = page.index("Revision 2 misses 1 of 1 instruction from the feedback.")
    assert banner < page.index(f'id="output-{blog(job, 2).pk}"')
    assert "Still there: “cures fatigue”." in page


def test_another_clients_reviewer_sees_no_checklist(
    northwind, reviewer, worker_factory, media_root, client
):
    job = two_revisions(northwind, reviewer, worker_factory, "remove the Starbucks jab")
    request = services.pending_request_for(job)
    outsider = make_user("oscar", make_client("other", "Other Co"), "reviewer")
    response = login(client, outsider).get(f"/reviews/{request.pk}/")
    assert response.status_code == 404
    listed = api_as(outsider).get("/api/v1/approvals/").json()["results"]
    assert listed == []

"""Productions end to end through real worker processes: every workflow, each film branch,
a partial re-run after a rejected cut, and a failed concept batch retried."""

from __future__ import annotations

import json

import pytest

from approvals.models import ApprovalRequest
from jobs.mediakit.ffmpeg import probe
from jobs.models import Output, ProductionJob, StepRun
from jobs.workflows.production.seeds import seed_workflows
from jobs.workflows.production.services import decide_gate, start_production
from tests.conftest import worker_env
from tests.fake_openai_server import FakeOpenAIServer, Reply

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

FILM_BRIEF = (
    "Launch film for the Ridgeline 40 hiking pack: a 45-second spot for weekend hikers aged "
    "25-45. The pack carries a full day's kit without strain. Its frame adjusts in ten seconds. "
    "Recycled fabric, repairable buckles. Warm, cinematic, honest; shot on a mountain trail and "
    "in a kitchen at dawn."
)


@pytest.fixture(autouse=True)
def _setup(clean_queues, media_root):
    seed_workflows()


def work(job: ProductionJob, worker_factory, env: dict[str, str] | None = None) -> str:
    """Run a burst worker until the queues are empty; the job's gate or final status."""
    worker_factory(burst=True, threads=4, env=env).wait(timeout=300)
    job.refresh_from_db()
    request = ApprovalRequest.objects.filter(job=job, status="pending").first()
    return request.gate if request else job.status


def decide(job: ProductionJob, user, **kwargs) -> None:
    request = ApprovalRequest.objects.get(job=job, status="pending")
    decide_gate(request_id=request.pk, user=user, approve=kwargs.pop("approve", True), **kwargs)


def runs(job: ProductionJob) -> dict[str, StepRun]:
    job.refresh_from_db()
    return {r.step: r for r in StepRun.objects.filter(job=job, revision=job.revision)}


def outputs(job: ProductionJob, step: str) -> list[Output]:
    job.refresh_from_db()
    return list(Output.objects.filter(job=job, revision=job.revision, step=step).order_by("item"))


def data(job: ProductionJob, step: str) -> dict:
    return json.loads(next(o for o in outputs(job, step) if o.key == "data").text)


def test_film_by_the_solvers_recommendation_with_a_rejected_cut_rerun_alone(
    acme, rita, worker_factory
):
    job = start_production(
        client=acme, user=rita, workflow="film", brief={"brief": FILM_BRIEF, "budget_usd": 60000}
    )
    assert work(job, worker_factory) == "cd_gate"
    script = next(o for o in outputs(job, "script") if o.key == "script").text
    assert "Ridgeline 40 hiking pack" in script and "## Alternative: Manifesto" in script
    assert len(data(job, "script")["alternatives"]) == 2
    decide(job, rita)
    assert work(job, worker_factory) == "method_gate"
    solver = data(job, "solver")
    assert solver["method"] == "traditional"  # the best quality that fits $60,000
    assert set(solver["options"]) == {"ai_only", "hybrid", "traditional"}
    decide(job, rita)
    assert work(job, worker_factory) == "editor_gate"

    first = runs(job)
    assert first["route_traditional"].status == "succeeded"
    assert first["route_traditional"].note == (
        "Taken: method is traditional (recommended by solver)."
    )
    assert {first["route_ai"].status, first["route_hybrid"].status} == {"skipped"}
    assert first["legal_gate"].status == "skipped"
    shots = data(job, "shot_list")["shots"]
    frames = [o for o in outputs(job, "storyboard") if o.kind == "image"]
    assert len(frames) == len(shots) >= 6
    assert first["storyboard"].items_done == first["storyboard"].items_total == len(shots)
    [cut] = [o for o in outputs(job, "assembly") if o.kind == "video"]
    info = probe(cut.file.path)
    assert abs(info.duration_seconds - 45) <= 0.5 and info.has_audio and info.width == 640
    edl = next(o for o in outputs(job, "assembly") if o.key == "edl").text
    assert edl.count("* FROM CLIP NAME: shot-") == len(shots)
    assert data(job, "qc")["status"] == "pass"
    assert first["script"].prompts and first["script"].input_snapshot["read"] == ["vrd"]

    decide(job, rita, approve=False, feedback="Hold the product close-ups longer.")
    assert work(job, worker_factory) == "editor_gate"
    second = runs(job)
    rerun = {name for name, run in second.items() if run.reused_from is None}
    assert rerun == {"assembly", "qc", "legal_gate", "editor_gate"}
    assert second["assembly"].step_revision == 2 and second["storyboard"].step_revision == 1
    assert second["assembly"].input_snapshot["feedback"] == ["Hold the product close-ups longer."]
    assert StepRun.objects.filter(job=job, step="storyboard").exclude(reused_from=1).count() == 1

    decide(job, rita)
    assert work(job, worker_factory) == "director_gate"
    decide(job, rita)
    job.refresh_from_db()
    assert job.status == "completed" and job.progress == 100


def test_film_takes_the_branch_a_reviewer_chooses_over_the_recommendation(
    acme, rita, worker_factory
):
    job = start_production(
        client=acme, user=rita, workflow="film", brief={"brief": FILM_BRIEF, "budget_usd": 8000}
    )
    assert work(job, worker_factory) == "cd_gate"
    decide(job, rita)
    assert work(job, worker_factory) == "method_gate"
    assert data(job, "solver")["method"] == "ai_only"  # the only route within $8,000
    decide(job, rita, choice="hybrid")
    assert work(job, worker_factory) == "editor_gate"
    taken = runs(job)
    assert taken["route_hybrid"].status == "succeeded"
    assert taken["route_hybrid"].note == (
        "Taken: method is hybrid (overridden by rita at the gate)."
    )
    assert taken["route_ai"].status == "skipped"
    plan = next(o for o in outputs(job, "route_hybrid") if o.kind == "markdown").text
    assert plan.startswith("# Hybrid plan") and "Studio day" in plan


def test_advertising_fans_out_100_concepts_and_retries_a_failed_batch(
    acme, olga, worker_factory, client
):
    brief = {
        "brief": (
            "Campaign for the Ridgeline 40 hiking pack, for weekend hikers aged 25-45. "
            "The pack carries a full day's kit without strain. Its frame adjusts in ten "
            "seconds. Recycled fabric, repairable buckles. Bold, warm."
        ),
        "budget_usd": 50000,
    }
    # The hosted model hands drafts back unchanged (it echoes the user message, the draft).
    with FakeOpenAIServer(default=Reply()) as server:
        env = worker_env(
            OPENAI_BASE_URL=server.base_url,
            TEXT_PROVIDERS="openai",
            STEP_RETRY_DELAYS="0",
        )
        job = start_production(client=acme, user=olga, workflow="advertising", brief=brief)
        assert work(job, worker_factory, env) == "cd_gate"
        # The next answer is not JSON: the concept batch that gets it fails and is retried.
        server.script(Reply(text="Sorry, I can't help with concepts today."))
        decide(job, olga)
        assert work(job, worker_factory, env) == "concept_gate"
        batches = [r for name, r in runs(job).items() if name.startswith("concepts.")]
        assert len(batches) == 10 and all(r.status == "succeeded" for r in batches)
        assert sorted(r.attempt for r in batches) == [1] * 9 + [2]
        # Nine batches of ten, the failed batch's calls up to its bad answer (its ten run side
        # by side, so some may not have started), then all ten again.
        assert 101 <= sum(r.calls for r in batches) <= 110
        shortlist = data(job, "shortlist")
        assert shortlist["count"] == 100 and len(set(shortlist["ranked"])) == 100
        assert len({c["angle"] for c in shortlist["shortlist"]}) == 5
        client.force_login(olga)
        page = client.get(f"/jobs/{job.pk}/").content.decode()
        assert "10 of 10 batches complete" in page and "1 failed, retried" in page
        for gate in ("concept_gate", "client_gate", "legal_gate"):
            decide(job, olga)
            expected = {"concept_gate": "client_gate", "client_gate": "legal_gate"}.get(gate)
            assert work(job, worker_factory, env) == (expected or "completed")
    versions = [o for o in outputs(job, "versions") if o.kind == "video"]
    assert {(o.metadata["aspect"], o.metadata["seconds"]) for o in versions} == {
        (a, s) for a in ("16:9", "9:16", "1:1", "4:5") for s in (30, 15)
    }
    assert data(job, "final_qc")["status"] == "pass"
    placements = data(job, "traffic")["placements"]
    assert {p["version"] for p in placements} >= {"30 s · 16:9", "15 s · 9:16"}


def test_social_runs_to_a_publishing_ready_package(acme, olga, worker_factory):
    brief = {
        "brief": (
            "Autumn posts for the Ridgeline 40 hiking pack on Instagram and TikTok. Its frame "
            "adjusts in ten seconds. Recycled fabric, repairable buckles."
        ),
        "trend_data": [
            {"topic": "fall foliage hikes", "platform": "instagram", "growth_pct": 60},
            {"topic": "gear repair", "growth_pct": 25, "engagement_rate": 7},
        ],
    }
    job = start_production(client=acme, user=olga, workflow="social", brief=brief)
    assert work(job, worker_factory) == "review_gate"
    assert data(job, "trend_brief")["trends"][0]["topic"] == "fall foliage hikes"
    decide(job, olga)
    assert work(job, worker_factory) == "completed"
    posts = data(job, "posts")["posts"]
    assert {p["platform"] for p in posts} == {"Instagram", "TikTok"}
    assert all(p["caption"] and p["hashtags"] and p["post_at"] for p in posts)
    videos = [o for o in outputs(job, "posts") if o.kind == "video"]
    assert len(videos) == 3 and all(o.metadata["height"] == 640 for o in videos)
    manifest = json.loads(next(o for o in outputs(job, "package") if o.key == "manifest").text)
    assert len(manifest["posts"]) == 6 and all(p["file"] for p in manifest["posts"])

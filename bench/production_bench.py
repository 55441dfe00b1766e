"""The advertising workflow (100 concepts in ten batches) end to end through two step workers.

Offline, every step uses the built-in providers. Then a local OpenAI-compatible server answers
every call after 2 s: the concept fan-out must run concurrently (ten batches at once, each
asking for its ten concepts at once), or 100 calls alone would take 200 s. Gates are approved
by a staff user the moment they open, so the figures are the machine's time, not a person's.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

from bench.harness import ROOT, wait_until

LATENCY = float(os.environ.get("BENCH_PRODUCTION_LATENCY", "2.0"))
PROCESSES = 2
THREADS = int(os.environ.get("BENCH_PRODUCTION_THREADS", "16"))
BRIEF = {
    "brief": (
        "Campaign for the Ridgeline 40 hiking pack, for weekend hikers aged 25-45. The pack "
        "carries a full day's kit without strain. Its frame adjusts in ten seconds. Recycled "
        "fabric, repairable buckles. Bold, warm."
    ),
    "budget_usd": 50000,
    "concepts": 100,
}


def _produce(database_url: str, extra_env: dict[str, str]) -> tuple[float, int, str]:
    """Start one advertising production, approve its gates as they open.

    Returns the wall time, the number of step runs and the three slowest steps.
    """
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from approvals.models import ApprovalRequest
    from jobs.models import StepRun
    from jobs.workflows.production.services import decide_gate, start_production
    from production.demo import seed_clients

    client = seed_clients()["helix"]
    staff = get_user_model().objects.get(username="admin")
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-only-key",
        "DATABASE_URL": database_url,
        "REDIS_URL": settings.REDIS_URL,
        **extra_env,
    }
    log_dir = ROOT / "var" / "bench"
    log_dir.mkdir(parents=True, exist_ok=True)
    with open(log_dir / "production-workers.log", "ab") as log:
        workers = [
            subprocess.Popen(
                [sys.executable, "manage.py", "stepworker", f"--threads={THREADS}"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
            for _ in range(PROCESSES)
        ]
        try:
            started = time.perf_counter()
            job = start_production(client=client, user=staff, workflow="advertising", brief=BRIEF)

            def settled() -> bool:
                job.refresh_from_db()
                if job.status in ("completed", "failed", "cancelled"):
                    return True
                gate = ApprovalRequest.objects.filter(job=job, status="pending").first()
                if gate is not None:
                    decide_gate(request_id=gate.pk, user=staff, approve=True)
                return False

            wait_until(settled, timeout=900, interval=0.1)
            elapsed = time.perf_counter() - started
        finally:
            for worker in workers:
                worker.terminate()
            for worker in workers:
                worker.wait(timeout=30)
    if job.status != "completed":
        raise RuntimeError(f"the advertising production ended {job.status}: {job.error}")
    runs = StepRun.objects.filter(job=job)
    slowest = ", ".join(
        f"{r.step} {r.duration_ms / 1000:.1f} s" for r in runs.order_by("-duration_ms")[:3]
    )
    return elapsed, runs.count(), slowest


def run(database_url: str) -> list[tuple[str, str]]:
    from jobs.workflows.production.seeds import seed_workflows
    from tests.fake_openai_server import FakeOpenAIServer, Reply

    seed_workflows()
    offline, steps, slowest = _produce(database_url, {"TEXT_PROVIDERS": "builtin-text"})
    # The server echoes the draft it is sent, after LATENCY seconds per call.
    with FakeOpenAIServer(default=Reply(delay=LATENCY)) as server:
        hosted, _, hosted_slowest = _produce(
            database_url,
            {
                "OPENAI_BASE_URL": server.base_url,
                "TEXT_PROVIDERS": "openai,builtin-text",
                "PROVIDER_CONCURRENCY": "openai=200",
            },
        )
        calls, peak = server.request_count, server.peak_in_flight
    serial = calls * LATENCY
    return [
        (
            f"advertising, 100 concepts, offline, {PROCESSES} workers x {THREADS} threads",
            f"{offline:.1f} s wall ({steps} step runs, gates approved at once)",
        ),
        (
            f"same, model answering after {LATENCY:g} s per call",
            f"{hosted:.1f} s wall ({calls} calls; {serial:.0f} s if made one after another)",
        ),
        ("model calls in flight at peak", f"{peak} (the ten concept batches at once)"),
        ("slowest steps offline", slowest),
        ("slowest steps with the model", hosted_slowest),
    ]

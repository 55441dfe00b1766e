"""Content jobs through the whole lifecycle against a hosted model that answers after 2 s.

What users feel with a real model is how many slow calls run at once: with one step per worker
process, throughput would be workers / latency (about 1 job/s for two workers). Here two step
worker processes (one per core) run STEP_WORKER_THREADS steps each. The model is the local
OpenAI-compatible test server; the figures are jobs per second from the first call to the last
job in review, the peak of calls in flight the server saw, and the peak memory (RSS) of the
worker processes together.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.harness import ROOT, wait_until

JOBS = int(os.environ.get("BENCH_HOSTED_JOBS", "600"))
LATENCY = float(os.environ.get("BENCH_HOSTED_LATENCY", "2.0"))
PROCESSES = 2
THREADS = int(os.environ.get("BENCH_HOSTED_THREADS", "40"))

ARTICLE_REPLY = {
    "title": "Closing the books calmly",
    "intro": "Month-end close does not have to mean late nights. A steady routine, started "
    "early in the month, turns the close into a checklist instead of a scramble.",
    "sections": [
        {
            "heading": "Reconcile as you go",
            "body": "Match bank lines every week, not on the last day. Small differences are "
            "easy to explain while the week is fresh; a month of them is not.",
        },
        {
            "heading": "Agree the cut-off in advance",
            "body": "Tell the team which day invoices and expenses must be in. A clear date "
            "removes the back-and-forth that slows every close.",
        },
        {
            "heading": "Review the numbers, not the paperwork",
            "body": "When the routine work is done during the month, the close is time to "
            "look at what the numbers say and what to do next.",
        },
    ],
    "call_to_action": "Start this month: pick your cut-off date today.",
}


def rss_bytes(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class PeakMemory(threading.Thread):
    """Samples the summed RSS of some processes every 0.2 s."""

    def __init__(self, pids: list[int]) -> None:
        super().__init__(daemon=True)
        self.pids = pids
        self.peak = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(0.2):
            self.peak = max(self.peak, sum(rss_bytes(pid) for pid in self.pids))


def run(database_url: str) -> list[tuple[str, str]]:
    from django.conf import settings

    from jobs import services
    from jobs.models import ProductionJob, Status
    from production.demo import seed_clients
    from tests.fake_openai_server import FakeOpenAIServer, Reply

    client = seed_clients()["helix"]  # reviewers decide there: jobs stop at review
    already = ProductionJob.objects.filter(status=Status.REVIEW).count()
    # A reply of the shape the writer asks for (an invalid one is asked again, twice).
    reply = Reply(text=json.dumps(ARTICLE_REPLY), delay=LATENCY)
    with FakeOpenAIServer(default=reply) as server:
        for index in range(JOBS):
            services.job_create(
                client=client,
                job_type="content",
                title=f"Hosted post {index}",
                input_data={
                    "contentType": "blog_post",
                    "topic": f"Closing the books, part {index}",
                    "tone": "professional",
                    "length": "short",
                },
                auto_process=True,
            )
        env = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-only-key",
            "DATABASE_URL": database_url,
            "REDIS_URL": settings.REDIS_URL,
            "OPENAI_BASE_URL": server.base_url,
            "TEXT_PROVIDERS": "openai,builtin-text",
            "PROVIDER_CONCURRENCY": "openai=200",
        }
        log_dir = ROOT / "var" / "bench"
        log_dir.mkdir(parents=True, exist_ok=True)
        with open(log_dir / "hosted-workers.log", "ab") as log:
            workers = [
                subprocess.Popen(
                    [sys.executable, "manage.py", "stepworker", f"--threads={THREADS}"],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
                for _ in range(PROCESSES)
            ]
            memory = PeakMemory([w.pid for w in workers])
            memory.start()
            try:
                wait_until(lambda: server.request_count > 0, timeout=120)
                started = time.perf_counter()
                done = ProductionJob.objects.filter(status=Status.REVIEW)
                finished = wait_until(lambda: done.count() >= already + JOBS, interval=0.1)
            finally:
                memory.stopped.set()
                for worker in workers:
                    worker.terminate()
                for worker in workers:
                    worker.wait(timeout=30)
        calls = server.request_count
        peak_in_flight = server.peak_in_flight
    rate = JOBS / (finished - started)
    return [
        (
            f"{JOBS} content jobs, model answering after {LATENCY:g} s, "
            f"{PROCESSES} processes x {THREADS} threads",
            f"{rate:.1f} jobs/s (goal >= 20)",
        ),
        ("hosted calls in flight at peak", f"{peak_in_flight} (goal >= 50; {calls} calls)"),
        ("peak memory of the worker processes", f"{memory.peak / 2**20:.0f} MiB (goal <= 1536)"),
    ]

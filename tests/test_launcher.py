"""`manage.py serve`: the banner once the web answers, a killed worker restarted while the web
stays up, and Ctrl-C stopping everything quietly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from production.embedded_redis import free_port
from tests.conftest import ROOT

pytestmark = pytest.mark.worker


def get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status


def children_of(pid: int) -> dict[int, str]:
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                command = cmdline.read().replace(b"\0", b" ").decode()
        except (OSError, ValueError):
            continue
        if parent == pid:
            found[int(entry)] = command
    return found


def test_it_restarts_a_killed_worker_and_stops_quietly(tmp_path):
    env = {
        k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL", "TEST_RUN_ID"}
    }
    env.update(
        VAR_DIR=str(tmp_path),
        EMBEDDED_REDIS_PORT=str(free_port()),
        WORKER_COUNT="1",
        STEP_WORKER_THREADS="2",
    )
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run(
        [*manage, "migrate", "--noinput"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    port = free_port()
    serve = subprocess.Popen(
        [*manage, "serve", "--addr", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(serve.stdout), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 60
        while not any("Production engine is running" in line for line in lines):
            assert time.monotonic() < deadline and serve.poll() is None, "".join(lines)
            time.sleep(0.2)
        base = f"http://127.0.0.1:{port}"
        # The banner comes once the web server answers.
        assert get(f"{base}/accounts/login/") == 200
        assert get(f"{base}/static/css/app.css") == 200  # WhiteNoise, under gunicorn
        workers = [pid for pid, cmd in children_of(serve.pid).items() if "stepworker" in cmd]
        assert len(workers) == 1
        os.kill(workers[0], signal.SIGKILL)
        deadline = time.monotonic() + 20
        while not any("worker-1 restarted" in line for line in lines):
            assert time.monotonic() < deadline, "".join(lines)
            time.sleep(0.2)
        assert any("worker-1 exited with -9; restarting in 1 s" in line for line in lines)
        assert get(f"{base}/accounts/login/") == 200
        replacement = [pid for pid, cmd in children_of(serve.pid).items() if "stepworker" in cmd]
        assert len(replacement) == 1 and replacement != workers
        spawned = set(children_of(serve.pid))
    finally:
        serve.send_signal(signal.SIGINT)
        serve.wait(timeout=60)
        reader.join(timeout=5)
    output = "".join(lines)
    assert serve.returncode == 0, output
    assert "Traceback" not in output, output
    assert "Stopped." in output
    time.sleep(0.5)
    assert not [pid for pid in spawned if os.path.exists(f"/proc/{pid}")]

"""`manage.py serve` as a real process tree: the banner once the web answers, production-like
serving (gunicorn, WhiteNoise, DEBUG off, a local key), a killed worker or web server restarted
while the rest stays up, and Ctrl-C stopping everything quietly, Redis last."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import redis

from production.embedded_redis import free_port
from tests.conftest import ROOT

pytestmark = pytest.mark.worker

MANAGE = [sys.executable, str(ROOT / "manage.py")]
PASSWORD = "pw-launcher-12345"


def process_table() -> dict[int, tuple[int, int, str, str]]:
    """pid -> (parent pid, process group, state, command line) for every process."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                command = cmdline.read().replace(b"\0", b" ").decode()
        except (OSError, ValueError):
            continue
        table[int(entry)] = (int(fields[1]), int(fields[2]), fields[0], command)
    return table


def children_of(pid: int) -> dict[int, str]:
    return {child: row[3] for child, row in process_table().items() if row[0] == pid}


def descendants_of(pid: int) -> set[int]:
    table = process_table()
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, row in table.items() if row[0] in frontier} - found
        found |= frontier
    return found


def alive(pids: set[int]) -> set[int]:
    """Those still running (a zombie waiting for its parent to reap it is not running)."""
    table = process_table()
    return {pid for pid in pids if pid in table and table[pid][2] != "Z"}


def in_groups(groups: set[int]) -> set[int]:
    return {pid for pid, row in process_table().items() if row[1] in groups and row[2] != "Z"}


def wait_for(condition, timeout: float, message) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, message()
        time.sleep(0.2)


DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def status_of(url: str) -> int:
    try:
        with DIRECT.open(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def answers(url: str) -> bool:
    try:
        return status_of(url) == 200
    except OSError:
        return False


@dataclass
class Launcher:
    process: subprocess.Popen
    port: int
    redis_port: int
    var_dir: Path
    lines: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def said(self, text: str) -> bool:
        return any(text in line for line in self.lines)

    def child(self, marker: str) -> int:
        found = [pid for pid, cmd in children_of(self.process.pid).items() if marker in cmd]
        assert len(found) == 1, (marker, found, self.output)
        return found[0]


def environment(var_dir: Path, redis_port: int) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"REDIS_URL", "DATABASE_URL", "TEST_RUN_ID", "SECRET_KEY", "DEBUG"}
    }
    env.update(
        VAR_DIR=str(var_dir),
        EMBEDDED_REDIS_PORT=str(redis_port),
        WORKER_COUNT="1",
        STEP_WORKER_THREADS="2",
        WEB_WORKERS="1",
        WEB_THREADS="4",
    )
    return env


@pytest.fixture(scope="module")
def launcher(tmp_path_factory) -> Iterator[Launcher]:
    var_dir = tmp_path_factory.mktemp("launcher")
    redis_port = free_port()
    env = environment(var_dir, redis_port)
    subprocess.run(
        [*MANAGE, "migrate", "--noinput"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    subprocess.run(
        [*MANAGE, "createsuperuser", "--noinput", "--username=sam", "--email=sam@example.com"],
        cwd=ROOT,
        env={**env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD},
        check=True,
        capture_output=True,
    )
    port = free_port()
    process = subprocess.Popen(
        [*MANAGE, "serve", "--addr", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    launcher = Launcher(process, port, redis_port, var_dir)
    reader = threading.Thread(target=lambda: launcher.lines.extend(process.stdout), daemon=True)
    reader.start()
    try:
        yield launcher
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(os.getpgid(process.pid), signal.SIGKILL)
        reader.join(timeout=5)


def test_it_prints_the_banner_only_once_the_web_server_answers(launcher):
    wait_for(
        lambda: launcher.said("Production engine is running"),
        60,
        lambda: launcher.output,
    )
    # The very first request after the banner is answered, without a retry.
    assert status_of(f"{launcher.base}/accounts/login/") == 200
    assert f"Dashboard   {launcher.base}/" in launcher.output
    assert "gunicorn" in children_of(launcher.process.pid)[launcher.child("production.wsgi")]


def test_it_serves_like_production_and_a_browser_can_sign_in_with_styles(launcher):
    wait_for(lambda: launcher.said("Production engine is running"), 60, lambda: launcher.output)
    # DEBUG is off: a missing page is the plain 404, not Django's debug page.
    with pytest.raises(urllib.error.HTTPError) as missing:
        DIRECT.open(f"{launcher.base}/no-such-page/", timeout=5)
    assert missing.value.code == 404
    assert "URLconf" not in missing.value.read().decode()
    # The key in var/ is made for this installation and kept private.
    key_file = launcher.var_dir / "secret_key"
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"

    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(
        urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(jar)
    )
    with browser.open(f"{launcher.base}/accounts/login/", timeout=5) as page:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.read().decode())
    form = urllib.parse.urlencode(
        {"username": "sam", "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)}
    ).encode()
    request = urllib.request.Request(
        f"{launcher.base}/accounts/login/", data=form, headers={"Referer": launcher.base}
    )
    with browser.open(request, timeout=10) as dashboard:
        assert dashboard.status == 200
        assert dashboard.url == f"{launcher.base}/"
        html = dashboard.read().decode()
    stylesheets = re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', html)
    stylesheets += re.findall(r'<link[^>]+href="([^"]+\.css)"', html)
    assert stylesheets, html[:2000]
    for href in set(stylesheets):
        with browser.open(urllib.parse.urljoin(launcher.base, href), timeout=5) as sheet:
            assert sheet.status == 200
            assert sheet.headers["Content-Type"].startswith("text/css")


def test_a_killed_worker_is_restarted_and_takes_the_scheduler_lock(launcher):
    wait_for(lambda: launcher.said("Production engine is running"), 60, lambda: launcher.output)
    locks = redis.Redis(port=launcher.redis_port)
    lock = "rq:scheduler-lock:normal"
    wait_for(lambda: locks.get(lock) is not None, 15, lambda: launcher.output)
    holder = locks.get(lock)
    worker = launcher.child("stepworker")
    group = descendants_of(worker) | {worker}

    os.kill(worker, signal.SIGKILL)

    wait_for(lambda: launcher.said("worker-1 restarted"), 20, lambda: launcher.output)
    assert launcher.said("worker-1 exited with -9; restarting in 1 s")
    assert answers(f"{launcher.base}/accounts/login/")
    replacement = launcher.child("stepworker")
    assert replacement != worker
    assert not alive(group)
    # The dead worker's lock lapses (RQ gives it a minute; shortened here) and the new
    # worker takes it over.
    assert locks.get(lock) == holder
    locks.pexpire(lock, 200)
    wait_for(
        lambda: locks.get(lock) not in {None, holder},
        15,
        lambda: f"lock still {locks.get(lock)!r}\n{launcher.output}",
    )


def test_a_killed_web_server_is_restarted_and_its_workers_go_with_it(launcher):
    wait_for(lambda: launcher.said("Production engine is running"), 60, lambda: launcher.output)
    web = launcher.child("production.wsgi")
    web_workers = descendants_of(web)
    assert web_workers
    worker = launcher.child("stepworker")

    os.kill(web, signal.SIGKILL)

    wait_for(lambda: launcher.said("web restarted"), 20, lambda: launcher.output)
    assert launcher.said("web exited with -9; restarting in 1 s")
    wait_for(lambda: answers(f"{launcher.base}/accounts/login/"), 30, lambda: launcher.output)
    assert not alive(web_workers | {web})
    assert launcher.child("stepworker") == worker  # the rest never noticed


def test_ctrl_c_stops_every_child_quietly_and_redis_last(launcher):
    wait_for(lambda: launcher.said("Production engine is running"), 60, lambda: launcher.output)
    spawned = descendants_of(launcher.process.pid)
    groups = {os.getpgid(pid) for pid in children_of(launcher.process.pid)}
    assert launcher.process.pid not in groups  # each child leads a group of its own

    launcher.process.send_signal(signal.SIGINT)
    launcher.process.wait(timeout=60)

    output = launcher.output
    assert launcher.process.returncode == 0, output
    assert "Traceback" not in output, output
    assert "Stopping…" in output and output.rstrip().endswith("Stopped.")
    # Every worker released its scheduler locks: Redis was still there when they stopped.
    assert "Redis unreachable" not in output, output
    time.sleep(0.5)
    assert not alive(spawned)
    assert not in_groups(groups)


def test_it_refuses_an_address_in_use_before_starting_anything(tmp_path):
    redis_port = free_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [*MANAGE, "serve", "--addr", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=environment(tmp_path, redis_port),
            capture_output=True,
            text=True,
            timeout=60,
        )

    assert result.returncode == 1
    assert f"127.0.0.1:{port} is already in use" in result.stderr
    assert "Traceback" not in result.stderr
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", redis_port), timeout=0.5).close()

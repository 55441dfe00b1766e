"""Test setup: the run's own Redis (see redis_isolation), named users per role, workers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from production import tenant_scope
from tests import redis_isolation

# Test code acts as an operator, across clients; requests made in tests are scoped by the
# middleware like any other, and the row security tests scope themselves.
tenant_scope.set_process_default(tenant_scope.ALL)

ROOT = Path(__file__).resolve().parent.parent

# The browser tests' Playwright fixtures live with their helpers.
pytest_plugins = ["tests.browser", "tests.row_security_role"]


@pytest.fixture(scope="session")
def run_redis() -> Iterator[redis.Redis]:
    """The run's queue and cache database."""
    connection = redis.Redis.from_url(os.environ["REDIS_URL"])
    yield connection
    connection.close()


@pytest.fixture(autouse=True)
def empty_cache(run_redis):
    """Throttle counters live in the shared Redis cache: each test starts with none."""
    redis_isolation.reset(run_redis)
    yield


@pytest.fixture
def redis_conn():
    import django_rq

    connection = django_rq.get_connection("normal")
    redis_isolation.reset(connection)
    yield connection
    redis_isolation.reset(connection)


@pytest.fixture
def clean_queues(redis_conn):
    return redis_conn


@pytest.fixture(scope="module")
def scratch_redis_url() -> str:
    """A database of the run's own for the circuit-breaker and provider-chain tests."""
    return os.environ["TEST_SCRATCH_REDIS_URL"]


@pytest.fixture
def scratch_redis(scratch_redis_url: str) -> Iterator[redis.Redis]:
    """A connection to the scratch database, emptied before and after the test."""
    connection = redis.Redis.from_url(scratch_redis_url)
    redis_isolation.reset(connection)
    yield connection
    redis_isolation.reset(connection)
    connection.close()


def database_url_for_subprocess() -> str:
    """The URL of the test database this process uses, for worker subprocesses."""
    from django.db import connection

    cfg = connection.settings_dict
    if cfg["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{cfg['NAME']}"
    user = cfg.get("USER") or ""
    password = f":{cfg['PASSWORD']}" if cfg.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return (
        f"postgres://{auth}{cfg.get('HOST') or '127.0.0.1'}:{cfg.get('PORT') or 5432}/{cfg['NAME']}"
    )


def worker_env(**extra: str) -> dict[str, str]:
    from django.conf import settings

    env = dict(os.environ)
    env["DATABASE_URL"] = database_url_for_subprocess()
    env["REDIS_URL"] = settings.REDIS_URL
    env["MEDIA_ROOT"] = str(settings.MEDIA_ROOT)
    # The worker tests script plain-text model replies; tests/test_hosted_writers.py asks for
    # the JSON replies that deployments get by default.
    env["OPENAI_REPLY_FORMAT"] = "text"
    env.update(extra)
    return env


class WorkerProcess:
    """A real worker subprocess serving the four queues in priority order."""

    def __init__(
        self, *, burst: bool = True, env: dict[str, str] | None = None, threads: int = 0
    ) -> None:
        """With `threads`, a `manage.py stepworker` running that many steps at once."""
        from django.conf import settings

        if threads:
            args = [sys.executable, str(ROOT / "manage.py"), "stepworker", f"--threads={threads}"]
        else:
            args = [
                sys.executable,
                str(ROOT / "manage.py"),
                "rqworker",
                *settings.QUEUE_NAMES,
                "--worker-class",
                "rq.worker.SimpleWorker",
            ]
        if burst:
            args.append("--burst")
        self.process = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env or worker_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )

    def wait(self, timeout: float = 60) -> str:
        out, _ = self.process.communicate(timeout=timeout)
        return out.decode(errors="replace")

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


@pytest.fixture
def worker_factory(transactional_db, redis_conn):
    started: list[WorkerProcess] = []

    def start(**kwargs) -> WorkerProcess:
        worker = WorkerProcess(**kwargs)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media"), "base_url": "/media/"},
        },
    }
    return tmp_path / "media"


# --- named sample users per role ---------------------------------------------------------------


@pytest.fixture
def acme(db):
    from tests.factories import make_client

    return make_client("acme", "Acme Outdoor")


@pytest.fixture
def globex(db):
    from tests.factories import make_client

    return make_client("globex", "Globex Foods")


@pytest.fixture
def alice(acme):
    """A member of Acme."""
    from tests.factories import make_user

    return make_user("alice", acme, "member")


@pytest.fixture
def rita(acme):
    """A reviewer at Acme."""
    from tests.factories import make_user

    return make_user("rita", acme, "reviewer")


@pytest.fixture
def olga(acme):
    """An owner at Acme."""
    from tests.factories import make_user

    return make_user("olga", acme, "owner")


@pytest.fixture
def bob(globex):
    """A member of Globex."""
    from tests.factories import make_user

    return make_user("bob", globex, "member")


@pytest.fixture
def gary(globex):
    """A reviewer at Globex."""
    from tests.factories import make_user

    return make_user("gary", globex, "reviewer")


@pytest.fixture
def staff(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(
        "sam", password="pw-sam-12345", is_staff=True, is_superuser=True
    )


def _count_renders(monkeypatch, module) -> list[str]:
    """The template names `module` renders from now on, in order."""
    counted: list[str] = []
    original = module.render_to_string

    def counting(*args, **kwargs):
        counted.append(args[0])
        return original(*args, **kwargs)

    monkeypatch.setattr(module, "render_to_string", counting)
    return counted


@pytest.fixture
def renders(monkeypatch):
    """Counts full renders of a job page's live fragment."""
    from dashboards import live_fragments  # here: this module loads before Django is set up

    return _count_renders(monkeypatch, live_fragments)


@pytest.fixture
def list_renders(monkeypatch):
    """The templates the dashboard's job list renders: the list and its rows."""
    from dashboards import job_list

    return _count_renders(monkeypatch, job_list)


@pytest.fixture
def open_live(live_server):
    """Opens a page's event stream as a signed-in viewer: answered 200 with its hello."""
    from tests.test_live_stream import Stream, cookies_for

    opened = []

    def start(path: str, user):
        stream = Stream(f"{live_server.url}{path}", cookies_for(user))
        opened.append(stream)
        assert stream.response.status_code == 200
        assert stream.next()[0] == "hello"
        return stream

    yield start
    for stream in opened:
        stream.close()


@pytest.fixture
def open_list(open_live):
    """Opens the dashboard's list stream (with the list's query, e.g. "&status=queued")."""
    return lambda user, query="": open_live(f"/live/?fragments=1{query}", user)

"""Redis and databases for one test run: a private server, or databases claimed on a shared one.

Several test runs may share a machine. Without REDIS_URL the run starts its own server on a
free port. With REDIS_URL (CI's shared server) it claims empty database numbers by writing a
claim key with SET NX, and only ever empties databases it holds the claim for: the claim key
is written back after every reset, and removed when the run ends. Loaded with `-p` so that it
runs before pytest-django reads the settings. The run's SQLite file and PostgreSQL test
database carry TEST_RUN_ID in their names (see the settings).
"""

from __future__ import annotations

import atexit
import os
import shutil
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import redis

CLAIM_KEY = "test-run:claim"
CLAIM_SECONDS = 6 * 3600
RUN_ID = os.environ.setdefault("TEST_RUN_ID", uuid.uuid4().hex[:10])

_claimed: list[str] = []
# The REDIS_URL this run was started with ("" when it started its own server): a second run
# started from here gets the same, as a second `make test` on this machine would.
GIVEN_REDIS_URL = ""


# The server this run started (process, data_dir, port), when it started one: only such a
# server may be crashed and restarted by a test (chaos's "redis restarted").
OWN_SERVER: dict[str, Any] = {}


def restart_own_server(down: float) -> None:
    """Crash this run's own Redis and start it again on its port (see OWN_SERVER)."""
    from production.embedded_redis import crash_and_restart

    OWN_SERVER["process"] = crash_and_restart(
        OWN_SERVER["process"], OWN_SERVER["data_dir"], OWN_SERVER["port"], down
    )


def _url_with_db(url: str, db: int) -> str:
    return urlparse(url)._replace(path=f"/{db}").geturl()


def claim_database(server_url: str, *, skip: set[int] = frozenset()) -> str:
    """Claim the first empty database on the server for this run; its URL."""
    for db in range(1, 16):
        if db in skip:
            continue
        url = _url_with_db(server_url, db)
        connection = redis.Redis.from_url(url)
        try:
            if connection.dbsize() != 0:
                continue
            if not connection.set(CLAIM_KEY, RUN_ID, nx=True, ex=CLAIM_SECONDS):
                continue
            if connection.dbsize() != 1:  # somebody wrote here at the same moment
                connection.delete(CLAIM_KEY)
                continue
        finally:
            connection.close()
        _claimed.append(url)
        return url
    raise RuntimeError(f"no empty Redis database left to claim on {server_url}")


def reset(connection: redis.Redis) -> None:
    """Empty a database this run owns, keeping (or renewing) the run's claim on it."""
    connection.flushdb()
    if any(_same_db(connection, url) for url in _claimed):
        connection.set(CLAIM_KEY, RUN_ID, ex=CLAIM_SECONDS)


def _same_db(connection: redis.Redis, url: str) -> bool:
    kwargs = connection.connection_pool.connection_kwargs
    parsed = urlparse(url)
    return (
        kwargs.get("port") == parsed.port
        and str(kwargs.get("db", 0)) == (parsed.path.strip("/") or "0")
        and kwargs.get("host") == parsed.hostname
    )


def _release() -> None:
    for url in _claimed:
        connection = redis.Redis.from_url(url)
        try:
            if connection.get(CLAIM_KEY) == RUN_ID.encode():
                connection.flushdb()
        except redis.RedisError:
            pass
        finally:
            connection.close()


def setup(var_dir: Path) -> None:
    """Point REDIS_URL at what this run owns; call before Django reads its settings."""
    global GIVEN_REDIS_URL
    configured = os.environ.get("REDIS_URL")
    GIVEN_REDIS_URL = configured or ""
    if configured:
        queues = claim_database(configured)
        scratch = claim_database(configured, skip={int(urlparse(queues).path.strip("/"))})
        atexit.register(_release)
    else:
        from production.embedded_redis import start_private

        data_dir = var_dir / "redis-test" / RUN_ID
        process, server = start_private(data_dir)
        OWN_SERVER.update(process=process, data_dir=data_dir, port=urlparse(server).port)

        def stop() -> None:
            OWN_SERVER["process"].terminate()
            OWN_SERVER["process"].wait(timeout=10)
            shutil.rmtree(data_dir, ignore_errors=True)

        atexit.register(stop)
        queues, scratch = _url_with_db(server, 0), _url_with_db(server, 1)
    os.environ["REDIS_URL"] = queues
    os.environ["TEST_SCRATCH_REDIS_URL"] = scratch


@pytest.hookimpl(wrapper=True)
def pytest_load_initial_conftests(early_config, parser, args):
    setup(Path(__file__).resolve().parent.parent / "var")
    return (yield)

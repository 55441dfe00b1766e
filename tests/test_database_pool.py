"""PostgreSQL connections of the web server come from a bounded pool (DATABASE_POOL_SIZE)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import ROOT

READ = (
    "import django, json; django.setup(); from django.conf import settings; "
    "db = settings.DATABASES['default']; pool = db.get('OPTIONS', {}).get('pool') or {}; "
    "print(json.dumps([db['CONN_MAX_AGE'], pool.get('max_size'), callable(pool.get('reset'))]))"
)


def _settings_with(**env: str) -> list:
    answer = subprocess.run(
        [sys.executable, "-c", READ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "production.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(answer.stdout.strip().splitlines()[-1])


def test_a_pool_size_pools_postgresql_connections_and_forgets_their_scope() -> None:
    url = "postgres://postgres@127.0.0.1:5432/unused"
    assert _settings_with(DATABASE_URL=url, DATABASE_POOL_SIZE="6") == [0, 6, True]
    # Without it, one persistent connection per thread, as before.
    assert _settings_with(DATABASE_URL=url, DATABASE_POOL_SIZE="0") == [60, None, False]


def test_sqlite_is_never_pooled() -> None:
    url = "sqlite:////tmp/never-opened.sqlite3"
    assert _settings_with(DATABASE_URL=url, DATABASE_POOL_SIZE="6")[1:] == [None, False]

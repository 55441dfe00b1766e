"""Production settings: `check --deploy` is clean with DEBUG off, HTTPS protections are on by
default there, and the local launcher serves plain HTTP only because it says so."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEY = "k3y-" + "0123456789abcdefghijklmnopqrstuvwxyz" * 2
SHOWN = (
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_PROXY_SSL_HEADER",
    "SESSION_COOKIE_AGE",
    "X_FRAME_OPTIONS",
)


def environment(tmp_path: Path, **env: str) -> dict[str, str]:
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests of this run, never in production.
    unset = {
        "SECRET_KEY",
        "DEBUG",
        "HTTPS",
        "BEHIND_PROXY",
        "SECURE_HSTS_SECONDS",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    return {
        **clean,
        "DJANGO_SETTINGS_MODULE": "production.settings",
        "VAR_DIR": str(tmp_path),
        **env,
    }


def loaded(tmp_path: Path, **env: str) -> dict[str, object]:
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {SHOWN!r}}}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment(tmp_path, **env),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_check_deploy_reports_nothing_with_debug_off(tmp_path):
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment(tmp_path, DEBUG="0", SECRET_KEY=KEY),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_https_protections_are_the_production_default(tmp_path):
    production = loaded(tmp_path, DEBUG="0", SECRET_KEY=KEY)
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_SECURE"] is True
    assert production["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert production["X_FRAME_OPTIONS"] == "DENY"
    assert production["SESSION_COOKIE_AGE"] == 12 * 3600
    assert production["SECURE_PROXY_SSL_HEADER"] is None  # a forged header is not believed


def test_behind_a_proxy_its_forwarded_scheme_is_believed(tmp_path):
    proxied = loaded(tmp_path, DEBUG="0", SECRET_KEY=KEY, BEHIND_PROXY="1")
    assert proxied["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_plain_http_only_when_asked(tmp_path):
    local = loaded(tmp_path, DEBUG="0", SECRET_KEY=KEY, HTTPS="0")
    assert local["SECURE_SSL_REDIRECT"] is False
    assert local["SESSION_COOKIE_SECURE"] is False
    assert local["SECURE_HSTS_SECONDS"] == 0
    development = loaded(tmp_path, DEBUG="1")
    assert development["SECURE_SSL_REDIRECT"] is False


def test_the_launcher_serves_plain_http_unless_told_otherwise(monkeypatch):
    from production.management.commands.serve import child_env

    monkeypatch.delenv("HTTPS", raising=False)
    assert child_env("127.0.0.1")["HTTPS"] == "0"
    monkeypatch.setenv("HTTPS", "1")
    assert child_env("127.0.0.1")["HTTPS"] == "1"

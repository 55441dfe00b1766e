"""Output files go out only through access-checked views; the development key never serves
production."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest
from django.core.files.base import ContentFile

from jobs.models import Output
from production.local_secret import ensure_local_secret_key
from tests.conftest import ROOT
from tests.factories import login, make_job


@pytest.mark.django_db
def test_media_paths_answer_404_to_everyone(client, acme, alice, bob, media_root):
    job = make_job(acme)
    output = Output.objects.create(
        job=job, step="write", key="banner", kind="image", revision=1, mime_type="image/png"
    )
    output.file.save(f"outputs/{acme.slug}/{job.pk}/r1/banner.png", ContentFile(b"\x89PNG"))
    path = f"/media/{output.file.name}"
    assert (media_root / output.file.name).exists()

    assert client.get(path).status_code == 404
    assert login(client, bob).get(path).status_code == 404
    assert login(client, alice).get(path).status_code == 404
    # The owner's way in still works, and another client's member gets nothing.
    checked = f"/jobs/{job.pk}/outputs/{output.pk}/file/"
    assert login(client, alice).get(checked).status_code == 200
    assert login(client, bob).get(checked).status_code == 404


def settings_load(tmp_path, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.SECRET_KEY)"],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "production.settings",
            "VAR_DIR": str(tmp_path),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_with_debug_off_the_development_key_is_refused(tmp_path):
    refused = settings_load(tmp_path, DEBUG="0")

    assert refused.returncode != 0
    assert "SECRET_KEY is not set" in refused.stderr


def test_the_local_key_is_made_once_kept_private_and_used(tmp_path):
    key = ensure_local_secret_key(tmp_path / "secret_key")

    assert len(key) >= 50
    assert ensure_local_secret_key(tmp_path / "secret_key") == key
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    loaded = settings_load(tmp_path, DEBUG="0")
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.strip() == key

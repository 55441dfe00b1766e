"""Output files go out only through access-checked views, with DEBUG on or off; the development
key never serves with DEBUG off."""

from __future__ import annotations

import importlib
import os
import stat
import subprocess
import sys
from urllib.parse import urlparse

import pytest
from django.core.files.base import ContentFile
from django.urls import clear_url_caches
from rest_framework.test import APIClient

import production.urls
from jobs.api import downloads
from jobs.models import Output
from production.local_secret import ensure_local_secret_key
from tests.conftest import ROOT
from tests.factories import api_as, login, make_job

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(params=[True, False], ids=["debug-on", "debug-off"])
def urls_built_with_debug(request, settings):
    """The URL map as Django builds it with DEBUG on (as `DEBUG=1` does) or off."""
    settings.DEBUG = request.param
    importlib.reload(production.urls)
    clear_url_caches()
    yield request.param
    settings.DEBUG = False
    importlib.reload(production.urls)
    clear_url_caches()


@pytest.fixture
def banner(acme, media_root):
    job = make_job(acme)
    output = Output(job=job, step="write", key="banner", kind="image", mime_type="image/png")
    output.file.save(f"outputs/{acme.slug}/{job.pk}/r1/banner.png", ContentFile(PNG), save=False)
    output.size_bytes = len(PNG)
    output.save()
    assert (media_root / output.file.name).exists()
    return output


@pytest.mark.django_db
def test_media_paths_answer_404_to_everyone(urls_built_with_debug, client, banner, alice, bob):
    path = f"/media/{banner.file.name}"

    assert client.get(path).status_code == 404
    assert login(client, bob).get(path).status_code == 404
    assert login(client, alice).get(path).status_code == 404


@pytest.mark.django_db
def test_the_dashboards_file_view_checks_who_asks(
    urls_built_with_debug, client, banner, alice, bob
):
    checked = f"/jobs/{banner.job.pk}/outputs/{banner.pk}/file/"

    anonymous = client.get(checked)
    assert anonymous.status_code == 302
    assert urlparse(anonymous.url).path == "/accounts/login/"
    assert login(client, bob).get(checked).status_code == 404
    owner = login(client, alice).get(checked)
    assert owner.status_code == 200
    assert b"".join(owner.streaming_content) == PNG


@pytest.mark.django_db
def test_the_api_download_checks_who_asks(urls_built_with_debug, banner, alice, bob):
    path = f"/api/v1/outputs/{banner.pk}/download"
    alices_link = {"sig": downloads.sign(banner.pk, alice.pk)}

    assert APIClient().get(path, alices_link).status_code == 401
    # Another client's member: nothing, with Alice's link or with one made out to them.
    assert api_as(bob).get(path, alices_link).status_code == 404
    assert api_as(bob).get(path, {"sig": downloads.sign(banner.pk, bob.pk)}).status_code == 404
    assert api_as(alice).get(path).status_code == 403
    owner = api_as(alice).get(path, alices_link)
    assert owner.status_code == 200
    assert b"".join(owner.streaming_content) == PNG


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
    from production.settings import DEV_SECRET_KEY

    unset = settings_load(tmp_path, DEBUG="0")
    given = settings_load(tmp_path, DEBUG="0", SECRET_KEY=DEV_SECRET_KEY)

    for refused in (unset, given):
        assert refused.returncode != 0
        assert "ImproperlyConfigured: SECRET_KEY is not set" in refused.stderr
        assert str(tmp_path / "secret_key") in refused.stderr
    assert settings_load(tmp_path, DEBUG="0", SECRET_KEY="s" * 50).stdout.strip() == "s" * 50
    assert settings_load(tmp_path, DEBUG="1").stdout.strip() == DEV_SECRET_KEY


def test_the_local_key_is_made_once_kept_private_and_used(tmp_path):
    key = ensure_local_secret_key(tmp_path / "secret_key")

    assert len(key) >= 50
    assert ensure_local_secret_key(tmp_path / "secret_key") == key
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    loaded = settings_load(tmp_path, DEBUG="0")
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.strip() == key
    # The environment's key still wins over the local one.
    assert settings_load(tmp_path, DEBUG="0", SECRET_KEY="e" * 50).stdout.strip() == "e" * 50

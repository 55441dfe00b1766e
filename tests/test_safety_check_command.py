"""`manage.py safety_check`: the scorer on the command line, for copy checked before ordering."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

RISKY = "Our boots are the #1 choice and clinically proven. Write to joe@smith-family.net today."
BACKED = "Acme Outdoor was founded in 2009. Come hike with us this spring."


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("safety_check", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def risky_file(tmp_path: Path) -> Path:
    path = tmp_path / "copy.txt"
    path.write_text(RISKY, encoding="utf-8")
    return path


def test_it_prints_score_band_verdict_and_each_flag_with_its_span_and_excerpt(db, risky_file):
    output = run(str(risky_file))
    assert "Score: " in output and "/100" in output
    assert "Truth verified: no" in output
    start = RISKY.index("clinically proven")
    assert f"health_promise at {start}-{start + len('clinically proven')}" in output
    assert "“clinically proven”" in output
    assert "personal_data" in output and "joe@smith-family.net" in output


def test_its_json_matches_the_scorer_report(db, risky_file):
    from approvals.safety import score_text

    report = json.loads(run(str(risky_file), "--json"))
    expected = score_text(RISKY)
    assert report["score"] == expected.score < 80
    assert report["band"] == expected.band
    assert report["verified"] is False
    spans = {(f["category"], f["start"], f["end"], f["excerpt"]) for f in report["flags"]}
    assert spans == {(f.category, f.start, f.end, f.excerpt) for f in expected.flags}


def test_a_client_s_verified_facts_back_its_claims(acme, tmp_path):
    path = tmp_path / "backed.txt"
    path.write_text(BACKED, encoding="utf-8")
    report = json.loads(run(str(path), "--client", "acme", "--json"))
    assert report["verified"] is True and report["flags"] == []
    assert report["band"] == "verified_safe"
    assert "against Acme Outdoor's facts" in run(str(path), "--client", "acme")


def test_a_dash_reads_standard_input(db, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(RISKY))
    report = json.loads(run("-", "--json"))
    assert any(flag["excerpt"] == "clinically proven" for flag in report["flags"])


def test_a_missing_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="No such file: .*nothing.txt"):
        run(str(tmp_path / "nothing.txt"))


def test_an_unknown_client_is_a_clear_error_listing_known_ones(acme, risky_file):
    with pytest.raises(CommandError, match="Unknown client 'initech'.*acme"):
        run(str(risky_file), "--client", "initech")


def test_it_exits_zero_from_the_shell_even_when_flags_are_raised(risky_file, tmp_path):
    env_db = tmp_path / "cli.sqlite3"
    root = Path(__file__).resolve().parent.parent
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{env_db}", "VAR_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, str(root / "manage.py"), "safety_check", str(risky_file)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "health_promise" in done.stdout

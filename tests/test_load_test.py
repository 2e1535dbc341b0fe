"""bench/load_test.py at a tiny size, as a smoke test (no timing is asserted): it signs staff in
against a real gunicorn on the test database, runs the whole mix through locust, and reports."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.usefixtures("demo")


def test_the_load_test_runs_the_mix_against_gunicorn_without_an_error(app):
    command = [sys.executable, ROOT / "bench" / "load_test.py", "--database-url", app.config["SQLALCHEMY_DATABASE_URI"]]
    command += ["--agency", "DEMO", "--users", "2", "--seconds", "8", "--spawn-seconds", "1", "--workers", "1"]
    command += ["--think", "0.5", "2"]  # busy: each person goes through several steps in 8 s
    run = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    lines = {line.split("  ")[0].strip(): line.split() for line in run.stdout.splitlines() if line[:1].isalpha()}
    assert "sign in" in lines and "all requests" in lines, run.stdout
    assert lines["sign in"][2] == "2" and lines["all requests"][-4] == "0"  # both signed in; nothing failed

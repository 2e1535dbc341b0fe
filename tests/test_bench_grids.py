"""bench/grids.py on the test database at a tiny size, as a smoke test (no timing is asserted):
every scenario's grid page and its bare floor route answer, and the ratios are printed."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_grid_statements import grow

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.usefixtures("demo")


def test_the_grid_benchmark_runs_every_scenario(app):
    grow(app, clients=30)
    command = [sys.executable, ROOT / "bench" / "grids.py", "--database-url", app.config["SQLALCHEMY_DATABASE_URI"], "--smoke"]
    run = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    rows = [line for line in run.stdout.splitlines() if line.startswith(("clients:", "sessions:", "forms:"))]
    assert len(rows) == 14 and all(line.endswith("x") for line in rows), run.stdout
    assert "median ratio" in run.stdout

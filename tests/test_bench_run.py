"""``make bench`` (bench/run.py) at a tiny size, as a smoke test (no timing is asserted): every
benchmark module runs through the runner's entry point and lands in the summary table."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import make_url

ROOT = Path(__file__).resolve().parents[1]
SQLITE_MODULES = ("find a client", "grids", "iCARE export", "client import", "notifications", "access rules")


def run_bench(*arguments):
    """The runner's output and the summary table's lines."""
    command = [sys.executable, ROOT / "bench" / "run.py", "--size", "20", "--repeat", "1", *arguments]
    run = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return run.stdout, run.stdout.split("== Summary", 1)[1].splitlines()


def test_make_bench_runs_every_sqlite_benchmark_into_one_table(tmp_path):
    markdown = tmp_path / "bench.md"
    output, summary = run_bench("--databases", "sqlite", "--markdown", str(markdown))
    rows = [line for line in summary if line.startswith("sqlite ")]
    for name in SQLITE_MODULES:
        assert any(f"  {name}  " in line for line in rows), (name, output[-3000:])
    assert any("home page" in line for line in rows) and any("client dashboard" in line for line in rows)
    assert any("messages/s" in line for line in rows) and any("rows/s" in line for line in rows)
    assert "load average before" in output and "SQLite " in output
    table = markdown.read_text().splitlines()
    assert table[2].startswith("| database | benchmark | scenario | ours | floor | ratio |")
    assert len(table) - 4 == len(rows)  # the heading, the rule and one line per scenario


def test_make_bench_runs_the_postgresql_only_benchmarks_on_a_scratch_database(app):
    if app.config["SQLALCHEMY_DATABASE_URI"].split(":")[0].split("+")[0] != "postgresql":
        pytest.skip("PostgreSQL only")
    test_url = make_url(os.environ["TEST_DATABASE_URL"])  # the runner creates and drops <test database>_bench
    url = test_url.set(database=f"{test_url.database}_bench").render_as_string(hide_password=False)
    output, summary = run_bench("--databases", "postgresql", "--database-url", url, "--only", "reports", "grid_export")
    rows = [line for line in summary if line.startswith("postgresql ")]
    for name in ("reports", "grid export"):
        assert any(f"  {name}  " in line for line in rows), (name, output[-3000:])
    assert "PostgreSQL 1" in output


def test_make_bench_refuses_a_database_that_holds_agencies(app, demo):
    if app.config["SQLALCHEMY_DATABASE_URI"].split(":")[0].split("+")[0] != "postgresql":
        pytest.skip("PostgreSQL only")
    from bench.run import refuse_a_used_database

    url = make_url(os.environ["TEST_DATABASE_URL"]).render_as_string(hide_password=False)
    with pytest.raises(SystemExit, match="holds agencies"):
        refuse_a_used_database(url)  # the test database, with the demo loaded: never emptied

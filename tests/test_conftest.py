"""The test set-up itself: a PostgreSQL run that cannot connect fails when CI requires it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
UNREACHABLE = "postgresql://postgres@127.0.0.1:1/nothing"  # nothing listens on port 1


A_DATABASE_TEST = "tests/test_auth.py::test_email_is_case_insensitive"


def run_a_database_test(required):
    """Run one test that needs the database, in a new process, against an unreachable PostgreSQL."""
    env = {key: value for key, value in os.environ.items() if key != "REQUIRE_POSTGRES"}
    env.update(TEST_DATABASE="postgresql", TEST_DATABASE_URL=UNREACHABLE)
    if required:
        env["REQUIRE_POSTGRES"] = "1"
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", A_DATABASE_TEST]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("required", [True, False])
def test_an_unreachable_postgresql_fails_the_run_only_when_required(required):
    result = run_a_database_test(required)
    output = result.stdout + result.stderr
    if required:
        assert result.returncode != 0 and "REQUIRE_POSTGRES is set but the PostgreSQL test database cannot be used" in output
        assert " passed" not in output
    else:
        assert result.returncode == 0 and "skipped" in output and "PostgreSQL test database cannot be used" in output

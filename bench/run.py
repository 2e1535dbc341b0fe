"""``make bench``: every benchmark of ``bench/`` on SQLite and PostgreSQL, one summary table.

    make bench                                  # BENCH_SIZE=2000: a few minutes
    make bench BENCH_SIZE=100000 BENCH_MARKDOWN=bench-results.md
    .venv/bin/python bench/run.py --size 50 --repeat 1 --only grids notifications

Each module below has ``bench(url, size, repeat)`` returning ``bench.result.Result`` rows (our
figure and the floor measured beside it in the same run); this runner only gives each one a new
database, the size it should load, and collects the rows. SQLite: a new file per module.
PostgreSQL: ``BENCH_DATABASE_URL`` (default a scratch database ``ocms_bench`` on
127.0.0.1:5432, created when missing and dropped at the end); each module drops schema
``public`` of it first, so an existing database that holds agencies is refused (give a new
name, or drop it yourself). The load test
(``bench/load_test.py``: 50 people against gunicorn for a minute) is not part of this run.
"""

import argparse
import importlib
import os
import platform
import shutil
import sqlite3
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from sqlalchemy import create_engine, make_url, text  # noqa: E402

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/ocms_bench"
SCRATCH_MARK = "ocms-bench scratch database"  # the comment of a database this runner created


@dataclass(frozen=True)
class Module:
    name: str  # bench/<name>.py
    size: object  # BENCH_SIZE -> what this module loads
    dialects: tuple = ("sqlite", "postgresql")


MODULES = (
    Module("find_client", lambda n: n),  # clients searched (and a quarter more in another agency)
    Module("grids", lambda n: max(30, n // 4)),  # seed-scale clients (about five sessions and forms each)
    Module("reports", lambda n: 5 * n, ("postgresql",)),  # service forms
    Module("icare_export", lambda n: n),  # I&O records in the month
    Module("client_import", lambda n: n),  # rows per file
    Module("notifications", lambda n: max(20, n // 10)),  # messages
    Module("grid_export", lambda n: 5 * n, ("postgresql",)),  # sessions
    Module("access_rules", lambda n: n),  # the demo (size not used)
    Module("row_level_security", lambda n: n, ("postgresql",)),  # the demo (size not used)
)


def options(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=int(os.environ.get("BENCH_SIZE") or 2000))
    parser.add_argument("--repeat", type=int, default=int(os.environ.get("BENCH_REPEAT") or 5))
    parser.add_argument("--databases", nargs="+", default=(os.environ.get("BENCH_DATABASES") or "sqlite postgresql").split())
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL)
    parser.add_argument("--only", nargs="+", default=(os.environ.get("BENCH_ONLY") or "").split() or None)
    parser.add_argument("--markdown", default=os.environ.get("BENCH_MARKDOWN"), help="also write the table here")
    return parser.parse_args(argv)


def load_average():
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def machine(pg_version):
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    memory = next((int(line.split()[1]) // 2**20 for line in open("/proc/meminfo") if line.startswith("MemTotal")), 0)
    return (
        f"{os.cpu_count()} CPUs ({cpu}), {memory} GiB RAM, {platform.platform(terse=True)}, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, PostgreSQL {pg_version or 'not run'}"
    )


def maintenance_engine(url):
    """An engine on the server's ``postgres`` database (psycopg 3, as the app uses)."""
    target = make_url(url)
    return create_engine(target.set(drivername="postgresql+psycopg", database="postgres"), isolation_level="AUTOCOMMIT")


def scratch_database(url):
    """Create the PostgreSQL database when missing; ``(its version, whether it was created)``."""
    target, admin = make_url(url), maintenance_engine(url)
    with admin.connect() as connection:
        exists = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": target.database})
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{target.database}"'))
            connection.execute(text(f"COMMENT ON DATABASE \"{target.database}\" IS '{SCRATCH_MARK}'"))
        version = connection.scalar(text("SHOW server_version"))
    admin.dispose()
    return version.split()[0], not exists


def refuse_a_used_database(url):
    """Exit when ``url``'s database holds agencies and is no scratch database of this runner (an
    earlier run's, kept after a crash, is fine): every module drops its schema ``public``
    first, and a benchmark must never empty a database someone uses."""
    engine = create_engine(make_url(url).set(drivername="postgresql+psycopg"))
    try:
        with engine.connect() as connection:
            mark = connection.scalar(
                text("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = current_database()")
            )
            if mark == SCRATCH_MARK or connection.scalar(text("SELECT to_regclass('public.agencies')")) is None:
                return
            if connection.scalar(text("SELECT EXISTS (SELECT 1 FROM agencies)")):
                name = make_url(url).database
                sys.exit(f"{name} holds agencies: the benchmarks drop its schema. Give BENCH_DATABASE_URL a new database.")
    finally:
        engine.dispose()


def drop_database(url):
    target, admin = make_url(url), maintenance_engine(url)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
    admin.dispose()


def sqlite_template(folder):
    """A migrated SQLite file each module's database starts as a copy of (a module's own
    ``upgrade()`` then has nothing to do: one migration run instead of one per module)."""
    import flask_migrate

    from app import create_app

    path = os.path.join(folder, "migrated.sqlite3")
    with create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"}).app_context():
        flask_migrate.upgrade()
    return path


def database_for(module, dialect, args, folder):
    if dialect == "postgresql":
        return args.database_url
    path = os.path.join(folder, f"{module.name}.sqlite3")
    shutil.copy(os.path.join(folder, "migrated.sqlite3"), path)
    return f"sqlite:///{path}"


def run_one(module, dialect, args, folder):
    """One module on one database: its rows (each with the database and the load average)."""
    url = database_for(module, dialect, args, folder)
    size = module.size(args.size)
    print(f"\n== {module.name} on {dialect}, size {size:,}; load average {load_average()}", flush=True)
    started = time.perf_counter()
    rows = importlib.import_module(f"bench.{module.name}").bench(url, size, args.repeat)
    seconds = time.perf_counter() - started
    print(f"== {module.name} on {dialect}: {seconds:.0f} s; load average {load_average()}", flush=True)
    return [(dialect, row, load_average()) for row in rows]


def table(rows, markdown=False):
    """The summary: one line per scenario and database."""
    headings = ("database", "benchmark", "scenario", "ours", "floor", "ratio", "load", "note")
    lines = [(dialect, row.bench, row.scenario, *row.cells(), load, row.note) for dialect, row, load in rows]
    if markdown:
        rule = "| " + " | ".join("---:" if h in ("ours", "floor", "ratio") else "---" for h in headings) + " |"
        return "\n".join(["| " + " | ".join(headings) + " |", rule] + ["| " + " | ".join(line) + " |" for line in lines])
    widths = [max(len(str(cell)) for cell in column) for column in zip(headings, *lines, strict=True)]
    aligned = ("  ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=True)) for line in [headings, *lines])
    return "\n".join(line.rstrip() for line in aligned)


def run_all(args):
    """Every module on every database asked for: ``(rows, failures, PostgreSQL version)``."""
    pg_version, created = scratch_database(args.database_url) if "postgresql" in args.databases else (None, False)
    if "postgresql" in args.databases:
        refuse_a_used_database(args.database_url)
    rows, failures, folder = [], [], tempfile.mkdtemp(prefix="ocms-bench-")
    try:
        if "sqlite" in args.databases:
            sqlite_template(folder)
        for module in MODULES:
            for dialect in args.databases:
                if (args.only and module.name not in args.only) or dialect not in module.dialects:
                    continue
                try:
                    rows += run_one(module, dialect, args, folder)
                except (Exception, SystemExit):  # noqa: BLE001 - one benchmark's failure is reported; the others still run
                    traceback.print_exc()
                    failures.append(f"{module.name} on {dialect}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if created:
            drop_database(args.database_url)
    return rows, failures, pg_version


def main(argv=None):
    args = options(argv)
    started, load = time.perf_counter(), load_average()
    rows, failures, pg_version = run_all(args)
    summary = f"BENCH_SIZE={args.size}, BENCH_REPEAT={args.repeat}; {machine(pg_version)}; load average before {load}"
    print(f"\n== Summary ({time.perf_counter() - started:.0f} s): {summary}, after {load_average()}\n{table(rows)}")
    if args.markdown:
        with open(args.markdown, "w") as out:
            out.write(f"{summary}, after {load_average()}.\n\n{table(rows, markdown=True)}\n")
        print(f"\nmarkdown table written to {args.markdown}")
    if failures:
        sys.exit(f"failed: {', '.join(failures)}")


if __name__ == "__main__":
    main()

"""A streamed grid export of N sessions (default 1,000,000): its peak memory and rows/s, next to
a plain xlsxwriter constant-memory loop writing as many rows of the same width, in the same run.

    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE bench_grids"
    .venv/bin/python bench/grid_export.py --database-url postgresql://postgres@127.0.0.1:5432/bench_grids --reset

Seeds the demo agencies (no demo sessions), then N complete sessions in the demo agency, each
with a client, a funder, a staff member and a form, with ``INSERT ... SELECT generate_series``
(as the tables' owner). Each measurement runs in a fresh Python process (so its peak RSS is
the export's, not the seeding's): the app connects as the application role (``ocms_app``, row
-level security applies), signs in as admin@demo.org, and reads ``/admin/sessions/export/<type>/``
chunk by chunk without keeping it. Peak memory is the process's VmHWM (peak RSS); rows/s
counts the sessions over the whole request (CSV: first byte to last; xlsx: the file is written
before the first byte, and the time includes sending it).
``bench(url, size, repeat)`` is the entry point ``bench/run.py`` (``make bench``) calls
(PostgreSQL only).
"""

import argparse
import json
import os
import subprocess
import sys
import time
import tracemalloc

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

MIB = 1024 * 1024
PLAIN = "plain xlsxwriter loop (no database)"


def peak_rss_mib():
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def reset_peak_rss():
    """Linux: make the peak RSS (VmHWM) start again from the current RSS."""
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")


def current_rss_mib():
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


SESSIONS_SQL = """
INSERT INTO service_sessions (agency_id, session_type, service_date, site_id, delivery_method,
    at_point_of_entry, interpreter_present, interpreters, hours, minutes, languages,
    lead_staff_id, created_by_id, version, created_at, updated_at)
SELECT :agency, 'direct', DATE '2020-01-01' + (n % 2000), :site, 'In Person', false, false, 0,
    n % 3, 15 + n % 40, '["English"]', :staff, :staff, 1, now(), now()
FROM generate_series(1, :count) AS n
"""
LINKS_SQL = (
    "INSERT INTO session_clients (agency_id, session_id, client_id) SELECT :agency, id, :client FROM service_sessions",
    "INSERT INTO session_funders (session_id, funder_id) SELECT id, :funder FROM service_sessions",
    "INSERT INTO session_staff (session_id, staff_id) SELECT id, :staff FROM service_sessions",
    """INSERT INTO service_forms (agency_id, session_id, client_id, kind, is_private, author_id, data,
        is_complete, completed_at, version, created_at, updated_at)
       SELECT :agency, id, :client, 'non_specified', false, :staff, '{}', true, now(), 1, now(), now()
       FROM service_sessions""",
)


def seed(url, count, reset):
    """The demo agencies, then ``count`` sessions in the demo agency (owner connection)."""
    from sqlalchemy import select, text

    from app import create_app
    from bench.database import ready_database
    from demo import seed_agencies
    from demo.clients import seed_clients
    from extensions import db
    from models import ALL_AGENCIES, Agency, Client, Funder, Site, Staff, tenant_scope

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        ready_database(url, reset)  # PostgreSQL only, as this benchmark
        with tenant_scope(ALL_AGENCIES):
            seed_agencies()
            seed_clients("DEMO", target=2, seed=1)
            agency = db.session.scalar(select(Agency).where(Agency.code == "DEMO"))
            ids = {
                "agency": agency.id,
                "site": db.session.scalar(select(Site.id).where(Site.agency_id == agency.id).limit(1)),
                "staff": db.session.scalar(select(Staff.id).where(Staff.email == "admin@demo.org")),
                "client": db.session.scalar(select(Client.id).where(Client.agency_id == agency.id, Client.kind == "named")),
                "funder": db.session.scalar(select(Funder.id).where(Funder.agency_id == agency.id).limit(1)),
            }
            db.session.commit()
            start = time.perf_counter()
            with db.engine.begin() as connection:
                connection.execute(text(SESSIONS_SQL), {**ids, "count": count})
                for statement in LINKS_SQL:
                    connection.execute(text(statement), ids)
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("VACUUM ANALYZE"))
            print(f"seeded {count:,} sessions (with clients, funders, staff, forms) in {time.perf_counter() - start:.0f} s")


def grant_role(url, role):
    from app import create_app
    from bench.row_level_security import grant

    grant(create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"}), role)


def role_url(url, role):
    from sqlalchemy import make_url

    return make_url(url.replace("postgresql://", "postgresql+psycopg://", 1)).set(username=role).render_as_string(False)


def measure_export(url, export_type, batch, traced=False, query=""):
    """In this (fresh) process: one export, read chunk by chunk; what it cost. ``traced``: also
    the peak of Python's own allocations during the export (tracemalloc; slower)."""
    from app import create_app
    from demo import DEMO_PASSWORD

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False})
    if batch:
        view = next(v for v in app.extensions["admin"][0]._views if getattr(v, "endpoint", "") == "sessions")
        view.export_batch_rows = batch
    client = app.test_client()
    response = client.post("/login", data={"email": "admin@demo.org", "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.status_code
    client.get("/admin/sessions/")  # warm: templates, the first queries
    reset_peak_rss()
    before = current_rss_mib()
    if traced:
        tracemalloc.start()
    start = time.perf_counter()
    response = client.get(f"/admin/sessions/export/{export_type}/{query}")
    assert response.status_code == 200, response.status_code
    size, lines = 0, 0
    for chunk in response.iter_encoded():
        size += len(chunk)
        if export_type == "csv":
            lines += chunk.count(b"\n")
    response.close()
    seconds = time.perf_counter() - start
    traced_peak = tracemalloc.get_traced_memory()[1] / MIB if traced else None
    result = {"seconds": seconds, "bytes": size, "lines": lines, "rss_before_mib": before, "peak_rss_mib": peak_rss_mib()}
    return {**result, "traced_peak_mib": traced_peak}


def measure_plain(count, columns=18):
    """A plain xlsxwriter constant-memory loop: ``count`` rows of ``columns`` short cells."""
    import tempfile

    import xlsxwriter

    reset_peak_rss()
    before = current_rss_mib()
    start = time.perf_counter()
    with tempfile.TemporaryFile() as target:
        book = xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_formulas": False})
        sheet = book.add_worksheet("Plain")
        row = ["2020-01-01", "Direct Service", "Head Office", "", "Amira Haddad", "Amira Haddad", "Mohammed Al-Hassan", 1]
        row += ["IRCC", "In Person", "English", "No", "No", 0, "", 45, "Yes", "Non-Specified (Complete)"]
        for number in range(count):
            sheet.write_row(number, 0, row[:columns])
        book.close()
        size = target.tell()
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "bytes": size, "rss_before_mib": before, "peak_rss_mib": peak_rss_mib()}


def child(args, *extra):
    """Run one measurement in a fresh interpreter; its JSON result."""
    command = [sys.executable, os.path.abspath(__file__), "--database-url", args.database_url, "--sessions", str(args.sessions)]
    output = subprocess.run([*command, *extra], check=True, capture_output=True, text=True).stdout
    result = json.loads(output.strip().splitlines()[-1])
    print(" ".join(extra), json.dumps(result), flush=True)  # each figure as soon as it is known
    return result


def report(count, results):
    plain = results[PLAIN]
    print(f"\n{count:,} sessions; peak RSS of a fresh process (MiB); rows/s over the whole request")
    print("| | seconds | rows/s | x plain loop | output MiB | RSS before | peak RSS |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, result in results.items():
        rate = count / result["seconds"]
        ratio = result["seconds"] / plain["seconds"]
        print(
            f"| {name} | {result['seconds']:.1f} | {rate:,.0f} | {ratio:.1f} | {result['bytes'] / MIB:.0f} "
            f"| {result['rss_before_mib']:.0f} | {result['peak_rss_mib']:.0f} |"
        )


def measured(args):
    """Seed (unless ``--reuse``), then the plain loop and both exports, each in a fresh process."""
    if not args.reuse:
        seed(args.database_url, args.sessions, args.reset)
    grant_role(args.database_url, args.role)
    extra = ["--batch", str(args.batch)] if args.batch else []
    return {
        PLAIN: child(args, "--measure", "plain"),
        "grid export, CSV (streamed)": child(args, "--measure", "csv", *extra),
        "grid export, xlsx (constant memory, then streamed)": child(args, "--measure", "xlsx", *extra),
    }


def bench(url, size, repeat):
    """``make bench``: ``size`` sessions in a new database (``url`` is reset); each export's rows/s
    and peak RSS against the plain loop's."""
    from bench.result import Result

    args = argparse.Namespace(database_url=url, sessions=size, reset=True, reuse=False, role="ocms_app", batch=0)
    results = measured(args)
    plain = results.pop(PLAIN)
    rows = []
    for name, result in results.items():
        rows.append(Result("grid export", name, size / result["seconds"], size / plain["seconds"], "rows/s"))
        rows.append(Result("grid export", f"{name}, peak RSS", result["peak_rss_mib"], plain["peak_rss_mib"], "MiB"))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True, help="a scratch PostgreSQL database, as its owner")
    parser.add_argument("--sessions", type=int, default=1_000_000)
    parser.add_argument("--reset", action="store_true", help="drop schema public first")
    parser.add_argument("--reuse", action="store_true", help="the database is seeded already (same --sessions)")
    parser.add_argument("--role", default="ocms_app", help="the application role (row-level security applies)")
    parser.add_argument("--batch", type=int, default=0, help="rows per batch (default: the view's)")
    parser.add_argument("--traced", action="store_true", help="tracemalloc's peak too (slower)")
    parser.add_argument("--query", default="", help="with --measure: the grid's criteria, e.g. ?flt0_4=2020-01-01+to+2020-07-18")
    parser.add_argument("--measure", choices=("csv", "xlsx", "plain"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure == "plain":
        print(json.dumps(measure_plain(args.sessions)))
        return
    if args.measure:
        result = measure_export(role_url(args.database_url, args.role), args.measure, args.batch, args.traced, args.query)
        assert args.query or args.measure != "csv" or result["lines"] == args.sessions + 1, result
        print(json.dumps(result))
        return
    report(args.sessions, measured(args))


if __name__ == "__main__":
    main()

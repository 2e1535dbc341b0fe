"""Benchmark the iCARE export and check page for a month of N service records.

    .venv/bin/python bench/icare_export.py --records 100000
    .venv/bin/python bench/icare_export.py --records 100000 \\
        --database-url postgresql://postgres@127.0.0.1:5432/bench_icare --reset

Loads one agency with N/5 named clients (every profile column iCARE needs) and N complete
direct sessions in one month, each with one Information & Orientation form answered as the
demo does (1% with a bad postal code), with Core bulk inserts (the tenancy hook guards ORM
statements only; this loader is the one place that writes forms without it). Then, as the
iCARE export (``icare_scope``):

1. the check: ``eligible_count()``, ``counts()`` and ``problem_rows()`` for the Information and Orientation template,
   and the whole check page's work (``check_month()`` for all eight templates, as an uploader);
2. the export: the good records read and written by ``write_template()`` to a file; and, in the
   same run, a plain xlsxwriter ``constant_memory`` loop over the same rows (one query, each
   cell the answer as stored: no check, no mapping); rows per second of each and their ratio;
3. the export again under ``tracemalloc``: the peak of Python memory while it runs, and the
   process's peak resident size.

``bench(url, size, repeat)`` is the entry point ``bench/run.py`` (``make bench``) calls.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import date, datetime, timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import flask_migrate
import xlsxwriter
from sqlalchemy import func, insert, select, text

from app import create_app
from bench.result import Result
from demo.icare import good_answers
from exports.icare import STREAMING_OPTIONS, write_template
from exports.icare_files import good_records
from extensions import db
from models import ALL_AGENCIES, Agency, Client, ServiceForm, ServiceSession, SessionClient, Site, Staff, tenant_scope
from models.icare_checks import check_month
from models.icare_records import counts, eligible_count, export_rows, icare_scope, month_params, problem_rows, record_select
from models.icare_templates import BLANK, template, templates

BATCH = 5_000
MONTH, FIRST_DAY = "2026-10", date(2026, 10, 1)
STAMP = datetime(2026, 10, 1)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--database-url", help="default: a new SQLite file in a temp folder")
    parser.add_argument("--reset", action="store_true", help="PostgreSQL: drop schema public first (a scratch database only)")
    parser.add_argument("--reuse", action="store_true", help="use the bench agency an earlier run loaded (no load)")
    rounds = "export and plain loop, alternately, this many times each (0: the statement alone and one export, for memory)"
    parser.add_argument("--rounds", type=int, default=5, help=rounds)
    parser.add_argument("--skip-check", action="store_true", help="only the export figures")
    parser.add_argument("--profile", metavar="FILE", help="instead of the rounds, write a cProfile of one export to FILE")
    return parser.parse_args()


def loaded_bench():
    """(agency id, uploader id) of an earlier run's load, or ``None``."""
    with tenant_scope(ALL_AGENCIES):
        agency_id = db.session.scalar(select(Agency.id).where(Agency.code == "BENCH"))
        staff_id = agency_id and db.session.scalar(select(Staff.id).where(Staff.agency_id == agency_id))
    db.session.remove()
    return (agency_id, staff_id) if agency_id else None


def prepare(reset):
    if reset and db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    flask_migrate.upgrade()
    with tenant_scope(ALL_AGENCIES):
        if db.session.scalar(select(func.count()).select_from(Agency)):
            sys.exit("The database already has agencies: give an empty one, or --reset a scratch PostgreSQL one.")
    db.session.remove()


def people():
    """The agency, its site and an uploader (ORM)."""
    with tenant_scope(ALL_AGENCIES):
        agency = Agency(name="Bench agency", code="BENCH")
        db.session.add(agency)
        db.session.flush()
        site = Site(agency_id=agency.id, name="Head office", kind="non_school")
        staff = Staff(agency_id=agency.id, email="up@bench.org", first_name="Up", last_name="Loader", is_icare_uploader=True)
        db.session.add_all([site, staff])
        db.session.commit()
        return agency.id, site.id, staff.id


def client_row(number, agency_id):
    return {
        "id": number,
        "agency_id": agency_id,
        "kind": "named",
        "first_name": f"Client{number}",
        "last_name": "Bench",
        "date_of_birth": date(1960 + number % 40, 1 + number % 12, 1 + number % 28),
        "ircc_id_type": "FOSS/GCMS Client ID",
        "ircc_id_value": f"{10000000 + number}",
        "postal_code": "M5V 2T6",
        "official_language": "English",
        "research_consent": True,
        "registration_date": date(2026, 1, 1),
        "search_text": "",
        "created_at": STAMP,
        "updated_at": STAMP,
    }


def load(records):
    agency_id, site_id, staff_id = people()
    rng, clients = random.Random(5), max(1, records // 5)
    answers = [good_answers("io", FIRST_DAY + timedelta(days=d)) for d in range(28)]
    with db.engine.begin() as connection:
        for start in range(1, clients + 1, BATCH):
            connection.execute(insert(Client), [client_row(n, agency_id) for n in range(start, min(start + BATCH, clients + 1))])
    for start in range(1, records + 1, BATCH):
        numbers = range(start, min(start + BATCH, records + 1))
        days = {n: rng.randrange(28) for n in numbers}
        sessions = [session_row(n, agency_id, site_id, staff_id, FIRST_DAY + timedelta(days=days[n])) for n in numbers]
        attendees = [{"id": n, "agency_id": agency_id, "session_id": n, "client_id": 1 + n % clients} for n in numbers]
        forms = [form_row(n, agency_id, staff_id, 1 + n % clients, answers[days[n]], rng) for n in numbers]
        with db.engine.begin() as connection:
            connection.execute(insert(ServiceSession), sessions)
            connection.execute(insert(SessionClient), attendees)
            connection.execute(insert(ServiceForm), forms)
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    return agency_id, staff_id


def session_row(number, agency_id, site_id, staff_id, day):
    return {
        "id": number,
        "agency_id": agency_id,
        "session_type": "direct",
        "service_date": day,
        "site_id": site_id,
        "lead_staff_id": staff_id,
        "created_by_id": staff_id,
        "minutes": 45,
        "languages": ["English"],
        "created_at": STAMP,
        "updated_at": STAMP,
    }


def form_row(number, agency_id, staff_id, client_id, answers, rng):
    data = {**answers, "postal_cd": "12345"} if rng.random() < 0.01 else answers
    return {
        "id": number,
        "agency_id": agency_id,
        "session_id": number,
        "client_id": client_id,
        "kind": "io",
        "author_id": staff_id,
        "data": data,
        "is_complete": True,
        "completed_at": STAMP,
        "created_at": STAMP,
        "updated_at": STAMP,
    }


def seconds(run):
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def check_figures(agency_id, staff_id):
    io = template("info-orien")
    with icare_scope(agency_id):
        eligible, total = seconds(lambda: eligible_count(io, MONTH))
        counted, (_total, bad) = seconds(lambda: counts(io, MONTH))
        listed, rows = seconds(lambda: list(problem_rows(io, MONTH)))
    with tenant_scope(agency_id):
        uploader = db.session.get(Staff, staff_id)
    page, _results = seconds(lambda: check_month(uploader, MONTH, templates()))
    print(
        f"check, I&O: {total:,} records ({eligible:.2f} s), {bad:,} bad: counts with checks {counted:.2f} s, "
        f"problems {listed:.2f} s ({len(rows)} rows)"
    )
    print(f"check page (all eight templates, as an uploader): {page:.2f} s")


def export_once(folder, io):
    seconds_taken, written = seconds(lambda: write_template(os.path.join(folder, "ours.xlsx"), io, good_records(io, MONTH)))
    db.session.rollback()  # the statement's SET LOCAL ends with its transaction, as in a request
    return seconds_taken, len(written)


def plain_once(folder, io):
    seconds_taken, count = seconds(lambda: plain_loop(os.path.join(folder, "plain.xlsx"), io))
    db.session.rollback()
    return seconds_taken, count


def export_figures(agency_id, folder, rounds):
    """The export and the plain loop alternately (the machine's load changes within a run):
    each round's ratio of rows per second, and their median."""
    io, ratios, rounds_run = template("info-orien"), [], []
    with icare_scope(agency_id):
        for number in range(1, rounds + 1):
            (ours, written), (plain, count) = export_once(folder, io), plain_once(folder, io)
            ratios.append((written / ours) / (count / plain))
            rounds_run.append({"rows": written, "seconds": ours, "plain_rows": count, "plain_seconds": plain})
            print(
                f"round {number}: export {written:,} rows in {ours:.1f} s = {written / ours:,.0f} rows/s; "
                f"plain loop {count:,} rows in {plain:.1f} s = {count / plain:,.0f} rows/s; ratio {ratios[-1]:.2f}"
                f" (load average {os.getloadavg()[0]:.1f})"
            )
    if ratios:
        every = ", ".join(f"{r:.2f}" for r in ratios)
        print(f"ratio export / plain loop, median of {rounds}: {statistics.median(ratios):.2f} (all: {every})")
    else:  # --rounds 0: the statement alone, then the export once (the process's peak is then the export's)
        with icare_scope(agency_id):
            read, count = seconds(lambda: sum(1 for _ in good_records(io, MONTH)))
            db.session.rollback()
        print(f"the export's statement alone (rows read, nothing written): {count:,} rows in {read:.1f} s")
    with icare_scope(agency_id):
        peak = traced_peak(lambda: write_template(os.path.join(folder, "traced.xlsx"), io, good_records(io, MONTH)))
        db.session.rollback()
        plain_peak = traced_peak(lambda: plain_loop(os.path.join(folder, "plain-traced.xlsx"), io))
        db.session.rollback()
    print(f"peak Python memory (tracemalloc): export {peak:.1f} MiB, plain loop {plain_peak:.1f} MiB")
    median = sorted(rounds_run, key=lambda r: (r["rows"] / r["seconds"]) / (r["plain_rows"] / r["plain_seconds"]))
    return {**(median[len(median) // 2] if median else {}), "peak_mib": peak, "plain_peak_mib": plain_peak}


def traced_peak(run):
    """The peak of Python's allocations (MiB) while ``run()`` runs."""
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def profile_export(agency_id, folder, out):
    import cProfile

    io = template("info-orien")
    with icare_scope(agency_id):
        cProfile.runctx("export_once(folder, io)", globals(), {"folder": folder, "io": io}, out)
    print(f"profile of one export written to {out}")


def plain_loop(path, io):
    """The same rows read and written the plainest way: one query, each cell the answer as
    stored (the profile columns from the client), no check, no mapping."""
    codes = [c.attribute if c.source != BLANK else None for c in io.columns]
    query = record_select(io, ServiceForm.data, Client).order_by(ServiceSession.service_date, ServiceForm.id)
    book = xlsxwriter.Workbook(path, STREAMING_OPTIONS)
    sheet = book.add_worksheet("Info&Orien")
    count = 0
    rows = db.session.execute(query, month_params(MONTH)).yield_per(2000)
    for count, (data, client) in enumerate(rows, start=1):
        cells = [data.get(code) if code in data else getattr(client, code, None) if code else None for code in codes]
        sheet.write_row(count + 2, 0, cells)
    book.close()
    return count


def peak_rss_mib():
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(url, records, reset, rounds=1):
    """Load ``records``, then the check and export figures (the export's, as a dict)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        prepare(reset)
        loaded, (agency_id, staff_id) = seconds(lambda: load(records))
        print(f"{db.engine.url.render_as_string(hide_password=True)}: loaded {records:,} I&O records in {loaded:.0f} s")
        check_figures(agency_id, staff_id)
        figures = export_figures(agency_id, tempfile.mkdtemp(), rounds)
        print(f"process peak resident memory: {peak_rss_mib():.0f} MiB")
        with icare_scope(agency_id):
            assert sum(1 for _ in export_rows(template("info-orien"), MONTH)) == records
    return figures


def bench(url, size, repeat):
    """``make bench``: ``size`` I&O records in a new database (``url`` is reset). The export's
    rows/s against the plain loop's, and the peak of Python memory of each (one run: the
    export is long enough at any size worth timing)."""
    figures = run(url, size, reset=True, rounds=max(1, repeat))
    rate = figures["rows"] / figures["seconds"]
    plain = figures["plain_rows"] / figures["plain_seconds"]
    return [
        Result("iCARE export", "I&O month export", rate, plain, "rows/s", f"{figures['rows']:,} rows"),
        Result("iCARE export", "I&O month export, peak Python memory", figures["peak_mib"], figures["plain_peak_mib"], "MiB"),
    ]


def main():
    args = parse_args()
    url = args.database_url or "sqlite:///" + os.path.join(tempfile.mkdtemp(), "bench.sqlite3")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        bench = loaded_bench() if args.reuse else None
        if bench is None:
            prepare(args.reset)
            loaded, bench = seconds(lambda: load(args.records))
            print(f"{db.engine.url.render_as_string(hide_password=True)}: loaded {args.records:,} I&O records in {loaded:.0f} s")
        agency_id, staff_id = bench
        if not args.skip_check:
            check_figures(agency_id, staff_id)
        folder = tempfile.mkdtemp()
        if args.profile:
            profile_export(agency_id, folder, args.profile)
        else:
            export_figures(agency_id, folder, args.rounds)
        print(f"process peak resident memory: {peak_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()

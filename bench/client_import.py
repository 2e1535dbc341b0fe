"""Benchmark the client import: the dry run (read, check, duplicates) and the import of N
clients from an xlsx and from a CSV file made on the import template's columns.

    .venv/bin/python bench/client_import.py --clients 50000
    .venv/bin/python bench/client_import.py --clients 50000 \\
        --database-url postgresql://postgres@127.0.0.1:5432/bench_import --reset

Each format gets an agency of its own holding ``--existing`` clients (imported the same way
first), so the duplicate lookup has rows to search; 1% of the file's rows repeat an existing
client's name and date of birth. Everything runs as the ``import-clients`` command does: inside
``tenant_scope(agency, IMPORT)``, ``check_file()`` then ``import_clients()`` and one commit.
``bench(url, size, repeat)`` is the entry point ``bench/run.py`` (``make bench``) calls.
"""

import argparse
import csv
import io
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import flask_migrate
import xlsxwriter
from sqlalchemy import func, select, text

from app import create_app
from bench.result import Result
from exports.imports import check_file, import_columns
from extensions import db
from models import ALL_AGENCIES, Agency, Client, Site, Staff, tenant_scope
from models.client_import import IMPORT, import_clients

FIRST = ("Amina", "Mohammed", "Wei", "Olena", "José", "Fatima", "Reza", "Hodan", "Tesfay", "Priyanka", "Hélène", "Kwame")
LAST = ("Haddad", "Nguyen", "Kovalenko", "García", "Hosseini", "Warsame", "Gebremedhin", "Sharma", "Côté", "Mensah", "Li")
GENDERS = ("Female", "Male")
LANGUAGES = ("Arabic", "English", "French", "Spanish", "Somali", "Tigrigna", "Ukranoan")  # iCARE's spellings
CITIES = ("Toronto", "Ottawa", "Hamilton", "London", "Windsor")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50_000)
    parser.add_argument("--existing", type=int, default=10_000, help="clients already in each agency")
    parser.add_argument("--database-url", help="default: a new SQLite file in a temp folder")
    parser.add_argument("--reset", action="store_true", help="PostgreSQL: drop schema public first (a scratch database only)")
    return parser.parse_args()


def synthetic_row(rng, number, site, worker):
    """One client as the template's cells (text, as people type them)."""
    born = date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 65))
    return {
        "first_name": rng.choice(FIRST) + ("" if number % 3 else f"-{number % 97}"),
        "last_name": f"{rng.choice(LAST)}{number}",
        "date_of_birth": born.isoformat(),
        "gender": rng.choice(GENDERS),
        "phone": f"416-{rng.randrange(200, 999)}-{rng.randrange(10_000):04d}",
        "email": f"client{number}@example.org" if number % 2 else "",
        "has_email": "Yes" if number % 2 else "No",
        "street_no": str(rng.randrange(1, 3000)),
        "street_name": "Main",
        "street_type": "Street",
        "city": rng.choice(CITIES),
        "province": "Ontario",
        "postal_code": f"M{rng.randrange(10)}A {rng.randrange(10)}B{rng.randrange(10)}",
        "official_language": "English",
        "first_language": rng.choice(LANGUAGES),
        "other_languages": "; ".join(rng.sample(LANGUAGES, 2)),
        "arrival_year": str(rng.randrange(1990, 2025)),
        "registration_date": (date.today() - timedelta(days=rng.randrange(3000))).isoformat(),
        "registration_site_id": site,
        "comments": "Imported from the old system",
        # the extra columns: an emergency contact on half, the worker, consent on paper on most
        "emergency_name": f"{rng.choice(FIRST)} {rng.choice(LAST)}" if number % 2 else "",
        "emergency_relationship": "Sibling" if number % 2 else "",
        "emergency_phone": f"647-{rng.randrange(200, 999)}-{rng.randrange(10_000):04d}" if number % 2 else "",
        "assigned_worker": worker,
        "privacy_consent_on_paper": f"2024-{born.month:02d}-{min(born.day, 28):02d}" if number % 5 else "",
    }


def rows_for(rng, count, start, site, worker, twins=()):
    rows = [synthetic_row(rng, start + n, site, worker) for n in range(count)]
    for position, twin in zip(range(0, count, 100), twins, strict=False):  # 1%: an existing client again
        rows[position].update(first_name=twin["first_name"], last_name=twin["last_name"], date_of_birth=twin["date_of_birth"])
    return rows


def as_table(rows):
    columns = import_columns(site_rows=[], staff_rows=[], questions=False)  # the headings only
    headings = [column.heading for column in columns]
    return headings, [[row.get(column.spec.name, "") for column in columns] for row in rows]


def xlsx_bytes(rows):
    headings, cells = as_table(rows)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False})
    sheet = book.add_worksheet("Clients")
    sheet.write_row(0, 0, headings)
    for number, row in enumerate(cells, start=1):
        sheet.write_row(number, 0, row)
    book.close()
    return buffer.getvalue()


def csv_bytes(rows):
    headings, cells = as_table(rows)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headings)
    writer.writerows(cells)
    return out.getvalue().encode("utf-8")


def new_agency(code):
    with tenant_scope(ALL_AGENCIES):
        agency = Agency(name=f"Bench {code}", code=code)
        db.session.add(agency)
        db.session.flush()
        site = Site(agency_id=agency.id, name=f"{code} Hub", kind="non_school")
        worker = Staff(agency_id=agency.id, email=f"worker@{code.lower()}.bench.invalid", first_name="W", last_name="Orker")
        db.session.add_all([site, worker])
        db.session.commit()
        return agency.id, site.name, worker.email


def backend_cpu():
    """CPU seconds of this session's PostgreSQL backend so far (a local server: /proc), else 0."""
    if db.engine.dialect.name != "postgresql":
        return 0.0
    pid = db.session.scalar(text("SELECT pg_backend_pid()"))
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed_import(agency_id, data, name):
    """``(dry run seconds, import seconds, rows, duplicates, (Python CPU, database CPU))``, as
    ``import-clients`` runs (one database connection throughout: the pool's only one)."""
    with tenant_scope(agency_id, IMPORT):
        database = backend_cpu()
        start, cpu = time.perf_counter(), time.process_time()
        check = check_file(data, name)
        checked = time.perf_counter()
        assert check.is_valid, [str(p) for p in check.problems[:5]]
        import_clients([row.values for row in check.rows], filename=name)
        db.session.commit()
        done, cpu = time.perf_counter(), time.process_time() - cpu
        return checked - start, done - checked, len(check.rows), len(check.duplicates), (cpu, backend_cpu() - database)


def run_format(label, make_file, args, rng):
    agency_id, site, worker = new_agency(label.upper())
    existing = rows_for(rng, args.existing, 0, site, worker)
    if existing:
        timed_import(agency_id, csv_bytes(existing), "existing.csv")
    data = make_file(rows_for(rng, args.clients, args.existing, site, worker, twins=existing))
    dry, write, count, duplicates, cpu = timed_import(agency_id, data, f"clients.{label}")
    with tenant_scope(agency_id):
        total = db.session.scalar(select(func.count(Client.id)))
    print(
        f"{label}: {len(data) / 2**20:.1f} MiB, {count:,} rows, {duplicates} likely duplicates; dry run {dry:.1f} s, "
        f"import {write:.1f} s, total {dry + write:.1f} s ({count / (dry + write):,.0f} rows/s); CPU: Python {cpu[0]:.1f} s "
        f"+ database {cpu[1]:.1f} s = {sum(cpu):.1f} s; agency now {total:,} clients"
    )
    return dry + write, sum(cpu), count


def prepare(reset):
    if reset and db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    flask_migrate.upgrade()
    from models.reference import sync_reference_values

    sync_reference_values()
    with tenant_scope(ALL_AGENCIES):
        if db.session.scalar(select(func.count()).select_from(Agency)):
            sys.exit("The database already has agencies: give an empty one, or --reset a scratch PostgreSQL one.")
    db.session.remove()


def load_average():
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def run(url, clients, existing, reset):
    """Both formats: ``[(label, wall seconds, CPU seconds, rows)]``."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    rng, args = random.Random(11), argparse.Namespace(clients=clients, existing=existing)
    with app.app_context():
        prepare(reset)
        print(f"{db.engine.url.render_as_string(hide_password=True)}: {clients:,} clients per file, {existing:,} existing")
        return [(label, *run_format(label, make, args, rng)) for label, make in (("xlsx", xlsx_bytes), ("csv", csv_bytes))]


def bench(url, size, repeat):
    """``make bench``: files of ``size`` clients into agencies of ``size // 5`` (``url`` is
    reset): rows per second of the dry run and import together (no floor: rows/s is the figure)."""
    runs = run(url, size, size // 5, reset=True)
    return [
        Result("client import", f"{label} file, dry run + import", rows / wall, None, "rows/s", f"CPU {cpu:.1f} s")
        for label, wall, cpu, rows in runs
    ]


def main():
    args = parse_args()
    url = args.database_url or "sqlite:///" + os.path.join(tempfile.mkdtemp(), "bench.sqlite3")
    runs = run(url, args.clients, args.existing, args.reset)
    wall, cpu = max(r[1] for r in runs), max(r[2] for r in runs)
    print(f"slowest: {wall:.1f} s, CPU {cpu:.1f} s (target: under 60 s); load average {load_average()}")


if __name__ == "__main__":
    main()

"""Load test: N members of staff at once against gunicorn in production mode, for a bounded time,
on this machine only (loopback), with locust (bench/locustfile.py has what each one does).

    # on a database made for it (seed-scale or the demo), PostgreSQL in production:
    .venv/bin/python bench/load_test.py --database-url postgresql://postgres@127.0.0.1:5432/bench \
        --users 50 --seconds 60

1. Adds ``--users`` worker accounts ``load-N@bench.invalid`` to the agency (``--agency CODE``,
   default the one with most clients) if they are not there, each in one of its workers'
   programs, and samples 500 of its named clients
   for the searches and dashboards;
2. starts gunicorn with ``gunicorn.conf.py`` on a free port of 127.0.0.1 and waits for it;
3. runs locust headless (``--users`` people, all started within ``--spawn-seconds``, for
   ``--seconds``, each waiting ``--think`` seconds between two steps), then stops gunicorn;
4. prints, per kind of request, the count, failures, median and 95th percentile, and the
   totals with and without signing in (a person signs in once a day, not once a minute);
   exits 1 when any request failed.
"""

import argparse
import csv
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from app import create_app  # noqa: E402
from extensions import db  # noqa: E402
from models import ALL_AGENCIES, Agency, Client, Staff, tenant_scope  # noqa: E402

PASSWORD = "load-test-password-7"
BIN = Path(sys.executable).parent
SIGN_IN = ("sign in", "sign-in page")


def options():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""), help="the database to load")
    parser.add_argument("--agency", help="the agency's code (default: the one with most clients)")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--spawn-seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, help="gunicorn processes (default: gunicorn.conf.py's)")
    parser.add_argument(
        "--no-reports",
        action="store_true",
        help="the mix without its report step (each person only waits there), to tell the report's share of the load apart",
    )
    parser.add_argument(
        "--think",
        nargs=2,
        type=float,
        default=(3.0, 10.0),
        metavar=("LOW", "HIGH"),
        help="seconds each person waits between two steps, drawn between LOW and HIGH (default 3 10: reading the "
        "page and typing; 0.5 2 is a stress test, far busier than anyone at a desk)",
    )
    return parser.parse_args()


def busiest_agency():
    counts = select(Client.agency_id, func.count()).group_by(Client.agency_id).order_by(func.count().desc())
    agency_id = db.session.execute(counts.limit(1)).first()[0]
    return db.session.get(Agency, agency_id)


def load_accounts(agency, count):
    """``count`` worker accounts of the agency with the load test's password, each in one of the
    programs the agency's workers are in, in turn, as a worker is (a worker in no program sees
    only the sessions and forms of no program: nearly none, so every grid would search the whole
    table for its 20 rows)."""
    emails = [f"load-{n}@bench.invalid" for n in range(1, count + 1)]
    known = {person.email: person for person in db.session.scalars(select(Staff).where(Staff.email.in_(emails)))}
    workers = select(Staff).where(Staff.agency_id == agency.id, Staff.role == "worker", Staff.email.not_in(emails))
    programs = sorted({program for worker in db.session.scalars(workers) for program in worker.programs}, key=lambda p: p.id)
    for n, email in enumerate(emails, start=1):
        person = known.get(email)
        if person is None:
            person = Staff(agency_id=agency.id, email=email, first_name="Load", last_name=f"Tester {n}", role="worker")
            person.set_password(PASSWORD)
            db.session.add(person)
        if programs and not person.programs:
            person.programs = [programs[n % len(programs)]]
    db.session.commit()
    return emails


def sample_clients(agency):
    rows = db.session.execute(
        select(Client.id, Client.first_name, Client.last_name)
        .where(Client.agency_id == agency.id, Client.kind == "named", Client.last_name.is_not(None))
        .order_by(Client.id)
        .limit(500)
    )
    return [{"id": r.id, "name": f"{r.first_name} {r.last_name}", "last_name": r.last_name} for r in rows]


def prepare(database_url, agency_code, users):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        agency = db.session.scalar(select(Agency).filter_by(code=agency_code)) if agency_code else busiest_agency()
        if agency is None:
            sys.exit(f"no agency {agency_code!r} in the database")
        data = {"emails": load_accounts(agency, users), "password": PASSWORD, "clients": sample_clients(agency)}
        print(
            f"Agency {agency.code}: {db.session.scalar(select(func.count(Client.id)).filter_by(agency_id=agency.id)):,} clients"
        )
    if not data["clients"]:
        sys.exit("the agency has no named client to look for")
    return data


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(database_url, port, workers):
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "load-test", "GUNICORN_BIND": f"127.0.0.1:{port}"}
    env["GUNICORN_ACCESS_LOG"] = os.devnull
    if workers:
        env["GUNICORN_WORKERS"] = str(workers)
    server = subprocess.Popen([BIN / "gunicorn", "-c", "gunicorn.conf.py"], cwd=ROOT, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as answer:
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    sys.exit("gunicorn did not answer within 60 s")


def run_locust(url, data_file, args, prefix):
    command = [BIN / "locust", "-f", ROOT / "bench" / "locustfile.py", "--headless", "--host", url]
    command += ["--users", str(args.users), "--spawn-rate", str(max(1, args.users // max(1, args.spawn_seconds)))]
    command += ["--run-time", f"{args.seconds}s", "--stop-timeout", "10", "--only-summary", "--loglevel", "WARNING"]
    command += ["--json-file", prefix, "--csv", prefix]  # the CSV files for the failures' messages
    think = " ".join(map(str, args.think))
    env = {**os.environ, "LOAD_TEST_DATA": str(data_file), "LOAD_TEST_THINK": think}
    env["LOAD_TEST_REPORTS"] = "0" if args.no_reports else "1"
    subprocess.run(command, env=env, check=False)
    failures = Path(f"{prefix}_failures.csv")
    return json.loads(Path(f"{prefix}.json").read_text()), list(csv.DictReader(failures.open())) if failures.exists() else []


def percentile(times, share):
    """The response time (ms) under which ``share`` of the requests fall, from locust's histogram."""
    buckets = sorted((float(ms), count) for ms, count in times.items())
    wanted, seen = share * sum(count for _, count in buckets), 0
    for ms, count in buckets:
        seen += count
        if seen >= wanted:
            return ms
    return 0.0


def summary(name, entries, seconds):
    times = {}
    for entry in entries:
        for ms, count in entry["response_times"].items():
            times[ms] = times.get(ms, 0) + count
    requests = sum(e["num_requests"] for e in entries)
    failures = sum(e["num_failures"] for e in entries)
    return name, requests, failures, percentile(times, 0.5), percentile(times, 0.95), requests / seconds


def report(stats, seconds):
    """Print the figures per kind of request and in total; return the number of failures."""
    work = [e for e in stats if e["name"] not in SIGN_IN]
    lines = [summary(e["name"], [e], seconds) for e in sorted(stats, key=lambda e: e["name"])]
    lines += [summary("all but signing in", work, seconds), summary("all requests", stats, seconds)]
    print(f"\n{'request':22} {'count':>7} {'failed':>7} {'median ms':>10} {'p95 ms':>8} {'req/s':>7}")
    for name, requests, failures, median, p95, rate in lines:
        print(f"{name:22} {requests:>7} {failures:>7} {median:>10.0f} {p95:>8.0f} {rate:>7.1f}")
    return lines[-1][2]


def stop(server):
    """Stop gunicorn; requests still running after 30 s (a slow page under load) are cut off."""
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def main():
    args = options()
    if not args.database_url:
        sys.exit("give --database-url (or DATABASE_URL)")
    data = prepare(args.database_url, args.agency, args.users)
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        data_file = Path(folder) / "load.json"
        data_file.write_text(json.dumps(data))
        server = start_gunicorn(args.database_url, port, args.workers)
        try:
            rows, failures = run_locust(f"http://127.0.0.1:{port}", data_file, args, str(Path(folder) / "load"))
        finally:
            stop(server)
    think = f"{args.think[0]:g}-{args.think[1]:g} s between steps" + (", no report" if args.no_reports else "")
    print(f"{args.users} staff for {args.seconds} s against gunicorn ({args.workers or 'default'} workers), {think}")
    failed = report(rows, args.seconds)
    for failure in failures:  # what locust was told or saw: a status, a refused check, a cut connection
        print(f"failed {failure['Occurrences']}x: {failure['Method']} {failure['Name']}: {failure['Error']}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

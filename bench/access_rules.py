"""What the program and Private rules cost per page, against the same pages without them.

    .venv/bin/python bench/access_rules.py
    .venv/bin/python bench/access_rules.py --database-url postgresql://postgres@127.0.0.1:5432/bench --reset

Seeds the demo (200 clients, ~100 sessions, the featured client's restricted records) into a new
database, signs in as worker2@demo.org (another program than most of the demo's records) and
times real requests through the test client: the client dashboard's notes and history tabs, the
session grid, the service-form grid and a session page. Each page is timed with the rules (the
normal app) and, in the same run, with ``current_viewer`` answering ``None`` (tenancy only):
the ratio is what the rules add. ``bench(url, size, repeat)`` is the entry point
``bench/run.py`` (``make bench``) calls (the demo's size: ``size`` is not used).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from sqlalchemy import select

import models.visibility as visibility
from app import create_app
from bench.database import ready_database
from bench.result import Result
from demo import DEMO_PASSWORD, seed_demo
from extensions import db
from models import ALL_AGENCIES, Client, ServiceSession, Staff, tenant_scope


def build_app(url, reset):
    folder = tempfile.mkdtemp(prefix="ocms-bench-")
    url = url or f"sqlite:///{folder}/bench.sqlite3"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False, "UPLOAD_FOLDER": folder, "SECRET_KEY": "bench"})
    with app.app_context():
        ready_database(url, reset)
        with tenant_scope(ALL_AGENCIES):
            seed_demo()
            samira = db.session.scalar(select(Client.id).where(Client.first_name == "Samira"))
            worker2 = select(Staff.id).where(Staff.email == "worker2@demo.org").scalar_subquery()
            session_id = db.session.scalar(select(ServiceSession.id).where(ServiceSession.lead_staff_id == worker2).limit(1))
    return app, url, samira, session_id


def timed(client, path, repeat):
    client.get(path)  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code in (200, 403), (path, response.status_code)
    return statistics.median(times)


def measure(url, reset, repeat):
    """``[(page, tenancy only ms, with rules ms)]``, printed as they come."""
    app, url, samira, session_id = build_app(url, reset)
    client = app.test_client()
    response = client.post("/login", data={"email": "worker2@demo.org", "password": DEMO_PASSWORD})
    assert response.status_code == 302 and "/login" not in response.location
    pages = {
        "dashboard, notes tab": f"/admin/clients/{samira}/?tab=notes",
        "dashboard, history tab": f"/admin/clients/{samira}/?tab=history",
        "session grid": "/admin/sessions/",
        "service-form grid": "/admin/service-forms/",
        "one of her session pages": f"/admin/sessions/edit/?id={session_id}",
    }
    print(f"database: {url.split('://')[0]}, {repeat} requests per page, signed in as worker2@demo.org")
    print(f"{'page':28} {'tenancy only':>13} {'with rules':>11} {'ratio':>7}")
    original, rows = visibility.current_viewer, []
    for label, path in pages.items():
        visibility.current_viewer = lambda: None
        try:
            baseline = timed(client, path, repeat)
        finally:
            visibility.current_viewer = original
        ruled = timed(client, path, repeat)
        rows.append((label, baseline, ruled))
        print(f"{label:28} {baseline:10.1f} ms {ruled:8.1f} ms {ruled / baseline:6.2f}x")
    return rows


def bench(url, size, repeat):
    """``make bench``: the demo in a new database (``url`` is reset); floor: tenancy only."""
    return [Result("access rules", page, ruled, baseline) for page, baseline, ruled in measure(url, True, repeat)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="default: a new SQLite file in a temp folder")
    parser.add_argument("--reset", action="store_true", help="drop schema public first (PostgreSQL scratch databases only)")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    rows = measure(args.database_url, args.reset, args.repeat)
    print(f"median ratio: {statistics.median(ruled / baseline for _, baseline, ruled in rows):.2f}x")


if __name__ == "__main__":
    main()

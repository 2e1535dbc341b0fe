"""What PostgreSQL row-level security costs per page: the same pages served by an app that
connects as the tables' owner (the policies do not apply to it) and by one that connects as
the application role (they do), timed alternately in the same run.

    .venv/bin/python bench/row_level_security.py --database-url postgresql://postgres@127.0.0.1:5432/bench --reset

Seeds the demo into the (scratch) database like bench/access_rules.py, grants the application
role (default ``ocms_app``, created when missing) what the README's production set-up grants,
signs both apps in as worker2@demo.org and prints each page's median time and the ratio.
``bench(url, size, repeat)`` is the entry point ``bench/run.py`` (``make bench``) calls
(PostgreSQL only; the demo's size: ``size`` is not used).
"""

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from sqlalchemy import make_url, text

from app import create_app
from bench.access_rules import build_app
from bench.result import Result
from demo import DEMO_PASSWORD
from extensions import db


def grant(app, role):
    with app.app_context(), db.engine.begin() as connection:
        if not connection.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}):
            connection.execute(text(f"CREATE ROLE {role} LOGIN NOSUPERUSER NOBYPASSRLS"))
        connection.execute(text(f"GRANT USAGE ON SCHEMA public TO {role}"))
        connection.execute(text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"))
        connection.execute(text(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role}"))


def one_request(client, path):
    start = time.perf_counter()
    response = client.get(path)
    assert response.status_code in (200, 403), (path, response.status_code)
    return (time.perf_counter() - start) * 1000


def timed_alternately(owner, role, path, repeat):
    """Median times of ``path`` for both, their requests interleaved (load on a shared machine
    then falls on both alike)."""
    one_request(owner, path), one_request(role, path)  # warm-up
    times = [(one_request(owner, path), one_request(role, path)) for _ in range(repeat)]
    return statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)


def signed_in(app):
    client = app.test_client()
    response = client.post("/login", data={"email": "worker2@demo.org", "password": DEMO_PASSWORD})
    assert response.status_code == 302 and "/login" not in response.location
    return client


def measure(url, reset, role_name, repeat):
    """``[(page, owner ms, application role ms)]``, printed as they come."""
    owner_app, url, samira, session_id = build_app(url, reset)
    grant(owner_app, role_name)
    role_url = make_url(url.replace("postgresql://", "postgresql+psycopg://", 1)).set(username=role_name)
    role_app = create_app({**owner_app.config, "SQLALCHEMY_DATABASE_URI": role_url.render_as_string(hide_password=False)})
    owner, role = signed_in(owner_app), signed_in(role_app)
    pages = {
        "dashboard, notes tab": f"/admin/clients/{samira}/?tab=notes",
        "dashboard, history tab": f"/admin/clients/{samira}/?tab=history",
        "client grid": "/admin/clients/",
        "find a client: Haddad": "/admin/find-client/?q=Haddad",
        "session grid": "/admin/sessions/",
        "service-form grid": "/admin/service-forms/",
        "one of her session pages": f"/admin/sessions/edit/?id={session_id}",
    }
    print(f"PostgreSQL, {repeat} requests per page, signed in as worker2@demo.org")
    print(f"{'page':28} {'owner (no RLS)':>15} {'app role (RLS)':>15} {'ratio':>7}")
    rows = []
    for label, path in pages.items():
        baseline, ruled = timed_alternately(owner, role, path, repeat)
        rows.append((label, baseline, ruled))
        print(f"{label:28} {baseline:12.1f} ms {ruled:12.1f} ms {ruled / baseline:6.2f}x")
    return rows


def bench(url, size, repeat):
    """``make bench``: the demo in a new database (``url`` is reset); floor: the tables' owner."""
    rows = measure(url, True, "ocms_app", repeat)
    return [Result("row-level security", page, ruled, baseline) for page, baseline, ruled in rows]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True, help="a scratch PostgreSQL database, as its owner")
    parser.add_argument("--reset", action="store_true", help="drop schema public first")
    parser.add_argument("--role", default="ocms_app", help="the application role")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    rows = measure(args.database_url, args.reset, args.role, args.repeat)
    print(f"median ratio: {statistics.median(ruled / baseline for _, baseline, ruled in rows):.2f}x")


if __name__ == "__main__":
    main()

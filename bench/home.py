"""The home page (``/admin/``) and each of its report panels, per role, in the same run.

For the agency admin, the coordinator and a worker of the demo agency: the home page as it
answers (its lists; the panels' titles only), each panel's own request
(``/admin/dashboard/<panel>/``, the report queries), and the page with every panel loaded one
after the other (what the page cost when it ran the panels itself), alternated request by request
so that load on the machine falls on all alike; with the SQL statements of each. A floor: a
bare route selecting the 10 clients the page lists.

    .venv/bin/python bench/home.py --clients 1000             # SQLite: a new file, seeded here
    .venv/bin/python bench/home.py --database-url URL         # a database with the demo and seed-scale rows
"""

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from flask import render_template_string  # noqa: E402
from sqlalchemy import event, select  # noqa: E402

from bench.grids import FLOOR, build_app  # noqa: E402
from demo import DEMO_PASSWORD  # noqa: E402
from extensions import db  # noqa: E402
from models import ALL_AGENCIES, Client, Staff, tenant_scope  # noqa: E402
from models.caseload import assigned_clients  # noqa: E402
from reports.dashboards import panel_names_for  # noqa: E402

ROLES = ("admin@demo.org", "coordinator@demo.org", "worker@demo.org")


def signed_in(app, email):
    browser = app.test_client()
    response = browser.post("/login", data={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302 and "/login" not in response.location, "sign-in failed"
    return browser


def staff_of(app, email):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        agency = db.session.scalar(select(Staff.agency_id).where(Staff.email == email))
    with app.app_context(), tenant_scope(agency):
        staff = db.session.scalar(select(Staff).where(Staff.email == email))
        return panel_names_for(staff), [c.id for c in assigned_clients(staff)[0]]


def add_floor(app, ids):
    def floor(email):
        rows = db.session.scalars(select(Client).where(Client.id.in_(ids[email])).order_by(Client.id.desc())).all()
        return render_template_string(FLOOR, rows=rows)

    app.add_url_rule("/bench-floor-home/<email>", "bench_floor_home", floor)


class Counter:
    def __init__(self, app):
        self.count = 0
        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", self.seen)

    def seen(self, *args):
        self.count += 1


def timed(browser, counter, urls):
    """Milliseconds and statements of these GETs one after the other."""
    before, start = counter.count, time.perf_counter()
    for url in urls:
        response = browser.get(url, headers={"X-Requested-With": "fetch"} if "/dashboard/" in url else {})
        assert response.status_code == 200, (url, response.status_code)
    return (time.perf_counter() - start) * 1000, counter.count - before


def cases_of(email, names):
    panels = [f"/admin/dashboard/{name}/" for name in names]
    cases = {"home page": ["/admin/"], **{f"panel {name}": [f"/admin/dashboard/{name}/"] for name in names}}
    cases["page + every panel"] = ["/admin/", *panels]
    cases["floor"] = [f"/bench-floor-home/{email}"]
    return cases


def measure(app, counter, email, names, repeat):
    browser = signed_in(app, email)
    cases = cases_of(email, names)
    times = {name: [] for name in cases}
    statements = {}
    for _ in range(repeat + 1):  # the first round warms up
        for name, urls in cases.items():
            elapsed, statements[name] = timed(browser, counter, urls)
            times[name].append(elapsed)
    floor = statistics.median(times["floor"][1:])
    for name in cases:
        median = statistics.median(times[name][1:])
        print(f"{email:22} {name:22} {median:8.1f} ms {statements[name]:4} SQL {median / floor:6.1f}x", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="a database with the demo and seed-scale rows (default: a new SQLite file)")
    parser.add_argument("--clients", type=int, default=0, help="seed the demo and this many scale clients first")
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    if not args.database_url and not args.clients:
        args.clients = 500
    app, url = build_app(args.database_url, args.clients, reset=False)
    app.config["WTF_CSRF_ENABLED"] = False
    found = {email: staff_of(app, email) for email in ROLES}
    add_floor(app, {email: ids for email, (_names, ids) in found.items()})
    counter = Counter(app)
    print(f"database: {url.split('@')[-1]}; load average before: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    for email, (names, _ids) in found.items():
        measure(app, counter, email, names, args.repeat)
    print(f"load average after: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()

"""Grid pages against a bare Flask page returning the same 20 rows, in the same run.

For the client, session and service-form grids: the first page, filtered by worker, filtered by
site, sorted, and page 500; and the home page and a client's dashboard (their floor selects the
rows those pages show, found once beforehand, by id). Each scenario is timed through the test client signed in as the
coordinator (``/admin/...``, the real page: tenancy, rules, the capped count, the template) and
beside it a bare route (``/bench-floor/<scenario>``) that runs one ORM select of the same 20 rows
(same agency scope, filter, order and offset) and renders them into a plain table. Requests
alternate between the two so that load on the machine falls on both alike.

    # a database with the demo and N scale clients (seed-scale), then:
    .venv/bin/python bench/grids.py --database-url postgresql://postgres@127.0.0.1:5432/bench_grids
    .venv/bin/python bench/grids.py --clients 2000      # SQLite: a new file, seeded here

With ``--clients N`` the script seeds a new SQLite file (or, with ``--reset``, a scratch
PostgreSQL database) with the demo and N scale clients first; ``--smoke`` runs one request per
scenario (CI). Prints median ms, the floor, the ratio, and the machine's load average.
``bench(url, size, repeat)`` is the entry point ``bench/run.py`` (``make bench``) calls.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from flask import render_template_string  # noqa: E402
from sqlalchemy import exists, func, or_, select  # noqa: E402
from sqlalchemy.orm import joinedload  # noqa: E402

from app import create_app  # noqa: E402
from bench.database import ready_database  # noqa: E402
from bench.result import Result  # noqa: E402
from demo import DEMO_PASSWORD, seed_demo  # noqa: E402
from demo.scale import seed_scale  # noqa: E402
from extensions import db  # noqa: E402
from models import ALL_AGENCIES, Agency, Client, ServiceForm, ServiceSession, Site, Staff, tenant_scope  # noqa: E402
from models.caseload import assigned_clients, my_incomplete_sessions  # noqa: E402
from models.clients import ClientAssignment  # noqa: E402
from models.service_sessions import SessionClient, session_staff  # noqa: E402

SIGNED_IN = "coordinator@demo.org"
DEEP = 499  # page 500
FLOOR = (
    "<table><tr><th>id</th><th>row</th></tr>{% for r in rows %}<tr><td>{{ r.id }}</td><td>{{ r }}</td></tr>{% endfor %}</table>"
)


def build_app(url, clients, reset):
    folder = tempfile.mkdtemp(prefix="ocms-bench-")
    url = url or f"sqlite:///{folder}/bench.sqlite3"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False, "UPLOAD_FOLDER": folder, "SECRET_KEY": "bench"})
    if clients:
        with app.app_context():
            ready_database(url, reset)
            with tenant_scope(ALL_AGENCIES):
                seed_demo()
                db.session.commit()
                demo = db.session.scalar(select(Agency.id).where(Agency.code == "DEMO"))
            with tenant_scope(demo):
                seed_scale(demo, clients, progress=lambda message: print("seed:", message, flush=True))
                db.session.commit()
    return app, url


def lookups(app):
    """The demo agency's busiest worker, a site, the row counts, and what the home page and a
    dashboard show the signed-in coordinator (ids, for their floors)."""
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        demo = db.session.scalar(select(Agency.id).where(Agency.code == "DEMO"))
        worker = db.session.scalar(select(Staff.id).where(Staff.email == "worker@demo.org"))
        site = db.session.scalar(select(Site.id).where(Site.agency_id == demo).order_by(Site.id))
        sizes = {
            model.__tablename__: db.session.scalar(select(db.func.count()).select_from(model).where(model.agency_id == demo))
            for model in (Client, ServiceSession, ServiceForm)
        }
    with app.app_context(), tenant_scope(demo):
        coordinator = db.session.scalar(select(Staff).where(Staff.email == SIGNED_IN))
        shown = {
            "clients": [c.id for c in assigned_clients(coordinator)[0]],
            "sessions": [s.id for s in my_incomplete_sessions(coordinator)[0]],
            "dashboard": busiest_client(),
        }
    return worker, site, sizes, shown


def busiest_client():
    """The live named client with most sessions: the dashboard scenario's."""
    query = select(SessionClient.client_id).join(Client, Client.id == SessionClient.client_id)
    query = query.where(Client.is_archived.is_(False), Client.kind == "named").group_by(SessionClient.client_id)
    return db.session.scalar(query.order_by(func.count().desc(), SessionClient.client_id).limit(1))


def filter_arg(app, endpoint, label, value):
    view = next(v for v in app.extensions["admin"][0]._views if getattr(v, "endpoint", None) == endpoint)
    index = next(i for i, flt in enumerate(view._filters) if str(flt.name) == label)
    return f"flt0_{view.get_filter_arg(index, view._filters[index])}={value}"


def sort_arg(app, endpoint, column):
    view = next(v for v in app.extensions["admin"][0]._views if getattr(v, "endpoint", None) == endpoint)
    return f"sort={[name for name, _ in view._list_columns].index(column)}"


def as_tuple(order):
    return order if isinstance(order, tuple) else (order,)


def scenarios(app, worker, site, shown):
    """``name: (page URL, floor statements)``: each floor selects what the page shows."""
    live = Client.is_archived.is_(False)
    assigned = Client.assignments.any(ClientAssignment.staff_id == worker)
    involved = or_(
        ServiceSession.lead_staff_id == worker,
        exists().where(session_staff.c.session_id == ServiceSession.id, session_staff.c.staff_id == worker),
    )
    clients, sessions, forms = select(Client).where(live), select(ServiceSession), select(ServiceForm).join(ServiceForm.session)
    newest_client = Client.id.desc()
    newest_session = (ServiceSession.service_date.desc(), ServiceSession.id.desc())
    # the form grid: newest service first, then newest session and form
    newest_form = (ServiceSession.service_date.desc(), ServiceSession.id.desc(), ServiceForm.id.desc())
    page = lambda query, order, offset=0: query.order_by(*as_tuple(order)).limit(20).offset(offset)  # noqa: E731
    arg = lambda endpoint, label, value: filter_arg(app, endpoint, label, value)  # noqa: E731
    return {
        "clients: first page": ("/admin/clients/", page(clients, newest_client)),
        "clients: by worker": (
            "/admin/clients/?" + arg("clients", "Assigned worker", worker),
            page(clients.where(assigned), newest_client),
        ),
        "clients: by site": (
            "/admin/clients/?" + arg("clients", "Registration site", site),
            page(clients.where(Client.registration_site_id == site), newest_client),
        ),
        "clients: sorted by name": (
            "/admin/clients/?" + sort_arg(app, "clients", "display_name"),
            page(clients, (Client.last_name, Client.first_name, Client.id)),  # ties: the id
        ),
        "clients: page 500": (f"/admin/clients/?page={DEEP}", page(clients, newest_client, DEEP * 20)),
        "sessions: first page": ("/admin/sessions/", page(sessions, newest_session)),
        "sessions: by worker": (
            "/admin/sessions/?" + arg("sessions", "Worker", worker),
            page(sessions.where(involved), newest_session),
        ),
        "sessions: by site": (
            "/admin/sessions/?" + arg("sessions", "Site", site),
            page(sessions.where(ServiceSession.site_id == site), newest_session),
        ),
        "sessions: sorted by type": (
            "/admin/sessions/?" + sort_arg(app, "sessions", "session_type"),
            page(sessions, (ServiceSession.session_type, ServiceSession.service_date, ServiceSession.id)),
        ),
        "sessions: page 500": (f"/admin/sessions/?page={DEEP}", page(sessions, newest_session, DEEP * 20)),
        "forms: first page": ("/admin/service-forms/", page(forms, newest_form)),
        "forms: by worker": (
            "/admin/service-forms/?" + arg("service_forms", "Worker", worker),
            page(forms.where(ServiceForm.author_id == worker), newest_form),
        ),
        "forms: by site": (
            "/admin/service-forms/?" + arg("service_forms", "Site", site),
            page(forms.where(ServiceSession.site_id == site), newest_form),
        ),
        "forms: page 500": (f"/admin/service-forms/?page={DEEP}", page(forms, newest_form, DEEP * 20)),
        **pages(shown),
    }


def pages(shown):
    """The home page (its 10 assigned clients and 10 incomplete sessions) and the busiest
    client's dashboard (the client and its assignments), each floor selecting those rows by id."""
    client = shown["dashboard"]
    sessions = select(ServiceSession).where(ServiceSession.id.in_(shown["sessions"]))
    return {
        "home page": (
            "/admin/",
            [
                select(Client).where(Client.id.in_(shown["clients"])).order_by(Client.id.desc()),
                sessions.options(joinedload(ServiceSession.site), joinedload(ServiceSession.lead_staff)),
            ],
        ),
        "client dashboard": (
            f"/admin/clients/{client}/",
            [select(Client).where(Client.id == client), select(ClientAssignment).where(ClientAssignment.client_id == client)],
        ),
    }


def add_floor_routes(app, cases):
    """One bare route per scenario: its select, through the request's session and scope."""
    names = {name: f"/bench-floor/{number}" for number, name in enumerate(cases)}

    def floor(number):
        statements = list(cases.values())[number][1]
        statements = statements if isinstance(statements, list) else [statements]
        rows = [row for statement in statements for row in db.session.scalars(statement).unique().all()]
        return render_template_string(FLOOR, rows=rows)

    app.add_url_rule("/bench-floor/<int:number>", "bench_floor", floor)
    return names


def timed(browser, path):
    start = time.perf_counter()
    response = browser.get(path)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (path, response.status_code)
    return elapsed


def measure(browser, cases, floors, repeat):
    results = {}
    for name, (url, _) in cases.items():
        timed(browser, url), timed(browser, floors[name])  # warm-up
        ours, floor = [], []
        for _ in range(repeat):
            ours.append(timed(browser, url))
            floor.append(timed(browser, floors[name]))
        results[name] = (statistics.median(ours), statistics.median(floor))
        print(
            f"{name:28} {results[name][0]:8.1f} ms {results[name][1]:8.1f} ms {results[name][0] / results[name][1]:6.1f}x",
            flush=True,
        )
    return results


def prepared(url, clients, reset):
    """The app on its database, the scenarios with their floor routes, a signed-in test client."""
    app, url = build_app(url, clients, reset)
    worker, site, sizes, shown = lookups(app)
    cases = scenarios(app, worker, site, shown)
    floors = add_floor_routes(app, cases)
    browser = app.test_client()
    response = browser.post("/login", data={"email": SIGNED_IN, "password": DEMO_PASSWORD})
    assert response.status_code == 302 and "/login" not in response.location, "sign-in failed"
    print(f"database: {url.split('@')[-1]}; demo agency: {sizes}; signed in as {SIGNED_IN}")
    return browser, cases, floors


def bench(url, size, repeat):
    """``make bench``: the demo and ``size`` scale clients in a new database (``url`` is reset)."""
    browser, cases, floors = prepared(url, size, reset=True)
    results = measure(browser, cases, floors, repeat)
    return [Result("grids", name, ours, floor) for name, (ours, floor) in results.items()]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="a database with the demo and seed-scale rows (default: a new SQLite file)")
    parser.add_argument("--clients", type=int, default=0, help="seed the demo and this many scale clients first")
    parser.add_argument("--reset", action="store_true", help="drop schema public first (scratch PostgreSQL databases only)")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--smoke", action="store_true", help="one timed request per scenario (CI)")
    args = parser.parse_args()
    if not args.database_url and not args.clients:
        args.clients = 500
    browser, cases, floors = prepared(args.database_url, args.clients, args.reset)
    print(f"load average before: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    print(f"{'scenario':28} {'ours':>11} {'floor':>11} {'ratio':>7}")
    results = measure(browser, cases, floors, 1 if args.smoke else args.repeat)
    ratios = [ours / floor for ours, floor in results.values()]
    print(f"median ratio {statistics.median(ratios):.1f}x; load average after: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()

"""SQL statements per page: every grid (read from the registered admin views, so a new grid is
covered without a test edit) and the home page (and each of its dashboard panels) run as many statements for 20 rows as for 100,
and for the demo with 30 ``seed-scale`` clients (150 sessions and forms) as with 230 more.
(Counts, never timings.)"""

import re
from contextlib import contextmanager
from datetime import date

import pytest
from flask_admin.contrib.sqla import ModelView
from sqlalchemy import event, func, select

from demo.scale import seed_scale
from extensions import db
from models import ALL_AGENCIES, Agency, Client, ServiceSession, Staff, tenant_scope
from models.clients import ClientAssignment
from tests.conftest import sign_in

pytestmark = pytest.mark.usefixtures("demo")
ROLES = ("admin@demo.org", "coordinator@demo.org", "worker@demo.org")
SIZES = (20, 100)


def numbers(page):
    """The registration numbers a client grid page lists, in order."""
    return re.findall(r"<td[^>]*>\s*(C\d{6})\s*</td>", page)


def grid_views(app):
    return [view for view in app.extensions["admin"][0]._views if isinstance(view, ModelView)]


@contextmanager
def counting(app):
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def statements_of(app, browser, url):
    """Statements of one GET (after a first one, so that per-process caches are warm)."""
    assert browser.get(url).status_code == 200, url
    with counting(app) as statements:
        response = browser.get(url)
    assert response.status_code == 200, url
    return len(statements)


def grid_pages(app, browser):
    """``{(grid, page size): statements}`` for every grid this browser may open."""
    found = {}
    for view in grid_views(app):
        url = view.url.rstrip("/") + "/"
        if browser.get(url).status_code != 200:
            continue
        for size in SIZES:
            found[view.endpoint, size] = statements_of(app, browser, f"{url}?page_size={size}")
    return found


def grow(app, clients=150):
    """More of everything in the demo agency, and many assigned to the signed-in worker."""
    with app.app_context():
        with tenant_scope(ALL_AGENCIES):
            demo = db.session.scalar(select(Agency.id).where(Agency.code == "DEMO"))
        with tenant_scope(demo):
            seed_scale(demo, clients, seed=3)
            db.session.commit()
            counted_today(demo)
        with tenant_scope(ALL_AGENCIES):
            worker = db.session.scalar(select(Staff.id).where(Staff.email == "worker@demo.org"))
            assignments = ClientAssignment.__table__
            db.session.execute(assignments.update().where(assignments.c.agency_id == demo).values(staff_id=worker))
            db.session.commit()
            return db.session.scalar(select(func.count()).select_from(Client).where(Client.agency_id == demo))


def counted_today(agency_id):
    """One counted session of the agency dated today, so that "this month" has numbers on any
    day (on the 1st, only today is this month): a dashboard panel with none runs one statement
    fewer, which says nothing about how the counts grow."""
    sessions = ServiceSession.__table__
    first = db.session.scalar(select(func.min(sessions.c.id)).where(sessions.c.agency_id == agency_id, sessions.c.is_counted))
    db.session.execute(sessions.update().where(sessions.c.id == first).values(service_date=date.today()))
    db.session.commit()


def browsers(app):
    signed = {}
    for email in ROLES:
        browser = app.test_client()
        assert sign_in(browser, email).status_code == 302
        signed[email] = browser
    return signed


def home_pages(app, browser):
    """``{url: statements}`` of the home page and of each of its dashboard panels' requests."""
    home = browser.get("/admin/").get_data(as_text=True)
    panels = re.findall(r'data-dashboard-panel="([^"]+)"', home)
    assert panels, "no dashboard panel on the home page"
    return {url: statements_of(app, browser, url) for url in ["/admin/", *panels]}


def test_every_grid_and_the_home_page_run_as_many_statements_for_more_rows(app):
    signed = browsers(app)
    grow(app, clients=30)  # every list has rows (an empty one may need no statement to load its relations)
    small = {email: grid_pages(app, browser) for email, browser in signed.items()}
    home_small = {email: home_pages(app, browser) for email, browser in signed.items()}
    assert grow(app, clients=200) > 230
    large = {email: grid_pages(app, browser) for email, browser in signed.items()}
    home_large = {email: home_pages(app, browser) for email, browser in signed.items()}
    endpoints = {endpoint for pages in small.values() for endpoint, _ in pages}
    assert {"clients", "sessions", "service_forms"} <= endpoints
    assert len(endpoints) == len(grid_views(app))  # the admin opens every grid
    growing = []
    for email in ROLES:
        assert small[email].keys() == large[email].keys()
        for endpoint in sorted({endpoint for endpoint, _ in small[email]}):
            counts = [pages[endpoint, size] for pages in (small[email], large[email]) for size in SIZES]
            if len(set(counts)) != 1:
                growing.append((email, endpoint, counts))
        if home_small[email] != home_large[email]:
            growing.append((email, "home", [home_small[email], home_large[email]]))
    assert not growing, growing  # (who, page, [statements: small data 20 rows, 100 rows, larger data 20, 100])


def test_a_big_grid_counts_only_up_to_the_cap_and_pages_on(app, login, monkeypatch):
    from admin_views import grid_paging

    grow(app, clients=60)
    monkeypatch.setattr(grid_paging.CappedCount, "count_cap", 25)
    admin = login("admin@demo.org")
    first = admin.get("/admin/clients/").get_data(as_text=True)
    assert "List (25+)" in first and "page=1" in first  # "next", no numbered pages
    last = admin.get("/admin/clients/?page=2").get_data(as_text=True)
    assert "List (25+)" in last and len(numbers(last)) == 20
    monkeypatch.setattr(grid_paging, "DEFERRED_FROM", 20)  # page 3 reads its ids first
    deep = admin.get("/admin/clients/?page=2").get_data(as_text=True)
    assert numbers(deep) == numbers(last)
    assert sorted(numbers(deep), reverse=True) == numbers(deep)  # newest first, as the grid sorts
    monkeypatch.setattr(grid_paging.CappedCount, "count_cap", 1000)
    exact = admin.get("/admin/clients/").get_data(as_text=True)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        demo = db.session.scalar(select(Agency.id).where(Agency.code == "DEMO"))
        visible = db.session.scalar(
            select(func.count()).select_from(Client).where(Client.agency_id == demo, Client.is_archived.is_(False))
        )
    assert f"List ({visible})" in exact  # the demo agency's own clients only


# Statements of a first page of the three big grids, at most: the signed-in staff member (with
# their agency), their visibility facts (team, programs and break-glass grants in one statement),
# the page's rows with the capped count as a column, and for clients their assigned workers; no
# filter option list (the filter row asks for it, admin_views/base.py ``lazy_filter_options``).
# The client grid ran 13 before, then 7.
FEWEST = {"clients": 4, "sessions": 3, "service_forms": 3}


def test_the_big_grids_build_no_filter_options_and_run_few_statements(app):
    signed = browsers(app)
    grow(app, clients=30)
    found = {
        (email, endpoint): statements_of(app, browser, f"/admin/{view.url.strip('/').split('/')[-1]}/")
        for email, browser in signed.items()
        for view in grid_views(app)
        if (endpoint := view.endpoint) in FEWEST
    }
    assert {key: count for key, count in found.items() if count > FEWEST[key[1]]} == {}

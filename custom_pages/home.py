"""The staff home page at /admin/: who you are, and the clients you are working with."""

from datetime import date, timedelta
from urllib.parse import urlencode

from flask import abort, make_response, request, url_for
from flask_admin import expose
from flask_login import current_user
from sqlalchemy import select

from admin_views.base import ProjectIndexView
from extensions import db
from models.agencies import Site
from models.base import utcnow
from models.break_glass import openings_of_records_of
from models.caseload import assigned_clients, my_incomplete_sessions, recent_clients
from models.staff import ROLES
from models.tasks import my_open_tasks, tasks_given_to_others
from models.visibility import current_viewer, people_of
from reports.dashboards import TITLES, counts_records, panel_for, panel_names_for
from reports.results import TOTAL
from reports.table import url_value

LIST_SIZE = 10
MAX_PAGE = 10_000  # a page number beyond this is read as the last one asked for
SEARCH_LENGTH = 100
OPENINGS_SHOWN = timedelta(days=14)  # break-glass openings of my records shown on the home page
TASKS_AHEAD = timedelta(days=7)  # my tasks due within a week (and overdue ones) on the home page


def task_sections(staff):
    """My tasks (overdue, then due within a week) and the open tasks I gave others."""
    today = date.today()
    mine = my_open_tasks(staff, until=today + TASKS_AHEAD)
    return {"task_today": today, "my_tasks": mine, "given_tasks": tasks_given_to_others(staff, limit=LIST_SIZE)}


def page_arg(name):
    """A page number from the query string: a small non-negative integer, else the first page."""
    value = request.args.get(name, "")
    return min(int(value), MAX_PAGE) if value.isascii() and value.isdecimal() else 0


def caseload_sections(staff):
    """My assigned clients (one page, searched by name or number) and my incomplete sessions
    (one page), with the links to the pages before and after."""
    search = request.args.get("assigned_q", "").strip()[:SEARCH_LENGTH]
    assigned_page, incomplete_page = page_arg("assigned_page"), page_arg("incomplete_page")
    assigned, more_assigned = assigned_clients(staff, search=search, page=assigned_page, size=LIST_SIZE)
    incomplete, more_incomplete = my_incomplete_sessions(staff, page=incomplete_page, size=LIST_SIZE)
    here = {"assigned_q": search or None, "assigned_page": assigned_page or None, "incomplete_page": incomplete_page or None}

    def link(**change):
        values = {key: value for key, value in {**here, **change}.items() if value}
        return url_for(".index", **values)

    return {
        "assigned": assigned,
        "assigned_search": search,
        "assigned_pages": pages(assigned_page, more_assigned, lambda p: link(assigned_page=p), "assigned-clients"),
        "incomplete": incomplete,
        "incomplete_pages": pages(incomplete_page, more_incomplete, lambda p: link(incomplete_page=p), "incomplete-sessions"),
    }


def pages(page, more, url, anchor):
    """Previous and next links of one list (``None`` where there is no such page)."""
    return {
        "page": page + 1,
        "previous": url(page - 1) + "#" + anchor if page > 0 else None,
        "next": url(page + 1) + "#" + anchor if more else None,
    }


def default_site(staff):
    """Read with its own statement every time (a lazy load would be answered from the identity
    map when a list above already loaded that site: statement counts would vary with the data)."""
    if staff.default_site_id is None:
        return None
    return db.session.scalar(select(Site).where(Site.id == staff.default_site_id))


class HomeView(ProjectIndexView):
    @expose("/")
    def index(self):
        return self.render(
            "admin/home.html",
            staff=current_user,
            agency=current_user.agency,
            role_label=ROLES[current_user.role],
            recent=recent_clients(current_user, LIST_SIZE),
            openings=openings_of_records_of(people_of(current_viewer()), since=utcnow() - OPENINGS_SHOWN, limit=LIST_SIZE),
            default_site=default_site(current_user),
            **caseload_sections(current_user),
            **report_dashboards(),
            **task_sections(current_user),
        )

    @expose("/dashboard/<panel>/")
    def dashboard_panel(self, panel):
        return render_panel(self, panel)


# --- reports: the dashboards (reports/dashboards.py), each number linking to its report ---
# The page shows each panel's title at once; static/js/dashboards.js then asks for its numbers
# (``dashboard_panel``, one request per panel). Without scripts, each panel links to that page.
def report_dashboards():
    panels = [(name, TITLES[name], url_for(".dashboard_panel", panel=name)) for name in panel_names_for(current_user)]
    return {"dashboard_panels": panels}


def report_url(key, criteria):
    return url_for("reports.show", key=key) + "?" + urlencode(criteria.query_args())


def records_url(key, criteria, row=TOTAL, measure=None):
    """The records a dashboard number counts: the drill-down its report's cell links to (the
    same criteria, the cell's row and measure), so the list is as long as the number."""
    drill = [("row", url_value(row)), ("measure", measure)]
    extra = [(name, value) for name, value in drill if value is not None]
    return url_for("reports.records", key=key) + "?" + urlencode(criteria.query_args() + extra)


def render_panel(view, name):
    """One panel's numbers: the fragment the home page's script puts in place, or (opened from
    the no-script link) a page of its own. A panel the role does not see is not found."""
    panel = panel_for(current_user, name, utcnow().date())
    if panel is None:
        abort(404)
    fragment = request.headers.get("X-Requested-With") == "fetch"
    template = "admin/reports/_dashboard_panel.html" if fragment else "admin/reports/dashboard_panel.html"
    links = {"report_url": report_url, "records_url": records_url, "counts_records": counts_records}
    response = make_response(view.render(template, panel=panel, **links))
    response.vary.add("X-Requested-With")  # one URL, two answers: a cache must keep them apart
    return response


# --- end reports ---

"""The staff home page at /admin/: who you are, and the clients you are working with."""

from datetime import date, timedelta
from urllib.parse import urlencode

from flask import url_for
from flask_admin import expose
from flask_login import current_user

from admin_views.base import ProjectIndexView
from models.base import utcnow
from models.break_glass import openings_of_records_of
from models.caseload import assigned_clients, my_incomplete_sessions, recent_clients
from models.staff import ROLES
from models.tasks import my_open_tasks, tasks_given_to_others
from models.visibility import current_viewer, people_of
from reports.dashboards import dashboard_for

LIST_SIZE = 10
OPENINGS_SHOWN = timedelta(days=14)  # break-glass openings of my records shown on the home page
TASKS_AHEAD = timedelta(days=7)  # my tasks due within a week (and overdue ones) on the home page


def task_sections(staff):
    """My tasks (overdue, then due within a week) and the open tasks I gave others."""
    today = date.today()
    mine = my_open_tasks(staff, until=today + TASKS_AHEAD)
    return {"task_today": today, "my_tasks": mine, "given_tasks": tasks_given_to_others(staff, limit=LIST_SIZE)}


class HomeView(ProjectIndexView):
    @expose("/")
    def index(self):
        return self.render(
            "admin/home.html",
            staff=current_user,
            agency=current_user.agency,
            role_label=ROLES[current_user.role],
            recent=recent_clients(current_user, LIST_SIZE),
            assigned=assigned_clients(current_user),
            incomplete=my_incomplete_sessions(current_user),
            openings=openings_of_records_of(people_of(current_viewer()), since=utcnow() - OPENINGS_SHOWN, limit=LIST_SIZE),
            **report_dashboards(),
            **task_sections(current_user),
        )


# --- reports: the dashboards (reports/dashboards.py), each number linking to its report ---
def report_dashboards():
    def report_url(key, criteria):
        return url_for("reports.show", key=key) + "?" + urlencode(criteria.query_args())

    return {"dashboards": dashboard_for(current_user, utcnow().date()), "report_url": report_url}


# --- end reports ---

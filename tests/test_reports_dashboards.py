"""The home page's dashboards: a worker's own numbers this month and last, a coordinator's
team and incomplete sessions (oldest first), the agency's programs and sites; each number
links to its report."""

from datetime import date

import pytest

from models import Principal, acting_as
from reports.dashboards import dashboard_for
from tests.conftest import text
from tests.reports_dataset import build

FEBRUARY = date(2026, 2, 10)  # this month: February (nothing yet); last month: January


@pytest.fixture
def data(app, make):
    return build(app, make)


def panels(app, staff):
    with app.test_request_context(), acting_as(Principal.staff(staff)):
        return dashboard_for(staff, FEBRUARY)


def figures(panel):
    return {f.label: (f.now, f.before) for f in panel.figures}


def test_worker_numbers_this_month_and_last(app, data):
    (mine,) = panels(app, data.w1)
    assert figures(mine) == {"Clients served (unique)": (0, 1), "Sessions": (0, 3), "Service hours": (0, 2.0)}
    assert mine.figures[0].before_criteria.date_from == date(2026, 1, 1)


def test_coordinator_team_and_incomplete_sessions_oldest_first(app, data):
    mine, team, incomplete = panels(app, data.coordinator)
    assert figures(mine)["Sessions"] == (0, 0)  # the coordinator led nothing
    assert figures(team) == {"Wanda One": (0, 3), "Walter Two": (0, 1)}  # Walter's s7 is in P1
    assert [(label, count, oldest) for label, count, oldest, _row, _c in incomplete.rows] == [("Wanda One", 1, date(2026, 1, 15))]


def test_agency_view_by_program_and_site(app, data):
    _mine, programs, sites, _incomplete = panels(app, data.admin)
    assert figures(programs) == {"No program": (0, 3), "P1": (0, 2)}
    assert figures(sites) == {"S1": (0, 1), "S2": (0, 3)}


@pytest.mark.parametrize("who, count", [("w1", 1), ("coordinator", 3), ("admin", 4)])
def test_home_page_shows_the_dashboards_with_links(client, login, data, who, count):
    login(getattr(data, who).email)
    page = text(client.get("/admin/"))
    assert page.count('data-testid="dashboard-panel"') == count
    assert "/admin/reports/clients_served/?from=" in page

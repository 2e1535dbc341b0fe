"""The home page's dashboards: a worker's own numbers this month and last, a coordinator's
team and incomplete sessions (oldest first), the agency's programs and sites; each number
that counts records opens the list of them (its report's drill-down), the others its report."""

import html
import re
from datetime import date, datetime

import pytest
from sqlalchemy import select

from custom_pages import home
from extensions import db
from models import ALL_AGENCIES, Principal, Staff, acting_as, tenant_scope
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
    expected = {"Clients I served (unique)": (0, 1), "Complete sessions I led": (0, 3), "Their service hours": (0, 2.0)}
    assert figures(mine) == expected
    assert mine.figures[0].before_criteria.date_from == date(2026, 1, 1)


def test_coordinator_team_and_incomplete_sessions_oldest_first(app, data):
    mine, team, incomplete = panels(app, data.coordinator)
    assert figures(mine)["Complete sessions I led"] == (0, 0)  # the coordinator led nothing
    assert figures(team) == {"Wanda One": (0, 3), "Walter Two": (0, 1)}  # Walter's s7 is in P1
    assert [(label, count, oldest) for label, count, oldest, _row, _c in incomplete.rows] == [("Wanda One", 1, date(2026, 1, 15))]


def test_agency_view_by_program_and_site(app, data):
    _mine, programs, sites, _incomplete = panels(app, data.admin)
    assert figures(programs) == {"No program": (0, 3), "P1": (0, 2)}
    assert figures(sites) == {"S1": (0, 1), "S2": (0, 3)}


@pytest.fixture
def in_february(monkeypatch):
    """The panels' requests read today as FEBRUARY (the dataset is January's)."""
    monkeypatch.setattr(home, "utcnow", lambda: datetime(2026, 2, 10, 12, 0))


def panel(client, name, script=True):
    """One panel's request: the fragment the home page's script asks for, or (without the
    script) the panel's own page."""
    headers = {"X-Requested-With": "fetch"} if script else {}
    return client.get(f"/admin/dashboard/{name}/", headers=headers)


def numbers(page):
    """``{label: (this month, last month)}`` of a panel's figures, as rendered."""
    rows = re.findall(r'<tr data-testid="dashboard-figure">(.*?)</tr>', page, re.S)
    cells = [re.findall(r"<t[hd][^>]*>(?:<a [^>]*>)?([^<]*)", row) for row in rows]
    return {label.strip(): (now, before) for label, now, before in cells}


PANELS_OF = {"w1": ["mine"], "coordinator": ["mine", "team", "incomplete"], "admin": ["mine", "programs", "sites", "incomplete"]}


@pytest.mark.parametrize("who, names", PANELS_OF.items())
def test_home_page_shows_the_dashboards_with_links(client, login, data, in_february, who, names):
    """The page answers with each panel's title and a link to its numbers (no report runs);
    each panel's numbers then link to their reports."""
    login(getattr(data, who).email)
    page = text(client.get("/admin/"))
    assert page.count('data-testid="dashboard-panel"') == len(names)
    assert re.findall(r'data-dashboard-panel="/admin/dashboard/(\w+)/"', page) == names
    assert "js/dashboards.js" in page and "/admin/reports/clients_served/?from=" not in page
    mine = text(panel(client, "mine"))
    assert "<html" not in mine and "/admin/reports/clients_served/?from=2026-02-01&amp;to=2026-02-10" in mine
    assert re.search(r"/admin/reports/clients_served/(records)?\?from=2026-01-01&amp;to=2026-01-31", mine)  # records: not 0
    assert "X-Requested-With" in panel(client, "mine").headers["Vary"]
    without_script = text(panel(client, "mine", script=False))
    assert "<html" in without_script and 'data-testid="dashboard-panel"' in without_script
    assert numbers(without_script) == numbers(mine)


def test_the_panels_requests_show_the_dashboards_numbers(client, login, data, in_february):
    login(data.admin.email)
    mine = {"Clients I served (unique)": ("0", "0"), "Complete sessions I led": ("0", "0"), "Their service hours": ("0", "0")}
    assert numbers(text(panel(client, "mine"))) == mine
    assert numbers(text(panel(client, "programs"))) == {"No program": ("0", "3"), "P1": ("0", "2")}
    assert numbers(text(panel(client, "sites"))) == {"S1": ("0", "1"), "S2": ("0", "3")}
    incomplete = text(panel(client, "incomplete"))
    assert incomplete.count('data-testid="dashboard-incomplete"') == 1 and "2026-01-15" in incomplete
    assert "/admin/reports/incomplete_by_worker/records?from=2025-02-10&amp;to=2026-02-10" in incomplete


def test_the_worker_sees_only_their_own_numbers(client, login, data, in_february):
    login(data.w1.email)
    mine = {"Clients I served (unique)": ("0", "1"), "Complete sessions I led": ("0", "3"), "Their service hours": ("0", "2")}
    assert numbers(text(panel(client, "mine"))) == mine
    for name in ("team", "programs", "sites", "incomplete", "no_such_panel"):  # the coordinator's and the agency's
        assert panel(client, name).status_code == 404, name
        assert panel(client, name, script=False).status_code == 404, name


def test_the_coordinator_sees_the_team_not_the_agency(client, login, data, in_february):
    login(data.coordinator.email)
    assert numbers(text(panel(client, "team"))) == {"Wanda One": ("0", "3"), "Walter Two": ("0", "1")}
    for name in ("programs", "sites"):
        assert panel(client, name).status_code == 404, name


def test_another_agency_never_sees_these_numbers(app, client, login, data, in_february):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        email = db.session.scalar(select(Staff.email).where(Staff.agency_id == data.other.id, Staff.role == "agency_admin"))
    login(email)
    programs, sites = text(panel(client, "programs")), text(panel(client, "sites"))
    assert "P1" not in programs and "S1" not in sites and "S2" not in sites
    assert numbers(sites) == {"B site": ("0", "1")}  # agency B's own January session
    assert "Wanda" not in text(panel(client, "incomplete"))


def test_a_panel_needs_a_signed_in_staff_member(client, data):
    response = panel(client, "mine")
    assert response.status_code in (302, 401, 403) and "Clients served" not in text(response)


def linked_records(page):
    """``[(href, number, hidden text)]`` of a panel's numbers that open their records."""
    found = re.findall(r'<a href="([^"]+)" data-testid="dashboard-records">([^<]+)<span class="sr-only">([^<]+)</span></a>', page)
    assert len(found) == page.count('data-testid="dashboard-records"')
    return [(html.unescape(href), int(shown), html.unescape(hidden).strip()) for href, shown, hidden in found]


def listed(client, href):
    page = text(client.get(href))
    return page.count('data-testid="drill-record"') + page.count('data-testid="restricted-record"')


@pytest.mark.parametrize("who, names", PANELS_OF.items())
def test_a_number_that_counts_records_opens_exactly_those_records(client, login, data, in_february, who, names):
    """Every counting number (clients, sessions, incomplete sessions; not hours, not a zero)
    links to its report's drill-down, which lists as many records as the number says."""
    login(getattr(data, who).email)
    links = [link for name in names for link in linked_records(text(panel(client, name)))]
    assert links and all("/records?" in href and "measure=" in href for href, _n, _h in links)
    for href, shown, _hidden in links:
        assert listed(client, href) == shown, href
    assert not any("service_hours" in href or "measure=hours" in href for href, _n, _h in links)


def test_the_records_links_say_what_they_open(client, login, data, in_february):
    login(data.w1.email)
    mine = linked_records(text(panel(client, "mine")))
    assert [(shown, hidden) for _href, shown, hidden in mine] == [
        (1, "(list of these records: Clients I served (unique), last month)"),
        (3, "(list of these records: Complete sessions I led, last month)"),
    ]
    french = text(client.get("/admin/dashboard/mine/", headers={"X-Requested-With": "fetch", "Accept-Language": "fr-CA"}))
    assert linked_records(french)[0][2] == "(liste de ces dossiers : Clients que j'ai servis (uniques), le mois dernier)"


def test_a_team_members_number_lists_that_members_sessions(client, login, data, in_february):
    login(data.coordinator.email)
    (wanda,) = [link for link in linked_records(text(panel(client, "team"))) if "Wanda" in link[2]]
    assert wanda[1:] == (3, "(list of these records: Wanda One, Sessions (unique), last month)")
    records = text(client.get(wanda[0]))
    assert "Wanda One" in records and "Walter Two" not in records

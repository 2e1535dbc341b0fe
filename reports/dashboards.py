"""The management dashboards on the home page, each number a report's (so it links to it):
a worker's own numbers this month against last month, a coordinator's team (by worker, and
incomplete sessions by worker, oldest first), an agency admin's programs and sites."""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext

from reports.catalogue import REPORTS
from reports.criteria import Criteria, last_month, this_month
from reports.results import TOTAL, run_report

INCOMPLETE_DAYS = 365  # how far back the incomplete sessions by worker reach


@dataclass(frozen=True)
class Figure:
    """One dashboard number: its label, this month's and last month's, and their reports."""

    label: str
    now: object
    before: object
    report: str
    now_criteria: Criteria
    before_criteria: Criteria
    row: object = TOTAL


@dataclass
class Panel:
    title: str
    figures: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # (label, value, report key, criteria, row)


def months(today):
    return this_month(today), last_month(today)


def compare(label, key, measure, today, row_label=None, **narrow):
    """Figures of ``key`` this month and last month (one figure per row when ``row_label``)."""
    (now_from, now_to), (before_from, before_to) = months(today)
    now_c, before_c = Criteria(now_from, now_to, **narrow), Criteria(before_from, before_to, **narrow)
    now, before = run_report(REPORTS[key], now_c), run_report(REPORTS[key], before_c)
    if row_label is None:
        return [Figure(label, now.cell(measure=measure), before.cell(measure=measure), key, now_c, before_c)]
    rows = list(dict.fromkeys(now.rows + before.rows))
    label_of = {**before.labels, **now.labels}
    return [
        Figure(
            label_of.get(("row", r), str(r)),
            now.cell(r, measure=measure),
            before.cell(r, measure=measure),
            key,
            now_c,
            before_c,
            r,
        )
        for r in rows
    ]


def my_numbers(staff, today):
    mine = {"worker": (staff.id,)}
    panel = Panel(lazy_gettext("My numbers: this month and last month"))
    panel.figures += compare(lazy_gettext("Clients served (unique)"), "clients_served", "clients", today, **mine)
    panel.figures += compare(lazy_gettext("Sessions"), "visits_by_type", "sessions", today, **mine)
    panel.figures += compare(lazy_gettext("Service hours"), "visits_by_type", "hours", today, **mine)
    return panel


def team_numbers(today):
    return Panel(lazy_gettext("My team: sessions by worker"), compare("", "visits_by_worker", "sessions", today, row_label=True))


def incomplete_by_worker(today):
    """Incomplete sessions of the last year by worker, the oldest first."""
    start = (
        today.replace(year=today.year - 1)
        if not (today.month == 2 and today.day == 29)
        else today.replace(year=today.year - 1, day=28)
    )
    criteria = Criteria(start, today)
    result = run_report(REPORTS["incomplete_by_worker"], criteria)
    rows = [(result.label("row", r), result.cell(r), result.cell(r, measure="oldest"), r) for r in result.rows]
    rows.sort(key=lambda item: item[2])
    return Panel(lazy_gettext("Incomplete sessions by worker, oldest first"), rows=[(*item, criteria) for item in rows])


def agency_numbers(today):
    panel = Panel(lazy_gettext("The agency: clients served (unique) this month and last month"))
    panel.figures += compare("", "clients_by_program", "clients", today, row_label=True)
    sites = Panel(lazy_gettext("By site"), compare("", "clients_by_site", "clients", today, row_label=True))
    return [panel, sites]


def dashboard_for(staff, today):
    """The panels this staff member's home page shows."""
    panels = [my_numbers(staff, today)]
    if staff.role == "coordinator":
        panels += [team_numbers(today), incomplete_by_worker(today)]
    if staff.role == "agency_admin":
        panels += agency_numbers(today) + [incomplete_by_worker(today)]
    return panels

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
    """One dashboard number: its label, this month's and last month's, and their reports
    (the report's cell: ``row`` and ``measure``, whose drill-down lists what a count counts)."""

    label: str
    now: object
    before: object
    report: str
    now_criteria: Criteria
    before_criteria: Criteria
    row: object = TOTAL
    measure: str | None = None

    @property
    def records_label(self):
        """What the number counts, for its link's hidden text: a row's figure adds the measure."""
        measure = REPORTS[self.report].measure(self.measure)
        return str(self.label) if self.row == TOTAL or measure is None else f"{self.label}, {measure.label}"


def counts_records(key, measure):
    """Whether a report's measure counts records (clients, sessions...), so its drill-down lists
    as many as the number; hours do not."""
    found = REPORTS[key].measure(measure or "")
    return found is not None and found.kind == "count"


@dataclass
class Panel:
    title: str
    figures: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # (label, value, report key, criteria, row)


def months(today):
    return this_month(today), last_month(today)


def ran(key, criteria, results):
    """``run_report`` once per report and criteria in ``results`` (a panel's figures read several
    measures of one run: a worker's sessions and hours are both ``visits_by_type``)."""
    if (key, repr(criteria)) not in results:
        results[key, repr(criteria)] = run_report(REPORTS[key], criteria)
    return results[key, repr(criteria)]


def compare(label, key, measure, today, row_label=None, results=None, **narrow):
    """Figures of ``key`` this month and last month (one figure per row when ``row_label``)."""
    results = {} if results is None else results
    (now_from, now_to), (before_from, before_to) = months(today)
    now_c, before_c = Criteria(now_from, now_to, **narrow), Criteria(before_from, before_to, **narrow)
    now, before = ran(key, now_c, results), ran(key, before_c, results)
    if row_label is None:
        return [Figure(label, now.cell(measure=measure), before.cell(measure=measure), key, now_c, before_c, TOTAL, measure)]
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
            measure,
        )
        for r in rows
    ]


def my_numbers(staff, today):
    mine = {"worker": (staff.id,), "results": {}}
    panel = Panel(TITLES["mine"])
    panel.figures += compare(lazy_gettext("Clients I served (unique)"), "clients_served", "clients", today, **mine)
    panel.figures += compare(lazy_gettext("Complete sessions I led"), "visits_by_type", "sessions", today, **mine)
    panel.figures += compare(lazy_gettext("Their service hours"), "visits_by_type", "hours", today, **mine)
    return panel


def team_numbers(today):
    return Panel(TITLES["team"], compare("", "visits_by_worker", "sessions", today, row_label=True))


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
    return Panel(TITLES["incomplete"], rows=[(*item, criteria) for item in rows])


def programs_panel(today):
    return Panel(TITLES["programs"], compare("", "clients_by_program", "clients", today, row_label=True))


def sites_panel(today):
    return Panel(TITLES["sites"], compare("", "clients_by_site", "clients", today, row_label=True))


def agency_numbers(today):
    return [programs_panel(today), sites_panel(today)]


# The panels by name, in the order the home page shows them, with the roles that see each.
# The home page answers at once with their titles; each panel's numbers come from its own
# request (custom_pages/home.py ``dashboard_panel``), so a slow report never holds the page up.
PANELS = {
    "mine": ((None,), lambda staff, today: my_numbers(staff, today)),
    "team": (("coordinator",), lambda staff, today: team_numbers(today)),
    "programs": (("agency_admin",), lambda staff, today: programs_panel(today)),
    "sites": (("agency_admin",), lambda staff, today: sites_panel(today)),
    "incomplete": (("coordinator", "agency_admin"), lambda staff, today: incomplete_by_worker(today)),
}
TITLES = {
    "mine": lazy_gettext("My numbers: this month and last month"),
    "team": lazy_gettext("My team: complete sessions by worker, this month and last month"),
    "programs": lazy_gettext("The agency: clients served (unique) by program, this month and last month"),
    "sites": lazy_gettext("The agency: clients served (unique) by site, this month and last month"),
    "incomplete": lazy_gettext("Incomplete sessions of the last 12 months by worker, oldest first"),
}


def panel_names_for(staff):
    """The names of the panels this staff member's home page shows, in order."""
    return [name for name, (roles, _build) in PANELS.items() if None in roles or staff.role in roles]


def panel_for(staff, name, today):
    """One panel of this staff member's home page (``None`` if their role does not see it)."""
    if name not in panel_names_for(staff):
        return None
    return PANELS[name][1](staff, today)


def dashboard_for(staff, today):
    """The panels this staff member's home page shows."""
    return [panel_for(staff, name, today) for name in panel_names_for(staff)]

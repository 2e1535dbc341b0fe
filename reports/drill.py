"""Drill-down: the records behind one number of a report, permission-checked.

The same grain, criteria and scope as the number (``reports/query.filtered``), narrowed to the
cell's row and column values (and, for a measure that counts only some rows, such as a yes/no
indicator, to those rows). Each record carries ``restricted``: the viewer's program and
Private rules (``models/visibility.visible_clause``) hide its session or form. A restricted
record is listed, as it counts, but shows only its date and "Restricted", never its content.
"""

from dataclasses import dataclass

from sqlalchemy import String, case, cast, false, func, not_, or_, select

from extensions import db
from models.agencies import Site
from models.clients import ANONYMOUS_NAME, Client
from models.service_forms import ServiceForm
from models.service_sessions import ServiceSession
from models.staff import Staff
from models.visibility import Viewer, visible_clause
from reports.dimensions import form_kind_names, session_type_names
from reports.icare_grain import as_date
from reports.plan_grain import PLAN_GRAINS, drill_columns, drill_order, need_names
from reports.query import filtered, grain_name, report_viewer, run_statement
from reports.record_grains import RECORD_GRAINS

LIMIT = 500
UNKNOWN_VALUE = "~"  # the URL value of a row or column with no value ("Unknown")


@dataclass
class Record:
    restricted: bool
    session_id: int
    service_date: object
    session_type: str = ""
    site: str = ""
    worker: str = ""
    client_id: int | None = None
    client: str = ""
    form_id: int | None = None
    form: str = ""
    quantity: object = None  # its part of a summed measure (hours, participants...), restricted or not


def hidden_clause(viewer, grain):
    """True for rows whose session (or form) the viewer's rules hide."""
    if not isinstance(viewer, Viewer):
        return false()
    hidden = not_(visible_clause(viewer, ServiceSession))
    if grain == "form":
        hidden = or_(hidden, not_(visible_clause(viewer, ServiceForm)))
    return hidden


def columns(grain, viewer):
    base = [
        case((hidden_clause(viewer, grain), True), else_=False).label("restricted"),
        ServiceSession.id.label("session_id"),
        ServiceSession.service_date,
        ServiceSession.session_type,
        ServiceSession.site_id,
        ServiceSession.lead_staff_id,
    ]
    if grain in ("attendance", "form"):
        base += [Client.id.label("client_id"), Client.kind, Client.first_name, Client.last_name]
    if grain == "form":
        base += [ServiceForm.id.label("form_id"), ServiceForm.kind.label("form_kind")]
    return base


def matches(dimension, criteria, value):
    expr = dimension.expr(criteria)
    return expr.is_(None) if value == UNKNOWN_VALUE else cast(expr, String) == value


def cell_conditions(report, criteria, row, column, measure):
    found = []
    for (_axis, _position, dimension), value in zip(report.axes(), (row, column), strict=False):
        if value is not None:
            found.append(matches(dimension, criteria, value))
    chosen = report.measure(measure) if measure else None
    if chosen is not None and chosen.kind == "count":
        found.append(or_(*(fact().isnot(None) for fact in chosen.facts)))
    return found


def one_per_unit(query, measure, order):
    """The drill-down's statement in ``order``: one row for each unit a unique count counts (a
    client, a session, a form: each one's first record the viewer may open, else its first), so
    the list is as long as the number; otherwise (hours, a rate, the whole cell) each record once."""
    if measure is None or not measure.is_unique:
        return query.distinct().order_by(*order)
    restricted = [column.element for column in query.selected_columns if column.key == "restricted"]
    ranked = query.add_columns(
        func.row_number().over(partition_by=[fact() for fact in measure.facts], order_by=restricted + order).label("unit_rank"),
        func.row_number().over(order_by=order).label("unit_order"),
    ).subquery("records")
    shown = [c for c in ranked.c if c.key not in ("unit_rank", "unit_order")]
    return select(*shown).where(ranked.c.unit_rank == 1).order_by(ranked.c.unit_order)


def drill_down(report, criteria, row=None, column=None, measure=None, limit=LIMIT):
    """``(records, more)``: up to ``limit`` records behind the cell, oldest first."""
    viewer, grain = report_viewer(), grain_name(report)
    if grain in PLAN_GRAINS:
        return plan_drill_down(report, criteria, viewer, (row, column, measure), limit)
    if grain in RECORD_GRAINS:
        return record_drill_down(report, criteria, viewer, (row, column, measure), limit)
    chosen = report.measure(measure or "")
    summed = chosen is not None and chosen.summed
    quantity = [chosen.facts[0]().label("quantity")] if summed else []
    query = filtered(report, criteria, viewer, columns(grain, viewer) + quantity)
    query = query.where(*cell_conditions(report, criteria, row, column, measure))
    order = [ServiceSession.service_date, ServiceSession.id] + ([ServiceForm.id] if grain == "form" else [])
    found = run_statement(one_per_unit(query, chosen, order).limit(limit + 1))
    records = [record(row, grain) for row in label_rows(found[:limit])]
    if summed:
        for found_record, found_row in zip(records, found, strict=False):
            found_record.quantity = chosen.quantity(found_row.quantity)
    return records, len(found) > limit


def plan_drill_down(report, criteria, viewer, cell, limit):
    """The plans (or achieved goals) behind a number: agency-wide records, never restricted."""
    query = filtered(report, criteria, viewer, drill_columns(report.grain)).where(*cell_conditions(report, criteria, *cell))
    found = run_statement(one_per_unit(query, report.measure(cell[2] or ""), drill_order(report.grain)).limit(limit + 1))
    rows = found[:limit]
    staff = {s.id: s.name for s in db.session.scalars(select(Staff).where(Staff.id.in_({r.lead_staff_id for r in rows})))}
    clients = db.session.execute(
        select(Client.id, Client.kind, Client.first_name, Client.last_name).where(Client.id.in_({r.client_id for r in rows}))
    )
    names = {c.id: f"{c.first_name} {c.last_name}" if c.kind == "named" else str(ANONYMOUS_NAME) for c in clients}
    records = []
    for r in rows:
        what = need_names([r.need_area]).get(r.need_area, "") if report.grain == "goal_achieved" else ""
        record = Record(False, None, r.service_date, str(report.title), "", staff.get(r.lead_staff_id, ""), r.client_id)
        record.client, record.form = names.get(r.client_id, ""), what
        records.append(record)
    return records, len(found) > limit


def label_rows(rows):
    """Names for the sites and staff of the rows (scoped lookups; restricted rows keep none)."""
    sites = {s.id: s.name for s in db.session.scalars(select(Site).where(Site.id.in_({r.site_id for r in rows})))}
    staff = {s.id: s.name for s in db.session.scalars(select(Staff).where(Staff.id.in_({r.lead_staff_id for r in rows})))}
    return [(r, sites, staff) for r in rows]


def record(item, grain):
    row, sites, staff = item
    if row.restricted:
        return Record(True, row.session_id, row.service_date)
    found = Record(
        False,
        row.session_id,
        row.service_date,
        session_type_names([row.session_type]).get(row.session_type, row.session_type),
        sites.get(row.site_id, ""),
        staff.get(row.lead_staff_id, ""),
    )
    if grain in ("attendance", "form") and row.client_id is not None:
        found.client_id = row.client_id
        found.client = f"{row.first_name} {row.last_name}" if row.kind == "named" else str(ANONYMOUS_NAME)
    if grain == "form":
        found.form_id, found.form = row.form_id, form_kind_names([row.form_kind]).get(row.form_kind, "")
    return found


def record_drill_down(report, criteria, viewer, cell, limit):
    """The referrals, tasks or iCARE records behind a number; those the viewer's rules hide are
    listed as Restricted (their date only), as they count."""
    grain = RECORD_GRAINS[report.grain]
    hidden = case((grain.hidden(viewer), True), else_=False).label("restricted")
    query = filtered(report, criteria, viewer, [hidden, *grain.drill()]).where(*cell_conditions(report, criteria, *cell))
    found = run_statement(one_per_unit(query, report.measure(cell[2] or ""), grain.order()).limit(limit + 1))
    rows = found[:limit]
    shown = [r for r in rows if not r.restricted]
    staff = {s.id: s.name for s in db.session.scalars(select(Staff).where(Staff.id.in_({r.staff_id for r in shown})))}
    clients = db.session.execute(
        select(Client.id, Client.kind, Client.first_name, Client.last_name).where(Client.id.in_({r.client_id for r in shown}))
    )
    people = {c.id: f"{c.first_name} {c.last_name}" if c.kind == "named" else ANONYMOUS_NAME for c in clients}
    names = grain.names(shown)
    return [grain_record(grain, r, staff, people, names) for r in rows], len(found) > limit


def grain_record(grain, row, staff, people, names):
    day = as_date(row.record_date)
    if row.restricted:
        return Record(True, None, day)
    kind, what = grain.describe(row, names)
    found = Record(False, getattr(row, "session_id", None), day, kind, "", staff.get(row.staff_id, ""), row.client_id)
    found.client, found.form = people.get(row.client_id, ""), what
    return found

"""The referral and task grains of the report catalogue.

- ``referral``: a referral, dated by its referral date; ``referral_follow_up``: the same, dated
  by its follow-up date (overdue follow-ups). The program and Private rules of referrals apply
  as for forms (``models/visibility.py``): a restricted referral counts, and its drill-down row
  shows only its date. A worker reports on the referrals they made, a coordinator also on their
  team's and those made in their programs, an agency admin on the agency's.
- ``task``: a task, dated by its due date. A worker reports on the tasks assigned to them or
  that they created, a coordinator also on their team's, an agency admin on the agency's; a task
  about a referral the viewer may not see (and not theirs) counts, its drill-down row shows only
  its date (``models/visibility.py``).
"""

from datetime import date

from flask_babel import lazy_gettext
from sqlalchemy import case, false, literal, not_, or_, select

from extensions import db
from models.agencies import Program
from models.referrals import OPEN_STATUSES, REFERRAL_STATUSES, Referral, ReferralPartner, need_label
from models.staff import Staff
from models.tasks import ASSIGNEE_KINDS, OPEN_TASK_STATUSES, TASK_STATUSES, Task
from models.visibility import Viewer, people_of, visible_clause
from reports.dimensions import Dimension, Measure, Named, count_distinct, fixed, month_of, name_of, names_of, staff_name
from reports.grains import RecordGrain, ids_in, scoped

REFERRAL_FILTERS = ("from", "to", "worker", "program")
TASK_FILTERS = ("from", "to", "worker")


def referral_scope(viewer):
    people = people_of(viewer)
    own = Referral.referring_staff_id.in_(people)
    if viewer.role == "coordinator" and viewer.program_ids:
        return or_(own, Referral.program_id.in_(viewer.program_ids))
    return own


def referral_narrow(criteria):
    return ids_in(Referral.referring_staff_id, criteria.worker) + ids_in(Referral.program_id, criteria.program)


def referral_hidden(viewer):
    return not_(visible_clause(viewer, Referral)) if isinstance(viewer, Viewer) else false()


def referral_drill():
    return [
        Referral.id.label("record_id"),
        Referral.client_id,
        Referral.referring_staff_id.label("staff_id"),
        Referral.need_area,
        Referral.status,
        Referral.partner_id,
        Referral.to_program_id,
    ]


def referral_describe(row, names):
    target = names["partner"].get(row.partner_id) or names["program"].get(row.to_program_id, "")
    status = REFERRAL_STATUSES.get(row.status, row.status)
    return str(lazy_gettext("Referral")), f"{need_label(row.need_area)} → {target} ({status})"


def referral_grain(key, dated):
    return RecordGrain(
        key,
        rows=lambda columns: select(*columns).select_from(Referral),
        in_range=lambda c: [dated().between(c.date_from, c.date_to)],
        scope=scoped(referral_scope),
        filters=REFERRAL_FILTERS,
        narrow=referral_narrow,
        hidden=referral_hidden,
        drill=lambda: [dated().label("record_date"), *referral_drill()],
        order=lambda: [dated(), Referral.id],
        describe=referral_describe,
        names=lambda rows: drill_names(rows),
    )


REFERRAL = referral_grain("referral", lambda: Referral.referral_date)
REFERRAL_FOLLOW_UP = referral_grain("referral_follow_up", lambda: Referral.follow_up_date)


def task_scope(viewer):
    people = people_of(viewer)
    return or_(Task.assigned_to_id.in_(people), Task.created_by_id.in_(people))


def task_hidden(viewer):
    return not_(visible_clause(viewer, Task)) if isinstance(viewer, Viewer) else false()


def task_describe(row, names):
    return str(lazy_gettext("Task")), f"{row.title} ({TASK_STATE_LABELS.get(row.state, row.state)})"


TASK = RecordGrain(
    "task",
    rows=lambda columns: select(*columns).select_from(Task),
    in_range=lambda c: [Task.due_date.between(c.date_from, c.date_to)],
    scope=scoped(task_scope),
    filters=TASK_FILTERS,
    narrow=lambda c: ids_in(Task.assigned_to_id, c.worker),
    hidden=task_hidden,
    drill=lambda: [
        Task.due_date.label("record_date"),
        Task.id.label("record_id"),
        Task.client_id,
        Task.assigned_to_id.label("staff_id"),
        Task.title,
        task_state().label("state"),
    ],
    order=lambda: [Task.due_date, Task.id],
    describe=task_describe,
    names=lambda rows: {},
)


def target_name(value):
    """Partners (positive ids) and the agency's own programs (negative ids: internal referrals)."""
    before, _, after = str(lazy_gettext("Program: %(name)s")).partition("%(name)s")
    program = literal(before) + name_of(Program)(-value) + literal(after)
    return case((value > 0, name_of(ReferralPartner)(value)), else_=program)


def need_names(values):
    return {v: need_label(v) for v in values if v is not None}


def task_state():
    """Done, Cancelled, Overdue (open and due before today) or Open."""
    return case(
        (Task.status == "done", "done"),
        (Task.status == "cancelled", "cancelled"),
        (Task.due_date < date.today(), "overdue"),
        else_="open",
    )


TASK_STATE_LABELS = {
    "open": TASK_STATUSES["open"],
    "overdue": lazy_gettext("Overdue"),
    "done": TASK_STATUSES["done"],
    "cancelled": TASK_STATUSES["cancelled"],
}


def assignee_name(value):
    """The client (0) or the staff member a task is assigned to."""
    return case((value == 0, literal(str(ASSIGNEE_KINDS["client"]))), else_=name_of(Staff, staff_name)(value))


REFERRAL_MONTH = Dimension("referral_month", lazy_gettext("Month"), lambda c: month_of(Referral.referral_date), order="value")
REFERRAL_NEED = Dimension("referral_need", lazy_gettext("Need area"), lambda c: Referral.need_area, need_names)
REFERRAL_TARGET = Dimension(
    "referral_target",
    lazy_gettext("Referred to"),
    lambda c: case((Referral.partner_id.isnot(None), Referral.partner_id), else_=-Referral.to_program_id),
    Named(target_name),
)
REFERRAL_STATUS = Dimension("referral_status", lazy_gettext("Status"), lambda c: Referral.status, fixed(REFERRAL_STATUSES))
REFERRAL_PROGRAM = Dimension(
    "referral_program",
    lazy_gettext("Program"),
    lambda c: Referral.program_id,
    names_of(Program),
    empty=lazy_gettext("No program"),
)
REFERRER = Dimension(
    "referrer",
    lazy_gettext("Worker"),
    lambda c: Referral.referring_staff_id,
    names_of(Staff, staff_name),
)
REFERRALS = Measure("referrals", lazy_gettext("Referrals"), (lambda: Referral.id,), count_distinct)
REFERRAL_CLIENTS = Measure("referral_clients", lazy_gettext("Clients (unique)"), (lambda: Referral.client_id,), count_distinct)

TASK_ASSIGNEE = Dimension(
    "task_assignee",
    lazy_gettext("Assigned to"),
    lambda c: case((Task.assignee_kind == "client", 0), else_=Task.assigned_to_id),
    Named(assignee_name),
)
TASK_KIND = Dimension("task_kind", lazy_gettext("Kind"), lambda c: Task.assignee_kind, fixed(ASSIGNEE_KINDS))
TASK_STATE = Dimension("task_state", lazy_gettext("State"), lambda c: task_state(), fixed(TASK_STATE_LABELS))
TASKS = Measure("tasks", lazy_gettext("Tasks"), (lambda: Task.id,), count_distinct)
OPEN_TASKS = Measure(
    "open_tasks", lazy_gettext("Open"), (lambda: case((Task.status.in_(OPEN_TASK_STATUSES), Task.id)),), count_distinct
)


def overdue_now(criteria):
    """Open referrals whose follow-up date has passed (today's date, when the report runs)."""
    return [Referral.status.in_(OPEN_STATUSES), Referral.follow_up_date < date.today()]


def drill_names(rows):
    """The partner and program names a page of referral rows names (scoped lookups)."""
    partners = {r.partner_id for r in rows if getattr(r, "partner_id", None)}
    programs = {r.to_program_id for r in rows if getattr(r, "to_program_id", None)}
    found = {"partner": {}, "program": {}}
    if partners:
        found["partner"] = dict(
            db.session.execute(select(ReferralPartner.id, ReferralPartner.name).where(ReferralPartner.id.in_(partners))).all()
        )
    if programs:
        found["program"] = dict(db.session.execute(select(Program.id, Program.name).where(Program.id.in_(programs))).all())
    return found

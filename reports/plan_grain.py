"""The settlement plan grains of the report catalogue: ``plan`` (a plan, dated by its start:
"plans opened") and ``goal_achieved`` (an achieved goal, dated by when it was achieved). Plans
are agency-wide (no program or Private rule); a worker reports on their own plans, a
coordinator also on their team's, an agency admin (and a job) on the agency's. The criteria
they take: the dates and the worker."""

from flask_babel import lazy_gettext
from sqlalchemy import false, select, true

from models.plans import PlanGoal, SettlementPlan
from models.referrals import need_label
from models.staff import Staff
from models.visibility import JobViewer, PortalViewer, people_of
from reports.dimensions import Dimension, Measure, count_distinct, month_of, names_of, staff_name

PLAN_GRAINS = ("plan", "goal_achieved")
PLAN_FILTERS = ("from", "to", "worker")


def plan_grain_select(grain, columns):
    query = select(*columns).select_from(SettlementPlan if grain == "plan" else PlanGoal)
    if grain == "plan":
        return query
    return query.join(SettlementPlan, SettlementPlan.id == PlanGoal.plan_id).where(PlanGoal.status == "achieved")


def dated(grain):
    return SettlementPlan.start_date if grain == "plan" else PlanGoal.achieved_date


def plan_scope(viewer):
    if viewer is None or isinstance(viewer, JobViewer) or viewer.role == "agency_admin":
        return true()
    if isinstance(viewer, PortalViewer):
        return false()
    return SettlementPlan.worker_id.in_(people_of(viewer))


def plan_conditions(grain, criteria, viewer):
    found = [dated(grain).between(criteria.date_from, criteria.date_to), plan_scope(viewer)]
    if criteria.worker:
        found.append(SettlementPlan.worker_id.in_(criteria.worker))
    return found


def need_names(values):
    return {v: need_label(v) for v in values if v is not None}


PLAN_MONTH = Dimension("plan_month", lazy_gettext("Month"), lambda c: month_of(SettlementPlan.start_date), order="value")
ACHIEVED_MONTH = Dimension("achieved_month", lazy_gettext("Month"), lambda c: month_of(PlanGoal.achieved_date), order="value")
PLAN_WORKER = Dimension("plan_worker", lazy_gettext("Worker"), lambda c: SettlementPlan.worker_id, names_of(Staff, staff_name))
NEED_AREA = Dimension("need_area", lazy_gettext("Need area"), lambda c: PlanGoal.need_area, need_names)
PLANS = Measure("plans", lazy_gettext("Plans"), (lambda: SettlementPlan.id,), count_distinct)
PLAN_CLIENTS = Measure("plan_clients", lazy_gettext("Clients (unique)"), (lambda: SettlementPlan.client_id,), count_distinct)
GOALS_ACHIEVED = Measure("goals_achieved", lazy_gettext("Goals achieved"), (lambda: PlanGoal.id,), count_distinct)


def drill_columns(grain):
    columns = [
        SettlementPlan.id.label("plan_id"),
        dated(grain).label("service_date"),
        SettlementPlan.client_id,
        SettlementPlan.worker_id.label("lead_staff_id"),
    ]
    return columns + ([PlanGoal.need_area] if grain == "goal_achieved" else [])


def drill_order(grain):
    return [dated(grain), SettlementPlan.id]

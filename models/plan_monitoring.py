"""What settlement plans tell others: goals proposed from the client's Needs Assessment, the
Needs Assessment's "settlement plan shared" answer, progress, and the plans needing attention
(the coordinator's monitoring page and the follow-up reminders)."""

from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import or_, select

from extensions import db
from models.plans import OPEN_GOAL_STATUSES, PlanGoal, PlanStep, SettlementPlan
from models.referrals import NEEDS_FORM, need_areas
from models.service_forms import ServiceForm
from models.service_sessions import ServiceSession
from models.visibility import JobViewer, people_of
from service_forms.catalogue import FORMS
from service_forms.labels import english_label


@cache
def plan_shared_field():
    """The Needs Assessment field that asks whether a settlement plan was completed and shared
    with the client, found in the form's description."""
    fields = FORMS[NEEDS_FORM].fields
    return next(f.name for f in fields if f.type == "yesno" and "settlement plan" in english_label(f.label).lower())


def plan_answers(spec, client):
    """Pre-fill for a new form: a Needs Assessment answers "Yes" when the client's plan was
    shared with them (still editable on the form)."""
    if client is None or spec.kind != NEEDS_FORM:
        return {}
    shared = select(SettlementPlan.id).where(SettlementPlan.client_id == client.id, SettlementPlan.shared_date.isnot(None))
    return {plan_shared_field(): "Yes"} if db.session.scalar(shared.limit(1)) is not None else {}


def latest_needs_assessment(client):
    """The client's latest Needs Assessment that the viewer sees (by service date)."""
    query = (
        select(ServiceForm)
        .join(ServiceSession, ServiceSession.id == ServiceForm.session_id)
        .where(ServiceForm.client_id == client.id, ServiceForm.kind == NEEDS_FORM)
        .order_by(ServiceSession.service_date.desc(), ServiceForm.id.desc())
    )
    return db.session.scalars(query.limit(1)).first()


def marked_needs(form):
    data = (form.data or {}) if form is not None else {}
    return [area for area in need_areas() if data.get(area.code) == "Yes"]


@dataclass(frozen=True)
class Proposal:
    area: object  # a NeedArea
    form: ServiceForm

    @property
    def code(self):
        return self.area.code

    @property
    def label(self):
        return self.area.label


def proposals(plan):
    """One goal per need the latest Needs Assessment marks that no goal of the plan covers and
    that staff did not dismiss."""
    if plan is None or not plan.is_active:
        return []
    form = latest_needs_assessment(plan.client)
    covered = {goal.need_area for goal in plan.goals} | {d.need_area for d in plan.dismissals}
    return [Proposal(area, form) for area in marked_needs(form) if area.code not in covered]


@dataclass(frozen=True)
class Progress:
    goals: int
    achieved: int
    overdue_goals: int
    overdue_steps: int
    follow_up_overdue: bool
    review_overdue: bool

    @property
    def needs_attention(self):
        return bool(self.overdue_goals or self.overdue_steps or self.follow_up_overdue or self.review_overdue)


def progress(plan, today=None):
    today = today or date.today()
    goals = list(plan.goals)
    return Progress(
        goals=len(goals),
        achieved=sum(1 for g in goals if g.status == "achieved"),
        overdue_goals=sum(1 for g in goals if g.is_overdue(today)),
        overdue_steps=sum(len(g.overdue_steps(today)) for g in goals),
        follow_up_overdue=plan.is_active and plan.next_follow_up_date is not None and plan.next_follow_up_date < today,
        review_overdue=plan.is_active and plan.next_review_date is not None and plan.next_review_date < today,
    )


def overdue_clause(today):
    """Active plans with a follow-up or review overdue, an open goal past its target date, or an
    open step past its due date."""
    goal_late = select(PlanGoal.plan_id).where(PlanGoal.status.in_(OPEN_GOAL_STATUSES), PlanGoal.target_date < today)
    step_late = (
        select(PlanGoal.plan_id)
        .join(PlanStep, PlanStep.goal_id == PlanGoal.id)
        .where(PlanGoal.status.in_(OPEN_GOAL_STATUSES), PlanStep.is_done.is_(False), PlanStep.due_date < today)
    )
    return or_(
        SettlementPlan.next_follow_up_date < today,
        SettlementPlan.next_review_date < today,
        SettlementPlan.id.in_(goal_late),
        SettlementPlan.id.in_(step_late),
    )


def plans_needing_attention(viewer, today=None):
    """Active plans with something overdue, of the viewer's people (a worker: their own; a
    coordinator: also their team's; an agency admin or a job: the agency), by worker."""
    today = today or date.today()
    query = select(SettlementPlan).where(SettlementPlan.status == "active", overdue_clause(today))
    if not isinstance(viewer, JobViewer) and viewer.role != "agency_admin":
        query = query.where(SettlementPlan.worker_id.in_(people_of(viewer)))
    plans = db.session.scalars(query.order_by(SettlementPlan.worker_id, SettlementPlan.next_follow_up_date)).all()
    by_worker = {}
    for plan in plans:
        by_worker.setdefault(plan.worker, []).append((plan, progress(plan, today)))
    return sorted(by_worker.items(), key=lambda item: item[0].name)


def follow_ups_due(on_date, since):
    """Active plans whose next follow-up has come (not before ``since``): the reminders."""
    query = select(SettlementPlan).where(
        SettlementPlan.status == "active",
        SettlementPlan.next_follow_up_date <= on_date,
        SettlementPlan.next_follow_up_date >= since,
    )
    return db.session.scalars(query.order_by(SettlementPlan.next_follow_up_date, SettlementPlan.id)).all()

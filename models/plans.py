"""Settlement plans: made with the client and shared with them, followed up, reviewed and
updated indefinitely (``docs/PLANS.md``).

- A client has at most one **active** plan; earlier plans are **closed** and read-only (a
  closed plan, its goals, steps, follow-ups and reviews refuse every change).
- **Goals** are by need area (the need areas of the iCARE Needs Assessment,
  ``models/referrals.need_areas``), with steps, who is responsible, a target date, a status and
  progress notes. **Follow-ups** and **reviews** set the plan's next follow-up and next review.
- Plans are agency-wide, like the client profile (they are shared with the client): no program
  or Private rule applies to them. Tenancy applies as to every agency-owned row.
- Proposals, monitoring and the Needs Assessment pre-fill: ``models/plan_monitoring.py``.
"""

from datetime import date

from flask_babel import lazy_gettext
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session, selectinload

from extensions import db
from models.base import Timestamped, Versioned, utcnow
from models.errors import InvalidEntry
from models.referrals import need_label
from models.tenancy import AgencyOwned

PLAN_STATUSES = {"active": lazy_gettext("Active"), "closed": lazy_gettext("Closed")}
GOAL_STATUSES = {
    "not_started": lazy_gettext("Not started"),
    "in_progress": lazy_gettext("In progress"),
    "achieved": lazy_gettext("Achieved"),
    "discontinued": lazy_gettext("Discontinued"),
}
OPEN_GOAL_STATUSES = ("not_started", "in_progress")
RESPONSIBLE = {
    "staff": lazy_gettext("A staff member"),
    "client": lazy_gettext("The client"),
    "partner": lazy_gettext("A partner"),
}
SHARED_HOW = {
    "in_person": lazy_gettext("In person (printed copy)"),
    "email": lazy_gettext("By email"),
    "phone": lazy_gettext("By telephone"),
    "other": lazy_gettext("Other"),
}
SECOND_ACTIVE = lazy_gettext("This client already has an active settlement plan: close it before starting a new one.")
CLOSED_PLAN = lazy_gettext("This plan is closed: earlier plans are kept read-only.")
BEFORE_START = lazy_gettext("The target date cannot be before the plan's start date.")
NEXT_BEFORE_START = {
    "next_follow_up_date": lazy_gettext("The next follow-up cannot be before the plan's start date."),
    "next_review_date": lazy_gettext("The next review cannot be before the plan's start date."),
}
NOTE_NEEDED = lazy_gettext("Write what the follow-up found.")


class SettlementPlan(Versioned, AgencyOwned, Timestamped, db.Model):
    __tablename__ = "settlement_plans"
    portal_scope = "own"  # the client reads their plans once shared with them (``portal_condition``)
    __table_args__ = (
        db.Index(
            "uq_settlement_plans_one_active",
            "client_id",
            unique=True,
            sqlite_where=db.text("status = 'active'"),
            postgresql_where=db.text("status = 'active'"),
        ),
    )

    id = db.Column(db.Integer, primary_key=True)
    client_id = db.Column(db.Integer, db.ForeignKey("clients.id", ondelete="CASCADE"), nullable=False, index=True)
    worker_id = db.Column(db.Integer, db.ForeignKey("staff.id"), nullable=False, index=True)  # printed on the plan
    created_by_id = db.Column(db.Integer, db.ForeignKey("staff.id"), nullable=False)
    status = db.Column(db.Enum(*PLAN_STATUSES, name="plan_status", native_enum=False), nullable=False, default="active")
    start_date = db.Column(db.Date, nullable=False, default=date.today)
    closed_date = db.Column(db.Date)
    summary = db.Column(db.Text, nullable=False, default="")
    shared_date = db.Column(db.Date)
    shared_how = db.Column(db.String(20))
    next_follow_up_date = db.Column(db.Date, index=True)
    next_review_date = db.Column(db.Date)

    client = db.relationship("Client")
    worker = db.relationship("Staff", foreign_keys=[worker_id])
    created_by = db.relationship("Staff", foreign_keys=[created_by_id])
    goals = db.relationship("PlanGoal", back_populates="plan", order_by="PlanGoal.id", cascade="all, delete-orphan")
    follow_ups = db.relationship(
        "PlanFollowUp", back_populates="plan", order_by="PlanFollowUp.follow_up_date.desc()", cascade="all, delete-orphan"
    )
    reviews = db.relationship(
        "PlanReview", back_populates="plan", order_by="PlanReview.review_date.desc()", cascade="all, delete-orphan"
    )
    dismissals = db.relationship("DismissedProposal", back_populates="plan", cascade="all, delete-orphan")

    def __str__(self):
        return str(lazy_gettext("Settlement plan of %(date)s", date=self.start_date))

    @property
    def is_active(self):
        return self.status == "active"

    @property
    def status_label(self):
        return PLAN_STATUSES.get(self.status, self.status)

    @property
    def shared_how_label(self):
        return SHARED_HOW.get(self.shared_how, self.shared_how or "")

    @property
    def is_shared(self):
        return self.shared_date is not None

    @classmethod
    def portal_condition(cls):
        return cls.shared_date.is_not(None)


class PlanGoal(Versioned, AgencyOwned, Timestamped, db.Model):
    __tablename__ = "plan_goals"
    portal_scope, portal_parent = "through", ("plan_id", SettlementPlan)  # the goals of a plan shared with the client

    id = db.Column(db.Integer, primary_key=True)
    plan_id = db.Column(db.Integer, db.ForeignKey("settlement_plans.id", ondelete="CASCADE"), nullable=False, index=True)
    need_area = db.Column(db.String(80), nullable=False)
    description = db.Column(db.Text, nullable=False)
    responsible = db.Column(db.Enum(*RESPONSIBLE, name="goal_responsible", native_enum=False), nullable=False, default="client")
    responsible_staff_id = db.Column(db.Integer, db.ForeignKey("staff.id"), index=True)
    partner_id = db.Column(db.Integer, db.ForeignKey("referral_partners.id"), index=True)
    target_date = db.Column(db.Date)
    status = db.Column(db.Enum(*GOAL_STATUSES, name="goal_status", native_enum=False), nullable=False, default="not_started")
    achieved_date = db.Column(db.Date)
    progress_notes = db.Column(db.Text, nullable=False, default="")

    plan = db.relationship(SettlementPlan, back_populates="goals")
    responsible_staff = db.relationship("Staff")
    partner = db.relationship("ReferralPartner")
    steps = db.relationship("PlanStep", back_populates="goal", order_by="PlanStep.id", cascade="all, delete-orphan")

    def __str__(self):
        return f"{self.need_label}: {self.description[:60]}"

    @property
    def need_label(self):
        return need_label(self.need_area)

    @property
    def status_label(self):
        return GOAL_STATUSES.get(self.status, self.status)

    @property
    def is_open(self):
        return self.status in OPEN_GOAL_STATUSES

    @property
    def responsible_name(self):
        if self.responsible == "staff" and self.responsible_staff:
            return self.responsible_staff.name
        if self.responsible == "partner" and self.partner:
            return self.partner.name
        return str(RESPONSIBLE.get(self.responsible, ""))

    @property
    def client_id(self):
        """The audit trail files the row under its plan's client."""
        return self.plan.client_id if self.plan is not None else None

    def is_overdue(self, today=None):
        return self.is_open and self.target_date is not None and self.target_date < (today or date.today())

    def overdue_steps(self, today=None):
        return [step for step in self.steps if self.is_open and step.is_overdue(today)]


class PlanStep(AgencyOwned, Timestamped, db.Model):
    __tablename__ = "plan_steps"
    portal_scope, portal_parent = "through", ("goal_id", PlanGoal)

    id = db.Column(db.Integer, primary_key=True)
    goal_id = db.Column(db.Integer, db.ForeignKey("plan_goals.id", ondelete="CASCADE"), nullable=False, index=True)
    description = db.Column(db.String(500), nullable=False)
    due_date = db.Column(db.Date)
    is_done = db.Column(db.Boolean, nullable=False, default=False)

    goal = db.relationship(PlanGoal, back_populates="steps")

    @property
    def client_id(self):
        return self.goal.client_id if self.goal is not None else None

    def is_overdue(self, today=None):
        return not self.is_done and self.due_date is not None and self.due_date < (today or date.today())


class PlanFollowUp(AgencyOwned, Timestamped, db.Model):
    __tablename__ = "plan_follow_ups"

    id = db.Column(db.Integer, primary_key=True)
    plan_id = db.Column(db.Integer, db.ForeignKey("settlement_plans.id", ondelete="CASCADE"), nullable=False, index=True)
    follow_up_date = db.Column(db.Date, nullable=False, default=date.today)
    note = db.Column(db.Text, nullable=False)
    staff_id = db.Column(db.Integer, db.ForeignKey("staff.id"), nullable=False)
    next_follow_up_date = db.Column(db.Date)

    plan = db.relationship(SettlementPlan, back_populates="follow_ups")
    staff = db.relationship("Staff")
    client_id = property(lambda self: self.plan.client_id if self.plan is not None else None)


class PlanReview(AgencyOwned, Timestamped, db.Model):
    __tablename__ = "plan_reviews"

    id = db.Column(db.Integer, primary_key=True)
    plan_id = db.Column(db.Integer, db.ForeignKey("settlement_plans.id", ondelete="CASCADE"), nullable=False, index=True)
    review_date = db.Column(db.Date, nullable=False, default=date.today)
    summary = db.Column(db.Text, nullable=False)
    staff_id = db.Column(db.Integer, db.ForeignKey("staff.id"), nullable=False)
    next_review_date = db.Column(db.Date)

    plan = db.relationship(SettlementPlan, back_populates="reviews")
    staff = db.relationship("Staff")
    client_id = property(lambda self: self.plan.client_id if self.plan is not None else None)


class DismissedProposal(AgencyOwned, db.Model):
    """A goal proposed from the Needs Assessment that staff dismissed: not proposed again for this plan."""

    __tablename__ = "plan_dismissed_proposals"
    __table_args__ = (db.UniqueConstraint("plan_id", "need_area"),)

    id = db.Column(db.Integer, primary_key=True)
    plan_id = db.Column(db.Integer, db.ForeignKey("settlement_plans.id", ondelete="CASCADE"), nullable=False, index=True)
    need_area = db.Column(db.String(80), nullable=False)
    dismissed_by_id = db.Column(db.Integer, db.ForeignKey("staff.id"), nullable=False)
    dismissed_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    plan = db.relationship(SettlementPlan, back_populates="dismissals")
    client_id = property(lambda self: self.plan.client_id if self.plan is not None else None)


def plan_of(row):
    return row if isinstance(row, SettlementPlan) else getattr(row, "plan", None) or getattr(row.goal, "plan", None)


def was_closed(plan):
    """Closed as the database has it (a plan being closed in this flush may still be written)."""
    if plan is None or plan.id is None:
        return False
    history = inspect(plan).attrs.status.history
    before = history.deleted[0] if history.deleted else plan.status
    return before == "closed"


def check_plan(plan, session):
    if plan.status == "active":
        query = select(SettlementPlan.id).where(SettlementPlan.client_id == plan.client_id, SettlementPlan.status == "active")
        if plan.id is not None:
            query = query.where(SettlementPlan.id != plan.id)
        with session.no_autoflush:
            if session.scalar(query.limit(1)) is not None:
                raise InvalidEntry("plan", SECOND_ACTIVE)
    if plan.status == "closed" and plan.closed_date is None:
        plan.closed_date = date.today()
    check_next_dates(plan)


def check_next_dates(plan):
    """The next follow-up and review are not before the plan's start, checked when one of the
    three dates is set or changed (an older plan's other changes are not refused for them)."""
    state = inspect(plan)
    if state.persistent and not any(state.attrs[name].history.has_changes() for name in ("start_date", *NEXT_BEFORE_START)):
        return
    for name, message in NEXT_BEFORE_START.items():
        if plan.start_date is not None and getattr(plan, name) is not None and getattr(plan, name) < plan.start_date:
            raise InvalidEntry(name, message)


def check_dates(row, plan):
    start = plan.start_date if plan is not None else None
    dated = row.target_date if isinstance(row, PlanGoal) else getattr(row, "due_date", None)
    if start is not None and dated is not None and dated < start:
        raise InvalidEntry("target_date" if isinstance(row, PlanGoal) else "due_date", BEFORE_START)


def check_goal(goal):
    if not (goal.description or "").strip():
        raise InvalidEntry("description", lazy_gettext("Describe the goal."))
    if goal.status == "achieved" and goal.achieved_date is None:
        goal.achieved_date = date.today()
    if goal.status != "achieved":
        goal.achieved_date = None
    if goal.responsible == "staff" and not (goal.responsible_staff_id or goal.responsible_staff):
        raise InvalidEntry("responsible_staff_id", lazy_gettext("Choose the staff member responsible."))
    if goal.responsible == "partner" and not (goal.partner_id or goal.partner):
        raise InvalidEntry("partner_id", lazy_gettext("Choose the partner responsible."))


def check_follow_up(row):
    if not (row.note or "").strip():
        raise InvalidEntry("note", NOTE_NEEDED)
    if row.next_follow_up_date is not None and row.next_follow_up_date < row.follow_up_date:
        raise InvalidEntry("next_follow_up_date", lazy_gettext("The next follow-up cannot be before this one."))


def check_review(row):
    if not (row.summary or "").strip():
        raise InvalidEntry("summary", lazy_gettext("Write a summary of the review."))
    if row.next_review_date is not None and row.next_review_date < row.review_date:
        raise InvalidEntry("next_review_date", lazy_gettext("The next review cannot be before this one."))


PLAN_ROWS = (SettlementPlan, PlanGoal, PlanStep, PlanFollowUp, PlanReview, DismissedProposal)


@event.listens_for(Session, "before_flush")
def _check_plans(session, flush_context, instances):
    """Whatever page writes a plan or its parts, the rules hold (nothing half-saved): one active
    plan per client, closed plans read-only, dates not before the plan's start, notes written."""
    for obj in [*session.new, *session.dirty, *session.deleted]:
        if not isinstance(obj, PLAN_ROWS):
            continue
        plan = plan_of(obj)
        if was_closed(plan) and (obj in session.deleted or session.is_modified(obj) or obj in session.new):
            raise InvalidEntry("plan", CLOSED_PLAN)
        if obj in session.deleted:
            continue
        if isinstance(obj, SettlementPlan):
            check_plan(obj, session)
        elif isinstance(obj, PlanGoal):
            check_goal(obj)
        elif isinstance(obj, PlanFollowUp):
            check_follow_up(obj)
        elif isinstance(obj, PlanReview):
            check_review(obj)
        if isinstance(obj, (PlanGoal, PlanStep)):
            check_dates(obj, plan)


def add_follow_up(plan, staff, follow_up_date, note, next_date):
    """Record a follow-up; its next date becomes the plan's next follow-up."""
    row = PlanFollowUp(follow_up_date=follow_up_date, note=(note or "").strip(), staff_id=staff.id, next_follow_up_date=next_date)
    plan.follow_ups.append(row)
    plan.next_follow_up_date = next_date
    return row


def add_review(plan, staff, review_date, summary, next_date):
    row = PlanReview(review_date=review_date, summary=(summary or "").strip(), staff_id=staff.id, next_review_date=next_date)
    plan.reviews.append(row)
    plan.next_review_date = next_date
    return row


def plans_of(client):
    """The client's plans, the active one first, then the earlier ones, newest first."""
    query = select(SettlementPlan).where(SettlementPlan.client_id == client.id)
    return db.session.scalars(query.order_by((SettlementPlan.status == "active").desc(), SettlementPlan.start_date.desc())).all()


def active_plan(client):
    """The client's active plan, with its goals, their steps and its dismissed proposals (what
    the dashboard's Plan tab counts: three more statements, however many goals)."""
    query = select(SettlementPlan).where(SettlementPlan.client_id == client.id, SettlementPlan.status == "active")
    loads = selectinload(SettlementPlan.goals).selectinload(PlanGoal.steps), selectinload(SettlementPlan.dismissals)
    return db.session.scalar(query.options(*loads))

"""Employment Action Plans (EAP): the plan Employment Ontario's case management keeps for a
client's employment services, as staff enter it on the client dashboard or import it from a
CSV export of CaMS (``exports/eap_import.py``). OCMS never talks to CaMS.

A plan has its case details (CaMS case number, start date, status, caseworker), the client's
employment goal, sub-goals, plan items (description, who is responsible, target date, status)
and outcomes (type, date, employer, notes). Staff write them; the client reads their own in the
portal (``portal_scope``: the plan is the client's own, its parts come through it).
"""

from datetime import date

from flask_babel import lazy_gettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from extensions import db
from models.base import Timestamped, Versioned
from models.cams import normal_cams
from models.errors import InvalidEntry
from models.tenancy import AgencyOwned

PLAN_STATUSES = {
    "active": lazy_gettext("Active"),
    "on_hold": lazy_gettext("On hold"),
    "closed": lazy_gettext("Closed"),
}
ITEM_STATUSES = {
    "not_started": lazy_gettext("Not started"),
    "in_progress": lazy_gettext("In progress"),
    "completed": lazy_gettext("Completed"),
    "cancelled": lazy_gettext("Cancelled"),
}
OUTCOME_TYPES = {
    "employed_full_time": lazy_gettext("Employed full-time"),
    "employed_part_time": lazy_gettext("Employed part-time"),
    "self_employed": lazy_gettext("Self-employed"),
    "education": lazy_gettext("In education"),
    "training": lazy_gettext("In training"),
    "volunteer": lazy_gettext("Volunteer"),
    "unemployed": lazy_gettext("Unemployed"),
    "other": lazy_gettext("Other"),
}
SOURCES = ("staff", "import")
# The roles CaMS writes in a plan item's "responsible" (free text otherwise: a person's name)
RESPONSIBLE_ROLES = {"client": lazy_gettext("Client"), "caseworker": lazy_gettext("Caseworker")}


class EmploymentActionPlan(Versioned, AgencyOwned, Timestamped, db.Model):
    __tablename__ = "employment_action_plans"
    __table_args__ = (db.UniqueConstraint("agency_id", "case_number"),)
    portal_scope = "own"  # the client reads their plans (read-only: the portal has no write route)

    id = db.Column(db.Integer, primary_key=True)
    client_id = db.Column(db.Integer, db.ForeignKey("clients.id", ondelete="CASCADE"), nullable=False, index=True)
    case_number = db.Column(db.String(12))  # the CaMS case number; None when staff have none yet
    start_date = db.Column(db.Date, nullable=False)
    status = db.Column(db.Enum(*PLAN_STATUSES, name="eap_status", native_enum=False), nullable=False, default="active")
    caseworker = db.Column(db.String(200), nullable=False, default="")  # the name as CaMS has it
    employment_goal = db.Column(db.Text, nullable=False, default="")
    source = db.Column(db.Enum(*SOURCES, name="eap_source", native_enum=False), nullable=False, default="staff")
    imported_at = db.Column(db.DateTime)

    sub_goals = db.relationship(
        "EapSubGoal", order_by="EapSubGoal.position", cascade="all, delete-orphan", passive_deletes=True, back_populates="plan"
    )
    items = db.relationship(
        "EapItem", order_by="EapItem.position", cascade="all, delete-orphan", passive_deletes=True, back_populates="plan"
    )
    outcomes = db.relationship(
        "EapOutcome",
        order_by="EapOutcome.outcome_date",
        cascade="all, delete-orphan",
        passive_deletes=True,
        back_populates="plan",
    )

    @property
    def status_label(self):
        return PLAN_STATUSES[self.status]


class EapPart:
    """A part of a plan: the plan's agency, and what the portal client reads through the plan."""

    portal_scope, portal_parent = "through", ("plan_id", EmploymentActionPlan)

    @classmethod
    def plan_column(cls):
        return db.Column(db.Integer, db.ForeignKey("employment_action_plans.id", ondelete="CASCADE"), nullable=False, index=True)


class EapSubGoal(EapPart, AgencyOwned, db.Model):
    __tablename__ = "eap_sub_goals"

    id = db.Column(db.Integer, primary_key=True)
    plan_id = EapPart.plan_column()
    position = db.Column(db.Integer, nullable=False, default=0)
    description = db.Column(db.Text, nullable=False)

    plan = db.relationship(EmploymentActionPlan, back_populates="sub_goals")


class EapItem(EapPart, AgencyOwned, db.Model):
    __tablename__ = "eap_items"

    id = db.Column(db.Integer, primary_key=True)
    plan_id = EapPart.plan_column()
    position = db.Column(db.Integer, nullable=False, default=0)
    description = db.Column(db.Text, nullable=False)
    responsible = db.Column(db.String(200), nullable=False, default="")
    target_date = db.Column(db.Date)
    status = db.Column(db.Enum(*ITEM_STATUSES, name="eap_item_status", native_enum=False), nullable=False, default="not_started")

    plan = db.relationship(EmploymentActionPlan, back_populates="items")

    @property
    def status_label(self):
        return ITEM_STATUSES[self.status]

    @property
    def responsible_label(self):
        """Who is responsible as shown: a role CaMS writes in English in the reader's language,
        a name as typed."""
        return RESPONSIBLE_ROLES.get(self.responsible.strip().lower(), self.responsible)


class EapOutcome(EapPart, AgencyOwned, db.Model):
    __tablename__ = "eap_outcomes"

    id = db.Column(db.Integer, primary_key=True)
    plan_id = EapPart.plan_column()
    kind = db.Column(db.Enum(*OUTCOME_TYPES, name="eap_outcome_type", native_enum=False), nullable=False)
    outcome_date = db.Column(db.Date, nullable=False)
    employer = db.Column(db.String(200), nullable=False, default="")
    notes = db.Column(db.Text, nullable=False, default="")

    plan = db.relationship(EmploymentActionPlan, back_populates="outcomes")

    @property
    def kind_label(self):
        return OUTCOME_TYPES[self.kind]


PARTS = {"sub_goal": EapSubGoal, "item": EapItem, "outcome": EapOutcome}


def plans_of(client, with_parts=False):
    """The client's plans, newest first; ``with_parts``: with their sub-goals, items and outcomes
    (three more statements, however many plans)."""
    query = select(EmploymentActionPlan).where(EmploymentActionPlan.client_id == client.id)
    if with_parts:
        parts = (EmploymentActionPlan.sub_goals, EmploymentActionPlan.items, EmploymentActionPlan.outcomes)
        query = query.options(*(selectinload(part) for part in parts))
    return db.session.scalars(query.order_by(EmploymentActionPlan.start_date.desc(), EmploymentActionPlan.id.desc())).all()


def plan_with_case(case_number):
    """The agency's plan with this CaMS case number (scoped), or ``None``."""
    return db.session.scalar(select(EmploymentActionPlan).where(EmploymentActionPlan.case_number == case_number))


def parse_date(text, field, required=False):
    text = (text or "").strip()
    if not text:
        if required:
            raise InvalidEntry(field, lazy_gettext("Enter a date as YYYY-MM-DD."))
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidEntry(field, lazy_gettext("Enter a date as YYYY-MM-DD.")) from None


def choice(text, choices, field, default=None):
    value = (text or "").strip().lower().replace(" ", "_").replace("-", "_") or default
    if value not in choices:
        raise InvalidEntry(field, lazy_gettext("Choose one of: %(values)s.", values=", ".join(choices)))
    return value


def required_text(text, field, limit):
    value = (text or "").strip()
    if not value:
        raise InvalidEntry(field, lazy_gettext("This field is required."))
    return value[:limit]


def case_values(form):
    """The case details and goal of a form or CSV row (a dict of strings) as column values."""
    case = (form.get("case_number") or "").strip()
    return {
        "case_number": normal_cams(case) if case else None,
        "start_date": parse_date(form.get("start_date"), "start_date", required=True),
        "status": choice(form.get("status"), PLAN_STATUSES, "status", "active"),
        "caseworker": (form.get("caseworker") or "").strip()[:200],
        "employment_goal": required_text(form.get("employment_goal"), "employment_goal", 4000),
    }


def part_values(record, form):
    """A sub-goal's, item's or outcome's columns from a form or CSV row."""
    if record == "sub_goal":
        return {"description": required_text(form.get("description"), "description", 4000)}
    if record == "item":
        return {
            "description": required_text(form.get("description"), "description", 4000),
            "responsible": (form.get("responsible") or "").strip()[:200],
            "target_date": parse_date(form.get("target_date"), "target_date"),
            "status": choice(form.get("item_status"), ITEM_STATUSES, "item_status", "not_started"),
        }
    if record == "outcome":
        return {
            "kind": choice(form.get("outcome_type"), OUTCOME_TYPES, "outcome_type"),
            "outcome_date": parse_date(form.get("outcome_date"), "outcome_date", required=True),
            "employer": (form.get("employer") or "").strip()[:200],
            "notes": (form.get("notes") or "").strip()[:4000],
        }
    raise InvalidEntry("record", lazy_gettext("Choose one of: %(values)s.", values=", ".join(PARTS)))


def check_case_free(plan, case_number):
    """A CaMS case number names one plan of the agency."""
    other = plan_with_case(case_number) if case_number else None
    if other is not None and other is not plan:
        raise InvalidEntry("case_number", lazy_gettext("Another plan of your agency already has this CaMS case number."))


def save_plan(client, values, plan=None, source="staff"):
    """A new plan for ``client`` or ``plan`` updated; the caller commits."""
    check_case_free(plan, values["case_number"])
    if plan is None:
        plan = EmploymentActionPlan(client_id=client.id, agency_id=client.agency_id, source=source)
        db.session.add(plan)
    for name, value in values.items():
        setattr(plan, name, value)
    return plan


def add_part(plan, record, values):
    model = PARTS[record]
    row = model(agency_id=plan.agency_id, **values)
    if hasattr(model, "position"):
        row.position = len(getattr(plan, record_list(record)))
    getattr(plan, record_list(record)).append(row)
    return row


def record_list(record):
    return {"sub_goal": "sub_goals", "item": "items", "outcome": "outcomes"}[record]


def find_part(plan, entry):
    """The plan's part named ``"item-5"`` (record and id), or ``None``."""
    record, _, row_id = (entry or "").partition("-")
    if record not in PARTS or not (row_id.isascii() and row_id.isdecimal()):
        return None
    return next((row for row in getattr(plan, record_list(record)) if row.id == int(row_id)), None)


def has_eap(client):
    return db.session.scalar(select(EmploymentActionPlan.id).where(EmploymentActionPlan.client_id == client.id).limit(1))

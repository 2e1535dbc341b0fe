"""Tasks: for oneself, another staff member, or the client (the portal shows client tasks
later), linked to a client and optionally to a referral or a session.

``tasks_due(on_date)`` is what the "task due" reminders ask; the home page asks
``my_open_tasks`` and ``tasks_given_to_others``.
"""

from datetime import date

from flask_babel import lazy_gettext
from sqlalchemy import event, or_, select
from sqlalchemy.orm import Session

from extensions import db
from models.base import Timestamped, Versioned
from models.errors import InvalidEntry
from models.tenancy import AgencyOwned

ASSIGNEE_KINDS = {"staff": lazy_gettext("A staff member"), "client": lazy_gettext("The client")}
PRIORITIES = {"low": lazy_gettext("Low"), "normal": lazy_gettext("Normal"), "high": lazy_gettext("High")}
TASK_STATUSES = {
    "open": lazy_gettext("Open"),
    "in_progress": lazy_gettext("In progress"),
    "done": lazy_gettext("Done"),
    "cancelled": lazy_gettext("Cancelled"),
}
OPEN_TASK_STATUSES = ("open", "in_progress")


class Task(Versioned, AgencyOwned, Timestamped, db.Model):
    __tablename__ = "tasks"
    __table_args__ = (db.Index("ix_tasks_agency_due", "agency_id", "status", "due_date"),)
    portal_scope = "own"  # a signed-in client sees the tasks assigned to them (``portal_condition``)

    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    details = db.Column(db.Text, nullable=False, default="")
    assignee_kind = db.Column(db.Enum(*ASSIGNEE_KINDS, name="task_assignee", native_enum=False), nullable=False, default="staff")
    assigned_to_id = db.Column(db.Integer, db.ForeignKey("staff.id"), index=True)  # a staff member's task
    created_by_id = db.Column(db.Integer, db.ForeignKey("staff.id"), nullable=False, index=True)
    client_id = db.Column(db.Integer, db.ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    referral_id = db.Column(db.Integer, db.ForeignKey("referrals.id", ondelete="SET NULL"), index=True)
    session_id = db.Column(db.Integer, db.ForeignKey("service_sessions.id", ondelete="SET NULL"), index=True)
    due_date = db.Column(db.Date, nullable=False, default=date.today)
    priority = db.Column(db.Enum(*PRIORITIES, name="task_priority", native_enum=False), nullable=False, default="normal")
    status = db.Column(db.Enum(*TASK_STATUSES, name="task_status", native_enum=False), nullable=False, default="open")
    done_date = db.Column(db.Date)

    assigned_to = db.relationship("Staff", foreign_keys=[assigned_to_id])
    created_by = db.relationship("Staff", foreign_keys=[created_by_id])
    client = db.relationship("Client")
    referral = db.relationship("Referral")
    session = db.relationship("ServiceSession")

    def __str__(self):
        return self.title

    @classmethod
    def portal_condition(cls):
        return cls.assignee_kind == "client"

    @property
    def assignee_name(self):
        if self.assignee_kind == "client":
            return self.client.display_name if self.client else str(ASSIGNEE_KINDS["client"])
        return self.assigned_to.name if self.assigned_to else ""

    @property
    def priority_label(self):
        return str(PRIORITIES.get(self.priority, self.priority))

    @property
    def status_label(self):
        return str(TASK_STATUSES.get(self.status, self.status))

    @property
    def is_open(self):
        return self.status in OPEN_TASK_STATUSES

    def is_overdue(self, today=None):
        return self.is_open and self.due_date < (today or date.today())


def check_task(task):
    """The rules every saved task keeps (``InvalidEntry`` names the field); the done date follows the status."""
    if task.assignee_kind == "client" and not (task.client_id or task.client):
        raise InvalidEntry("client", lazy_gettext("A task for the client needs the client."))
    if task.assignee_kind == "staff" and not (task.assigned_to_id or task.assigned_to):
        raise InvalidEntry("assigned_to", lazy_gettext("Choose the staff member the task is for."))
    if task.status == "done" and task.done_date is None:
        task.done_date = date.today()
    if task.status != "done":
        task.done_date = None


@event.listens_for(Session, "before_flush")
def _check_tasks(session, flush_context, instances):
    """Whatever page writes a task, it keeps the rules (nothing half-saved)."""
    for obj in [*session.new, *session.dirty]:
        if isinstance(obj, Task):
            check_task(obj)


def tasks_due(on_date, since=None, assignee_kind=None):
    """Open tasks due by ``on_date`` (overdue included; not before ``since``), for the "task due"
    reminders; ``assignee_kind``: only staff's or clients' tasks."""
    query = select(Task).where(Task.status.in_(OPEN_TASK_STATUSES), Task.due_date <= on_date)
    if since is not None:
        query = query.where(Task.due_date >= since)
    if assignee_kind is not None:
        query = query.where(Task.assignee_kind == assignee_kind)
    return db.session.scalars(query.order_by(Task.due_date, Task.id)).all()


def my_open_tasks(staff, until):
    """``staff``'s open tasks due by ``until``, most urgent first."""
    query = select(Task).where(
        Task.assigned_to_id == staff.id, Task.assignee_kind == "staff", Task.status.in_(OPEN_TASK_STATUSES)
    )
    return db.session.scalars(query.where(Task.due_date <= until).order_by(Task.due_date, Task.id)).all()


def tasks_given_to_others(staff, limit=20):
    """Open tasks ``staff`` created for someone else (a colleague or a client)."""
    query = select(Task).where(
        Task.created_by_id == staff.id,
        Task.status.in_(OPEN_TASK_STATUSES),
        or_(Task.assignee_kind == "client", Task.assigned_to_id != staff.id),
    )
    return db.session.scalars(query.order_by(Task.due_date, Task.id).limit(limit)).all()


def tasks_of(client):
    query = select(Task).where(Task.client_id == client.id)
    return db.session.scalars(query.order_by(Task.status.in_(OPEN_TASK_STATUSES).desc(), Task.due_date)).all()

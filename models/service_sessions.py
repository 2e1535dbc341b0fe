"""Sessions: the when, where and who of services; clients are added, then forms per client."""

from datetime import date

from flask_babel import lazy_gettext
from sqlalchemy import and_, func, select
from sqlalchemy.orm import query_expression, validates

from extensions import db
from models.base import Timestamped, Versioned
from models.errors import InvalidEntry
from models.reference import value_label
from models.tenancy import AgencyOwned
from service_forms.session_types import DEFAULT_SESSION_TYPE, DELIVERY_LABELS, session_type, stored_session_type

TYPE_FIXED = lazy_gettext(
    "The session type cannot change once the session holds forms: remove its forms first, or begin a new session."
)

session_staff = db.Table(
    "session_staff",
    db.Column("session_id", db.Integer, db.ForeignKey("service_sessions.id", ondelete="CASCADE"), primary_key=True),
    db.Column("staff_id", db.Integer, db.ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True),
    db.Index("ix_session_staff_staff", "staff_id", "session_id"),  # the session grid's worker filter
)
session_funders = db.Table(
    "session_funders",
    db.Column("session_id", db.Integer, db.ForeignKey("service_sessions.id", ondelete="CASCADE"), primary_key=True),
    db.Column("funder_id", db.Integer, db.ForeignKey("funders.id", ondelete="CASCADE"), primary_key=True),
)


class GroupActivityName(Versioned, AgencyOwned, db.Model):
    """The agency's list of group activity names (e.g. "Newcomer women's circle")."""

    __tablename__ = "group_activity_names"
    __table_args__ = (db.UniqueConstraint("agency_id", "name"),)

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(200), nullable=False)
    is_active = db.Column(db.Boolean, nullable=False, default=True)

    def __str__(self):
        return self.name


def group_activity_names(active_only=False):
    """The agency's group activity names, by name."""
    query = db.select(GroupActivityName).order_by(GroupActivityName.name)
    return db.session.scalars(query.where(GroupActivityName.is_active.is_(True)) if active_only else query).all()


class ServiceSession(Versioned, AgencyOwned, Timestamped, db.Model):
    __tablename__ = "service_sessions"
    __table_args__ = (
        db.CheckConstraint("hours BETWEEN 0 AND 24 AND minutes BETWEEN 0 AND 59 AND hours + minutes > 0", name="service_time"),
        db.CheckConstraint(
            "(interpreter_present AND interpreters > 0) OR (NOT interpreter_present AND interpreters = 0)", name="interpreters"
        ),
        # the session grid's filters, newest first (date, then id: in index order), and the home page
        db.Index("ix_service_sessions_agency_date", "agency_id", "service_date", "id"),
        db.Index("ix_service_sessions_agency_site_date", "agency_id", "site_id", "service_date", "id"),
        db.Index("ix_service_sessions_agency_program_date", "agency_id", "program_id", "service_date", "id"),
        db.Index("ix_service_sessions_agency_lead_date", "agency_id", "lead_staff_id", "service_date", "id"),
        db.Index("ix_service_sessions_agency_creator_date", "agency_id", "created_by_id", "service_date", "id"),
        db.Index("ix_service_sessions_agency_type_date", "agency_id", "session_type", "service_date", "id"),
        # the home page's incomplete sessions (``models/caseload.my_incomplete_sessions``)
        *(
            db.Index(
                f"ix_service_sessions_incomplete_{name}",
                "agency_id",
                column,
                "service_date",
                "id",
                postgresql_where=db.text("is_counted IS false"),
                sqlite_where=db.text("is_counted IS 0"),
            )
            for name, column in (("lead", "lead_staff_id"), ("creator", "created_by_id"))
        ),
        # the reports' sessions: the complete ones of a range (``is_counted``, models/first_services.py)
        db.Index(
            "ix_service_sessions_counted_date",
            "agency_id",
            "service_date",
            postgresql_where=db.text("is_counted"),
            sqlite_where=db.text("is_counted"),
        ),
    )

    id = db.Column(db.Integer, primary_key=True)
    # A key of service_forms.session_types.SESSION_TYPES: a plain string, so a new type needs no migration.
    session_type = db.Column(db.String(40), nullable=False, default=DEFAULT_SESSION_TYPE, server_default=DEFAULT_SESSION_TYPE)
    service_date = db.Column(db.Date, nullable=False, default=date.today)
    site_id = db.Column(db.Integer, db.ForeignKey("sites.id"), nullable=False, index=True)
    program_id = db.Column(db.Integer, db.ForeignKey("programs.id"), index=True)
    delivery_method = db.Column(db.String(20), nullable=False, default="In Person")
    at_point_of_entry = db.Column(db.Boolean, nullable=False, default=False)
    interpreter_present = db.Column(db.Boolean, nullable=False, default=False)
    interpreters = db.Column(db.Integer, nullable=False, default=0)
    hours = db.Column(db.Integer, nullable=False, default=0)
    minutes = db.Column(db.Integer, nullable=False, default=0)
    languages = db.Column(db.JSON, nullable=False, default=list)
    notes = db.Column(db.Text)
    group_activity_id = db.Column(db.Integer, db.ForeignKey("group_activity_names.id"))
    course_session_id = db.Column(db.Integer, db.ForeignKey("service_sessions.id"), index=True)  # LT: the course's session
    lead_staff_id = db.Column(db.Integer, db.ForeignKey("staff.id"), nullable=False, index=True)
    created_by_id = db.Column(db.Integer, db.ForeignKey("staff.id"), nullable=False)

    site = db.relationship("Site")
    program = db.relationship("Program")
    group_activity = db.relationship(GroupActivityName)
    lead_staff = db.relationship("Staff", foreign_keys=[lead_staff_id])
    created_by = db.relationship("Staff", foreign_keys=[created_by_id])
    # by name, as the grid, the details and the export list them (the database keeps no order)
    staff = db.relationship("Staff", secondary=session_staff, order_by="(Staff.last_name, Staff.first_name, Staff.id)")
    funders = db.relationship("Funder", secondary=session_funders, order_by="(Funder.name, Funder.id)")
    course_session = db.relationship("ServiceSession", remote_side=[id])
    attendees = db.relationship(
        "SessionClient", back_populates="session", cascade="all, delete-orphan", order_by="SessionClient.id"
    )
    forms = db.relationship("ServiceForm", back_populates="session", cascade="all, delete-orphan", order_by="ServiceForm.id")
    # Stored ``models.completeness.is_complete_clause()``, kept by every flush that writes the
    # session, an attendee or a form (models/first_services.py): what reports count.
    is_counted = db.Column(db.Boolean, nullable=False, default=False, server_default=db.false())
    completeness = query_expression()  # a column of the grid and details page, shown from ``is_counted``
    attendee_count = query_expression()  # loaded by the grid: ``attendee_count_clause()``

    def __str__(self):
        return f"{self.type_label} on {self.service_date}"

    @validates("session_type")
    def _known_session_type(self, key, value):
        """Only a session type of the catalogue is stored (``UnknownSessionType`` otherwise), and
        a session holding forms keeps its type: its forms are those of that type."""
        if self.session_type is not None and value != self.session_type and self.type_is_fixed:
            raise InvalidEntry("session_type", TYPE_FIXED)
        return session_type(value).key

    @property
    def type_spec(self):
        """What this session's type offers and how it behaves (``SessionType``)."""
        return stored_session_type(self.session_type)

    @property
    def type_label(self):
        return self.type_spec.label

    @property
    def type_is_fixed(self):
        """Whether the type may no longer change: the session holds forms, those hidden from
        whoever is acting included (counted on the table itself, which no viewer rule narrows)."""
        if self.forms or self.id is None:
            return bool(self.forms)
        table = db.metadata.tables["service_forms"]
        query = select(func.count()).select_from(table).where(table.c.session_id == self.id)
        return bool(db.session.execute(query).scalar())

    @property
    def delivery_label(self):
        """The delivery method (stored in English) in the viewer's language."""
        return DELIVERY_LABELS.get(self.delivery_method, self.delivery_method)

    @property
    def language_labels(self):
        """The delivery languages (stored as iCARE names them) in the viewer's language."""
        return [value_label("languages", language) for language in self.languages or ()]

    @property
    def duration_label(self):
        return f"{self.hours} h {self.minutes:02d} min"


class SessionClient(AgencyOwned, db.Model):
    """A registered client taking part in a session (an attendee, for group activities)."""

    __tablename__ = "session_clients"
    __table_args__ = (db.UniqueConstraint("session_id", "client_id"),)

    id = db.Column(db.Integer, primary_key=True)
    session_id = db.Column(db.Integer, db.ForeignKey("service_sessions.id", ondelete="CASCADE"), nullable=False, index=True)
    client_id = db.Column(db.Integer, db.ForeignKey("clients.id"), nullable=False, index=True)

    session = db.relationship(ServiceSession, back_populates="attendees")
    client = db.relationship("Client")


def attendee_count_clause():
    """How many clients a session has, as a column of a select of sessions (the session grid's:
    a subquery of its statement, not a statement loading every attendee). Loader criteria do not
    reach a ``with_expression`` column, so the subquery names the session's agency itself (a
    session's attendees are all its agency's; this only says so)."""
    own = and_(SessionClient.session_id == ServiceSession.id, SessionClient.agency_id == ServiceSession.agency_id)
    return select(func.count(SessionClient.id)).where(own).scalar_subquery()

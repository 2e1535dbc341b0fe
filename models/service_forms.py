"""Service forms: one row per form, its answers kept as data described by ``service_forms``."""

from datetime import date

from flask_babel import gettext

from extensions import db
from models.base import Timestamped, Versioned, utcnow
from models.errors import InvalidEntry
from models.tenancy import AgencyOwned
from service_forms.catalogue import FORMS


class ServiceForm(Versioned, AgencyOwned, Timestamped, db.Model):
    """A form in a session: for one client, or for the session itself (``client_id`` empty)."""

    __tablename__ = "service_forms"
    __table_args__ = (
        db.Index(
            "uq_service_forms_client_kind",
            "session_id",
            "client_id",
            "kind",
            unique=True,
            sqlite_where=db.text("client_id IS NOT NULL"),
            postgresql_where=db.text("client_id IS NOT NULL"),
        ),
        db.Index(
            "uq_service_forms_session_kind",
            "session_id",
            "kind",
            unique=True,
            sqlite_where=db.text("client_id IS NULL"),
            postgresql_where=db.text("client_id IS NULL"),
        ),
        db.Index("ix_service_forms_agency_kind", "agency_id", "kind"),
        # the form grid, newest first, and its filters
        db.Index("ix_service_forms_agency_newest", "agency_id", "id"),
        db.Index("ix_service_forms_agency_author_id", "agency_id", "author_id", "id"),
        db.Index("ix_service_forms_agency_program_id", "agency_id", "program_id", "id"),
        db.Index("ix_service_forms_agency_complete_id", "agency_id", "is_complete", "id"),
    )

    id = db.Column(db.Integer, primary_key=True)
    session_id = db.Column(db.Integer, db.ForeignKey("service_sessions.id", ondelete="CASCADE"), nullable=False, index=True)
    client_id = db.Column(db.Integer, db.ForeignKey("clients.id"), index=True)
    kind = db.Column(db.String(40), nullable=False)
    program_id = db.Column(db.Integer, db.ForeignKey("programs.id"), index=True)
    is_private = db.Column(db.Boolean, nullable=False, default=False)
    author_id = db.Column(db.Integer, db.ForeignKey("staff.id"), nullable=False, index=True)
    data = db.Column(db.JSON, nullable=False, default=dict)
    is_complete = db.Column(db.Boolean, nullable=False, default=False)
    completed_at = db.Column(db.DateTime)

    session = db.relationship("ServiceSession", back_populates="forms")
    client = db.relationship("Client")
    program = db.relationship("Program")
    author = db.relationship("Staff")

    @property
    def spec(self):
        return FORMS[self.kind]

    @property
    def label(self):
        return self.spec.label

    def missing(self, questions=()):
        """Labels of the required fields (and required agency questions) still empty."""
        data = self.data or {}
        unanswered = [q.label for q in questions if q.is_required and data.get(q.key) in (None, "", [])]
        return self.spec.missing(data) + unanswered

    def save_answers(self, answers, questions=()):
        """Replace the answers and derive completeness from them (the only way forms are written).
        Answers to fields their condition no longer asks are dropped, not kept out of sight; an
        end date before its start is refused (``InvalidEntry``, nothing changed)."""
        data = self.spec.asked(dict(answers)) if self.kind in FORMS else dict(answers)
        if self.kind in FORMS:
            refuse_end_before_start(self.spec, data)
        self.data = data
        complete = not self.missing(questions)
        if complete and not self.is_complete:
            self.completed_at = utcnow()
        self.is_complete = complete
        if not complete:
            self.completed_at = None


def answer_date(value):
    """A date answer (an ISO string or a date), or ``None`` when empty or not a date."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def refuse_end_before_start(spec, data):
    """``InvalidEntry`` on the end field of the first of ``spec``'s date pairs
    (``FormSpec.date_pairs``) whose end is before its start in ``data``."""
    for start, end in spec.date_pairs():
        begins, ends = answer_date(data.get(start)), answer_date(data.get(end))
        if begins and ends and ends < begins:
            raise InvalidEntry(
                end, gettext("The end date cannot be before the start date (%(start)s).", start=begins.isoformat())
            )

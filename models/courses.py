"""Language courses: a name, level(s), instructor and schedule of their own, opened by the
session that holds the course's Training Open form; its classes are sessions pointing at that
session (``ServiceSession.course_session_id``). Pages show the course by its name, never by
a session's note."""

import re
from datetime import date

from flask_babel import gettext
from sqlalchemy import event
from sqlalchemy.orm import Session

from extensions import db
from models.base import Timestamped, Versioned
from models.errors import InvalidEntry
from models.service_forms import ServiceForm
from models.tenancy import AgencyOwned
from service_forms.session_types import course_opening_kinds

DEFAULT_NAME = re.compile(r"Course from (\d{4}-\d{2}-\d{2})")  # ``default_course_name``'s, read back


class Course(Versioned, AgencyOwned, Timestamped, db.Model):
    __tablename__ = "courses"

    id = db.Column(db.Integer, primary_key=True)
    session_id = db.Column(
        db.Integer, db.ForeignKey("service_sessions.id", ondelete="CASCADE"), nullable=False, unique=True, index=True
    )
    name = db.Column(db.String(200), nullable=False)
    levels = db.Column(db.String(100), nullable=False, default="")
    instructor_id = db.Column(db.Integer, db.ForeignKey("staff.id"), index=True)
    schedule = db.Column(db.String(300), nullable=False, default="")
    start_date = db.Column(db.Date)
    end_date = db.Column(db.Date)

    session = db.relationship("ServiceSession", backref=db.backref("course", uselist=False, cascade="all, delete-orphan"))
    instructor = db.relationship("Staff")

    def __str__(self):
        return f"{self.shown_name} ({self.levels})" if self.levels else self.shown_name

    @property
    def has_default_name(self):
        return DEFAULT_NAME.fullmatch(self.name or "") is not None

    @property
    def shown_name(self):
        """The name as typed; the generated one (no course code given) in the viewer's language,
        read from the name itself (a list of courses loads no session for it)."""
        generated = DEFAULT_NAME.fullmatch(self.name or "")
        return gettext("Course from %(date)s", date=generated.group(1)) if generated else self.name

    @property
    def has_ended(self):
        return self.end_date is not None and self.end_date < date.today()

    def set_details(self, name, levels, instructor_id, schedule, start_date, end_date):
        """The course's own details, checked together (``InvalidEntry`` on the field)."""
        name = (name or "").strip()
        if self.has_default_name and name == self.shown_name:
            name = self.name  # the generated name shown back unchanged stays the generated one
        if not name:
            raise InvalidEntry("name", gettext("Give the course a name."))
        if start_date and end_date and end_date < start_date:
            raise InvalidEntry("end_date", gettext("The course cannot end before it starts."))
        self.name, self.levels, self.schedule = name, (levels or "").strip(), (schedule or "").strip()
        self.instructor_id, self.start_date, self.end_date = instructor_id, start_date, end_date


def course_of(session):
    """The course a session opened or is a class of, or ``None``."""
    opener = session.course_session if session.course_session_id else session
    return opener.course if opener is not None else None


def default_course_name(session, course_code=None):
    """The name a course opened without a course code is stored with: always this one English,
    ISO-dated text, whoever opens it (a marker, not a reading): ``Course.shown_name`` shows it
    in the viewer's language, and a course code typed later replaces it."""
    return course_code or f"Course from {session.service_date.isoformat()}"


def _opening_form(obj):
    return isinstance(obj, ServiceForm) and obj.kind in course_opening_kinds() and obj.client is None


def _course_code(form):
    return ((form.data or {}).get("course_cd") or "").strip()[:200] or None


@event.listens_for(Session, "before_flush", insert=True)
def _open_courses(db_session, flush_context, instances):
    """A session given its course's opening form opens a course (named by the form's course code,
    else its date); while the course keeps that default name, a course code typed later names it.
    Runs before the tenancy hook, which stamps the new course with the agency."""
    with db_session.no_autoflush:
        for form in [obj for obj in (*db_session.new, *db_session.dirty) if _opening_form(obj)]:
            session = form.session
            if session is None:
                continue
            code = _course_code(form)
            if session.course is None:
                session.course = Course(
                    agency_id=form.agency_id or session.agency_id,
                    name=default_course_name(session, code),
                    instructor_id=session.lead_staff_id,
                    start_date=session.service_date,
                    levels="",
                    schedule="",
                )
            elif code and session.course.name == default_course_name(session):
                session.course.name = code

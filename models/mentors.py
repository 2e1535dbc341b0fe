"""Mentors and tutors: the agency's directory, and the matches the Mentor/Tutor Match and
Update service forms record with them.

A match is one Mentor/Tutor Match form (``MentorMatch.form_id``), an update one Mentor/Tutor
Update form (``MentorUpdate.form_id``); what they say stays in the form's answers, so the
program and Private rules of the form (``models/visibility.py``) decide who sees them. Every
query here joins the form: a match or update on a form the viewer may not open is not listed.
"""

import json
from datetime import date, timedelta

from flask_babel import gettext, lazy_gettext
from sqlalchemy import String, cast, func, or_, select

from extensions import db
from models.agencies import Agency
from models.base import Timestamped, Versioned
from models.errors import InvalidEntry
from models.service_forms import ServiceForm
from models.tenancy import AgencyOwned
from service_forms.labels import option_label

MENTOR_KINDS = {"volunteer": lazy_gettext("Volunteer"), "staff": lazy_gettext("Staff member")}
AVAILABILITY = {
    "weekday_days": lazy_gettext("Weekdays, daytime"),
    "weekday_evenings": lazy_gettext("Weekday evenings"),
    "weekends": lazy_gettext("Weekends"),
    "online": lazy_gettext("Online"),
}
ONGOING = "Ongoing"  # the Update form's match statuses: Ongoing, Completed, Ended early
DEFAULT_UPDATE_WEEKS = 4


class Mentor(Versioned, AgencyOwned, Timestamped, db.Model):
    """A volunteer or staff mentor or tutor in the agency's directory."""

    __tablename__ = "mentors"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(200), nullable=False)
    kind = db.Column(db.Enum(*MENTOR_KINDS, name="mentor_kind", native_enum=False), nullable=False, default="volunteer")
    staff_id = db.Column(db.Integer, db.ForeignKey("staff.id"), index=True)
    email = db.Column(db.String(254), nullable=False, default="")
    phone = db.Column(db.String(30), nullable=False, default="")
    skills = db.Column(db.String(500), nullable=False, default="")  # comma-separated
    languages = db.Column(db.JSON, nullable=False, default=list)  # values of the reference "languages" list
    availability = db.Column(db.JSON, nullable=False, default=list)  # keys of AVAILABILITY
    areas = db.Column(db.String(500), nullable=False, default="")
    screened_on = db.Column(db.Date)  # screening / background check
    screening_expires_on = db.Column(db.Date)
    is_active = db.Column(db.Boolean, nullable=False, default=True)
    notes = db.Column(db.Text, nullable=False, default="")

    staff = db.relationship("Staff")

    def __str__(self):
        return self.name

    def refusal(self, on=None):
        """Why this mentor cannot be matched on ``on`` (default today), or ``None``."""
        on = on or date.today()
        if not self.is_active:
            return gettext("%(name)s is not active in the directory.", name=self.name)
        if self.screened_on is None:
            return gettext("%(name)s has no screening (background check) on record.", name=self.name)
        if self.screening_expires_on is not None and self.screening_expires_on < on:
            return gettext(
                "%(name)s's screening expired on %(day)s: record a new one first.",
                name=self.name,
                day=self.screening_expires_on.isoformat(),
            )
        return None

    def check_matchable(self, on=None):
        problem = self.refusal(on)
        if problem:
            raise InvalidEntry("mentor_id", problem)

    def check(self):
        """The directory's own rules (raised as ``InvalidEntry``)."""
        if self.staff_id is None and self.kind == "staff":
            raise InvalidEntry("staff", gettext("Choose the staff member this mentor is."))
        if self.screened_on and self.screening_expires_on and self.screening_expires_on < self.screened_on:
            raise InvalidEntry("screening_expires_on", gettext("The screening cannot expire before it was done."))


class MentorMatch(AgencyOwned, Timestamped, db.Model):
    """A client matched with a mentor, recorded by one Mentor/Tutor Match form."""

    __tablename__ = "mentor_matches"

    id = db.Column(db.Integer, primary_key=True)
    mentor_id = db.Column(db.Integer, db.ForeignKey("mentors.id"), nullable=False, index=True)
    client_id = db.Column(db.Integer, db.ForeignKey("clients.id", ondelete="CASCADE"), nullable=False, index=True)
    form_id = db.Column(db.Integer, db.ForeignKey("service_forms.id", ondelete="CASCADE"), nullable=False, unique=True)
    started_on = db.Column(db.Date, nullable=False)
    status = db.Column(db.String(20), nullable=False, default=ONGOING)

    mentor = db.relationship(Mentor)
    client = db.relationship("Client")
    form = db.relationship(ServiceForm)

    @property
    def label(self):
        return f"{self.mentor.name}, {self.started_on.isoformat()}"

    @property
    def status_label(self):
        """The status (stored as the Update form's English option) as that form shows it."""
        return option_label(self.status)


class MentorUpdate(AgencyOwned, db.Model):
    """One Mentor/Tutor Update form recorded against a match."""

    __tablename__ = "mentor_updates"

    id = db.Column(db.Integer, primary_key=True)
    match_id = db.Column(db.Integer, db.ForeignKey("mentor_matches.id", ondelete="CASCADE"), nullable=False, index=True)
    form_id = db.Column(db.Integer, db.ForeignKey("service_forms.id", ondelete="CASCADE"), nullable=False, unique=True)
    updated_on = db.Column(db.Date, nullable=False)

    match = db.relationship(MentorMatch)
    form = db.relationship(ServiceForm)


def visible_matches():
    """Matches whose Match form the viewer may open (the form's rules apply through the join)."""
    return select(MentorMatch).join(MentorMatch.form).order_by(MentorMatch.started_on.desc(), MentorMatch.id.desc())


def matches_of_mentor(mentor):
    return db.session.scalars(visible_matches().where(MentorMatch.mentor_id == mentor.id)).all()


def matches_of_client(client_id):
    return db.session.scalars(visible_matches().where(MentorMatch.client_id == client_id)).all()


def active_matches():
    return db.session.scalars(visible_matches().where(MentorMatch.status == ONGOING)).all()


def match_of_form(form_id):
    return db.session.scalar(select(MentorMatch).where(MentorMatch.form_id == form_id))


def update_of_form(form_id):
    return db.session.scalar(select(MentorUpdate).where(MentorUpdate.form_id == form_id))


def update_weeks():
    """The agency's "no update for N weeks" setting."""
    return db.session.scalar(select(Agency.mentor_update_weeks)) or DEFAULT_UPDATE_WEEKS


def last_updates():
    """Per match, the date of its latest update the viewer may open."""
    return (
        select(MentorUpdate.match_id, func.max(MentorUpdate.updated_on).label("last_on"))
        .join(MentorUpdate.form)
        .group_by(MentorUpdate.match_id)
        .subquery()
    )


def stale_matches(weeks=None, today=None):
    """Ongoing matches with no update (nor a start) in the last ``weeks`` weeks, oldest first,
    as ``(match, last update date or None)``."""
    cutoff = (today or date.today()) - timedelta(weeks=weeks or update_weeks())
    last = last_updates()
    query = (
        visible_matches()
        .add_columns(last.c.last_on)
        .outerjoin(last, last.c.match_id == MentorMatch.id)
        .where(MentorMatch.status == ONGOING, MentorMatch.started_on < cutoff)
        .where(or_(last.c.last_on.is_(None), last.c.last_on < cutoff))
        .order_by(None)
        .order_by(func.coalesce(last.c.last_on, MentorMatch.started_on), MentorMatch.id)
    )
    return db.session.execute(query).all()


def json_contains(column, value):
    """A JSON list column holding ``value`` (the same test on SQLite and PostgreSQL)."""
    return cast(column, String).like(f"%{escape_like(json.dumps(value))}%", escape="\\")


def available_mentors(skill="", language="", availability="", today=None):
    """Active mentors with a current screening, filtered by skill (part of the text), language
    and availability; by name."""
    today = today or date.today()
    query = select(Mentor).where(
        Mentor.is_active.is_(True),
        Mentor.screened_on.isnot(None),
        or_(Mentor.screening_expires_on.is_(None), Mentor.screening_expires_on >= today),
    )
    if skill.strip():
        query = query.where(func.lower(Mentor.skills).like(f"%{escape_like(skill.strip().lower())}%", escape="\\"))
    if language:
        query = query.where(json_contains(Mentor.languages, language))
    if availability:
        query = query.where(json_contains(Mentor.availability, availability))
    return db.session.scalars(query.order_by(Mentor.name)).all()


def escape_like(text):
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def mentor_choices():
    """Every mentor of the directory, those who cannot be matched named with the reason's gist
    (the page refuses them with the whole reason)."""
    rows = db.session.scalars(select(Mentor).order_by(Mentor.name)).all()
    return [(str(m.id), m.name if m.refusal() is None else f"{m.name} ({gettext('not available')})") for m in rows]


def answer_date(form, name):
    """A date answer of ``form``, else its session's date."""
    value = (form.data or {}).get(name)
    try:
        return date.fromisoformat(value) if isinstance(value, str) else form.session.service_date
    except ValueError:
        return form.session.service_date


def mentor_of_answer(value):
    """The directory's mentor a form's answer names (scoped: another agency's id finds none)."""
    if not str(value or "").isdecimal():
        return None
    return db.session.scalar(select(Mentor).where(Mentor.id == int(value)))


def refuse_mentor(form, value):
    """Stop a Match form from naming a mentor who cannot be matched (``InvalidEntry`` on
    ``mentor_id``); the mentor it already names may stay (a screening that expired since)."""
    mentor = mentor_of_answer(value)
    if mentor is None:
        return
    linked = match_of_form(form.id) if form.id else None
    if linked is None or linked.mentor_id != mentor.id:
        mentor.check_matchable(answer_date(form, "match_start_dt"))


def record_match(form):
    """Keep the form's match in step with its answers (call after ``save_answers``): the mentor
    it names, the client and the start date. A form whose mentor is emptied keeps its match."""
    mentor = mentor_of_answer((form.data or {}).get("mentor_id"))
    if mentor is None or form.client_id is None:
        return None
    match = match_of_form(form.id) if form.id else None
    if match is None:
        match = MentorMatch(form=form, client_id=form.client_id, agency_id=form.agency_id)
        db.session.add(match)
    match.mentor, match.started_on = mentor, answer_date(form, "match_start_dt")
    return match


def record_update(form, match):
    """Record ``form`` (a Mentor/Tutor Update) against ``match``, a match of the same client;
    the match takes the update's status."""
    if match.client_id != form.client_id:
        raise InvalidEntry("match_id", gettext("Choose a match of this client."))
    update = update_of_form(form.id) if form.id else None
    if update is None:
        update = MentorUpdate(form=form, agency_id=form.agency_id)
        db.session.add(update)
    update.match, update.updated_on = match, answer_date(form, "start_dt")
    status = (form.data or {}).get("match_status")
    if status:
        match.status = status
    return update

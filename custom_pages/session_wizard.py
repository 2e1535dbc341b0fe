"""The session wizard: the session's when, where and who, with OCMS's defaults and rules."""

from datetime import date

from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import HiddenField, IntegerField, RadioField, SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional, ValidationError

from admin_views.locking import VersionFields
from custom_pages.client_forms import past_date
from custom_pages.lookup_fields import LookupSelectField, LookupSelectMultipleField, kept_staff
from extensions import db
from models.agencies import Funder, funders, programs, sites
from models.lookups import course_label
from models.reference import choices
from models.service_sessions import TYPE_FIXED, group_activity_names
from models.staff import Staff
from service_forms.labels import is_french
from service_forms.session_types import (
    DEFAULT_SESSION_TYPE,
    DELIVERY_LABELS,
    SESSION_TYPES,
    session_type_choices,
    stored_session_type,
)
from validation import DateField

YES_NO = [("no", lazy_gettext("No")), ("yes", lazy_gettext("Yes"))]


class SessionForm(VersionFields, FlaskForm):
    session_type = SelectField(lazy_gettext("Session type"), default=DEFAULT_SESSION_TYPE, validate_choice=False)
    service_date = DateField(
        lazy_gettext("Service date"),
        default=date.today,
        validators=[DataRequired(message=lazy_gettext("Enter the service date.")), past_date],
    )
    site_id = SelectField(lazy_gettext("Site"), validators=[DataRequired(message=lazy_gettext("Choose the site."))])
    program_id = SelectField(lazy_gettext("Program"), default="")
    delivery_method = SelectField(lazy_gettext("Delivery method"), choices=list(DELIVERY_LABELS.items()), default="In Person")
    at_point_of_entry = RadioField(lazy_gettext("Delivered at point of entry"), choices=YES_NO, default="no")
    interpreter_present = RadioField(lazy_gettext("Interpreter present"), choices=YES_NO, default="no")
    interpreters = IntegerField(
        lazy_gettext("Number of interpreters"), default=0, validators=[InputRequired(), NumberRange(min=0, max=20)]
    )
    hours = IntegerField(
        lazy_gettext("Hours"), validators=[Optional(), NumberRange(min=0, max=24, message=lazy_gettext("Hours are 0 to 24."))]
    )
    minutes = IntegerField(
        lazy_gettext("Minutes"), validators=[Optional(), NumberRange(min=0, max=59, message=lazy_gettext("Minutes are 0 to 59."))]
    )
    languages = SelectMultipleField(
        lazy_gettext("Delivery languages"), validators=[DataRequired(message=lazy_gettext("Choose at least one language."))]
    )
    lead_staff_id = LookupSelectField(
        lazy_gettext("Lead staff"), validators=[DataRequired(message=lazy_gettext("Choose the lead staff."))]
    )
    staff_ids = LookupSelectMultipleField(lazy_gettext("Other staff involved"))
    funder_ids = SelectMultipleField(
        lazy_gettext("Funded by"), validators=[DataRequired(message=lazy_gettext("Choose at least one funder."))]
    )
    group_activity_id = SelectField(lazy_gettext("Group activity"), default="")
    course_session_id = LookupSelectField(lazy_gettext("Course"), default="", kind="courses")
    notes = TextAreaField(lazy_gettext("Notes"))
    client_id = HiddenField()
    kept_type = None  # the edited session's own type, when the catalogue no longer offers it
    fixed_type = None  # the edited session's type, when it holds forms (it may not change)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.session_type.choices = session_type_choices()
        self.site_id.choices = [(str(s.id), s.name) for s in sites(active_only=True)]
        self.program_id.choices = [("", "")] + [(str(p.id), p.name) for p in programs(active_only=True)]
        self.languages.choices = choices("languages")
        self.funder_ids.choices = [(str(f.id), str(f)) for f in funders()]
        self.group_activity_id.choices = [("", "")] + [(str(g.id), g.name) for g in group_activity_names(active_only=True)]
        self.course_session_id.blank = [("", gettext("This session opens a new course"))]

    @staticmethod
    def group_types():
        return [key for key, spec in SESSION_TYPES.items() if spec.is_group]

    @staticmethod
    def course_types():
        return [key for key, spec in SESSION_TYPES.items() if spec.needs_course]

    def prefill_defaults(self):
        """OCMS defaults: Direct Service, the staff member's site, program and funder, In Person, No, No;
        delivered in the language of the interface (French for a staff member working in French)."""
        self.site_id.data = str(current_user.default_site_id or "")
        first_program = current_user.programs[0].id if current_user.programs else ""
        self.program_id.data = str(current_user.default_program_id or first_program)  # My account's defaults first
        self.funder_ids.data = [str(current_user.default_funder_id)] if current_user.default_funder_id else []
        self.lead_staff_id.data = str(current_user.id)
        self.languages.data = ["French" if is_french() else "English"]  # the language the staff member works in

    def validate_interpreters(self, field):
        present = self.interpreter_present.data == "yes"
        if present and not field.data:
            raise ValidationError(gettext("Give the number of interpreters."))
        if not present and field.data:
            raise ValidationError(gettext("Set interpreters to 0, or answer Yes to an interpreter being present."))

    def validate(self, extra_validators=None):
        """Every field's own checks, then the duration: empty at first, and not 0 h 0 min."""
        valid = super().validate(extra_validators)
        if not self.hours.errors and not self.minutes.errors and not self.hours.data and not self.minutes.data:
            self.minutes.errors = [
                *self.minutes.errors,
                gettext("Enter the time the service took (hours and minutes cannot both be 0)."),
            ]
            return False
        return valid

    def validate_session_type(self, field):
        if field.data not in SESSION_TYPES and field.data != self.kept_type:
            raise ValidationError(gettext("Choose a session type from the list."))
        if self.fixed_type and field.data != self.fixed_type:
            raise ValidationError(str(TYPE_FIXED))

    def validate_group_activity_id(self, field):
        if stored_session_type(self.session_type.data).is_group and not field.data:
            raise ValidationError(gettext("Choose the group activity."))

    def keep_current(self, session):
        """Offer the session's own site, program, staff and activity even if inactive now, so
        editing the notes never silently swaps them for the first active choice."""
        current = {self.site_id: [session.site], self.program_id: [session.program]}
        current[self.group_activity_id] = [session.group_activity]
        self.keep_people_and_course(session)
        for field, rows in current.items():
            known = {value for value, _ in field.choices}
            field.choices += [
                (str(row.id), gettext("%(name)s (inactive)", name=row))
                for row in rows
                if row is not None and str(row.id) not in known
            ]
        if session.type_is_fixed:
            self.fixed_type = session.session_type
            self.session_type.choices = [c for c in self.session_type.choices if c[0] == session.session_type]
        if session.session_type not in SESSION_TYPES:  # no longer offered: it may stay, not be chosen anew
            self.kept_type = session.session_type
            self.session_type.choices.append((session.session_type, session.type_label))

    def keep_people_and_course(self, session):
        """The look-up fields accept the session's own lead, staff and course whatever the
        look-ups offer now (inactive staff, an ended course, a course's session hidden from me)."""
        self.lead_staff_id.keep(kept_staff([session.lead_staff]))
        self.staff_ids.keep(kept_staff(session.staff))
        if session.course_session_id:
            course = session.course_session.course if session.course_session is not None else None
            label = course_label(course) if course is not None else gettext("A course you may not see")
            self.course_session_id.keep([(session.course_session_id, label)])

    def load(self, session):
        self.process(obj=session)
        self.stamp(session)
        for name in ("site_id", "program_id", "lead_staff_id", "group_activity_id", "course_session_id"):
            getattr(self, name).data = str(getattr(session, name) or "")
        self.at_point_of_entry.data = "yes" if session.at_point_of_entry else "no"
        self.interpreter_present.data = "yes" if session.interpreter_present else "no"
        self.staff_ids.data = [str(s.id) for s in session.staff]
        self.funder_ids.data = [str(f.id) for f in session.funders]

    def fill(self, session):
        """Copy onto the session (ids come from scoped choice lists, so they are this agency's)."""
        if self.session_type.data != session.session_type:  # an unchanged retired type is not re-validated
            session.session_type = self.session_type.data
        for name in ("service_date", "delivery_method", "interpreters", "notes"):
            setattr(session, name, getattr(self, name).data)
        session.hours, session.minutes = self.hours.data or 0, self.minutes.data or 0
        for name in ("site_id", "program_id", "lead_staff_id", "group_activity_id", "course_session_id"):
            value = getattr(self, name).data
            setattr(session, name, int(value) if value else None)
        if not session.type_spec.is_group:
            session.group_activity_id = None
        if not session.type_spec.needs_course:
            session.course_session_id = None
        session.at_point_of_entry = self.at_point_of_entry.data == "yes"
        session.interpreter_present = self.interpreter_present.data == "yes"
        session.languages = list(self.languages.data)
        session.staff = rows_by_id(Staff, self.staff_ids.data)
        session.funders = rows_by_id(Funder, self.funder_ids.data)


def rows_by_id(model, ids):
    """Rows of this agency with these ids (the tenant scope drops any other agency's)."""
    ids = {int(i) for i in ids}
    return db.session.scalars(select(model).where(model.id.in_(ids))).all() if ids else []

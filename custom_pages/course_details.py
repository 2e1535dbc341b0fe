"""A language course's own details (name, level(s), instructor, schedule, dates), edited from
any of its class sessions."""

from flask import abort, flash, redirect, url_for
from flask_admin import expose
from flask_babel import gettext, lazy_gettext
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Optional

from admin_views.locking import VersionFields, flash_stale, form_labels
from custom_pages.lookup_fields import LookupSelectField, kept_staff
from extensions import db
from models.courses import course_of
from models.errors import InvalidEntry, StaleRecord
from models.record_history import check_version, refusing_stale
from models.visibility import require_change
from validation import DateField


class CourseForm(VersionFields, FlaskForm):
    name = StringField(
        lazy_gettext("Course name"), validators=[DataRequired(message=lazy_gettext("Give the course a name.")), Length(max=200)]
    )
    levels = StringField(lazy_gettext("Level(s)"), validators=[Length(max=100)], description=lazy_gettext("For example CLB 3-4."))
    instructor_id = LookupSelectField(lazy_gettext("Instructor"), default="", kind="staff", blank=[("", "")])
    schedule = StringField(
        lazy_gettext("Schedule"), validators=[Length(max=300)], description=lazy_gettext("For example Mon and Wed, 6-8 pm.")
    )
    start_date = DateField(lazy_gettext("Start date"), validators=[Optional()])
    end_date = DateField(
        lazy_gettext("End date"),
        validators=[Optional()],
        description=lazy_gettext("An ended course is no longer offered for new classes."),
    )

    def load(self, course):
        self.process(obj=course)
        self.name.data = course.shown_name
        self.instructor_id.data = str(course.instructor_id or "")
        self.stamp(course)

    def keep_current(self, course):
        self.instructor_id.keep(kept_staff([course.instructor]))

    def fill(self, course):
        instructor = int(self.instructor_id.data) if self.instructor_id.data else None
        data = self.data
        course.set_details(data["name"], data["levels"], instructor, data["schedule"], data["start_date"], data["end_date"])


class CourseDetailsMixin:
    def _course_row(self, session_id):
        """The course of this session (it opened it or is one of its classes), or 404."""
        course = course_of(self.get_one(session_id))
        if course is None or course.session is None:
            abort(404)
        return course

    @expose("/<int:session_id>/course/", methods=("GET", "POST"))
    def course_details(self, session_id):
        course = self._course_row(session_id)
        form = CourseForm()
        form.keep_current(course)
        if not form.is_submitted():
            form.load(course)
        elif form.validate():
            try:
                self._save_course(course, form)
            except StaleRecord as stale:
                flash_stale(stale, form_labels(form))
                form.stamp(course)
            except InvalidEntry as refused:
                db.session.rollback()
                form[refused.field].errors = [*form[refused.field].errors, gettext(refused.message)]
            else:
                flash(gettext("Course details saved."), "success")
                return redirect(url_for(".attendance_register", session_id=session_id))
        return self.render("admin/sessions/course.html", course=course, form=form, session_id=session_id)

    def _save_course(self, course, form):
        require_change(course.session)
        loaded = form.loaded()
        check_version(course, loaded)
        form.fill(course)
        with refusing_stale([course], loaded.seen):
            db.session.commit()

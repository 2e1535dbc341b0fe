"""The attendance register of a language course (every class date, ticked at once)."""

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext, lazy_gettext
from wtforms import IntegerField
from wtforms.validators import DataRequired, NumberRange

from admin_views.locking import flash_stale
from custom_pages.attendee_panel import check_panel, client_names, panel_stamp, seen_sent
from custom_pages.client_forms import NoCsrfForm, past_date
from extensions import db
from i18n import local_date
from models.courses import course_of
from models.errors import StaleRecord
from models.record_history import refusing_stale
from models.service_sessions import ServiceSession, SessionClient
from models.session_records import course_classes, enrolled_clients, hidden_form_exists, questions_for
from models.visibility import may_change
from service_forms.catalogue import form_kind
from validation import DateField


def course_opening_form(session):
    """This session's form that opened its course, if it opened one."""
    course = session.type_spec.course
    return next((f for f in session.forms if course and f.kind == course.opened_by), None)


def attendance_spec(course):
    """The form the attendance register writes, for the course opened by session ``course``."""
    return form_kind(course.type_spec.course.attendance)


class ClassDateForm(NoCsrfForm):
    class_date = DateField(
        lazy_gettext("Class date"), validators=[DataRequired(message=lazy_gettext("Enter the class date.")), past_date]
    )
    hours = IntegerField(
        lazy_gettext("Hours"),
        default=2,
        validators=[NumberRange(min=1, max=12, message=lazy_gettext("Hours are 1 to 12."))],
        render_kw={"min": 1, "max": 12},
    )


class GroupAndCourseMixin:
    def _course(self, session_id):
        """The session that opened the course of this session (it holds the form that opens it), or 404."""
        course = course_of(self.get_one(session_id))  # the course's own session, or any of its classes
        if course is None or course.session is None or course_opening_form(course.session) is None:
            abort(404)
        return course.session

    @expose("/<int:session_id>/register/", methods=("GET", "POST"))
    def attendance_register(self, session_id):
        """Enrolled clients by class dates; tick many at once."""
        course = self._course(session_id)
        classes, enrolled, spec = course_classes(course), enrolled_clients(course), attendance_spec(course)
        ticked = {(s.id, c.id) for s in classes for c in enrolled if f"att-{s.id}-{c.id}" in request.form}
        if request.method == "POST":
            try:
                self._save_register(spec, classes, enrolled, ticked)
            except StaleRecord as stale:
                flash_stale(stale, {f"data.{spec.attendance_field}": gettext("Attended")}, client_names(enrolled))
                return self._register_page(course, classes, enrolled, ticked)  # the ticks as sent
            flash(gettext("Attendance saved."), "success")
            return redirect(url_for(".attendance_register", session_id=course.id))
        return self._register_page(course, classes, enrolled, self._present(course, classes))

    def _present(self, course, classes):
        """``(class session id, client id)`` of every attendance recorded as present."""
        spec = attendance_spec(course)
        return {
            (f.session_id, f.client_id)
            for s in classes
            for f in s.forms
            if f.kind == spec.kind and (f.data or {}).get(spec.attendance_field) == "Yes"
        }

    def _register_forms(self, classes, enrolled, spec):
        """The attendance forms the register writes (those I can see), as they are now."""
        students = {client.id for client in enrolled}
        return [f for s in classes for f in s.forms if f.kind == spec.kind and f.client_id in students]

    def _save_register(self, spec, classes, enrolled, ticked):
        """Every class's attendance in one transaction, refused if any form changed since loaded."""
        forms = self._register_forms(classes, enrolled, spec)
        check_panel(forms)
        with refusing_stale(forms, seen_sent()):
            for session in classes:
                for client in enrolled:
                    self._mark(spec, session, client, (session.id, client.id) in ticked)
            db.session.commit()

    def _register_page(self, course, classes, enrolled, present, date_form=None):
        stamp = panel_stamp(self._register_forms(classes, enrolled, attendance_spec(course)))
        return self.render(
            "admin/sessions/register.html",
            course=course,
            classes=classes,
            enrolled=enrolled,
            present=present,
            date_form=date_form or ClassDateForm(formdata=None),
            course_form=course_opening_form(course),
            details=course.course,
            **stamp,
        )

    def _mark(self, spec, session, client, attended):
        """Write one class's attendance form (``spec``) for one student (created only when present)."""
        row = next((f for f in session.forms if f.client_id == client.id and f.kind == spec.kind), None)
        if row is None and not attended:
            return
        if row is None and hidden_form_exists(session, spec.kind, client.id) or row is not None and not may_change(row):
            return  # a form hidden from me, or open only through break-glass: left as it is
        if not may_change(session):
            return  # a class seen only through break-glass
        if not any(a.client_id == client.id for a in session.attendees):
            session.attendees.append(SessionClient(client_id=client.id, client=client))
        row = row or self._new_form(session, spec.kind, client)
        answers = {
            **(row.data or {}),
            "class_dt": session.service_date.isoformat(),
            spec.attendance_field: "Yes" if attended else "No",
        }
        answers.pop("hours", None)
        if attended and session.hours:
            answers["hours"] = session.hours  # hours only for those present
        row.save_answers(answers, questions_for(spec.kind))

    @expose("/<int:session_id>/register/dates/", methods=("POST",))
    def add_class_date(self, session_id):
        """A new class of the course: a language-training session copying the course's details."""
        course = self._course(session_id)
        form = ClassDateForm()
        if not form.validate():  # the register again, the date and hours as typed, the errors on them
            classes, enrolled = course_classes(course), enrolled_clients(course)
            return self._register_page(course, classes, enrolled, self._present(course, classes), form)
        fields = ("session_type", "site_id", "program_id", "delivery_method", "lead_staff_id", "created_by_id", "languages")
        session = ServiceSession(
            **{name: getattr(course, name) for name in fields},
            service_date=form.class_date.data,
            hours=form.hours.data,
            minutes=0,
            course_session_id=course.id,
        )
        session.staff, session.funders = list(course.staff), list(course.funders)
        db.session.add(session)
        db.session.commit()
        flash(gettext("Class of %(date)s added.", date=local_date(form.class_date.data)), "success")
        return redirect(url_for(".attendance_register", session_id=course.id))

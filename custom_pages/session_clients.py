"""The edit-session page's Clients and Forms: add registered clients (or a quick ad-hoc
attendee), add forms to each client, open and save a form, remove either (after a
confirmation page saying what will be lost)."""

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length

from admin_views.base import is_id
from admin_views.locking import flash_stale, form_labels
from custom_pages import mentor_forms
from custom_pages.client_forms import NoCsrfForm
from custom_pages.form_builder import answer_kinds, answers_from, build_form, load_answers, show_refusal
from custom_pages.form_files import follow_form, form_files_context, has_live_files
from extensions import db
from models.agencies import programs as agency_programs
from models.audit import record_event
from models.clients import Client, record_activity
from models.courses import course_of
from models.errors import InvalidEntry, StaleRecord
from models.icare_uploads import last_sent
from models.plan_monitoring import plan_answers
from models.quick_attendees import clients_named
from models.record_history import check_version, refusing_stale
from models.reference import choices
from models.referrals import unrecorded_needs
from models.service_forms import ServiceForm
from models.service_sessions import SessionClient
from models.session_records import course_form, hidden_form_exists, questions_for
from models.visibility import (
    current_viewer,
    may_change,
    may_restrict,
    refuse,
    require_change,
    require_restrict,
    undeletable_forms,
)
from service_forms.catalogue import FORMS, form_kind
from service_forms.defaults import prefilled


class AdHocAttendeeForm(NoCsrfForm):
    first_name = StringField(lazy_gettext("First name"), validators=[DataRequired(), Length(max=100)])
    last_name = StringField(lazy_gettext("Last name"), validators=[DataRequired(), Length(max=100)])
    gender = SelectField(lazy_gettext("Gender"), validators=[InputRequired(message=lazy_gettext("Choose a gender."))])


def form_refusal(session, kind, client_id):
    """Why this form cannot be added here, or ``None``."""
    spec, offered = FORMS.get(kind), session.type_spec
    if spec is None or not offered.offers_form(spec, for_client=bool(client_id)):
        return gettext("That form is not offered for this session type.")
    existing = [f for f in session.forms if f.kind == kind and f.client_id == (client_id or None)]
    if existing:
        if client_id:
            return gettext("This client already has the %(form)s form: open it instead.", form=spec.label)
        return gettext("This session already has the %(form)s form: open it instead.", form=spec.label)
    if hidden_form_exists(session, kind, client_id):
        if client_id:
            return gettext("This client already has the %(form)s form, of another program or private.", form=spec.label)
        return gettext("This session already has the %(form)s form, of another program or private.", form=spec.label)
    if offered.needs_course_first(spec) and course_form(session) is None:
        return gettext("Open the course first: add the Training Open form, or choose the course in the session details.")
    return None


def saved_message(row):
    if row.is_complete:
        return gettext("%(form)s saved: complete.", form=row.label)
    return gettext("%(form)s saved: still incomplete.", form=row.label)


def service_form_labels(form):
    """Names of a form's fields as the audit trail keys them (answers under ``data.``)."""
    return {**form_labels(form, prefix="data."), **form_labels(form), "data": gettext("Answers")}


class SessionClientsMixin:
    def _session_client(self, session, client_id):
        attendee = next((a for a in session.attendees if a.client_id == client_id), None)
        if attendee is None:
            abort(404)
        return attendee

    def _back(self, session):
        return redirect(url_for(".edit_view", id=session.id) + "#clients-and-forms")

    @expose("/<int:session_id>/clients/", methods=("POST",))
    def add_client(self, session_id):
        session = self.get_one(session_id)
        client_id = request.form.get("client_id", "")
        client = db.session.scalar(select(Client).where(Client.id == int(client_id))) if is_id(client_id) else None
        if client is None:
            abort(404)
        if any(a.client_id == client.id for a in session.attendees):
            flash(gettext("%(name)s is already in this session.", name=client.display_name), "warning")
            return self._back(session)
        self._add_attendee(session, client)
        try:
            db.session.commit()
        except IntegrityError:  # a double click: the first one added the client
            db.session.rollback()
            flash(gettext("%(name)s is already in this session.", name=client.display_name), "warning")
            return self._back(session)
        flash(gettext("%(name)s added.", name=client.display_name), "success")
        return self._back(session)

    def _add_attendee(self, session, client):
        session.attendees.append(SessionClient(client_id=client.id, client=client))
        record_activity(client, current_user, "served")
        for kind in session.type_spec.default_forms:  # OCMS: an I&O form for direct services, removable
            self._new_form(session, kind, client)
        attendee_form = session.type_spec.attendee_form()
        if attendee_form is not None and not any(f.client is client and f.kind == attendee_form.kind for f in session.forms):
            self._new_form(session, attendee_form.kind, client)  # a group attendee's form, at once

    def _new_form(self, session, kind, client=None):
        spec = form_kind(kind)
        form = ServiceForm(kind=kind, client=client, author_id=current_user.id, program_id=session.program_id)
        answers = {**prefilled(spec, session, client, course_form(session)), **plan_answers(spec, client)}  # plan shared: Yes
        form.save_answers(answers, questions_for(kind))
        session.forms.append(form)
        return form

    @expose("/<int:session_id>/ad-hoc/", methods=("POST",))
    def add_ad_hoc(self, session_id):
        """A quick attendee with minimal details, flagged so the profile is completed later. A
        client already registered under that name is offered first: adding them is one click,
        a new client is made only when the person says it is someone else."""
        session = self.get_one(session_id)
        form = AdHocAttendeeForm()
        form.gender.choices = [("", "")] + choices("genders")
        if not session.type_spec.is_group:
            flash(gettext("Quick attendees are for group activities."), "error")
            return self._back(session)
        if not form.validate():
            flash(gettext("Give the attendee's first name, last name and gender."), "error")
            return self._back(session)
        first, last = form.first_name.data.strip(), form.last_name.data.strip()
        matches = [] if request.form.get("confirm_new") else clients_named(first, last)
        if matches:
            present = {a.client_id for a in session.attendees}
            return self.render("admin/sessions/ad_hoc_matches.html", session=session, form=form, matches=matches, present=present)
        client = Client(
            kind="named",
            first_name=first,
            last_name=last,
            gender=form.gender.data,
            registration_site_id=session.site_id,
            needs_profile=True,
            created_by_id=current_user.id,
        )
        db.session.add(client)
        self._add_attendee(session, client)
        db.session.commit()
        flash(gettext("%(name)s added; complete their profile later.", name=client.display_name), "success")
        return self._back(session)

    @expose("/<int:session_id>/clients/<int:client_id>/remove/", methods=("GET", "POST"))
    def remove_client(self, session_id, client_id):
        """Asks first (GET: what will be lost), removes on POST."""
        session = self.get_one(session_id)
        attendee = self._session_client(session, client_id)
        hidden = undeletable_forms(session, current_viewer(), client_id)
        if hidden:
            flash(
                gettext(
                    "This client has %(count)s form(s) here that you may not remove (of another program, private, or "
                    "not yours). Ask their author or a coordinator to remove them first.",
                    count=hidden,
                ),
                "error",
            )
            return self._back(session)
        if request.method == "GET":
            lost = [f for f in session.forms if f.client_id == client_id]
            return self.render(
                "admin/sessions/confirm_remove.html", session=session, client=attendee.client, forms=lost, row=None
            )
        session.forms = [f for f in session.forms if f.client_id != client_id]
        session.attendees.remove(attendee)
        db.session.commit()
        flash(gettext("Client and their forms removed from the session."), "success")
        return self._back(session)

    @expose("/<int:session_id>/forms/", methods=("POST",))
    def add_form(self, session_id):
        session = self.get_one(session_id)
        kind, client_id = request.form.get("kind", ""), request.form.get("client_id", type=int)
        client = self._session_client(session, client_id).client if client_id else None
        refusal = form_refusal(session, kind, client_id)
        if refusal:
            flash(refusal, "error")
            return self._back(session)
        form = self._new_form(session, kind, client)
        try:
            db.session.commit()
        except IntegrityError:  # a second click raced the first
            db.session.rollback()
            flash(gettext("That form was just added: open it instead."), "error")
            return self._back(session)
        return redirect(url_for(".service_form", session_id=session.id, form_id=form.id))

    def _form(self, session, form_id):
        form = next((f for f in session.forms if f.id == form_id), None)
        if form is None:
            refuse(ServiceForm, form_id, ServiceForm.session_id == session.id)
        if request.method == "POST":
            require_change(form)  # seen through break-glass: read-only
        return form

    @expose("/<int:session_id>/forms/<int:form_id>/", methods=("GET", "POST"))
    def service_form(self, session_id, form_id):
        session = self.get_one(session_id)
        row = self._form(session, form_id)
        questions = questions_for(row.kind)
        programs = [(str(p.id), p.name) for p in agency_programs()]
        formdata = request.form if request.method == "POST" else None
        form = build_form(row.spec, questions, programs, formdata=formdata, extra=mentor_forms.extra_fields(row))
        mentor_forms.prepare(row, form)
        if request.method == "GET":
            load_answers(form, row.data or {}, answer_kinds(row.spec, questions))
            form.program_id.data, form.is_private.data = str(row.program_id or ""), row.is_private
            form.stamp(row)
            record_event("view", "service_form", row.id, row.client_id, detail=row.label)
            db.session.commit()
        elif form.validate() and mentor_forms.accepts(row, form):
            try:
                self._save_form(row, form, questions)
            except StaleRecord as stale:
                flash_stale(stale, service_form_labels(form))
                form.stamp(row)  # the typed answers stay; saving again is the person's choice
            except InvalidEntry as refused:  # an end date before its start: nothing saved, the answers stay
                db.session.rollback()
                show_refusal(form, refused)
            else:
                flash(saved_message(row), "success")
                if row.client_id and unrecorded_needs(row):  # the Needs Assessment shortcut (referrals)
                    flash(gettext("This Needs Assessment says a referral was made: record it below in one step."), "info")
                    return redirect(url_for("clients.dashboard", client_id=row.client_id, tab="referrals"))
                return self._back(session)
        return self.render(
            "admin/sessions/service_form.html",
            session=session,
            row=row,
            form=form,
            questions=questions,
            missing=row.missing(questions),
            can_change=may_change(row),
            can_restrict=may_restrict(row),
            icare_sent=last_sent(row.id),
            legacy_mentor=mentor_forms.legacy_name(row),
            **form_files_context(row),
            course=course_of(session),
        )

    def _save_form(self, row, form, questions):
        """Save the answers in one transaction, refused if the form changed since it was loaded."""
        loaded = form.loaded()
        check_version(row, loaded)
        legacy = mentor_forms.legacy_name(row)
        row.save_answers(answers_from(form, answer_kinds(row.spec, questions)), questions)
        mentor_forms.link(row, form, legacy)  # the mentor match or update, in the same transaction
        if may_restrict(row) and "program_id" in request.form:  # as notes and files: only when the page sent them
            row.program_id = int(form.program_id.data) if form.program_id.data else None
            row.is_private = form.is_private.data
            follow_form(row)  # its files: seen as the form is
        with refusing_stale([row], loaded.seen):
            db.session.commit()

    @expose("/<int:session_id>/forms/<int:form_id>/remove/", methods=("GET", "POST"))
    def remove_form(self, session_id, form_id):
        """Asks first (GET: what will be lost), removes on POST."""
        session = self.get_one(session_id)
        row = self._form(session, form_id)
        require_restrict(row)
        if has_live_files(row):
            flash(gettext("This form has files: delete them first (they are listed on the form)."), "error")
            return redirect(url_for(".service_form", session_id=session.id, form_id=row.id))
        if request.method == "GET":
            return self.render("admin/sessions/confirm_remove.html", session=session, client=row.client, forms=[row], row=row)
        session.forms.remove(row)
        db.session.commit()
        flash(gettext("Form removed."), "success")
        return self._back(session)

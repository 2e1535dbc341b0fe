"""The session grid (/admin/sessions/), the session wizard (its create page) and the
edit-session page with its Clients and Forms table; the form grid (/admin/service-forms/)."""

from flask import flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.contrib.sqla.filters import BooleanEqualFilter, FilterEqual
from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import exists, or_, select
from sqlalchemy.orm import contains_eager, with_expression
from wtforms.validators import ValidationError

from admin_views import session_exports
from admin_views.answer_filter import AnswerFilter
from admin_views.base import ProjectModelView, ReadOnlyMixin, per_request, row_url
from admin_views.clients import IdFilter, site_options, staff_options
from admin_views.date_filters import DateRangeFilter
from admin_views.grid_exports import NO, YES, text_of
from admin_views.locking import flash_stale, form_labels
from custom_pages.attendee_panel import AttendeePanelMixin
from custom_pages.course_details import CourseDetailsMixin
from custom_pages.form_files import FormFilesMixin
from custom_pages.group_and_course import GroupAndCourseMixin
from custom_pages.session_clients import SessionClientsMixin, form_refusal
from custom_pages.session_wizard import SessionForm
from extensions import db
from models.agencies import programs
from models.clients import Client
from models.completeness import counted_clause, session_is_complete
from models.courses import course_of
from models.errors import InvalidEntry, StaleRecord
from models.find_client import find_clients
from models.record_history import check_version, refusing_stale
from models.service_forms import ServiceForm
from models.service_sessions import ServiceSession, attendee_count_clause, session_staff
from models.session_records import course_form, hidden_forms, question_labels, yes_no_question_keys
from models.visibility import current_viewer, may_restrict, require_change, undeletable_forms
from service_forms.catalogue import FORMS, form_kind, form_kind_choices
from service_forms.session_types import session_type_choices

SESSION_NOT_YOURS = lazy_gettext(
    "Only the session's lead, its creator, their coordinator or an agency admin can move it to another program "
    "or give it another lead. Nothing was saved."
)


def program_options():
    return [(str(p.id), p.name) for p in programs()]


class WorkerFilter(IdFilter):
    """Sessions a staff member led or took part in."""

    def apply(self, query, value, alias=None):
        staff_id = int(value)
        involved = exists().where(session_staff.c.session_id == ServiceSession.id, session_staff.c.staff_id == staff_id)
        return query.filter(or_(ServiceSession.lead_staff_id == staff_id, involved))


class SessionSiteFilter(IdFilter):
    """Forms of sessions at a site (through the relationship: the grid already joins sessions)."""

    def apply(self, query, value, alias=None):
        return query.filter(ServiceForm.session.has(ServiceSession.site_id == int(value)))


class SessionDateFilter(DateRangeFilter):
    def apply(self, query, value, alias=None):
        start, end = value
        return query.filter(ServiceForm.session.has(ServiceSession.service_date.between(start, end)))


class CompletenessFilter(BooleanEqualFilter):
    """Complete or incomplete sessions, by the one definition as stored (``counted_clause``: the
    indexed flag reports count, kept equal to ``is_complete_clause()`` by every write)."""

    def get_options(self, view):
        return [("1", gettext("Complete")), ("0", gettext("Incomplete"))]

    def apply(self, query, value, alias=None):
        clause = counted_clause()
        return query.filter(clause if value else ~clause)  # clean() made "1"/"0" a bool


def session_link(view, context, model, name):
    return Markup('<a href="{}" class="text-nowrap">{}</a>').format(row_url(".edit_view", {"id": model.id}), model.service_date)


def type_label(view, context, model, name):
    return model.type_label


def client_count(view, context, model, name):
    return model.attendee_count if model.attendee_count is not None else len(model.attendees)


def completeness_label(view, context, model, name):
    """Text, with the colour only repeating it. The stored completeness (``is_counted``, what
    reports count), not the completeness subqueries in every page's statement."""
    label, css = (gettext("Complete"), "success") if model.is_counted else (gettext("Incomplete"), "warning")
    return Markup('<span class="badge badge-{}">{}</span>').format(css, label)


def restricted_forms(session):
    """The forms of this session the viewer may not open, per client (``None``: the session's
    own), as (id, kind label) pairs: their existence shows, their content never loads."""
    hidden = {}
    for form_id, client_id, kind in hidden_forms(session):
        hidden.setdefault(client_id, []).append((form_id, form_kind(kind).label))
    return hidden


class ServiceSessionView(
    AttendeePanelMixin, CourseDetailsMixin, GroupAndCourseMixin, SessionClientsMixin, FormFilesMixin, ProjectModelView
):
    """Sessions: a worker records their own; coordinators and admins see and fix everyone's."""

    def on_model_delete(self, model):
        """Deleting a session deletes its forms: refuse while it holds forms the person deleting
        cannot see (they would go without being seen or audited); break-glass is read-only."""
        require_change(model)
        blocking = undeletable_forms(model, current_viewer())
        if blocking:
            raise ValidationError(
                gettext(
                    "This session holds %(count)s form(s) you may not delete (of another program, private, or not "
                    "yours). Ask their author or a coordinator to remove them before the session can be deleted.",
                    count=blocking,
                )
            )
        if not may_restrict(model):
            raise ValidationError(
                gettext("Only the session's lead, its creator, their coordinator or an agency admin can delete it.")
            )

    create_label = lazy_gettext("Begin a session")  # the grid's create page is the wizard
    column_list = ("service_date", "session_type", "site", "program", "lead_staff", "clients", "duration_label", "completeness")
    column_labels = {
        "service_date": lazy_gettext("Date"),
        "session_type": lazy_gettext("Type"),
        "lead_staff": lazy_gettext("Lead staff"),
        "duration_label": lazy_gettext("Time"),
        "completeness": lazy_gettext("Completeness"),
    }
    column_formatters = {
        "service_date": session_link,
        "session_type": type_label,
        "clients": client_count,
        "completeness": completeness_label,
    }
    column_filters = (
        WorkerFilter(ServiceSession.id, lazy_gettext("Worker"), options=per_request(staff_options)),
        IdFilter(ServiceSession.site_id, lazy_gettext("Site"), options=per_request(site_options)),
        IdFilter(ServiceSession.program_id, lazy_gettext("Program"), options=per_request(program_options)),
        FilterEqual(ServiceSession.session_type, lazy_gettext("Type"), options=session_type_choices),
        DateRangeFilter(ServiceSession.service_date, lazy_gettext("Date")),
        CompletenessFilter(ServiceSession.id, lazy_gettext("Complete")),
    )
    column_formatters_detail = {
        **column_formatters,
        "delivery_method": session_exports.delivery_label,
        "languages": session_exports.language_labels,
    }
    column_details_exclude_list = ("attendee_count",)  # the grid's Clients column
    column_sortable_list = ("service_date", "session_type")
    column_default_sort = [("service_date", True), ("id", True)]
    column_export_list = session_exports.SESSION_EXPORT_LIST
    column_export_labels = session_exports.SESSION_EXPORT_LABELS
    column_formatters_export = session_exports.SESSION_EXPORT_FORMATTERS
    column_export_loads = session_exports.SESSION_EXPORT_LOADS

    def export_facts(self, rows):
        return session_exports.session_facts(rows)

    def get_query(self):
        """With each row's number of clients worked out in the same statement."""
        return super().get_query().options(with_expression(ServiceSession.attendee_count, attendee_count_clause()))

    @expose("/new/", methods=("GET", "POST"))
    def create_view(self):
        """The session wizard; ``?client_id=`` pre-fills the client (from the profile or dashboard)."""
        form = SessionForm()
        client = self._prefill_client(form)
        if request.method == "GET":
            form.prefill_defaults()
        elif form.validate_on_submit():
            session = ServiceSession(created_by_id=current_user.id)
            form.fill(session)
            db.session.add(session)
            if client is not None:
                self._add_attendee(session, client)
            db.session.commit()
            flash(gettext("Session saved. Now add clients and their forms."), "success")
            return redirect(url_for(".edit_view", id=session.id) + "#clients-and-forms")
        return self.render("admin/sessions/wizard.html", form=form, client=client, session=None)

    def _prefill_client(self, form):
        client_id = request.values.get("client_id", type=int)
        if not client_id:
            return None
        client = db.session.scalar(select(Client).where(Client.id == client_id))
        form.client_id.data = str(client.id) if client else ""
        return client

    @expose("/edit/", methods=("GET", "POST"))
    def edit_view(self):
        session = self.get_one(request.args.get("id"))
        form = SessionForm()
        form.keep_current(session)
        if request.method == "GET":
            form.load(session)
        elif form.validate_on_submit() and self._may_move(session, form):
            try:
                self._save_session(session, form)
            except StaleRecord as stale:
                flash_stale(stale, session_labels(form))
                form.stamp(session)  # the typed details stay on the page
            except InvalidEntry as refused:
                db.session.rollback()
                form[refused.field].errors = [*form[refused.field].errors, str(refused.message)]
            else:
                flash(gettext("Session details saved."), "success")
                return redirect(url_for(".edit_view", id=session.id))
        return self.render("admin/sessions/edit.html", form=form, session=session, **self._table(session))

    def _may_move(self, session, form):
        """Only the session's owner side moves it to another program or gives it another lead
        (the write guard refuses it anyway): say so on the fields, keeping what was typed."""
        moved = {
            form.program_id: form.program_id.data != str(session.program_id or ""),
            form.lead_staff_id: form.lead_staff_id.data != str(session.lead_staff_id or ""),
        }
        if not any(moved.values()) or may_restrict(session):
            return True
        for field in (field for field, changed in moved.items() if changed):
            field.errors = [*field.errors, str(SESSION_NOT_YOURS)]
        return False

    def _save_session(self, session, form):
        """Save in one transaction, refused if the session changed since the page was loaded."""
        loaded = form.loaded()
        check_version(session, loaded)
        form.fill(session)
        with refusing_stale([session], loaded.seen):
            db.session.commit()

    def _table(self, session):
        """What the Clients and Forms table needs: forms per client and what can still be added."""
        forms_by_client = {a.client_id: [f for f in session.forms if f.client_id == a.client_id] for a in session.attendees}
        offered = session.type_spec
        offer = {
            a.client_id: [s for s in offered.forms() if not form_refusal(session, s.kind, a.client_id)] for a in session.attendees
        }
        session_forms = [f for f in session.forms if f.client_id is None]
        session_offer = [s for s in offered.forms("session") if not form_refusal(session, s.kind, None)]
        complete = session_is_complete(session.id)
        course = course_form(session)
        return {
            "forms_by_client": forms_by_client,
            "offer": offer,
            "session_forms": session_forms,
            "session_offer": session_offer,
            "complete": complete,
            "found": self._found_clients(session),
            "course_session_id": course.session_id if course else None,
            "course": course_of(session),
            "restricted": restricted_forms(session),
        }

    def _found_clients(self, session):
        query = request.args.get("find", "").strip()
        if not query:
            return None
        present = {a.client_id for a in session.attendees}
        return [c for c in find_clients(query) if c.id not in present]


def session_labels(form):
    """The session form's labels as the audit trail keys the session's fields."""
    labels = form_labels(form)
    return {**labels, "staff": labels["staff_ids"], "funders": labels["funder_ids"]}


def form_kind_label(view, context, model, name):
    return form_kind(model.kind).label


def form_link(view, context, model, name):
    url = row_url("sessions.service_form", {"session_id": model.session_id, "form_id": model.id})
    return Markup('<a href="{}">{}</a>').format(url, form_kind(model.kind).label)


def question_answers(view, context, model, name):
    """The form's answers to agency questions, as "question: answer" pairs (for exports)."""
    labels = question_labels()
    answers = [(labels[key], shown_answer(key, value)) for key, value in (model.data or {}).items() if key in labels]
    return "; ".join(f"{label}: {value}" for label, value in answers)


def shown_answer(key, value):
    """An agency question's answer as read: Yes/No in the viewer's language, choices as typed."""
    if value in ("Yes", "No") and key in yes_no_question_keys():
        return text_of(YES if value == "Yes" else NO)
    return ", ".join(value) if isinstance(value, list) else value


def form_status(view, context, model, name):
    return gettext("Complete") if model.is_complete else gettext("Incomplete")


class ServiceFormView(ReadOnlyMixin, ProjectModelView):
    """Every form, to find incomplete work and export it."""

    column_list = ("session.service_date", "kind", "client", "author", "program", "is_private", "is_complete")
    column_labels = {
        "session.service_date": lazy_gettext("Date"),
        "kind": lazy_gettext("Form"),
        "is_private": lazy_gettext("Private"),
        "is_complete": lazy_gettext("Complete"),
    }
    can_view_details = False  # the form itself opens from the Form column
    column_formatters = {"kind": form_link}
    column_formatters_export = {
        "kind": form_kind_label,
        "is_complete": form_status,
        "answers": question_answers,
        "session_type": session_exports.form_session_type,
    }
    column_export_list = (*column_list[:1], "session_type", "session.site", *column_list[1:], "answers")
    column_export_labels = session_exports.FORM_EXPORT_LABELS
    column_export_loads = session_exports.FORM_EXPORT_LOADS
    column_filters = (
        FilterEqual(ServiceForm.kind, lazy_gettext("Form"), options=form_kind_choices),
        IdFilter(ServiceForm.author_id, lazy_gettext("Worker"), options=per_request(staff_options)),
        IdFilter(ServiceForm.program_id, lazy_gettext("Program"), options=per_request(program_options)),
        SessionSiteFilter(ServiceForm.session_id, lazy_gettext("Site"), options=per_request(site_options)),
        BooleanEqualFilter(ServiceForm.is_complete, lazy_gettext("Complete")),
        SessionDateFilter(ServiceForm.session_id, lazy_gettext("Date")),
        AnswerFilter(ServiceForm.data, lazy_gettext("Agency question"), targets=FORMS),
    )

    def _get_default_order(self):
        """Newest service first (the grid already joins each form's session), then newest session
        and form: sessions come in the order of ``ix_service_sessions_agency_date``, so a page
        reads its sessions' forms instead of sorting every form of the newest day."""
        yield ServiceSession.service_date, [], True
        yield ServiceSession.id, [], True
        yield ServiceForm.id, [], True

    column_sortable_list = ("session.service_date", "kind", "is_private", "is_complete")

    def _apply_sorting(self, query, joins, sort_column, sort_desc):
        """By Date: the session ``get_query`` already joins (Flask-Admin would join it again),
        then session and form, as the default order (``tie_break``)."""
        if sort_column != "session.service_date":
            return super()._apply_sorting(query, joins, sort_column, sort_desc)
        return query.order_by(*self.tie_break(sort_desc)), joins

    query_joined_loads = ("session",)

    def get_query(self):
        """Each row's session (its date is listed) from the same join, not one query per row."""
        return super().get_query().join(ServiceForm.session).options(contains_eager(ServiceForm.session))

"""What the session and form grids export: readable columns (names, not ids; the session's
staff, clients and funders; completeness; the duration in minutes; its forms, those the
viewer may not open as "Restricted") and the per-batch facts they need (one query each)."""

from flask_babel import lazy_gettext
from sqlalchemy.orm import defaultload, selectinload

from admin_views.grid_exports import NO, RESTRICTED, YES, text_of
from models.completeness import complete_session_ids
from models.service_forms import ServiceForm
from models.service_sessions import ServiceSession, SessionClient
from models.session_records import hidden_form_kinds
from service_forms.catalogue import form_kind

COMPLETE, INCOMPLETE = lazy_gettext("Complete"), lazy_gettext("Incomplete")

SESSION_EXPORT_LIST = (
    "service_date",
    "session_type",
    "site",
    "program",
    "lead_staff",
    "staff",
    "clients",
    "client_count",
    "funders",
    "delivery_method",
    "languages",
    "at_point_of_entry",
    "interpreter_present",
    "interpreters",
    "group_activity",
    "duration_minutes",
    "complete",
    "forms",
)
SESSION_EXPORT_LABELS = {
    "staff": lazy_gettext("Staff involved"),
    "clients": lazy_gettext("Clients"),
    "client_count": lazy_gettext("Number of clients"),
    "funders": lazy_gettext("Funders"),
    "delivery_method": lazy_gettext("Delivery method"),
    "languages": lazy_gettext("Delivery languages"),
    "at_point_of_entry": lazy_gettext("At point of entry"),
    "interpreter_present": lazy_gettext("Interpreter present"),
    "interpreters": lazy_gettext("Interpreters"),
    "group_activity": lazy_gettext("Group activity"),
    "duration_minutes": lazy_gettext("Duration (minutes)"),
    "complete": lazy_gettext("Complete"),
    "forms": lazy_gettext("Forms"),
}
SESSION_EXPORT_LOADS = (
    selectinload(ServiceSession.attendees).selectinload(SessionClient.client),
    selectinload(ServiceSession.forms).load_only(ServiceForm.kind, ServiceForm.is_complete, ServiceForm.client_id),
)


def session_facts(sessions):
    """One batch's completeness and hidden forms, a query each."""
    ids = [session.id for session in sessions]
    return {"complete": complete_session_ids(ids), "hidden": hidden_form_kinds(ids)}


def names(items):
    return "; ".join(str(item) for item in items)


def type_label(view, context, model, name):
    return model.type_label


def staff_names(view, context, model, name):
    return names(model.staff)


def delivery_label(view, context, model, name):
    return model.delivery_label


def language_labels(view, context, model, name):
    return names(model.language_labels)


def client_names(view, context, model, name):
    return names(attendee.client for attendee in model.attendees)


def client_count(view, context, model, name):
    return len(model.attendees)


def funder_names(view, context, model, name):
    return names(model.funders)


def duration_minutes(view, context, model, name):
    return model.hours * 60 + model.minutes


def completeness(view, context, model, name):
    return text_of(YES if model.id in context["complete"] else NO)


def form_list(view, context, model, name):
    """The session's forms with their state; those the viewer may not open only by kind."""
    seen = [f"{form_kind(form.kind).label} ({text_of(COMPLETE if form.is_complete else INCOMPLETE)})" for form in model.forms]
    hidden = [f"{form_kind(kind).label} ({text_of(RESTRICTED)})" for kind in context["hidden"].get(model.id, ())]
    return names([*seen, *hidden])


SESSION_EXPORT_FORMATTERS = {
    "session_type": type_label,
    "staff": staff_names,
    "clients": client_names,
    "client_count": client_count,
    "funders": funder_names,
    "delivery_method": delivery_label,
    "languages": language_labels,
    "duration_minutes": duration_minutes,
    "complete": completeness,
    "forms": form_list,
}


def form_session_type(view, context, model, name):
    return model.session.type_label


FORM_EXPORT_LOADS = (defaultload(ServiceForm.session).selectinload(ServiceSession.site),)  # the grid joins the session
FORM_EXPORT_LABELS = {"session.site": lazy_gettext("Site"), "session_type": lazy_gettext("Session type")}

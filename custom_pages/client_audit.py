"""The client dashboard's "Who viewed or changed" tab: the audit rows about the client, with
fields named by their labels (not their column names) and repeated views of the same tab by the
same person collapsed into one line."""

from dataclasses import dataclass, field
from functools import lru_cache

from flask_babel import force_locale, gettext, lazy_gettext

from admin_views.labels import COMMON_LABELS
from models.client_profile import PROFILE
from models.client_records import audit_rows, hidden_records
from service_forms.catalogue import FORMS

# Columns of the records about a client that are not profile fields, as people call them.
COLUMN_LABELS = {
    "body": lazy_gettext("Text"),
    "is_private": lazy_gettext("Private"),
    "program_id": lazy_gettext("Program"),
    "author_id": lazy_gettext("Author"),
    "client_id": lazy_gettext("Client"),
    "session_id": lazy_gettext("Session"),
    "deleted_at": lazy_gettext("Deleted"),
    "original_name": lazy_gettext("File name"),
    "is_archived": lazy_gettext("Archived"),
    "answers": lazy_gettext("Agency questions"),
    "is_complete": lazy_gettext("Complete"),
    "data": lazy_gettext("Answers"),
    "id": lazy_gettext("Id"),
    "content_type": lazy_gettext("File type"),
    "size": lazy_gettext("Size"),
    "stored_name": lazy_gettext("Stored file name"),
    "uploaded_at": lazy_gettext("Uploaded at"),
    "uploaded_by_id": lazy_gettext("Uploaded by"),
    "is_shared_with_client": lazy_gettext("Shared with the client"),
    "form_id": lazy_gettext("Form"),
    "next_follow_up_date": lazy_gettext("Next follow-up"),
    "next_review_date": lazy_gettext("Next review"),
    "shared_date": lazy_gettext("Shared with the client on"),
    "is_done": lazy_gettext("Done"),
    "done_date": lazy_gettext("Done on"),
    "referring_staff_id": lazy_gettext("Referred by"),
    "follow_up_date": lazy_gettext("Follow-up date"),
    "closed_date": lazy_gettext("Closed on"),
    "achieved_date": lazy_gettext("Achieved on"),
    "responsible_staff_id": lazy_gettext("Responsible staff member"),
    "assigned_to_id": lazy_gettext("Assigned to"),
    "created_by_id": lazy_gettext("Created by"),
    "worker_id": lazy_gettext("Worker"),
}
DASHBOARD_VIEW = "dashboard: "  # a dashboard view's stored detail: "dashboard: " and the tab's English label


@lru_cache(maxsize=1)
def form_field_labels():
    """Every service form field's label by its name (the iCARE code where there is one)."""
    return {spec.name: spec.label for form in FORMS.values() for spec in form.fields}


def field_label(name):
    """``first_name`` -> "First name"; ``data.client_attended`` -> the form field's label."""
    profile = {spec.name: spec.label for spec in PROFILE}
    if name in profile:
        return profile[name]
    if name in COLUMN_LABELS:
        return str(COLUMN_LABELS[name])
    key = name.split(".", 1)[1] if "." in name else None
    if key and key in form_field_labels():
        return form_field_labels()[key]
    if name.startswith("answers.") or (key or "")[1:].isdigit():  # an agency question's answer (q<id>)
        return str(COLUMN_LABELS["answers"])
    if name.removesuffix("_id") in COMMON_LABELS:  # the grids' label of the column
        return str(COMMON_LABELS[name.removesuffix("_id")])
    words = name.removesuffix("_id").replace("_", " ").capitalize()
    return gettext(words)  # "assigned_at" -> "Assigned at", in French when the catalogue has it


@dataclass
class AuditLine:
    """One line of the tab: an event, or several views of the same tab in a row (``count``)."""

    event: object
    count: int = 1
    first_at: object = None
    labels: list = field(default_factory=list)
    detail: str = ""


def same_view(line, event):
    latest = line.event
    return event.action == latest.action == "view" and (event.staff_id, event.record_type, event.record_id, event.detail) == (
        latest.staff_id,
        latest.record_type,
        latest.record_id,
        latest.detail,
    )


def detail_label(detail, tabs):
    """A stored detail as the reader's language shows it: a dashboard view ("dashboard: Case
    notes", kept in English) names the tab of ``tabs`` in the reader's language; others as stored."""
    if not (detail or "").startswith(DASHBOARD_VIEW):
        return detail
    with force_locale("en"):
        by_english = {str(label): label for label in tabs.values()}
    tab = by_english.get(detail.removeprefix(DASHBOARD_VIEW))
    return gettext("dashboard: %(tab)s", tab=tab) if tab is not None else detail


def audit_lines(events, tabs=None):
    """The events (newest first) as lines: consecutive identical views become one."""
    lines = []
    for event in events:
        if lines and same_view(lines[-1], event):
            lines[-1].count += 1
            lines[-1].first_at = event.at
            continue
        labels = sorted({field_label(name) for name in (event.changes or {})})
        lines.append(AuditLine(event, first_at=event.at, labels=labels, detail=detail_label(event.detail, tabs or {})))
    return lines


def audit_tab_data(client, tabs):
    """The tab's lines; ``tabs`` (the dashboard's, by key) name the tabs viewed."""
    events = audit_rows(client)
    return {"events": events, "lines": audit_lines(events, tabs), "hidden": hidden_records(events)}

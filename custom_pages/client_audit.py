"""The client dashboard's "Who viewed or changed" tab: the audit rows about the client, with
fields named by their labels (not their column names) and repeated views of the same tab by the
same person collapsed into one line."""

from dataclasses import dataclass, field
from functools import lru_cache

from flask_babel import force_locale, gettext, lazy_gettext

from admin_views.labels import COMMON_LABELS
from career_documents.sections import KINDS as DOCUMENT_KINDS
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
    # Columns of the other audited records (the audit trail grid names their fields the same way)
    "accepted_at": lazy_gettext("Accepted at"),
    "added_by": lazy_gettext("Added by"),
    "added_by_id": lazy_gettext("Added by"),
    "answer_note": lazy_gettext("Answer note"),
    "answered_at": lazy_gettext("Answered at"),
    "answered_by_name": lazy_gettext("Answered by (name)"),
    "assignee_kind": lazy_gettext("Assigned to (staff or client)"),
    "attempt": lazy_gettext("Attempt"),
    "attendee_count": lazy_gettext("Attendee count"),
    "author_kind": lazy_gettext("Written by (staff or client)"),
    "author_staff_id": lazy_gettext("Author (staff)"),
    "body_html": lazy_gettext("Body (HTML)"),
    "body_text": lazy_gettext("Body (text)"),
    "cams_number": lazy_gettext("CaMS number"),
    "case_number": lazy_gettext("Case number"),
    "checksum": lazy_gettext("Checksum"),
    "code_hash": lazy_gettext("Code (hashed)"),
    "consent_record_id": lazy_gettext("Consent record"),
    "consent_summary": lazy_gettext("Consent summary"),
    "content": lazy_gettext("Content"),
    "copied_from_id": lazy_gettext("Copied from"),
    "deleted_by_id": lazy_gettext("Deleted by"),
    "dismissed_at": lazy_gettext("Dismissed on"),
    "dismissed_by_id": lazy_gettext("Dismissed by"),
    "eligibility_notes": lazy_gettext("Eligibility notes"),
    "email_key": lazy_gettext("Email (search key)"),
    "ended_at": lazy_gettext("Ended at"),
    "ended_by_agency_id": lazy_gettext("Ended by agency"),
    "ends_on": lazy_gettext("Ends on"),
    "expires_at": lazy_gettext("Expires at"),
    "filename": lazy_gettext("File name"),
    "first_date": lazy_gettext("First date"),
    "follow_up_survey_url": lazy_gettext("Follow-up survey link"),
    "from_agency_id": lazy_gettext("From agency"),
    "from_agency_name": lazy_gettext("From agency (name)"),
    "icare_record_id": lazy_gettext("iCARE record"),
    "imported_at": lazy_gettext("Imported at"),
    "incomplete_session_reminder_days": lazy_gettext("Remind the session lead of an incomplete session after (days)"),
    "invited_agency_id": lazy_gettext("Invited agency"),
    "invited_agency_name": lazy_gettext("Invited agency (name)"),
    "invited_at": lazy_gettext("Invited at"),
    "invited_by_name": lazy_gettext("Invited by (name)"),
    "inviting_agency_id": lazy_gettext("Inviting agency"),
    "inviting_agency_name": lazy_gettext("Inviting agency (name)"),
    "is_icare_uploader": lazy_gettext("iCARE uploader"),
    "is_online": lazy_gettext("Online"),
    "lead_id": lazy_gettext("Job lead"),
    "match_id": lazy_gettext("Mentor match"),
    "kept_client_id": lazy_gettext("Kept client"),
    "left": lazy_gettext("Left in place"),
    "levels": lazy_gettext("Levels"),
    "mentor_update_weeks": lazy_gettext("A mentor match needs an update every (weeks)"),
    "merged_at": lazy_gettext("Merged at"),
    "merged_by_id": lazy_gettext("Merged by"),
    "moved": lazy_gettext("Moved"),
    "noc_code": lazy_gettext("NOC code"),
    "partnership_id": lazy_gettext("Partnership"),
    "password_hash": lazy_gettext("Password (hashed)"),
    "phone_digits": lazy_gettext("Phone (search key)"),
    "posting_id": lazy_gettext("Job posting"),
    "privacy_statement_en": lazy_gettext("Privacy statement (English)"),
    "privacy_statement_fr": lazy_gettext("Privacy statement (French)"),
    "profile_client_id": lazy_gettext("Client profile"),
    "program_key": lazy_gettext("Program (first service)"),
    "progress_percent": lazy_gettext("Progress (%)"),
    "purpose": lazy_gettext("Purpose"),
    "recommended_by_id": lazy_gettext("Recommended by"),
    "record_count": lazy_gettext("Record count"),
    "left_out_records": lazy_gettext("Records left out"),
    "referred_by_name": lazy_gettext("Referred by (name)"),
    "requested_at": lazy_gettext("Requested at"),
    "requested_by_id": lazy_gettext("Requested by"),
    "retention_months": lazy_gettext("Retention period (months)"),
    "retired_client_id": lazy_gettext("Retired client"),
    "retired_was_archived": lazy_gettext("Retired client was archived"),
    "returned_at": lazy_gettext("Returned at"),
    "row_number": lazy_gettext("Row number"),
    "screened_on": lazy_gettext("Screening (background check) done on"),
    "search_text": lazy_gettext("Search text"),
    "sent_at": lazy_gettext("Sent at"),
    "sent_upload_id": lazy_gettext("Sent upload"),
    "service_form_id": lazy_gettext("Service form"),
    "sheet": lazy_gettext("Sheet"),
    "session_token": lazy_gettext("Session token"),
    "shared_fields": lazy_gettext("Shared fields"),
    "started_on": lazy_gettext("Started on"),
    "starts_on": lazy_gettext("Starts on"),
    "target": lazy_gettext("Target"),
    "target_id": lazy_gettext("Target"),
    "to_agency_id": lazy_gettext("To agency"),
    "to_program_id": lazy_gettext("To program"),
    "token_hash": lazy_gettext("Token (hashed)"),
    "totp_last_step": lazy_gettext("Two-step sign-in: last code used"),
    "totp_secret": lazy_gettext("Two-step sign-in secret"),
    "two_step_for_admins": lazy_gettext("Two-step sign-in required for agency admins"),
    "undone_at": lazy_gettext("Undone at"),
    "undone_by_id": lazy_gettext("Undone by"),
    "update_record_id": lazy_gettext("Update record"),
    "updated_on": lazy_gettext("Updated on"),
    "used_at": lazy_gettext("Used at"),
}
DASHBOARD_VIEW = "dashboard: "  # a dashboard view's stored detail: "dashboard: " and the tab's English label


@lru_cache(maxsize=1)
def form_field_labels():
    """Every service form field's label by its name (the iCARE code where there is one)."""
    return {spec.name: spec.label for form in FORMS.values() for spec in form.fields}


@lru_cache(maxsize=1)
def document_section_labels():
    """A résumé's or letter's parts (``content.summary``) by the titles the builder shows."""
    return {f"content.{section.key}": section.title for kind in DOCUMENT_KINDS.values() for section in kind.sections}


def field_label(name):
    """``first_name`` -> "First name"; ``data.client_attended`` -> the form field's label."""
    profile = {spec.name: spec.label for spec in PROFILE}
    if name in profile:
        return profile[name]
    if name in COLUMN_LABELS:
        return str(COLUMN_LABELS[name])
    if name in document_section_labels():
        return str(document_section_labels()[name])
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

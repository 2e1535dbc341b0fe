"""Retention: clients inactive for longer than their agency's period are anonymised
(``flask --app app apply-retention``).

Last activity is the latest of: registration date, profile change (``updated_at``), a session
attended (its service date), a service form, case note, file or consent record about the client,
and a change to their training, Employment Action Plan, CaMS number, resume or cover letter.

Profile fields go as their ``retention`` in ``models/client_profile.py`` says. Today that
keeps, because past funder reports count them: registration date and site, year of birth (the
date becomes 1 January of that year), gender, marital status, languages, country of birth,
citizenship, immigration status, arrival date, city, province and the first three characters of
the postal code (the forward sortation area); and removes names (a placeholder, since a named
row must keep its names), preferred name, phone, email, street address, IRCC identifier, family
code (it links the client to relatives) and comments.

Also kept: the row itself (same id and registration number, kind), the client's sessions,
attendance rows and forms with their coded answers (and their completeness as it was), consent
records (kind, given, version, date), assignments. Also removed: search text, free-text profile
answers, emergency contacts, case-note bodies, file contents (deleted from ``UPLOAD_FOLDER``),
file names and descriptions, free-text form answers, safety-flag reasons, consent notes, the
notes of sessions the client attended alone, break-glass reasons about the client, and the old
and new values in audit rows about the client (the field names stay: who changed what, and when).
Deleted: the client's resumes and cover letters, training, Employment Action Plans and CaMS number.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import bindparam, delete, func, select, update

from extensions import db
from models.audit import AuditEvent, record_event
from models.base import utcnow
from models.break_glass import BreakGlassGrant, notice_key_prefix
from models.cams import ClientCamsNumber
from models.career_documents import CareerDocument, forget_documents
from models.client_profile import PROFILE, profile_fields
from models.clients import CaseNote, Client, ClientFile
from models.eap import EmploymentActionPlan
from models.notifications import forget_messages, forget_notices
from models.portal_files import forget_portal, stored_uploads_of_anonymised_clients
from models.principal import ALL, Declaration, tenant_scope
from models.privacy import ConsentRecord
from models.questions import CLIENT_PROFILE, AgencyQuestion
from models.service_forms import ServiceForm
from models.service_sessions import ServiceSession, SessionClient
from models.training import TrainingOpportunity

ANONYMISED_NAMES = tuple(f.placeholder for f in PROFILE if f.retention == "placeholder")  # what a named row keeps
REMOVED = "[removed: retention]"
EMPLOYMENT = (TrainingOpportunity, EmploymentActionPlan, ClientCamsNumber)
REDACTED_CHANGE = [REMOVED, REMOVED]
FREE_TEXT_TYPES = ("text", "textarea")
# Text fields of the forms that hold a code about the service, not about the client.
KEPT_TEXT_FIELDS = {"postal_cd", "course_cd"}
CHUNK = 500

# Retention anonymises every record about its clients, Private ones and those of any program.
RETENTION = Declaration.of("retention", service_form=ALL, service_session=ALL, case_note=ALL, client_file=ALL)


@dataclass
class RetentionResult:
    agency_code: str
    months: int
    cutoff: date
    client_ids: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)


def months_before(day, months):
    """The same day ``months`` calendar months earlier (the month's last day when shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def as_day(value):
    return value.date() if isinstance(value, datetime) else value


def last_activity():
    """``{client id: day of last activity}`` for the current agency's clients not yet anonymised."""
    latest = {}
    candidates = Client.anonymised_at.is_(None)
    sources = [
        select(Client.id, Client.registration_date).where(candidates),
        select(Client.id, Client.updated_at).where(candidates),
        select(SessionClient.client_id, func.max(ServiceSession.service_date))
        .join(ServiceSession)
        .group_by(SessionClient.client_id),
        select(ServiceForm.client_id, func.max(ServiceForm.updated_at)).group_by(ServiceForm.client_id),
        select(CaseNote.client_id, func.max(CaseNote.updated_at)).group_by(CaseNote.client_id),
        select(ClientFile.client_id, func.max(ClientFile.uploaded_at)).group_by(ClientFile.client_id),
        select(ConsentRecord.client_id, func.max(ConsentRecord.recorded_at)).group_by(ConsentRecord.client_id),
        *(select(m.client_id, func.max(m.updated_at)).group_by(m.client_id) for m in (*EMPLOYMENT, CareerDocument)),
    ]
    for number, query in enumerate(sources):
        for client_id, value in db.session.execute(query):
            if value is None or (number > 1 and client_id not in latest):
                continue  # the first two sources list the candidates; the others only move dates on
            latest[client_id] = max(latest.get(client_id, date.min), as_day(value))
    return latest


def inactive_client_ids(months, today=None):
    """Ids of the current agency's clients whose last activity is older than ``months``."""
    cutoff = months_before(today or date.today(), months)
    return sorted(client_id for client_id, day in last_activity().items() if day < cutoff)


def kept_answers(answers, coded_keys, questions):
    """Only the answers known to be coded (choices, yes/no, dates, numbers); free text and
    answers to questions that no longer exist go."""
    return {
        key: value
        for key, value in (answers or {}).items()
        if key in coded_keys or (key in questions and questions[key] != "text")
    }


def question_types():
    """``{target: {answer key: answer type}}`` of the agency's questions."""
    types = {}
    for question in db.session.scalars(select(AgencyQuestion)):
        types.setdefault(question.target, {})[question.key] = question.answer_type
    return types


def coded_form_keys(form):
    return {f.name for f in form.spec.fields if f.type not in FREE_TEXT_TYPES or f.name in KEPT_TEXT_FIELDS}


RETAINED = {  # a profile field's ``retention`` rule: what is left of its value
    "remove": lambda client, spec, value: None,
    "year": lambda client, spec, value: date(value.year, 1, 1) if value else None,
    "area": lambda client, spec, value: value[:3] if value else None,
    "placeholder": lambda client, spec, value: spec.placeholder if client.kind == "named" else None,
}


def blank_profile(client, questions):
    for spec in profile_fields():
        if spec.is_personal:
            setattr(client, spec.name, RETAINED[spec.retention](client, spec, getattr(client, spec.name)))
    client.answers = kept_answers(client.answers, set(), questions.get(CLIENT_PROFILE, {}))
    client.emergency_contacts = []
    for flag in client.safety_flags:
        flag.reason = REMOVED


def blank_records(client, questions, counts):
    """Case notes, files, consent notes and form answers of one client."""
    for note in db.session.scalars(select(CaseNote).where(CaseNote.client_id == client.id)):
        note.body = REMOVED
        counts["case notes"] += 1
    for row in db.session.scalars(select(ClientFile).where(ClientFile.client_id == client.id)):
        row.original_name, row.description = f"file-{row.id}", ""
        row.deleted_at = row.deleted_at or utcnow()
        counts["files"] += 1
    for record in client.consent_records:
        record.note = ""
    for form in db.session.scalars(select(ServiceForm).where(ServiceForm.client_id == client.id)):
        form.data = kept_answers(form.data, coded_form_keys(form), questions.get(form.kind, {}))
        counts["service forms"] += 1


def blank_solo_session_notes(client):
    """Notes of sessions this client attended alone are about the client; return their ids."""
    query = select(ServiceSession).join(SessionClient).where(SessionClient.client_id == client.id)
    solo = [s for s in db.session.scalars(query) if len(s.attendees) == 1]
    for session in solo:
        session.notes = None
    return [session.id for session in solo]  # all of them: older notes may sit in their audit rows


def blank_break_glass_reasons(client):
    """A break-glass reason often says why the client's record mattered: who opened what, and
    when, stays; the reason goes (the grant rows, the notices sent to the record's owner and their
    coordinator, and the audit rows in ``redact_audit``)."""
    for grant in db.session.scalars(select(BreakGlassGrant).where(BreakGlassGrant.client_id == client.id)):
        grant.reason = REMOVED
        forget_notices(notice_key_prefix(grant), REMOVED)


def anonymise_client(client, questions, counts):
    """Remove what identifies ``client`` (see the module docstring); the caller flushes and commits."""
    blank_profile(client, questions)
    blank_records(client, questions, counts)
    session_ids = blank_solo_session_notes(client)
    blank_break_glass_reasons(client)
    forget_messages(client, REMOVED)
    forget_portal(client)
    forget_documents(client)
    forget_employment(client)
    client.anonymised_at = utcnow()
    counts["clients"] += 1
    return session_ids


def forget_employment(client):
    """The client's job search with staff: their CaMS number, Employment Action Plans (with their
    goals, items and outcomes) and training identify them and nobody else: they go."""
    for model in EMPLOYMENT:
        db.session.execute(delete(model).where(model.client_id == client.id), execution_options={"synchronize_session": False})


def chunks(ids):
    ids = list(ids)
    return [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]


def redact_audit(agency_id, client_ids, session_ids):
    """Audit rows are immutable through the ORM (models/audit.py refuses it); this is the one
    sanctioned rewrite, so it goes through the table with a Core UPDATE, limited to this agency:
    the values in the changes of rows about anonymised clients become ``REMOVED``, the field
    names stay. Runs after the flush, so the rows recording the anonymisation itself are covered."""
    table = AuditEvent.__table__
    statement = (
        update(table)
        .where(table.c.id == bindparam("row_id"), table.c.agency_id == agency_id)
        .values(changes=bindparam("redacted", type_=table.c.changes.type))
    )
    conditions = [AuditEvent.client_id.in_(chunk) for chunk in chunks(client_ids)]
    conditions += [(AuditEvent.record_type == "service_session") & AuditEvent.record_id.in_(c) for c in chunks(session_ids)]
    redacted = []
    for about in conditions:
        for row_id, changes in db.session.execute(select(AuditEvent.id, AuditEvent.changes).where(about)):
            if changes:
                redacted.append({"row_id": row_id, "redacted": {key: REDACTED_CHANGE for key in changes}})
    unique = list({row["row_id"]: row for row in redacted}.values())
    if unique:
        db.session.connection().execute(statement, unique)
    for chunk in chunks(client_ids):  # break-glass reasons (see blank_break_glass_reasons)
        db.session.connection().execute(
            update(table)
            .where(table.c.agency_id == agency_id, table.c.client_id.in_(chunk), table.c.action == "break_glass")
            .values(detail=REMOVED)
        )
    return len(unique)


def clear_search_text(agency_id, client_ids):
    """The write hook recomputes the search text from the placeholder name and the year of birth;
    an anonymised client is found by registration number only. (A Core UPDATE limited to the
    agency: the ORM would run the hook again.)"""
    table = Client.__table__
    for chunk in chunks(client_ids):
        db.session.connection().execute(
            update(table).where(table.c.id.in_(chunk), table.c.agency_id == agency_id).values(search_text="")
        )


def record_anonymisations(client_ids, cutoff):
    for client_id in client_ids:
        record_event("anonymise", "client", client_id, client_id, detail=f"no activity since before {cutoff.isoformat()}")


def stored_files_of_anonymised_clients(folder):
    """Paths of stored files still on disk for anonymised clients (removed after the commit, so
    a failed run never loses a file it did not anonymise; a later run removes any left over)."""
    query = select(ClientFile.stored_name).join(Client, ClientFile.client_id == Client.id).where(Client.anonymised_at.isnot(None))
    names = [*db.session.scalars(query), *stored_uploads_of_anonymised_clients()]  # staff files, portal uploads
    return [Path(folder) / name for name in names if (Path(folder) / name).exists()]


def apply_retention(agency, folder, dry_run=False, today=None):
    """Anonymise the agency's inactive clients in one transaction, as a job that reads every
    record of the agency (``RETENTION``); with ``dry_run`` only list them."""
    with tenant_scope(agency.id, RETENTION):
        return retain(agency, folder, dry_run, today)


def retain(agency, folder, dry_run, today):
    cutoff = months_before(today or date.today(), agency.retention_months)
    result = RetentionResult(agency.code, agency.retention_months, cutoff)
    result.client_ids = inactive_client_ids(agency.retention_months, today)
    result.counts = dict.fromkeys(("clients", "case notes", "files", "service forms", "audit rows", "stored files"), 0)
    if dry_run or not result.client_ids:
        return result
    questions, session_ids = question_types(), []
    for chunk in chunks(result.client_ids):
        for client in db.session.scalars(select(Client).where(Client.id.in_(chunk))):
            session_ids += anonymise_client(client, questions, result.counts)
    db.session.flush()  # the audit hook writes its rows now, before they are redacted
    result.counts["audit rows"] = redact_audit(agency.id, result.client_ids, session_ids)
    clear_search_text(agency.id, result.client_ids)
    record_anonymisations(result.client_ids, cutoff)
    db.session.commit()
    for path in stored_files_of_anonymised_clients(folder):
        path.unlink(missing_ok=True)
        result.counts["stored files"] += 1
    return result

"""The access-request export (PIPEDA): one zip with everything held about one client.

- ``summary.pdf``: the profile, the consent history and what each spreadsheet holds.
- ``records.xlsx``: one sheet per kind of record (profile, contacts, assignments, safety
  flags, consents, case notes, files, sessions, service forms with every answer, audit events).
- ``files/``: the client's stored files.

Gathered under the normal rules: an agency admin sees every program, but another worker's
Private records only through break-glass. Those are listed on the "Not included" sheet (kind,
owner, date; never content), and the summary says how to add them: open each through
break-glass (reason recorded, owner told), then export again. Every spreadsheet cell goes
through the writer in ``exports/spreadsheets.py``, which neutralises its final text.
"""

import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from flask_babel import gettext, lazy_gettext
from sqlalchemy import select
from werkzeug.utils import secure_filename

from exports.pdf import Document, profile_rows, write_rows
from exports.spreadsheets import workbook_bytes
from extensions import db
from models.agencies import Program
from models.audit import AuditEvent
from models.break_glass import RECORD_TYPES
from models.clients import CaseNote, ClientFile
from models.mentors import mentor_of_answer
from models.questions import CLIENT_PROFILE, AgencyQuestion
from models.service_forms import ServiceForm
from models.service_sessions import ServiceSession, SessionClient
from models.visibility import restricted_about

FILE_HEADERS = (
    lazy_gettext("File name"),
    lazy_gettext("Description"),
    lazy_gettext("Type"),
    lazy_gettext("Size (bytes)"),
    lazy_gettext("Uploaded by"),
    lazy_gettext("Uploaded at"),
    lazy_gettext("Program"),
    lazy_gettext("Private"),
    lazy_gettext("Deleted at"),
    lazy_gettext("In this zip"),
)
AUDIT_HEADERS = (
    lazy_gettext("When"),
    lazy_gettext("Staff member"),
    lazy_gettext("Action"),
    lazy_gettext("Record"),
    lazy_gettext("Record id"),
    lazy_gettext("Changes"),
    lazy_gettext("Detail"),
    lazy_gettext("Page"),
    lazy_gettext("Address"),
)


@dataclass
class Sheet:
    name: str
    headers: tuple
    rows: list = field(default_factory=list)


@dataclass
class Gathered:
    sheets: list
    files: list  # (name in the zip, path on disk)
    consents: list


def cell(value):
    """A value as it reads in a spreadsheet (the writer then makes its text safe)."""
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


def presented(sheets):
    """The sheets with every value as it reads in a spreadsheet."""
    return [Sheet(s.name, s.headers, [[cell(v) for v in row] for row in s.rows]) for s in sheets]


def name(staff):
    return staff.name if staff is not None else ""


def question_labels(target=None):
    query = select(AgencyQuestion)
    if target:
        query = query.where(AgencyQuestion.target == target)
    return {q.key: q.label for q in db.session.scalars(query)}


def profile_sheet(client):
    rows = [(label, value) for _, label, value in profile_rows(client, printed_only=False)]
    rows += [
        (gettext("Kind"), client.kind),
        (gettext("Archived"), client.is_archived),
        (gettext("Consent withdrawn"), client.consent_withdrawn_at),
        (gettext("Anonymised"), client.anonymised_at),
        (gettext("Registered by"), name(client.created_by)),
        (gettext("Profile last changed"), client.updated_at),
    ]
    labels = question_labels(CLIENT_PROFILE)
    rows += [(labels.get(key, key), value) for key, value in (client.answers or {}).items()]
    return Sheet(gettext("Profile"), (gettext("Field"), gettext("Value")), rows)


def contact_sheets(client):
    contacts = Sheet(gettext("Emergency contacts"), (gettext("Name"), gettext("Relationship"), gettext("Phone")))
    contacts.rows = [(c.name, c.relationship, c.phone) for c in client.emergency_contacts]
    assignments = Sheet(gettext("Assignments"), (gettext("Staff member"), gettext("Assigned at"), gettext("Assigned by")))
    assignments.rows = [(name(a.staff), a.assigned_at, name(a.assigned_by)) for a in client.assignments]
    flags = Sheet(
        gettext("Safety flags"),
        (gettext("Reason"), gettext("Flagged by"), gettext("Flagged at"), gettext("Cleared by"), gettext("Cleared at")),
    )
    flags.rows = [(f.reason, name(f.flagged_by), f.flagged_at, name(f.cleared_by), f.cleared_at) for f in client.safety_flags]
    return [contacts, assignments, flags]


def consent_sheet(client):
    sheet = Sheet(
        gettext("Consents"),
        (
            gettext("Consent"),
            gettext("Given"),
            gettext("Statement version"),
            gettext("Language"),
            gettext("Recorded at"),
            gettext("Staff member"),
            gettext("Note"),
        ),
    )
    sheet.rows = [
        (
            r.kind_label,
            gettext("Given") if r.given else gettext("Withdrawn"),
            r.statement_version,
            r.language,
            r.recorded_at,
            name(r.staff),
            r.note,
        )
        for r in client.consent_records
    ]
    return sheet


def note_sheet(client):
    sheet = Sheet(
        gettext("Case notes"),
        (
            gettext("Written at"),
            gettext("Author"),
            gettext("Program"),
            gettext("Private"),
            gettext("Deleted at"),
            gettext("Note"),
        ),
    )
    notes = db.session.scalars(select(CaseNote).where(CaseNote.client_id == client.id).order_by(CaseNote.created_at))
    sheet.rows = [(n.created_at, name(n.author), program_name(n.program_id), n.is_private, n.deleted_at, n.body) for n in notes]
    return sheet


def program_name(program_id):
    return db.session.get(Program, program_id).name if program_id else ""


def file_sheet(client, folder):
    """The files list, and the stored files that are still on disk for the zip's files/ folder."""
    sheet = Sheet(gettext("Files"), FILE_HEADERS)
    files = []
    for row in db.session.scalars(select(ClientFile).where(ClientFile.client_id == client.id).order_by(ClientFile.uploaded_at)):
        path = Path(folder) / row.stored_name
        in_zip = f"files/{row.id}-{secure_filename(row.original_name) or 'file'}" if path.is_file() else ""
        if in_zip:
            files.append((in_zip, path))
        sheet.rows.append(
            (
                row.original_name,
                row.description,
                row.content_type,
                row.size,
                name(row.uploaded_by),
                row.uploaded_at,
                program_name(row.program_id),
                row.is_private,
                row.deleted_at,
                in_zip,
            )
        )
    return sheet, files


def session_sheet(client):
    sheet = Sheet(
        gettext("Sessions"),
        (
            gettext("Date"),
            gettext("Type"),
            gettext("Site"),
            gettext("Program"),
            gettext("Delivery"),
            gettext("Duration"),
            gettext("Lead staff member"),
        ),
    )
    query = (
        select(ServiceSession)
        .join(SessionClient)
        .where(SessionClient.client_id == client.id)
        .order_by(ServiceSession.service_date, ServiceSession.id)
    )
    sheet.rows = [
        (s.service_date, s.type_label, str(s.site), str(s.program or ""), s.delivery_method, s.duration_label, name(s.lead_staff))
        for s in db.session.scalars(query)
    ]
    return sheet


def form_sheet(client):
    """Every answer of every form about the client, one row per answer, with the catalogue's labels."""
    sheet = Sheet(
        gettext("Service forms"),
        (
            gettext("Form no."),
            gettext("Form"),
            gettext("Session date"),
            gettext("Program"),
            gettext("Private"),
            gettext("Author"),
            gettext("Complete"),
            gettext("Question"),
            gettext("Answer"),
        ),
    )
    query = select(ServiceForm).where(ServiceForm.client_id == client.id).order_by(ServiceForm.id)
    questions = question_labels()
    for form in db.session.scalars(query):
        head = (
            form.id,
            form.label,
            form.session.service_date,
            str(form.program or ""),
            form.is_private,
            name(form.author),
            form.is_complete,
        )
        for label, answer in form_answers(form, questions):
            sheet.rows.append((*head, label, answer))
    return sheet


def form_answers(form, questions):
    """(label, answer) pairs: the catalogue's fields in order, then agency questions and any other key."""
    data = form.data or {}
    known = [(f.label, answer_shown(f, data[f.name])) for f in form.spec.fields if data.get(f.name) not in (None, "", [])]
    names = {f.name for f in form.spec.fields}
    extra = [(questions.get(key, key), value) for key, value in data.items() if key not in names and value not in (None, "", [])]
    return known + extra


def answer_shown(spec, value):
    """An answer as the person reads it: a directory mentor by name, not by id."""
    if spec.type == "mentor":
        mentor = mentor_of_answer(value)
        return mentor.name if mentor else value
    return value


def audit_sheet(client):
    sheet = Sheet(gettext("Audit events"), AUDIT_HEADERS)
    query = select(AuditEvent).where(AuditEvent.client_id == client.id).order_by(AuditEvent.at, AuditEvent.id)
    sheet.rows = [
        (e.at, name(e.staff), e.action_label, e.record_type, e.record_id, e.changes, e.detail, e.source, e.remote_addr)
        for e in db.session.scalars(query)
    ]
    return sheet


def restricted_sheet(client):
    """What the program and Private rules hide from the person exporting: listed, not included."""
    sheet = Sheet(
        gettext("Not included"),
        (gettext("Record"), gettext("Id"), gettext("Owner"), gettext("Date"), gettext("Why"), gettext("Open it (break-glass)")),
    )
    for model in (CaseNote, ClientFile, ServiceForm):
        for row in restricted_about(model, client.id, live_only=False):
            program = row["program"].name if row["program"] else ""
            why = gettext("private") if row["is_private"] else gettext("program %(name)s", name=program)
            link = f"/admin/break-glass/{row['kind']}/{row['id']}/"
            sheet.rows.append((str(RECORD_TYPES[row["kind"]]), row["id"], name(row["owner"]), row["at"], why, link))
    return sheet


def gather(client, folder):
    """Everything about ``client`` the exporting admin may see, as plain rows."""
    files, stored = file_sheet(client, folder)
    sheets = [profile_sheet(client), *contact_sheets(client), consent_sheet(client), note_sheet(client)]
    sheets += [files, session_sheet(client), form_sheet(client), audit_sheet(client), restricted_sheet(client)]
    return Gathered(sheets, stored, consent_sheet(client).rows)


def summary_pdf(client, agency, gathered, requested_by):
    """A readable summary: the profile, consent history, and what the spreadsheets hold."""
    pdf = Document(gettext("Access request: personal information held"), agency.name)
    write_rows(pdf, profile_rows(client, printed_only=False))
    pdf.heading(gettext("Consent history"))
    for kind, given, version, language, at, staff, note in gathered.consents:
        line = gettext(
            "%(given)s %(date)s, statement version %(version)s (%(language)s), %(staff)s.",
            given=given,
            date=at.strftime("%Y-%m-%d"),
            version=version or "-",
            language=language or "-",
            staff=staff or "-",
        )
        pdf.row(kind, f"{line} {note or ''}".strip())
    pdf.heading(gettext("Records in records.xlsx"))
    for sheet in gathered.sheets:
        pdf.row(sheet.name, gettext("%(count)s row(s)", count=len(sheet.rows)))
    pdf.row(gettext("Files in files/"), gettext("%(count)s file(s)", count=len(gathered.files)))
    hidden = len(gathered.sheets[-1].rows)
    if hidden:
        pdf.ln(2)
        pdf.row(
            gettext("Not included"),
            gettext(
                "%(count)s private record(s) of other staff are listed on the '%(sheet)s' sheet without their content. "
                "To include them, open each through break-glass (the reason is recorded and the owner told), then export again.",
                count=hidden,
                sheet=gettext("Not included"),
            ),
        )
    pdf.ln(4)
    pdf.row(gettext("Prepared"), gettext("%(date)s by %(name)s", date=date.today().isoformat(), name=requested_by))
    return bytes(pdf.output())


def access_request_zip(client, agency, folder, requested_by):
    """The zip's bytes: summary.pdf, records.xlsx and files/."""
    gathered = gather(client, folder)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("summary.pdf", summary_pdf(client, agency, gathered, requested_by))
        archive.writestr("records.xlsx", workbook_bytes(presented(gathered.sheets)))
        for in_zip, path in gathered.files:
            archive.write(path, in_zip)
    return buffer.getvalue()

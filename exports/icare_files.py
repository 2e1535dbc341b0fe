"""Draft and final iCARE files, amendments and iCARE's returned files.

A draft holds the good rows and changes nothing. A final file holds the good rows too, and in
the same transaction is kept (``IcareUpload``), its rows recorded (``IcareUploadItem``) and
their amendments marked sent: the records are then out of every later file. Two finals racing
for one record collide on the items' unique constraints and the second is refused. Everything
runs as the iCARE export (``icare_scope``): every form, Private ones included.
"""

from collections import Counter
from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from exports.icare import error_report_bytes, file_name, template_bytes
from extensions import db
from models.agencies import Agency
from models.icare_checks import command_line_problems
from models.icare_records import counts, export_rows, icare_scope, problem_rows
from models.icare_uploads import AMENDMENT_REASONS, IcareAmendment, IcareUpload, IcareUploadItem


class IcareError(ValueError):
    """A request the iCARE export refuses, with a message for the person."""


@dataclass
class FileResult:
    template: object
    filename: str
    content: bytes
    record_count: int
    left_out: dict  # {problem: records it left out} (a record with two problems is in both)
    left_out_records: int  # the records left out, each once
    upload: object = None


def good_records(template, month):
    """The records a file holds: the eligible ones no check finds bad (one statement)."""
    return export_rows(template, month, good_only=True)


def left_out_of(template, month):
    """``(records, {problem message: records})`` of the records a file leaves out: each record
    once in the first, in as many problems as it has in the second."""
    records, reasons = 0, Counter()
    for _row, checks in problem_rows(template, month):
        records += 1
        reasons.update({check.message for check in checks})
    return records, dict(reasons)


def agency_code(agency_id):
    return db.session.scalar(select(Agency.code).where(Agency.id == agency_id))


def draft_file(agency_id, template, month):
    """The good rows, ``_DRAFT`` in the name; nothing is recorded."""
    with icare_scope(agency_id):
        content, written, _checksum = template_bytes(template, good_records(template, month))
        name = file_name(template, month, agency_code(agency_id), draft=True)
        left_records, left_out = left_out_of(template, month)
        return FileResult(template, name, content, len(written), left_out, left_records)


def final_file(agency_id, staff_id, template, month):
    """Write, keep and record a final file (the caller commits); ``IcareError`` when empty.
    ``staff_id``: who made it (``None``: the command line)."""
    with icare_scope(agency_id):
        content, written, checksum = template_bytes(template, good_records(template, month))
        if not written:
            raise IcareError(
                gettext("%(template)s: no good record to upload for %(month)s.", template=template.label, month=month)
            )
        left_records, left_out = left_out_of(template, month)
        upload = IcareUpload(
            month=month,
            sheet=template.sheet,
            created_by_id=staff_id,
            record_count=len(written),
            left_out=left_out,
            left_out_records=left_records,
            checksum=checksum,
            filename=file_name(template, month, agency_code(agency_id), draft=False),
            content=content,
        )
        db.session.add(upload)
        record_items(upload, template, written)
        try:
            db.session.flush()
        except IntegrityError:
            db.session.rollback()
            raise IcareError(
                gettext("%(template)s: another final file took these records meanwhile; check again.", template=template.label)
            ) from None
        return FileResult(template, upload.filename, content, len(written), left_out, left_records, upload)


def record_items(upload, template, written):
    key = "profile_client_id" if template.is_profile else "form_id"
    column = getattr(IcareUploadItem, key)
    attempts = (
        dict(db.session.execute(select(column, func.count()).where(column.in_(written)).group_by(column)).all())
        if written
        else {}
    )
    amendments = {getattr(a, key): a for a in open_amendments_for(key, written)}
    for row_number, record_id in enumerate(written, start=4):
        amendment = amendments.get(record_id)
        if amendment is not None:
            amendment.sent_upload = upload
        upload.items.append(
            IcareUploadItem(
                row_number=row_number, attempt=attempts.get(record_id, 0) + 1, amendment=amendment, **{key: record_id}
            )
        )


def open_amendments_for(key, ids):
    column = getattr(IcareAmendment, key)
    query = select(IcareAmendment).where(column.in_(ids), IcareAmendment.sent_upload_id.is_(None))
    return db.session.scalars(query).all() if ids else []


def request_amendment(staff, reason, note, form_id=None, client_id=None):
    """Ask for an uploaded record to go out again (the caller commits)."""
    if reason not in AMENDMENT_REASONS:
        raise IcareError(gettext("Choose a reason for the update."))
    if not (note or "").strip():
        raise IcareError(gettext("Say why the record must be sent again."))
    key, record_id = ("form_id", form_id) if form_id else ("profile_client_id", client_id)
    column = getattr(IcareUploadItem, key)
    with icare_scope(staff.agency_id):
        sent = db.session.scalars(
            select(IcareUploadItem)
            .where(column == record_id, IcareUploadItem.status.in_(("uploaded", "accepted")))
            .order_by(IcareUploadItem.id.desc())
        ).first()
        if sent is None:
            raise IcareError(gettext("This record has not been uploaded: it goes out with the next final file."))
        if open_amendments_for(key, [record_id]):
            raise IcareError(gettext("An amendment of this record is already waiting for the next final file."))
        amendment = IcareAmendment(
            reason=reason,
            note=note.strip(),
            requested_by_id=staff.id,
            update_record_id=sent.icare_record_id or f"OCMS-{record_id}",
            **{key: record_id},
        )
        db.session.add(amendment)
        db.session.flush()
        return amendment


def export_month(agency_id, month, chosen, folder, draft):
    """The command line's export: each template's file (draft or final, committed per file)
    and the error report written into ``folder``; returns (lines to print, files written)."""
    folder.mkdir(parents=True, exist_ok=True)
    lines, written = [], 0
    for tpl in chosen:
        with icare_scope(agency_id):
            total, bad = counts(tpl, month)
        try:
            result = draft_file(agency_id, tpl, month) if draft else final_file(agency_id, None, tpl, month)
        except IcareError as error:
            lines.append(f"{tpl.title}: {total - bad} good, {bad} bad; no file ({error})")
            continue
        (folder / result.filename).write_bytes(result.content)
        db.session.commit()
        written += 1
        lines.append(f"{tpl.title}: {total - bad} good, {bad} bad; {result.filename} ({result.record_count} records)")
    problems = command_line_problems(agency_id, month, chosen)
    with icare_scope(agency_id):
        report = folder / f"iCARE_errors_{agency_code(agency_id)}_{month}.xlsx"
    report.write_bytes(error_report_bytes(problems))
    lines.append(f"Error report: {report.name} ({len(problems)} records to fix)")
    return lines, written

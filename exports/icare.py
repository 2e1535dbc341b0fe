"""The iCARE bulk-upload files, written exactly in each template's layout.

Row 1 is the title cell merged across every column, row 2 the codes, row 3 the labels, data
from row 4; every cell is text, dates ``YYYY-MM-DD``, yes/no ``Yes``/``No``, coded values spelled
as in the template's list; column A (Processing Details) stays blank. xlsxwriter in
``constant_memory`` mode (rows are streamed to disk, so memory stays flat) with strings kept as
strings. What goes in each cell comes from the template description (``models/icare_templates``).
"""

import hashlib
import io
from datetime import date, datetime

import xlsxwriter
from flask_babel import gettext, lazy_gettext

from exports.spreadsheets import WORKBOOK_OPTIONS, write_cells
from models.icare_templates import CLIENT, FORM, UPDATE_ID, UPDATE_REASON, template_label

STREAMING_OPTIONS = {**WORKBOOK_OPTIONS, "in_memory": False, "constant_memory": True}
TITLE_HEIGHT = 100
# The error report is OCMS's own file, for the staff: in the reader's language (the iCARE files
# themselves keep the templates' English layout).
ERROR_HEADERS = (
    lazy_gettext("Template"),
    lazy_gettext("Record"),
    lazy_gettext("Client or course"),
    lazy_gettext("Service date"),
    lazy_gettext("Created by"),
    lazy_gettext("Contact email"),
    lazy_gettext("Message"),
)


def as_text(value):
    """A stored value as iCARE reads it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


def cell_text(value, spelling):
    """One non-empty value's cell: its text (stripped), spelled as the template's list does;
    ``""`` for an empty value. Written with ``write_string``, it is never read as a formula, so
    it goes to iCARE exactly as stored (a phone number "+1 416 555 0123", no apostrophe)."""
    text = value.strip() if type(value) is str else as_text(value)
    if spelling and text in spelling:
        return spelling[text]
    return text


def amendment_cells(template):
    """``[(column number, function of the amendment)]``: Update Record ID and Reason for update."""
    found = []
    for number, column in enumerate(template.columns):
        if column.source == UPDATE_ID:
            found.append((number, lambda amendment: amendment.update_record_id))
        elif column.source == UPDATE_REASON:
            found.append((number, lambda amendment: amendment.reason))
    return found


def write_records(sheet, template, records):
    """The data rows from row 4. Only non-empty cells are written (an empty one is a blank
    cell xlsxwriter leaves out anyway; skipping it here saves its dispatch through
    ``write``), each with the column's text format. Returns the ids in row order."""
    plan = [(number, dict(column.spelling)) for number, column in enumerate(template.columns) if column.source in (FORM, CLIENT)]
    amended, written, write = amendment_cells(template), [], sheet.write_string
    for row_number, (record_id, values, amendment) in enumerate(records, start=3):
        for (number, spelling), value in zip(plan, values, strict=True):
            if value is not None and (text := cell_text(value, spelling)):
                write(row_number, number, text)
        if amendment is not None:
            for number, cell in amended:
                if text := cell_text(cell(amendment) or "", None):
                    write(row_number, number, text)
        written.append(record_id)
    return written


def write_template(out, template, records):
    """Write ``records`` (``(id, values, amendment)`` from ``export_rows``) into ``out`` (a
    path or a binary file object) as ``template``'s sheet; returns the ids written, in row order."""
    book = xlsxwriter.Workbook(out, STREAMING_OPTIONS)
    text = book.add_format({"num_format": "@"})
    title = book.add_format({"num_format": "@", "bold": True, "font_size": 18, "text_wrap": True, "valign": "top"})
    mandatory = book.add_format({"num_format": "@", "bold": True, "font_color": "#FFA500", "text_wrap": True})
    label = book.add_format({"num_format": "@", "bold": True, "text_wrap": True})
    sheet = book.add_worksheet(template.sheet)
    last = len(template.columns) - 1
    sheet.set_column(0, last, 25.5, text)
    sheet.set_row(0, TITLE_HEIGHT)
    sheet.merge_range(0, 0, 0, last, template.a1, title)
    sheet.write_row(1, 0, [column.code for column in template.columns], text)
    for number, column in enumerate(template.columns):
        sheet.write_string(2, number, column.label, mandatory if column.mandatory else label)
    written = write_records(sheet, template, records)
    book.close()
    return written


def template_bytes(template, records):
    """The file as bytes, the ids written and its SHA-256."""
    buffer = io.BytesIO()
    written = write_template(buffer, template, records)
    content = buffer.getvalue()
    return content, written, hashlib.sha256(content).hexdigest()


def file_name(template, month, agency_code, draft):
    return f"iCARE_{agency_code}_{month}_{template.slug}{'_DRAFT' if draft else ''}.xlsx"


def error_report_bytes(problems):
    """OCMS's error file in the reader's language: one row per problem (created by, contact
    email, message; the messages are already in that language)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, STREAMING_OPTIONS)
    sheet = book.add_worksheet(gettext("Errors"))
    bold = book.add_format({"bold": True})
    sheet.write_row(0, 0, [str(header) for header in ERROR_HEADERS], bold)
    number = 1
    for problem in problems:
        record = (template_label(problem.slug), problem.reference, problem.who, problem.service_date)
        for message in problem.messages:
            values = (*record, problem.worker, problem.email, message)
            write_cells(sheet, number, [as_text(v) for v in values])
            number += 1
    book.close()
    return buffer.getvalue()

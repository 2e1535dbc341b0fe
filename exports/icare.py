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

from exports.spreadsheets import WORKBOOK_OPTIONS, neutralise_cell
from models.icare_templates import BLANK, CLIENT, FORM, UPDATE_ID, UPDATE_REASON

STREAMING_OPTIONS = {**WORKBOOK_OPTIONS, "in_memory": False, "constant_memory": True}
TITLE_HEIGHT = 100
ERROR_HEADERS = ("Template", "Record", "Client or course", "Service date", "Created by", "Contact email", "Message")


def as_text(value):
    """A stored value as iCARE reads it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    return neutralise_cell(str(value).strip())


def update_id(amendment, record_id):
    """Update Record ID: set when the amendment was asked for (iCARE's record id, else ours)."""
    return "" if amendment is None else amendment.update_record_id


def answer_text(value):
    """``as_text`` with the common case first: an answer stored as a string."""
    return neutralise_cell(value.strip()) if type(value) is str else as_text(value)


def cell_getter(column):
    """A function ``(record id, answers, client, amendment) -> text`` for one column, built
    once per file (the spelling looked up only for the columns whose list respells values)."""
    spelling = dict(column.spelling)
    name = column.attribute
    if column.source == FORM and spelling:
        return lambda rid, data, client, amendment: spelling.get(text := answer_text(data.get(name)), text)
    if column.source == FORM:
        return lambda rid, data, client, amendment: answer_text(data.get(name))
    if column.source == CLIENT and spelling:
        return lambda rid, data, client, amendment: spelling.get(text := as_text(getattr(client, name)), text)
    if column.source == CLIENT:
        return lambda rid, data, client, amendment: as_text(getattr(client, name))
    if column.source == UPDATE_ID:
        return lambda rid, data, client, amendment: update_id(amendment, rid)
    if column.source == UPDATE_REASON:
        return lambda rid, data, client, amendment: amendment.reason if amendment is not None else ""
    assert column.source == BLANK
    return None


def row_maker(template):
    """The row of one record: the cells from the first written column on (column A,
    Processing Details, stays blank), and that column's number."""
    getters = [cell_getter(column) for column in template.columns]
    first = next((i for i, getter in enumerate(getters) if getter is not None), len(getters))
    getters = [getter or (lambda rid, data, client, amendment: "") for getter in getters[first:]]
    return first, lambda record: [getter(*record) for getter in getters]


def write_template(out, template, records):
    """Write ``records`` (``(id, answers, client, amendment)``) into ``out`` (a path or a
    binary file object) as ``template``'s sheet; returns the ids written, in row order."""
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
    (first, make_row), written = row_maker(template), []
    write_row, remember = sheet.write_row, written.append
    for number, record in enumerate(records, start=3):
        write_row(number, first, make_row(record))  # the column's text format applies; blanks stay unwritten
        remember(record[0])
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
    """OCMS's error file: one row per problem (created by, contact email, message)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, STREAMING_OPTIONS)
    sheet = book.add_worksheet("Errors")
    bold = book.add_format({"bold": True})
    sheet.write_row(0, 0, ERROR_HEADERS, bold)
    number = 1
    for problem in problems:
        for message in problem.messages:
            values = (problem.sheet, problem.reference, problem.who, problem.service_date, problem.worker, problem.email, message)
            sheet.write_row(number, 0, [as_text(v) for v in values])
            number += 1
    book.close()
    return buffer.getvalue()

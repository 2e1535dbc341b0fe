"""A report as a file: xlsx (formatted header, frozen panes, column widths, a Criteria sheet
saying what was asked, by whom and when) or CSV. Every cell goes through the spreadsheet
writers (``exports/spreadsheets.py``): in CSV cells starting with = + - @ are neutralised, in
xlsx text is written as a string, never a formula."""

import io
from datetime import date

import xlsxwriter
from flask_babel import gettext

from exports.spreadsheets import WORKBOOK_OPTIONS, csv_text, write_cells
from reports.table import plain_rows, table_of

MAX_WIDTH = 60


def report_csv(result):
    return csv_text(plain_rows(table_of(result)))


def widths(rows):
    found = {}
    for row in rows:
        for i, value in enumerate(row):
            found[i] = min(MAX_WIDTH, max(found.get(i, 8), len(str(value if value is not None else "")) + 2))
    return found


def write_cell(sheet, row, col, value, formats):
    if isinstance(value, date):
        sheet.write_datetime(row, col, value, formats["date"])
    elif isinstance(value, float):
        sheet.write_number(row, col, value, formats["decimal"])
    else:
        write_cells(sheet, row, [value], first_column=col)


def criteria_rows(result, asked_by, asked_at, allowed=None):
    report = result.report
    rows = [(gettext("Report"), report.title), (gettext("Key"), report.key), (gettext("What it counts"), report.description)]
    rows += [(label, value) for label, value in result.criteria.given(allowed, report.filters)]
    return rows + [(gettext("Run by"), asked_by), (gettext("Run at (UTC)"), asked_at.strftime("%Y-%m-%d %H:%M"))]


def report_workbook(result, asked_by, asked_at, allowed=None):
    """The .xlsx bytes: the report sheet, then the Criteria sheet (named in the interface's
    language; ids by their names, from ``allowed``)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS)
    formats = {
        "header": book.add_format({"bold": True, "bg_color": "#DDE4EE", "border": 1, "text_wrap": True, "valign": "top"}),
        "total": book.add_format({"bold": True, "top": 1}),
        "date": book.add_format({"num_format": "yyyy-mm-dd"}),
        "decimal": book.add_format({"num_format": "0.0#"}),
    }
    rows = plain_rows(table_of(result))
    sheet = book.add_worksheet(gettext("Report"))
    write_cells(sheet, 0, rows[0], formats["header"])
    for r, row in enumerate(rows[1:], start=1):
        for c, value in enumerate(row):
            write_cell(sheet, r, c, value, formats)
    if table_of(result).total:
        sheet.set_row(len(rows) - 1, None, formats["total"])
    for col, width in widths(rows).items():
        sheet.set_column(col, col, width)
    sheet.freeze_panes(1, 1)
    asked = book.add_worksheet(gettext("Criteria"))
    write_cells(asked, 0, [gettext("Criterion"), gettext("Value")], formats["header"])
    for r, (label, value) in enumerate(criteria_rows(result, asked_by, asked_at, allowed), start=1):
        write_cells(asked, r, [label, value])
    asked.set_column(0, 0, 22)
    asked.set_column(1, 1, 80)
    asked.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()

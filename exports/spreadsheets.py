"""The writers every spreadsheet and CSV export goes through, and their cell sanitising.

A cell is made safe at the last step, from its final text: whatever produced the value (a
column, a related record such as a client, site or staff member, a formatter, a list), the
writer turns it into text and neutralises that text. Nothing upstream needs to remember to."""

import csv
import io
from decimal import Decimal

import xlsxwriter

# What a spreadsheet may read as the start of a formula (OWASP's list, plus a line feed).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
# Strings stay strings: no formula, URL or number is made out of text.
WORKBOOK_OPTIONS = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


def neutralise_cell(value):
    """Text a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_cell(value):
    """The final form of one cell: a number stays a number (its text cannot be a formula),
    ``None`` is empty, and anything else becomes its text, neutralised."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    return neutralise_cell("" if value is None else str(value))


def csv_text(rows):
    """CSV of ``rows`` (the headings first), every cell through ``safe_cell``."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return out.getvalue()


def workbook_bytes(sheets):
    """One .xlsx with a sheet per ``(name, headers, rows)`` object (``.name``, ``.headers``,
    ``.rows``); headings in bold; every cell through ``safe_cell``."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS)
    bold = book.add_format({"bold": True})
    for sheet in sheets:
        page = book.add_worksheet(sheet.name[:31])
        page.write_row(0, 0, [safe_cell(h) for h in sheet.headers], bold)
        for number, row in enumerate(sheet.rows, start=1):
            page.write_row(number, 0, [safe_cell(v) for v in row])
    book.close()
    return buffer.getvalue()

"""The writers every spreadsheet and CSV export goes through, and their cell sanitising.

A cell is made safe at the last step, from its final text: whatever produced the value (a
column, a related record such as a client, site or staff member, a formatter, a list), the
writer turns it into text and makes that text safe. Nothing upstream needs to remember to.
In CSV, text a spreadsheet would run as a formula gets a leading apostrophe (``safe_cell``);
in xlsx, text is written as it is with ``write_string`` (``write_cells``): a string cell is
never a formula, so a phone number such as "+1 416 555 0123" reads back exactly."""

import csv
import io
import itertools
import tempfile
from decimal import Decimal

import xlsxwriter

# What a spreadsheet may read as the start of a formula (OWASP's list, plus a line feed).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
# Strings stay strings: no formula, URL or number is made out of text.
# UTF-8's byte-order mark opens every CSV file: without it Excel reads the file as the
# machine's old code page, and every accented letter of a French name comes out garbled.
# LibreOffice, Python's "utf-8-sig" and our own import read it and leave it out.
CSV_MARK = "\ufeff"
WORKBOOK_OPTIONS = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


def neutralise_cell(value):
    """Text a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_cell(value):
    """The final form of one CSV cell: ``xlsx_cell``'s (a number stays a number: its text cannot
    be a formula; ``None`` is empty; anything else its text), that text neutralised."""
    return neutralise_cell(xlsx_cell(value))


def xlsx_cell(value):
    """One cell's value for an xlsx: a number stays a number, ``None`` is empty, anything else
    becomes its text, as it is (``write_cells`` writes it as a string, never a formula)."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    return "" if value is None else str(value)


def write_cells(sheet, row, values, cell_format=None, first_column=0):
    """One row of an xlsx sheet: numbers with ``write_number``, text with ``write_string``
    (xlsxwriter never makes a formula, URL or number out of it), empty cells blank."""
    for column, value in enumerate(values, start=first_column):
        value = xlsx_cell(value)
        if not isinstance(value, str):
            sheet.write_number(row, column, value, cell_format)
        elif value:
            sheet.write_string(row, column, value, cell_format)
        else:
            sheet.write_blank(row, column, None, cell_format)


def csv_text(rows):
    """CSV of ``rows`` (the headings first), every cell through ``safe_cell``, after the mark."""
    out = io.StringIO(CSV_MARK)
    out.seek(0, io.SEEK_END)
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return out.getvalue()


def workbook_bytes(sheets):
    """One .xlsx with a sheet per ``(name, headers, rows)`` object (``.name``, ``.headers``,
    ``.rows``); headings in bold; every cell through ``write_cells``."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS)
    bold = book.add_format({"bold": True})
    for sheet in sheets:
        page = book.add_worksheet(sheet.name[:31])
        write_cells(page, 0, sheet.headers, bold)
        for number, row in enumerate(sheet.rows, start=1):
            write_cells(page, number, row)
    book.close()
    return buffer.getvalue()


# Streamed writers for exports of any length (the grids): rows arrive from an iterator, a
# batch at a time, and neither writer holds more than one chunk of output in memory.
CHUNK_BYTES = 64 * 1024
SHEET_ROWS = 1_048_576  # Excel's rows per sheet; a longer export continues on another sheet
STREAMED_BOOK_OPTIONS = {**WORKBOOK_OPTIONS, "in_memory": False, "constant_memory": True}


def csv_chunks(headers, rows):
    """CSV of ``headers`` then ``rows`` as text chunks of about ``CHUNK_BYTES``, every cell
    through ``safe_cell``, after the mark: the body of a streamed response."""
    out = io.StringIO(CSV_MARK)
    out.seek(0, io.SEEK_END)
    writer = csv.writer(out)
    for row in itertools.chain([headers], rows):
        writer.writerow([safe_cell(value) for value in row])
        if out.tell() >= CHUNK_BYTES:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def workbook_file(title, headers, rows, sheet_rows=SHEET_ROWS):
    """An .xlsx of ``headers`` then ``rows`` in a temporary file (deleted when closed), at its
    start. xlsxwriter's ``constant_memory`` mode writes each row to disk as it comes; headings
    bold and frozen; past ``sheet_rows`` rows the export goes on in a new sheet, headings again."""
    target = tempfile.TemporaryFile()
    book = xlsxwriter.Workbook(target, STREAMED_BOOK_OPTIONS)
    bold = book.add_format({"bold": True})
    headings = [xlsx_cell(h) for h in headers]
    page, number = None, sheet_rows
    for row in rows:
        if number >= sheet_rows:
            page, number = _sheet(book, title, headings, bold), 1
        write_cells(page, number, row)
        number += 1
    if page is None:
        _sheet(book, title, headings, bold)
    book.close()
    target.seek(0)
    return target


def _sheet(book, title, headings, bold):
    count = len(book.worksheets())
    name = title[:31] if not count else f"{title[:24]} ({count + 1})"
    page = book.add_worksheet(name)
    write_cells(page, 0, headings, bold)
    page.freeze_panes(1, 0)
    for column, heading in enumerate(headings):
        page.set_column(column, column, min(max(len(str(heading)) + 4, 12), 40))
    return page


def file_chunks(fileobj, size=CHUNK_BYTES):
    """The bytes of an open file, a chunk at a time; the file is closed at the end (a
    temporary file is then deleted), also when the download stops early."""
    with fileobj:
        while chunk := fileobj.read(size):
            yield chunk

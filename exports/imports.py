"""The client import (issue 11, item 8): the template workbook and the reading and checking of
an uploaded xlsx or CSV file, both derived from the client profile (``models/client_profile.py``)
and the reference lists. The write side is ``models/client_import.py``.

The columns are the named profile's fields, headed by their labels, then the extra columns of
``exports/import_extras.py`` (emergency contact, assigned worker, the agency's profile questions,
privacy consent on paper, Anonymous client); a list field's values are its reference list, its
fixed values or its iCARE list (the ``Lists`` sheet), the registration site one of the agency's
sites, the assigned worker one of its active staff. ``check_file`` reads a file and checks every row and cell
(nothing is written): it returns the rows as profile values, the problems (row and column
named) and the likely duplicates of existing clients and of other rows of the file.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

import xlsxwriter
from flask_babel import force_locale, gettext, lazy_gettext
from xlsxwriter.utility import xl_col_to_name

from exports.import_extras import extra_fields, extra_problems, staff_values, stored
from exports.import_values import SEPARATOR, BadValue, cell_reader, cross_field_problems
from exports.spreadsheets import WORKBOOK_OPTIONS, write_cells
from models.agencies import sites
from models.bulk_insert import collector_paused
from models.client_import import likely_duplicates_in
from models.client_profile import PROFILE, ProfileField
from models.clients import family_code_of
from models.reference import choices, value_label
from models.staff import LANGUAGES

SHEET, INSTRUCTIONS, LISTS = "Clients", "Instructions", "Lists"
MAX_ROWS = 100_000  # clients per file
MAX_UNZIPPED = 400 * 2**20  # an xlsx inflating beyond this is refused unread (a zip bomb)
TEMPLATE_ROWS = 5000  # rows of the Clients sheet that get the drop-downs
XLSX_MAGIC = b"PK\x03\x04"
TYPE_HINTS = {
    "text": lazy_gettext("Text"),
    "textarea": lazy_gettext("Text"),
    "phone": lazy_gettext("Phone number, any format"),
    "email": lazy_gettext("Email address"),
    "postal_code": lazy_gettext("Canadian postal code (A1A 1A1)"),
    "date": lazy_gettext("Date, YYYY-MM-DD"),
    "birth_date": lazy_gettext("Date, YYYY-MM-DD"),
    "year": lazy_gettext("Year, e.g. 2019"),
    "yesno": lazy_gettext("Yes or No"),
    "choice": lazy_gettext("One value of the list"),
    "multichoice": lazy_gettext("Values of the list separated by ;"),
    "site": lazy_gettext("One of the agency's sites"),
    "staff": lazy_gettext("A staff member's email (the list)"),
    "number": lazy_gettext("Number"),
    "answer_date": lazy_gettext("Date, YYYY-MM-DD"),
}


class FileRefused(ValueError):
    """The file as a whole cannot be read; ``str()`` is the message."""


@dataclass(frozen=True)
class ImportColumn:
    """One column of the import: a profile field, with its list (``values``) when it has one."""

    spec: ProfileField
    values: tuple = ()
    lookup: dict = field(default_factory=dict, compare=False)  # casefolded text -> stored value

    @property
    def heading(self):
        label = str(self.spec.label)
        return label[:1].upper() + label[1:]

    @property
    def required(self):
        return self.spec.required and self.spec.default is None


def list_values(spec, site_rows, staff_rows=None):
    """``[(shown, stored)]``: a list field's values (a site: its name and id)."""
    if spec.type == "site":
        return [(site.name, site.id) for site in site_rows]
    if spec.type == "staff":
        return staff_values() if staff_rows is None else staff_rows
    if spec.type == "yesno":
        return [(gettext("Yes"), True), (gettext("No"), False)]
    if spec.type not in ("choice", "multichoice"):
        return []
    fixed = spec.options()
    pairs = [(v, value_label(spec.list_name, v)) for v in fixed] if fixed is not None else choices(spec.values)
    return [(label, value) for value, label in pairs]


def import_columns(site_rows=None, staff_rows=None, questions=True):
    """The template's columns: the profile's fields in profile order, then the extra columns
    (``exports/import_extras.py``; ``questions=False``: not the agency's questions). ``site_rows``: the agency's sites
    (default the current agency's active ones); ``staff_rows``: ``[(email, id)]`` of the
    assigned-worker list (default the current agency's active staff)."""
    site_rows = sites(active_only=True) if site_rows is None else site_rows
    specs = list(PROFILE) + extra_fields(profile_headings(), questions)
    columns = []
    for spec in specs:
        pairs = list_values(spec, site_rows, staff_rows)
        lookup = {str(stored).casefold(): stored for _shown, stored in pairs if isinstance(stored, str)}  # English too
        lookup.update({"yes": True, "no": False} if spec.type == "yesno" else {})
        lookup.update({str(shown).casefold(): stored for shown, stored in pairs})
        columns.append(ImportColumn(spec, tuple(shown for shown, _ in pairs), lookup))
    return columns


def profile_headings():
    """The profile's headings in every interface language, casefolded: an agency question headed
    like one of them, in either language, gets "(agency question)"."""
    found = set()
    for language in LANGUAGES:
        with force_locale(language):
            found |= {str(spec.label).casefold() for spec in PROFILE}
    return found


# --- the template ---


def instructions(columns):
    """The rows of the Instructions sheet."""
    head = [
        [gettext("Importing clients into OCMS-Flask")],
        [gettext("1. Type one client per row on the Clients sheet, from row 2. Keep row 1 (the headings) as it is.")],
        [gettext("2. Yellow headings are required. Other columns may stay empty or be deleted.")],
        [gettext("3. Choose list values from the drop-downs (the lists are on the Lists sheet); dates as YYYY-MM-DD.")],
        [gettext("4. Type values, not formulas. Save as .xlsx (or CSV, UTF-8), then upload it on Import clients.")],
        [gettext("5. The check lists every problem by row and column and the likely duplicates; nothing is imported")],
        [gettext("   until every row is right, and then every row is imported at once.")],
        [],
        [gettext("Column"), gettext("Required"), gettext("What to type"), gettext("Help")],
    ]
    return head + [
        [c.heading, gettext("Yes") if c.required else "", str(TYPE_HINTS[c.spec.type]), str(c.spec.help)] for c in columns
    ]


def template_bytes(columns=None):
    """The import template (.xlsx): Instructions, the Clients sheet with drop-downs, Lists."""
    columns = import_columns() if columns is None else columns
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS)
    bold = book.add_format({"bold": True})
    write_rows(book.add_worksheet(INSTRUCTIONS), instructions(columns), bold, widths=(28, 10, 34, 70))
    clients, lists = book.add_worksheet(SHEET), book.add_worksheet(LISTS)
    required = book.add_format({"bold": True, "bg_color": "#FFF2A8"})
    as_text = book.add_format({"num_format": "@"})
    as_date = book.add_format({"num_format": "yyyy-mm-dd"})
    list_column = 0
    for number, column in enumerate(columns):
        write_cells(clients, 0, [column.heading], required if column.required else bold, first_column=number)
        is_date = column.spec.type in ("date", "birth_date")
        clients.set_column(number, number, max(14, len(column.heading) + 2), as_date if is_date else as_text)
        if column.values:
            write_list(lists, list_column, column, bold)
            if column.spec.type != "multichoice":
                letter = xl_col_to_name(list_column)
                source = f"=Lists!${letter}$2:${letter}${len(column.values) + 1}"
                clients.data_validation(1, number, TEMPLATE_ROWS, number, {"validate": "list", "source": source})
            list_column += 1
    clients.freeze_panes(1, 0)
    clients.activate()
    book.close()
    return buffer.getvalue()


def write_rows(sheet, rows, bold, widths=()):
    for number, row in enumerate(rows):
        write_cells(sheet, number, row, bold if number in (0, 8) else None)
    for number, width in enumerate(widths):
        sheet.set_column(number, number, width)


def write_list(sheet, number, column, bold):
    write_cells(sheet, 0, [column.heading], bold, first_column=number)
    for row, value in enumerate(column.values, start=1):
        write_cells(sheet, row, [value], first_column=number)
    sheet.set_column(number, number, min(60, max(16, *(len(str(v)) for v in column.values))))


# --- reading a file ---


@dataclass
class Problem:
    """Something wrong in the file: ``row`` and ``column`` (its letter) when it is one cell."""

    message: str
    row: int | None = None
    column: str | None = None
    heading: str | None = None

    def __str__(self):
        if self.row and self.column:
            where = gettext(
                "Row %(row)s, column %(column)s (%(heading)s)", row=self.row, column=self.column, heading=self.heading
            )
        elif self.row:
            where = gettext("Row %(row)s", row=self.row)
        else:
            return self.message
        return f"{where}: {self.message}"


@dataclass
class ImportRow:
    number: int  # the row in the file (row 1 holds the headings)
    values: dict  # profile field name -> value


@dataclass
class ImportCheck:
    """The dry run of one file."""

    filename: str
    rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    duplicates: list = field(default_factory=list)  # models.client_import.Duplicate
    total: int = 0  # client rows read (good and bad)

    @property
    def is_valid(self):
        return bool(self.rows) and not self.problems


def read_table(data, filename):
    """``(headings, rows)`` of an xlsx or CSV upload; rows are ``(row number, cells)``."""
    if not data:
        raise FileRefused(gettext("The file is empty."))
    if data.startswith(XLSX_MAGIC):
        return read_xlsx(data)
    if filename.lower().endswith((".xls", ".ods", ".numbers")) or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused(gettext("Save the file as .xlsx (Excel) or CSV first, then upload that."))
    return read_csv(data)


def read_xlsx(data):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(item.file_size for item in archive.infolist()) > MAX_UNZIPPED:
                raise FileRefused(gettext("The file is too large to read: split it into several files."))
        import openpyxl  # loaded with the first file read (8 MiB a process that reads none does not hold)

        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except FileRefused:
        raise
    except Exception:  # openpyxl raises many kinds for a damaged or foreign zip
        raise FileRefused(gettext("This file cannot be read as an Excel workbook (.xlsx).")) from None
    sheet = pick_sheet(book)
    try:
        rows = sheet.iter_rows(values_only=True)
        headings = next(rows, None)
    except Exception:  # a damaged sheet (or a chart sheet)
        raise FileRefused(gettext("This file cannot be read as an Excel workbook (.xlsx).")) from None
    return list(headings or ()), xlsx_rows(rows)


def xlsx_rows(rows):
    """``(row number, cells)`` from row 2; a sheet damaged further down is refused there."""
    number = 1
    try:
        for number, cells in enumerate(rows, start=2):
            yield number, list(cells)
    except Exception:
        raise FileRefused(gettext("This Excel file cannot be read after row %(row)s.", row=number)) from None


def pick_sheet(book):
    """The Clients sheet, or the workbook's one data sheet."""
    if SHEET in book.sheetnames:
        return book[SHEET]
    data_sheets = [name for name in book.sheetnames if name not in (INSTRUCTIONS, LISTS)]
    if len(data_sheets) == 1:
        return book[data_sheets[0]]
    names = ", ".join(book.sheetnames)
    raise FileRefused(gettext("The workbook has no sheet named “%(sheet)s” (it has: %(names)s).", sheet=SHEET, names=names))


def csv_text(data):
    """A CSV file's text: UTF-8 (with or without its mark), else Windows-1252 (Excel's "CSV" on Windows)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_csv(data):
    if b"\x00" in data:
        raise FileRefused(gettext("This file is neither an Excel workbook (.xlsx) nor a CSV text file."))
    text = csv_text(data)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headings = next(reader, None)
    except csv.Error:
        raise FileRefused(gettext("This CSV file cannot be read.")) from None
    return list(headings or ()), csv_rows(reader)


def csv_rows(reader):
    try:
        yield from enumerate(reader, start=2)
    except csv.Error as error:
        raise FileRefused(
            gettext("This CSV file cannot be read after row %(row)s (%(error)s).", row=reader.line_num, error=error)
        ) from None


# --- checking ---


def heading_key(text):
    return re.sub(r"\s+", " ", str(text if text is not None else "")).strip().rstrip("*").strip().casefold()


def match_headings(headings, columns):
    """``({position: column}, problems)``: every heading a column of the template, once; the
    required columns present."""
    known = {c.spec.name.casefold(): c for c in columns}
    for language in LANGUAGES:  # a template downloaded in either language fits whoever uploads it
        with force_locale(language):
            known |= {heading_key(c.heading): c for c in columns}
    found, problems, seen = {}, [], set()
    for position, heading in enumerate(headings):
        key, letter = heading_key(heading), xl_col_to_name(position)
        if not key:
            continue
        column = known.get(key)
        if column is None:
            problems.append(
                Problem(
                    gettext("“%(heading)s” is not a column of the import template.", heading=str(heading)[:100]),
                    1,
                    letter,
                    str(heading)[:100],
                )
            )
        elif column.spec.name in seen:
            problems.append(Problem(gettext("This column appears twice."), 1, letter, column.heading))
        else:
            seen.add(column.spec.name)
            found[position] = column
    for column in columns:
        if column.required and column.spec.name not in seen:
            problems.append(Problem(gettext("The required column “%(heading)s” is missing.", heading=column.heading), 1))
    return found, problems


def check_row(number, cells, placed):
    """``(values, problems)`` of one row; ``placed``: ``[(position, letter, column, read)]``
    (``read``: the column's ``cell_reader``)."""
    values, problems, width = {}, [], len(cells)
    for position, letter, column, read in placed:
        cell = cells[position] if position < width else None
        if isinstance(cell, str):
            cell = cell.strip()
            if cell.startswith("="):
                problems.append(Problem(gettext("Formulas are not accepted: type the value."), number, letter, column.heading))
                continue
        if cell is None or cell == "":
            if column.required:
                message = column.spec.required_message or gettext("This column is required.")
                problems.append(Problem(message, number, letter, column.heading))
            continue
        try:
            values[column.spec.name] = stored(column.spec, read(cell))
        except BadValue as error:
            problems.append(Problem(str(error), number, letter, column.heading))
    for name, message in cross_field_problems(values) + extra_problems(values):
        where = next(((letter, column.heading) for _, letter, column, _ in placed if column.spec.name == name), (None, None))
        problems.append(Problem(message, number, *where))
    return complete(values), problems


def stray_cells(cells, found):
    """Positions holding data under no known heading."""
    return [p for p, cell in enumerate(cells) if p not in found and cell is not None and str(cell).strip()]


def complete(values):
    """What the form adds: a new family code for NEW or NOUVEAU, the arrival year of an arrival date."""
    if "family_code" in values:
        values["family_code"] = family_code_of(values["family_code"])
    if values.get("arrival_date"):
        values["arrival_year"] = values["arrival_date"].year
    return values


@collector_paused()
def check_file(data, filename, columns=None):
    """The dry run: read and check every row; the likely duplicates of the good rows."""
    check = ImportCheck(filename)
    columns = import_columns() if columns is None else columns
    try:
        headings, rows = read_table(data, filename)
        check_rows(check, headings, rows, columns)
    except FileRefused as error:
        check.rows, check.problems = [], [Problem(str(error))]
        return check
    if not check.rows and not check.problems:
        check.problems.append(Problem(gettext("The file holds no client rows (row 1 is for the headings).")))
    check.duplicates = likely_duplicates_in([(row.number, row.values) for row in check.rows])
    return check


def check_rows(check, headings, rows, columns):
    found, check.problems = match_headings(headings, columns)
    if not any(heading_key(h) for h in headings):
        raise FileRefused(gettext("Row 1 must hold the column headings of the import template."))
    if check.problems:
        return
    placed = [(p, xl_col_to_name(p), column, cell_reader(column)) for p, column in found.items()]
    for number, cells in rows:
        if not any(cell is not None and str(cell).strip() for cell in cells):
            continue
        check.total += 1
        if check.total > MAX_ROWS:
            raise FileRefused(gettext("The file has more than %(limit)s clients: split it into several files.", limit=MAX_ROWS))
        for position in stray_cells(cells, found):
            letter = xl_col_to_name(position)
            check.problems.append(
                Problem(gettext("This column has no heading: remove the value or add the heading."), number, letter, "")
            )
        values, problems = check_row(number, cells, placed)
        check.problems += problems
        if not problems:
            check.rows.append(ImportRow(number, values))


__all__ = ["SEPARATOR", "FileRefused", "ImportCheck", "Problem", "check_file", "import_columns", "template_bytes"]

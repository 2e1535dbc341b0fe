"""Employment Action Plans imported from a CSV export (columns in ``docs/PORTAL.md``; a sample
is ``reference_data/eap_import_sample.csv``).

One row per record: a ``plan`` row gives a case (its client, CaMS case number, start date,
status, caseworker, employment goal); ``sub_goal``, ``item`` and ``outcome`` rows belong to the
plan row with the same ``case_number``. The client is found by ``cams_number`` or
``registration_number`` among the current agency's clients only (tenancy scopes every lookup):
another agency's number is "no client of your agency".

``check_csv`` is the dry run: every problem with its row and column, nothing written.
``import_csv`` checks again and writes every plan or none: the caller commits once, or rolls
back. A case already in OCMS (same CaMS case number, same client) is replaced by the file's
content, so importing the same export twice changes nothing.
"""

from dataclasses import dataclass, field

from flask_babel import gettext, lazy_gettext
from sqlalchemy import select

from exports.imports import FileRefused, read_csv
from extensions import db
from models.base import utcnow
from models.cams import cams_of, client_with_cams, normal_cams, set_cams
from models.clients import Client
from models.eap import PARTS, add_part, case_values, part_values, plan_with_case, save_plan
from models.errors import InvalidEntry

COLUMNS = (
    "record",
    "case_number",
    "cams_number",
    "registration_number",
    "start_date",
    "status",
    "caseworker",
    "employment_goal",
    "description",
    "responsible",
    "target_date",
    "item_status",
    "outcome_type",
    "outcome_date",
    "employer",
    "notes",
)
REQUIRED = ("record", "case_number")
MAX_ROWS = 5000


@dataclass
class Problem:
    row: int | None  # the file's line (the headings are row 1); None: the whole file
    column: str
    message: str


@dataclass
class Case:
    row: int
    client: object
    values: dict
    cams_number: str | None
    parts: list = field(default_factory=list)  # (record, values)


@dataclass
class Check:
    problems: list = field(default_factory=list)
    cases: dict = field(default_factory=dict)  # case number -> Case
    cams_given: dict = field(default_factory=dict)  # CaMS number the file gives -> (client id, row)

    @property
    def is_valid(self):
        return bool(self.cases) and not self.problems

    def add(self, row, column, message):
        self.problems.append(Problem(row, column, str(message)))


def read_rows(data, filename):
    """``(headings, rows)`` of a CSV upload, or ``FileRefused`` with a clear message."""
    if not data or not data.strip():
        raise FileRefused(gettext("The file is empty."))
    if data.startswith(b"PK") or data.startswith(b"%PDF") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused(gettext("This is not a CSV file: export the plans as CSV (comma-separated values)."))
    headings, rows = read_csv(data)
    return [str(h or "").strip().lower() for h in headings], rows


def check_headings(check, headings):
    unknown = [h for h in headings if h and h not in COLUMNS]
    missing = [c for c in REQUIRED if c not in headings]
    if unknown:
        check.add(1, ", ".join(unknown), gettext("Unknown column. The columns are: %(columns)s.", columns=", ".join(COLUMNS)))
    if missing:
        check.add(1, ", ".join(missing), gettext("This column is missing."))
    if len(set(headings)) != len(headings):
        check.add(1, "", gettext("A column appears twice."))
    return not check.problems


def check_csv(data, filename=""):
    """The dry run: a ``Check`` of the whole file (nothing is written)."""
    check = Check()
    try:
        headings, rows = read_rows(data, filename)
        if not check_headings(check, headings):
            return check
        records = [(number, dict(zip(headings, [str(c or "").strip() for c in cells], strict=False))) for number, cells in rows]
    except FileRefused as refused:
        check.add(None, "", str(refused))
        return check
    records = [(number, row) for number, row in records if any(row.values())]
    if not records:
        check.add(None, "", gettext("The file has no rows under its headings."))
    elif len(records) > MAX_ROWS:
        check.add(None, "", gettext("Up to %(n)s rows per file: split the file.", n=MAX_ROWS))
    else:
        check_records(check, records)
    return check


def check_records(check, records):
    for number, row in records:
        if row.get("record", "").lower() == "plan":
            check_plan_row(check, number, row)
    for number, row in records:
        record = row.get("record", "").lower()
        if record != "plan":
            check_part_row(check, number, row, record)


def check_plan_row(check, number, row):
    try:
        values = case_values({**row, "case_number": row.get("case_number") or "-"})
    except InvalidEntry as error:
        return check.add(number, error.field, error.message)
    if values["case_number"] in check.cases:
        return check.add(
            number,
            "case_number",
            lazy_gettext("This case number has a plan row already (row %(row)s).", row=check.cases[values["case_number"]].row),
        )
    client, cams = find_client(check, number, row)
    if client is None:
        return None
    existing = plan_with_case(values["case_number"])
    if existing is not None and existing.client_id != client.id:
        return check.add(number, "case_number", lazy_gettext("This CaMS case number is another client's plan."))
    if cams and not cams_consistent(check, number, client, cams):
        return None
    check.cases[values["case_number"]] = Case(number, client, values, cams)
    return None


def cams_consistent(check, number, client, cams):
    """One CaMS number per client, and one client per number, across the file's rows."""
    given = check.cams_given.get(cams)
    other = next((row for n, (cid, row) in check.cams_given.items() if cid == client.id and n != cams), None)
    if (given and given[0] != client.id) or other:
        row = given[1] if given else other
        check.add(
            number,
            "cams_number",
            gettext("Row %(row)s gives another CaMS number for this client or this number to another client.", row=row),
        )
        return False
    check.cams_given[cams] = (client.id, number)
    return True


def find_client(check, number, row):
    """The agency's client the row names, and the CaMS number to give them (or ``None``)."""
    cams_text, registration = row.get("cams_number", ""), row.get("registration_number", "").upper()
    if not cams_text and not registration:
        check.add(number, "cams_number", gettext("Give the client's CaMS number or registration number."))
        return None, None
    try:
        cams = normal_cams(cams_text) if cams_text else None
    except InvalidEntry as error:
        check.add(number, "cams_number", error.message)
        return None, None
    by_cams = client_with_cams(cams) if cams else None
    by_number = client_by_registration(registration) if registration else None
    if registration and by_number is None:
        check.add(number, "registration_number", gettext("No client of your agency has this registration number."))
        return None, None
    if by_cams is not None and by_number is not None and by_cams != by_number.id:
        check.add(number, "cams_number", gettext("This CaMS number is another client's than the registration number's."))
        return None, None
    client = by_number or (db.session.get(Client, by_cams) if by_cams else None)
    if client is None:
        check.add(number, "cams_number", gettext("No client of your agency has this CaMS number."))
        return None, None
    held = cams_of(client)
    if cams and held is not None and held.cams_number != cams:
        check.add(number, "cams_number", gettext("This client's CaMS number is %(number)s.", number=held.cams_number))
        return None, None
    return client, cams if held is None else None


def client_by_registration(text):
    """The agency's client with registration number ``C000042`` (or ``42``); scoped."""
    digits = text[1:] if text.startswith("C") else text
    if not digits.isdigit() or len(digits) > 9:
        return None
    return db.session.scalar(select(Client).where(Client.id == int(digits), Client.kind == "named"))


def check_part_row(check, number, row, record):
    if record not in PARTS:
        return check.add(number, "record", lazy_gettext("Choose one of: %(values)s.", values="plan, " + ", ".join(PARTS)))
    case = row.get("case_number", "")
    try:
        case = normal_cams(case)
        values = part_values(record, row)
    except InvalidEntry as error:
        return check.add(number, error.field, error.message)
    if case not in check.cases:
        if not any(p.row == number for p in check.problems):
            check.add(number, "case_number", gettext("No plan row of this file has this case number."))
        return None
    check.cases[case].parts.append((record, values))
    return None


def import_csv(data, filename="", staff=None):
    """The check, then every plan of the file written (nothing when it has a problem). Returns the
    ``Check``; the caller commits when ``is_valid``."""
    check = check_csv(data, filename)
    if not check.is_valid:
        return check
    now = utcnow()
    for case_number, case in check.cases.items():
        if case.cams_number:
            set_cams(case.client, case.cams_number, staff)
        plan = save_plan(case.client, case.values, plan_with_case(case_number), source="import")
        plan.source, plan.imported_at = "import", now
        plan.sub_goals, plan.items, plan.outcomes = [], [], []
        for record, values in case.parts:
            add_part(plan, record, values)
    db.session.flush()
    return check

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
from itertools import islice

from flask_babel import gettext, lazy_gettext
from sqlalchemy import or_, select

from exports.imports import FileRefused, read_csv
from extensions import db
from models.base import utcnow
from models.cams import ClientCamsNumber, normal_cams
from models.clients import Client
from models.eap import PARTS, EmploymentActionPlan, add_part, case_values, part_values
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
    cams_number: str | None  # to give the client (they have none yet)
    existing: object = None  # the plan of this case already in OCMS, replaced by the file's
    parts: list = field(default_factory=list)  # (record, values)


@dataclass
class Check:
    problems: list = field(default_factory=list)
    cases: dict = field(default_factory=dict)  # case number -> Case
    cams_given: dict = field(default_factory=dict)  # CaMS number the file gives -> (client id, row)
    lookup: object = None

    @property
    def is_valid(self):
        return bool(self.cases) and not self.problems

    def add(self, row, column, message):
        self.problems.append(Problem(row, column, str(message)))


@dataclass
class Lookup:
    """What the file's plan rows name, read in a few queries (scoped: the current agency only)."""

    clients: dict  # client id -> Client
    cams_holders: dict  # CaMS number -> client id
    cams_of_client: dict  # client id -> CaMS number
    plans: dict  # case number -> EmploymentActionPlan


def quiet_cams(text):
    try:
        return normal_cams(text) if text else None
    except InvalidEntry:
        return None


def registration_id(text):
    """The client id of a registration number ``C000042`` (or ``42``), or ``None``."""
    text = (text or "").upper()
    digits = text[1:] if text.startswith("C") else text
    return int(digits) if digits.isascii() and digits.isdecimal() and len(digits) <= 9 else None


def lookup_for(records):
    plan_rows = [row for _, row in records if row.get("record", "").lower() == "plan"]
    numbers = {quiet_cams(row.get("cams_number")) for row in plan_rows} - {None}
    asked = {registration_id(row.get("registration_number")) for row in plan_rows} - {None}
    cases = {quiet_cams(row.get("case_number")) for row in plan_rows} - {None}
    query = select(ClientCamsNumber).where(or_(ClientCamsNumber.cams_number.in_(numbers), ClientCamsNumber.client_id.in_(asked)))
    cams_rows = db.session.scalars(query).all()
    ids = asked | {row.client_id for row in cams_rows}
    clients = db.session.scalars(select(Client).where(Client.id.in_(ids), Client.kind == "named")).all()
    plans = db.session.scalars(select(EmploymentActionPlan).where(EmploymentActionPlan.case_number.in_(cases))).all()
    return Lookup(
        {c.id: c for c in clients},
        {r.cams_number: r.client_id for r in cams_rows},
        {r.client_id: r.cams_number for r in cams_rows},
        {p.case_number: p for p in plans},
    )


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
        named = ((number, dict(zip(headings, [str(c or "").strip() for c in cells], strict=False))) for number, cells in rows)
        # one row past the limit is enough to refuse the file: a huge file is never all in memory
        records = list(islice(((number, row) for number, row in named if any(row.values())), MAX_ROWS + 1))
    except FileRefused as refused:
        check.add(None, "", str(refused))
        return check
    if not records:
        check.add(None, "", gettext("The file has no rows under its headings."))
    elif len(records) > MAX_ROWS:
        check.add(None, "", gettext("Up to %(n)s rows per file: split the file.", n=MAX_ROWS))
    else:
        check_records(check, records)
    return check


def check_records(check, records):
    check.lookup = lookup_for(records)
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
    existing = check.lookup.plans.get(values["case_number"])
    if existing is not None and existing.client_id != client.id:
        return check.add(number, "case_number", lazy_gettext("This CaMS case number is another client's plan."))
    if cams and not cams_consistent(check, number, client, cams):
        return None
    check.cases[values["case_number"]] = Case(number, client, values, cams, existing)
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
    lookup = check.lookup
    by_cams = lookup.cams_holders.get(cams) if cams else None
    by_number = lookup.clients.get(registration_id(registration)) if registration else None
    if registration and by_number is None:
        check.add(number, "registration_number", gettext("No client of your agency has this registration number."))
        return None, None
    if by_cams is not None and by_number is not None and by_cams != by_number.id:
        check.add(number, "cams_number", gettext("This CaMS number is another client's than the registration number's."))
        return None, None
    client = by_number or lookup.clients.get(by_cams)
    if client is None:
        check.add(number, "cams_number", gettext("No client of your agency has this CaMS number."))
        return None, None
    held = lookup.cams_of_client.get(client.id)
    if cams and held is not None and held != cams:
        check.add(number, "cams_number", gettext("This client's CaMS number is %(number)s.", number=held))
        return None, None
    return client, cams if held is None else None


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
    now, staff_id, numbered = utcnow(), staff.id if staff else None, set()
    with db.session.no_autoflush:  # one flush at the end (every lookup was made by the check)
        for case in check.cases.values():
            client = case.client
            if case.cams_number and client.id not in numbered:  # a client's second case names the same number
                numbered.add(client.id)
                cams = ClientCamsNumber(client_id=client.id, agency_id=client.agency_id, cams_number=case.cams_number)
                cams.added_by_id = staff_id
                db.session.add(cams)
            plan = case.existing or EmploymentActionPlan(client_id=client.id, agency_id=client.agency_id)
            db.session.add(plan)
            for name, value in case.values.items():
                setattr(plan, name, value)
            plan.source, plan.imported_at = "import", now
            plan.sub_goals, plan.items, plan.outcomes = [], [], []
            for record, values in case.parts:
                add_part(plan, record, values)
    db.session.flush()
    return check

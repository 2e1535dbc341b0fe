"""iCARE's returned file: the final file we sent, with its Processing Details column filled.

The file is read against the final file it answers (chosen on the page): the same sheet, the
same columns (row 2), the same records row for row (the identifying cells of each row compared
with what we wrote, so a file of another agency or month is refused). Nothing is marked unless
the whole file is valid; then each row's verdict marks its record accepted (iCARE's record id
kept, for later updates) or rejected with iCARE's message, which makes it eligible again.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field

from flask_babel import gettext

from extensions import db
from models.base import utcnow
from models.icare_records import icare_scope
from models.icare_templates import BIRTH_DATE, COURSE_CODE, IDENTIFIER, template

KEY_CODES = (IDENTIFIER, BIRTH_DATE, COURSE_CODE)
RECORD_ID = re.compile(r"RID:\s*([A-Za-z0-9-]*)")
HEADER = re.compile(r"^(\[[^\]]*\])+\s*")
SUCCESS = ("success", "accepted", "processed", "réussi", "traité")


class ReturnedFileError(ValueError):
    """The returned file cannot be read against its final file (the message says why)."""


@dataclass
class ReturnResult:
    accepted: int = 0
    rejected: int = 0
    no_verdict: int = 0
    messages: list = field(default_factory=list)


def verdict(text):
    """``(status, iCARE record id)`` of one Processing Details cell (status ``None``: empty)."""
    text = (text or "").strip()
    if not text:
        return None, None
    found = RECORD_ID.search(text)
    record_id = found.group(1) if found and found.group(1) else None
    message = HEADER.sub("", text).strip().lower()
    if not message and record_id or any(word in message for word in SUCCESS):
        return "accepted", record_id
    return "rejected", record_id


def sheet_rows(content, sheet_name):
    """The rows (lists of text) of ``sheet_name`` in an xlsx, or ``ReturnedFileError``."""
    try:
        import openpyxl  # loaded with the first returned file (exports/imports.py)

        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as error:
        raise ReturnedFileError(
            gettext("This is not an xlsx file iCARE returned (%(error)s).", error=error.__class__.__name__)
        ) from None
    if sheet_name not in book.sheetnames:
        raise ReturnedFileError(
            gettext(
                "The file has no sheet named '%(sheet)s' (it has: %(sheets)s).",
                sheet=sheet_name,
                sheets=", ".join(book.sheetnames),
            )
        )
    rows = [["" if v is None else str(v).strip() for v in row] for row in book[sheet_name].iter_rows(values_only=True)]
    book.close()
    return rows


def check_columns(codes, expected):
    missing = [c for c in expected if c not in codes]
    extra = [c for c in codes if c and c not in expected]
    if missing or extra:
        parts = ([gettext("missing columns: %(codes)s", codes=", ".join(missing))] if missing else []) + (
            [gettext("unexpected columns: %(codes)s", codes=", ".join(extra))] if extra else []
        )
        raise ReturnedFileError(gettext("Row 2 does not match the template (%(problems)s).", problems="; ".join(parts)))
    if codes[: len(expected)] != list(expected):
        raise ReturnedFileError(gettext("Row 2 has the template's columns in another order."))


def matched_rows(upload, content):
    """The returned data rows, each checked against the row we sent."""
    tpl = template(upload.sheet)
    expected = [c.code for c in tpl.columns]
    returned, sent = sheet_rows(content, tpl.sheet), sheet_rows(upload.content, tpl.sheet)
    if len(returned) < 3:
        raise ReturnedFileError(gettext("The sheet has no row 2 (codes) and row 3 (labels)."))
    codes = [c for c in returned[1]]
    while codes and not codes[-1]:
        codes.pop()
    check_columns(codes, expected)
    data, ours = [r for r in returned[3:] if any(r)], sent[3:]
    if len(data) != len(ours):
        raise ReturnedFileError(
            gettext(
                "The file has %(count)s records; the final file of %(month)s sent %(sent)s: "
                "is it another agency's or another month's file?",
                count=len(data),
                month=upload.month,
                sent=len(ours),
            )
        )
    keys = [expected.index(code) for code in KEY_CODES if code in expected]
    for number, (row, mine) in enumerate(zip(data, ours, strict=True), start=4):
        if [cell(row, i) for i in keys] != [cell(mine, i) for i in keys]:
            raise ReturnedFileError(
                gettext(
                    "Row %(row)s is not the record the final file of %(month)s sent there: "
                    "is it another agency's or another month's file?",
                    row=number,
                    month=upload.month,
                )
            )
    return data


def cell(row, index):
    return row[index] if index < len(row) else ""


def read_returned(upload, content):
    """Mark the upload's records from iCARE's returned file (the caller commits)."""
    rows = matched_rows(upload, content)
    result = ReturnResult()
    items = {item.row_number: item for item in upload.items}
    with icare_scope(upload.agency_id):
        for number, row in enumerate(rows, start=4):
            status, record_id = verdict(cell(row, 0))
            item = items.get(number)
            if item is None or status is None:
                result.no_verdict += 1
                continue
            item.status, item.message = status, cell(row, 0)
            item.icare_record_id = record_id or item.icare_record_id
            setattr(result, status, getattr(result, status) + 1)
        upload.returned_at = utcnow()
        db.session.flush()
    return result

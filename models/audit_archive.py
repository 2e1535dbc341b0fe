"""Archiving the audit trail: which rows leave the table, the claim on an agency's rows, and
their removal (``flask --app app archive-audit``; the file is written by exports/audit_archive.py).

- A run archives, per agency, the audit rows older than the first day of a month, except the
  ``archive`` events themselves: they are the index of the archive files and stay in the table.
- The cut-off month must be before the current one, and at least ``KEPT_MONTHS`` months before
  it unless forced: the last year stays on line for the grid, the client tabs and access requests.
- Removal is the one sanctioned delete of audit rows (the ORM refuses them, models/audit.py):
  a Core ``DELETE`` on the table, limited to the agency, that runs only when the file read back
  holds exactly the rows selected (count and a SHA-256 of their ids) and that must remove
  exactly that many rows; otherwise ``ArchiveMismatch`` and the caller rolls back.
- The job runs as a system principal for the agency declaring nothing beyond tenancy: it reads
  audit rows only, never a restricted record.
"""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, func, select
from sqlalchemy.exc import OperationalError

from extensions import db
from models.audit import AuditEvent, record_event
from models.base import utcnow
from models.principal import Declaration

ARCHIVING = Declaration.of("audit archiving")  # reads audit rows only: nothing restricted
KEPT_MONTHS = 12
BATCH = 2000
ARCHIVE_LOCK = 0x41554449  # "AUDI": the first key of the per-agency advisory lock on PostgreSQL
MONTH = re.compile(r"(\d{4})-(\d{2})")
COLUMNS = tuple(AuditEvent.__table__.columns.keys())


class ArchiveRefused(ValueError):
    """The month asked for cannot be archived (the message says why)."""


class ArchiveMismatch(Exception):
    """The file does not hold exactly the selected rows, or the removal would not remove them."""


@dataclass
class IdTally:
    """How many rows, and a SHA-256 of their ids in the order seen."""

    count: int = 0
    last_id: int = 0
    digest: object = field(default_factory=hashlib.sha256, compare=False, repr=False)

    def add(self, row_id):
        self.count += 1
        self.last_id = max(self.last_id, row_id)
        self.digest.update(f"{row_id}\n".encode())

    @property
    def checksum(self):
        return self.digest.hexdigest()

    def matches(self, other):
        return self.count == other.count and self.checksum == other.checksum


def months_between(earlier, later):
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def archive_cutoff(text, today=None, force=False):
    """The first day of the month ``text`` (``YYYY-MM``), if it may be archived."""
    match = MONTH.fullmatch((text or "").strip())
    try:
        cutoff = date(int(match.group(1)), int(match.group(2)), 1)
    except (AttributeError, ValueError):  # not the pattern; month 13 or year 0
        raise ArchiveRefused(f"{text!r} is not a month written YYYY-MM (e.g. 2024-01)") from None
    today = today or utcnow().date()
    age = months_between(cutoff, today)
    if age < 1:
        raise ArchiveRefused(f"{cutoff:%Y-%m} is not in the past: give a month before {today:%Y-%m}")
    if age < KEPT_MONTHS and not force:
        raise ArchiveRefused(
            f"{cutoff:%Y-%m} would archive part of the last {KEPT_MONTHS} months: give {today.year - 1}-{today.month:02d}"
            " or earlier, or add --force"
        )
    return cutoff


def archivable(agency_id, cutoff):
    """The rows a run archives: this agency's, older than the cut-off, archive events kept."""
    return (AuditEvent.agency_id == agency_id, AuditEvent.at < cutoff, AuditEvent.action != "archive")


def count_archivable(agency_id, cutoff):
    return db.session.scalar(select(func.count(AuditEvent.id)).where(*archivable(agency_id, cutoff)))


def archivable_rows(agency_id, cutoff, tally, batch=None):
    """Every archivable row as a dict of all its columns, by id, read ``batch`` rows at a time
    (keyset pages: no server-side cursor, memory stays flat); each id goes into ``tally``."""
    columns, batch = [getattr(AuditEvent, name) for name in COLUMNS], batch or BATCH
    last_id = 0
    while True:
        query = select(*columns).where(*archivable(agency_id, cutoff), AuditEvent.id > last_id)
        page = db.session.execute(query.order_by(AuditEvent.id).limit(batch)).all()
        for row in page:
            tally.add(row.id)
            yield dict(row._mapping)
        if len(page) < batch:
            return
        last_id = page[-1].id


def claim_agency(agency_id):
    """Claim this agency's archiving for the current transaction; ``False`` when another run
    holds it. PostgreSQL: a transaction-level advisory lock (released at commit or rollback).
    SQLite: its one write lock, taken by a write that matches nothing (waits the driver's busy
    time-out for another writer)."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        return bool(connection.scalar(select(func.pg_try_advisory_xact_lock(ARCHIVE_LOCK, agency_id))))
    table = AuditEvent.__table__
    try:
        connection.execute(delete(table).where(table.c.agency_id == agency_id, table.c.id.is_(None)))
    except OperationalError:
        db.session.rollback()
        return False
    return True


def remove_archived(agency_id, cutoff, selected, read_back):
    """Delete the archived rows: only when the file read back holds exactly the rows selected,
    and only if the delete removes exactly that many (the caller rolls back on ``ArchiveMismatch``).
    A Core statement on the table, through the session's connection: the ORM guard in
    models/audit.py refuses every ORM delete of audit rows, and this is the sanctioned one."""
    if not selected.matches(read_back):
        raise ArchiveMismatch(
            f"the file holds {read_back.count} rows (ids {read_back.checksum[:12]}), "
            f"{selected.count} were selected (ids {selected.checksum[:12]})"
        )
    table = AuditEvent.__table__
    statement = delete(table).where(
        table.c.agency_id == agency_id, table.c.at < cutoff, table.c.action != "archive", table.c.id <= selected.last_id
    )
    removed = db.session.connection().execute(statement).rowcount
    if removed != selected.count:
        raise ArchiveMismatch(f"the delete would remove {removed} rows, {selected.count} were archived")
    return removed


def record_archive(cutoff, count, file_name, sha256):
    """The archiving itself, as an audit event of the agency (kept by later runs); the changes
    read ``{field: [None, value]}`` like any created row's."""
    values = {"before": cutoff.isoformat(), "rows": count, "file": file_name, "sha256": sha256}
    return record_event(
        "archive",
        "audit_event",
        detail=f"{count} audit rows from before {cutoff.isoformat()} archived to {file_name}",
        changes={key: [None, value] for key, value in values.items()},
    )


@dataclass(frozen=True)
class ArchiveNotice:
    before: date
    file_name: str
    archived_at: object


def latest_archive():
    """The current agency's latest archiving (``None`` if never): rows before ``before`` are in files."""
    query = select(AuditEvent).where(AuditEvent.action == "archive").order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    event_row = db.session.scalars(query.limit(1)).first()
    if event_row is None:
        return None
    changes = event_row.changes or {}
    new = {key: value[1] for key, value in changes.items() if isinstance(value, list) and len(value) == 2}
    try:
        before = date.fromisoformat(new.get("before") or "")
    except (TypeError, ValueError):
        return None
    return ArchiveNotice(before, str(new.get("file") or ""), event_row.at)

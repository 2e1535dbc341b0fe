"""Optimistic locking for every editable record, told from the audit trail.

A page puts two things in its form when it loads a record (``Versioned``): the record's
``version`` and ``seen``, the newest audit event about it at that moment. On save,
``check_version`` compares the version; a different one raises ``StaleRecord`` carrying what
changed since ``seen`` (fields, old and new values, who and when: the audit trail's own
``{field: [old, new]}``, where a Private record's content is already "[private]"). The race
between that check and the commit (``StaleDataError``, raised by the ORM's ``WHERE version = ...``)
is refused the same way by ``refusing_stale``; nothing is saved either way.

A page that writes only some fields may pass them: changes elsewhere (a staff member signing in
while an admin edits their account) are then merged, not refused. A form sent without a version
(not one of our pages: a script) is not checked: the lock keeps people from overwriting each
other; it is not an access control.
"""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, inspect, or_, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from extensions import db
from models.audit import AuditEvent, record_type_of
from models.errors import StaleRecord

WRITES = ("create", "update", "delete")


def as_number(text):
    """A number a form sent back, or ``None`` for anything else."""
    text = str(text if text is not None else "").strip()
    return int(text) if text.isascii() and text.isdecimal() and len(text) < 12 else None


@dataclass(frozen=True)
class Loaded:
    """What a page was loaded with: the record's version (``None``: none sent, not checked) and
    the newest audit event about it that the page had seen."""

    version: int | None
    seen: int = 0

    @classmethod
    def parse(cls, version, seen):
        """From the form's text; a version that is not a number never matches (refused)."""
        if version in (None, ""):
            return cls(None, as_number(seen) or 0)
        number = as_number(version)
        return cls(number if number is not None else -1, as_number(seen) or 0)


@dataclass(frozen=True)
class RecordChange:
    """One write to a record since the page was loaded, as the audit trail recorded it."""

    record_type: str
    record_id: int | None
    client_id: int | None
    action: str
    at: datetime
    staff_name: str  # empty: a job, not a person
    changes: dict  # {field: [old, new]}

    def touches(self, fields):
        """Whether this write changed any of ``fields`` (a JSON column's keys count as the column)."""
        keys = {key.split(".", 1)[0] for key in self.changes} | set(self.changes)
        return self.action != "update" or bool(keys & set(fields))


def record_keys(rows):
    """``(record_type, id)`` of each row, read without loading anything (also after a rollback)."""
    return [(record_type_of(row), inspect(row).identity[0]) for row in rows if inspect(row).identity]


def about(keys, children=()):
    """The audit rows about these records, and about their ``children`` record types (a client's
    emergency contacts and assignments, recorded with the client's id)."""
    by_type = {}
    for record_type, record_id in keys:
        by_type.setdefault(record_type, set()).add(record_id)
    clauses = [and_(AuditEvent.record_type == kind, AuditEvent.record_id.in_(ids)) for kind, ids in by_type.items()]
    client_ids = by_type.get("client", ())
    if children and client_ids:
        clauses.append(and_(AuditEvent.record_type.in_(children), AuditEvent.client_id.in_(client_ids)))
    return or_(*clauses) if clauses else AuditEvent.id.is_(None)


def children_of(rows):
    return tuple({kind for row in rows for kind in getattr(type(row), "history_children", ())})


def last_event_id(*rows):
    """The newest audit event about these rows (0: none): what a page loading them has seen."""
    query = select(func.max(AuditEvent.id)).where(about(record_keys(rows), children_of(rows)))
    return db.session.scalar(query) or 0


def changes_since(keys, seen, children=()):
    """The writes to these records recorded after audit event ``seen``, oldest first."""
    query = (
        select(AuditEvent)
        .where(about(keys, children), AuditEvent.id > seen, AuditEvent.action.in_(WRITES))
        .options(selectinload(AuditEvent.staff))
        .order_by(AuditEvent.id)
    )
    return [
        RecordChange(
            e.record_type, e.record_id, e.client_id, e.action, e.at, e.staff.name if e.staff else "", dict(e.changes or {})
        )
        for e in db.session.scalars(query)
    ]


def check_version(row, loaded, fields=None):
    """Refuse (``StaleRecord``) a save of ``row`` from a page loaded at another version. With
    ``fields`` (what the page writes), changes that touched none of them are merged instead."""
    if loaded.version is None or loaded.version == row.version:
        return
    changes = changes_since(record_keys([row]), loaded.seen, children_of([row]))
    if fields is not None and changes and not any(change.touches(fields) for change in changes):
        return
    raise StaleRecord(changes)


def check_versions(rows, versions, seen):
    """A page writing many rows at once (a panel): refuse if any of ``rows`` changed since it was
    loaded, or was not there then (``versions``: id to version as loaded; ``None``: not sent)."""
    if versions is None:
        return
    stale = [row for row in rows if versions.get(row.id) != row.version]
    if stale:
        raise StaleRecord(changes_since(record_keys(stale), seen, children_of(stale)))


@contextmanager
def refusing_stale(rows, seen):
    """Commit inside this block: a row changed between the check and the commit
    (``StaleDataError``) rolls everything back and is refused as ``StaleRecord``."""
    keys, children = record_keys(rows), children_of(rows)
    try:
        yield
    except StaleDataError:
        db.session.rollback()
        raise StaleRecord(changes_since(keys, seen, children)) from None

"""The write side of the client import (``exports/imports.py`` reads and checks the file):
likely duplicates of the checked rows, and the all-or-nothing bulk insert.

Rows go in with bulk inserts of the clients table, a batch per statement (``insert_clients``,
``models/bulk_insert.py``; on the table rather than the ORM entity, whose bulk path drops ``None`` values and so splits
rows with different empty columns into one statement each). They skip the flush hooks, so
this module does here what they do for a registration (the extra columns' emergency contact,
assignment and paper privacy consent go in the same way, each with its audit row): the agency is the principal's (and
PostgreSQL's row-level security checks it again), ``phone_digits``, ``email_key`` and ``search_text`` come
from the same functions as the client write hook, and every client gets the same ``create``
audit row the audit hook writes, plus one ``import`` event for the file.
The caller commits (or rolls back) the one transaction.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from types import SimpleNamespace

from sqlalchemy import insert, select

from extensions import db
from models.audit import MAX_VALUE, SKIPPED_FIELDS, AuditEvent, plain, record_event, who_and_where
from models.base import utcnow
from models.bulk_insert import collector_paused, insert_rows, json_insert
from models.client_duplicates import reasons
from models.client_profile import PROFILE
from models.clients import Client, ClientAssignment, EmergencyContact, registration_number
from models.errors import TenantViolation
from models.principal import ALL_AGENCIES, Declaration, current_agency_id
from models.privacy import ConsentRecord
from models.search_text import client_search_text, email_key, phone_digits, remembered

# What the import-clients command reads of the restricted records: nothing (it reads clients).
IMPORT = Declaration.of("client import")
BATCH = 2000  # rows per INSERT statement (and per progress step)
LOOKUP_CHUNK = 5000  # values per IN (...) of the duplicate lookup (few statements: each may scan the agency)
BUCKET_LIMIT = 50  # earlier rows compared within one shared value of the file
QUESTION_KEY = re.compile(r"^q[0-9]+$")  # an agency question's answer (``AgencyQuestion.key``)
# The extra columns' values (``exports/import_extras.py`` names them the same).
CONTACT_NAME, CONTACT_RELATIONSHIP, CONTACT_PHONE = "emergency_name", "emergency_relationship", "emergency_phone"
WORKER, PAPER_CONSENT = "assigned_worker", "privacy_consent_on_paper"
AUDIT_TYPE_OF_TABLE = {"emergency_contacts": "emergency_contact", "client_assignments": "client_assignment"}
AUDIT_TYPE_OF_TABLE["consent_records"] = "consent_record"  # as the audit hook names them (``record_type_of``)
KEYS = ("date_of_birth", "phone_digits", "email", "ircc_id_value")


@dataclass(frozen=True)
class Duplicate:
    """Row ``row`` looks like an existing client (``client_id``) or an earlier row (``other_row``)."""

    row: int
    name: str
    reasons: tuple
    client_id: int | None = None
    other_row: int | None = None

    @property
    def registration_number(self):
        return registration_number(self.client_id)


def keyed(values):
    """A row's values as ``reasons()`` reads a client (with its phone digits)."""
    return SimpleNamespace(
        first_name=values.get("first_name"),
        last_name=values.get("last_name"),
        date_of_birth=values.get("date_of_birth"),
        phone_digits=phone_digits(values.get("phone")) or None,
        email=values.get("email"),
        ircc_id_value=values.get("ircc_id_value"),
    )


def key_values(client, key):
    value = getattr(client, key)
    return value.lower() if key == "email" and value else value


def existing_candidates(profiles):
    """The named clients sharing a date of birth, phone, email or IRCC id with any row (scoped)."""
    found = {}
    columns = (Client.id, Client.first_name, Client.last_name, *(getattr(Client, key) for key in KEYS))
    for key in KEYS:
        wanted = sorted({v for p in profiles if (v := key_values(p, key))}, key=str)
        for start in range(0, len(wanted), LOOKUP_CHUNK):
            query = select(*columns).where(Client.kind == "named", getattr(Client, key).in_(wanted[start : start + LOOKUP_CHUNK]))
            found.update((row.id, row) for row in db.session.execute(query))
    return list(found.values())


def index(items):
    """``{(key, value): [item, ...]}`` over the duplicate keys."""
    buckets = {}
    for item in items:
        for key in KEYS:
            if value := key_values(item, key):
                buckets.setdefault((key, value), []).append(item)
    return buckets


@remembered()
def likely_duplicates_in(rows):
    """``[Duplicate]`` of ``rows`` (``[(row number, values)]``): with existing clients (the
    registration warning's ``reasons()``) and with earlier rows of the same file."""
    profiles = [(number, values, keyed(values)) for number, values in rows]
    existing = index(existing_candidates([p for _, _, p in profiles]))
    earlier = {}
    found = []
    for number, values, profile in profiles:
        name = f"{values.get('first_name', '')} {values.get('last_name', '')}".strip()
        for client in {c.id: c for key in KEYS for c in existing.get((key, key_values(profile, key)), ())}.values():
            if why := reasons(values, client):
                found.append(Duplicate(number, name, tuple(why), client_id=client.id))
        for other_number, other in {n: o for key in KEYS for n, o in earlier.get((key, key_values(profile, key)), ())}.items():
            if why := reasons(values, other):
                found.append(Duplicate(number, name, tuple(why), other_row=other_number))
        for key in KEYS:
            if (value := key_values(profile, key)) and len(bucket := earlier.setdefault((key, value), [])) < BUCKET_LIMIT:
                bucket.append((number, profile))
    return found


def client_row(values, agency_id, staff_id, now):
    """The insert values of one client, with what the client write hook derives."""
    row = {spec.name: values.get(spec.name) for spec in PROFILE}
    row.update(
        kind="named",
        agency_id=agency_id,
        created_by_id=staff_id,
        other_languages=row["other_languages"] or [],
        registration_date=row["registration_date"] or date.today(),
        answers={key: value for key, value in values.items() if QUESTION_KEY.match(key)},
        is_archived=False,
        needs_profile=False,
        version=1,
        created_at=now,
        updated_at=now,
    )
    consented = values.get(PAPER_CONSENT)  # every row has the same keys: one executemany for the batch
    row["privacy_consent_at"] = datetime.combine(consented, time()) if consented else None
    row["privacy_consent_staff_id"] = staff_id if consented else None
    row["phone_digits"] = phone_digits(row["phone"]) or None
    row["email_key"] = email_key(row["email"])
    row["search_text"] = client_search_text(SimpleNamespace(**row))
    return row


def plain_value(value):
    """``models.audit.plain(value)``, with the common kinds of an import's values first (a
    call per column of every new row: the exact same result, sooner)."""
    kind = type(value)
    if kind is str:
        return value if len(value) <= MAX_VALUE else value[:MAX_VALUE] + "…"
    if kind is int or kind is bool or kind is float:
        return value
    if kind is date or kind is datetime:
        return value.isoformat()
    return plain(value)


def created_changes(row):
    """``{field: [None, value]}`` as the audit hook records a new row."""
    return {key: [None, plain_value(value)] for key, value in row.items() if key not in SKIPPED_FIELDS and value is not None}


def insert_clients(batch):
    return insert_rows(Client.__table__, batch)


def related_rows(values, client_id, agency_id, staff_id, now, filename):
    """``{table: [row]}`` of what the extra columns hold for one new client."""
    owned = {"agency_id": agency_id, "client_id": client_id}
    found = {}
    if values.get(CONTACT_NAME):
        contact = {"name": values[CONTACT_NAME], "relationship": values.get(CONTACT_RELATIONSHIP) or ""}
        found[EmergencyContact.__table__] = [{**owned, **contact, "phone": values.get(CONTACT_PHONE) or ""}]
    if values.get(WORKER):
        assignment = {"staff_id": values[WORKER], "assigned_at": now, "assigned_by_id": staff_id}
        found[ClientAssignment.__table__] = [{**owned, **assignment}]
    if values.get(PAPER_CONSENT):
        found[ConsentRecord.__table__] = [{**owned, **paper_consent(values[PAPER_CONSENT], staff_id, filename)}]
    return found


def paper_consent(day, staff_id, filename):
    """The privacy consent a client gave on paper before the move: recorded at that date, by
    whoever imports (the command: nobody), with no statement version (the paper statement is
    not a version of the agency's statement in OCMS-Flask)."""
    note = f"Given on paper before the move to OCMS-Flask; recorded by the client import of {filename}"
    at = datetime.combine(day, time())
    return {"kind": "privacy", "given": True, "statement_version": None, "language": None} | {
        "recorded_at": at,
        "staff_id": staff_id,
        "note": note[:500],
    }


def insert_related(batch_values, new_ids, agency_id, staff_id, now, filename, context):
    """Insert the batch's contacts, assignments and consent records, with their audit rows."""
    tables = {}
    for values, client_id in zip(batch_values, new_ids, strict=True):
        for table, rows in related_rows(values, client_id, agency_id, staff_id, now, filename).items():
            tables.setdefault(table, []).extend(rows)
    audit = []
    for table, rows in tables.items():
        record_type = AUDIT_TYPE_OF_TABLE[table.name]
        for row_id, row in zip(insert_rows(table, rows), rows, strict=True):
            row["id"] = row_id
            audit.append(audit_row(context, agency_id, now, row["client_id"], row, record_type=record_type, record_id=row_id))
    return audit


def import_agency():
    """The one agency the import writes into: the principal's (never all agencies, never none)."""
    agency_id = current_agency_id()
    if agency_id is None or agency_id is ALL_AGENCIES:
        raise TenantViolation("a client import needs one agency")
    return agency_id


@collector_paused()
@remembered()
def import_clients(rows, staff_id=None, filename="", progress=None):
    """Insert ``rows`` (checked profile values) as named clients of the current agency, with
    their audit rows, in the current transaction; ``progress(done, total)`` after each batch.
    Returns the new ids. The caller commits; any error leaves the caller to roll back."""
    agency_id, now, context = import_agency(), utcnow(), who_and_where()
    ids = []
    for start in range(0, len(rows), BATCH):
        batch_values = rows[start : start + BATCH]
        batch = [client_row(values, agency_id, staff_id, now) for values in batch_values]
        new_ids = insert_clients(batch)
        for client_id, row in zip(new_ids, batch, strict=True):
            row["id"] = client_id  # as the audit hook records a new row: its id too
        audit = [audit_row(context, agency_id, now, client_id, row) for client_id, row in zip(new_ids, batch, strict=True)]
        audit += insert_related(batch_values, new_ids, agency_id, staff_id, now, filename, context)
        insert_audit(audit)
        ids += new_ids
        if progress:
            progress(len(ids), len(rows))
    detail = f"{len(ids)} clients imported from {filename}"[:500]
    record_event("import", "client", detail=detail, changes={"first_id": ids[0] if ids else None, "count": len(ids)})
    db.session.flush()
    return ids


def insert_audit(audit):
    """The batch's audit rows (their ids, unread, from the sequence too on PostgreSQL)."""
    if db.session.get_bind().dialect.name == "postgresql":
        json_insert(AuditEvent.__table__, audit)
    else:
        db.session.execute(insert(AuditEvent.__table__), audit)


def audit_row(context, agency_id, now, client_id, row, record_type="client", record_id=None):
    return dict(
        context,
        agency_id=agency_id,
        at=now,
        action="create",
        record_type=record_type,
        record_id=record_id or client_id,
        client_id=client_id,
        changes=created_changes(row),
        detail="",
    )

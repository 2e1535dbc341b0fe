"""The audit trail: one row per create, update and delete of agency data, and per view of a
client's dashboard or a form, break-glass opening and export.

- Writes are recorded by an ``after_flush`` hook, in the same transaction as the change, so a
  write without its audit row cannot be committed. The hook sees every ORM write (forms, grids,
  wizards, CLI commands); raw SQL would escape it, and the project uses none for agency data.
- Changed fields are stored as ``{field: [old, new]}``; JSON columns (form answers, profile
  questions) per key (``data.reason``). Secrets (password hash, session token, TOTP secret) are
  stored as "changed", never their value. The content of a *Private* form, note or file is not
  copied into the trail (``[private]``), so the trail is no way around the Private rule.
- Rows cannot be changed or deleted through the ORM (flush and bulk statements are refused).
  The only sanctioned rewrite is retention's redaction of values about an anonymised client,
  done through the table with a Core statement (models/retention.py).
- The only sanctioned removal is archiving (``flask --app app archive-audit``,
  models/audit_archive.py): rows older than a month are written to a file, read back and
  compared, and only then deleted with a Core ``DELETE`` on the table, limited to one agency.
"""

import click
from flask_babel import lazy_gettext
from sqlalchemy import event, insert, inspect, select, update
from sqlalchemy.orm import Session

from extensions import db
from models.base import utcnow
from models.principal import current_agency_id, current_principal, request_origin
from models.record_labels import record_label
from models.tenancy import AgencyOwned, SharedBetweenAgencies

AUDIT_ACTIONS = {
    "create": lazy_gettext("Created"),
    "update": lazy_gettext("Changed"),
    "delete": lazy_gettext("Deleted"),
    "view": lazy_gettext("Viewed"),
    "break_glass": lazy_gettext("Break-glass opening"),
    "export": lazy_gettext("Exported"),
    "anonymise": lazy_gettext("Anonymised (retention)"),
    "archive": lazy_gettext("Older rows archived to a file"),
    "import": lazy_gettext("Clients imported from a file"),
    "two_step_reset": lazy_gettext("Two-step sign-in reset"),
    "merge": lazy_gettext("Profiles merged"),
    "unmerge": lazy_gettext("Merge undone"),
}
SECRET_FIELDS = {"password_hash", "session_token", "totp_secret", "totp_last_step", "token_hash", "code_hash"}
SKIPPED_FIELDS = {"search_text", "updated_at", "created_at", "version", "phone_digits"}
PRIVATE_CONTENT = {"data", "body", "description", "original_name", "notes", "outcome"}
NOT_AUDITED = {"ClientActivity", "AuditEvent", "SignInAttempt", "BreakGlassGrant"}  # the last is audited as break_glass
NOT_AUDITED |= {"Notification", "SmsMessage"}  # the outbox is its own log of what was sent, when, to whom
MAX_VALUE = 1000
PRIVATE_MASK = ["[private]", "[private]"]


class AuditEvent(AgencyOwned, db.Model):
    __tablename__ = "audit_events"
    __table_args__ = (
        db.Index("ix_audit_events_agency_at", "agency_id", "at"),
        db.Index("ix_audit_events_client_at", "client_id", "at"),
        db.Index("ix_audit_events_record", "record_type", "record_id"),
    )

    id = db.Column(db.Integer, primary_key=True)
    at = db.Column(db.DateTime, nullable=False, default=utcnow)
    staff_id = db.Column(db.Integer, db.ForeignKey("staff.id", ondelete="SET NULL"), index=True)
    remote_addr = db.Column(db.String(64), nullable=False, default="")
    source = db.Column(db.String(100), nullable=False, default="")  # the page (endpoint) or CLI command
    action = db.Column(db.String(20), nullable=False)
    record_type = db.Column(db.String(60), nullable=False)
    record_id = db.Column(db.Integer)
    client_id = db.Column(db.Integer, db.ForeignKey("clients.id", ondelete="SET NULL"))
    changes = db.Column(db.JSON, nullable=False, default=dict)  # {field: [old, new]}
    detail = db.Column(db.String(500), nullable=False, default="")
    acting_as = db.Column(db.String(200), nullable=False, default="")  # the principal, with a job's declaration

    staff = db.relationship("Staff")
    client = db.relationship("Client")

    @property
    def action_label(self):
        return AUDIT_ACTIONS.get(self.action, self.action)

    @property
    def record_label(self):
        """The kind of record in the interface's language (as stored when it has no label)."""
        return record_label(self.record_type)


def who_and_where():
    """The principal behind the current change: staff member, address, page (or CLI command)
    and, for a job, what it declared it reads."""
    principal = current_principal()
    address, source = request_origin()
    if principal is not None:
        address, source = principal.address or address, principal.source or source
    if not source:
        command = click.get_current_context(silent=True)
        source = f"cli:{command.info_name}" if command else "system"
    return {
        "staff_id": principal.staff_id if principal is not None else None,
        "remote_addr": address[:64],
        "source": source[:100],
        "acting_as": principal.describe()[:200] if principal is not None else "nobody",
    }


def record_event(action, record_type, record_id=None, client_id=None, detail="", changes=None):
    """Add an audit event for something that is not a row write (a view, an export...)."""
    event_row = AuditEvent(
        action=action,
        record_type=record_type,
        record_id=record_id,
        client_id=client_id,
        detail=detail[:500],
        changes=changes or {},
        **who_and_where(),
    )
    db.session.add(event_row)
    return event_row


def plain(value):
    """A JSON-safe, bounded copy of a column value."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, list | tuple):
        return [plain(v) for v in value][:50]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "id") and hasattr(value, "__table__"):
        return value.id
    text = str(value)
    return text if len(text) <= MAX_VALUE else text[:MAX_VALUE] + "…"


def record_type_of(obj):
    """``ServiceForm`` (a row, or the class) -> ``service_form``."""
    name = (obj if isinstance(obj, type) else type(obj)).__name__
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


def client_of(obj):
    if type(obj).__name__ == "Client":
        return obj.id
    return getattr(obj, "client_id", None)


def was_or_is_private(state):
    """A Private row, or one whose Private flag changes in this flush (either way round: the
    content written while it was private must not reach the trail when it becomes open)."""
    if "is_private" not in state.mapper.column_attrs:
        return False
    history = state.attrs["is_private"].history
    return any(bool(value) for value in (state.dict.get("is_private"), *history.deleted, *history.added))


def became_private(state):
    if "is_private" not in state.mapper.column_attrs:
        return False
    history = state.attrs["is_private"].history
    return any(history.added) and not any(history.deleted)


def private_content(key):
    return key in PRIVATE_CONTENT or key.split(".", 1)[0] in PRIVATE_CONTENT


def redact_earlier_content(connection, agency_id, record_type, record_id):
    """A record made Private: its earlier audit rows lose the content values they hold (field
    names, who and when stay). The trail's one automatic rewrite besides retention, done
    through the table so that it needs no exception to the ORM guard."""
    table = AuditEvent.__table__
    query = select(table.c.id, table.c.changes).where(
        table.c.agency_id == agency_id, table.c.record_type == record_type, table.c.record_id == record_id
    )
    for row_id, changes in connection.execute(query).all():
        masked = {key: (PRIVATE_MASK if private_content(key) else value) for key, value in (changes or {}).items()}
        if masked != changes:
            connection.execute(update(table).where(table.c.id == row_id).values(changes=masked))


def field_changes(obj, action):
    """``{field: [old, new]}`` of this row's columns and many-to-many collections."""
    state = inspect(obj)
    private = was_or_is_private(state)
    changes = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key in SKIPPED_FIELDS or key == "agency_id" and action != "create":
            continue
        history = state.attrs[key].history
        if action == "create":  # values as they are in memory: reading them must not load anything
            old, new = None, state.dict.get(key)
        elif action == "delete":
            old, new = state.dict.get(key), None
        elif history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
        else:
            continue
        if old is None and new is None or old == new:
            continue
        if key in SECRET_FIELDS:
            changes[key] = ["", "changed"]
        elif private and key in PRIVATE_CONTENT:
            changes[key] = PRIVATE_MASK
        elif isinstance(old, dict) or isinstance(new, dict):
            old, new = old or {}, new or {}
            for sub in sorted(set(old) | set(new)):
                if old.get(sub) != new.get(sub):
                    changes[f"{key}.{sub}"] = [plain(old.get(sub)), plain(new.get(sub))]
        else:
            changes[key] = [plain(old), plain(new)]
    for rel in state.mapper.relationships:
        if rel.secondary is None or action == "delete":
            continue
        history = state.attrs[rel.key].history
        if history.has_changes():
            kept = [plain(v) for v in history.unchanged]
            before, after = kept + [plain(v) for v in history.deleted], kept + [plain(v) for v in history.added]
            changes[rel.key] = [sorted(before), sorted(after)]
    return changes


def audited(obj):
    if type(obj).__name__ in NOT_AUDITED:
        return False
    return isinstance(obj, AgencyOwned | SharedBetweenAgencies) or type(obj).__name__ == "Agency"


def audit_agency(obj):
    """The agency whose trail records the write: a row shared between two agencies goes into
    the trail of the one acting."""
    if type(obj).__name__ == "Agency":
        return obj.id
    if isinstance(obj, SharedBetweenAgencies):
        current = current_agency_id()
        return current if current in obj.party_ids() else obj.party_ids()[0]
    return obj.agency_id


@event.listens_for(Session, "after_flush")
def _audit_writes(session, flush_context):
    """One audit row per written row, in the flush's own transaction (history is still there)."""
    context = None
    rows = []
    # deletes from the flush itself: ``session.deleted`` misses orphans removed from a collection
    deleted = [state.obj() for state, (is_delete, list_only) in flush_context.states.items() if is_delete and not list_only]
    deleted_clients = {obj.id for obj in deleted if type(obj).__name__ == "Client"}
    for action, objects in (("create", session.new), ("update", session.dirty), ("delete", deleted)):
        for obj in objects:
            if not audited(obj) or action == "update" and not session.is_modified(obj):
                continue
            changes = field_changes(obj, action)
            if action == "update" and not changes:
                continue
            context = context or who_and_where()
            agency_id = audit_agency(obj)
            rows.append(
                dict(
                    context,
                    agency_id=agency_id,
                    at=utcnow(),
                    action=action,
                    record_type=record_type_of(obj),
                    record_id=inspect(obj).dict.get("id"),
                    client_id=None if client_of(obj) in deleted_clients else client_of(obj),
                    changes=changes,
                    detail="",
                )
            )
    if rows:
        session.connection().execute(insert(AuditEvent.__table__), rows)
    for obj in session.dirty:
        if audited(obj) and became_private(inspect(obj)):
            redact_earlier_content(session.connection(), obj.agency_id, record_type_of(obj), obj.id)


# The guards below refuse every ORM change and delete of audit rows. Two Core statements on the
# table are sanctioned instead: retention's redaction (models/retention.py) and archiving's
# delete of rows verified to be in an archive file (models/audit_archive.remove_archived).
@event.listens_for(Session, "before_flush")
def _refuse_audit_changes(session, flush_context, instances):
    for obj in [*session.dirty, *session.deleted]:
        if isinstance(obj, AuditEvent) and (obj in session.deleted or session.is_modified(obj)):
            raise PermissionError("Audit events cannot be changed or deleted.")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_audit_changes(state):
    if (state.is_update or state.is_delete) and state.bind_mapper and state.bind_mapper.class_ is AuditEvent:
        raise PermissionError("Audit events cannot be changed or deleted.")

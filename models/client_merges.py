"""Merging two profiles of the same person, and undoing it (``docs/MERGE.md``).

``merge_clients(kept, retired, choices, by)`` writes, in the caller's one transaction: the
chosen field values on the kept profile, every row pointing at the retired profile moved to the
kept one (``models/client_links.py`` finds them through the foreign keys), the retired profile
archived (never deleted) and a ``ClientMerge`` holding what moved and the kept profile's values
before. ``undo_merge(record, by)`` puts everything back.

The merger may not be allowed to read every record that must move (another worker's Private
form or note): the rows are moved as a declared system principal, ``MERGE`` (every record type
``all``), carrying the merger's staff id, and every audit row it writes says so in
``acting_as``, as retention's do. Nothing of those records is shown to the merger: only counts.
"""

from datetime import date, datetime

from flask_babel import gettext
from sqlalchemy import and_, or_, select

from extensions import db
from models.audit import plain, record_event
from models.base import utcnow
from models.client_links import links
from models.client_profile import profile_fields
from models.clients import Client
from models.errors import InvalidEntry, ReadOnlyRecord
from models.principal import ALL, Declaration, Principal, acting_as, current_principal, request_origin
from models.tenancy import AgencyOwned

MERGE = Declaration.of(
    "client merge", service_form=ALL, service_session=ALL, case_note=ALL, client_file=ALL, referral=ALL, task=ALL
)
MERGE_ROLES = ("coordinator", "agency_admin")
FIXED_FIELDS = ("registration_date",)  # never changes once saved: the kept profile's stays
# Not profile fields, merged without a question: the kept profile takes the other's when it has none.
FILLED_IF_EMPTY = ("privacy_consent_at", "privacy_consent_version", "privacy_consent_staff_id", "consent_withdrawn_at")


class ClientMerge(AgencyOwned, db.Model):
    """One merge: ``retired`` went into ``kept``. ``moved``: {"table.column": [primary key, ...]};
    ``left``: the same for rows left on the retired profile (the kept one had their like);
    ``fields``: {attribute: [kept's value before, value after]}."""

    __tablename__ = "client_merges"

    id = db.Column(db.Integer, primary_key=True)
    kept_client_id = db.Column(db.Integer, db.ForeignKey("clients.id"), nullable=False, index=True)
    retired_client_id = db.Column(db.Integer, db.ForeignKey("clients.id"), nullable=False, index=True)
    merged_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    merged_by_id = db.Column(db.Integer, db.ForeignKey("staff.id"))
    fields = db.Column(db.JSON, nullable=False, default=dict)
    moved = db.Column(db.JSON, nullable=False, default=dict)
    left = db.Column(db.JSON, nullable=False, default=dict)
    retired_was_archived = db.Column(db.Boolean, nullable=False, default=False)
    undone_at = db.Column(db.DateTime)
    undone_by_id = db.Column(db.Integer, db.ForeignKey("staff.id"))

    kept = db.relationship(Client, foreign_keys=[kept_client_id])
    retired = db.relationship(Client, foreign_keys=[retired_client_id])
    merged_by = db.relationship("Staff", foreign_keys=[merged_by_id])
    undone_by = db.relationship("Staff", foreign_keys=[undone_by_id])

    @property
    def moved_count(self):
        return sum(len(ids) for ids in self.moved.values())


def merge_principal(staff):
    """The declared system principal the rows move as, with the merger's staff id for the audit."""
    outer = current_principal()
    address, source = (outer.address, outer.source) if outer is not None else request_origin()
    return Principal("system", staff.agency_id, staff_id=staff.id, declaration=MERGE, address=address, source=source)


def active_merge_into(client_id):
    """The merge, not undone, that retired this client (``None``: not retired)."""
    query = select(ClientMerge).where(ClientMerge.retired_client_id == client_id, ClientMerge.undone_at.is_(None))
    return db.session.scalars(query).first()


def merges_about(client_id):
    """``(active_merge_into(client_id), the merges into the client newest first, undone ones
    included)``, in one statement (the dashboard's merge notices)."""
    retired_by = and_(ClientMerge.retired_client_id == client_id, ClientMerge.undone_at.is_(None))
    query = select(ClientMerge).where(or_(ClientMerge.kept_client_id == client_id, retired_by)).order_by(ClientMerge.id.desc())
    rows = db.session.scalars(query).all()
    retiring = next((m for m in rows if m.retired_client_id == client_id), None)
    return retiring, [m for m in rows if m.kept_client_id == client_id]


def choosable_fields():
    """The profile fields a merge asks about (the named profile's, less those that never change)."""
    return [f for f in profile_fields("named") if f.name not in FIXED_FIELDS]


def differing_fields(kept, other):
    return [f for f in choosable_fields() if getattr(kept, f.name) != getattr(other, f.name)]


def default_choice(kept, other, spec):
    """Keep this profile's value unless it is empty and the other's is not."""
    return "other" if getattr(kept, spec.name) in (None, "", []) and getattr(other, spec.name) not in (None, "", []) else "kept"


def check_mergeable(kept, other, by):
    """Refuse (``InvalidEntry`` on ``other``, ``ReadOnlyRecord`` for the role) a merge that may not happen."""
    if by.role not in MERGE_ROLES:
        raise ReadOnlyRecord(gettext("Only an agency admin or a coordinator may merge client profiles."))
    if kept.id == other.id:
        raise InvalidEntry("other", gettext("A profile cannot be merged with itself: choose another client."))
    if "anonymous" in (kept.kind, other.kind):
        raise InvalidEntry("other", gettext("Anonymous clients are never merged: their services cannot be transferred."))
    for client in (kept, other):
        check_not_retired(client)
        if client.anonymised_at is not None:
            message = gettext("%(number)s was anonymised by retention and cannot be merged.", number=client.registration_number)
            raise InvalidEntry("other", message)
    with acting_as(merge_principal(by)):
        refuse_shared_sessions(kept, other)


def check_not_retired(client):
    merge = active_merge_into(client.id)
    if merge is not None:
        message = gettext(
            "%(number)s was merged into %(kept)s: it is retired and cannot be merged again.",
            number=client.registration_number,
            kept=merge.kept.registration_number,
        )
        raise InvalidEntry("other", message)


def shared_sessions(kept, other):
    """Sessions both profiles attend (a merge would put the person in twice)."""
    from models.service_sessions import ServiceSession, SessionClient

    attended = select(SessionClient.session_id).where(SessionClient.client_id == kept.id)
    query = select(ServiceSession).join(SessionClient).where(SessionClient.client_id == other.id, ServiceSession.id.in_(attended))
    return db.session.scalars(query.order_by(ServiceSession.id)).all()


def merge_clients(kept, other, choices, by):
    """Merge ``other`` into ``kept``; ``choices``: {field name: "kept" or "other"} for each
    differing field (a missing one keeps this profile's value). Returns the ``ClientMerge``."""
    check_mergeable(kept, other, by)
    record = ClientMerge(kept_client_id=kept.id, retired_client_id=other.id, merged_by_id=by.id)
    record.retired_was_archived = other.is_archived
    with acting_as(merge_principal(by)):
        record.fields = apply_choices(kept, other, choices)
        record.moved, record.left = move_rows(other.id, kept.id)
        other.is_archived = True
        db.session.add(record)
        db.session.flush()
        detail = f"merged {other.registration_number} into {kept.registration_number}: {record.moved_count} rows moved"
        record_event("merge", "client", kept.id, kept.id, detail=detail)
        record_event("merge", "client", other.id, other.id, detail=detail)
    return record


def refuse_shared_sessions(kept, other):
    both = shared_sessions(kept, other)
    if both:
        dates = ", ".join(str(s.service_date) for s in both[:5])
        message = gettext(
            "Both profiles attend the same session (%(dates)s): remove one of them from it before merging.", dates=dates
        )
        raise InvalidEntry("other", message)


def apply_choices(kept, other, choices):
    """Write the chosen values on the kept profile; returns {attribute: [before, after]}."""
    changes = {}
    for spec in differing_fields(kept, other):
        if choices.get(spec.name) == "other":
            changes[spec.name] = set_value(kept, spec.name, getattr(other, spec.name))
    for name in FILLED_IF_EMPTY:
        if getattr(kept, name) is None and getattr(other, name) is not None:
            changes[name] = set_value(kept, name, getattr(other, name))
    answers = {**(other.answers or {}), **(kept.answers or {})}
    if answers != (kept.answers or {}):
        changes["answers"] = set_value(kept, "answers", answers)
    return changes


def set_value(client, name, value):
    before = plain(getattr(client, name))
    setattr(client, name, value)
    return [before, plain(value)]


def move_rows(from_id, to_id):
    """Point every moving row of ``from_id`` at ``to_id``; ({link: [ids]} moved, {link: [ids]} left)."""
    moved, left = {}, {}
    for link in links():
        for row in link.rows_of(from_id):
            target = left if link.conflicts(row, to_id) else moved
            target.setdefault(link.key, []).append(link.identity(row))
            if target is moved:
                setattr(row, link.attribute, to_id)
    db.session.flush()
    return moved, left


def undo_merge(record, by):
    """Put everything back: the kept profile's values (those unchanged since), every moved row
    still on the kept profile, the retired profile's archive flag. Returns rows not moved back
    (deleted or moved again since)."""
    if by.role not in MERGE_ROLES:
        raise ReadOnlyRecord(gettext("Only an agency admin or a coordinator may undo a merge."))
    if record.undone_at is not None:
        raise InvalidEntry("merge", gettext("This merge was already undone."))
    kept, retired = record.kept, record.retired
    if active_merge_into(kept.id) is not None:
        message = gettext("%(kept)s was merged into another profile since: undo that merge first.", kept=kept.registration_number)
        raise InvalidEntry("merge", message)
    with acting_as(merge_principal(by)):
        restore_fields(kept, record.fields)
        missing = move_back(record.moved, kept.id, retired.id)
        retired.is_archived = record.retired_was_archived
        record.undone_at, record.undone_by_id = utcnow(), by.id
        detail = f"undid the merge of {retired.registration_number} into {kept.registration_number}"
        record_event("unmerge", "client", kept.id, kept.id, detail=detail)
        record_event("unmerge", "client", retired.id, retired.id, detail=detail)
        db.session.flush()
    return missing


def restore_fields(client, changes):
    for name, (before, after) in changes.items():
        if plain(getattr(client, name)) == after:
            setattr(client, name, decoded(name, before))


def decoded(name, value):
    """A stored JSON value back into the column's Python type."""
    column_type = Client.__table__.c[name].type
    if value is None or not isinstance(column_type, db.Date | db.DateTime):
        return value
    return datetime.fromisoformat(value) if isinstance(column_type, db.DateTime) else date.fromisoformat(value)


def move_back(moved, kept_id, retired_id):
    by_key = {link.key: link for link in links()}
    missing = 0
    for key, identities in moved.items():
        link = by_key[key]
        for identity in identities:
            row = link.get(identity)
            if row is None or getattr(row, link.attribute) != kept_id or link.conflicts(row, retired_id):
                missing += 1  # deleted or moved since, or the retired profile has its like again
                continue
            setattr(row, link.attribute, retired_id)
    return missing


def merge_counts(client_id, by):
    """{link: rows} that a merge of this client would move (counts only, restricted rows included)."""
    with acting_as(merge_principal(by)):
        return {link.key: n for link in links() if (n := link.count_of(client_id))}

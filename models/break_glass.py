"""Break-glass grants: a staff member opened a record the program or Private rules hide, giving a
reason. The grant holds for a short time, is audited, and the record's owner and their
coordinator are told."""

from datetime import timedelta

from sqlalchemy import or_, select

from extensions import db
from models.base import utcnow
from models.record_labels import RECORD_LABELS
from models.tenancy import AgencyOwned

GRANT_MINUTES = 60

# the kinds of record break-glass opens, with their labels (models/record_labels.py)
RECORD_TYPES = {kind: RECORD_LABELS[kind] for kind in ("service_form", "case_note", "client_file", "service_session")}


def notice_key(grant, person):
    """The outbox's dedupe key of the notice telling ``person`` of ``grant`` (one per person)."""
    return f"{notice_key_prefix(grant)}{person.id}"


def notice_key_prefix(grant):
    return f"break_glass:{grant.id}:"


class BreakGlassGrant(AgencyOwned, db.Model):
    __tablename__ = "break_glass_grants"
    __table_args__ = (db.Index("ix_break_glass_staff_until", "staff_id", "expires_at"),)

    id = db.Column(db.Integer, primary_key=True)
    staff_id = db.Column(db.Integer, db.ForeignKey("staff.id"), nullable=False)
    record_type = db.Column(db.String(30), nullable=False)
    record_id = db.Column(db.Integer, nullable=False)
    owner_id = db.Column(db.Integer, db.ForeignKey("staff.id"), index=True)
    client_id = db.Column(db.Integer, db.ForeignKey("clients.id", ondelete="SET NULL"))
    reason = db.Column(db.Text, nullable=False)
    granted_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    expires_at = db.Column(db.DateTime, nullable=False, default=lambda: utcnow() + timedelta(minutes=GRANT_MINUTES))

    staff = db.relationship("Staff", foreign_keys=[staff_id])
    owner = db.relationship("Staff", foreign_keys=[owner_id])
    client = db.relationship("Client")

    @property
    def record_label(self):
        return RECORD_TYPES.get(self.record_type, self.record_type)


def openings_of_records_of(people, since=None, limit=100):
    """Break-glass openings of records owned by ``people`` (staff ids), newest first."""
    query = select(BreakGlassGrant).where(BreakGlassGrant.owner_id.in_(people))
    if since is not None:
        query = query.where(BreakGlassGrant.granted_at >= since)
    return db.session.scalars(query.order_by(BreakGlassGrant.granted_at.desc()).limit(limit)).all()


def openings_seen_by(staff_id, people, everything=False, limit=100):
    """The break-glass log: openings by ``staff_id`` or of records owned by ``people``;
    ``everything`` (an agency admin): all of the agency's."""
    query = select(BreakGlassGrant).order_by(BreakGlassGrant.granted_at.desc()).limit(limit)
    if not everything:
        query = query.where(or_(BreakGlassGrant.staff_id == staff_id, BreakGlassGrant.owner_id.in_(people)))
    return db.session.scalars(query).all()

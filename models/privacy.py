"""Consent records: every consent given or withdrawn, with the statement version and who took it."""

from extensions import db
from models.base import utcnow
from models.tenancy import AgencyOwned

CONSENT_KINDS = {
    "privacy": "Privacy statement (collect and keep information)",
    "research": "Contact for research",
    "partner_sharing": "Share with trusted partner agencies",
    "notifications": "Reminders and notifications",
}


class ConsentRecord(AgencyOwned, db.Model):
    """One consent event for a client; the latest record of a kind is the one that holds."""

    __tablename__ = "consent_records"
    __table_args__ = (db.Index("ix_consent_records_client_at", "client_id", "recorded_at"),)

    id = db.Column(db.Integer, primary_key=True)
    client_id = db.Column(db.Integer, db.ForeignKey("clients.id", ondelete="CASCADE"), nullable=False)
    kind = db.Column(db.Enum(*CONSENT_KINDS, name="consent_kind", native_enum=False), nullable=False)
    given = db.Column(db.Boolean, nullable=False)
    statement_version = db.Column(db.Integer)
    language = db.Column(db.String(2))
    recorded_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    staff_id = db.Column(db.Integer, db.ForeignKey("staff.id"))
    note = db.Column(db.String(500), nullable=False, default="")

    client = db.relationship("Client", backref=db.backref("consent_records", order_by="ConsentRecord.recorded_at.desc()"))
    staff = db.relationship("Staff")

    @property
    def kind_label(self):
        return CONSENT_KINDS[self.kind]

"""The audit trail: one row per create, update and delete of agency data, and per view of a
client's dashboard or form. Rows are written by a flush hook through Core (same transaction as
the change) and cannot be changed or deleted through the ORM (see ``_refuse_audit_changes``)."""

from extensions import db
from models.base import utcnow
from models.tenancy import AgencyOwned

AUDIT_ACTIONS = {
    "create": "Created",
    "update": "Changed",
    "delete": "Deleted",
    "view": "Viewed",
    "break_glass": "Break-glass opening",
    "export": "Exported",
    "sign_in": "Signed in",
    "anonymise": "Anonymised (retention)",
}


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

    staff = db.relationship("Staff")
    client = db.relationship("Client")

    @property
    def action_label(self):
        return AUDIT_ACTIONS.get(self.action, self.action)

"""Files a client uploads in the portal (a resume, a receipt, a pay stub): theirs, in a table
of their own (``client_files`` rows are staff uploads, with programs and the Private flag). The
client sees their own uploads and the staff files shared with them
(``ClientFile.is_shared_with_client``); staff see a client's uploads on the dashboard."""

from sqlalchemy import select

from extensions import db
from models.base import utcnow
from models.clients import Client
from models.portal_accounts import account_of
from models.tenancy import AgencyOwned

PORTAL_UPLOAD_TYPES = ("pdf", "docx")  # PDF and Word, checked by content as staff uploads are


class PortalUpload(AgencyOwned, db.Model):
    __tablename__ = "portal_uploads"
    portal_scope = "own"

    id = db.Column(db.Integer, primary_key=True)
    client_id = db.Column(db.Integer, db.ForeignKey("clients.id", ondelete="CASCADE"), nullable=False, index=True)
    original_name = db.Column(db.String(255), nullable=False)
    stored_name = db.Column(db.String(64), nullable=False, unique=True)
    content_type = db.Column(db.String(100), nullable=False)
    size = db.Column(db.Integer, nullable=False)
    description = db.Column(db.String(255), nullable=False, default="")
    uploaded_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    deleted_at = db.Column(db.DateTime)

    client = db.relationship("Client")


def uploads_of(client):
    """The client's live uploads, newest first."""
    query = select(PortalUpload).where(PortalUpload.client_id == client.id, PortalUpload.deleted_at.is_(None))
    return db.session.scalars(query.order_by(PortalUpload.uploaded_at.desc(), PortalUpload.id.desc())).all()


def live_upload(upload_id):
    """One live upload the acting principal may see, or ``None``."""
    query = select(PortalUpload).where(PortalUpload.id == upload_id, PortalUpload.deleted_at.is_(None))
    return db.session.scalar(query)


def forget_portal(client):
    """Retention: the client's portal account goes (its email is the sign-in name) and their
    uploads keep only their dates (the stored files are removed after the commit, as staff
    files are); the caller flushes."""
    account = account_of(client)
    if account is not None:
        db.session.delete(account)
    for row in db.session.scalars(select(PortalUpload).where(PortalUpload.client_id == client.id)):
        row.original_name, row.description = f"upload-{row.id}", ""
        row.deleted_at = row.deleted_at or utcnow()


def stored_uploads_of_anonymised_clients():
    query = select(PortalUpload.stored_name).join(Client, PortalUpload.client_id == Client.id)
    return list(db.session.scalars(query.where(Client.anonymised_at.isnot(None))))

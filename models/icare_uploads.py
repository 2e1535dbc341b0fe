"""iCARE upload tracking: every final file kept, what it held, amendments and iCARE's verdicts.

A final file is an ``IcareUpload`` (who, when, month, template, counts, SHA-256, the file
itself) with one ``IcareUploadItem`` per data row: a service form, a course (its Training Open
form) or a client profile. A record is uploaded once: an item that is ``uploaded`` or
``accepted`` keeps it out of every later final file, unless an ``IcareAmendment`` asks for it
again (it then goes out with Update Record ID and Reason for update filled). A ``rejected``
item (from iCARE's returned file) makes the record eligible again. ``attempt`` numbers a
record's items: the unique constraints make two final files racing for the same record fail
rather than both hold it.
"""

from extensions import db
from models.base import utcnow
from models.tenancy import AgencyOwned

ITEM_STATUSES = ("uploaded", "accepted", "rejected")
AMENDMENT_REASONS = ("Amend record", "Correct error")  # the template's "Reason for update" list


class IcareUpload(AgencyOwned, db.Model):
    """One final file, kept as written (re-downloadable)."""

    __tablename__ = "icare_uploads"
    __table_args__ = (db.Index("ix_icare_uploads_agency_month", "agency_id", "month"),)

    id = db.Column(db.Integer, primary_key=True)
    month = db.Column(db.String(7), nullable=False)  # YYYY-MM
    sheet = db.Column(db.String(60), nullable=False)  # the iCARE template's sheet name
    created_by_id = db.Column(db.Integer, db.ForeignKey("staff.id"), index=True)  # none: the command line
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    record_count = db.Column(db.Integer, nullable=False)
    left_out = db.Column(db.JSON, nullable=False, default=dict)  # {problem: records}: one record may be in several
    left_out_records = db.Column(db.Integer)  # the records left out, each once (none: a file made before it was kept)
    checksum = db.Column(db.String(64), nullable=False)  # SHA-256 of ``content``
    filename = db.Column(db.String(200), nullable=False)
    content = db.deferred(db.Column(db.LargeBinary, nullable=False))
    returned_at = db.Column(db.DateTime)  # iCARE's returned file read

    created_by = db.relationship("Staff")
    items = db.relationship("IcareUploadItem", back_populates="upload", order_by="IcareUploadItem.row_number")

    @property
    def left_out_count(self):
        """The records the file left out, each once; ``None`` for a file made before the number
        was kept (its problems' counts cannot say how many records they were)."""
        return self.left_out_records


class IcareUploadItem(AgencyOwned, db.Model):
    """One data row of a final file and what became of it."""

    __tablename__ = "icare_upload_items"
    __table_args__ = (
        db.UniqueConstraint("form_id", "attempt", name="uq_icare_items_form_attempt"),
        db.UniqueConstraint("profile_client_id", "attempt", name="uq_icare_items_profile_attempt"),
    )

    id = db.Column(db.Integer, primary_key=True)
    upload_id = db.Column(db.Integer, db.ForeignKey("icare_uploads.id", ondelete="CASCADE"), nullable=False, index=True)
    row_number = db.Column(db.Integer, nullable=False)  # the spreadsheet row (data from row 4)
    form_id = db.Column(db.Integer, db.ForeignKey("service_forms.id"), index=True)
    profile_client_id = db.Column(db.Integer, db.ForeignKey("clients.id"), index=True)  # a Client Profile row
    attempt = db.Column(db.Integer, nullable=False, default=1)
    status = db.Column(db.String(10), nullable=False, default="uploaded")
    message = db.Column(db.Text)  # iCARE's Processing Details, once returned
    icare_record_id = db.Column(db.String(40))  # iCARE's RID, when its verdict names one
    amendment_id = db.Column(db.Integer, db.ForeignKey("icare_amendments.id"))

    upload = db.relationship(IcareUpload, back_populates="items")
    form = db.relationship("ServiceForm")
    profile_client = db.relationship("Client")
    amendment = db.relationship("IcareAmendment")


class IcareAmendment(AgencyOwned, db.Model):
    """A staff member's request to send an uploaded record again, with the reason."""

    __tablename__ = "icare_amendments"

    id = db.Column(db.Integer, primary_key=True)
    form_id = db.Column(db.Integer, db.ForeignKey("service_forms.id"), index=True)
    profile_client_id = db.Column(db.Integer, db.ForeignKey("clients.id"), index=True)
    reason = db.Column(db.String(20), nullable=False)  # one of AMENDMENT_REASONS
    update_record_id = db.Column(db.String(40), nullable=False)  # iCARE's record id, else ours
    note = db.Column(db.Text, nullable=False, default="")
    requested_by_id = db.Column(db.Integer, db.ForeignKey("staff.id"), nullable=False)
    requested_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    sent_upload_id = db.Column(db.Integer, db.ForeignKey("icare_uploads.id"))  # the final file that carried it

    requested_by = db.relationship("Staff")
    sent_upload = db.relationship(IcareUpload)


def last_sent(form_id):
    """When a form last went out in a final file (``None``: never, or rejected since)."""
    query = (
        db.select(IcareUpload.created_at)
        .join(IcareUploadItem, IcareUploadItem.upload_id == IcareUpload.id)
        .where(IcareUploadItem.form_id == form_id, IcareUploadItem.status.in_(("uploaded", "accepted")))
        .order_by(IcareUpload.created_at.desc())
    )
    return db.session.scalars(query).first()


def uploads_of(month):
    """The final files of a month, newest first."""
    query = db.select(IcareUpload).where(IcareUpload.month == month).order_by(IcareUpload.created_at.desc())
    return db.session.scalars(query).all()


def rejected_items(month):
    """Records iCARE rejected from a month's final files and not sent again since."""
    later = db.aliased(IcareUploadItem)
    resent = db.exists().where(
        later.id > IcareUploadItem.id,
        db.or_(
            db.and_(later.form_id.is_not(None), later.form_id == IcareUploadItem.form_id),
            db.and_(later.profile_client_id.is_not(None), later.profile_client_id == IcareUploadItem.profile_client_id),
        ),
    )
    query = (
        db.select(IcareUploadItem)
        .join(IcareUpload, IcareUpload.id == IcareUploadItem.upload_id)
        .where(IcareUpload.month == month, IcareUploadItem.status == "rejected", ~resent)
        .order_by(IcareUploadItem.id)
    )
    return db.session.scalars(query).all()

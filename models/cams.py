"""A client's CaMS reference number: the number Ontario's Employment Ontario Case Management
System (CaMS) gives the client's case. OCMS has no connection to CaMS: staff type the number
(or an EAP import brings it) so that records can be matched with CaMS exports by hand.

Format (an assumption, as the Ministry publishes none for third parties): 6 to 12 digits;
spaces and dashes people type between digit groups are dropped. One number per client, unique
within the agency (two clients of one agency cannot share a case); another agency may hold the
same number (no agency sees another's). Adding, changing and removing are audited as every row
write is (``models/audit.py``).
"""

import re

from flask_babel import lazy_gettext
from sqlalchemy import select

from extensions import db
from models.base import Timestamped
from models.errors import InvalidEntry
from models.tenancy import AgencyOwned

CAMS_PATTERN = re.compile(r"^[0-9]{6,12}$")  # ASCII digits: "１２３４５６" is no CaMS number
BAD_FORMAT = lazy_gettext("A CaMS number is 6 to 12 digits (spaces and dashes are ignored).")
TAKEN = lazy_gettext("Another client of your agency already has this CaMS number.")


class ClientCamsNumber(AgencyOwned, Timestamped, db.Model):
    __tablename__ = "client_cams_numbers"
    __table_args__ = (db.UniqueConstraint("agency_id", "cams_number"),)
    portal_scope = "own"  # the client reads their own number (on their Employment Action Plan)

    id = db.Column(db.Integer, primary_key=True)
    client_id = db.Column(db.Integer, db.ForeignKey("clients.id", ondelete="CASCADE"), nullable=False, unique=True)
    cams_number = db.Column(db.String(12), nullable=False)
    added_by_id = db.Column(db.Integer, db.ForeignKey("staff.id", ondelete="SET NULL"))

    added_by = db.relationship("Staff")


def normal_cams(text):
    """The number without spaces or dashes; ``InvalidEntry`` when it is not 6 to 12 digits."""
    value = re.sub(r"[\s-]", "", text or "")
    if not CAMS_PATTERN.match(value):
        raise InvalidEntry("cams_number", BAD_FORMAT)
    return value


def cams_of(client):
    return db.session.scalar(select(ClientCamsNumber).where(ClientCamsNumber.client_id == client.id))


def client_with_cams(number):
    """The agency's client holding ``number`` (scoped: the current agency only), or ``None``."""
    return db.session.scalar(select(ClientCamsNumber.client_id).where(ClientCamsNumber.cams_number == number))


def set_cams(client, text, staff=None):
    """Give the client this number (replacing theirs); refused when another client of the
    agency holds it. The caller commits."""
    number = normal_cams(text)
    holder = client_with_cams(number)
    if holder is not None and holder != client.id:
        raise InvalidEntry("cams_number", TAKEN)
    row = cams_of(client)
    if row is None:
        row = ClientCamsNumber(client_id=client.id, agency_id=client.agency_id)
        db.session.add(row)
    row.cams_number, row.added_by_id = number, staff.id if staff else None
    return row


def remove_cams(client):
    """Remove the client's number; ``False`` when they had none."""
    row = cams_of(client)
    if row is None:
        return False
    db.session.delete(row)
    return True

"""Consent records: every consent given or withdrawn, with the statement version and who took it.

The latest record of a kind is the one that holds. Withdrawing all consent sets
``Client.consent_withdrawn_at`` and writes a withdrawn record of every kind; from then on
``Client.may_share_with_partners`` and ``Client.may_notify`` are False until the privacy
statement is read with the client again (a new ``privacy`` record) and the other kinds are
given again one by one.
"""

from flask_babel import lazy_gettext

from extensions import db
from models.base import utcnow
from models.tenancy import AgencyOwned

CONSENT_KINDS = {
    "privacy": lazy_gettext("Privacy statement (collect and keep information)"),
    "research": lazy_gettext("Contact for research"),
    "partner_sharing": lazy_gettext("Share with trusted partner agencies"),
    "notifications": lazy_gettext("Reminders and notifications"),
    "portal": lazy_gettext("Use the client portal"),
}
# What staff may give or withdraw one by one on the dashboard (privacy goes through its own step).
CHANGEABLE_KINDS = ("research", "partner_sharing", "notifications", "portal")

# A note the application writes itself: stored in English (the same whoever's language), shown
# in the reader's (``ConsentRecord.shown_note``).
PORTAL_ACCEPTED_NOTE = "Accepted the portal invitation."
GENERATED_NOTES = {PORTAL_ACCEPTED_NOTE: lazy_gettext("Accepted the portal invitation.")}


class ConsentRecord(AgencyOwned, db.Model):
    """One consent event for a client; the latest record of a kind is the one that holds."""

    __tablename__ = "consent_records"
    portal_scope = "own"  # a signed-in client reads their own consent (to the portal)
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

    client = db.relationship(
        "Client",
        backref=db.backref("consent_records", order_by=lambda: [ConsentRecord.recorded_at.desc(), ConsentRecord.id.desc()]),
    )
    staff = db.relationship("Staff")

    @property
    def kind_label(self):
        return CONSENT_KINDS[self.kind]

    @property
    def shown_note(self):
        """The note as written; one the application wrote, in the reader's language."""
        return GENERATED_NOTES.get(self.note, self.note)


def _newest_first(record):
    return (record.recorded_at or utcnow(), record.id or 2**63)


def latest_consent(client, kind):
    """The record of ``kind`` that holds now (records not yet flushed included), or ``None``."""
    records = [r for r in client.consent_records if r.kind == kind]
    return max(records, key=_newest_first) if records else None


def consent_holds(client, kind):
    """False once all consent is withdrawn, or when the latest record of ``kind`` is not "given"."""
    if client.consent_withdrawn_at is not None:
        return False
    latest = latest_consent(client, kind)
    return bool(latest and latest.given)


def record_consent(client, kind, given, staff_id, *, version=None, language=None, note="", at=None):
    """Add one consent record to ``client`` (the caller commits)."""
    record = ConsentRecord(
        kind=kind,
        given=given,
        statement_version=version,
        language=language,
        staff_id=staff_id,
        note=(note or "")[:500],
        recorded_at=at or utcnow(),
    )
    client.consent_records.append(record)
    return record


def withdraw_all_consent(client, staff_id, note=""):
    """The client withdraws every consent: sharing and notifications stop at once."""
    now = utcnow()
    client.consent_withdrawn_at = now
    for kind in CONSENT_KINDS:
        record_consent(client, kind, False, staff_id, note=note, at=now)


def give_privacy_consent(client, agency, staff_id, language, note=""):
    """The privacy statement (its current version) read with the client again: the withdrawal ends."""
    now = utcnow()
    client.consent_withdrawn_at = None
    client.privacy_consent_at, client.privacy_consent_version = now, agency.privacy_statement_version
    client.privacy_consent_staff_id = staff_id
    version = agency.privacy_statement_version
    return record_consent(client, "privacy", True, staff_id, version=version, language=language, note=note, at=now)

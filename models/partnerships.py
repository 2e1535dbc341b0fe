"""Trusted partnerships: the only path by which anything crosses agencies.

Agency A invites agency B (by B's agency code); B's admin accepts or declines; either side ends
it. While it is accepted, A can refer a client to B: a ``SharedReferral`` holds a copy of only
what the referring worker chose to share, sent only if the client's latest
"Share with trusted partner agencies" consent record gives it (that record is named on the
copy). B sees it among its incoming referrals and answers (accepted, declined, attended,
no-show); A sees the answer beside its own referral.

Both tables are ``SharedBetweenAgencies`` (``models/tenancy.py``): the tenancy hook shows a
partnership to its two agencies and a shared referral to its sender always and to its receiver
only while the partnership is accepted, so ending it stops all sharing at once; the write hook
refuses rows of any other agency; row-level security applies the same rule on PostgreSQL
(the migration's ``partnership_policy``). Nothing here reads another agency's tables: B never
loads A's client, staff or agency rows, only the copy.
"""

from flask_babel import lazy_gettext
from sqlalchemy import and_, or_, select

from extensions import db
from models.agencies import Agency
from models.base import Timestamped, utcnow
from models.errors import InvalidEntry
from models.principal import current_agency_id
from models.privacy import consent_holds, latest_consent
from models.referrals import ReferralPartner, need_label
from models.tenancy import SharedBetweenAgencies, unscoped_options

PARTNERSHIP_STATUSES = {
    "invited": lazy_gettext("Invited"),
    "accepted": lazy_gettext("Accepted"),
    "declined": lazy_gettext("Declined"),
    "ended": lazy_gettext("Ended"),
}
LIVE = ("invited", "accepted")
ANSWERS = {
    "sent": lazy_gettext("Sent"),
    "accepted": lazy_gettext("Accepted"),
    "declined": lazy_gettext("Declined"),
    "attended": lazy_gettext("Attended"),
    "no_show": lazy_gettext("No-show"),
}
SHAREABLE = {
    "name": lazy_gettext("Name"),
    "date_of_birth": lazy_gettext("Date of birth"),
    "phone": lazy_gettext("Phone"),
    "email": lazy_gettext("Email"),
    "language": lazy_gettext("Languages"),
}
CONSENT_KIND = "partner_sharing"


class Partnership(SharedBetweenAgencies, Timestamped, db.Model):
    __tablename__ = "partnerships"

    id = db.Column(db.Integer, primary_key=True)
    inviting_agency_id = db.Column(db.Integer, db.ForeignKey("agencies.id"), nullable=False, index=True)
    invited_agency_id = db.Column(db.Integer, db.ForeignKey("agencies.id"), nullable=False, index=True)
    inviting_agency_name = db.Column(db.String(200), nullable=False)  # each side never loads the other's row
    invited_agency_name = db.Column(db.String(200), nullable=False)
    status = db.Column(
        db.Enum(*PARTNERSHIP_STATUSES, name="partnership_status", native_enum=False), nullable=False, default="invited"
    )
    message = db.Column(db.Text, nullable=False, default="")
    invited_by_name = db.Column(db.String(200), nullable=False, default="")
    answered_by_name = db.Column(db.String(200), nullable=False, default="")
    answered_at = db.Column(db.DateTime)
    ended_at = db.Column(db.DateTime)
    ended_by_agency_id = db.Column(db.Integer)

    @classmethod
    def party_clause(cls, agency_id):
        return or_(cls.inviting_agency_id == agency_id, cls.invited_agency_id == agency_id)

    def party_ids(self):
        return (self.inviting_agency_id, self.invited_agency_id)

    def other_name(self, agency_id):
        return self.invited_agency_name if agency_id == self.inviting_agency_id else self.inviting_agency_name

    @property
    def status_label(self):
        return str(PARTNERSHIP_STATUSES[self.status])


class SharedReferral(SharedBetweenAgencies, Timestamped, db.Model):
    """What one agency shared with a partner agency about one referral: a copy, never a link."""

    __tablename__ = "shared_referrals"

    id = db.Column(db.Integer, primary_key=True)
    partnership_id = db.Column(db.Integer, db.ForeignKey("partnerships.id"), nullable=False, index=True)
    from_agency_id = db.Column(db.Integer, db.ForeignKey("agencies.id"), nullable=False, index=True)
    to_agency_id = db.Column(db.Integer, db.ForeignKey("agencies.id"), nullable=False, index=True)
    referral_id = db.Column(db.Integer, db.ForeignKey("referrals.id", ondelete="SET NULL"), index=True, unique=True)
    consent_record_id = db.Column(db.Integer, db.ForeignKey("consent_records.id", ondelete="SET NULL"))
    consent_summary = db.Column(db.String(300), nullable=False)
    shared_fields = db.Column(db.JSON, nullable=False, default=dict)  # field -> value, only what was chosen
    need_area = db.Column(db.String(80), nullable=False)
    message = db.Column(db.Text, nullable=False, default="")
    from_agency_name = db.Column(db.String(200), nullable=False)
    referred_by_name = db.Column(db.String(200), nullable=False)
    sent_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    status = db.Column(db.Enum(*ANSWERS, name="shared_referral_status", native_enum=False), nullable=False, default="sent")
    answer_note = db.Column(db.Text, nullable=False, default="")
    answered_by_name = db.Column(db.String(200), nullable=False, default="")
    answered_at = db.Column(db.DateTime)

    partnership = db.relationship(Partnership)
    referral = db.relationship("Referral", backref=db.backref("shared", uselist=False))

    @classmethod
    def party_clause(cls, agency_id):
        accepted = select(Partnership.id).where(Partnership.status == "accepted")
        return or_(cls.from_agency_id == agency_id, and_(cls.to_agency_id == agency_id, cls.partnership_id.in_(accepted)))

    def party_ids(self):
        return (self.from_agency_id, self.to_agency_id)

    @property
    def need_label(self):
        return need_label(self.need_area)

    @property
    def status_label(self):
        return str(ANSWERS[self.status])

    def shared_items(self):
        return [(str(SHAREABLE[key]), self.shared_fields[key]) for key in SHAREABLE if key in self.shared_fields]


def agency_by_code(code):
    """The one look-up across agencies outside a partnership: an agency's id and name by its exact
    code (to invite it), one statement under ``unscoped_options``."""
    query = select(Agency.id, Agency.name).where(Agency.code == (code or "").strip().upper())
    return db.session.execute(query, execution_options=unscoped_options).first()


def partnerships():
    """The current agency's partnerships, live ones first."""
    query = select(Partnership).order_by(Partnership.status.in_(LIVE).desc(), Partnership.created_at.desc())
    return db.session.scalars(query).all()


def accepted_partnerships():
    return db.session.scalars(select(Partnership).where(Partnership.status == "accepted").order_by(Partnership.id)).all()


def partnership(partnership_id):
    """One partnership of the current agency, or ``InvalidEntry`` (a foreign or unknown id)."""
    found = db.session.scalar(select(Partnership).where(Partnership.id == partnership_id)) if partnership_id else None
    if found is None:
        raise InvalidEntry("partnership", lazy_gettext("Choose one of your agency's partnerships."))
    return found


def invite(agency, code, staff, message=""):
    """Agency ``agency`` invites the agency with ``code``; the caller commits."""
    other = agency_by_code(code)
    if other is None or other.id == agency.id:
        raise InvalidEntry("code", lazy_gettext("No other agency has this code."))
    live = select(Partnership.id).where(Partnership.status.in_(LIVE), Partnership.party_clause(other.id))
    if db.session.scalar(live) is not None:
        raise InvalidEntry("code", lazy_gettext("There is already an invitation or a partnership with this agency."))
    row = Partnership(
        inviting_agency_id=agency.id,
        invited_agency_id=other.id,
        inviting_agency_name=agency.name,
        invited_agency_name=other.name,
        invited_by_name=staff.name,
        message=(message or "").strip(),
    )
    db.session.add(row)
    return row


def answer_invitation(row, accept, staff):
    """The invited agency's admin accepts or declines; each side gets a partner entry on accepting."""
    if row.status != "invited" or row.invited_agency_id != current_agency_id():
        raise InvalidEntry("partnership", lazy_gettext("Only the invited agency can answer an open invitation."))
    row.status, row.answered_by_name, row.answered_at = ("accepted" if accept else "declined"), staff.name, utcnow()
    if accept:
        partner_for(row)


def end_partnership(row):
    """Either side ends it: from this moment the receiving side sees none of what was shared."""
    if row.status not in LIVE:
        raise InvalidEntry("partnership", lazy_gettext("This partnership has already ended."))
    row.status, row.ended_at, row.ended_by_agency_id = "ended", utcnow(), current_agency_id()


def partner_for(row):
    """The current agency's partner entry for this partnership (created when missing)."""
    partner = db.session.scalar(select(ReferralPartner).where(ReferralPartner.partnership_id == row.id))
    if partner is None:
        name = row.other_name(current_agency_id())
        partner = ReferralPartner(name=name, kind="agency", partnership=row)  # services: labelled at display
        db.session.add(partner)
    return partner


def consent_for_sharing(client):
    """The consent record that allows sharing now, or ``InvalidEntry`` saying why not."""
    if not consent_holds(client, CONSENT_KIND):
        raise InvalidEntry(
            "consent",
            lazy_gettext("The client has not consented to sharing with trusted partner agencies: record that consent first."),
        )
    return latest_consent(client, CONSENT_KIND)


def shared_values(client, fields):
    values = {
        "name": client.display_name,
        "date_of_birth": client.date_of_birth.isoformat() if client.date_of_birth else "",
        "phone": client.phone or "",
        "email": client.email or "",
        "language": ", ".join(v for v in [client.official_language, client.first_language] if v),
    }
    return {key: values[key] for key in SHAREABLE if key in fields and values[key]}


def share_referral(referral, row, fields, staff, message=""):
    """Send a copy of ``referral`` to the partner agency of ``row`` (accepted), holding only
    ``fields`` of the client, if the client's consent allows it (checked now, named on the copy)."""
    if row.status != "accepted":
        raise InvalidEntry(
            "partnership", lazy_gettext("This agency has not accepted a partnership with yours: nothing was sent.")
        )
    consent = consent_for_sharing(referral.client)
    me = current_agency_id()
    shared = SharedReferral(
        partnership=row,
        from_agency_id=me,
        to_agency_id=row.invited_agency_id if me == row.inviting_agency_id else row.inviting_agency_id,
        referral=referral,
        consent_record_id=consent.id,
        consent_summary=f"{consent.kind_label}: {consent.recorded_at:%Y-%m-%d} ({consent.staff.name if consent.staff else ''})",
        shared_fields=shared_values(referral.client, fields),
        need_area=referral.need_area,
        message=(message or "").strip(),
        from_agency_name=row.inviting_agency_name if me == row.inviting_agency_id else row.invited_agency_name,
        referred_by_name=staff.name,
    )
    db.session.add(shared)
    return shared


def incoming_referrals():
    """Referrals partner agencies sent to the current one (only while the partnership holds)."""
    query = select(SharedReferral).where(SharedReferral.to_agency_id == current_agency_id())
    return db.session.scalars(query.order_by(SharedReferral.sent_at.desc())).all()


def incoming_referral(shared_id):
    query = select(SharedReferral).where(SharedReferral.id == shared_id, SharedReferral.to_agency_id == current_agency_id())
    found = db.session.scalar(query) if shared_id else None
    if found is None:
        raise InvalidEntry("referral", lazy_gettext("There is no such incoming referral."))
    return found


def answer_referral(shared, status, note, staff):
    """The receiving agency answers; the sending agency sees it beside its referral."""
    if status not in ANSWERS or status == "sent":
        raise InvalidEntry("status", lazy_gettext("Choose an answer."))
    shared.status, shared.answer_note = status, (note or "").strip()
    shared.answered_by_name, shared.answered_at = staff.name, utcnow()

"""Referral partners and referrals.

- A **partner** is an external organisation the agency refers clients to (services, need areas,
  contacts, address, languages, eligibility), or another agency on this system, reached through
  a trusted partnership (``partnership_id``, ``models/partnerships.py``). Internal referrals go
  to one of the agency's own programs (``Referral.to_program_id``).
- A **referral** names its client, referring staff member, one target (a partner or a program),
  a need area of the iCARE Needs Assessment (derived from ``service_forms``), its date, status,
  follow-up date, outcome, notes and the form or session it came from. The program and Private
  rules apply as for forms (``models/visibility.py``: owner ``referring_staff_id``).
- ``referrals_follow_up_due(on_date)`` is what the follow-up reminders ask.
"""

from dataclasses import dataclass
from datetime import date
from functools import cache

from flask_babel import gettext, lazy_gettext
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from extensions import db
from models.base import Timestamped, Versioned
from models.errors import InvalidEntry
from models.tenancy import AgencyOwned
from service_forms.catalogue import FORMS

NEEDS_FORM = "needs_assessment"
REFERRAL_STATUSES = {
    "made": lazy_gettext("Made"),
    "accepted": lazy_gettext("Accepted"),
    "attended": lazy_gettext("Attended"),
    "declined": lazy_gettext("Declined"),
    "no_show": lazy_gettext("No-show"),
    "closed": lazy_gettext("Closed"),
}
OPEN_STATUSES = ("made", "accepted")  # still to follow up
ENDED_STATUSES = ("attended", "closed")  # the client may be asked how it went (follow-up survey)
PARTNER_KINDS = {
    "external": lazy_gettext("External organisation"),
    "agency": lazy_gettext("Agency on this system (trusted partnership)"),
}
REFERRAL_SUFFIXES = ("_referrals_ind", "_refs_ind")
FOLLOW_UP_BEFORE = lazy_gettext("The follow-up date cannot be before the referral date.")


@dataclass(frozen=True)
class NeedArea:
    """One need of the iCARE Needs Assessment: its needs field and the field that says a
    referral was made for it."""

    code: str
    label: str
    referral_field: str | None


@cache
def need_areas():
    """The need areas, in the form's order, read from the Needs Assessment's description: every
    ``..._needs_ind`` field, paired with the ``...ref..._ind`` field that follows it."""
    fields = FORMS[NEEDS_FORM].fields
    areas = []
    for index, spec in enumerate(fields):
        if not spec.name.endswith("_needs_ind"):
            continue
        following = fields[index + 1] if index + 1 < len(fields) else None
        referral = following.name if following is not None and following.name.endswith(REFERRAL_SUFFIXES) else None
        areas.append(NeedArea(spec.name, spec.label, referral))
    return tuple(areas)


def need_label(code):
    """A need area's label in the viewer's language (text, not a lazy string)."""
    return next((str(area.label) for area in need_areas() if area.code == code), code or "")


def need_choices():
    return [(area.code, area.label) for area in need_areas()]


def referred_needs(form):
    """The need areas a Needs Assessment says a referral was made for (its referral answers "Yes")."""
    if form is None or form.kind != NEEDS_FORM:
        return []
    data = form.data or {}
    return [area for area in need_areas() if area.referral_field and data.get(area.referral_field) == "Yes"]


AGENCY_SERVICES_STORED_BEFORE = "Agency on this system"  # what accepting a partnership stored, in English


class ReferralPartner(Versioned, AgencyOwned, Timestamped, db.Model):
    """An organisation this agency refers clients to."""

    __tablename__ = "referral_partners"
    __table_args__ = (db.UniqueConstraint("agency_id", "name"),)

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(200), nullable=False)
    kind = db.Column(db.Enum(*PARTNER_KINDS, name="partner_kind", native_enum=False), nullable=False, default="external")
    services = db.Column(db.Text, nullable=False, default="")
    need_areas = db.Column(db.JSON, nullable=False, default=list)  # need area codes
    contact_name = db.Column(db.String(200), nullable=False, default="")
    phone = db.Column(db.String(30), nullable=False, default="")
    email = db.Column(db.String(254), nullable=False, default="")
    address = db.Column(db.String(300), nullable=False, default="")
    languages = db.Column(db.String(300), nullable=False, default="")
    eligibility_notes = db.Column(db.Text, nullable=False, default="")
    is_active = db.Column(db.Boolean, nullable=False, default=True)
    partnership_id = db.Column(db.Integer, db.ForeignKey("partnerships.id"), index=True)

    partnership = db.relationship("Partnership")

    def __str__(self):
        return self.name

    @property
    def services_label(self):
        """The services as typed; a partner agency's entry, created without any when the
        partnership was accepted (or with the English sentence earlier ones stored), says
        "Agency on this system" in the reader's language."""
        if self.kind == "agency" and self.services in ("", AGENCY_SERVICES_STORED_BEFORE):
            return gettext("Agency on this system")
        return self.services


class Referral(Versioned, AgencyOwned, Timestamped, db.Model):
    """A client referred to a partner or to one of the agency's programs."""

    __tablename__ = "referrals"
    __table_args__ = (db.Index("ix_referrals_agency_follow_up", "agency_id", "status", "follow_up_date"),)

    id = db.Column(db.Integer, primary_key=True)
    client_id = db.Column(db.Integer, db.ForeignKey("clients.id", ondelete="CASCADE"), nullable=False, index=True)
    referring_staff_id = db.Column(db.Integer, db.ForeignKey("staff.id"), nullable=False, index=True)
    partner_id = db.Column(db.Integer, db.ForeignKey("referral_partners.id"), index=True)
    to_program_id = db.Column(db.Integer, db.ForeignKey("programs.id"), index=True)  # an internal referral
    need_area = db.Column(db.String(80), nullable=False)
    referral_date = db.Column(db.Date, nullable=False, default=date.today)
    status = db.Column(db.Enum(*REFERRAL_STATUSES, name="referral_status", native_enum=False), nullable=False, default="made")
    follow_up_date = db.Column(db.Date)
    outcome = db.Column(db.Text, nullable=False, default="")
    notes = db.Column(db.Text, nullable=False, default="")
    program_id = db.Column(db.Integer, db.ForeignKey("programs.id"), index=True)  # the program it was made in (rules)
    is_private = db.Column(db.Boolean, nullable=False, default=False)
    service_form_id = db.Column(db.Integer, db.ForeignKey("service_forms.id", ondelete="SET NULL"), index=True)
    session_id = db.Column(db.Integer, db.ForeignKey("service_sessions.id", ondelete="SET NULL"), index=True)

    client = db.relationship("Client")
    referring_staff = db.relationship("Staff")
    partner = db.relationship(ReferralPartner)
    to_program = db.relationship("Program", foreign_keys=[to_program_id])
    program = db.relationship("Program", foreign_keys=[program_id])
    service_form = db.relationship("ServiceForm")
    session = db.relationship("ServiceSession")

    def __str__(self):
        return f"{need_label(self.need_area)} → {self.target_name}"

    @property
    def target_name(self):
        return str(self.partner or self.to_program or "")

    @property
    def status_label(self):
        return str(REFERRAL_STATUSES.get(self.status, self.status))

    @property
    def need_label(self):
        return need_label(self.need_area)

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES


def check_referral(referral):
    """The rules every saved referral keeps (``InvalidEntry`` names the field)."""
    if (referral.partner_id or referral.partner) and (referral.to_program_id or referral.to_program):
        raise InvalidEntry("partner", lazy_gettext("Refer either to a partner or to one of your programs, not both."))
    if not (referral.partner_id or referral.partner or referral.to_program_id or referral.to_program):
        raise InvalidEntry("partner", lazy_gettext("Choose the partner or program the client is referred to."))
    if referral.need_area not in {area.code for area in need_areas()}:
        raise InvalidEntry("need_area", lazy_gettext("Choose a need area of the Needs Assessment."))
    if referral.follow_up_date and referral.referral_date and referral.follow_up_date < referral.referral_date:
        raise InvalidEntry("follow_up_date", FOLLOW_UP_BEFORE)


@event.listens_for(Session, "before_flush")
def _check_referrals(session, flush_context, instances):
    """Whatever page or job writes a referral, it keeps the rules (nothing half-saved)."""
    for obj in [*session.new, *session.dirty]:
        if isinstance(obj, Referral):
            check_referral(obj)


def referrals_of(client):
    """The client's referrals the viewer may see, newest first."""
    query = select(Referral).where(Referral.client_id == client.id)
    return db.session.scalars(query.order_by(Referral.referral_date.desc(), Referral.id.desc())).all()


def unrecorded_needs(form):
    """The need areas this Needs Assessment says a referral was made for that no referral
    recorded from it yet (the one-step shortcut offers these)."""
    needs = referred_needs(form)
    if not needs:
        return []
    recorded = set(db.session.scalars(select(Referral.need_area).where(Referral.service_form_id == form.id)))
    return [area for area in needs if area.code not in recorded]


def referrals_follow_up_due(on_date, since=None):
    """Open referrals whose follow-up date has come by ``on_date`` (and is not before ``since``)
    (scoped: the current agency's, as far as whoever is acting may see them)."""
    query = select(Referral).where(Referral.status.in_(OPEN_STATUSES), Referral.follow_up_date <= on_date)
    if since is not None:
        query = query.where(Referral.follow_up_date >= since)
    return db.session.scalars(query.order_by(Referral.follow_up_date, Referral.id)).all()


def referrals_ended_since(since):
    """Referrals attended or closed (last changed) on or after ``since``: the follow-up survey's."""
    query = select(Referral).where(Referral.status.in_(ENDED_STATUSES), Referral.updated_at >= since)
    return db.session.scalars(query.order_by(Referral.id)).all()


def active_partners():
    return db.session.scalars(
        select(ReferralPartner).where(ReferralPartner.is_active.is_(True)).order_by(ReferralPartner.name)
    ).all()

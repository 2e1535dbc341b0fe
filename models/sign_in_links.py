"""Single-use, expiring links that let a person in before they are signed in: a staff password
reset today, the client portal's invitation and password reset next.

A link belongs to one person (a staff member or a client) and one purpose. Only the SHA-256 of
its token is stored: the token itself is in the email and nowhere else. Issuing a link of a
purpose for a person ends their older links of that purpose. Redeeming marks the link used in the
caller's transaction with a conditional UPDATE (``used_at IS NULL``), so two requests cannot both
use one link: the caller commits its own change (a new password) with it, or rolls both back.

The token is looked up before anyone's agency is known: that one statement uses
``unscoped_options`` (as the sign-in lookup does); everything after it runs inside the link's own
agency (``tenant_scope(link.agency_id, DECLARATION)``).
"""

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from extensions import db
from models.base import utcnow
from models.clients import Client
from models.errors import LinkNotValid, TenantViolation
from models.principal import ALL_AGENCIES, Declaration, current_agency_id, tenant_scope
from models.staff import Staff
from models.tenancy import AgencyOwned, unscoped_options

PURPOSES = ("staff_password_reset", "portal_invite", "portal_password_reset")
DEFAULT_LIFETIME = timedelta(hours=1)
DECLARATION = Declaration.of("sign-in link")
UNSYNCED = {"synchronize_session": False}


class SignInLink(AgencyOwned, db.Model):
    """One link: whose, for what, until when, and whether it was used (never edited by people)."""

    __tablename__ = "sign_in_links"
    __table_args__ = (db.CheckConstraint("(staff_id IS NULL) <> (client_id IS NULL)", name="one_person"),)

    id = db.Column(db.Integer, primary_key=True)
    purpose = db.Column(db.String(40), nullable=False)
    staff_id = db.Column(db.Integer, db.ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    client_id = db.Column(db.Integer, db.ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    token_hash = db.Column(db.String(64), nullable=False, unique=True)
    expires_at = db.Column(db.DateTime, nullable=False)
    used_at = db.Column(db.DateTime)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    staff = db.relationship(Staff)
    client = db.relationship(Client)

    @property
    def person(self):
        return self.staff if self.staff_id else self.client


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def person_filter(staff, client):
    return SignInLink.staff_id == staff.id if staff is not None else SignInLink.client_id == client.id


def issue_link(purpose, *, staff=None, client=None, lifetime=DEFAULT_LIFETIME):
    """A new link of ``purpose`` for one person; returns its token (to put in the email). The
    person's older unused links of this purpose stop working. Written in the caller's
    transaction, inside the person's agency; the caller commits."""
    if purpose not in PURPOSES or (staff is None) == (client is None):
        raise ValueError("a known purpose and exactly one of staff or client")
    person = staff if staff is not None else client
    acting_agency = current_agency_id()
    if acting_agency not in (None, ALL_AGENCIES) and acting_agency != person.agency_id:
        raise TenantViolation("a sign-in link for a person of another agency")
    token, now = secrets.token_urlsafe(32), utcnow()
    with tenant_scope(person.agency_id, DECLARATION):
        older = update(SignInLink).where(
            SignInLink.purpose == purpose, person_filter(staff, client), SignInLink.used_at.is_(None)
        )
        db.session.execute(older.values(used_at=now), execution_options=UNSYNCED)
        link = SignInLink(purpose=purpose, token_hash=token_hash(token), expires_at=now + lifetime, created_at=now)
        link.staff_id, link.client_id = (staff.id, None) if staff is not None else (None, client.id)
        db.session.add(link)
        db.session.flush()
    return token


def find_link(token, purpose):
    """The link of this token and purpose, whoever's (the one unscoped look-up), or ``None``."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    query = (
        select(SignInLink)
        .where(SignInLink.token_hash == token_hash(token), SignInLink.purpose == purpose)
        .options(joinedload(SignInLink.staff), joinedload(SignInLink.client))
    )
    return db.session.execute(query, execution_options=unscoped_options).unique().scalar_one_or_none()


def usable_link(token, purpose, now=None):
    """The link if it can be used now, else ``LinkNotValid`` with the reason."""
    link = find_link(token, purpose)
    if link is None or link.person is None or (link.staff_id and not link.staff.is_active):
        raise LinkNotValid("unknown")
    if link.used_at is not None:
        raise LinkNotValid("used")
    if (now or utcnow()) >= link.expires_at:
        raise LinkNotValid("expired")
    return link


def peek_link(token, purpose):
    """The link, to show its form, without using it (``LinkNotValid`` as ``redeem_link``)."""
    return usable_link(token, purpose)


def redeem_link(token, purpose):
    """Use the link: returns it (``link.person``, ``link.agency_id``), marked used in the caller's
    transaction, or raises ``LinkNotValid`` (``unknown``, ``expired`` or ``used``). Only one of two
    requests redeeming the same link at once wins; the caller commits (or rolls back, and the
    link stays usable)."""
    now = utcnow()
    link = usable_link(token, purpose, now)
    with tenant_scope(link.agency_id, DECLARATION):
        claim = update(SignInLink).where(SignInLink.id == link.id, SignInLink.used_at.is_(None), SignInLink.expires_at > now)
        if db.session.execute(claim.values(used_at=now), execution_options=UNSYNCED).rowcount != 1:
            raise LinkNotValid("used")
    set_committed_value(link, "used_at", now)  # as stored: the caller's flush has nothing to write
    return link

"""Portal accounts: a client's own sign-in to the client portal (``portal/``).

One account per client, created when staff first invite the client. The account holds the
sign-in email (copied from the client's profile at each invitation), an argon2id password hash
(the same hasher and cost as staff, ``models/staff.password_hasher``) and a rotating session
token (the portal session holds it; rotating it ends every portal session of the client).

Consent to use the portal is a consent record of kind ``portal`` (``models/privacy.py``),
given by the client when accepting the invitation. A client may sign in only while the account
has a password, the client is not archived, consent to the portal holds (not withdrawn, and all
consent not withdrawn) and the client was not anonymised (``may_sign_in``).
"""

from flask_babel import gettext
from sqlalchemy import func, select

from extensions import db
from models.base import Timestamped, Versioned, utcnow
from models.clients import Client
from models.errors import InvalidEntry
from models.privacy import PORTAL_ACCEPTED_NOTE, consent_holds, record_consent
from models.staff import PasswordHolder, new_session_token
from models.tenancy import AgencyOwned, unscoped_options

PORTAL_CONSENT = "portal"


class PortalAccount(PasswordHolder, Versioned, AgencyOwned, Timestamped, db.Model):
    __tablename__ = "portal_accounts"
    portal_scope = "own"  # a signed-in client reads their own account

    id = db.Column(db.Integer, primary_key=True)
    client_id = db.Column(db.Integer, db.ForeignKey("clients.id", ondelete="CASCADE"), nullable=False, unique=True)
    email = db.Column(db.String(254), nullable=False, unique=True)  # lower case: the sign-in name
    password_hash = db.Column(db.String(255), nullable=False, default="")
    session_token = db.Column(db.String(64), nullable=False, unique=True, default=new_session_token)
    invited_at = db.Column(db.DateTime)
    invited_by_id = db.Column(db.Integer, db.ForeignKey("staff.id", ondelete="SET NULL"))
    accepted_at = db.Column(db.DateTime)
    last_sign_in_at = db.Column(db.DateTime)
    language = db.Column(db.String(10))  # the portal language the client chose (None: their profile's, else the browser's)

    client = db.relationship(Client, backref=db.backref("portal_account", uselist=False, passive_deletes=True))
    invited_by = db.relationship("Staff")

    @property
    def has_signed_in(self):
        return self.last_sign_in_at is not None


def account_of(client):
    """The client's portal account, or ``None`` (scoped: the caller's agency)."""
    return db.session.scalar(select(PortalAccount).where(PortalAccount.client_id == client.id))


def email_taken(email, client):
    """Whether another client (of any agency) already signs in with ``email``: emails are the
    sign-in name, so they are unique across agencies (the one unscoped question)."""
    query = select(PortalAccount.id).where(func.lower(PortalAccount.email) == email, PortalAccount.client_id != client.id)
    return db.session.execute(query, execution_options=unscoped_options).first() is not None


def prepare_account(client, staff):
    """The account to invite ``client`` to, created on first invitation, with the profile's
    email as the sign-in name (``InvalidEntry`` when the client cannot be invited)."""
    email = (client.email or "").strip().lower()
    if client.kind != "named" or client.is_archived or client.anonymised_at is not None:
        raise InvalidEntry("client", gettext("Only a current named client can be invited to the portal."))
    if not email:
        raise InvalidEntry("email", gettext("Add the client's email address to the profile first."))
    if email_taken(email, client):
        raise InvalidEntry(
            "email", gettext("This email address cannot be used for a portal account. Ask the client for another one.")
        )
    account = account_of(client) or PortalAccount(client=client)
    account.email, account.invited_at, account.invited_by_id = email, utcnow(), staff.id
    db.session.add(account)
    return account


def find_account_by_email(email):
    """The account signing in with ``email`` (before the agency is known: unscoped), or ``None``."""
    query = select(PortalAccount).where(PortalAccount.email == email)
    return db.session.execute(query, execution_options=unscoped_options).scalar_one_or_none()


def find_account_by_token(session_token):
    """The account of a portal session (before the agency is known: unscoped), or ``None``."""
    if not isinstance(session_token, str) or not session_token:
        return None
    query = select(PortalAccount).where(PortalAccount.session_token == session_token)
    return db.session.execute(query, execution_options=unscoped_options).scalar_one_or_none()


def load_client(account):
    """The account's client row (unscoped: read to decide whether the client may sign in)."""
    query = select(Client).where(Client.id == account.client_id)
    return db.session.execute(query, execution_options=unscoped_options).scalar_one()


def may_sign_in(account, client):
    """An accepted account of a current client who consents to the portal (run as the client)."""
    return bool(
        account.password_hash
        and account.accepted_at is not None
        and not client.is_archived
        and client.anonymised_at is None
        and consent_holds(client, PORTAL_CONSENT)
    )


def accept(account, password):
    """The client accepted the invitation: their password, and their consent to the portal."""
    account.set_password(password)
    account.accepted_at = account.accepted_at or utcnow()
    record = record_consent(account.client, PORTAL_CONSENT, True, None, note=PORTAL_ACCEPTED_NOTE)
    record.agency_id = account.client.agency_id

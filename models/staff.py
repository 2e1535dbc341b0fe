"""Staff members, their sign-in credentials and the sign-in attempt log."""

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext
from flask_login import UserMixin
from sqlalchemy import event

from extensions import db
from models.agencies import Funder, Program, Site
from models.base import Timestamped, Versioned, utcnow
from models.tenancy import AgencyOwned

ROLES = {
    "worker": lazy_gettext("Worker"),
    "coordinator": lazy_gettext("Coordinator"),
    "agency_admin": lazy_gettext("Agency admin"),
}

staff_programs = db.Table(
    "staff_programs",
    db.Column("staff_id", db.Integer, db.ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True),
    db.Column("program_id", db.Integer, db.ForeignKey("programs.id", ondelete="CASCADE"), primary_key=True),
)


def new_session_token():
    return secrets.token_urlsafe(32)


def password_hasher():
    """Argon2id with the configured cost (the library defaults unless a test lowers them)."""
    config = current_app.config
    return PasswordHasher(
        time_cost=config.get("ARGON2_TIME_COST", 3),
        memory_cost=config.get("ARGON2_MEMORY_COST", 65536),
    )


LANGUAGES = {"en": "English", "fr_CA": "Français (Canada)"}  # interface languages, each named in its own


class PasswordHolder:
    """A sign-in of one's own (staff, and a client's portal account): an argon2id
    ``password_hash`` and a ``session_token`` whose rotation ends every session."""

    def end_all_sessions(self):
        self.session_token = new_session_token()

    def set_password(self, password):
        self.password_hash = password_hasher().hash(password)
        self.end_all_sessions()

    def check_password(self, password):
        """Verify, upgrading the stored hash when the cost parameters changed."""
        hasher = password_hasher()
        try:
            hasher.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
        if hasher.check_needs_rehash(self.password_hash):
            self.password_hash = hasher.hash(password)
        return True


class Staff(UserMixin, PasswordHolder, Versioned, AgencyOwned, Timestamped, db.Model):
    __tablename__ = "staff"
    portal_scope = "assigned"  # a signed-in client sees the staff assigned to them (their names)

    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(254), nullable=False, unique=True)
    first_name = db.Column(db.String(100), nullable=False)
    last_name = db.Column(db.String(100), nullable=False)
    title = db.Column(db.String(100), nullable=False, default="")
    phone = db.Column(db.String(30), nullable=False, default="")
    role = db.Column(db.Enum(*ROLES, name="staff_role", native_enum=False), nullable=False, default="worker")
    manager_id = db.Column(db.Integer, db.ForeignKey("staff.id"), index=True)
    default_site_id = db.Column(db.Integer, db.ForeignKey("sites.id"), index=True)
    default_funder_id = db.Column(db.Integer, db.ForeignKey("funders.id"), index=True)
    default_program_id = db.Column(db.Integer, db.ForeignKey("programs.id"), index=True)
    is_active = db.Column(db.Boolean, nullable=False, default=True)
    password_hash = db.Column(db.String(255), nullable=False, default="")
    session_token = db.Column(db.String(64), nullable=False, unique=True, default=new_session_token)
    last_sign_in_at = db.Column(db.DateTime)
    totp_secret = db.Column(db.String(64))  # two-step sign-in, set once confirmed
    totp_last_step = db.Column(db.Integer)  # the last accepted time step: a code works once
    reply_to_email = db.Column(db.String(254))  # client-safe address clients' messages carry as Reply-To
    interface_language = db.Column(db.Enum(*LANGUAGES, name="interface_language", native_enum=False))  # none: the browser's
    # The "iCARE uploader" add-on (an agency admin gives it): may make final iCARE files.
    is_icare_uploader = db.Column(db.Boolean, nullable=False, default=False, server_default=db.false())

    manager = db.relationship("Staff", remote_side=[id], backref="team")
    default_site = db.relationship(Site)
    default_funder = db.relationship(Funder)
    default_program = db.relationship(Program, foreign_keys=[default_program_id])
    programs = db.relationship(Program, secondary=staff_programs, backref="staff", order_by=Program.name)
    agency = db.relationship("Agency")

    def __str__(self):
        return self.name

    @property
    def name(self):
        return f"{self.first_name} {self.last_name}"

    def get_id(self):
        """Flask-Login's alternative id: rotating it ends every session of this person."""
        return self.session_token

    def has_role(self, *roles):
        return self.role in roles


@event.listens_for(Staff.is_active, "set")
def _end_sessions_on_deactivation(staff, value, old_value, initiator):
    """Deactivating a staff member signs them out everywhere, whatever path set the flag."""
    if old_value is True and not value:
        staff.end_all_sessions()


class SignInAttempt(db.Model):
    """One row per sign-in attempt: the throttle counts recent failures per email."""

    __tablename__ = "sign_in_attempts"
    __table_args__ = (db.Index("ix_sign_in_attempts_email_at", "email", "attempted_at"),)

    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(254), nullable=False)
    attempted_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    succeeded = db.Column(db.Boolean, nullable=False)
    remote_addr = db.Column(db.String(64), nullable=False, default="")


def staff_members(active_only=False):
    """The current agency's staff by last and first name (choice lists, filters, the directory)."""
    query = db.select(Staff).order_by(Staff.last_name, Staff.first_name)
    return db.session.scalars(query.where(Staff.is_active.is_(True)) if active_only else query).all()

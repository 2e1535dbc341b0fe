"""Clients: named or anonymous profiles (their fields described in ``models/client_profile.py``),
and what hangs off a profile."""

import secrets
from datetime import date

from flask_babel import gettext, lazy_gettext
from sqlalchemy import event, inspect
from sqlalchemy.orm import validates

from extensions import db
from models.base import Timestamped, Versioned, utcnow
from models.privacy import consent_holds
from models.search_text import client_search_text, email_key, phone_digits
from models.tenancy import AgencyOwned

CLIENT_KINDS = {"named": lazy_gettext("Named"), "anonymous": lazy_gettext("Anonymous")}
ANONYMOUS_NAME = lazy_gettext("Anonymous client")
# What an anonymous profile may never hold (enforced below and by a CHECK constraint, so a
# change here needs a migration). The profile's fields are described in models/client_profile.py.
NAMED_ONLY = ("first_name", "last_name", "preferred_name", "date_of_birth", "phone", "email", "ircc_id_value")


def registration_number(client_id):
    """The number staff and clients quote: the client's id, as ``C000042``."""
    return f"C{client_id:06d}" if client_id else ""


class AnonymousClientError(ValueError):
    """An anonymous profile cannot become named or hold identifying data."""


class Client(Versioned, AgencyOwned, Timestamped, db.Model):
    __tablename__ = "clients"
    __table_args__ = (
        db.CheckConstraint(
            "kind = 'named' OR (" + " AND ".join(f"{c} IS NULL" for c in NAMED_ONLY) + ")", name="anonymous_has_no_identity"
        ),
        db.CheckConstraint("kind = 'anonymous' OR (first_name IS NOT NULL AND last_name IS NOT NULL)", name="named_has_names"),
        db.Index("ix_clients_agency_dob", "agency_id", "date_of_birth"),
        db.Index("ix_clients_agency_phone", "agency_id", "phone_digits"),
        db.Index("ix_clients_agency_email", "agency_id", "email"),
        db.Index(
            "ix_clients_agency_email_key", "agency_id", "email_key", "is_archived"
        ),  # with the archived flag: it wins over the grid indexes
        db.Index("ix_clients_agency_ircc", "agency_id", "ircc_id_value"),
        db.Index("ix_clients_agency_family", "agency_id", "family_code"),
        # the client grid's default list and its sorts and filters (docs/PERFORMANCE.md)
        db.Index("ix_clients_agency_archived_id", "agency_id", "is_archived", "id"),
        db.Index("ix_clients_agency_name", "agency_id", "last_name", "first_name", "id"),
        db.Index("ix_clients_agency_site", "agency_id", "registration_site_id", "id"),
        db.Index("ix_clients_agency_registered", "agency_id", "registration_date", "id"),
        db.Index("ix_clients_agency_status", "agency_id", "immigration_status"),
    )

    id = db.Column(db.Integer, primary_key=True)
    history_children = ("emergency_contact", "client_assignment")  # saved with the profile (record_history)
    kind = db.Column(db.Enum(*CLIENT_KINDS, name="client_kind", native_enum=False), nullable=False, default="named")
    first_name = db.Column(db.String(100))
    last_name = db.Column(db.String(100))
    preferred_name = db.Column(db.String(100))
    date_of_birth = db.Column(db.Date)
    gender = db.Column(db.String(50))
    marital_status = db.Column(db.String(20))
    phone = db.Column(db.String(30))
    phone_digits = db.Column(db.String(20))
    has_email = db.Column(db.Boolean)
    email = db.Column(db.String(254))
    email_key = db.Column(db.String(254))  # the email lower-cased: find-a-client looks it up by index
    street_no = db.Column(db.String(20))
    street_name = db.Column(db.String(100))
    street_type = db.Column(db.String(30))
    street_direction = db.Column(db.String(30))
    unit = db.Column(db.String(20))
    city = db.Column(db.String(100))
    province = db.Column(db.String(50))
    postal_code = db.Column(db.String(7))
    official_language = db.Column(db.String(30))
    first_language = db.Column(db.String(100))
    other_languages = db.Column(db.JSON, nullable=False, default=list)
    country_of_birth = db.Column(db.String(100))
    citizenship = db.Column(db.String(100))
    immigration_status = db.Column(db.String(100))
    arrival_date = db.Column(db.Date)
    arrival_year = db.Column(db.Integer)  # when only the year is known; both empty: Unknown
    ircc_id_type = db.Column(db.String(60))
    ircc_id_value = db.Column(db.String(40))
    family_code = db.Column(db.String(20))
    registration_date = db.Column(db.Date, nullable=False, default=date.today)
    registration_site_id = db.Column(db.Integer, db.ForeignKey("sites.id"), index=True)
    privacy_consent_at = db.Column(db.DateTime)
    privacy_consent_version = db.Column(db.Integer)
    privacy_consent_staff_id = db.Column(db.Integer, db.ForeignKey("staff.id"))
    research_consent = db.Column(db.Boolean)
    comments = db.Column(db.Text)
    is_archived = db.Column(db.Boolean, nullable=False, default=False)
    created_by_id = db.Column(db.Integer, db.ForeignKey("staff.id"))
    search_text = db.Column(db.Text, nullable=False, default="")
    answers = db.Column(db.JSON, nullable=False, default=dict)  # agency questions on the profile
    needs_profile = db.Column(db.Boolean, nullable=False, default=False)  # a quick ad-hoc group attendee
    consent_withdrawn_at = db.Column(db.DateTime)  # stops partner sharing and notifications at once
    anonymised_at = db.Column(db.DateTime)  # set by apply-retention

    registration_site = db.relationship("Site")
    created_by = db.relationship("Staff", foreign_keys=[created_by_id])
    privacy_consent_staff = db.relationship("Staff", foreign_keys=[privacy_consent_staff_id])
    assignments = db.relationship("ClientAssignment", back_populates="client", cascade="all, delete-orphan")
    emergency_contacts = db.relationship("EmergencyContact", back_populates="client", cascade="all, delete-orphan")
    safety_flags = db.relationship(
        "SafetyFlag", back_populates="client", cascade="all, delete-orphan", order_by="SafetyFlag.flagged_at.desc()"
    )

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        if self.kind == "anonymous":
            return str(ANONYMOUS_NAME)
        preferred = f" ({self.preferred_name})" if self.preferred_name else ""
        return f"{self.first_name} {self.last_name}{preferred}"

    @property
    def registration_number(self):
        return registration_number(self.id)

    @property
    def assigned_staff(self):
        return [assignment.staff for assignment in self.assignments]

    @property
    def active_safety_flags(self):
        return [flag for flag in self.safety_flags if flag.cleared_at is None]

    @property
    def may_share_with_partners(self):
        """Trusted-partner sharing: False once consent is withdrawn or unless the latest record gives it."""
        return consent_holds(self, "partner_sharing")

    @property
    def may_notify(self):
        """Reminders and notifications: False once consent is withdrawn or unless the latest record gives it."""
        return consent_holds(self, "notifications")

    @property
    def arrival_label(self):
        if self.arrival_date:
            return self.arrival_date.isoformat()
        return str(self.arrival_year) if self.arrival_year else gettext("Unknown")

    @validates("kind")
    def _kind_is_fixed_once_anonymous(self, key, value):
        if self.kind == "anonymous" and value != "anonymous":
            raise AnonymousClientError(gettext("An anonymous client can never become a named client."))
        return value

    @validates("registration_date")
    def _registration_date_never_changes(self, key, value):
        if self.id is not None and self.registration_date is not None and value != self.registration_date:
            raise ValueError("The registration date never changes.")
        return value


def _check_anonymous_rules(client):
    """The model-level guard: whatever path wrote the row, an anonymous client stays anonymous."""
    state = inspect(client)
    history = state.attrs.kind.history
    if "anonymous" in (history.deleted or ()) and client.kind != "anonymous":
        raise AnonymousClientError(gettext("An anonymous client can never become a named client."))
    if client.kind == "anonymous":
        filled = [name for name in NAMED_ONLY if getattr(client, name) not in (None, "")]
        if filled:
            raise AnonymousClientError(gettext("An anonymous client cannot hold: %(fields)s.", fields=", ".join(filled)))


@event.listens_for(Client, "before_insert")
@event.listens_for(Client, "before_update")
def _before_write(mapper, connection, client):
    """Check the anonymous rules and refresh the derived search columns on every write."""
    _check_anonymous_rules(client)
    client.phone_digits = phone_digits(client.phone) or None
    client.email_key = email_key(client.email)
    client.search_text = client_search_text(client)


class ClientAssignment(AgencyOwned, db.Model):
    """A staff member assigned to a client (several per client)."""

    __tablename__ = "client_assignments"
    __table_args__ = (
        db.UniqueConstraint("client_id", "staff_id"),
        db.Index("ix_client_assignments_agency_staff", "agency_id", "staff_id", "client_id"),  # worker filter, home page
    )

    portal_scope = "own"  # a signed-in client sees who is assigned to them

    id = db.Column(db.Integer, primary_key=True)
    client_id = db.Column(db.Integer, db.ForeignKey("clients.id", ondelete="CASCADE"), nullable=False, index=True)
    staff_id = db.Column(db.Integer, db.ForeignKey("staff.id"), nullable=False, index=True)
    assigned_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    assigned_by_id = db.Column(db.Integer, db.ForeignKey("staff.id"))

    client = db.relationship(Client, back_populates="assignments")
    staff = db.relationship("Staff", foreign_keys=[staff_id])
    assigned_by = db.relationship("Staff", foreign_keys=[assigned_by_id])


class EmergencyContact(AgencyOwned, db.Model):
    __tablename__ = "emergency_contacts"

    id = db.Column(db.Integer, primary_key=True)
    client_id = db.Column(db.Integer, db.ForeignKey("clients.id", ondelete="CASCADE"), nullable=False, index=True)
    name = db.Column(db.String(200), nullable=False)
    relationship = db.Column(db.String(100), nullable=False, default="")
    phone = db.Column(db.String(30), nullable=False, default="")

    client = db.relationship(Client, back_populates="emergency_contacts")

    def __str__(self):
        return f"{self.name} ({self.relationship}) {self.phone}".strip()


class SafetyFlag(AgencyOwned, db.Model):
    """A warning shown on the client's ribbon until someone clears it."""

    __tablename__ = "safety_flags"

    id = db.Column(db.Integer, primary_key=True)
    client_id = db.Column(db.Integer, db.ForeignKey("clients.id", ondelete="CASCADE"), nullable=False, index=True)
    reason = db.Column(db.Text, nullable=False)
    flagged_by_id = db.Column(db.Integer, db.ForeignKey("staff.id"), nullable=False)
    flagged_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    cleared_by_id = db.Column(db.Integer, db.ForeignKey("staff.id"))
    cleared_at = db.Column(db.DateTime)

    client = db.relationship(Client, back_populates="safety_flags")
    flagged_by = db.relationship("Staff", foreign_keys=[flagged_by_id])
    cleared_by = db.relationship("Staff", foreign_keys=[cleared_by_id])


class CaseNote(Versioned, AgencyOwned, Timestamped, db.Model):
    """A note on a client; deleting only hides it (``deleted_at``)."""

    __tablename__ = "case_notes"

    id = db.Column(db.Integer, primary_key=True)
    client_id = db.Column(db.Integer, db.ForeignKey("clients.id", ondelete="CASCADE"), nullable=False, index=True)
    author_id = db.Column(db.Integer, db.ForeignKey("staff.id"), nullable=False, index=True)
    program_id = db.Column(db.Integer, db.ForeignKey("programs.id"), index=True)
    is_private = db.Column(db.Boolean, nullable=False, default=False)
    body = db.Column(db.Text, nullable=False)
    deleted_at = db.Column(db.DateTime)
    deleted_by_id = db.Column(db.Integer, db.ForeignKey("staff.id"))

    client = db.relationship(Client)
    author = db.relationship("Staff", foreign_keys=[author_id])
    program = db.relationship("Program")


class ClientFile(Versioned, AgencyOwned, db.Model):
    """An uploaded file, stored outside ``static/`` under a random name."""

    __tablename__ = "client_files"

    id = db.Column(db.Integer, primary_key=True)
    client_id = db.Column(db.Integer, db.ForeignKey("clients.id", ondelete="CASCADE"), nullable=False, index=True)
    original_name = db.Column(db.String(255), nullable=False)
    stored_name = db.Column(db.String(64), nullable=False, unique=True)
    content_type = db.Column(db.String(100), nullable=False)
    size = db.Column(db.Integer, nullable=False)
    description = db.Column(db.String(255), nullable=False, default="")
    uploaded_by_id = db.Column(db.Integer, db.ForeignKey("staff.id"), nullable=False, index=True)
    program_id = db.Column(db.Integer, db.ForeignKey("programs.id"), index=True)
    is_private = db.Column(db.Boolean, nullable=False, default=False)
    uploaded_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    deleted_at = db.Column(db.DateTime)
    # A file attached to a service form: who sees it follows the form (models/visibility.py).
    form_id = db.Column(db.Integer, db.ForeignKey("service_forms.id", ondelete="CASCADE"), index=True)
    # shown to the client in the portal (never a Private file): ``models/visibility.py``
    is_shared_with_client = db.Column(db.Boolean, nullable=False, default=False, server_default=db.false())

    client = db.relationship(Client)
    uploaded_by = db.relationship("Staff", foreign_keys=[uploaded_by_id])
    program = db.relationship("Program")
    form = db.relationship("ServiceForm")


class ClientActivity(AgencyOwned, db.Model):
    """When a staff member last registered, viewed or served a client (for "My recent clients")."""

    __tablename__ = "client_activity"
    __table_args__ = (
        db.UniqueConstraint("staff_id", "client_id"),
        db.Index("ix_client_activity_staff_at", "staff_id", "last_at"),
    )

    id = db.Column(db.Integer, primary_key=True)
    staff_id = db.Column(db.Integer, db.ForeignKey("staff.id"), nullable=False)
    client_id = db.Column(db.Integer, db.ForeignKey("clients.id", ondelete="CASCADE"), nullable=False, index=True)
    last_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    action = db.Column(db.String(20), nullable=False)

    client = db.relationship(Client)


def record_activity(client, staff, action):
    """Remember that ``staff`` registered, viewed or served ``client`` just now."""
    activity = db.session.scalar(
        db.select(ClientActivity).where(ClientActivity.staff_id == staff.id, ClientActivity.client_id == client.id)
    )
    if activity is None:
        activity = ClientActivity(staff_id=staff.id, client=client)
        db.session.add(activity)
    activity.last_at, activity.action = utcnow(), action


def new_family_code():
    """A short, unambiguous code shared by the members of one family."""
    return "F-" + "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(6))


NEW_FAMILY_WORDS = ("NEW", "NOUVEAU")  # typed as the family code: make a new one (either language, any case)


def family_code_of(typed):
    """The family code to keep for what was typed: a new code for NEW or NOUVEAU, else as typed."""
    asked_new = isinstance(typed, str) and typed.strip().upper() in NEW_FAMILY_WORDS
    return new_family_code() if asked_new else typed


def assign_staff(client, staff_ids, by):
    """Make the assignments exactly ``staff_ids`` (keeping the dates of those that stay); none
    (``None`` or empty: a multiple select with nothing chosen sends no field) means no one."""
    wanted = {int(i) for i in staff_ids or ()}
    client.assignments = [a for a in client.assignments if a.staff_id in wanted]
    present = {a.staff_id for a in client.assignments}
    for staff_id in sorted(wanted - present):
        client.assignments.append(ClientAssignment(staff_id=staff_id, assigned_by_id=by.id))

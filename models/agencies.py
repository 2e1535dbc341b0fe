"""Agencies and what each agency configures: sites, programs, funders."""

from flask_babel import lazy_gettext

from extensions import db
from models.base import Timestamped, Versioned
from models.tenancy import AgencyOwned

SITE_KINDS = {
    "school": lazy_gettext("School"),
    "non_school": lazy_gettext("Non-school"),
    "reception_centre": lazy_gettext("Reception centre"),
}


class Agency(Versioned, Timestamped, db.Model):
    __tablename__ = "agencies"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(200), nullable=False)
    code = db.Column(db.String(20), nullable=False, unique=True)
    address = db.Column(db.String(300), nullable=False, default="", server_default="")  # printed on receipts
    phone = db.Column(db.String(30), nullable=False, default="", server_default="")
    privacy_statement_en = db.Column(db.Text, nullable=False, default="")
    privacy_statement_fr = db.Column(db.Text, nullable=False, default="")
    privacy_statement_version = db.Column(db.Integer, nullable=False, default=1)
    retention_months = db.Column(db.Integer)  # empty: keep client records until removed by hand
    two_step_for_admins = db.Column(db.Boolean, nullable=False, default=False)  # TOTP required for agency admins
    incomplete_session_reminder_days = db.Column(db.Integer)  # empty: no "session still incomplete" reminder
    follow_up_survey_url = db.Column(db.String(500))  # empty: no follow-up survey after a referral
    mentor_update_weeks = db.Column(db.Integer, nullable=False, default=4, server_default="4")  # stale mentor matches

    def __str__(self):
        return self.name


class Site(Versioned, AgencyOwned, Timestamped, db.Model):
    __tablename__ = "sites"
    __table_args__ = (db.UniqueConstraint("agency_id", "name"),)

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(200), nullable=False)
    kind = db.Column(db.Enum(*SITE_KINDS, name="site_kind", native_enum=False), nullable=False)
    address = db.Column(db.String(300), nullable=False, default="")
    city = db.Column(db.String(100), nullable=False, default="")
    postal_code = db.Column(db.String(7), nullable=False, default="")
    is_active = db.Column(db.Boolean, nullable=False, default=True)

    def __str__(self):
        return self.name


class Funder(Versioned, AgencyOwned, Timestamped, db.Model):
    __tablename__ = "funders"
    __table_args__ = (db.UniqueConstraint("agency_id", "code"),)

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(200), nullable=False)
    code = db.Column(db.String(20), nullable=False)

    def __str__(self):
        return f"{self.name} ({self.code})"


class Program(Versioned, AgencyOwned, Timestamped, db.Model):
    __tablename__ = "programs"
    __table_args__ = (db.UniqueConstraint("agency_id", "name"),)

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(200), nullable=False)
    description = db.Column(db.Text, nullable=False, default="")
    funder_id = db.Column(db.Integer, db.ForeignKey("funders.id"), index=True)
    is_active = db.Column(db.Boolean, nullable=False, default=True)

    funder = db.relationship(Funder, backref=db.backref("programs", lazy="select"))

    def __str__(self):
        return self.name


def sites(active_only=False):
    """The current agency's sites by name (every choice list and filter of sites)."""
    query = db.select(Site).order_by(Site.name)
    return db.session.scalars(query.where(Site.is_active.is_(True)) if active_only else query).all()


def programs(active_only=False):
    """The current agency's programs by name."""
    query = db.select(Program).order_by(Program.name)
    return db.session.scalars(query.where(Program.is_active.is_(True)) if active_only else query).all()


def funders():
    return db.session.scalars(db.select(Funder).order_by(Funder.name)).all()

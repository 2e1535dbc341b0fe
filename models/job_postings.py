"""Job postings and the agency reference lists they use: occupations (NOC 2021 codes: the broad
categories and major groups ship in ``reference_data/noc_2021.csv``; agencies add their own),
sectors, companies (employers) and skills. Staff manage postings; portal clients read them
(``portal_scope = "agency"``: the whole agency's postings and lists, nothing about anyone).

Skills matching: a posting's match for a client is the share of its required skills the client
has (accepted skills only), as a whole percentage rounded down; ``BADGE_AT`` (50) or more earns
the skills badge. A posting without required skills has no match.
"""

import csv
from datetime import date
from pathlib import Path

from flask_babel import gettext, lazy_gettext
from sqlalchemy import event, or_, select
from sqlalchemy.orm import Session

from extensions import db
from models.base import Timestamped, Versioned
from models.errors import InvalidEntry
from models.tenancy import AgencyOwned

NOC_FILE = Path(__file__).resolve().parent.parent / "reference_data" / "noc_2021.csv"
NOC_LEVELS = {
    "broad": lazy_gettext("Broad occupational category"),
    "major": lazy_gettext("Major group"),
    "agency": lazy_gettext("Agency's own"),
}
BADGE_AT = 50

posting_skills = db.Table(
    "job_posting_skills",
    db.Column("posting_id", db.Integer, db.ForeignKey("job_postings.id", ondelete="CASCADE"), primary_key=True),
    db.Column("skill_id", db.Integer, db.ForeignKey("job_skills.id", ondelete="CASCADE"), primary_key=True),
)


class AgencyList:
    """An agency reference list row: a name, unique in the agency, that the portal may read."""

    portal_scope = "agency"

    def __str__(self):
        return self.name


class JobOccupation(AgencyList, Versioned, AgencyOwned, db.Model):
    __tablename__ = "job_occupations"
    __table_args__ = (db.UniqueConstraint("agency_id", "noc_code", "name"),)

    id = db.Column(db.Integer, primary_key=True)
    noc_code = db.Column(db.String(10), nullable=False, default="")
    name = db.Column(db.String(200), nullable=False)
    level = db.Column(db.Enum(*NOC_LEVELS, name="noc_level", native_enum=False), nullable=False, default="agency")

    def __str__(self):
        return f"{self.noc_code} {self.name}".strip()


class JobSector(AgencyList, Versioned, AgencyOwned, db.Model):
    __tablename__ = "job_sectors"
    __table_args__ = (db.UniqueConstraint("agency_id", "name"),)

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(200), nullable=False)


class JobCompany(AgencyList, Versioned, AgencyOwned, db.Model):
    __tablename__ = "job_companies"
    __table_args__ = (db.UniqueConstraint("agency_id", "name"),)

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(200), nullable=False)
    website = db.Column(db.String(300), nullable=False, default="")


class JobSkill(AgencyList, Versioned, AgencyOwned, db.Model):
    __tablename__ = "job_skills"
    __table_args__ = (db.UniqueConstraint("agency_id", "name"),)

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(200), nullable=False)


class JobPosting(Versioned, AgencyOwned, Timestamped, db.Model):
    __tablename__ = "job_postings"
    portal_scope = "agency"

    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    company_id = db.Column(db.Integer, db.ForeignKey("job_companies.id"), nullable=False, index=True)
    occupation_id = db.Column(db.Integer, db.ForeignKey("job_occupations.id"), index=True)
    sector_id = db.Column(db.Integer, db.ForeignKey("job_sectors.id"), index=True)
    location = db.Column(db.String(200), nullable=False, default="")
    posted_on = db.Column(db.Date, nullable=False, default=date.today)
    closes_on = db.Column(db.Date)
    url = db.Column(db.String(500), nullable=False, default="")
    description = db.Column(db.Text, nullable=False, default="")
    created_by_id = db.Column(db.Integer, db.ForeignKey("staff.id", ondelete="SET NULL"))

    company = db.relationship(JobCompany)
    occupation = db.relationship(JobOccupation)
    sector = db.relationship(JobSector)
    skills = db.relationship(JobSkill, secondary=posting_skills, order_by=JobSkill.name)

    def __str__(self):
        return f"{self.title} ({self.company})" if self.company else self.title

    @property
    def skill_ids(self):
        return {skill.id for skill in self.skills}


def check_posting(posting):
    """The rules every saved posting keeps (``InvalidEntry`` names the field)."""
    if posting.closes_on and posting.posted_on and posting.closes_on < posting.posted_on:
        raise InvalidEntry("closes_on", gettext("The closing date cannot be before the posting date."))
    if posting.url and not posting.url.lower().startswith(("https://", "http://")):
        raise InvalidEntry("url", gettext("The link must start with https:// or http://."))


def match_percent(posting, skill_ids):
    """The share (0-100, rounded down) of the posting's required skills in ``skill_ids``, or ``None``."""
    required = posting.skill_ids
    if not required:
        return None
    return len(required & set(skill_ids)) * 100 // len(required)


def has_badge(percent):
    return percent is not None and percent >= BADGE_AT


def open_postings(today=None, occupation_ids=None, company_ids=None, sector_ids=None, search=""):
    """Postings not yet closed, newest first; narrowed to any of the ids given (``None``: any)."""
    query = select(JobPosting).where(or_(JobPosting.closes_on.is_(None), JobPosting.closes_on >= (today or date.today())))
    narrow = [
        column.in_(ids)
        for column, ids in (
            (JobPosting.occupation_id, occupation_ids),
            (JobPosting.company_id, company_ids),
            (JobPosting.sector_id, sector_ids),
        )
        if ids is not None
    ]
    if narrow:
        query = query.where(or_(*narrow))
    if search:
        query = query.where(JobPosting.title.ilike(f"%{search.strip()[:100]}%"))
    return db.session.scalars(query.order_by(JobPosting.posted_on.desc(), JobPosting.id.desc())).all()


def reference_rows(model):
    order = (JobOccupation.noc_code, JobOccupation.name) if model is JobOccupation else (model.name,)
    return db.session.scalars(select(model).order_by(*order)).all()


def load_noc(agency_id):
    """Copy NOC 2021's broad categories and major groups into the agency's occupations (once
    each); a shipped row whose title the file corrects is renamed."""
    query = select(JobOccupation).where(JobOccupation.agency_id == agency_id, JobOccupation.level != "agency")
    shipped = {(o.noc_code, o.level): o for o in db.session.scalars(query)}
    with NOC_FILE.open(encoding="utf-8") as source:
        rows = list(csv.DictReader(source))
    for row in rows:
        occupation = shipped.get((row["code"], row["level"]))
        if occupation is None:
            db.session.add(JobOccupation(agency_id=agency_id, noc_code=row["code"], name=row["title"], level=row["level"]))
        elif occupation.name != row["title"]:
            occupation.name = row["title"]
    return len(rows)


@event.listens_for(Session, "before_flush")
def _check_postings(session, flush_context, instances):
    """Whatever page writes a posting, it keeps the rules (nothing half-saved)."""
    for obj in [*session.new, *session.dirty]:
        if isinstance(obj, JobPosting):
            check_posting(obj)

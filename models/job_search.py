"""A client's job search, shared by the client (portal) and their caseworkers (dashboard):
what they follow (occupations, companies, sectors), their skills, and their job leads.

Staff *suggest* a follow or a skill; the client accepts it (or removes it). What the client adds
themselves is accepted at once. Only accepted follows and skills shape the feed and the matching.
Every row carries ``client_id`` and ``portal_scope = "own"``: a portal client reads their own.
"""

from flask_babel import lazy_gettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from extensions import db
from models.base import Timestamped, Versioned, utcnow
from models.errors import InvalidEntry
from models.job_postings import (
    JobCompany,
    JobOccupation,
    JobPosting,
    JobSector,
    JobSkill,
    has_badge,
    match_percent,
    open_postings,
)
from models.tenancy import AgencyOwned

FOLLOW_KINDS = {
    "occupation": (lazy_gettext("Occupation"), JobOccupation, "occupation_id"),
    "company": (lazy_gettext("Company"), JobCompany, "company_id"),
    "sector": (lazy_gettext("Sector"), JobSector, "sector_id"),
}
STATES = {"suggested": lazy_gettext("Suggested by my caseworker"), "accepted": lazy_gettext("Accepted")}
LEAD_STATUSES = {
    "interested": lazy_gettext("Interested"),
    "applied": lazy_gettext("Applied"),
    "interviewing": lazy_gettext("Interviewing"),
    "rejected": lazy_gettext("Rejected"),
    "no_response": lazy_gettext("No response"),
    "hired": lazy_gettext("I got hired!"),
}


class ClientFollow(AgencyOwned, db.Model):
    __tablename__ = "client_follows"
    __table_args__ = (db.UniqueConstraint("client_id", "kind", "target_id"),)
    portal_scope = "own"

    id = db.Column(db.Integer, primary_key=True)
    client_id = db.Column(db.Integer, db.ForeignKey("clients.id", ondelete="CASCADE"), nullable=False, index=True)
    kind = db.Column(db.Enum(*FOLLOW_KINDS, name="follow_kind", native_enum=False), nullable=False)
    target_id = db.Column(db.Integer, nullable=False)  # a row of FOLLOW_KINDS[kind]'s list, checked on save
    state = db.Column(db.Enum(*STATES, name="suggestion_state", native_enum=False), nullable=False, default="accepted")
    suggested_by_id = db.Column(db.Integer, db.ForeignKey("staff.id", ondelete="SET NULL"))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    suggested_by = db.relationship("Staff")

    @property
    def target(self):
        return db.session.get(FOLLOW_KINDS[self.kind][1], self.target_id)


class ClientSkill(AgencyOwned, db.Model):
    __tablename__ = "client_skills"
    __table_args__ = (db.UniqueConstraint("client_id", "skill_id"),)
    portal_scope = "own"

    id = db.Column(db.Integer, primary_key=True)
    client_id = db.Column(db.Integer, db.ForeignKey("clients.id", ondelete="CASCADE"), nullable=False, index=True)
    skill_id = db.Column(db.Integer, db.ForeignKey("job_skills.id", ondelete="CASCADE"), nullable=False, index=True)
    state = db.Column(db.Enum(*STATES, name="suggestion_state", native_enum=False), nullable=False, default="accepted")
    suggested_by_id = db.Column(db.Integer, db.ForeignKey("staff.id", ondelete="SET NULL"))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    skill = db.relationship(JobSkill)
    suggested_by = db.relationship("Staff")


class JobLead(Versioned, AgencyOwned, Timestamped, db.Model):
    __tablename__ = "job_leads"
    __table_args__ = (db.UniqueConstraint("client_id", "posting_id"),)
    portal_scope = "own"

    id = db.Column(db.Integer, primary_key=True)
    client_id = db.Column(db.Integer, db.ForeignKey("clients.id", ondelete="CASCADE"), nullable=False, index=True)
    posting_id = db.Column(db.Integer, db.ForeignKey("job_postings.id", ondelete="CASCADE"), nullable=False, index=True)
    status = db.Column(db.Enum(*LEAD_STATUSES, name="lead_status", native_enum=False), nullable=False, default="interested")

    posting = db.relationship(JobPosting)

    @property
    def status_label(self):
        return LEAD_STATUSES[self.status]


def follows_of(client, state=None):
    query = select(ClientFollow).where(ClientFollow.client_id == client.id)
    if state:
        query = query.where(ClientFollow.state == state)
    return db.session.scalars(query.order_by(ClientFollow.kind, ClientFollow.id)).all()


def skills_of(client, state=None):
    query = select(ClientSkill).where(ClientSkill.client_id == client.id).join(ClientSkill.skill)
    if state:
        query = query.where(ClientSkill.state == state)
    return db.session.scalars(query.order_by(JobSkill.name)).all()


def leads_of(client, with_postings=False):
    """The client's leads, last changed first; ``with_postings``: with each lead's posting and
    its skills (two more statements, however many leads)."""
    query = select(JobLead).where(JobLead.client_id == client.id)
    if with_postings:
        query = query.options(selectinload(JobLead.posting).selectinload(JobPosting.skills))
    return db.session.scalars(query.order_by(JobLead.updated_at.desc(), JobLead.id.desc())).all()


def follow(client, kind, target_id, staff=None):
    """Follow (client) or suggest (``staff``) an occupation, company or sector of the agency's lists.
    A suggestion of something already followed changes nothing; the client's own follow of a
    suggestion accepts it."""
    if kind not in FOLLOW_KINDS or db.session.get(FOLLOW_KINDS[kind][1], target_id) is None:
        raise InvalidEntry("target", lazy_gettext("Choose an item of the list."))
    row = db.session.scalar(select(ClientFollow).filter_by(client_id=client.id, kind=kind, target_id=target_id))
    if row is None:
        row = ClientFollow(client_id=client.id, kind=kind, target_id=target_id, state="suggested" if staff else "accepted")
        row.suggested_by_id = staff.id if staff else None
        db.session.add(row)
    elif staff is None:
        row.state = "accepted"
    return row


def add_skill(client, skill_id, staff=None):
    """Add (client) or suggest (``staff``) one of the agency's skills."""
    if db.session.get(JobSkill, skill_id) is None:
        raise InvalidEntry("skill", lazy_gettext("Choose a skill of the list."))
    row = db.session.scalar(select(ClientSkill).filter_by(client_id=client.id, skill_id=skill_id))
    if row is None:
        row = ClientSkill(client_id=client.id, skill_id=skill_id, state="suggested" if staff else "accepted")
        row.suggested_by_id = staff.id if staff else None
        db.session.add(row)
    elif staff is None:
        row.state = "accepted"
    return row


def save_lead(client, posting):
    """The client's lead for ``posting`` (Interested when new)."""
    row = db.session.scalar(select(JobLead).filter_by(client_id=client.id, posting_id=posting.id))
    if row is None:
        row = JobLead(client_id=client.id, posting_id=posting.id, status="interested")
        db.session.add(row)
    return row


def set_lead_status(lead, status):
    if status not in LEAD_STATUSES:
        raise InvalidEntry("status", lazy_gettext("Choose a status of the list."))
    lead.status = status


def accepted_skill_ids(client, rows=None):
    """The skills the client accepted; ``rows``: the client's skill rows already read (any state)."""
    rows = skills_of(client, "accepted") if rows is None else rows
    return {row.skill_id for row in rows if row.state == "accepted"}


def with_matches(postings, client):
    """``(posting, percent, badge)`` for each posting, for ``client``'s accepted skills."""
    mine = accepted_skill_ids(client)
    return [(posting, percent, has_badge(percent)) for posting in postings for percent in [match_percent(posting, mine)]]


def feed(client, today=None):
    """My Jobs Feed: open postings in what the client follows, or matching their skills (badge)."""
    followed = {kind: [f.target_id for f in follows_of(client, "accepted") if f.kind == kind] for kind in FOLLOW_KINDS}
    postings = open_postings(today)
    wanted = [
        posting
        for posting, percent, badge in with_matches(postings, client)
        if badge
        or posting.occupation_id in followed["occupation"]
        or posting.company_id in followed["company"]
        or posting.sector_id in followed["sector"]
    ]
    return with_matches(wanted, client)

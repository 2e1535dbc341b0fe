"""Job search demo data per agency: NOC 2021's categories and major groups, a few sectors,
companies and skills, and postings whose required skills make the portal's matching visible
(``demo/portal.py`` gives the demo clients skills that match them at 40%, 50% and 100%).
Idempotent; run under ``ALL_AGENCIES``."""

from datetime import date, timedelta

from sqlalchemy import select

from extensions import db
from models.agencies import Agency
from models.job_postings import JobCompany, JobOccupation, JobPosting, JobSector, JobSkill, load_noc
from models.principal import tenant_scope

SECTORS = ("Retail trade", "Warehousing and logistics", "Health care and social assistance", "Professional services")
COMPANIES = (("Maple Grocers", "https://maple-grocers.example"), ("Northern Freight", ""), ("Lakeview Clinic", ""))
SKILLS = (
    "Cash handling",
    "Customer service",
    "First aid",
    "Forklift operation",
    "French",
    "Microsoft Excel",
    "Scheduling",
    "Bookkeeping",
    "WHMIS",
)
# title, company, NOC code, sector, required skills, location
POSTINGS = (
    ("Cashier", "Maple Grocers", "65", "Retail trade", ("Customer service", "Cash handling"), "Toronto"),
    (
        "Administrative assistant",
        "Lakeview Clinic",
        "14",
        "Health care and social assistance",
        ("Microsoft Excel", "Scheduling", "Bookkeeping", "French"),
        "Mississauga",
    ),
    (
        "Retail sales associate",
        "Maple Grocers",
        "64",
        "Retail trade",
        ("Customer service", "Cash handling", "French", "WHMIS", "First aid"),
        "Toronto",
    ),
    ("Warehouse associate", "Northern Freight", "75", "Warehousing and logistics", ("Forklift operation", "WHMIS"), "Brampton"),
)


def by_name(model, name, **extra):
    row = db.session.scalar(select(model).where(model.name == name))
    if row is None:
        row = model(name=name, **extra)
        db.session.add(row)
    return row


def seed_postings(agency_id):
    for title, company, code, sector, skills, location in POSTINGS:
        if db.session.scalar(select(JobPosting.id).where(JobPosting.title == title)):
            continue
        occupation = db.session.scalar(select(JobOccupation).where(JobOccupation.noc_code == code))
        posting = JobPosting(agency_id=agency_id, title=title, location=location, posted_on=date.today() - timedelta(days=3))
        posting.company, posting.occupation, posting.sector = by_name(JobCompany, company), occupation, by_name(JobSector, sector)
        posting.skills = [by_name(JobSkill, name) for name in skills]
        posting.closes_on, posting.url = (
            date.today() + timedelta(days=30),
            f"https://jobs.example/{title.lower().replace(' ', '-')}",
        )
        db.session.add(posting)


def seed_jobs(agency_code):
    """The agency's job lists and postings."""
    agency_id = db.session.scalar(select(Agency.id).where(Agency.code == agency_code))
    with tenant_scope(agency_id):
        load_noc(agency_id)
        for name in SECTORS:
            by_name(JobSector, name, agency_id=agency_id)
        for name, website in COMPANIES:
            by_name(JobCompany, name, agency_id=agency_id, website=website)
        for name in SKILLS:
            by_name(JobSkill, name, agency_id=agency_id)
        db.session.flush()
        seed_postings(agency_id)
        db.session.commit()

"""Demo resumes and cover letters (``models/career_documents.py``): Amira (``client@demo.org``)
wrote a resume and a cover letter for the Cashier posting herself; Diego's (``client2@demo.org``)
resume was written by his caseworker, so in the portal he can read, download and duplicate it
but not change it. Called by ``demo/portal.py`` when it creates the portal clients."""

from datetime import date

from sqlalchemy import select

from career_documents import KINDS
from career_documents.builder import prefilled
from extensions import db
from models.career_documents import new_document
from models.job_search import JobLead
from models.principal import Principal

AMIRA_RESUME = {
    "summary": {"text": "Friendly and reliable, with five years of customer service and bookkeeping in Beirut."},
    "work": [
        {
            "job_title": "Cashier and bookkeeper",
            "employer": "Haddad Family Market",
            "place": "Beirut, Lebanon",
            "start": "2018-03",
            "end": "2023-06",
            "description": "Ran the till, balanced the daily cash, kept the shop's books.",
        },
        {"job_title": "Volunteer greeter", "employer": "Newcomer Centre", "place": "Toronto", "start": "2024-01", "end": ""},
    ],
    "education": [{"credential": "Diploma in accounting", "school": "Lebanese University", "year": "2017"}],
    "skills": [{"skill": "Cash handling"}, {"skill": "Customer service"}, {"skill": "Microsoft Excel"}],
    "languages": [{"language": "Arabic", "level": "Native"}, {"language": "English", "level": "CLB 7"}],
}
AMIRA_LETTER = {
    "addressee": {"addressee": "Hiring manager", "employer": "Maple Grocers", "date": ""},
    "paragraphs": [
        {"text": "I am applying for the Cashier position at Maple Grocers."},
        {"text": "For five years I handled cash and served customers in my family's market, and I keep accounts carefully."},
    ],
    "closing": {"closing": "Sincerely", "signature": "Amira Haddad"},
}
DIEGO_RESUME = {
    "summary": {"text": "Warehouse worker with a forklift certificate and WHMIS training."},
    "work": [
        {
            "job_title": "Forklift operator",
            "employer": "Distribuidora Sur",
            "place": "Bogotá, Colombia",
            "start": "2016-05",
            "end": "2022-11",
            "description": "Loaded and unloaded trucks; kept the stock records.",
        }
    ],
    "certifications": [{"name": "WHMIS", "issuer": "Newcomer Centre", "year": "2024"}],
    "languages": [{"language": "Spanish", "level": "Native"}, {"language": "English", "level": "CLB 5"}],
}


def content(kind_key, client, parts):
    document = prefilled(KINDS[kind_key], client)
    for key, value in parts.items():
        document[key] = value if isinstance(value, list) else {**document[key], **value}
    return document


def seed_documents(client, staff):
    """The client's demo documents (the caller commits)."""
    author = Principal.portal_client(client)
    if client.email == "client@demo.org":
        new_document(client, "resume", "Cashier and bookkeeping", content("resume", client, AMIRA_RESUME), author)
        letter = content("cover_letter", client, AMIRA_LETTER)
        letter["addressee"]["date"] = date.today().isoformat()
        lead = db.session.scalar(select(JobLead).where(JobLead.client_id == client.id).order_by(JobLead.id))
        new_document(client, "cover_letter", "Maple Grocers: Cashier", letter, author, (None, lead.id if lead else None))
    else:
        resume = content("resume", client, DIEGO_RESUME)
        new_document(client, "resume", "Warehouse jobs", resume, Principal.staff(staff))

"""The portal demo: two DEMO clients with portal accounts, ``client@demo.org`` and
``client2@demo.org`` (password ``demo-password``), each with a caseworker, a task assigned to
them, skills, follows (some suggested by staff) and job leads in several statuses. Idempotent; run under ``ALL_AGENCIES``."""

from datetime import date, timedelta

from sqlalchemy import select

from demo.agencies import DEMO_PASSWORD
from demo.documents import seed_documents
from demo.employment import seed_employment
from demo.plans import goal, new_plan
from extensions import db
from models.agencies import Agency
from models.base import utcnow
from models.clients import Client, ClientAssignment
from models.job_postings import JobCompany, JobOccupation, JobPosting, JobSector, JobSkill
from models.job_search import add_skill, follow, save_lead
from models.portal_accounts import PortalAccount, accept
from models.principal import tenant_scope
from models.privacy import record_consent
from models.staff import Staff
from models.tasks import Task

PORTAL_LOGINS = (
    ("client@demo.org", "portal client Amira Haddad (worker@demo.org's client): skills match postings at 40%, 50% and 100%"),
    ("client2@demo.org", "portal client Diego Ramos (worker2@demo.org's client)"),
)
PORTAL_CLIENTS = (
    ("client@demo.org", "Amira", "Haddad", "worker@demo.org", "Update your resume"),
    ("client2@demo.org", "Diego", "Ramos", "worker2@demo.org", "Bring your pay stubs"),
)


def open_account(client, password, staff=None):
    """An accepted portal account for ``client`` (who consents to the portal and to
    notifications), as if they had accepted an invitation (the caller commits)."""
    account = PortalAccount(client=client, email=client.email.lower(), agency_id=client.agency_id)
    account.invited_at, account.invited_by_id = utcnow(), staff.id if staff else None
    db.session.add(account)
    accept(account, password)
    record_consent(client, "notifications", True, staff.id if staff else None).agency_id = client.agency_id
    return account


def portal_client(agency, email, first, last, staff):
    client = db.session.scalar(select(Client).where(Client.agency_id == agency.id, Client.email == email))
    if client is not None:
        return client, False
    client = Client(agency_id=agency.id, kind="named", first_name=first, last_name=last, email=email, has_email=True)
    client.date_of_birth, client.gender, client.phone = (
        date(1991, 4, 12),
        "Female" if first == "Amira" else "Male",
        "+1 416-555-0142",
    )
    client.official_language = "English"
    db.session.add(client)
    db.session.flush()
    db.session.add(ClientAssignment(agency_id=agency.id, client_id=client.id, staff_id=staff.id, assigned_by_id=staff.id))
    return client, True


# per client: accepted skills, a suggested one, follows (kind, name, suggested?), leads (posting, status)
JOB_SEARCH = {
    "client@demo.org": (
        ("Customer service", "Cash handling", "Microsoft Excel", "Scheduling"),
        "Bookkeeping",
        (("occupation", "65", False), ("company", "Maple Grocers", False), ("sector", "Retail trade", True)),
        (("Cashier", "applied"), ("Administrative assistant", "interested"), ("Retail sales associate", "interviewing")),
    ),
    "client2@demo.org": (
        ("Forklift operation", "WHMIS", "Customer service"),
        "First aid",
        (("sector", "Warehousing and logistics", False), ("occupation", "64", True)),
        (("Warehouse associate", "hired"), ("Retail sales associate", "rejected"), ("Cashier", "no_response")),
    ),
}
FOLLOW_LOOKUP = {
    "occupation": (JobOccupation, JobOccupation.noc_code),
    "company": (JobCompany, JobCompany.name),
    "sector": (JobSector, JobSector.name),
}


def named(model, column, value):
    return db.session.scalar(select(model).where(column == value))


def seed_job_search(client, staff):
    """The demo client's skills (matching the demo postings at 40%, 50% and 100%), follows and leads."""
    skills, suggested_skill, follows, leads = JOB_SEARCH[client.email]
    for name in skills:
        add_skill(client, named(JobSkill, JobSkill.name, name).id)
    add_skill(client, named(JobSkill, JobSkill.name, suggested_skill).id, staff=staff)
    for kind, value, is_suggestion in follows:
        model, column = FOLLOW_LOOKUP[kind]
        follow(client, kind, named(model, column, value).id, staff=staff if is_suggestion else None)
    for title, status in leads:
        save_lead(client, named(JobPosting, JobPosting.title, title)).status = status


def seed_portal(agency_code="DEMO", password=DEMO_PASSWORD):
    """The two portal clients (the agency's job lists must be seeded: ``demo/jobs.py``); returns them."""
    agency = db.session.scalar(select(Agency).where(Agency.code == agency_code))
    with tenant_scope(agency.id):
        clients = seed_portal_clients(agency, password)
        db.session.commit()
    return clients


def seed_portal_clients(agency, password):
    clients = []
    for email, first, last, staff_email, task_title in PORTAL_CLIENTS:
        staff = db.session.scalar(select(Staff).where(Staff.email == staff_email))
        client, created = portal_client(agency, email, first, last, staff)
        if created:
            open_account(client, password, staff)
            seed_job_search(client, staff)
            db.session.flush()
            seed_documents(client, staff)
            seed_employment(client, staff)
            if email == PORTAL_CLIENTS[0][0]:
                shared_plan(client, staff)
            db.session.add(
                Task(
                    agency_id=agency.id,
                    title=task_title,
                    assignee_kind="client",
                    client_id=client.id,
                    created_by_id=staff.id,
                    due_date=date.today() + timedelta(days=7),
                )
            )
        clients.append(client)
    return clients


def shared_plan(client, worker):
    """A plan shared with the client, one goal hers, one her worker's: what My plan shows."""
    plan = new_plan(client, worker, date.today() - timedelta(days=10), summary="Work in your field within a year.")
    plan.shared_date, plan.shared_how = date.today() - timedelta(days=9), "in_person"
    steps = (("Send your resume to two employers", date.today() + timedelta(days=5), False),)
    goal(plan, "find_employment_needs_ind", "Find work as a bookkeeper", "in_progress", date.today() + timedelta(days=120), steps)
    soon = date.today() + timedelta(days=60)
    training = goal(plan, "edu_skills_devt_needs_ind", "Get your credentials assessed", "not_started", soon)
    training.responsible, training.responsible_staff_id = "staff", worker.id

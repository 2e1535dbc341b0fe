"""The portal demo: two DEMO clients with portal accounts, ``client@demo.org`` and
``client2@demo.org`` (password ``demo-password``), each with a caseworker, a task assigned to
them and a file shared with them. Idempotent; run under ``ALL_AGENCIES``."""

from datetime import date, timedelta

from sqlalchemy import select

from demo.agencies import DEMO_PASSWORD
from extensions import db
from models.agencies import Agency
from models.base import utcnow
from models.clients import Client, ClientAssignment
from models.portal_accounts import PortalAccount, accept
from models.privacy import record_consent
from models.staff import Staff
from models.tasks import Task

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


def seed_portal(agency_code="DEMO", password=DEMO_PASSWORD):
    """The two portal clients; returns them."""
    agency = db.session.scalar(select(Agency).where(Agency.code == agency_code))
    clients = []
    for email, first, last, staff_email, task_title in PORTAL_CLIENTS:
        staff = db.session.scalar(select(Staff).where(Staff.email == staff_email))
        client, created = portal_client(agency, email, first, last, staff)
        if created:
            open_account(client, password, staff)
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
    db.session.commit()
    return clients

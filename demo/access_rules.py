"""Demo records that show the program and Private rules at once.

One client, Samira Nouri, is assigned to both workers. Wei Zhang (worker@demo.org, Settlement
Services) and Priya Raman (worker2@demo.org, Employment Services) each record a session, forms,
case notes and a file for her: some for everyone, some in their program, some private. Signed in
as each demo user, her dashboard shows a different set:

- Wei: his own notes and forms (private ones included), the open ones, not Priya's.
- Priya: her own, the open ones; Wei's program and private records appear as "Restricted" rows.
- Carlos (coordinator@demo.org, manager of both): everything.
- Amira (admin@demo.org): every program, but neither worker's private records (break-glass only).
"""

import random
import secrets
from datetime import date, datetime, time, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from demo.sessions import fill
from extensions import db
from models import (
    Agency,
    CaseNote,
    Client,
    ClientAssignment,
    ClientFile,
    Program,
    ServiceForm,
    ServiceSession,
    SessionClient,
    Site,
    Staff,
)
from models.privacy import latest_consent, record_consent

FEATURED = {"first_name": "Samira", "last_name": "Nouri"}


def staff(email):
    return db.session.scalar(select(Staff).where(Staff.email == email))


def program(agency, name):
    return db.session.scalar(select(Program).where(Program.agency_id == agency.id, Program.name == name))


def featured_client(agency, site, creator):
    client = db.session.scalar(select(Client).where(Client.agency_id == agency.id, Client.first_name == FEATURED["first_name"]))
    if client is None:
        client = Client(
            agency_id=agency.id,
            kind="named",
            date_of_birth=date(1991, 3, 14),
            gender="Female",
            phone="416-555-0147",
            city="Toronto",
            province="Ontario",
            country_of_birth="Syria",
            first_language="Arabic",
            immigration_status="Convention Refugee / Protected Person (not yet PR)",
            registration_site_id=site.id,
            created_by_id=creator.id,
            registration_date=date.today() - timedelta(days=90),
            **FEATURED,
        )
        db.session.add(client)
        db.session.flush()
    if latest_consent(client, "privacy") is None:
        give_demo_privacy_consent(client, agency, creator)
    return client


def give_demo_privacy_consent(client, agency, creator):
    """She read and accepted the privacy statement when she registered, as every named client does."""
    at = datetime.combine(client.registration_date, time(10, 0))
    version = agency.privacy_statement_version
    client.privacy_consent_at, client.privacy_consent_version, client.privacy_consent_staff_id = at, version, creator.id
    record = record_consent(client, "privacy", True, creator.id, version=version, language="en", note="demo", at=at)
    record.agency_id = client.agency_id  # seeding runs for every agency at once: no agency to stamp


def note(client, author, body, program=None, private=False):
    db.session.add(
        CaseNote(
            agency_id=client.agency_id,
            client_id=client.id,
            author_id=author.id,
            body=body,
            program_id=program.id if program else None,
            is_private=private,
        )
    )


def text_file(client, author, name, content, description, program=None, private=False):
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    stored = secrets.token_hex(16)
    data = content.encode()
    (folder / stored).write_bytes(data)
    db.session.add(
        ClientFile(
            agency_id=client.agency_id,
            client_id=client.id,
            original_name=name,
            stored_name=stored,
            content_type="text/plain",
            size=len(data),
            description=description,
            uploaded_by_id=author.id,
            program_id=program.id if program else None,
            is_private=private,
        )
    )


def session_with_forms(client, lead, site, program, days_ago, forms):
    session = ServiceSession(
        agency_id=client.agency_id,
        session_type="direct",
        service_date=date.today() - timedelta(days=days_ago),
        site_id=site.id,
        program_id=program.id,
        lead_staff_id=lead.id,
        created_by_id=lead.id,
        minutes=45,
        languages=["Arabic"],
        notes=f"Meeting with {client.first_name} at {site.name}.",
    )
    session.site = db.session.get(Site, site.id)
    session.attendees = [SessionClient(agency_id=client.agency_id, client_id=client.id)]
    rng = random.Random(days_ago)
    for kind, private, answers in forms:
        form = ServiceForm(
            agency_id=client.agency_id,
            kind=kind,
            client_id=client.id,
            author_id=lead.id,
            program_id=program.id,
            is_private=private,
        )
        fill(rng, form, session, client, None, complete=True)
        form.save_answers({**form.data, **answers})
        session.forms.append(form)
    db.session.add(session)


def seed_access_examples(agency_code="DEMO"):
    """Idempotent: does nothing once the featured client has case notes."""
    agency = db.session.scalar(select(Agency).where(Agency.code == agency_code))
    wei, priya = staff("worker@demo.org"), staff("worker2@demo.org")
    if agency is None or wei is None or priya is None:
        return
    site = db.session.scalar(select(Site).where(Site.agency_id == agency.id).order_by(Site.id))
    client = featured_client(agency, site, wei)
    if db.session.scalar(select(CaseNote.id).where(CaseNote.client_id == client.id).limit(1)):
        return
    settlement, employment = program(agency, "Settlement Services"), program(agency, "Employment Services")
    for person in (wei, priya):
        db.session.add(ClientAssignment(agency_id=agency.id, client_id=client.id, staff_id=person.id, assigned_by_id=wei.id))

    note(client, wei, "First meeting. Samira arrived in March with two children; housing is the first priority.")
    note(client, wei, "Settlement plan: housing search, school registration, health card.", program=settlement)
    note(
        client,
        wei,
        "PRIVATE (demo): Samira disclosed family violence before arrival. Safety plan discussed; "
        "do not contact her at the shared address.",
        private=True,
    )
    note(client, priya, "Employment: résumé drafted; interested in early childhood education.", program=employment)
    note(client, priya, "PRIVATE (demo): asked about accommodations for an anxiety condition.", private=True)

    text_file(client, wei, "housing-list.txt", "Three housing leads in Scarborough.", "Housing leads", program=settlement)
    text_file(client, wei, "safety-plan.txt", "Demo safety plan (private).", "Safety plan", private=True)
    text_file(client, priya, "resume.txt", "Samira Nouri - résumé (demo).", "Résumé draft", program=employment)

    session_with_forms(
        client,
        wei,
        site,
        settlement,
        20,
        [("needs_assessment", False, {}), ("non_specified", True, {"description": "Safety planning (private, demo)."})],
    )
    session_with_forms(client, priya, site, employment, 10, [("employment", False, {})])
    db.session.commit()

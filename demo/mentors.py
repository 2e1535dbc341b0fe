"""Demo mentors and tutors: the directory (active, inactive, one whose screening expired, one
staff member), matches with updates (one with no update for weeks, on the stale list), the
generated Match forms linked to the directory, and a file on one of Samira Nouri's forms.

Samira herself has no match: matching her with a mentor is the demo's walk-through."""

import random
from datetime import date, timedelta

from sqlalchemy import select

from demo.access_rules import FEATURED, program, staff, text_file
from demo.sessions import fill
from extensions import db
from models import Agency, Client, ClientFile, Mentor, ServiceForm, ServiceSession, SessionClient, Site
from models.mentors import match_of_form, record_match, record_update

TODAY = date.today()
MENTORS = (
    # name, skills, languages, availability, areas, screened days ago, expires in days, active
    ("Nadia Haddad", "accounting, job interviews", ["Arabic", "English"], ["weekday_evenings"], "Scarborough", 200, 530, True),
    ("Louis Tremblay", "French tutoring", ["French", "English"], ["weekends", "online"], "Downtown", 90, 640, True),
    ("Mei Chen", "early childhood education, networking", ["Mandarin", "English"], ["weekday_days"], "North York", 30, 700, True),
    ("Grace Okafor", "nursing, credential recognition", ["English"], ["weekends"], "Etobicoke", 400, 330, False),
    ("Daniel Kim", "IT, coding, job interviews", ["Korean", "English"], ["online"], "Anywhere (online)", 800, -35, True),
)


def seed_mentors(agency_code="DEMO"):
    """Idempotent: does nothing once the agency has the demo's first mentor."""
    agency = db.session.scalar(select(Agency).where(Agency.code == agency_code))
    wei = staff("worker@demo.org")
    if agency is None or wei is None:
        return
    if db.session.scalar(select(Mentor.id).where(Mentor.agency_id == agency.id, Mentor.name == MENTORS[0][0])):
        return
    mentors = [directory_entry(agency, *values) for values in MENTORS]
    mentors.append(
        Mentor(
            agency_id=agency.id,
            name="Priya Raman",
            kind="staff",
            staff_id=staff("worker2@demo.org").id,
            skills="employment counselling, interviews",
            languages=["English", "Tamil"],
            availability=["weekday_days"],
            screened_on=TODAY - timedelta(days=60),
        )
    )
    db.session.add_all(mentors)
    db.session.flush()
    link_generated_forms(agency, [m for m in mentors if m.refusal() is None])
    featured_matches(agency, wei, mentors)
    form_file(agency, wei)
    db.session.commit()


def directory_entry(agency, name, skills, languages, availability, areas, screened, expires, active):
    return Mentor(
        agency_id=agency.id,
        name=name,
        kind="volunteer",
        skills=skills,
        languages=languages,
        availability=availability,
        areas=areas,
        screened_on=TODAY - timedelta(days=screened),
        screening_expires_on=TODAY + timedelta(days=expires),
        is_active=active,
    )


def link_generated_forms(agency, available):
    """The generated sessions' Match forms name one of the available mentors (in turn); their
    Update forms are recorded against the client's match when there is one."""
    query = select(ServiceForm).where(ServiceForm.agency_id == agency.id, ServiceForm.client_id.isnot(None))
    forms = db.session.scalars(query.where(ServiceForm.kind == "mentor_match").order_by(ServiceForm.id)).all()
    for n, form in enumerate(forms):
        form.save_answers({**form.data, "mentor_id": str(available[n % len(available)].id)})
        record_match(form)
    db.session.flush()
    matches = {form.client_id: match_of_form(form.id) for form in forms}
    updates = db.session.scalars(query.where(ServiceForm.kind == "mentor_update").order_by(ServiceForm.id)).all()
    for form in updates:
        if matches.get(form.client_id) is not None:
            form.save_answers({**form.data, "match_id": str(matches[form.client_id].id)})
            record_update(form, matches[form.client_id])


def job_session(client, lead, site, days_ago, kind, answers):
    """A Job Development session for ``client`` holding one form of ``kind``."""
    employment = program(db.session.get(Agency, client.agency_id), "Employment Services")
    session = ServiceSession(
        agency_id=client.agency_id,
        session_type="job_development",
        service_date=TODAY - timedelta(days=days_ago),
        site_id=site.id,
        program_id=employment.id,
        lead_staff_id=lead.id,
        created_by_id=lead.id,
        hours=1,
        minutes=0,
        languages=["English"],
    )
    session.site = site
    session.attendees = [SessionClient(agency_id=client.agency_id, client_id=client.id)]
    form = ServiceForm(agency_id=client.agency_id, kind=kind, client=client, author_id=lead.id, program_id=employment.id)
    session.forms.append(form)
    fill(random.Random(days_ago), form, session, client, None, complete=True)
    form.save_answers({**form.data, **answers})
    db.session.add(session)
    db.session.flush()
    return form


def featured_matches(agency, wei, mentors):
    """Two named clients (not Samira) matched by Priya: one whose last update is seven weeks old
    (on the stale list with the default four weeks), one updated last week."""
    priya = staff("worker2@demo.org")
    site = db.session.scalar(select(Site).where(Site.agency_id == agency.id).order_by(Site.id))
    named = (Client.agency_id == agency.id, Client.kind == "named", Client.first_name != FEATURED["first_name"])
    query = select(Client).where(*named)
    clients = db.session.scalars(query.order_by(Client.id).limit(2)).all()
    plans = ((mentors[1], 84, 49), (mentors[0], 70, 7))  # the stale one first: a small demo has one client
    for client, (mentor, started, updated) in zip(clients, plans, strict=False):
        start = (TODAY - timedelta(days=started)).isoformat()
        answers = {"mentor_id": str(mentor.id), "match_start_dt": start}
        match_form = job_session(client, priya, site, started, "mentor_match", answers)
        match = record_match(match_form)
        db.session.flush()
        update = job_session(
            client,
            priya,
            site,
            updated,
            "mentor_update",
            {"match_id": str(match.id), "match_status": "Ongoing", "milestones": "Practised two job interviews."},
        )
        record_update(update, match)


def form_file(agency, wei):
    """A file attached to Samira's Needs Assessment (Wei's, Settlement Services)."""
    samira = db.session.scalar(select(Client).where(Client.agency_id == agency.id, Client.first_name == FEATURED["first_name"]))
    form = samira and db.session.scalar(
        select(ServiceForm).where(ServiceForm.client_id == samira.id, ServiceForm.kind == "needs_assessment")
    )
    if form is None:
        return
    name = "needs-assessment-notes.txt"
    text_file(samira, wei, name, "Notes taken during the needs assessment (demo).", "Assessment notes")
    db.session.flush()
    attached = db.session.scalar(select(ClientFile).where(ClientFile.client_id == samira.id, ClientFile.original_name == name))
    attached.form_id, attached.program_id, attached.is_private = form.id, form.program_id, form.is_private

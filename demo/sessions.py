"""Demo sessions of every type over the last six months, mostly complete, some incomplete,
with every form kind used; each type has a complete session this month (up to today) and one
last month, so the reports' default ranges and the home page's numbers show figures."""

import random
from datetime import date, timedelta

from sqlalchemy import func, select

from extensions import db
from models import Agency, Client, Funder, GroupActivityName, ServiceForm, ServiceSession, SessionClient, Site, Staff
from reports.criteria import last_month
from service_forms.catalogue import form_kind
from service_forms.defaults import prefilled
from service_forms.session_types import SESSION_TYPES, course_opening_kinds

ACTIVITIES = (
    "Newcomer women's circle",
    "Tax clinic information night",
    "Job search club",
    "Library orientation",
    "Canadian workplace culture workshop",
)
TEXT = (
    "Discussed housing options and next steps.",
    "Client will bring documents next visit.",
    "Referred to the food bank.",
    "Reviewed resume and cover letter.",
    "Explained how to apply for the child benefit.",
)
PERCENTAGES = ("100", "80", "75", "50", "0")  # as many as TEXT: the same draws of the generator


def answer(rng, spec, day):
    """A plausible answer for one field."""
    if spec.type == "date":
        return day.isoformat()
    if spec.type == "yesno":
        return rng.choice(("Yes", "No"))
    if spec.type == "choice":
        return rng.choice(spec.choices)
    if spec.type == "multichoice":
        return list(spec.choices[: rng.randint(1, 2)])
    if spec.type == "integer":
        return rng.randint(spec.minimum or 0, min(spec.maximum or 10, 10))
    return rng.choice(PERCENTAGES if spec.type == "percent" else TEXT)


def fill(rng, form, session, client, course, complete):
    """Answers for a new demo form: what the session knows, then every field it asks."""
    spec = form_kind(form.kind)
    answers = prefilled(spec, session, client, course)
    for field in spec.fields:
        if field.name not in answers and field.applies(answers) and (field.required or rng.random() < 0.3):
            answers[field.name] = answer(rng, field, session.service_date)
    if not complete:
        required = [f.name for f in spec.fields if f.required and f.name in answers]
        answers.pop(rng.choice(required), None) if required else None
    form.save_answers(answers)


def new_session(rng, agency_data, session_type, day):
    sites, staff, funders, activities = agency_data
    lead = rng.choice(staff)
    session = ServiceSession(
        session_type=session_type,
        service_date=day,
        site=rng.choice(sites),
        lead_staff_id=lead.id,
        created_by_id=lead.id,
        program_id=lead.programs[0].id if lead.programs else None,
        hours=rng.choice((0, 1, 2)),
        minutes=rng.choice((15, 30, 45)),
        languages=["English"],
        delivery_method=rng.choice(("In Person", "In Person", "Phone", "Online")),
    )
    session.funders = [rng.choice(funders)]
    if session.type_spec.is_group:
        session.group_activity = rng.choice(activities)
    return session


def add_forms(rng, session, clients, course, complete):
    """Each client gets one to three forms offered for the session type; groups get their group form."""
    offers = session.type_spec
    for spec in offers.forms("session") if session.course_session is None else []:
        form = ServiceForm(
            agency_id=session.agency_id, kind=spec.kind, author_id=session.lead_staff_id, program_id=session.program_id
        )
        fill(rng, form, session, None, course, complete)
        session.forms.append(form)
        course = course or (form if spec.kind in course_opening_kinds() else None)
    offered = [s for s in offers.forms() if not offers.needs_course_first(s) or course]
    for client in clients:
        session.attendees.append(SessionClient(agency_id=session.agency_id, client=client))
        for spec in rng.sample(offered, k=min(len(offered), rng.randint(1, 3))):
            form = ServiceForm(
                agency_id=session.agency_id,
                kind=spec.kind,
                client=client,
                author_id=session.lead_staff_id,
                program_id=session.program_id,
                is_private=rng.random() < 0.1,
            )
            fill(rng, form, session, client, course, complete or rng.random() < 0.5)
            session.forms.append(form)


def agency_lists(agency):
    sites = db.session.scalars(select(Site).where(Site.agency_id == agency.id)).all()
    everyone = db.session.scalars(select(Staff).where(Staff.agency_id == agency.id)).all()
    staff = [s for s in everyone if s.role != "agency_admin"] or everyone
    funders = db.session.scalars(select(Funder).where(Funder.agency_id == agency.id)).all()
    activities = [
        db.session.scalar(
            select(GroupActivityName).where(GroupActivityName.agency_id == agency.id, GroupActivityName.name == name)
        )
        or GroupActivityName(agency_id=agency.id, name=name)
        for name in ACTIVITIES
    ]
    return sites, staff, funders, activities


def demo_day(today, number, offset):
    """The day of a type's ``number``-th session: the first this month (up to today), the second
    last month, the others ``offset`` days ago (a random 0 to 180)."""
    if number == 0:
        return today - timedelta(days=offset % today.day)
    if number == 1:
        start, end = last_month(today)
        return start + timedelta(days=offset % end.day)
    return today - timedelta(days=offset)


def seed_sessions(agency_code="DEMO", per_type=12, seed=3):
    """Sessions of every type for an agency that has none (idempotent); about 1 in 6 incomplete."""
    agency = db.session.scalar(select(Agency).where(Agency.code == agency_code))
    if db.session.scalar(select(func.count(ServiceSession.id)).where(ServiceSession.agency_id == agency.id)):
        return
    rng, today = random.Random(seed), date.today()
    data = agency_lists(agency)
    clients = db.session.scalars(select(Client).where(Client.agency_id == agency.id, Client.kind == "named")).all()
    anonymous = db.session.scalars(select(Client).where(Client.agency_id == agency.id, Client.kind == "anonymous")).all()
    course = None
    for session_type in SESSION_TYPES:
        for number in range(per_type):
            session = new_session(rng, data, session_type, demo_day(today, number, rng.randint(0, 180)))
            session.agency_id = agency.id
            group = session.type_spec.is_group
            people = rng.sample(clients, k=rng.randint(3, 6) if group else 1) + (
                rng.sample(anonymous, k=1) if group and anonymous else []
            )
            if session.type_spec.needs_course and course is not None:
                session.course_session = course.session
            add_forms(rng, session, people, course, complete=rng.random() > 0.15 or number < 2)
            db.session.add(session)
            course = course or next((f for f in session.forms if f.kind in course_opening_kinds()), None)
    db.session.commit()

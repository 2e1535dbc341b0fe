"""Demo iCARE month: last month (relative to today) has a complete session for every template,
and a few records a worker can fix from the check page (a missing identifier, a bad postal
code, an LT exit without its course); the month before was uploaded (one record accepted, one
rejected). Idempotent: marked by the course code ``DEMO-ICARE``."""

from datetime import date, timedelta

from sqlalchemy import select

from extensions import db
from models import Agency, Client, ServiceForm, ServiceSession, SessionClient, Site, Staff
from service_forms.catalogue import FORMS

COURSE_CODE = "DEMO-ICARE"
POSTAL_CODE = "M5V 2T6"
DIRECT_KINDS = ("io", "needs_assessment", "employment", "community_connection")


def good_value(spec, day, course_code):
    """An answer iCARE accepts, for one field."""
    if spec.icare_code and "postal" in spec.icare_code:
        return POSTAL_CODE
    if spec.icare_code == "course_cd":
        return course_code
    if spec.type == "date":
        return day.isoformat()
    if spec.type == "yesno":
        return "Yes" if spec.name == "client_attended" else "No"
    if spec.type in ("choice", "multichoice"):
        return spec.choices[0] if spec.type == "choice" else [spec.choices[0]]
    if spec.type == "integer":
        return max(spec.minimum or 0, 1)
    return "100" if spec.type == "percent" else "Demo"


def good_answers(kind, day, course_code=COURSE_CODE):
    """Every required field of a form kind (and what the answers switch on), answered well."""
    answers = {}
    for _ in range(2):
        for spec in FORMS[kind].fields:
            if spec.required and spec.applies(answers) and spec.name not in answers:
                answers[spec.name] = good_value(spec, day, course_code)
    return answers


def icare_ready(client, number):
    """Fill the profile columns iCARE needs."""
    client.ircc_id_type = client.ircc_id_type or "FOSS/GCMS Client ID"
    client.ircc_id_value = client.ircc_id_value or f"{10000000 + number}"
    client.postal_code = POSTAL_CODE
    client.official_language = "English"
    client.research_consent = True
    client.date_of_birth = client.date_of_birth or date(1990, 1, 1)


def new_form(session, kind, author, client=None, answers=None):
    form = ServiceForm(agency_id=session.agency_id, kind=kind, author_id=author.id, client=client)
    form.save_answers(answers if answers is not None else good_answers(kind, session.service_date))
    session.forms.append(form)
    return form


def new_session(agency, site, author, day, session_type="direct", clients=(), course=None):
    session = ServiceSession(
        agency_id=agency.id,
        session_type=session_type,
        service_date=day,
        site_id=site.id,
        lead_staff_id=author.id,
        created_by_id=author.id,
        minutes=45,
        languages=["English"],
        course_session=course,
    )
    session.attendees = [SessionClient(agency_id=agency.id, client=client) for client in clients]
    db.session.add(session)
    return session


def build_month(agency, site, author, clients, day, course_code=COURSE_CODE):
    """A complete session per template: direct services for ``clients[0]``, the course,
    enrolment and exit for ``clients[1]``. Returns the sessions."""
    direct = new_session(agency, site, author, day, clients=clients[:1])
    for kind in DIRECT_KINDS:
        new_form(direct, kind, author, clients[0])
    course = new_session(agency, site, author, day, "language_training")
    new_form(course, "lt_course", author, answers=good_answers("lt_course", day, course_code))
    lt = new_session(agency, site, author, day, "language_training", clients=clients[1:2], course=course)
    for kind in ("lt_enrolment", "lt_exit"):
        new_form(lt, kind, author, clients[1], good_answers(kind, day, course_code))
    return direct, course, lt


def last_month_day(today=None):
    first = (today or date.today()).replace(day=1)
    return (first - timedelta(days=1)).replace(day=10)


def seed_icare(agency_code="DEMO"):
    """The demo's iCARE month, once."""
    agency = db.session.scalar(select(Agency).where(Agency.code == agency_code))
    done = select(ServiceForm.id).where(ServiceForm.agency_id == agency.id, ServiceForm.kind == "lt_course")
    if any(
        (form.data or {}).get("course_cd") == COURSE_CODE
        for form in db.session.scalars(select(ServiceForm).where(ServiceForm.id.in_(done)))
    ):
        return
    author = db.session.scalar(select(Staff).where(Staff.agency_id == agency.id, Staff.email == "worker@demo.org"))
    site = db.session.scalar(select(Site).where(Site.agency_id == agency.id).order_by(Site.id))
    named = select(Client).where(Client.agency_id == agency.id, Client.kind == "named").order_by(Client.id).limit(5)
    clients = db.session.scalars(named).all()
    for number, client in enumerate(clients):
        icare_ready(client, number)
    day = last_month_day()
    build_month(agency, site, author, clients[:2], day)
    clients[2].ircc_id_value = None  # a missing identifier
    bad_postal = new_session(agency, site, author, day, clients=clients[3:4])
    new_form(bad_postal, "io", author, clients[3], {**good_answers("io", day), "postal_cd": "M5V2T"})
    orphan = new_session(agency, site, author, day, "language_training", clients=clients[2:3])
    new_form(orphan, "lt_exit", author, clients[2], good_answers("lt_exit", day, "NO-SUCH-COURSE"))
    uploaded_month(agency, site, author, clients[:2], (day.replace(day=1) - timedelta(days=1)).replace(day=10))
    db.session.commit()


def uploaded_month(agency, site, author, clients, day):
    """The month before: I&O for two clients, sent in a final file that iCARE answered (one
    record accepted, one rejected), so the iCARE reports have uploads to count."""
    from exports.icare_files import final_file
    from models.icare_templates import template

    session = new_session(agency, site, author, day, clients=clients)
    for client in clients:
        new_form(session, "io", author, client)
    db.session.flush()
    upload = final_file(agency.id, author.id, template("info-orien"), day.strftime("%Y-%m")).upload
    first, *others = upload.items
    first.status, first.message = "accepted", "Record accepted"
    for item in others:
        item.status, item.message = "rejected", "Language of service: value not in the list"

"""What the session pages read of one session or course, under the acting principal's rules:
its course and the form that opened it, its forms the rules hide (metadata only), a course's
classes and enrolled clients, and the agency questions a form kind asks."""

from flask import g
from sqlalchemy import or_, select

from extensions import db
from models.clients import Client
from models.questions import AgencyQuestion
from models.service_forms import ServiceForm
from models.service_sessions import ServiceSession
from models.visibility import restricted_query


def questions_for(target):
    """The agency's active questions for a form kind (or the client profile), in their order."""
    query = select(AgencyQuestion).where(AgencyQuestion.target == target, AgencyQuestion.is_active.is_(True))
    return db.session.scalars(query.order_by(AgencyQuestion.position, AgencyQuestion.id)).all()


def question_labels():
    """``{answer key: label}`` of every question of the agency, read once per request."""
    if "question_labels" not in g:
        g.question_labels = {q.key: q.label for q in db.session.scalars(select(AgencyQuestion))}
    return g.question_labels


def yes_no_question_keys():
    """The answer keys of the agency's Yes/No questions (answers stored "Yes"/"No"), read once per request."""
    if "yes_no_question_keys" not in g:
        query = select(AgencyQuestion).where(AgencyQuestion.answer_type == "yesno")
        g.yes_no_question_keys = {q.key for q in db.session.scalars(query)}
    return g.yes_no_question_keys


def course_form(session):
    """The form that opened this session's course (a Training Open form), if any."""
    course = session.type_spec.course
    if course is None:
        return None
    course_session_id = session.course_session_id or session.id
    query = select(ServiceForm).where(ServiceForm.session_id == course_session_id, ServiceForm.kind == course.opened_by)
    return db.session.scalar(query)


def hidden_forms(session):
    """(id, client id, kind) of this session's forms the viewer may not see: their existence
    shows, their content never loads. One query per session and request."""
    cache = g.setdefault("hidden_forms", {})
    if session.id not in cache:
        query = restricted_query(ServiceForm, ServiceForm.id, ServiceForm.client_id, ServiceForm.kind)
        rows = db.session.execute(query.where(ServiceForm.session_id == session.id)).all() if query is not None else []
        cache[session.id] = [tuple(row) for row in rows]
    return cache[session.id]


def hidden_form_kinds(session_ids):
    """``{session id: [kind, ...]}`` of the forms of these sessions the viewer may not see, in
    one query (a batch of an export): their existence shows, their content never loads."""
    query = restricted_query(ServiceForm, ServiceForm.session_id, ServiceForm.kind)
    if query is None:
        return {}
    hidden = {}
    rows = db.session.execute(query.where(ServiceForm.session_id.in_(session_ids)).order_by(ServiceForm.id))
    for session_id, kind in rows:
        hidden.setdefault(session_id, []).append(kind)
    return hidden


def hidden_form_exists(session, kind, client_id):
    return any((client, form_kind) == (client_id or None, kind) for _, client, form_kind in hidden_forms(session))


def of_course(course):
    return or_(ServiceSession.id == course.id, ServiceSession.course_session_id == course.id)


def course_classes(course):
    """The sessions of a language course (the one that opened it first), by date."""
    query = select(ServiceSession).where(of_course(course))
    return db.session.scalars(query.order_by(ServiceSession.service_date, ServiceSession.id)).all()


def enrolled_clients(course):
    """The clients with an enrolment form in any session of the course, by name."""
    enrolments = (
        select(ServiceForm.client_id)
        .join(ServiceSession, ServiceSession.id == ServiceForm.session_id)
        .where(ServiceForm.kind == course.type_spec.course.enrolment, of_course(course))
    )
    query = select(Client).where(Client.id.in_(enrolments)).order_by(Client.last_name, Client.first_name)
    return db.session.scalars(query).all()

"""When a session counts. The one definition every count, list and report uses.

A session is complete when it has at least one form, every form in it is complete, every
client in it has at least one form of their own, and a group activity has its group form.
Incomplete sessions are never counted. Which types are group activities, and which fields say
a client did not attend, come from the catalogue at each call.
"""

from functools import cache

from sqlalchemy import and_, case, distinct, exists, false, func, not_, or_, select
from sqlalchemy.orm import aliased

from extensions import db
from models.clients import Client
from models.service_forms import ServiceForm
from models.service_sessions import ServiceSession, SessionClient
from service_forms.catalogue import attendance_fields
from service_forms.session_types import group_session_types


def is_complete_clause(session=ServiceSession):
    """A SQL condition on ``ServiceSession`` (or an alias of it): true for complete sessions. Its
    subqueries use their own aliases, so it can sit in any query that also selects forms or attendees."""
    form, attendee, own_form = aliased(ServiceForm), aliased(SessionClient), aliased(ServiceForm)
    in_session = form.session_id == session.id
    has_form = exists().where(in_session)
    incomplete_form = exists().where(in_session, form.is_complete.is_(False))
    client_without_form = exists().where(
        attendee.session_id == session.id,
        ~exists().where(own_form.session_id == attendee.session_id, own_form.client_id == attendee.client_id),
    )
    group_form = exists().where(in_session, form.client_id.is_(None))
    needs_group_form = session.session_type.in_(group_session_types())
    return and_(has_form, not_(incomplete_form), not_(client_without_form), or_(not_(needs_group_form), group_form))


def counted_clause(session=ServiceSession):
    """``is_complete_clause()`` as stored (``ServiceSession.is_counted``, kept equal to it by every
    write: ``models/first_services.py``): what reports count, one indexed column."""
    return session.is_counted.is_(True)


def completed_sessions():
    """``select(ServiceSession)`` of the complete sessions (add your own filters)."""
    return select(ServiceSession).where(is_complete_clause())


def complete_session_ids(session_ids):
    """Which of these sessions are complete, in one query (a batch of an export)."""
    query = select(ServiceSession.id).where(ServiceSession.id.in_(session_ids), is_complete_clause())
    return set(db.session.scalars(query))


def incomplete_sessions():
    return select(ServiceSession).where(not_(is_complete_clause()))


def session_is_complete(session_id):
    return db.session.scalar(select(is_complete_clause()).select_from(ServiceSession).where(ServiceSession.id == session_id))


@cache
def absent_form():
    """The attendance check's form, aliased once per process (after the mappers are set up): a
    new alias built its columns again for every statement (about 1 ms of each attendance or
    form report's fixed cost). It is only ever inside the check's own EXISTS, never in a FROM
    around it, so two checks in one statement stay apart."""
    return aliased(ServiceForm, name="absent_form")


def attended_clause(attendee=SessionClient):
    """False for an attendee (``SessionClient`` or an alias of it) whose attendance form says
    they did not attend (not counted)."""
    form = absent_form()
    absent = or_(false(), *(form.data[name].as_string() == "No" for name in attendance_fields()))
    return ~exists().where(form.session_id == attendee.session_id, form.client_id == attendee.client_id, absent)


def clients_served(session_filter=None):
    """Clients served in complete sessions: a named client counts once; an anonymous client
    counts once for every session (OCMS: each session with an anonymous client is a new client).
    ``session_filter`` is an optional extra condition on ``ServiceSession`` (dates, site...)."""
    conditions = [is_complete_clause(), attended_clause()] + ([session_filter] if session_filter is not None else [])
    named = func.count(distinct(case((Client.kind == "named", Client.id))))
    anonymous = func.count(case((Client.kind == "anonymous", SessionClient.id)))
    query = (
        select(named, anonymous)
        .select_from(SessionClient)
        .join(ServiceSession, ServiceSession.id == SessionClient.session_id)
        .join(Client, Client.id == SessionClient.client_id)
        .where(*conditions)
    )
    named_count, anonymous_count = db.session.execute(query).one()
    return named_count + anonymous_count

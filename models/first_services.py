"""What reports count, stored: each session's completeness (``ServiceSession.is_counted``, the
value of ``models.completeness.is_complete_clause()``) and each named client's first counted
service, at the agency (``program_key`` 0) and in each program (``program_key`` the program's
id). Reports read the flag (an indexed column) instead of the completeness subqueries, and
New/Returning (``reports/query.served_before``) one primary-key lookup per client instead of
searching the client's history.

A first service is the earliest service date of a complete session the client attended. Both
are kept right by every write that can change them: whenever a flush writes a session (its
date, program, type, deletion), an attendee (added, removed, moved to another client by a merge)
or a form (completed or not, an attendance answer), the flags of the sessions concerned, then
the first services of their clients, are computed again from scratch in the same transaction
(``refresh_counted``, ``refresh_first_services``). Bulk writers that bypass the ORM
(seed-scale, the benchmarks) call ``refresh_all`` themselves; the migration fills both.
"""

from sqlalchemy import event, func, literal, select, union_all, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from extensions import db
from models.base import replace_stored_rows
from models.clients import Client
from models.completeness import attended_clause, is_complete_clause
from models.service_forms import ServiceForm
from models.service_sessions import ServiceSession, SessionClient
from models.tenancy import AgencyOwned

AT_AGENCY = 0  # program_key of the first service at the agency, in any program or none
PENDING = "first_services_pending"


class ClientFirstService(AgencyOwned, db.Model):
    __tablename__ = "client_first_services"

    client_id = db.Column(db.Integer, db.ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True)
    program_key = db.Column(db.Integer, primary_key=True)  # AT_AGENCY, or a program's id
    first_date = db.Column(db.Date, nullable=False)


def served_rows(client_ids=None, agency_id=None):
    """Attendances of named clients in complete sessions they attended (a subquery)."""
    query = (
        select(SessionClient.client_id, SessionClient.agency_id, ServiceSession.program_id, ServiceSession.service_date)
        .join(ServiceSession, ServiceSession.id == SessionClient.session_id)
        .join(Client, Client.id == SessionClient.client_id)
        .where(Client.kind == "named", ServiceSession.is_counted.is_(True), attended_clause())
    )
    if client_ids is not None:
        query = query.where(SessionClient.client_id.in_(client_ids))
    if agency_id is not None:
        query = query.where(SessionClient.agency_id == agency_id)
    return query.subquery("served")


def first_services_select(client_ids=None, agency_id=None):
    rows = served_rows(client_ids, agency_id)
    keys = (rows.c.client_id, rows.c.agency_id)
    anywhere = select(*keys, literal(AT_AGENCY).label("program_key"), func.min(rows.c.service_date)).group_by(*keys)
    in_program = (
        select(*keys, rows.c.program_id, func.min(rows.c.service_date))
        .where(rows.c.program_id.isnot(None))
        .group_by(*keys, rows.c.program_id)
    )
    return union_all(anywhere, in_program)


def refresh_first_services(connection, client_ids=None, agency_id=None):
    """Compute the first services of these clients (``None``: every client; ``agency_id``: of one
    agency) again, on ``connection`` (core statements: no ORM event, no tenancy hook)."""
    columns = ["client_id", "agency_id", "program_key", "first_date"]
    replace_stored_rows(
        connection,
        ClientFirstService.__table__,
        "client_id",
        client_ids,
        agency_id,
        columns,
        lambda ids: first_services_select(ids, agency_id),
    )


def refresh_counted(connection, session_ids=None, agency_id=None):
    """Store each session's completeness again (``None``: every session; ``agency_id``: of one
    agency); ``updated_at`` and ``version`` stay as they are (nobody edited the session)."""
    statement = update(ServiceSession).values(is_counted=is_complete_clause(), updated_at=ServiceSession.updated_at)
    if session_ids is not None:
        statement = statement.where(ServiceSession.id.in_(sorted(session_ids)))
    if agency_id is not None:
        statement = statement.where(ServiceSession.agency_id == agency_id)
    connection.execute(statement)


def refresh_all(connection, agency_id=None):
    """Both, and the forms' stored "Yes" answers (``models/form_answers.py``), for every session,
    client and form (of one agency): after rows written in bulk."""
    from models.form_answers import refresh_yes_answers

    refresh_counted(connection, agency_id=agency_id)
    refresh_first_services(connection, agency_id=agency_id)
    refresh_yes_answers(connection, agency_id=agency_id)


def touched(session):
    """What this flush writes that can change a first service: ``(session objects, client ids)``;
    the attendees of a session being deleted are read now, while they exist."""
    sessions, clients = set(), set()
    for obj in [*session.new, *session.dirty, *session.deleted]:
        if isinstance(obj, ServiceSession):
            sessions.add(obj)
        elif isinstance(obj, SessionClient):
            clients.update(old_and_new(obj, "client_id"))
            sessions.update(old_and_new(obj, "session_id"))
        elif isinstance(obj, ServiceForm):
            sessions.update(old_and_new(obj, "session_id"))
    deleted = [s.id for s in session.deleted if isinstance(s, ServiceSession) and s.id is not None]
    if deleted:
        query = select(SessionClient.client_id).where(SessionClient.session_id.in_(deleted))
        clients.update(session.connection().execute(query).scalars())
    return sessions, clients


def old_and_new(obj, name):
    """The attribute's value now and before this flush (a moved attendee or form)."""
    history = db.inspect(obj).attrs[name].history
    return {v for v in (*history.added, *history.deleted, *history.unchanged) if v is not None}


@event.listens_for(Session, "before_flush")
def _note_first_services(session, flush_context, instances):
    sessions, clients = touched(session)
    if sessions or clients:
        pending = session.info.setdefault(PENDING, (set(), set()))
        pending[0].update(sessions)
        pending[1].update(clients)


@event.listens_for(Session, "after_flush_postexec")
def _refresh_first_services(session, flush_context):
    sessions, clients = session.info.pop(PENDING, (set(), set()))
    session_ids = {s if isinstance(s, int) else s.id for s in sessions} - {None}
    if not (session_ids or clients):
        return
    connection = session.connection()
    if session_ids:
        refresh_counted(connection, session_ids)
        remember_flags(session, connection, session_ids)
        query = select(SessionClient.client_id).where(SessionClient.session_id.in_(session_ids))
        clients |= set(connection.execute(query).scalars())
    refresh_first_services(connection, clients)


def remember_flags(session, connection, session_ids):
    """The loaded sessions take their stored flag (as if read again), so no stale value shows."""
    loaded = {obj.id: obj for obj in session.identity_map.values() if isinstance(obj, ServiceSession)}
    wanted = [i for i in session_ids if i in loaded]
    if wanted:
        query = select(ServiceSession.id, ServiceSession.is_counted).where(ServiceSession.id.in_(wanted))
        for session_id, flag in connection.execute(query):
            set_committed_value(loaded[session_id], "is_counted", flag)

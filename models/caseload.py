"""A staff member's caseload, for the home page: the clients they worked with lately, those
assigned to them, and their incomplete sessions (read under the acting principal's rules).

Every list is one page (``size`` rows, and whether there are more: one row more is read) in an
order an index gives (``ix_client_assignments_agency_staff``, ``ix_service_sessions_agency_*``):
a caseload of 50,000 clients costs what one of 50 does."""

import re

from sqlalchemy import and_, select, union
from sqlalchemy.orm import contains_eager, joinedload

from extensions import db
from models.clients import Client, ClientActivity, ClientAssignment
from models.search_text import normalise
from models.service_sessions import ServiceSession

PAGE = 10
NUMBER = re.compile(r"^c?0*(\d{1,9})$", re.IGNORECASE)  # a registration number: C000042, c42, 42


def one_page(query, page, size):
    """``(rows, more)``: the page's rows and whether another page follows."""
    rows = db.session.scalars(query.limit(size + 1).offset(max(page, 0) * size)).all()
    return rows[:size], len(rows) > size


def recent_clients(staff, limit=10):
    """Clients this staff member registered, viewed or served most recently."""
    query = (
        select(ClientActivity)
        .join(ClientActivity.client)
        .options(contains_eager(ClientActivity.client))
        .where(ClientActivity.staff_id == staff.id, Client.is_archived.is_(False))
        .order_by(ClientActivity.last_at.desc())
        .limit(limit)
    )
    return db.session.scalars(query).all()


def matching(search):
    """Clients whose registration number is what was typed, or whose name has a word beginning
    with each word typed."""
    number = NUMBER.match(search.strip())
    if number:
        return Client.id == int(number.group(1))
    words = normalise(search).split()
    return and_(*(Client.search_text.contains(f" {word}", autoescape=True) for word in words)) if words else None


def assigned_clients(staff, search="", page=0, size=PAGE):
    """One page of the clients assigned to this staff member, newest first; ``search`` keeps
    those whose name or number matches (``matching``). Returns ``(clients, more)``."""
    query = (
        select(Client)
        .join(ClientAssignment, ClientAssignment.client_id == Client.id)
        .where(ClientAssignment.staff_id == staff.id, Client.is_archived.is_(False))
        .order_by(ClientAssignment.client_id.desc())
    )
    condition = matching(search) if search else None
    if condition is not None:
        query = query.where(condition)
    return one_page(query, page, size)


def my_incomplete_sessions(staff, page=0, size=PAGE):
    """Sessions I lead or created that are not complete (a coordinator also sees their team's),
    newest first: ``(sessions, more)``.

    One short index scan per person and role (``ix_service_sessions_agency_lead_date``,
    ``..._creator_date``: newest first, stopping at the page's end), their union the page: an
    ``OR`` over a team that leads most of the agency's sessions made PostgreSQL gather and sort
    all of them (1.4 s at 5,000,000 sessions). Completeness is the stored flag."""
    people = [staff.id] + ([member.id for member in staff.team] if staff.role == "coordinator" else [])
    newest = (ServiceSession.service_date.desc(), ServiceSession.id.desc())
    wanted = (max(page, 0) + 1) * size + 1
    branches = [
        select(ServiceSession.id)
        .where(column == person, ServiceSession.is_counted.is_(False))
        .order_by(*newest)
        .limit(wanted)
        .subquery()
        for column in (ServiceSession.lead_staff_id, ServiceSession.created_by_id)
        for person in people
    ]
    ids = union(*(select(branch.c.id) for branch in branches)).subquery()
    query = (
        select(ServiceSession)
        .join(ids, ids.c.id == ServiceSession.id)
        .options(joinedload(ServiceSession.site), joinedload(ServiceSession.lead_staff))
        .order_by(*newest)
    )
    return one_page(query, page, size)

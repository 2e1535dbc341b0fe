"""Look-ups behind the searchable drop-downs over tables that grow (clients, staff, courses): a few
matching rows for what was typed, never the whole table.

Each kind is a function ``(query, limit) -> [(id, label)]`` registered with ``@lookup(kind)``;
another module adds its own kind the same way (``@lookup("courses")``). Every statement is an
ORM select, so the tenancy and visibility hooks scope it like any other page's: another
agency's rows are never returned. ``/admin/lookup/<kind>/?q=`` (custom_pages/lookup.py) answers
with them as JSON.
"""

from datetime import date

from flask_babel import gettext
from sqlalchemy import case, or_, select

from extensions import db
from models.clients import Client
from models.courses import Course
from models.errors import RecordNotFound
from models.find_client import find_clients
from models.service_sessions import ServiceSession
from models.staff import Staff

LIMIT = 20  # rows one look-up returns
MAX_QUERY = 100
LOOKUPS, NAMED = {}, {}


def lookup(kind, named):
    """Register the function that answers look-ups of ``kind``; ``named(ids)`` gives the
    ``[(id, label)]`` of rows already chosen (those of the current agency only)."""

    def register(function):
        LOOKUPS[kind] = function
        NAMED[kind] = named
        return function

    return register


def chosen(kind, ids):
    """``[(id, label)]`` of the given ids that exist for the current agency (a form shown
    again names its choices; an id of another agency or none at all is left out)."""
    ids = [int(i) for i in ids if str(i).isascii() and str(i).isdecimal() and int(i) < 2**31]
    return NAMED[kind](ids) if ids else []


def look_up(kind, query, limit=LIMIT):
    """``[(id, label)]`` of ``kind`` matching ``query`` in the current agency (an unknown kind:
    ``RecordNotFound``; an empty query: nothing)."""
    if kind not in LOOKUPS:
        raise RecordNotFound(kind)
    query = (query or "").strip()[:MAX_QUERY]
    return LOOKUPS[kind](query, min(limit, LIMIT)) if query else []


def client_label(client):
    """Name, client number and date of birth: enough to tell two Amina Yusufs apart."""
    born = f" · {client.date_of_birth.isoformat()}" if client.date_of_birth else ""
    return f"{client.display_name} · {client.registration_number}{born}"


def client_names(ids):
    rows = db.session.scalars(select(Client).where(Client.id.in_(ids)))
    return [(client.id, client_label(client)) for client in rows]


def staff_names(ids, past_too=False):
    """Active staff only (``past_too``: former staff as well, e.g. a grid filter, their records
    staying theirs): an inactive member stays on a record only through the field's ``keep``."""
    query = select(Staff).where(Staff.id.in_(ids), *active_staff(past_too))
    rows = db.session.scalars(query.order_by(Staff.last_name, Staff.first_name))
    return [(member.id, member.name) for member in rows]


def active_staff(past_too):
    return () if past_too else (Staff.is_active.is_(True),)


@lookup("clients", client_names)
def clients(query, limit):
    """Find-a-client's search (names in any script, phone, email, numbers), best first."""
    return [(client.id, client_label(client)) for client in find_clients(query, limit=limit)]


def like_words(query, columns, anywhere=False):
    """One condition per word typed (three at most): some column starts with it (or holds it)."""
    conditions = []
    for word in query.lower().split()[:3]:
        pattern = ("%" if anywhere else "") + word.replace("/", "//").replace("%", "/%").replace("_", "/_") + "%"
        conditions.append(or_(*(db.func.lower(column).like(pattern, escape="/") for column in columns)))
    return conditions


@lookup("staff", staff_names)
def staff(query, limit, past_too=False):
    """Active staff (``past_too``: former staff too) whose first name, last name or email starts
    with a word of ``query``, by name."""
    conditions = like_words(query, (Staff.first_name, Staff.last_name, Staff.email))
    statement = select(Staff).where(*active_staff(past_too), *conditions)
    rows = db.session.scalars(statement.order_by(Staff.last_name, Staff.first_name, Staff.id).limit(limit))
    return [(member.id, member.name) for member in rows]


def course_label(course):
    """Name (levels) · start – end, and "(ended)" once the end date has passed."""
    dates = " – ".join(d.isoformat() for d in (course.start_date, course.end_date) if d is not None)
    label = f"{course} · {dates}" if dates else str(course)
    return f"{label} {gettext('(ended)')}" if course.has_ended else label


def offered_courses():
    """Courses not ended whose opening session the viewer may see (the session's program and
    Private rules apply through the join, as on the course list): those running first, then
    those still to start, each by name. An ended course is no longer offered for new classes."""
    upcoming = case((Course.start_date > date.today(), 1), else_=0)
    return (
        select(Course)
        .join(ServiceSession, ServiceSession.id == Course.session_id)
        .where(or_(Course.end_date.is_(None), Course.end_date >= date.today()))
        .order_by(upcoming, Course.name, Course.id)
    )


def course_names(ids):
    """By the id of the session that opened each course (what a class's ``course_session_id`` holds)."""
    rows = db.session.scalars(offered_courses().where(Course.session_id.in_(ids)))
    return [(course.session_id, course_label(course)) for course in rows]


@lookup("courses", course_names)
def courses(query, limit):
    """Courses whose name or levels hold each word typed; the value is the opening session's id."""
    conditions = like_words(query, (Course.name, Course.levels), anywhere=True)
    rows = db.session.scalars(offered_courses().where(*conditions).limit(limit))
    return [(course.session_id, course_label(course)) for course in rows]

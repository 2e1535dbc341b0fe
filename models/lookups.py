"""Look-ups behind the searchable drop-downs over tables that grow (clients, staff): a few
matching rows for what was typed, never the whole table.

Each kind is a function ``(query, limit) -> [(id, label)]`` registered with ``@lookup(kind)``;
another module adds its own kind the same way (``@lookup("courses")``). Every statement is an
ORM select, so the tenancy and visibility hooks scope it like any other page's: another
agency's rows are never returned. ``/admin/lookup/<kind>/?q=`` (custom_pages/lookup.py) answers
with them as JSON.
"""

from sqlalchemy import or_, select

from extensions import db
from models.clients import Client
from models.errors import RecordNotFound
from models.find_client import find_clients
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


def staff_names(ids):
    rows = db.session.scalars(select(Staff).where(Staff.id.in_(ids)).order_by(Staff.last_name, Staff.first_name))
    return [(member.id, member.name) for member in rows]


@lookup("clients", client_names)
def clients(query, limit):
    """Find-a-client's search (names in any script, phone, email, numbers), best first."""
    return [(client.id, client_label(client)) for client in find_clients(query, limit=limit)]


@lookup("staff", staff_names)
def staff(query, limit):
    """Active staff whose first name, last name or email starts with a word of ``query``."""
    conditions = []
    for word in query.lower().split()[:3]:
        pattern = word.replace("/", "//").replace("%", "/%").replace("_", "/_") + "%"
        conditions.append(
            or_(*(db.func.lower(column).like(pattern, escape="/") for column in (Staff.first_name, Staff.last_name, Staff.email)))
        )
    rows = db.session.scalars(
        select(Staff).where(Staff.is_active.is_(True), *conditions).order_by(Staff.last_name, Staff.first_name).limit(limit)
    )
    return [(member.id, member.name) for member in rows]

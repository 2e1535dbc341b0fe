"""A staff member's caseload, for the home page: the clients they worked with lately, those
assigned to them, and their incomplete sessions (read under the acting principal's rules)."""

from sqlalchemy import or_, select

from extensions import db
from models.clients import Client, ClientActivity, ClientAssignment
from models.completeness import incomplete_sessions
from models.service_sessions import ServiceSession


def recent_clients(staff, limit=10):
    """Clients this staff member registered, viewed or served most recently."""
    query = (
        select(ClientActivity)
        .join(ClientActivity.client)
        .where(ClientActivity.staff_id == staff.id, Client.is_archived.is_(False))
        .order_by(ClientActivity.last_at.desc())
        .limit(limit)
    )
    return db.session.scalars(query).all()


def assigned_clients(staff, limit=50):
    query = (
        select(Client)
        .join(ClientAssignment)
        .where(ClientAssignment.staff_id == staff.id, Client.is_archived.is_(False))
        .order_by(Client.last_name, Client.first_name)
        .limit(limit)
    )
    return db.session.scalars(query).all()


def my_incomplete_sessions(staff, limit=50):
    """Sessions I lead or created that are not complete; a coordinator also sees their team's."""
    people = [staff.id] + ([member.id for member in staff.team] if staff.role == "coordinator" else [])
    query = (
        incomplete_sessions()
        .where(or_(ServiceSession.lead_staff_id.in_(people), ServiceSession.created_by_id.in_(people)))
        .order_by(ServiceSession.service_date.desc())
        .limit(limit)
    )
    return db.session.scalars(query).all()

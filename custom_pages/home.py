"""The staff home page at /admin/: who you are, and the clients you are working with."""

from datetime import timedelta

from flask_admin import expose
from flask_login import current_user
from sqlalchemy import or_, select

from admin_views.base import ProjectIndexView
from extensions import db
from models.base import utcnow
from models.break_glass import BreakGlassGrant
from models.clients import Client, ClientActivity, ClientAssignment
from models.completeness import incomplete_sessions
from models.service_sessions import ServiceSession
from models.staff import ROLES
from models.visibility import current_viewer, people_of

LIST_SIZE = 10


def recent_clients(staff):
    """Clients this staff member registered, viewed or served most recently."""
    query = (
        select(ClientActivity)
        .join(ClientActivity.client)
        .where(ClientActivity.staff_id == staff.id, Client.is_archived.is_(False))
        .order_by(ClientActivity.last_at.desc())
        .limit(LIST_SIZE)
    )
    return db.session.scalars(query).all()


def assigned_clients(staff):
    query = (
        select(Client)
        .join(ClientAssignment)
        .where(ClientAssignment.staff_id == staff.id, Client.is_archived.is_(False))
        .order_by(Client.last_name, Client.first_name)
        .limit(50)
    )
    return db.session.scalars(query).all()


def my_incomplete_sessions(staff):
    """Sessions I lead or created that are not complete; a coordinator also sees their team's."""
    people = [staff.id] + ([member.id for member in staff.team] if staff.role == "coordinator" else [])
    query = (
        incomplete_sessions()
        .where(or_(ServiceSession.lead_staff_id.in_(people), ServiceSession.created_by_id.in_(people)))
        .order_by(ServiceSession.service_date.desc())
        .limit(50)
    )
    return db.session.scalars(query).all()


def recent_openings(viewer, days=14):
    """Break-glass openings of my records (a coordinator: also their team's) in the last days."""
    query = (
        select(BreakGlassGrant)
        .where(BreakGlassGrant.owner_id.in_(people_of(viewer)), BreakGlassGrant.granted_at >= utcnow() - timedelta(days=days))
        .order_by(BreakGlassGrant.granted_at.desc())
        .limit(LIST_SIZE)
    )
    return db.session.scalars(query).all()


class HomeView(ProjectIndexView):
    @expose("/")
    def index(self):
        return self.render(
            "admin/home.html",
            staff=current_user,
            agency=current_user.agency,
            role_label=ROLES[current_user.role],
            recent=recent_clients(current_user),
            assigned=assigned_clients(current_user),
            incomplete=my_incomplete_sessions(current_user),
            openings=recent_openings(current_viewer()),
        )

"""The staff home page at /admin/: who you are, and the clients you are working with."""
from flask_admin import expose
from flask_login import current_user
from sqlalchemy import select

from admin_views.base import ProjectIndexView
from extensions import db
from models.clients import Client, ClientActivity, ClientAssignment
from models.staff import ROLES

LIST_SIZE = 10


def recent_clients(staff):
    """Clients this staff member registered, viewed or served most recently."""
    query = (select(ClientActivity).join(ClientActivity.client).where(ClientActivity.staff_id == staff.id, Client.is_archived.is_(False))
             .order_by(ClientActivity.last_at.desc()).limit(LIST_SIZE))
    return db.session.scalars(query).all()


def assigned_clients(staff):
    query = (select(Client).join(ClientAssignment).where(ClientAssignment.staff_id == staff.id, Client.is_archived.is_(False))
             .order_by(Client.last_name, Client.first_name).limit(50))
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
        )

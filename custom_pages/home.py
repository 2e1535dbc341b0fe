"""The staff home page at /admin/: who you are, where you work, what you can do."""
from flask_admin import expose
from flask_login import current_user

from admin_views.base import ProjectIndexView
from models.staff import ROLES


class HomeView(ProjectIndexView):
    @expose("/")
    def index(self):
        return self.render(
            "admin/home.html",
            staff=current_user,
            agency=current_user.agency,
            role_label=ROLES[current_user.role],
        )

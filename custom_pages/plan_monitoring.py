"""Plans to follow up (/admin/plan-monitoring/): active settlement plans with an overdue goal,
step, follow-up or review, by worker. A worker sees their own plans, a coordinator also their
team's, an agency admin the whole agency (``models/plan_monitoring.plans_needing_attention``)."""

from datetime import date

from flask_admin import expose

from admin_views.base import ProjectView
from models.plan_monitoring import plans_needing_attention
from models.visibility import current_viewer


class PlanMonitoringView(ProjectView):
    @expose("/")
    def index(self):
        today = date.today()
        return self.render("admin/plan_monitoring.html", by_worker=plans_needing_attention(current_viewer(), today), today=today)

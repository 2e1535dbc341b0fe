"""The done-when scenario on the full demo: a worker opens Samira Nouri's plan, accepts the
goals proposed from her Needs Assessment and prints the plan in French; the coordinator sees
her overdue follow-up on the monitoring page. The demo has plans in every state."""

import io
import re

from pypdf import PdfReader
from sqlalchemy import select

from extensions import db
from models import ALL_AGENCIES, Client, SettlementPlan, tenant_scope
from tests.conftest import sign_in, text


def test_the_done_when_scenario_on_the_demo(app, runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        samira = db.session.scalar(select(Client.id).where(Client.first_name == "Samira", Client.last_name == "Nouri"))
        plans = db.session.scalars(select(SettlementPlan)).all()
        statuses = {p.status for p in plans} | {g.status for p in plans for g in p.goals}
    assert statuses == {"active", "closed", "not_started", "in_progress", "achieved", "discontinued"}
    worker = app.test_client()
    sign_in(worker, "worker@demo.org")
    page = text(worker.get(f"/admin/clients/{samira}/plan/"))
    proposed = re.findall(r'data-testid="proposal-(\w+)"', page)
    assert {"hlth_mental_wellness_needs_ind", "knwl_education_needs_ind", "find_employment_needs_ind"} <= set(proposed)
    plan_id = re.search(rf"/admin/clients/{samira}/plans/(\d+)/goals/", page).group(1)
    for code in proposed:
        data = {"need_area": code, "description": f"Goal {code}", "responsible": "client", "status": "not_started"}
        assert worker.post(f"/admin/clients/{samira}/plans/{plan_id}/goals/", data=data).status_code == 302
    assert 'data-testid="proposals"' not in text(worker.get(f"/admin/clients/{samira}/plan/"))
    pdf = worker.get(f"/admin/clients/{samira}/plans/{plan_id}/plan.pdf?lang=fr")
    french = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Plan d'établissement" in french and "Samira Nouri" in french and "Santé, santé mentale et bien-être" in french
    coordinator = app.test_client()
    sign_in(coordinator, "coordinator@demo.org")
    monitoring = text(coordinator.get("/admin/plan-monitoring/"))
    assert "Samira Nouri" in monitoring and f"/admin/clients/{samira}/plan/" in monitoring

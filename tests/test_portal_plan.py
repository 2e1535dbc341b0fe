"""My plan in the client portal: the plan once shared with the client (goals, steps, who does
what), its PDF in the portal's language, nothing of a plan not yet shared, and nothing of
another client's plan, through the central portal rules (``portal_scope`` "own" and "through")."""

import io
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from extensions import db
from models import ALL_AGENCIES, PlanGoal, PlanStep, Principal, SettlementPlan, acting_as, tenant_scope
from models.clients import Client
from tests.conftest import text
from tests.portal_helpers import seed_portal_clients, signed_in_portal

pytestmark = pytest.mark.usefixtures("demo")


def plan_of(app, client_id):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        return db.session.scalar(select(SettlementPlan.id).where(SettlementPlan.client_id == client_id))


def unshare(app, plan_id):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        db.session.get(SettlementPlan, plan_id).shared_date = None
        db.session.commit()


def test_my_plan_shows_the_shared_plan_with_its_goals_steps_and_who_does_what(app):
    seed_portal_clients(app)
    page = text(signed_in_portal(app, "client@demo.org").get("/portal/plan"))
    assert "Find work as a bookkeeper" in page and "Send your resume to two employers" in page
    assert "Find employment" in page and "Get your credentials assessed" in page and "Wei Zhang" in page
    assert "Download my plan (PDF)" in page


def test_a_plan_not_shared_yet_is_not_shown(app):
    amira_id, _ = seed_portal_clients(app)
    unshare(app, plan_of(app, amira_id))
    browser = signed_in_portal(app, "client@demo.org")
    page = text(browser.get("/portal/plan"))
    assert "has not shared a settlement plan" in page and "bookkeeper" not in page
    assert browser.get(f"/portal/plan/{plan_of(app, amira_id)}.pdf").status_code == 404


def test_another_clients_plan_is_never_reached(app):
    amira_id, _ = seed_portal_clients(app)
    browser = signed_in_portal(app, "client2@demo.org")
    assert "bookkeeper" not in text(browser.get("/portal/plan"))
    assert browser.get(f"/portal/plan/{plan_of(app, amira_id)}.pdf").status_code == 404


def test_the_rules_show_a_portal_client_only_the_goals_and_steps_of_their_shared_plans(app):
    amira_id, diego_id = seed_portal_clients(app)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        diego = db.session.get(Client, diego_id)
        agency_id = diego.agency_id
    with app.app_context(), tenant_scope(agency_id), acting_as(Principal.portal_client(diego)):
        assert db.session.scalars(select(SettlementPlan)).all() == []
        assert db.session.scalars(select(PlanGoal)).all() == [] and db.session.scalars(select(PlanStep)).all() == []
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        amira = db.session.get(Client, amira_id)
    with app.app_context(), tenant_scope(agency_id), acting_as(Principal.portal_client(amira)):
        goals = db.session.scalars(select(PlanGoal)).all()
        assert {goal.description for goal in goals} == {"Find work as a bookkeeper", "Get your credentials assessed"}
        assert len(db.session.scalars(select(PlanStep)).all()) == 1


@pytest.mark.parametrize(("language", "expected"), [("en", "Settlement plan"), ("fr_CA", "Plan d'établissement")])
def test_the_plan_pdf_in_the_portals_language(app, language, expected):
    amira_id, _ = seed_portal_clients(app)
    browser = signed_in_portal(app, "client@demo.org")
    browser.post("/portal/language", data={"language": language})  # the portal's switch, over the profile's
    response = browser.get(f"/portal/plan/{plan_of(app, amira_id)}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pdf = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert expected in pdf and "Find work as a bookkeeper" in pdf and str(date.today()) in pdf

"""Following settlement plans: the dashboard's Plan tab (progress), the coordinator's page of
plans with something overdue (by worker, scoped to the viewer's people), the follow-up reminder
through the notifications job, the plan PDF in English and French (text read back with pypdf)."""

import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select, update

from exports.plans import FRENCH_NEED_LABELS
from extensions import db
from models import ALL_AGENCIES, PlanGoal, PlanStep, SettlementPlan, Staff, tenant_scope
from models.referrals import need_areas
from tests.conftest import demo_staff, sign_in, text
from tests.test_notifications import agency, notes, run  # noqa: F401 (fixtures)
from tests.test_settlement_plans import HOUSING, demo_client

pytestmark = pytest.mark.usefixtures("demo")


def make_plan(app, client_id, worker_email, follow_up_days=-3, goals=(("achieved", 10), ("in_progress", -2))):
    """An active plan of ``worker_email`` for the client: follow-up ``follow_up_days`` from today,
    goals of (status, target in days), an overdue step on the last one."""
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        worker = db.session.scalar(select(Staff).where(Staff.email == worker_email))
        plan = SettlementPlan(
            agency_id=worker.agency_id,
            client_id=client_id,
            worker_id=worker.id,
            created_by_id=worker.id,
            start_date=date.today() - timedelta(days=30),
            next_follow_up_date=date.today() + timedelta(days=follow_up_days),
        )
        for status, days in goals:
            goal = PlanGoal(agency_id=worker.agency_id, need_area=HOUSING, description=f"Goal {status}", status=status)
            goal.target_date = date.today() + timedelta(days=days)
            plan.goals.append(goal)
        plan.goals[-1].steps = [
            PlanStep(agency_id=worker.agency_id, description="Call", due_date=date.today() - timedelta(days=1))
        ]
        db.session.add(plan)
        db.session.commit()
        return plan.id


def set_phone(app, email, phone):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        db.session.execute(update(Staff).where(Staff.email == email).values(phone=phone))
        db.session.commit()


def test_the_plan_tab_shows_progress(app, client):
    client_id = demo_client(app)
    make_plan(app, client_id, "worker@demo.org")
    sign_in(client, "worker@demo.org")
    page = text(client.get(f"/admin/clients/{client_id}/?tab=plan"))
    assert "1 of 2 goals achieved" in page and "Overdue goals: 1" in page and "Overdue steps: 1" in page
    assert "Overdue</span>" in page  # the follow-up


def monitoring_page(app, email):
    browser = app.test_client()
    sign_in(browser, email)
    return text(browser.get("/admin/plan-monitoring/"))


def test_the_monitoring_page_lists_overdue_plans_by_worker_in_the_viewers_scope(app):
    client_id = demo_client(app)
    make_plan(app, client_id, "worker@demo.org")
    link = f"/admin/clients/{client_id}/plan/"
    page = monitoring_page(app, "coordinator@demo.org")  # the worker's coordinator
    assert "Wei Zhang" in page and link in page
    assert link in monitoring_page(app, "worker@demo.org") and link in monitoring_page(app, "admin@demo.org")
    assert "Nothing overdue." in monitoring_page(app, "worker2@demo.org")  # another worker: not theirs
    assert "Nothing overdue." in monitoring_page(app, "admin@other.org")  # another agency


def test_a_plan_with_nothing_overdue_is_not_listed(app, client):
    make_plan(app, demo_client(app), "worker@demo.org", follow_up_days=5, goals=(("not_started", 5),))
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        db.session.execute(update(PlanStep).values(is_done=True))
        db.session.commit()
    assert "Nothing overdue." in monitoring_page(app, "coordinator@demo.org")


def test_a_follow_up_due_reminds_the_worker_once(app, agency, smtp):  # noqa: F811
    make_plan(app, demo_client(app), "worker@demo.org", follow_up_days=0)
    run(app, agency)
    ((message,),) = [smtp.inbox.to("worker@demo.org")]
    assert message["Subject"].startswith(f"Settlement plan follow-up due {date.today().isoformat()}")
    run(app, agency)
    assert len(smtp.inbox.to("worker@demo.org")) == 1
    assert [n.kind for n in notes(app) if n.kind == "plan_follow_up"] == ["plan_follow_up"]


def pdf_text(response):
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)


def test_the_plan_prints_in_english_and_french_with_the_workers_phone(app, client):
    client_id = demo_client(app)
    plan_id = make_plan(app, client_id, "worker@demo.org")
    set_phone(app, "worker@demo.org", "416-555-0134")
    sign_in(client, "worker@demo.org")
    english = pdf_text(client.get(f"/admin/clients/{client_id}/plans/{plan_id}/plan.pdf"))
    assert "Settlement plan" in english and "Wei Zhang" in english and "416-555-0134" in english
    assert "Housing/Accommodation" in english and "Achieved" in english and "In progress" in english
    french = pdf_text(client.get(f"/admin/clients/{client_id}/plans/{plan_id}/plan.pdf?lang=fr"))
    assert "Plan d'établissement" in french and "416-555-0134" in french and "Logement" in french
    assert "Atteint" in french and "En cours" in french and "Housing/Accommodation" not in french


def test_every_need_area_has_its_french_label():
    assert {area.code for area in need_areas()} == set(FRENCH_NEED_LABELS)


def test_the_worker_of_another_agency_cannot_print_the_plan(app, client):
    client_id = demo_client(app)
    plan_id = make_plan(app, client_id, "worker@demo.org")
    demo_staff(app, "admin@other.org")
    sign_in(client, "admin@other.org")
    assert client.get(f"/admin/clients/{client_id}/plans/{plan_id}/plan.pdf").status_code == 404

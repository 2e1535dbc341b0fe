"""Settlement plans through the pages: start, goals, follow-ups, reviews, sharing, closing and
the read-only history; goals proposed from the Needs Assessment (accept, edit, dismiss, stays
dismissed); the Needs Assessment pre-fill; bad input answered on the field with nothing saved;
stale saves refused; the audit trail."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from extensions import db
from models import ALL_AGENCIES, AuditEvent, Client, ServiceForm, ServiceSession, SessionClient, Site, Staff, tenant_scope
from models.plan_monitoring import plan_shared_field
from models.plans import DismissedProposal, PlanFollowUp, PlanGoal, SettlementPlan
from tests.conftest import demo_agency, demo_staff, field_tag, shown_with_its_error, text

pytestmark = pytest.mark.usefixtures("demo")
HOUSING, HEALTH, EDUCATION = "housing_accommodation_needs_ind", "hlth_mental_wellness_needs_ind", "knwl_education_needs_ind"


def demo_client(app, code="DEMO"):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        agency = demo_agency(app, code)
        return db.session.scalar(
            select(Client.id).where(Client.agency_id == agency.id, Client.kind == "named").order_by(Client.id)
        )


def needs_assessment(app, client_id, needs, days_ago=5, email="worker@demo.org", with_form=True):
    """A session with a Needs Assessment for the client marking ``needs`` "Yes"."""
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        staff = db.session.scalar(select(Staff).where(Staff.email == email))
        site = db.session.scalar(select(Site).where(Site.agency_id == staff.agency_id).order_by(Site.id))
        session = ServiceSession(
            agency_id=staff.agency_id,
            service_date=date.today() - timedelta(days=days_ago),
            site_id=site.id,
            lead_staff_id=staff.id,
            created_by_id=staff.id,
            minutes=30,
            languages=["English"],
        )
        session.attendees = [SessionClient(agency_id=staff.agency_id, client_id=client_id)]
        form = ServiceForm(agency_id=staff.agency_id, kind="needs_assessment", client_id=client_id, author_id=staff.id)
        form.save_answers(dict.fromkeys(needs, "Yes"))
        session.forms = [form] if with_form else []
        db.session.add(session)
        db.session.commit()
        return session.id


def start(client, client_id, **values):
    worker = values.pop("worker_id", None)
    data = {"start_date": date.today().isoformat(), "summary": "Housing first.", "next_follow_up_date": "", **values}
    if worker:
        data["worker_id"] = worker
    return client.post(f"/admin/clients/{client_id}/plan/start/", data=data, follow_redirects=True)


def the_plan(app, client_id=None, status="active"):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        query = select(SettlementPlan).where(SettlementPlan.status == status)
        if client_id:
            query = query.where(SettlementPlan.client_id == client_id)
        plan = db.session.scalar(query.order_by(SettlementPlan.id.desc()))
        if plan is None:
            return None
        goals = [(g.id, g.need_area, g.status, g.description, g.version) for g in plan.goals]
        return plan.id, plan.version, goals, plan.next_follow_up_date, plan.shared_date


def count(app, model):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        return db.session.scalar(select(func.count(model.id)))


def add_goal(client, client_id, plan_id, **values):
    data = {"need_area": HOUSING, "description": "Find a two-bedroom flat", "responsible": "client", "status": "not_started"}
    data.update(values)
    return client.post(f"/admin/clients/{client_id}/plans/{plan_id}/goals/", data=data, follow_redirects=True)


def post(client, client_id, path, data):
    return text(client.post(f"/admin/clients/{client_id}/{path}", data=data, follow_redirects=True))


@pytest.fixture
def worker(app, login):
    staff = demo_staff(app, "worker@demo.org")
    login("worker@demo.org")
    return staff


def test_a_plan_is_started_with_goals_followed_up_reviewed_shared_and_closed(app, client, worker):
    client_id = demo_client(app)
    assert "no active settlement plan" in text(client.get(f"/admin/clients/{client_id}/plan/"))
    page = text(
        start(client, client_id, worker_id=str(worker.id), next_follow_up_date=(date.today() + timedelta(days=7)).isoformat())
    )
    assert "Settlement plan started." in page
    plan_id, *_ = the_plan(app, client_id)
    page = text(
        add_goal(client, client_id, plan_id, target_date=(date.today() + timedelta(days=30)).isoformat(), new_steps="Call\nVisit")
    )
    assert "Goal added." in page and "Find a two-bedroom flat" in page and "Visit" in page
    follow = {
        "follow_up_date": date.today().isoformat(),
        "note": "Two viewings booked.",
        "next_follow_up_date": (date.today() + timedelta(14)).isoformat(),
    }
    page = text(client.post(f"/admin/clients/{client_id}/plans/{plan_id}/follow-ups/", data=follow, follow_redirects=True))
    assert "Follow-up recorded." in page and "Two viewings booked." in page
    assert the_plan(app, client_id)[3] == date.today() + timedelta(days=14)  # the plan's next follow-up moved
    review = {"review_date": date.today().isoformat(), "summary": "On track.", "next_review_date": ""}
    assert "Review recorded." in text(
        client.post(f"/admin/clients/{client_id}/plans/{plan_id}/reviews/", data=review, follow_redirects=True)
    )
    # share, then close: the plan is kept, read-only
    _, version, *_ = the_plan(app, client_id)
    edit = text(client.get(f"/admin/clients/{client_id}/plans/{plan_id}/edit/"))
    seen = re.search(r'name="seen_event" type="hidden" value="(\d*)"', edit).group(1)
    data = {
        "start_date": date.today().isoformat(),
        "worker_id": str(worker.id),
        "summary": "Housing first.",
        "shared_date": date.today().isoformat(),
        "shared_how": "in_person",
        "status": "closed",
        "expected_version": str(version),
        "seen_event": seen,
    }
    assert "Plan saved." in text(
        client.post(f"/admin/clients/{client_id}/plans/{plan_id}/edit/", data=data, follow_redirects=True)
    )
    assert the_plan(app, client_id) is None and the_plan(app, client_id, "closed")[4] == date.today()
    page = text(client.get(f"/admin/clients/{client_id}/plans/{plan_id}/"))
    assert "kept read-only" in page and "Find a two-bedroom flat" in page
    # a closed plan refuses every change; a new plan may start
    goals = count(app, PlanGoal)
    assert "earlier plans are kept read-only" in text(add_goal(client, client_id, plan_id))
    assert count(app, PlanGoal) == goals
    assert "Settlement plan started." in text(start(client, client_id, worker_id=str(worker.id)))
    page = text(client.get(f"/admin/clients/{client_id}/plan/"))
    assert page.count(f"/admin/clients/{client_id}/plans/") >= 2  # both plans in the history


def test_the_audit_trail_records_plan_writes(app, client, worker):
    client_id = demo_client(app)
    start(client, client_id, worker_id=str(worker.id))
    plan_id, *_ = the_plan(app, client_id)
    add_goal(client, client_id, plan_id)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        kinds = set(db.session.scalars(select(AuditEvent.record_type).where(AuditEvent.client_id == client_id)))
    assert {"settlement_plan", "plan_goal", "plan_step"} - {"plan_step"} <= kinds


def test_bad_input_is_refused_on_the_field_and_nothing_is_saved(app, client, worker):
    client_id = demo_client(app)
    start(client, client_id, worker_id=str(worker.id))
    plan_id, *_ = the_plan(app, client_id)
    goals, follow_ups, plans = count(app, PlanGoal), count(app, PlanFollowUp), count(app, SettlementPlan)
    response = add_goal(client, client_id, plan_id, target_date=(date.today() - timedelta(days=3)).isoformat())
    assert response.status_code == 200 and "The target date cannot be before the plan&#39;s start date." in text(response)
    assert 'class="invalid-feedback d-block">The target date cannot' in text(response)
    blank = {"follow_up_date": date.today().isoformat(), "note": "  ", "next_follow_up_date": ""}
    response = client.post(f"/admin/clients/{client_id}/plans/{plan_id}/follow-ups/", data=blank)
    assert response.status_code == 200 and "Write what the follow-up found." in text(response)
    response = start(client, client_id, worker_id=str(worker.id))
    assert response.status_code == 200 and "already has an active settlement plan" in text(response)
    bad_dates = {"start_date": "not a date", "worker_id": "999999999"}
    assert start(client, client_id, **bad_dates).status_code == 200
    assert (count(app, PlanGoal), count(app, PlanFollowUp), count(app, SettlementPlan)) == (goals, follow_ups, plans)


def test_a_stale_goal_save_is_refused(app, client, worker):
    client_id = demo_client(app)
    start(client, client_id, worker_id=str(worker.id))
    plan_id, *_ = the_plan(app, client_id)
    add_goal(client, client_id, plan_id)
    goal_id, _, _, _, version = the_plan(app, client_id)[2][0]
    data = {"need_area": HOUSING, "description": "Changed", "responsible": "client", "status": "in_progress"}
    url = f"/admin/clients/{client_id}/plans/{plan_id}/goals/{goal_id}/"
    assert "Goal saved." in text(client.post(url, data={**data, "expected_version": str(version)}, follow_redirects=True))
    page = text(client.post(url, data={**data, "description": "Mine", "expected_version": str(version)}))
    assert "Mine" in page and the_plan(app, client_id)[2][0][3] == "Changed"  # refused, the typed text kept


def test_goals_are_proposed_from_the_needs_assessment(app, client, worker):
    client_id = demo_client(app)
    needs_assessment(app, client_id, [HOUSING, HEALTH, EDUCATION])
    start(client, client_id, worker_id=str(worker.id))
    plan_id, *_ = the_plan(app, client_id)
    page = text(client.get(f"/admin/clients/{client_id}/plan/"))
    assert all(f"proposal-{code}" in page for code in (HOUSING, HEALTH, EDUCATION))
    # accept as proposed, accept after editing, dismiss
    add_goal(client, client_id, plan_id, need_area=HOUSING, description="Housing/Accommodation")
    add_goal(client, client_id, plan_id, need_area=HEALTH, description="Register with a family doctor")
    url = f"/admin/clients/{client_id}/plans/{plan_id}/dismiss/"
    page = text(client.post(url, data={"need_area": EDUCATION}, follow_redirects=True))
    assert "will not be proposed again" in page and "proposals" not in re.findall(r'data-testid="(\w+)"', page)
    goals = {need: description for _, need, _, description, _ in the_plan(app, client_id)[2]}
    assert goals == {HOUSING: "Housing/Accommodation", HEALTH: "Register with a family doctor"}
    # a newer Needs Assessment marking the same need again: still dismissed
    needs_assessment(app, client_id, [EDUCATION], days_ago=1)
    assert f"proposal-{EDUCATION}" not in text(client.get(f"/admin/clients/{client_id}/plan/"))
    assert count(app, DismissedProposal) == 1
    assert "not proposed" in text(client.post(url, data={"need_area": HOUSING}, follow_redirects=True))


def test_an_accepted_proposal_is_refused_under_its_own_fields_as_typed(app, client, worker):
    """The proposal's own form (not the "Add a goal" form below) shows its errors, marked for
    screen readers, with what was typed; accepted, the goal is the need's, edited."""
    client_id = demo_client(app)
    needs_assessment(app, client_id, [HOUSING, HEALTH])
    start(client, client_id, worker_id=str(worker.id))
    plan_id, *_ = the_plan(app, client_id)
    url = f"/admin/clients/{client_id}/plans/{plan_id}/proposals/"
    field = f"proposal-{HOUSING}"
    page = text(client.get(f"/admin/clients/{client_id}/plan/"))
    assert f'id="{field}-description"' in page and f'for="{field}-target_date"' in page
    typed = {"need_area": HOUSING, f"{field}-description": "Two-bedroom flat near school", f"{field}-target_date": "2026-13-45"}
    page = text(client.post(url, data=typed))
    shown_with_its_error(page, f"{field}-target_date", "“2026-13-45” is not a date: write it as YYYY-MM-DD")
    assert 'value="2026-13-45"' in field_tag(page, f"{field}-target_date")
    assert 'value="Two-bedroom flat near school"' in field_tag(page, f"{field}-description")
    assert "aria-invalid" not in field_tag(page, "target_date")  # the Add a goal form: untouched
    assert "aria-invalid" not in field_tag(page, f"proposal-{HEALTH}-target_date")  # nor the other proposal
    before_start = (date.today() - timedelta(days=1)).isoformat()
    page = text(client.post(url, data={**typed, f"{field}-target_date": before_start}))
    shown_with_its_error(page, f"{field}-target_date", "The target date cannot be before the plan")
    page = text(client.post(url, data={**typed, f"{field}-description": " "}))
    shown_with_its_error(page, f"{field}-description", "Describe the goal.")
    assert the_plan(app, client_id)[2] == []  # nothing saved
    target = (date.today() + timedelta(days=30)).isoformat()
    page = text(client.post(url, data={**typed, f"{field}-target_date": target}, follow_redirects=True))
    assert "Goal added." in page and f"proposal-{HOUSING}" not in page
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        goal = db.session.scalar(select(PlanGoal))
        assert (goal.need_area, goal.description) == (HOUSING, typed[f"{field}-description"])
        assert goal.target_date.isoformat() == target
        assert (goal.responsible, goal.status) == ("client", "not_started")
    assert "not proposed" in text(client.post(url, data=typed, follow_redirects=True))  # accepted already


def new_needs_assessment(app, client, session_id, client_id):
    """Open a new Needs Assessment on the session page; its answers."""
    response = client.post(f"/admin/sessions/{session_id}/forms/", data={"kind": "needs_assessment", "client_id": str(client_id)})
    assert response.status_code == 302
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        query = select(ServiceForm).where(ServiceForm.session_id == session_id, ServiceForm.kind == "needs_assessment")
        return db.session.scalar(query).data


def test_a_shared_plan_pre_fills_the_needs_assessment(app, client, worker):
    client_id = demo_client(app)
    field = plan_shared_field()
    assert field == "settlement_plan_ind"
    start(client, client_id, worker_id=str(worker.id))
    first = needs_assessment(app, client_id, [], with_form=False)
    assert field not in new_needs_assessment(app, client, first, client_id)  # not shared yet: left to answer
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        plan = db.session.scalar(select(SettlementPlan).where(SettlementPlan.client_id == client_id))
        plan.shared_date, plan.shared_how = date.today(), "email"
        db.session.commit()
    second = needs_assessment(app, client_id, [], with_form=False, days_ago=0)
    assert new_needs_assessment(app, client, second, client_id)[field] == "Yes"


def test_a_date_that_is_no_date_or_a_next_date_before_the_start_is_refused_on_its_field(app, client, worker):
    client_id = demo_client(app)
    response = start(client, client_id, worker_id=str(worker.id), start_date="2026-02-30", summary="Keep this")
    shown_with_its_error(text(response), "start_date", "“2026-02-30” is not a date: write it as YYYY-MM-DD")
    assert "This field is required" not in text(response) and "Keep this" in text(response)
    response = start(client, client_id, worker_id=str(worker.id), start_date="2026-11-20", next_follow_up_date="2026-01-01")
    shown_with_its_error(text(response), "next_follow_up_date", "The next follow-up cannot be before the plan&#39;s start date.")
    assert the_plan(app, client_id) is None
    start(client, client_id, worker_id=str(worker.id))
    plan_id, version, *_ = the_plan(app, client_id)
    earlier, before_start = (date.today() - timedelta(days=days) for days in (5, 2))
    follow_up = {"follow_up_date": earlier.isoformat(), "note": "Called.", "next_follow_up_date": before_start.isoformat()}
    response = client.post(f"/admin/clients/{client_id}/plans/{plan_id}/follow-ups/", data=follow_up)
    shown_with_its_error(text(response), "next_follow_up_date", "The next follow-up cannot be before the plan&#39;s start date.")
    review = {"review_date": earlier.isoformat(), "summary": "On track.", "next_review_date": before_start.isoformat()}
    response = client.post(f"/admin/clients/{client_id}/plans/{plan_id}/reviews/", data=review)
    shown_with_its_error(text(response), "next_review_date", "The next review cannot be before the plan&#39;s start date.")
    assert the_plan(app, client_id)[1] == version and count(app, PlanFollowUp) == 0

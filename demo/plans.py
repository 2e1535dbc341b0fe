"""Demo settlement plans, in every state: Samira Nouri's active plan (shared with her, a
follow-up overdue that the coordinator sees, goals proposed from her Needs Assessment waiting),
a closed earlier plan and a newer one, a plan with nothing overdue, and one of another worker
with an overdue goal. Deterministic; does nothing once the agency has plans."""

from datetime import date, timedelta

from sqlalchemy import select

from extensions import db
from models import Agency, Client, PlanFollowUp, PlanGoal, PlanReview, PlanStep, SettlementPlan, Staff
from models.plan_monitoring import latest_needs_assessment

TODAY = date.today()
SAMIRA_NEEDS = ("housing_accommodation_needs_ind", "hlth_mental_wellness_needs_ind", "knwl_education_needs_ind")
SAMIRA_NEEDS += ("find_employment_needs_ind",)


def days(n):
    return TODAY + timedelta(days=n)


def one(model, *conditions):
    return db.session.scalar(select(model).where(*conditions).order_by(model.id))


def new_plan(client, worker, start, **values):
    plan = SettlementPlan(agency_id=client.agency_id, client_id=client.id, worker_id=worker.id, created_by_id=worker.id)
    plan.start_date = start
    for name, value in values.items():
        setattr(plan, name, value)
    db.session.add(plan)
    return plan


def goal(plan, need, description, status, target, steps=(), notes=""):
    row = PlanGoal(agency_id=plan.agency_id, need_area=need, description=description, status=status, target_date=target)
    row.responsible, row.progress_notes = "client", notes
    row.steps = [PlanStep(agency_id=plan.agency_id, description=text, due_date=due, is_done=done) for text, due, done in steps]
    plan.goals.append(row)
    return row


def follow_up(plan, staff, when, note, next_date):
    plan.follow_ups.append(
        PlanFollowUp(agency_id=plan.agency_id, follow_up_date=when, note=note, staff_id=staff.id, next_follow_up_date=next_date)
    )


def mark_needs(client):
    """Her latest Needs Assessment marks the needs her plan starts from."""
    form = latest_needs_assessment(client)
    if form is not None:
        form.save_answers({**form.data, **dict.fromkeys(SAMIRA_NEEDS, "Yes")})


def samira_plan(client, wei):
    """Active, shared, follow-up three days overdue, a housing goal in progress with an overdue
    step; her other needs wait as proposals."""
    mark_needs(client)
    plan = new_plan(client, wei, days(-20), summary="Housing first, then school registration and a family doctor.")
    plan.shared_date, plan.shared_how, plan.next_review_date = days(-18), "in_person", days(40)
    steps = (("Register with the housing help centre", days(-15), True), ("Visit two flats in Scarborough", days(-2), False))
    goal(plan, SAMIRA_NEEDS[0], "Find a two-bedroom flat near the children's school", "in_progress", days(30), steps)
    follow_up(plan, wei, days(-17), "Housing help centre registration done; two leads.", days(-3))
    plan.next_follow_up_date = days(-3)


def earlier_and_current(client, wei):
    """A closed earlier plan (achieved and discontinued goals) and the active one (review overdue)."""
    old = new_plan(client, wei, days(-400), summary="First year in Canada.")
    goal(old, "knwl_life_needs_ind", "Attend the newcomer orientation", "achieved", days(-380))
    goal(old, "language_non_CIC_needs_ind", "Evening English classes", "discontinued", days(-300), notes="Found LINC instead.")
    old.goals[0].achieved_date = days(-385)
    old.status, old.closed_date = "closed", days(-60)
    db.session.flush()
    plan = new_plan(client, wei, days(-59), next_review_date=days(-1), next_follow_up_date=days(20))
    goal(plan, "find_employment_needs_ind", "Part-time work in retail", "achieved", days(-5))
    plan.goals[0].achieved_date = days(-6)
    goal(plan, "professional_networks_needs_ind", "Join a mentoring circle", "not_started", days(45))
    plan.reviews.append(
        PlanReview(
            agency_id=plan.agency_id, review_date=days(-59), summary="Plan agreed.", staff_id=wei.id, next_review_date=days(-1)
        )
    )


def seed_plans_demo(agency_code="DEMO"):
    agency = one(Agency, Agency.code == agency_code)
    if agency is None or one(SettlementPlan, SettlementPlan.agency_id == agency.id) is not None:
        return
    wei, priya = one(Staff, Staff.email == "worker@demo.org"), one(Staff, Staff.email == "worker2@demo.org")
    samira = one(Client, Client.agency_id == agency.id, Client.first_name == "Samira", Client.last_name == "Nouri")
    others = db.session.scalars(
        select(Client)
        .where(Client.agency_id == agency.id, Client.kind == "named", Client.first_name != "Samira")
        .order_by(Client.id)
    ).all()
    if wei is None or priya is None or samira is None or len(others) < 3:
        return
    samira_plan(samira, wei)
    earlier_and_current(others[0], wei)
    calm = new_plan(others[1], wei, days(-10), next_follow_up_date=days(10), next_review_date=days(80))
    goal(calm, "financial_needs_ind", "Open a bank account", "not_started", days(20))
    late = new_plan(others[2], priya, days(-90), next_follow_up_date=days(14))
    goal(late, "employment_related_needs_ind", "Résumé reviewed by an employment counsellor", "in_progress", days(-7))
    db.session.commit()

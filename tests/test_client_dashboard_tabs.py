"""The client dashboard's tabs and its statements: the career tabs (job search, resumes and cover
letters, training) appear exactly when the client has something of theirs that the viewer's
agency holds, for every role, from one statement whose every subquery carries the agency; each
tab runs at most a pinned number of statements, as many for a busy client as for a quiet one
and as many with more leads, plan goals and EAP plans. (Counts, never timings.)"""

import re
from datetime import date

import pytest
from sqlalchemy import func, insert, select

from extensions import db
from models import ALL_AGENCIES, tenant_scope
from models.career_documents import CareerDocument
from models.eap import EapItem, EapOutcome, EapSubGoal, EmploymentActionPlan
from models.job_postings import JobCompany, JobOccupation, JobPosting, JobSkill
from models.job_search import ClientFollow, ClientSkill, JobLead
from models.plans import PlanGoal, PlanStep, SettlementPlan
from models.portal_accounts import PortalAccount
from models.training import TrainingOpportunity
from tests.conftest import demo_agency, sign_in, text
from tests.portal_helpers import seed_portal_clients
from tests.test_grid_statements import counting

pytestmark = pytest.mark.usefixtures("demo")
ROLES = ("worker@demo.org", "coordinator@demo.org", "admin@demo.org")
JOB, DOCUMENTS, TRAINING = {"following", "leads", "skills"}, {"resumes", "cover_letters"}, {"training"}
CAREER = JOB | DOCUMENTS | TRAINING
EVERY_TAB = (
    "overview notes history files family referrals plan privacy notifications portal following leads skills resumes "
    "cover_letters training eap audit"
).split()
# Statements per tab, at most, for any role, for a client with nothing and for the demo's busiest
# portal client: the staff member and their visibility facts, the client (scoped ``get_one``),
# the recorded view (read, insert, update: the commit keeps the rows read), the assignments
# (and the assigned staff), the portal account, CaMS numbers, the merges (one statement), at most
# one statement for the career tabs, the safety flags; then the tab's own rows. 22 on the overview
# before (27 on notes), of which eight were the career tabs' questions and a second merge query.
MOST = {"overview": 13, "notes": 16, "files": 16, "referrals": 21, "plan": 17, "eap": 16, **dict.fromkeys(JOB, 21)}
MOST_ELSE = 15


def first_id(model, agency_id, *where):
    return db.session.scalar(select(model.id).where(model.agency_id == agency_id, *where).order_by(model.id))


def what_to_give(agency_id, client_id):
    """``{name: (model, values)}``: one row of each kind the career tabs look for."""
    return {
        "follow": (ClientFollow, {"kind": "occupation", "target_id": first_id(JobOccupation, agency_id)}),
        "skill": (ClientSkill, {"skill_id": first_id(JobSkill, agency_id)}),
        "lead": (JobLead, {"posting_id": first_id(JobPosting, agency_id)}),
        "document": (CareerDocument, {"kind": "resume", "title": "Resume", "content": {}, "author_kind": "staff"}),
        "training": (TrainingOpportunity, {"title": "Forklift course", "added_by": "staff"}),
        "account": (PortalAccount, {"email": f"tabs-{client_id}@example.org"}),
    }


def give(app, client, name, agency_code=None):
    """Store one ``name`` row for ``client``, in its own agency or (``agency_code``) another's:
    a row no page of the client's agency may count."""
    agency_id = demo_agency(app, agency_code).id if agency_code else client.agency_id
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        model, values = what_to_give(agency_id, client.id)[name]
        db.session.execute(insert(model.__table__).values(client_id=client.id, agency_id=agency_id, **values))
        db.session.commit()


SHOWN = {
    "nothing": set(),
    "follow": CAREER,
    "skill": CAREER,
    "lead": CAREER,
    "account": CAREER,
    "document": DOCUMENTS,
    "training": TRAINING,
}


def career_tabs(browser, client_id, tab="overview"):
    response = browser.get(f"/admin/clients/{client_id}/?tab={tab}")
    assert response.status_code == 200
    page = text(response)
    return {key for key in CAREER if f"tab={key}" in page}


@pytest.fixture
def quiet(app, make):
    return make.client(demo_agency(app, "DEMO"), first_name="Quiet", last_name="Client")


@pytest.mark.parametrize("email", ROLES)
@pytest.mark.parametrize("has", sorted(SHOWN))
def test_career_tabs_show_exactly_when_the_client_has_something(app, client, quiet, email, has):
    if has != "nothing":
        give(app, quiet, has)
    sign_in(client, email)
    assert career_tabs(client, quiet.id) == SHOWN[has]
    assert career_tabs(client, quiet.id, "resumes") == SHOWN[has] | DOCUMENTS  # its own tab shows anyway
    assert career_tabs(client, quiet.id, "following") == CAREER  # the job tabs show the others


@pytest.mark.parametrize("email", ROLES)
def test_another_agencys_rows_never_show_a_tab(app, client, quiet, email):
    """Rows naming the client but held by another agency (as a bad import could leave them): the
    agency criterion of each subquery hides them, so no tab shows."""
    for name in SHOWN.keys() - {"nothing"}:
        give(app, quiet, name, agency_code="OTHER")
    sign_in(client, email)
    assert career_tabs(client, quiet.id) == set()


def test_every_career_question_carries_the_agency(app, client, quiet):
    """The one statement that asks for the career tabs: a select of the client with one EXISTS per
    model, each subquery with its agency condition (added by the tenancy hook, not by hand)."""
    sign_in(client, "worker@demo.org")
    with counting(app) as statements:
        assert client.get(f"/admin/clients/{quiet.id}/").status_code == 200
    asked = [s for s in statements if "EXISTS" in s]
    assert len(asked) == 1
    outer, *subqueries = re.split(r"EXISTS\s*\(", asked[0])
    found = {}
    for subquery in subqueries:
        table = re.search(r"FROM (\w+)", subquery).group(1)
        found[table] = f"{table}.agency_id = " in " ".join(subquery.split())
    tables = {"client_follows", "client_skills", "job_leads", "career_documents", "training_opportunities"}
    assert found == dict.fromkeys(tables, True)
    assert "clients.agency_id = " in " ".join(asked[0].split()[-12:])


@pytest.mark.parametrize("tab", ["overview", *sorted(CAREER)])
def test_another_agencys_admin_gets_404(app, client, quiet, tab):
    give(app, quiet, "lead")
    sign_in(client, "admin@other.org")
    response = client.get(f"/admin/clients/{quiet.id}/?tab={tab}")
    assert response.status_code == 404 and "Quiet" not in text(response)


def statements_per_tab(app, browser, client_id):
    found = {}
    for tab in EVERY_TAB:
        url = f"/admin/clients/{client_id}/?tab={tab}"
        assert browser.get(url).status_code == 200, url
        with counting(app) as statements:
            assert browser.get(url).status_code == 200, url
        found[tab] = len(statements)
    return found


def test_each_tab_runs_at_most_its_pinned_statements(app, quiet):
    busy, _ = seed_portal_clients(app)
    over = {}
    for email in ROLES:
        browser = app.test_client()
        sign_in(browser, email)
        for name, client_id in (("quiet", quiet.id), ("busy", busy)):
            for tab, count in statements_per_tab(app, browser, client_id).items():
                if count > MOST.get(tab, MOST_ELSE):
                    over[email, name, tab] = count
    assert over == {}


def more_of_everything(app, client_id):
    """Two more job leads (on new postings), plan goals with steps and EAP plans with their parts."""
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        agency_id = db.session.scalar(select(SettlementPlan.agency_id).where(SettlementPlan.client_id == client_id))
        plan_id = first_id(SettlementPlan, agency_id, SettlementPlan.client_id == client_id, SettlementPlan.status == "active")
        owned = {"agency_id": agency_id}
        for number in range(2):
            posting = add(JobPosting, title=f"Extra job {number}", company_id=first_id(JobCompany, agency_id), **owned)
            add(JobLead, client_id=client_id, posting_id=posting, **owned)
            goal = add(PlanGoal, plan_id=plan_id, need_area="housing", description=f"Goal {number}", **owned)
            for step in range(2):
                add(PlanStep, goal_id=goal, description=f"Step {step}", **owned)
            eap = add(EmploymentActionPlan, client_id=client_id, start_date=date(2026, 1, number + 1), **owned)
            add(EapSubGoal, plan_id=eap, description="Sub-goal", **owned)
            add(EapItem, plan_id=eap, description="Item", **owned)
            add(EapOutcome, plan_id=eap, kind="employed_full_time", outcome_date=date(2026, 2, 1), **owned)
        db.session.commit()
        return db.session.scalar(select(func.count()).select_from(JobLead).where(JobLead.client_id == client_id))


def add(model, **values):
    return db.session.execute(insert(model.__table__).values(**values).returning(model.__table__.c.id)).scalar_one()


def test_more_leads_goals_and_eap_plans_run_no_more_statements(app):
    busy, _ = seed_portal_clients(app)
    browser = app.test_client()
    sign_in(browser, "coordinator@demo.org")
    before = statements_per_tab(app, browser, busy)
    assert more_of_everything(app, busy) >= 3
    after = statements_per_tab(app, browser, busy)
    assert {tab: (before[tab], count) for tab, count in after.items() if count != before[tab]} == {}

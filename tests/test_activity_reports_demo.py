"""The demo data makes every referral, task, mentor and iCARE report show something."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from extensions import db
from models import ALL_AGENCIES, Agency, Client, Principal, acting_as, tenant_scope
from reports import run_report
from reports.activity_reports import ACTIVITY_REPORTS
from reports.criteria import Criteria
from tests.conftest import demo_staff

pytestmark = pytest.mark.usefixtures("demo")


def test_every_activity_report_has_demo_numbers(app):
    """The last three months (and the tasks due this week), as the demo's agency admin, with
    the demo's mentors and iCARE months (the small demo of the tests has neither)."""
    from demo.access_rules import seed_access_examples
    from demo.icare import seed_icare
    from demo.mentors import seed_mentors

    with app.app_context(), tenant_scope(ALL_AGENCIES):
        seed_access_examples("DEMO")
        seed_mentors("DEMO")
        agency = db.session.scalar(select(Agency).where(Agency.code == "DEMO"))
        for n in range(4):  # the iCARE month needs five named clients
            db.session.add(Client(agency_id=agency.id, kind="named", first_name=f"Extra{n}", last_name="Demo", gender="Female"))
        seed_icare("DEMO")
    criteria = Criteria(date.today() - timedelta(days=92), date.today() + timedelta(days=7))
    with app.test_request_context(), acting_as(Principal.staff(demo_staff(app, "admin@demo.org"))):
        empty = [r.key for r in ACTIVITY_REPORTS if run_report(r, criteria).is_empty]
    assert empty == [], empty


def test_the_demo_sessions_fill_last_month_and_this_month(app, make):
    """Every session type has a complete session last month and this month (up to today), so the
    reports' default range (last month) and the home page's this month show figures."""
    from demo.sessions import seed_sessions
    from reports import REPORTS
    from reports.criteria import last_month, this_month
    from service_forms.session_types import SESSION_TYPES

    agency = make.agency()
    make.site(agency), make.funder(agency)
    admin = make.staff(agency, role="agency_admin")
    make.staff(agency), make.staff(agency, role="coordinator")
    for _ in range(7):
        make.client(agency)
    make.client(agency, kind="anonymous")
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        seed_sessions(agency.code)
    today = date.today()
    with app.test_request_context(), acting_as(Principal.staff(admin)):
        for start, end in (last_month(today), this_month(today)):
            result = run_report(REPORTS["visits_by_type"], Criteria(start, end))
            assert len(result.rows) == len(SESSION_TYPES), (start, end)
            assert run_report(REPORTS["clients_served"], Criteria(start, end)).cell() > 0

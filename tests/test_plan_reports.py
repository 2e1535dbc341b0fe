"""Settlement plans in the reports catalogue: plans opened (by month, by worker) and plan goals
achieved by need area, in the viewer's scope, with their drill-down."""

from datetime import date, timedelta

import pytest

from tests.conftest import sign_in, text
from tests.test_plan_monitoring import make_plan
from tests.test_settlement_plans import demo_client

pytestmark = pytest.mark.usefixtures("demo")


def date_range():
    """The last 60 days, read when the test runs (a run may cross midnight)."""
    return {"from": (date.today() - timedelta(days=60)).isoformat(), "to": date.today().isoformat()}


def report_page(app, email, key, **args):
    browser = app.test_client()
    sign_in(browser, email)
    response = browser.get(f"/admin/reports/{key}/", query_string={**date_range(), **args})
    assert response.status_code == 200
    return text(response)


def test_plans_opened_and_goals_achieved_by_need_area(app):
    make_plan(app, demo_client(app), "worker@demo.org")  # started 30 days ago, one goal achieved
    opened = report_page(app, "admin@demo.org", "plans_opened")
    assert "Settlement plans opened" in opened and 'data-testid="report-problem"' not in opened
    by_worker = report_page(app, "coordinator@demo.org", "plans_by_worker")
    assert "Wei Zhang" in by_worker
    goals = report_page(app, "admin@demo.org", "goals_achieved_by_need")
    assert "Housing/Accommodation" in goals
    assert "Wei Zhang" not in report_page(app, "worker2@demo.org", "plans_by_worker")  # not theirs


def test_the_drill_down_lists_the_plans(app):
    client_id = demo_client(app)
    make_plan(app, client_id, "worker@demo.org")
    browser = app.test_client()
    sign_in(browser, "admin@demo.org")
    for key in ("plans_opened", "goals_achieved_by_need"):
        response = browser.get(f"/admin/reports/{key}/records", query_string=date_range())
        assert response.status_code == 200 and f"/admin/clients/{client_id}/" in text(response)

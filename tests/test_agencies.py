"""The agency's own lists: a funder that sessions name cannot be deleted."""

import pytest
from sqlalchemy import select

from extensions import db
from models import ALL_AGENCIES, Funder, ServiceSession, tenant_scope
from tests.conftest import demo_agency, demo_staff, text
from tests.sessions_helpers import ids, new_session, wizard_form

pytestmark = pytest.mark.usefixtures("demo")


def funder_ids_of(app, session_id):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        return {f.id for f in db.session.get(ServiceSession, session_id).funders}


def funder_exists(app, funder_id):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        return db.session.scalar(select(Funder.id).where(Funder.id == funder_id)) is not None


@pytest.fixture
def funded_sessions(app, client, login, make):
    """Two sessions funded by a new funder (and IRCC), recorded by the demo worker."""
    funder = make.funder(demo_agency(app, "DEMO"), name="City grant", code="CITY")
    login("worker@demo.org")
    me = demo_staff(app, "worker@demo.org")
    both = [str(funder.id), str(ids(app, Funder, code="IRCC")[0])]
    sessions = [new_session(app, client, me.id, funder_ids=both) for _ in range(2)]
    client.post("/logout")
    return funder, sessions


def test_a_funder_in_use_is_not_deleted(app, client, login, funded_sessions):
    funder, sessions = funded_sessions
    admin = login("admin@demo.org")
    response = admin.post("/admin/funders/delete/", data={"id": funder.id, "url": "/admin/funders/"}, follow_redirects=True)
    assert "City grant (CITY) funds 2 session(s), so it cannot be deleted" in text(response)
    response = admin.post("/admin/funders/action/", data={"action": "delete", "rowid": [funder.id]}, follow_redirects=True)
    assert "funds 2 session(s)" in text(response)
    assert funder_exists(app, funder.id) and all(funder.id in funder_ids_of(app, s) for s in sessions)


def test_a_session_keeps_opening_and_saving_with_its_funders(app, client, login, funded_sessions):
    funder, sessions = funded_sessions
    login("admin@demo.org").post("/admin/funders/delete/", data={"id": funder.id})
    edit = wizard_form(app, lead_staff_id=str(demo_staff(app, "worker@demo.org").id), funder_ids=[str(funder.id)])
    response = client.post(f"/admin/sessions/edit/?id={sessions[0]}", data=edit)
    assert response.status_code == 302 and funder_ids_of(app, sessions[0]) == {funder.id}


def test_an_unused_funder_is_deleted(app, make, login):
    funder = make.funder(demo_agency(app, "DEMO"), name="Unused grant", code="UNUSED")
    response = login("admin@demo.org").post("/admin/funders/delete/", data={"id": funder.id}, follow_redirects=True)
    assert "Record was successfully deleted" in text(response) and not funder_exists(app, funder.id)

"""Probe finding: a colleague could move someone else's session out of its program and make
himself lead; the write guard now holds for sessions as for forms, notes and files."""

import pytest
from sqlalchemy import select

from extensions import db
from models import ALL_AGENCIES, Principal, Program, ReadOnlyRecord, ServiceSession, Staff, acting_as, tenant_scope
from tests.sessions_helpers import ids, new_session, wizard_form

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture
def program_session(app, client, login):
    login("worker@demo.org")
    settlement = ids(app, Program, name="Settlement Services")[0]
    wei = ids(app, Staff, email="worker@demo.org")[0]
    session_id = new_session(app, client, wei, program_id=str(settlement))
    client.post("/logout")
    return {"id": session_id, "program": settlement, "lead": wei}


def stored(app, session_id):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        row = db.session.get(ServiceSession, session_id)
        return row.program_id, row.lead_staff_id, row.minutes


def edit(app, client, session_id, **changes):
    return client.post(f"/admin/sessions/edit/?id={session_id}", data=wizard_form(app, **changes))


@pytest.mark.parametrize("change", ["program", "lead"])
def test_a_colleague_in_the_program_cannot_move_the_session_or_take_the_lead(app, client, login, program_session, change):
    login("worker3@demo.org")
    colleague = ids(app, Staff, email="worker3@demo.org")[0]
    program = "" if change == "program" else str(program_session["program"])
    lead = str(colleague if change == "lead" else program_session["lead"])
    response = edit(app, client, program_session["id"], program_id=program, lead_staff_id=lead, minutes="50")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Only the session&#39;s lead, its creator" in html
    assert 'value="50"' in html  # what was typed stays on the page
    assert stored(app, program_session["id"]) == (program_session["program"], program_session["lead"], 45)


def test_the_write_guard_refuses_the_move_whatever_page_makes_it(app, program_session):
    """Behind the page's message, the flush guard: a direct write as the colleague is refused."""
    with app.app_context():
        with tenant_scope(ALL_AGENCIES):
            colleague = db.session.scalar(select(Staff).where(Staff.email == "worker3@demo.org"))
        with acting_as(Principal.staff(colleague)):
            row = db.session.get(ServiceSession, program_session["id"])
            row.lead_staff_id = colleague.id
            with pytest.raises(ReadOnlyRecord):
                db.session.flush()
            db.session.rollback()
    assert stored(app, program_session["id"])[1] == program_session["lead"]


def test_a_colleague_may_still_correct_the_details(app, client, login, program_session):
    login("worker3@demo.org")
    same = {"program_id": str(program_session["program"]), "lead_staff_id": str(program_session["lead"])}
    assert edit(app, client, program_session["id"], minutes="50", **same).status_code == 302
    assert stored(app, program_session["id"]) == (program_session["program"], program_session["lead"], 50)


def test_the_lead_and_the_coordinator_may_move_it(app, client, login, program_session):
    for email in ("worker@demo.org", "coordinator@demo.org"):
        login(email)
        assert (
            edit(app, client, program_session["id"], program_id="", lead_staff_id=str(program_session["lead"])).status_code == 302
        )
        assert stored(app, program_session["id"])[0] is None
        edit(
            app,
            client,
            program_session["id"],
            program_id=str(program_session["program"]),
            lead_staff_id=str(program_session["lead"]),
        )
        client.post("/logout")

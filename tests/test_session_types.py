"""Session types are data: a type or form kind added to the catalogue alone is offered by the
wizard and the session page and respected by completeness; unknown types are refused clearly."""

import pytest
from sqlalchemy import select

from extensions import db
from models import ALL_AGENCIES, ServiceSession, tenant_scope
from service_forms.catalogue import FORMS
from service_forms.fields import FieldSpec, FormSpec
from service_forms.session_types import SESSION_TYPES, SessionType, UnknownSessionType
from tests.conftest import demo_agency, text
from tests.sessions_helpers import (
    add_client,
    add_form,
    complete_answers,
    form_id,
    form_state,
    new_session,
    session_complete,
    session_row,
    wizard_form,
)

pytestmark = pytest.mark.usefixtures("demo")

WELLNESS_CHECK = FormSpec(
    "wellness_check",
    "Wellness check",
    (
        FieldSpec("start_dt", "Date of service", "date", required=True),
        FieldSpec("outcome", "Outcome", "textarea", required=True),
    ),
)
WALK_LOG = FormSpec("walk_log", "Walking group log", (FieldSpec("route", "Route", required=True),), scope="session")
WALKER = FormSpec(
    "walker",
    "Walker",
    (FieldSpec("client_attended", "Client attended", "yesno", ("Yes", "No"), required=True, section="Attendance"),),
    attendance_field="client_attended",
)
WELLNESS = SessionType("wellness", "Wellness visit", ("wellness_check",), default_forms=("wellness_check",))
WALKING = SessionType("walking_group", "Walking group", ("walk_log", "walker"), is_group=True)


@pytest.fixture
def new_types(monkeypatch):
    """Two session types and three form kinds, added to the registries only (undone after)."""
    for spec in (WELLNESS_CHECK, WALK_LOG, WALKER):
        monkeypatch.setitem(FORMS, spec.kind, spec)
    for session_type in (WELLNESS, WALKING):
        monkeypatch.setitem(SESSION_TYPES, session_type.key, session_type)


@pytest.fixture
def person(app, make):
    return make.client(demo_agency(app, "DEMO"), first_name="Ilse", last_name="Marchetti")


def fill(app, worker, session_id, kind, client_id=None):
    row = form_id(app, session_id, kind, client_id)
    response = worker.post(f"/admin/sessions/{session_id}/forms/{row}/", data=complete_answers(kind))
    assert response.status_code == 302, text(response)[:300]
    return row


def test_a_new_direct_type_and_form_kind_need_only_the_catalogue(app, worker, me, person, new_types):
    page = text(worker.get("/admin/sessions/new/"))
    assert '<option value="wellness">Wellness visit</option>' in page
    session_id = new_session(app, worker, me.id, session_type="wellness")
    add_client(worker, session_id, person.id)
    row = form_id(app, session_id, "wellness_check", person.id)
    assert row, "the type's default form is given to each client added"
    assert form_state(app, row)[1]["start_dt"]  # pre-filled from the session, as any form
    assert not session_complete(app, session_id)
    edit = text(worker.get(f"/admin/sessions/edit/?id={session_id}"))
    assert "Wellness visit" in edit and "Wellness check" in edit
    fill(app, worker, session_id, "wellness_check", person.id)
    assert session_complete(app, session_id)
    assert "Wellness visit" in text(worker.get("/admin/sessions/"))


def test_a_new_group_type_needs_its_group_form(app, worker, me, person, activity, new_types):
    assert "Choose the group activity." in text(
        worker.post("/admin/sessions/new/", data=wizard_form(app, lead_staff_id=str(me.id), session_type="walking_group"))
    )
    session_id = new_session(app, worker, me.id, session_type="walking_group", group_activity_id=str(activity))
    add_client(worker, session_id, person.id)
    assert form_id(app, session_id, "walker", person.id)  # an attendee gets the attendee form at once
    panel = worker.post(f"/admin/sessions/{session_id}/attendees/", data={f"client_attended-{person.id}": "Yes"})
    assert panel.status_code == 302
    assert form_state(app, form_id(app, session_id, "walker", person.id))[0]
    assert not session_complete(app, session_id), "a group activity needs its group form"
    refused = add_form(worker, session_id, "walk_log", person.id)
    assert "not offered" in text(worker.get(refused.location))
    add_form(worker, session_id, "walk_log")
    fill(app, worker, session_id, "walk_log")
    assert session_complete(app, session_id)


def test_a_form_kind_of_another_type_is_not_offered(app, worker, me, person, new_types):
    session_id = new_session(app, worker, me.id)
    add_client(worker, session_id, person.id)
    refused = add_form(worker, session_id, "wellness_check", person.id)
    assert "not offered for this session type" in text(worker.get(refused.location))
    assert 'value="wellness_check"' not in text(worker.get(f"/admin/sessions/edit/?id={session_id}"))


def session_count(app):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        return len(db.session.scalars(select(ServiceSession.id)).all())


def test_the_wizard_refuses_an_unknown_session_type(app, worker, me):
    before = session_count(app)
    response = worker.post("/admin/sessions/new/", data=wizard_form(app, lead_staff_id=str(me.id), session_type="nope"))
    assert response.status_code == 200
    assert "Choose a session type from the list." in text(response)
    assert session_count(app) == before


def test_the_model_refuses_an_unknown_session_type():
    with pytest.raises(UnknownSessionType, match="Unknown session type 'nope'"):
        ServiceSession(session_type="nope")
    assert ServiceSession(session_type="finance").type_label == "Direct Service (Finance)"


def test_a_session_of_a_type_no_longer_offered_still_opens(app, worker, me, person, monkeypatch):
    session_id = new_session(app, worker, me.id, session_type="finance")
    add_client(worker, session_id, person.id)
    monkeypatch.delitem(SESSION_TYPES, "finance")
    assert "finance (no longer offered)" in text(worker.get("/admin/sessions/"))
    edit = worker.get(f"/admin/sessions/edit/?id={session_id}")
    assert edit.status_code == 200 and "all forms added" in text(edit)
    assert '<option selected value="finance">finance (no longer offered)</option>' in text(edit)
    details = wizard_form(app, lead_staff_id=str(me.id), session_type="finance", notes="Kept as it was")
    assert worker.post(f"/admin/sessions/edit/?id={session_id}", data=details).status_code == 302
    row = session_row(app, session_id)
    assert (row.session_type, row.notes, row.type_label) == ("finance", "Kept as it was", "finance (no longer offered)")
    new = worker.post("/admin/sessions/new/", data=wizard_form(app, lead_staff_id=str(me.id), session_type="finance"))
    assert "Choose a session type from the list." in text(new)


def test_the_registries_are_restored_after_each_test():
    """Runs after the tests above (file order) added types and kinds, and removed one."""
    assert "wellness" not in SESSION_TYPES and "wellness_check" not in FORMS and "finance" in SESSION_TYPES

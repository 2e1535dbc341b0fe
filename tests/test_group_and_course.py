"""The attendee settings panel, the attendance register, and how clients are counted."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from extensions import db
from models import ALL_AGENCIES, GroupActivityName, ServiceSession, tenant_scope
from models.completeness import clients_served
from tests.conftest import demo_agency, field_tag, shown_with_its_error, text
from tests.sessions_helpers import (
    add_client,
    add_form,
    complete_answers,
    form_id,
    new_session,
    session_complete,
    session_row,
)

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture
def people(app, make):
    agency = demo_agency(app, "DEMO")
    return [make.client(agency, first_name=name, last_name="Attendee") for name in ("Ana", "Bilal", "Chen")]


@pytest.fixture
def anonymous(app, make):
    return make.client(demo_agency(app, "DEMO"), kind="anonymous", comments="walk-in")


def activity(app):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        return db.session.scalar(select(GroupActivityName.id).where(GroupActivityName.name == "DEMO coffee club"))


def test_attendee_settings_complete_every_attendee_form_at_once(app, worker, me, people, anonymous):
    session_id = new_session(app, worker, me.id, session_type="cc_group", group_activity_id=str(activity(app)))
    for person in people + [anonymous]:
        add_client(worker, session_id, person.id)
    add_form(worker, session_id, "cc_group")
    worker.post(f"/admin/sessions/{session_id}/forms/{form_id(app, session_id, 'cc_group')}/", data=complete_answers("cc_group"))
    page = text(worker.get(f"/admin/sessions/{session_id}/attendees/"))
    assert "Client attended" in page and "Referred By" in page and "Processing" not in page
    panel = {k: v for k, v in complete_answers("cc_attendee").items()}
    assert worker.post(f"/admin/sessions/{session_id}/attendees/", data=panel).status_code == 302
    session = session_row(app, session_id)
    attendee_forms = [f for f in session.forms if f.kind == "cc_attendee"]
    assert len(attendee_forms) == 4 and all(f.is_complete for f in attendee_forms)
    assert session_complete(app, session_id)


def test_attendee_settings_only_for_group_sessions(app, worker, me):
    direct = new_session(app, worker, me.id)
    assert worker.get(f"/admin/sessions/{direct}/attendees/").status_code == 404


def course_with_students(app, worker, me, people):
    course = new_session(app, worker, me.id, session_type="language_training")
    add_form(worker, course, "lt_course")
    worker.post(
        f"/admin/sessions/{course}/forms/{form_id(app, course, 'lt_course')}/",
        data={**complete_answers("lt_course"), "course_cd": "LINC-2"},
    )
    for person in people:
        add_client(worker, course, person.id)
        add_form(worker, course, "lt_enrolment", person.id)
    return course


def test_attendance_register_marks_many_at_once(app, worker, me, people):
    course = course_with_students(app, worker, me, people)
    for days in (7, 14):
        day = (date.today() - timedelta(days=days)).isoformat()
        assert worker.post(f"/admin/sessions/{course}/register/dates/", data={"class_date": day, "hours": "3"}).status_code == 302
    page = text(worker.get(f"/admin/sessions/{course}/register/"))
    assert "LINC-2" in page and all(p.first_name in page for p in people)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        classes = db.session.scalars(
            select(ServiceSession.id).where(ServiceSession.course_session_id == course).order_by(ServiceSession.service_date)
        ).all()
    ticks = {
        f"att-{classes[0]}-{people[0].id}": "on",
        f"att-{classes[0]}-{people[1].id}": "on",
        f"att-{classes[1]}-{people[2].id}": "on",
    }
    worker.post(f"/admin/sessions/{course}/register/", data=ticks)
    first_class = session_row(app, classes[0])
    attendance = {f.client_id: f.data["attended"] for f in first_class.forms if f.kind == "lt_attendance"}
    assert attendance == {people[0].id: "Yes", people[1].id: "Yes"}
    assert all(f.is_complete and f.data["hours"] == 3 for f in first_class.forms)
    worker.post(f"/admin/sessions/{course}/register/", data={f"att-{classes[1]}-{people[2].id}": "on"})  # unticked two
    attendance = {f.client_id: f.data["attended"] for f in session_row(app, classes[0]).forms}
    assert attendance == {people[0].id: "No", people[1].id: "No"}
    assert "checked" in text(worker.get(f"/admin/sessions/{course}/register/"))


def classes_of(app, course):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        return db.session.scalars(select(ServiceSession.id).where(ServiceSession.course_session_id == course)).all()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (date.today() + timedelta(days=1), "This date cannot be in the future."),
        ("2026-13-45", "“2026-13-45” is not a date: write it as YYYY-MM-DD (e.g. 2026-03-31)."),
        ("", "Enter the class date."),
    ],
)
def test_a_class_date_refused_is_shown_on_its_field_as_typed(app, worker, me, people, typed, message):
    course = course_with_students(app, worker, me, people)
    typed = typed.isoformat() if isinstance(typed, date) else typed
    response = worker.post(f"/admin/sessions/{course}/register/dates/", data={"class_date": typed, "hours": "3"})
    page = text(response)
    assert response.status_code == 200 and classes_of(app, course) == [] and "Nothing was saved" in page
    shown_with_its_error(page, "class_date", message)
    assert f'value="{typed}"' in field_tag(page, "class_date") and 'value="3"' in field_tag(page, "hours")
    assert f'action="/admin/sessions/{course}/register/"' in page  # the ticks still go to the register


def test_register_needs_a_course(app, worker, me):
    direct = new_session(app, worker, me.id)
    assert worker.get(f"/admin/sessions/{direct}/register/").status_code == 404


def test_anonymous_clients_count_once_per_session_named_once(app, worker, me, people, anonymous):
    def complete_direct_session(person):
        session_id = new_session(app, worker, me.id, client_id=str(person.id))
        worker.post(f"/admin/sessions/{session_id}/forms/{form_id(app, session_id, 'io')}/", data=complete_answers("io"))
        return session_id

    with app.app_context(), tenant_scope(demo_agency(app, "DEMO").id):
        before = clients_served()
    for _ in range(2):
        complete_direct_session(people[0])
        complete_direct_session(anonymous)
    incomplete = new_session(app, worker, me.id, client_id=str(people[1].id))  # not counted
    assert not session_complete(app, incomplete)
    with app.app_context(), tenant_scope(demo_agency(app, "DEMO").id):
        assert clients_served() - before == 1 + 2
    with app.app_context(), tenant_scope(demo_agency(app, "OTHER").id):
        assert clients_served() == 0  # the demo's OTHER session is incomplete, and DEMO's are not visible

"""Group activities: a tick per attendee, the panel's defaults from the session, quick attendees
checked against the clients already registered, and their profile completed through consent."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from extensions import db
from models import ALL_AGENCIES, Client, ServiceForm, tenant_scope
from models.privacy import ConsentRecord
from tests.conftest import demo_agency, demo_staff, text
from tests.sessions_helpers import add_client, complete_answers, new_session, session_row

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture
def people(app, make):
    agency = demo_agency(app, "DEMO")
    return [make.client(agency, first_name=name, last_name="Panelist") for name in ("Ana", "Bilal", "Chen")]


def group_session(app, worker, me, activity, **overrides):
    return new_session(app, worker, me.id, session_type="cc_group", group_activity_id=str(activity), **overrides)


def shared_answers():
    """The panel's answers for everyone: the required fields but the per-person ones."""
    return {k: v for k, v in complete_answers("cc_attendee").items() if k not in ("client_attended", "service_status")}


def attendance(app, session_id):
    forms = [f for f in session_row(app, session_id).forms if f.kind == "cc_attendee"]
    return {f.client_id: (f.data.get("client_attended"), f.data.get("service_status"), f.is_complete) for f in forms}


def test_each_attendee_gets_their_own_tick(app, worker, me, activity, people):
    session_id = group_session(app, worker, me, activity)
    for person in people:
        add_client(worker, session_id, person.id)
    page = text(worker.get(f"/admin/sessions/{session_id}/attendees/"))
    assert all(f'name="client_attended-{p.id}"' in page for p in people)
    ticks = {f"client_attended-{people[0].id}": "Yes", f"client_attended-{people[2].id}": "Yes"}
    status = {f"service_status-{people[2].id}": "Ended early", f"volunteer_minutes-{people[0].id}": "30"}
    response = worker.post(f"/admin/sessions/{session_id}/attendees/", data={**shared_answers(), **ticks, **status})
    assert response.status_code == 302
    assert attendance(app, session_id) == {
        people[0].id: ("Yes", None, True),
        people[1].id: ("No", None, True),
        people[2].id: ("Yes", "Ended early", True),
    }
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        minutes = db.session.scalar(select(ServiceForm).where(ServiceForm.client_id == people[0].id)).data["volunteer_minutes"]
    assert minutes == 30


def test_the_panel_starts_from_the_session_date_and_language(app, worker, me, activity, people):
    day = date(2026, 3, 4)
    session_id = group_session(app, worker, me, activity, service_date=day.isoformat(), languages=["French"])
    add_client(worker, session_id, people[0].id)
    page = text(worker.get(f"/admin/sessions/{session_id}/attendees/"))
    assert re.search(r'<input[^>]*name="service_start_dt"[^>]*value="2026-03-04"', page)
    assert '<option selected value="French">' in page


def test_a_per_person_choice_names_its_blank_option(app, worker, me, activity, people):
    """Each attendee's drop-down (the service status) starts blank: that option has a name for
    screen readers, in the page's language (WCAG 4.1.2), as the form macro's selects do."""
    session_id = group_session(app, worker, me, activity)
    add_client(worker, session_id, people[0].id)
    url = f"/admin/sessions/{session_id}/attendees/"
    status = re.search(rf'<select[^>]*name="service_status-{people[0].id}"[^>]*>\s*(<option[^>]*>)', text(worker.get(url)))
    assert 'value=""' in status.group(1) and 'aria-label="Nothing chosen"' in status.group(1)
    french = text(worker.get(url, headers={"Accept-Language": "fr-CA"}))
    assert 'aria-label="Aucun choix"' in french


def test_a_bad_per_person_answer_saves_nothing(app, worker, me, activity, people):
    session_id = group_session(app, worker, me, activity)
    for person in people:
        add_client(worker, session_id, person.id)
    before = attendance(app, session_id)
    sent = {**shared_answers(), f"client_attended-{people[0].id}": "Yes", f"volunteer_minutes-{people[1].id}": "lots"}
    response = worker.post(f"/admin/sessions/{session_id}/attendees/", data=sent)
    assert response.status_code == 200
    assert "Volunteer time (minutes): a whole number" in text(response) and "Nothing was saved" in text(response)
    assert attendance(app, session_id) == before


def clients_called(app, first, last):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        query = select(func.count(Client.id)).where(Client.first_name == first, Client.last_name == last)
        return db.session.scalar(query)


def quick(worker, session_id, **extra):
    data = {"first_name": "Amina", "last_name": "Yusuf", "gender": "Female", **extra}
    return worker.post(f"/admin/sessions/{session_id}/ad-hoc/", data=data)


def test_adding_the_same_quick_attendee_twice_makes_one_client(app, worker, me, activity):
    session_id = group_session(app, worker, me, activity)
    assert quick(worker, session_id).status_code == 302
    assert clients_called(app, "Amina", "Yusuf") == 1
    session = session_row(app, session_id)
    assert [f.kind for f in session.forms if f.client_id] == ["cc_attendee"]  # the attendee form, at once
    again = quick(worker, session_id)
    assert again.status_code == 200 and "already in this session" in text(again)
    assert clients_called(app, "Amina", "Yusuf") == 1

    other_session = group_session(app, worker, me, activity)
    offered = text(quick(worker, other_session, last_name="Yousuf"))  # a spelling variant is found too
    assert "Add Amina Yusuf to the session" in offered and clients_called(app, "Amina", "Yousuf") == 0
    amina = session.attendees[0].client_id
    assert add_client(worker, other_session, amina).status_code == 302
    assert [a.client_id for a in session_row(app, other_session).attendees] == [amina]


def test_someone_else_of_the_same_name_is_added_when_confirmed(app, worker, me, activity):
    session_id = group_session(app, worker, me, activity)
    quick(worker, session_id)
    assert quick(worker, session_id, confirm_new="1").status_code == 302
    assert clients_called(app, "Amina", "Yusuf") == 2


def test_a_quick_attendee_form_missing_a_name_is_refused(app, worker, me, activity):
    session_id = group_session(app, worker, me, activity)
    response = worker.post(f"/admin/sessions/{session_id}/ad-hoc/", data={"first_name": "Amina"}, follow_redirects=True)
    assert "Give the attendee&#39;s first name, last name and gender." in text(response)
    assert clients_called(app, "Amina", "") == 0 and not session_row(app, session_id).attendees


def test_completing_a_quick_attendee_goes_through_the_privacy_statement(app, worker, me, activity):
    session_id = group_session(app, worker, me, activity)
    quick(worker, session_id)
    client_id = session_row(app, session_id).attendees[0].client_id
    edit = worker.get(f"/admin/clients/edit/?id={client_id}")
    assert edit.status_code == 302 and f"/admin/register/?completing={client_id}" in edit.location
    statement = text(worker.get(edit.location))
    assert "Amina Yusuf was added quickly" in statement and f'name="completing" value="{client_id}"' in statement
    accepted = worker.post("/admin/register/consent/", data={"decision": "accept", "completing": str(client_id)})
    assert accepted.status_code == 302 and f"/admin/clients/edit/?id={client_id}" in accepted.location
    assert worker.get(accepted.location).status_code == 200
    site = str(demo_staff(app, "worker@demo.org").default_site_id)
    profile = {"first_name": "Amina", "last_name": "Yusuf", "gender": "Female", "registration_site_id": site}
    profile["date_of_birth"] = "1990-01-02"
    saved = worker.post(f"/admin/clients/edit/?id={client_id}", data={**profile, "expected_version": "1"})
    assert saved.status_code == 302, re.findall(r"(?:invalid-feedback d-block|alert-[a-z]+)[^>]*>([^<]+)", text(saved))
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        client = db.session.get(Client, client_id)
        kinds = db.session.scalars(select(ConsentRecord.kind).where(ConsentRecord.client_id == client_id)).all()
        assert not client.needs_profile and client.privacy_consent_at is not None and kinds == ["privacy"]
    assert worker.get(f"/admin/clients/edit/?id={client_id}").status_code == 200  # no statement again


def test_the_statement_for_completing_is_only_for_quick_attendees(app, worker, people):
    assert worker.get(f"/admin/register/?completing={people[0].id}").status_code == 404


def test_the_panel_refuses_an_end_before_the_start_and_saves_nobody(app, worker, me, activity, people):
    session_id = new_session(app, worker, me.id, session_type="io_group", group_activity_id=str(activity))
    add_client(worker, session_id, people[0].id)
    before = {f.id: dict(f.data) for f in session_row(app, session_id).forms}
    shared = {**complete_answers("io_attendee"), "start_dttm": "2026-11-20", "end_dttm": "2026-11-02"}
    response = worker.post(f"/admin/sessions/{session_id}/attendees/", data=shared)
    page = text(response)
    assert response.status_code == 200 and "The end date cannot be before the start date (2026-11-20)." in page
    assert 'value="2026-11-20"' in page and {f.id: dict(f.data) for f in session_row(app, session_id).forms} == before

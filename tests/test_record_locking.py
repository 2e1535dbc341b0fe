"""Optimistic locking on the pages of clients and sessions: a save from a page loaded before
someone else saved the same record is refused with what changed (which fields, who, when),
the typed input stays on the page, and saving again from there works."""

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

import custom_pages.client_record_edit
from extensions import db
from models import ALL_AGENCIES, CaseNote, ClientFile, GroupActivityName, ServiceForm, ServiceSession, tenant_scope
from models.record_history import check_version
from tests.conftest import demo_agency, demo_staff, text
from tests.locking_helpers import browser, page_form, refused
from tests.sessions_helpers import add_client, add_form, complete_answers, form_id, new_session, session_row

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture
def person(app, make):
    return make.client(demo_agency(app, "DEMO"), first_name="Amira", last_name="Locked")


@pytest.fixture
def colleague(app):
    """The agency admin, at another desk."""
    return browser(app, "admin@demo.org")


@pytest.fixture
def colleague_name(app):
    return demo_staff(app, "admin@demo.org").name


def row(app, model, row_id):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        found = db.session.get(model, row_id)
        db.session.expunge(found)
        return found


def stale_then_saved(worker, colleague, url, change, mine, action=None):
    """Load the page, let the colleague save ``change``, submit ``mine`` from the page as loaded
    (refused), then submit again from the refusal page (saved). Returns the refusal's text."""
    loaded = page_form(worker.get(url), action)
    assert colleague.post(url, data={**page_form(colleague.get(url), action), **change}).status_code == 302
    stale = worker.post(url, data={**loaded, **mine})
    assert refused(stale), text(stale)[:3000]
    again = worker.post(url, data={**page_form(stale, action), **mine})
    assert again.status_code == 302
    return text(stale)


def test_a_stale_service_form_save_shows_the_change_and_keeps_the_answers(app, worker, me, person, colleague, colleague_name):
    session_id = new_session(app, worker, me.id, client_id=str(person.id))
    url = f"/admin/sessions/{session_id}/forms/{form_id(app, session_id, 'io', person.id)}/"
    loaded = page_form(worker.get(url))
    theirs = {**page_form(colleague.get(url)), "postal_cd": "M5V 1A1"}
    assert colleague.post(url, data=theirs).status_code == 302
    stale = worker.post(url, data={**loaded, "postal_cd": "K1A 0B1 typed by me"})
    assert refused(stale)
    page = text(stale)
    assert colleague_name in page and "M5V 1A1" in page and "K1A 0B1 typed by me" in page
    assert row(app, ServiceForm, form_id(app, session_id, "io", person.id)).data["postal_cd"] == "M5V 1A1"
    worker.post(url, data={**page_form(stale), "postal_cd": "K1A 0B1 typed by me"})
    assert row(app, ServiceForm, form_id(app, session_id, "io", person.id)).data["postal_cd"] == "K1A 0B1 typed by me"


def test_a_current_service_form_save_works(app, worker, me, person):
    session_id = new_session(app, worker, me.id, client_id=str(person.id))
    url = f"/admin/sessions/{session_id}/forms/{form_id(app, session_id, 'io', person.id)}/"
    assert worker.post(url, data={**page_form(worker.get(url)), **complete_answers("io")}).status_code == 302
    assert row(app, ServiceForm, form_id(app, session_id, "io", person.id)).is_complete


def add_note(app, worker, person, body):
    worker.post(f"/admin/clients/{person.id}/notes/", data={"body": body})
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        return db.session.scalar(select(CaseNote.id).where(CaseNote.client_id == person.id))


def test_a_stale_case_note_save_is_refused(app, worker, person, colleague, colleague_name):
    note_id = add_note(app, worker, person, "Needs housing help")
    url = f"/admin/clients/{person.id}/notes/{note_id}/edit/"
    page = stale_then_saved(worker, colleague, url, {"body": "Housing found"}, {"body": "Needs housing and ESL"})
    assert colleague_name in page and "Note: Needs housing help → Housing found" in page
    assert "Needs housing and ESL" in page
    assert row(app, CaseNote, note_id).body == "Needs housing and ESL"


def test_the_race_between_check_and_commit_gives_the_same_refusal(app, worker, person, monkeypatch):
    """Someone commits between the version check and this commit: the ORM's version clause
    refuses the UPDATE (``StaleDataError``); nothing is saved and the page says so."""
    note_id = add_note(app, worker, person, "Before the race")
    url = f"/admin/clients/{person.id}/notes/{note_id}/edit/"
    loaded = page_form(worker.get(url))

    def check_then_someone_commits(note, submitted, fields=None):
        check_version(note, submitted, fields)
        with tenant_scope(ALL_AGENCIES), db.engine.begin() as connection:
            table = CaseNote.__table__
            connection.execute(update(table).where(table.c.id == note_id).values(body="Raced", version=table.c.version + 1))

    monkeypatch.setattr(custom_pages.client_record_edit, "check_version", check_then_someone_commits)
    stale = worker.post(url, data={**loaded, "body": "Mine, typed during the race"})
    assert refused(stale) and "Mine, typed during the race" in text(stale)
    assert row(app, CaseNote, note_id).body == "Raced"


def test_a_stale_file_details_save_is_refused(app, worker, person, colleague, colleague_name, upload_folder):
    data = {"file": (io.BytesIO(b"plain text"), "lease.txt"), "description": "Lease"}
    worker.post(f"/admin/clients/{person.id}/files/", data=data, content_type="multipart/form-data")
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        file_id = db.session.scalar(select(ClientFile.id).where(ClientFile.client_id == person.id))
    assert "/edit/" in text(worker.get(f"/admin/clients/{person.id}/?tab=files"))
    url = f"/admin/clients/{person.id}/files/{file_id}/edit/"
    page = stale_then_saved(worker, colleague, url, {"description": "Lease 2025"}, {"description": "Signed lease"})
    assert colleague_name in page and "Description: Lease → Lease 2025" in page and "Signed lease" in page
    assert row(app, ClientFile, file_id).description == "Signed lease"


def test_a_stale_session_save_is_refused(app, worker, me, colleague, colleague_name):
    session_id = new_session(app, worker, me.id)
    url = f"/admin/sessions/edit/?id={session_id}"
    page = stale_then_saved(worker, colleague, url, {"notes": "Fixed by the admin"}, {"notes": "My own notes"})
    assert colleague_name in page and "Notes: (empty) → Fixed by the admin" in page and "My own notes" in page
    assert session_row(app, session_id).notes == "My own notes"


def test_a_change_of_the_session_staff_alone_is_a_new_version(app, worker, me, colleague):
    session_id = new_session(app, worker, me.id)
    url = f"/admin/sessions/edit/?id={session_id}"
    loaded = page_form(worker.get(url))
    other = str(demo_staff(app, "coordinator@demo.org").id)
    assert colleague.post(url, data={**page_form(colleague.get(url)), "staff_ids": [other]}).status_code == 302
    stale = worker.post(url, data={**loaded, "notes": "mine"})
    assert refused(stale) and "Other staff involved" in text(stale)


@pytest.fixture
def people(app, make):
    return [make.client(demo_agency(app, "DEMO"), first_name=name, last_name="Panel") for name in ("Dana", "Emre")]


def group_with_attendee_forms(app, worker, me, people):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        activity = db.session.scalar(select(GroupActivityName.id).where(GroupActivityName.name == "DEMO coffee club"))
    session_id = new_session(app, worker, me.id, session_type="cc_group", group_activity_id=str(activity))
    for person in people:
        add_client(worker, session_id, person.id)
        add_form(worker, session_id, "cc_attendee", person.id)
    return session_id


def test_the_attendee_panel_refuses_when_any_attendee_form_changed(app, worker, me, people, colleague, colleague_name):
    session_id = group_with_attendee_forms(app, worker, me, people)
    panel = f"/admin/sessions/{session_id}/attendees/"
    loaded = page_form(worker.get(panel))
    assert loaded["versions"] and loaded["seen_event"]
    one = f"/admin/sessions/{session_id}/forms/{form_id(app, session_id, 'cc_attendee', people[1].id)}/"
    assert colleague.post(one, data={**page_form(colleague.get(one)), "client_attended": "No"}).status_code == 302
    stale = worker.post(panel, data={**loaded, **complete_answers("cc_attendee"), "client_attended": "Yes"})
    assert refused(stale) and colleague_name in text(stale) and people[1].display_name in text(stale)
    forms = [f for f in session_row(app, session_id).forms if f.kind == "cc_attendee"]
    assert {f.client_id: f.data.get("client_attended") for f in forms} == {people[0].id: None, people[1].id: "No"}
    again = worker.post(panel, data={**page_form(stale), **complete_answers("cc_attendee"), "client_attended": "Yes"})
    assert again.status_code == 302
    assert all(f.data["client_attended"] == "Yes" for f in session_row(app, session_id).forms if f.kind == "cc_attendee")


def test_the_attendee_panel_refuses_a_form_created_since_it_was_loaded(app, worker, me, people, colleague):
    session_id = group_with_attendee_forms(app, worker, me, people[:1])
    panel = f"/admin/sessions/{session_id}/attendees/"
    loaded = page_form(worker.get(panel))
    assert add_client(colleague, session_id, people[1].id).status_code == 302  # a group attendee gets their form at once
    stale = worker.post(panel, data={**loaded, **complete_answers("cc_attendee")})
    assert refused(stale) and "added" in text(stale)


def test_the_attendance_register_refuses_when_a_class_form_changed(app, worker, me, people, colleague, colleague_name):
    course = new_session(app, worker, me.id, session_type="language_training")
    add_form(worker, course, "lt_course")
    course_form = f"/admin/sessions/{course}/forms/{form_id(app, course, 'lt_course')}/"
    worker.post(course_form, data={**complete_answers("lt_course"), "course_cd": "LINC-3"})
    for person in people:
        add_client(worker, course, person.id)
        add_form(worker, course, "lt_enrolment", person.id)
    worker.post(f"/admin/sessions/{course}/register/dates/", data={"class_date": (date.today() - timedelta(days=7)).isoformat()})
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        first = db.session.scalar(select(ServiceSession.id).where(ServiceSession.course_session_id == course))
    register = f"/admin/sessions/{course}/register/"
    worker.post(register, data={f"att-{first}-{people[0].id}": "on"})
    loaded = page_form(worker.get(register), register)
    assert colleague.post(register, data={**page_form(colleague.get(register), register), f"att-{first}-{people[1].id}": "on"})
    mine = {f"att-{first}-{people[0].id}": "on", f"att-{first}-{people[1].id}": "on", f"att-{course}-{people[0].id}": "on"}
    stale = worker.post(register, data={k: v for k, v in {**loaded, **mine}.items() if not k.startswith("att-")} | mine)
    assert refused(stale) and colleague_name in text(stale) and people[0].display_name in text(stale)
    assert f'name="att-{course}-{people[0].id}"' in text(stale) and page_form(stale, register).get(f"att-{course}-{people[0].id}")
    attended = {f.client_id for f in session_row(app, course).forms if f.kind == "lt_attendance"}
    assert attended == set()  # nothing of mine saved
    assert worker.post(register, data={**page_form(stale, register), **mine}).status_code == 302
    assert {f.client_id for f in session_row(app, course).forms if f.kind == "lt_attendance"} == {people[0].id}


def test_a_stale_profile_save_names_the_fields_and_who(app, worker, person, colleague, colleague_name):
    url = f"/admin/clients/edit/?id={person.id}"
    site = {"registration_site_id": str(demo_staff(app, "worker@demo.org").default_site_id)}  # a picker, not a select
    change, mine = {**site, "comments": "Moved to Ottawa"}, {**site, "comments": "Prefers mornings"}
    page = stale_then_saved(worker, colleague, url, change, mine)
    assert colleague_name in page and "Moved to Ottawa" in page and "Prefers mornings" in page
    assert row(app, type(person), person.id).comments == "Prefers mornings"


def test_private_content_is_never_shown_in_the_refusal(app, worker, me, person):
    """A Private form's answers are "[private]" in the trail: the refusal names no value."""
    session_id = new_session(app, worker, me.id, client_id=str(person.id))
    url = f"/admin/sessions/{session_id}/forms/{form_id(app, session_id, 'io', person.id)}/"
    worker.post(url, data={**page_form(worker.get(url)), "is_private": "y"})
    loaded = page_form(worker.get(url))
    second = browser(app, "worker@demo.org")  # the author at another desk: Private forms are theirs
    second.post(url, data={**page_form(second.get(url)), "postal_cd": "Secret answer"})
    stale = worker.post(url, data={**loaded, "postal_cd": "Mine"})
    assert refused(stale) and "Secret answer" not in text(stale).split('data-testid="stale-record"')[1].split("</div>")[0]

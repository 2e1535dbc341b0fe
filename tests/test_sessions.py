"""The session wizard, the Clients and Forms table, one form per kind, and completeness."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from extensions import db
from models import ALL_AGENCIES, ServiceForm, ServiceSession, tenant_scope
from models.completeness import completed_sessions, incomplete_sessions
from tests.conftest import demo_agency, demo_staff, text
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


@pytest.fixture
def person(app, make):
    return make.client(demo_agency(app, "DEMO"), first_name="Nadia", last_name="Sayed", official_language="English")


def selected(page, name):
    select_html = re.search(rf'<select[^>]*name="{name}".*?</select>', page, re.S).group(0)
    return re.findall(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', select_html)


def test_wizard_defaults_are_those_of_ocms(app, worker, me):
    page = text(worker.get("/admin/sessions/new/"))
    assert '<option selected value="direct">' in page or 'value="direct" selected' in page
    assert f'value="{me.default_site_id}" selected' in page or f'selected value="{me.default_site_id}"' in page
    assert 'selected value="In Person"' in page or 'value="In Person" selected' in page
    assert re.search(r'<option selected value="English">', page) and not re.search(r'<option selected value="French">', page)
    assert re.search(
        r'name="at_point_of_entry"[^>]*value="no"[^>]*checked|checked[^>]*name="at_point_of_entry"[^>]*value="no"', page
    )
    assert re.search(
        r'name="interpreter_present"[^>]*value="no"[^>]*checked|checked[^>]*name="interpreter_present"[^>]*value="no"', page
    )
    assert date.today().isoformat() in page


@pytest.mark.parametrize("entry", ["menu", "registration wizard", "client dashboard"])
def test_wizard_is_reachable_from_each_entry_point(app, worker, person, entry):
    page = {
        "menu": "/admin/",
        "registration wizard": f"/admin/register/done/{person.id}/",
        "client dashboard": f"/admin/clients/{person.id}/",
    }[entry]
    link = "/admin/sessions/new/" + ("" if entry == "menu" else f"?client_id={person.id}")
    assert f'href="{link}"' in text(worker.get(page))
    assert worker.get(link).status_code == 200


def test_a_client_pre_filled_from_the_dashboard_is_added_with_an_io_form(app, worker, me, person):
    assert "Nadia Sayed" in text(worker.get(f"/admin/sessions/new/?client_id={person.id}"))
    session_id = new_session(app, worker, me.id, client_id=str(person.id))
    session = session_row(app, session_id)
    assert [a.client_id for a in session.attendees] == [person.id]
    assert [f.kind for f in session.forms] == ["io"]
    assert session.forms[0].data["start_dttm"] == date.today().isoformat()  # pre-filled from the session
    assert session.forms[0].data["service_official_language_id"] == "English"  # from the client profile


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"languages": []}, "Choose at least one language"),
        ({"interpreter_present": "yes", "interpreters": "0"}, "Give the number of interpreters"),
        ({"interpreter_present": "no", "interpreters": "2"}, "Set interpreters to 0"),
        ({"hours": "25"}, "Hours are 0 to 24"),
        ({"minutes": "60"}, "Minutes are 0 to 59"),
        ({"hours": "0", "minutes": "0"}, "cannot both be 0"),
        ({"hours": "abc"}, "Not a valid integer value"),
        ({"session_type": "cc_group"}, "Choose the group activity"),
        ({"funder_ids": []}, "Choose at least one funder"),
        ({"service_date": (date.today() + timedelta(days=2)).isoformat()}, "cannot be in the future"),
        ({"service_date": "2026-02-30"}, "“2026-02-30” is not a date: write it as YYYY-MM-DD"),
        ({"service_date": ""}, "Enter the service date."),
        ({"site_id": "99999"}, "Not a valid choice"),
    ],
)
def test_wizard_validation_shows_the_error_and_saves_nothing(app, worker, me, overrides, message):
    before = count_sessions(app)
    response = worker.post("/admin/sessions/new/", data=wizard_form(app, lead_staff_id=str(me.id), **overrides))
    assert response.status_code == 200 and message in text(response) and "Nothing was saved" in text(response)
    assert count_sessions(app) == before


def count_sessions(app):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        return db.session.query(ServiceSession).count()


def test_wizard_saves_everything_and_opens_the_clients_and_forms_table(app, worker, me):
    coordinator = demo_staff(app, "coordinator@demo.org")
    session_id = new_session(
        app,
        worker,
        me.id,
        interpreter_present="yes",
        interpreters="2",
        hours="1",
        minutes="15",
        languages=["English", "Arabic"],
        staff_ids=[str(coordinator.id)],
        notes="Met at the library",
    )
    session = session_row(app, session_id)
    assert (session.interpreter_present, session.interpreters, session.hours, session.minutes) == (True, 2, 1, 15)
    assert session.languages == ["English", "Arabic"] and [s.id for s in session.staff] == [coordinator.id]
    assert session.created_by_id == me.id and session.lead_staff_id == me.id
    page = text(worker.get(f"/admin/sessions/edit/?id={session_id}"))
    assert "Clients and Forms" in page and "Incomplete" in page


def test_only_registered_clients_of_this_agency_can_be_added(app, make, worker, me):
    session_id = new_session(app, worker, me.id)
    stranger = make.client(demo_agency(app, "OTHER"))
    assert add_client(worker, session_id, stranger.id).status_code == 404
    assert add_client(worker, session_id, 999999).status_code == 404
    assert session_row(app, session_id).attendees == []


def test_forms_offered_are_those_of_the_session_type(app, worker, me, person):
    session_id = new_session(app, worker, me.id, session_type="job_development")
    add_client(worker, session_id, person.id)
    page = text(worker.get(f"/admin/sessions/edit/?id={session_id}"))
    assert "Job Placement" in page and "Mentor/Tutor Match" in page and ">Needs Assessment</option>" not in page
    response = add_form(worker, session_id, "io", person.id)
    assert "not offered for this session type" in text(worker.get(response.location))


def test_one_form_of_each_kind_per_client(app, worker, me, person):
    session_id = new_session(app, worker, me.id)
    add_client(worker, session_id, person.id)  # comes with its I&O form
    response = add_form(worker, session_id, "io", person.id)
    assert "already has the Information &amp; Orientation form" in text(worker.get(response.location))
    assert len([f for f in session_row(app, session_id).forms if f.kind == "io"]) == 1


def test_the_database_refuses_a_second_form_of_a_kind(app, worker, me, person):
    session_id = new_session(app, worker, me.id)
    add_client(worker, session_id, person.id)
    with app.app_context(), tenant_scope(demo_agency(app, "DEMO").id):
        db.session.add(ServiceForm(session_id=session_id, client_id=person.id, kind="io", author_id=me.id, data={}))
        with pytest.raises(IntegrityError):
            db.session.commit()


def save_form(worker, session_id, row_id, answers):
    return worker.post(f"/admin/sessions/{session_id}/forms/{row_id}/", data=answers)


def test_completeness_follows_the_forms(app, worker, me, person, make):
    session_id = new_session(app, worker, me.id)
    assert not session_complete(app, session_id)  # no form at all
    add_client(worker, session_id, person.id)
    io = form_id(app, session_id, "io")
    assert not session_complete(app, session_id)
    page = text(worker.get(f"/admin/sessions/{session_id}/forms/{io}/"))
    assert "Incomplete:" in page and "Referred By" in page
    save_form(worker, session_id, io, complete_answers("io"))
    assert form_state(app, io)[0] and session_complete(app, session_id)
    with app.app_context(), tenant_scope(demo_agency(app, "DEMO").id):  # the helper reports build on
        assert session_id in db.session.scalars(completed_sessions().with_only_columns(ServiceSession.id)).all()
        assert session_id not in db.session.scalars(incomplete_sessions().with_only_columns(ServiceSession.id)).all()
    assert "badge-success" in text(worker.get(f"/admin/sessions/edit/?id={session_id}"))
    other = make.client(demo_agency(app, "DEMO"))
    add_client(worker, session_id, other.id)
    worker.post(f"/admin/sessions/{session_id}/forms/{form_id(app, session_id, 'io', other.id)}/remove/")
    assert not session_complete(app, session_id)  # a client with no form


def test_an_incomplete_form_can_still_be_saved(app, worker, me, person):
    session_id = new_session(app, worker, me.id, client_id=str(person.id))
    io = form_id(app, session_id, "io")
    response = save_form(worker, session_id, io, {"institution_type_id": "Public library"})
    assert response.status_code == 302 and "still incomplete" in text(worker.get(response.location))
    complete, data = form_state(app, io)
    assert not complete and data["institution_type_id"] == "Public library"


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("orientation_length_hours_no", "-3", "Number must be between 0 and 500"),
        ("orientation_length_hours_no", "many", "Not a valid integer value"),
        ("start_dttm", "31/12/2024", "“31/12/2024” is not a date: write it as YYYY-MM-DD"),
        ("institution_type_id", "A made-up place", "Not a valid choice"),
    ],
)
def test_bad_form_input_is_shown_on_the_field_and_nothing_saved(app, worker, me, person, field, value, message):
    session_id = new_session(app, worker, me.id, client_id=str(person.id))
    io = form_id(app, session_id, "io")
    before = form_state(app, io)[1]
    response = save_form(worker, session_id, io, {**complete_answers("io"), field: value})
    assert response.status_code == 200 and message in text(response)
    assert form_state(app, io)[1] == before


def test_my_incomplete_sessions(app, client, login, me, person, make):
    login("worker@demo.org")
    mine = new_session(app, client, me.id, client_id=str(person.id))
    assert f"/admin/sessions/edit/?id={mine}" in text(client.get("/admin/")).split('data-testid="incomplete-sessions"')[1]
    client.post("/logout")
    login("worker2@demo.org")
    assert f"/admin/sessions/edit/?id={mine}" not in text(client.get("/admin/"))
    client.post("/logout")
    login("coordinator@demo.org")  # the coordinator manages Wei: the team's sessions show
    assert f"/admin/sessions/edit/?id={mine}" in text(client.get("/admin/"))
    client.post("/logout")
    login("worker@demo.org")
    save_form(client, mine, form_id(app, mine, "io"), complete_answers("io"))
    assert f"/admin/sessions/edit/?id={mine}" not in text(client.get("/admin/"))


def test_service_history_lists_sessions_and_forms(app, worker, me, person):
    session_id = new_session(app, worker, me.id, client_id=str(person.id))
    page = text(worker.get(f"/admin/clients/{person.id}/?tab=history"))
    assert f"/admin/sessions/edit/?id={session_id}" in page and "Information &amp; Orientation: incomplete" in page


def test_session_grid_filters_by_completeness_and_worker(app, worker, me, person):
    done = new_session(app, worker, me.id, client_id=str(person.id), notes="done")
    save_form(worker, done, form_id(app, done, "io"), complete_answers("io"))
    open_one = new_session(
        app, worker, me.id, client_id=str(person.id), service_date=(date.today() - timedelta(days=3)).isoformat()
    )
    view = next(v for v in app.extensions["admin"][0]._views if getattr(v, "endpoint", "") == "sessions")
    index = {f.name: i for i, f in enumerate(view._filters)}
    complete = text(worker.get(f"/admin/sessions/?flt0_{index['Complete']}=1"))
    incomplete = text(worker.get(f"/admin/sessions/?flt0_{index['Complete']}=0"))
    assert f"id={done}" in complete and f"id={open_one}" not in complete
    assert f"id={open_one}" in incomplete and f"id={done}" not in incomplete
    assert f"id={done}" in text(worker.get(f"/admin/sessions/?flt0_{index['Worker']}={me.id}"))
    csv = text(worker.get("/admin/sessions/export/csv/"))
    assert "Direct Service" in csv


def test_another_agencys_session_pages_are_404(app, worker):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        other = db.session.scalar(select(ServiceSession).where(ServiceSession.agency_id == demo_agency(app, "OTHER").id))
        session_id, row_id, client_id = other.id, other.forms[0].id, other.attendees[0].client_id
    for path in ("/admin/sessions/edit/?id={s}", "/admin/sessions/{s}/forms/{f}/"):
        response = worker.get(path.format(s=session_id, f=row_id))
        assert response.status_code == 404
    posts = [
        f"/{session_id}/clients/",
        f"/{session_id}/ad-hoc/",
        f"/{session_id}/clients/{client_id}/remove/",
        f"/{session_id}/forms/",
        f"/{session_id}/forms/{row_id}/",
        f"/{session_id}/forms/{row_id}/remove/",
    ]
    for path in posts:
        assert worker.post("/admin/sessions" + path, data={"kind": "io", "client_id": client_id}).status_code == 404


def test_a_form_of_another_session_is_404_under_mine(app, worker, me, person):
    mine = new_session(app, worker, me.id)
    theirs = new_session(app, worker, me.id, client_id=str(person.id))
    assert worker.get(f"/admin/sessions/{mine}/forms/{form_id(app, theirs, 'io')}/").status_code == 404

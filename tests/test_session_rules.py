"""The session form and page: only the type's fields, an empty duration, a type fixed once the
session holds forms, removals confirmed, controls named, the grids' completeness and order."""

import re
from datetime import date, timedelta

import pytest

from extensions import db
from models import ALL_AGENCIES, ServiceSession, tenant_scope
from models.errors import InvalidEntry
from tests.conftest import demo_agency, text
from tests.sessions_helpers import (
    add_form,
    complete_answers,
    form_id,
    new_session,
    session_row,
    wizard_form,
)

pytestmark = pytest.mark.usefixtures("demo")


def save_form(worker, session_id, row_id, answers):
    return worker.post(f"/admin/sessions/{session_id}/forms/{row_id}/", data=answers)


@pytest.fixture
def person(app, make):
    return make.client(demo_agency(app, "DEMO"), first_name="Rules", last_name="Tester")


def hidden_boxes(page):
    """The type-specific boxes of the session form, and whether each is hidden."""
    boxes = re.findall(r'<div data-show-if="session_type" data-show-value="([^"]+)"( hidden)?>', page)
    return {("group" if "cc_group" in values else "course"): bool(hidden) for values, hidden in boxes}


def test_the_session_form_shows_only_the_fields_of_its_type(app, worker, me, activity):
    assert hidden_boxes(text(worker.get("/admin/sessions/new/"))) == {"group": True, "course": True}
    direct = new_session(app, worker, me.id)
    assert hidden_boxes(text(worker.get(f"/admin/sessions/edit/?id={direct}"))) == {"group": True, "course": True}
    group = new_session(app, worker, me.id, session_type="cc_group", group_activity_id=str(activity))
    assert hidden_boxes(text(worker.get(f"/admin/sessions/edit/?id={group}"))) == {"group": False, "course": True}
    course = new_session(app, worker, me.id, session_type="language_training")
    assert hidden_boxes(text(worker.get(f"/admin/sessions/edit/?id={course}"))) == {"group": True, "course": False}
    refused = worker.post("/admin/sessions/new/", data=wizard_form(app, lead_staff_id=str(me.id), session_type="cc_group"))
    assert "Choose the group activity." in text(refused)
    assert hidden_boxes(text(refused))["group"] is False  # shown again with its message


def test_the_duration_starts_empty_and_must_be_given(app, worker, me):
    page = text(worker.get("/admin/sessions/new/"))
    assert 'id="hours" max="24" min="0" name="hours" type="number" value=""' in page
    assert 'id="minutes" max="59" min="0" name="minutes" type="number" value=""' in page
    refused = worker.post("/admin/sessions/new/", data=wizard_form(app, lead_staff_id=str(me.id), hours="", minutes=""))
    assert refused.status_code == 200 and "hours and minutes cannot both be 0" in text(refused)
    session_id = new_session(app, worker, me.id, hours="", minutes="20")
    assert (session_row(app, session_id).hours, session_row(app, session_id).minutes) == (0, 20)


def edit(worker, app, me, session_id, **changes):
    data = wizard_form(app, lead_staff_id=str(me.id), expected_version=str(session_row(app, session_id).version), **changes)
    return worker.post(f"/admin/sessions/edit/?id={session_id}", data=data)


def test_the_type_cannot_change_once_the_session_holds_forms(app, worker, me, person, activity):
    empty = new_session(app, worker, me.id)
    assert edit(worker, app, me, empty, session_type="finance").status_code == 302
    assert session_row(app, empty).session_type == "finance"

    with_forms = new_session(app, worker, me.id, client_id=str(person.id))  # an I&O form at once
    page = text(worker.get(f"/admin/sessions/edit/?id={with_forms}"))
    assert "The type cannot change once the session holds forms." in page and 'value="cc_group"' not in page
    refused = edit(worker, app, me, with_forms, session_type="cc_group", group_activity_id=str(activity))
    assert refused.status_code == 200 and "remove its forms first" in text(refused)
    assert session_row(app, with_forms).session_type == "direct"


def test_the_model_refuses_a_type_change_of_a_session_with_forms(app, worker, me, person):
    session_id = new_session(app, worker, me.id, client_id=str(person.id))
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        session = db.session.get(ServiceSession, session_id)
        with pytest.raises(InvalidEntry) as refused:
            session.session_type = "finance"
        assert refused.value.field == "session_type"
        db.session.rollback()
    assert session_row(app, session_id).session_type == "direct"


def test_removing_a_form_asks_first_and_says_what_is_lost(app, worker, me, person):
    session_id = new_session(app, worker, me.id, client_id=str(person.id))
    io = form_id(app, session_id, "io", person.id)
    page = text(worker.get(f"/admin/sessions/edit/?id={session_id}"))
    assert "Remove form" in page and "Remove client" in page and "Add form" in page
    assert "[+]" not in page and "×" not in page
    confirm = text(worker.get(f"/admin/sessions/{session_id}/forms/{io}/remove/"))
    assert "Remove the Information &amp; Orientation form?" in confirm and "These answers will be lost" in confirm
    assert form_id(app, session_id, "io", person.id) == io  # asking removed nothing
    assert worker.post(f"/admin/sessions/{session_id}/forms/{io}/remove/").status_code == 302
    assert form_id(app, session_id, "io", person.id) is None


def test_removing_a_client_asks_first_and_lists_their_forms(app, worker, me, person):
    session_id = new_session(app, worker, me.id, client_id=str(person.id))
    add_form(worker, session_id, "needs_assessment", person.id)
    confirm = text(worker.get(f"/admin/sessions/{session_id}/clients/{person.id}/remove/"))
    assert "Remove Rules Tester from the session?" in confirm
    assert "Information &amp; Orientation" in confirm and "Needs Assessment" in confirm
    assert len(session_row(app, session_id).attendees) == 1
    assert worker.post(f"/admin/sessions/{session_id}/clients/{person.id}/remove/").status_code == 302
    assert not session_row(app, session_id).attendees and not session_row(app, session_id).forms


def test_the_sessions_grid_says_completeness_in_words(app, worker, me, person, make):
    done = new_session(app, worker, me.id, client_id=str(person.id), service_date=(date.today() - timedelta(days=1)).isoformat())
    save_form(worker, done, form_id(app, done, "io"), complete_answers("io"))
    other = make.client(demo_agency(app, "DEMO"))
    todo = new_session(app, worker, me.id, client_id=str(other.id))
    grid = text(worker.get("/admin/sessions/"))
    assert "Completeness" in grid
    rows = {int(m.group(1)): m.group(2) for m in re.finditer(r'edit/\?id=(\d+)".*?badge-(?:success|warning)">(\w+)<', grid, re.S)}
    assert rows[done] == "Complete" and rows[todo] == "Incomplete"
    assert list(rows).index(todo) < list(rows).index(done)  # newest first


def test_the_forms_grid_lists_the_newest_service_first(app, worker, me, person):
    def begun(days_ago):
        day = (date.today() - timedelta(days=days_ago)).isoformat()
        return new_session(app, worker, me.id, client_id=str(person.id), service_date=day)

    old, new, newer_old = begun(30), begun(2), begun(60)
    grid = text(worker.get("/admin/service-forms/?page_size=100"))
    order = [int(s) for s in re.findall(r"/admin/sessions/(\d+)/forms/", grid)]
    assert order.index(new) < order.index(old) < order.index(newer_old)


def test_the_only_way_to_begin_a_session_is_the_wizard(worker):
    grid = text(worker.get("/admin/sessions/"))
    assert "/admin/sessions/new/" in grid
    assert "Begin a session" in text(worker.get("/admin/sessions/new/"))


@pytest.mark.parametrize(("language", "begin"), [("en", "Begin a session"), ("fr-CA", "Commencer une séance")])
def test_the_session_grid_has_one_tab_to_the_wizard_named_as_everywhere_else(worker, language, begin):
    """Flask-Admin's "Create" tab is the wizard's: named "Begin a session", never beside a second
    tab to the same page."""
    grid = text(worker.get("/admin/sessions/", headers={"Accept-Language": language}))
    tabs = grid.split('<ul class="nav nav-tabs">', 1)[1].split("</ul>", 1)[0]  # the grid's tabs, not the menus
    wizard = re.findall(r'<a[^>]*href="/admin/sessions/new/[^"]*"[^>]*>([^<]*)</a>', tabs)
    assert [label.strip() for label in wizard] == [begin], wizard
    assert f'title="{begin}"' in tabs


def test_other_grids_keep_flask_admins_create_tab(login):
    sites = text(login("admin@demo.org").get("/admin/sites/"))
    assert 'title="Create New Record" class="nav-link">Create</a>' in sites

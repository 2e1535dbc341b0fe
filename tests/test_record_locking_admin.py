"""Optimistic locking on every Flask-Admin edit form (the one base view): a stale save is refused
with what changed and who, the typed input stays; changes to columns the form does not write are
merged; the race between check and commit is refused the same way."""

import pytest
from sqlalchemy import select, update

import admin_views.base
from extensions import db
from models import (
    ALL_AGENCIES,
    Agency,
    AgencyQuestion,
    Funder,
    GroupActivityName,
    Program,
    Site,
    Staff,
    tenant_scope,
)
from models.record_history import check_version
from tests.conftest import demo_agency, demo_staff, sign_in, text
from tests.locking_helpers import browser, page_form, refused

pytestmark = pytest.mark.usefixtures("demo")

# endpoint, model, a text field of its edit form and its label
EDIT_FORMS = [
    ("sites", Site, "city", "City"),
    ("programs", Program, "description", "Description"),
    ("funders", Funder, "name", "Name"),
    ("group-activities", GroupActivityName, "name", "Name"),
    ("questions", AgencyQuestion, "label", "Label"),
    ("staff", Staff, "title", "Title"),
    ("agency", Agency, "name", "Name"),
]


@pytest.fixture
def admins(app, make):
    """Two agency admins at two desks: the demo's and a second one."""
    second = make.staff(demo_agency(app, "DEMO"), role="agency_admin", first_name="Second", last_name="Admin")
    return browser(app, "admin@demo.org"), browser(app, second.email), second


def first_id(app, model):
    agency_id = demo_agency(app, "DEMO").id
    with app.app_context(), tenant_scope(agency_id):
        return db.session.scalar(select(model.id).order_by(model.id))


def value_of(app, model, row_id, name):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        return getattr(db.session.get(model, row_id), name)


@pytest.mark.parametrize(("endpoint", "model", "field", "label"), EDIT_FORMS, ids=[e[0] for e in EDIT_FORMS])
def test_a_stale_admin_edit_is_refused_with_what_changed(app, admins, endpoint, model, field, label):
    mine, theirs, second = admins
    url = f"/admin/{endpoint}/edit/?id={first_id(app, model)}"
    loaded = page_form(mine.get(url))
    assert loaded["expected_version"] and "seen_event" in loaded
    assert theirs.post(url, data={**page_form(theirs.get(url)), field: "Changed at the other desk"}).status_code == 302
    stale = mine.post(url, data={**loaded, field: "Typed at my desk"})
    assert refused(stale)
    page = text(stale)
    assert second.name in page and f"{label}: " in page and "→ Changed at the other desk" in page
    assert page_form(stale)[field] == "Typed at my desk"
    assert value_of(app, model, first_id(app, model), field) == "Changed at the other desk"
    again = mine.post(url, data={**page_form(stale), field: "Typed at my desk"})
    assert again.status_code == 302
    assert value_of(app, model, first_id(app, model), field) == "Typed at my desk"


def test_a_current_admin_edit_saves(app, admins):
    mine = admins[0]
    url = f"/admin/sites/edit/?id={first_id(app, Site)}"
    assert mine.post(url, data={**page_form(mine.get(url)), "city": "Halifax"}).status_code == 302
    assert value_of(app, Site, first_id(app, Site), "city") == "Halifax"


def test_a_change_the_form_does_not_write_is_merged(app, admins, make):
    """The staff member signs in while an admin edits their account: the admin's save goes
    through (sign-in wrote only columns the form does not hold) and keeps the sign-in time."""
    mine = admins[0]
    worker = make.staff(demo_agency(app, "DEMO"), first_name="Signing", last_name="In")
    url = f"/admin/staff/edit/?id={worker.id}"
    loaded = page_form(mine.get(url))
    assert sign_in(app.test_client(), worker.email).status_code == 302
    assert value_of(app, Staff, worker.id, "version") > int(loaded["expected_version"])
    assert mine.post(url, data={**loaded, "title": "Settlement worker"}).status_code == 302
    assert value_of(app, Staff, worker.id, "title") == "Settlement worker"
    assert value_of(app, Staff, worker.id, "last_sign_in_at") is not None


def test_a_change_of_a_list_field_is_a_change_of_the_row(app, admins, make):
    """A staff member's programs (many-to-many) changed at the other desk: the row's version moves."""
    mine, theirs, _ = admins
    worker = make.staff(demo_agency(app, "DEMO"), first_name="Program", last_name="Moved")
    url = f"/admin/staff/edit/?id={worker.id}"
    loaded = page_form(mine.get(url))
    programs = {**page_form(theirs.get(url)), "programs": [str(first_id(app, Program))]}
    assert theirs.post(url, data=programs).status_code == 302
    stale = mine.post(url, data={**loaded, "title": "Mine"})
    assert refused(stale) and "Programs" in text(stale)


def test_the_race_between_check_and_commit_is_refused_in_the_base_view(app, admins, monkeypatch):
    mine = admins[0]
    site_id = first_id(app, Site)
    url = f"/admin/sites/edit/?id={site_id}"
    loaded = page_form(mine.get(url))

    def check_then_someone_commits(row, submitted, fields=None):
        check_version(row, submitted, fields)
        with tenant_scope(ALL_AGENCIES), db.engine.begin() as connection:
            table = Site.__table__
            connection.execute(update(table).where(table.c.id == site_id).values(city="Raced", version=table.c.version + 1))

    monkeypatch.setattr(admin_views.base, "check_version", check_then_someone_commits)
    stale = mine.post(url, data={**loaded, "city": "Mine"})
    assert refused(stale) and value_of(app, Site, site_id, "city") == "Raced"


def test_a_worker_sees_who_changed_a_record_only_as_a_name(app, admins):
    """The refusal names the staff member and the time; it shows no audit row beyond the record."""
    mine, theirs, second = admins
    url = f"/admin/funders/edit/?id={first_id(app, Funder)}"
    loaded = page_form(mine.get(url))
    theirs.post(url, data={**page_form(theirs.get(url)), "code": "NEW"})
    page = text(mine.post(url, data={**loaded, "code": "MINE"}))
    assert second.name in page and second.email not in page and demo_staff(app, "admin@demo.org").email not in page


@pytest.mark.parametrize("version", ["x", "9" * 30, "-1", "²"])
def test_a_garbled_version_is_refused_not_an_error(app, admins, version):
    mine = admins[0]
    url = f"/admin/sites/edit/?id={first_id(app, Site)}"
    stale = mine.post(url, data={**page_form(mine.get(url)), "expected_version": version, "seen_event": version, "city": "X"})
    assert refused(stale) and value_of(app, Site, first_id(app, Site), "city") != "X"

"""Agency admins manage staff accounts; everyone reads the directory."""

import pytest
from sqlalchemy import select

from extensions import db
from models import ALL_AGENCIES, Staff, tenant_scope
from tests.conftest import sign_in

pytestmark = pytest.mark.usefixtures("demo")


def new_staff_form(**overrides):
    form = {
        "email": "New.Person@Demo.org",
        "first_name": "Nadia",
        "last_name": "Okafor",
        "title": "Counsellor",
        "phone": "416 555 0199",
        "role": "worker",
        "is_active": "y",
        "new_password": "a-long-password",
    }
    return {**form, **overrides}


def staff_by_email(app, email):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        staff = db.session.scalar(select(Staff).where(Staff.email == email))
        if staff is not None:
            db.session.expunge(staff)
        return staff


@pytest.fixture
def admin(client, login):
    return login("admin@demo.org")


def test_admin_creates_a_staff_member_who_can_sign_in(app, admin, client):
    response = admin.post("/admin/staff/new/", data=new_staff_form())
    assert response.status_code == 302
    created = staff_by_email(app, "new.person@demo.org")
    assert created.phone == "+1 416-555-0199"
    assert created.agency_id == staff_by_email(app, "admin@demo.org").agency_id
    client.post("/logout")
    assert sign_in(client, "new.person@demo.org", "a-long-password").location == "/admin/"


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("email", "not-an-email", "Enter a valid email address"),
        ("phone", "12", "Enter a valid phone number"),
        ("new_password", "short", "Use at least 10 characters"),
        ("email", "admin@other.org", "already used by another staff account"),
    ],
)
def test_bad_input_is_shown_and_nothing_saved(app, admin, field, value, message):
    response = admin.post("/admin/staff/new/", data=new_staff_form(**{field: value}))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert staff_by_email(app, "new.person@demo.org") is None


def test_a_new_staff_member_needs_a_password(app, admin):
    response = admin.post("/admin/staff/new/", data=new_staff_form(new_password=""))
    assert "Give the new staff member a password" in response.get_data(as_text=True)
    assert staff_by_email(app, "new.person@demo.org") is None


def test_admin_cannot_remove_their_own_admin_access(app, admin):
    me = staff_by_email(app, "admin@demo.org")
    form = new_staff_form(email="admin@demo.org", first_name="Amira", last_name="Haddad", role="worker", new_password="")
    response = admin.post(f"/admin/staff/edit/?id={me.id}", data=form)
    assert "cannot remove your own agency admin access" in response.get_data(as_text=True)
    assert staff_by_email(app, "admin@demo.org").role == "agency_admin"


def test_deactivating_in_the_grid_signs_the_person_out(app, admin):
    worker = staff_by_email(app, "worker@demo.org")
    other = app.test_client()
    sign_in(other, "worker@demo.org")
    assert other.get("/admin/").status_code == 200
    form = new_staff_form(email="worker@demo.org", first_name="Wei", last_name="Zhang", new_password="")
    del form["is_active"]
    assert admin.post(f"/admin/staff/edit/?id={worker.id}", data=form).status_code == 302
    assert staff_by_email(app, "worker@demo.org").is_active is False
    assert other.get("/admin/").status_code == 302


def test_staff_grid_never_shows_secrets(app, admin):
    worker = staff_by_email(app, "worker@demo.org")
    for url in ("/admin/staff/", f"/admin/staff/details/?id={worker.id}", "/admin/staff/export/csv/"):
        text = admin.get(url).get_data(as_text=True)
        assert "$argon2" not in text and worker.session_token not in text


def test_directory_lists_active_colleagues_with_contacts(app, client, login, make):
    login("worker@demo.org")
    text = client.get("/admin/directory/").get_data(as_text=True)
    for expected in ("Priya", "Employment Specialist", "Employment Services", "Scarborough Hub", "mailto:worker2@demo.org"):
        assert expected in text
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        db.session.scalar(select(Staff).where(Staff.email == "worker2@demo.org")).is_active = False
        db.session.commit()
    assert "Priya" not in client.get("/admin/directory/").get_data(as_text=True)


def test_home_page_greets_with_agency_role_site_and_programs(client, login):
    login("worker2@demo.org")
    text = client.get("/admin/").get_data(as_text=True)
    for expected in ("Welcome, Priya", "Demo Settlement Agency", "Worker", "Scarborough Hub", "Employment Services"):
        assert expected in text


def test_agency_admin_edits_the_privacy_statement(app, admin):
    agency_id = staff_by_email(app, "admin@demo.org").agency_id
    form = {
        "name": "Demo Settlement Agency",
        "privacy_statement_en": "New statement",
        "privacy_statement_fr": "Nouvelle déclaration",
        "privacy_statement_version": "2",
    }
    assert admin.post(f"/admin/agency/edit/?id={agency_id}", data=form).status_code == 302
    assert "New statement" in admin.get(f"/admin/agency/details/?id={agency_id}").get_data(as_text=True)

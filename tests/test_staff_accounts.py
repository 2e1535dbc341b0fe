"""Staff self-service: my profile (versioned), my password, an agency admin resetting a
colleague's two-step sign-in (audited), and two-step recovery codes."""

import re
import time

import pyotp
import pytest
from sqlalchemy import func, select

from extensions import db
from models import ALL_AGENCIES, AuditEvent, Funder, Program, Site, Staff, tenant_scope
from models.recovery_codes import RecoveryCode
from tests.conftest import DEMO_PASSWORD, sign_in, text

pytestmark = pytest.mark.usefixtures("demo")

NEW_PASSWORD = "lantern orchard velvet cascade"
SECRET = pyotp.random_base32()


def staff_row(app, email):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        row = db.session.scalar(select(Staff).where(Staff.email == email))
        db.session.expunge(row)
        return row


def set_values(app, email, **values):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        row = db.session.scalar(select(Staff).where(Staff.email == email))
        for name, value in values.items():
            setattr(row, name, value)
        db.session.commit()


def first_id(app, model, agency_code="DEMO"):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        agency_id = db.session.scalar(select(Staff.agency_id).where(Staff.email == f"admin@{agency_code.lower()}.org"))
        return db.session.scalar(select(model.id).where(model.agency_id == agency_id).order_by(model.id))


def hidden(page, name):
    return re.search(rf'name="{name}"[^>]*value="([^"]*)"', page)[1]


def profile_form(page, **changes):
    form = {
        "title": "Settlement Counsellor",
        "phone": "416-555-0123",
        "reply_to_email": "wei.zhang@demo.org",
        "default_site_id": "",
        "default_funder_id": "",
        "default_program_id": "",
        "interface_language": "",
        "expected_version": hidden(page, "expected_version"),
        "seen_event": hidden(page, "seen_event"),
    }
    return {**form, **changes}


# My profile


def test_i_edit_my_own_profile(app, worker):
    page = text(worker.get("/admin/my-account/"))
    site, funder, program = first_id(app, Site), first_id(app, Funder), first_id(app, Program)
    form = profile_form(page, default_site_id=str(site), default_funder_id=str(funder), default_program_id=str(program))
    response = worker.post("/admin/my-account/", data=form)
    assert response.status_code == 302 and "saved" in text(worker.get(response.location))
    me = staff_row(app, "worker@demo.org")
    assert (me.title, me.phone, me.reply_to_email) == ("Settlement Counsellor", "+1 416-555-0123", "wei.zhang@demo.org")
    assert (me.default_site_id, me.default_funder_id, me.default_program_id) == (site, funder, program)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.record_type == "staff").order_by(AuditEvent.id.desc()))
        assert event.action == "update" and event.staff_id == me.id and "default_funder_id" in event.changes


def test_my_defaults_start_the_session_wizard(app, worker):
    funder, program = first_id(app, Funder), first_id(app, Program)
    set_values(app, "worker@demo.org", default_funder_id=funder, default_program_id=program)
    page = text(worker.get("/admin/sessions/new/"))
    for name, value in (("funder_ids", funder), ("program_id", program)):
        select_html = re.search(rf'<select[^>]*name="{name}".*?</select>', page, re.S)[0]
        assert re.search(rf'selected value="{value}"|value="{value}" selected', select_html), name


def test_my_interface_language_is_used(app, worker):
    page = text(worker.get("/admin/my-account/"))
    response = worker.post("/admin/my-account/", data=profile_form(page, interface_language="fr_CA"))
    assert staff_row(app, "worker@demo.org").interface_language == "fr_CA"
    page = text(worker.get(response.location))
    assert 'lang="fr-CA"' in page and "Votre profil est enregistré." in page  # the confirmation too


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "12", "valid phone number"),
        ("reply_to_email", "not an email", "valid email address"),
        ("title", "x" * 101, "100 characters"),
        ("default_site_id", "999999", "Not a valid choice"),
        ("interface_language", "de", "Not a valid choice"),
    ],
)
def test_bad_input_is_shown_on_its_field_and_nothing_is_saved(app, worker, field, value, message):
    before = staff_row(app, "worker@demo.org")
    page = text(worker.get("/admin/my-account/"))
    response = worker.post("/admin/my-account/", data=profile_form(page, **{field: value}))
    after = staff_row(app, "worker@demo.org")
    assert response.status_code == 400 and message in text(response)
    assert f'id="{field}-errors"' in text(response)
    assert (after.title, after.phone, after.version) == (before.title, before.phone, before.version)


def test_an_unreadable_version_is_refused(app, worker):
    page = text(worker.get("/admin/my-account/"))
    response = worker.post("/admin/my-account/", data=profile_form(page, expected_version="not a number", title="Mine"))
    assert response.status_code == 409 and staff_row(app, "worker@demo.org").title != "Mine"


def test_another_agencys_site_is_not_a_choice(app, worker):
    page = text(worker.get("/admin/my-account/"))
    other_site = first_id(app, Site, "OTHER")
    assert f'value="{other_site}"' not in page.split('name="default_site_id"')[1].split("</select>")[0]
    response = worker.post("/admin/my-account/", data=profile_form(page, default_site_id=str(other_site)))
    assert response.status_code == 400 and staff_row(app, "worker@demo.org").default_site_id != other_site


def test_a_stale_save_is_refused_and_a_sign_in_elsewhere_is_merged(app, client, worker):
    page = text(worker.get("/admin/my-account/"))
    sign_in(app.test_client(), "worker@demo.org")  # another sign-in: last_sign_in_at changes, not the profile
    response = worker.post("/admin/my-account/", data=profile_form(page))
    assert response.status_code == 302
    page = text(worker.get("/admin/my-account/"))
    set_values(app, "worker@demo.org", title="Changed by the admin")
    response = worker.post("/admin/my-account/", data=profile_form(page, title="Mine"))
    assert response.status_code == 409 and "Changed by the admin" in text(response)
    assert staff_row(app, "worker@demo.org").title == "Changed by the admin"


def test_the_profile_page_needs_a_sign_in(client):
    response = client.get("/admin/my-account/")
    assert response.status_code == 302 and "/login" in response.location
    assert client.post("/admin/my-account/password/").status_code == 302


def test_the_navigation_bar_links_to_my_account(worker):
    assert 'href="/admin/my-account/"' in text(worker.get("/admin/"))


# My password


def change(client, current=DEMO_PASSWORD, new=NEW_PASSWORD, confirm=None):
    data = {"current_password": current, "new_password": new, "confirm": new if confirm is None else confirm}
    return client.post("/admin/my-account/password/", data=data)


def test_i_change_my_password_and_my_other_sessions_end(app, worker):
    elsewhere = app.test_client()
    assert sign_in(elsewhere, "worker@demo.org").location == "/admin/"
    response = change(worker)
    assert response.status_code == 302 and "other sessions were signed out" in text(worker.get(response.location))
    assert worker.get("/admin/").status_code == 200  # this session goes on
    assert elsewhere.get("/admin/").status_code == 302  # that one ended
    assert sign_in(app.test_client(), "worker@demo.org", NEW_PASSWORD).location == "/admin/"


@pytest.mark.parametrize(
    ("current", "new", "confirm", "field", "message"),
    [
        ("wrong password", NEW_PASSWORD, None, "current_password", "not your current password"),
        (DEMO_PASSWORD, "short", None, "new_password", "at least"),
        (DEMO_PASSWORD, "wei zhang is my name", None, "new_password", "name"),
        (DEMO_PASSWORD, NEW_PASSWORD, "something else", "confirm", "not the same"),
        ("", NEW_PASSWORD, None, "current_password", "required"),
    ],
)
def test_a_refused_password_change_says_why_and_changes_nothing(app, worker, current, new, confirm, field, message):
    before = staff_row(app, "worker@demo.org")
    response = change(worker, current, new, confirm)
    assert response.status_code == 400 and message in text(response).lower()
    assert f'id="{field}-errors"' in text(response)
    after = staff_row(app, "worker@demo.org")
    assert (after.password_hash, after.session_token) == (before.password_hash, before.session_token)


def test_guessing_the_current_password_is_throttled(app, worker):
    for _ in range(5):
        assert change(worker, "wrong password").status_code == 400
    response = change(worker)
    assert response.status_code == 429 and "Too many failed" in text(response)
    assert sign_in(app.test_client(), "worker@demo.org", NEW_PASSWORD).status_code == 200  # not changed


# An agency admin resets a colleague's two-step sign-in


def code(offset=0):
    return pyotp.TOTP(SECRET).at(time.time() + 30 * offset)


def reset_url(app, email):
    return f"/admin/staff/{staff_row(app, email).id}/reset-two-step/"


def test_an_admin_resets_a_colleagues_two_step_sign_in(app, client, login):
    set_values(app, "worker@demo.org", totp_secret=SECRET)
    worker_client = app.test_client()
    assert sign_in(worker_client, "worker@demo.org").location == "/login/code"
    admin = login("admin@demo.org")
    edit = text(admin.get(f"/admin/staff/edit/?id={staff_row(app, 'worker@demo.org').id}"))
    assert 'data-testid="reset-two-step"' in edit
    response = admin.post(reset_url(app, "worker@demo.org"))
    assert response.status_code == 302 and "is reset for Wei Zhang" in text(admin.get(response.location))
    assert staff_row(app, "worker@demo.org").totp_secret is None
    assert sign_in(app.test_client(), "worker@demo.org").location == "/admin/"  # the password alone now
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "two_step_reset"))
        assert event.staff_id == staff_row(app, "admin@demo.org").id and event.record_id == staff_row(app, "worker@demo.org").id


def test_the_reset_is_refused_to_others(app, client, login):
    set_values(app, "worker2@demo.org", totp_secret=SECRET)
    for email in ("worker@demo.org", "coordinator@demo.org"):
        assert login(email).post(reset_url(app, "worker2@demo.org")).status_code == 403
        client.post("/logout")
    assert login("admin@other.org").post(reset_url(app, "worker2@demo.org")).status_code == 404
    assert staff_row(app, "worker2@demo.org").totp_secret == SECRET


def test_an_admin_cannot_reset_their_own_here(app, login):
    set_values(app, "admin@demo.org", totp_secret=SECRET)
    admin_client = app.test_client()
    sign_in(admin_client, "admin@demo.org")
    assert admin_client.post("/login/code", data={"code": code()}).location == "/admin/"
    response = admin_client.post(reset_url(app, "admin@demo.org"))
    assert response.status_code == 302 and staff_row(app, "admin@demo.org").totp_secret == SECRET


# Recovery codes


def with_codes(app, client, password=DEMO_PASSWORD, offset=0):
    """Turn two-step sign-in on for the demo worker, sign in, make codes; returns them."""
    response = client.post("/two-step/recovery-codes", data={"codes-password": password, "codes-code": code(offset)})
    assert response.status_code == 200, text(response)
    assert response.headers["Cache-Control"] == "no-store"
    return re.findall(r"<li><code>([a-z0-9-]+)</code></li>", text(response))


@pytest.fixture
def signed_in_with_totp(app, client):
    set_values(app, "worker@demo.org", totp_secret=SECRET, totp_last_step=None)
    assert sign_in(client, "worker@demo.org").location == "/login/code"
    assert client.post("/login/code", data={"code": code(-1)}).location == "/admin/"
    return client


def recovery_sign_in(app, recovery_code):
    other = app.test_client()
    sign_in(other, "worker@demo.org")
    return other.post("/login/code", data={"code": recovery_code})


def test_ten_codes_shown_once_stored_hashed_each_usable_once(app, signed_in_with_totp):
    codes = with_codes(app, signed_in_with_totp)
    assert len(codes) == 10 and len(set(codes)) == 10
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        hashes = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(hashes) == 10 and not any(c.replace("-", "") in h for c in codes for h in hashes)
    assert codes[0] not in text(signed_in_with_totp.get("/two-step"))
    assert "Unused codes: 10." in text(signed_in_with_totp.get("/two-step"))
    response = recovery_sign_in(app, codes[0].upper().replace("-", " "))  # as typed from paper
    assert response.location == "/admin/"
    assert recovery_sign_in(app, codes[0]).status_code == 200  # once only
    assert "Unused codes: 9." in text(signed_in_with_totp.get("/two-step"))


def test_new_codes_end_the_old_ones(app, signed_in_with_totp):
    old = with_codes(app, signed_in_with_totp)
    new = with_codes(app, signed_in_with_totp, offset=1)
    assert recovery_sign_in(app, old[1]).status_code == 200
    assert recovery_sign_in(app, new[1]).location == "/admin/"


def test_making_codes_needs_the_password_and_a_code(app, signed_in_with_totp):
    response = signed_in_with_totp.post("/two-step/recovery-codes", data={"codes-password": "wrong", "codes-code": code()})
    assert response.status_code == 302
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert db.session.scalar(select(func.count(RecoveryCode.id))) == 0


def test_a_wrong_recovery_code_counts_as_a_failed_attempt(app, signed_in_with_totp):
    with_codes(app, signed_in_with_totp)
    for _ in range(5):
        assert recovery_sign_in(app, "aaaaa-aaaaa").status_code == 200
    response = sign_in(app.test_client(), "worker@demo.org")
    assert response.status_code == 200 and "Too many failed" in text(response)


def test_turning_two_step_off_or_an_admin_reset_removes_the_codes(app, client, signed_in_with_totp, login):
    codes = with_codes(app, signed_in_with_totp)
    admin = app.test_client()
    sign_in(admin, "admin@demo.org")
    admin.post(reset_url(app, "worker@demo.org"))
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert db.session.scalar(select(func.count(RecoveryCode.id))) == 0
    assert signed_in_with_totp.get("/admin/").status_code == 302  # the reset ended the worker's sessions
    assert codes

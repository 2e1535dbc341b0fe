"""Optional two-step sign-in (TOTP): turning it on and off, the code page after the password,
replayed and wrong codes, the throttle, and admins whose agency requires it."""

import re
import time

import pyotp
import pytest
from sqlalchemy import func, select

from custom_pages.auth import PENDING_TWO_STEP
from custom_pages.two_step import REQUIRED as REQUIRED_MESSAGE
from custom_pages.two_step import SETUP_NONCE
from custom_pages.two_step import WRONG_CODE as WRONG_CODE_MESSAGE
from extensions import db
from models import ALL_AGENCIES, Agency, SignInAttempt, Staff, tenant_scope
from tests.conftest import DEMO_PASSWORD, sign_in, text

pytestmark = pytest.mark.usefixtures("demo")

SECRET = pyotp.random_base32()
WRONG_CODE, REQUIRED = str(WRONG_CODE_MESSAGE), str(REQUIRED_MESSAGE)  # English: outside a request


PASSWORD = DEMO_PASSWORD


def key_on(page):
    """The key the settings page shows, in groups of four, as typed into an app."""
    return re.search(r'data-testid="two-step-secret">([A-Z2-7 ]+)<', page)[1].replace(" ", "")


def code(offset=0):
    """The code for the current time step (``offset`` steps later)."""
    return pyotp.TOTP(SECRET).at(time.time() + 30 * offset)


def wrong_code(secret=SECRET):
    """A code that is none of the three accepted now."""
    window = {pyotp.TOTP(secret).at(time.time() + 30 * offset) for offset in (-1, 0, 1, 2)}
    return next(candidate for candidate in ("123456", "654321", "111111", "222222") if candidate not in window)


def update(app, model, where, **values):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        row = db.session.scalar(select(model).where(where))
        for name, value in values.items():
            setattr(row, name, value)
        db.session.commit()


def staff(app, email):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        row = db.session.scalar(select(Staff).where(Staff.email == email))
        db.session.expunge(row)
        return row


def failures(app, email):
    with app.app_context():
        query = select(func.count(SignInAttempt.id)).where(SignInAttempt.email == email, SignInAttempt.succeeded.is_(False))
        return db.session.scalar(query)


@pytest.fixture
def with_totp(app):
    """The demo worker has two-step sign-in on."""
    update(app, Staff, Staff.email == "worker@demo.org", totp_secret=SECRET, totp_last_step=None)


def require_for_admins(app):
    update(app, Agency, Agency.code == "DEMO", two_step_for_admins=True)


# Turning it on and off


def test_any_staff_member_can_turn_it_on_after_confirming_a_code(app, worker):
    page = text(worker.get("/admin/"))
    assert 'href="/two-step"' in page and "Two-step sign-in" in page
    page = text(worker.get("/two-step"))
    secret = key_on(page)
    with worker.session_transaction() as session:
        assert secret not in str(dict(session))  # the cookie holds a nonce, never the secret
        assert SETUP_NONCE in session
    assert "<svg" in page and "otpauth://totp/OCMS-Flask:worker%40demo.org?secret=" + secret in page
    assert secret[:4] + " " + secret[4:8] in page  # the key, typed by hand, in groups of four
    assert text(worker.get("/two-step")).count(secret[:4] + " ") == 1  # a reload keeps the same key

    wrong = worker.post("/two-step/enable", data={"password": PASSWORD, "code": wrong_code(secret)}, follow_redirects=True)
    assert WRONG_CODE in text(wrong) and staff(app, "worker@demo.org").totp_secret is None
    no_password = worker.post("/two-step/enable", data={"password": "guess", "code": pyotp.TOTP(secret).now()})
    assert no_password.status_code == 302 and staff(app, "worker@demo.org").totp_secret is None
    right = worker.post("/two-step/enable", data={"password": PASSWORD, "code": pyotp.TOTP(secret).now()}, follow_redirects=True)
    assert "Two-step sign-in is on" in text(right)
    assert staff(app, "worker@demo.org").totp_secret == secret
    assert 'data-testid="two-step-on"' in text(worker.get("/two-step"))


def test_turning_it_off_needs_the_password_and_a_code(app, client, with_totp):
    sign_in(client, "worker@demo.org")
    client.post("/login/code", data={"code": code()})
    response = client.post("/two-step/disable", data={"password": "wrong-password", "code": code(1)}, follow_redirects=True)
    assert "The password or the code is not right" in text(response)
    assert staff(app, "worker@demo.org").totp_secret == SECRET and failures(app, "worker@demo.org") == 1
    response = client.post("/two-step/disable", data={"password": "demo-password", "code": code(1)}, follow_redirects=True)
    assert "Two-step sign-in is off" in text(response) and staff(app, "worker@demo.org").totp_secret is None


def test_the_secret_never_shows_in_the_staff_grid(app, client, login, with_totp):
    login("admin@demo.org")
    worker = staff(app, "worker@demo.org")
    for url in (f"/admin/staff/details/?id={worker.id}", "/admin/staff/export/csv/"):
        assert SECRET not in text(client.get(url))


# Signing in


def test_password_then_code_signs_in(app, client, with_totp):
    response = sign_in(client, "worker@demo.org")
    assert response.location == "/login/code"
    assert client.get("/admin/").status_code == 302  # not signed in yet
    response = client.post("/login/code", data={"code": code()})
    assert response.status_code == 302 and response.location == "/admin/"
    assert "Welcome, Wei" in text(client.get("/admin/"))
    assert staff(app, "worker@demo.org").last_sign_in_at is not None


def test_the_next_page_is_kept_through_the_code_page(client, with_totp):
    client.post("/login?next=/admin/clients/", data={"email": "worker@demo.org", "password": "demo-password"})
    assert client.post("/login/code", data={"code": code()}).location == "/admin/clients/"


def test_a_wrong_code_is_refused_and_counted(app, client, with_totp):
    sign_in(client, "worker@demo.org")
    response = client.post("/login/code", data={"code": wrong_code()})
    assert response.status_code == 200 and WRONG_CODE in text(response)
    assert failures(app, "worker@demo.org") == 1
    assert client.get("/admin/").status_code == 302


def test_a_code_works_only_once(app, client, with_totp):
    used = code()
    sign_in(client, "worker@demo.org")
    assert client.post("/login/code", data={"code": used}).location == "/admin/"
    client.post("/logout")
    sign_in(client, "worker@demo.org")
    response = client.post("/login/code", data={"code": used})
    assert WRONG_CODE in text(response) and client.get("/admin/").status_code == 302
    assert client.post("/login/code", data={"code": code(1)}).location == "/admin/"  # the next code works


def test_wrong_codes_lock_the_account_like_wrong_passwords(app, client, with_totp):
    sign_in(client, "worker@demo.org")
    wrong = wrong_code()
    for _ in range(5):
        client.post("/login/code", data={"code": wrong})
    response = client.post("/login/code", data={"code": code()}, follow_redirects=True)
    assert "Too many failed sign-in attempts" in text(response)
    assert client.get("/admin/").status_code == 302
    assert "Too many failed sign-in attempts" in text(sign_in(client, "worker@demo.org"))


def test_a_correct_password_does_not_reset_the_throttle_for_codes(app, client, with_totp):
    wrong = wrong_code()
    for _ in range(4):
        sign_in(client, "worker@demo.org")
        client.post("/login/code", data={"code": wrong})
    sign_in(client, "worker@demo.org")
    client.post("/login/code", data={"code": wrong})
    assert "Too many failed sign-in attempts" in text(sign_in(client, "worker@demo.org"))


@pytest.mark.parametrize("url", ["/admin/", "/admin/clients/", "/admin/staff/", "/admin/sites/new/", "/two-step"])
def test_the_pending_state_reaches_no_page(client, with_totp, url):
    sign_in(client, "worker@demo.org")
    response = client.get(url)
    assert response.status_code == 302 and response.location.startswith("/login")


def test_the_pending_state_expires(client, with_totp):
    sign_in(client, "worker@demo.org")
    with client.session_transaction() as session:
        session[PENDING_TWO_STEP] = {**session[PENDING_TWO_STEP], "until": time.time() - 1}
    response = client.post("/login/code", data={"code": code()}, follow_redirects=True)
    assert "waited too long" in text(response) and client.get("/admin/").status_code == 302


def test_a_password_change_cancels_the_pending_state(app, client, with_totp):
    sign_in(client, "worker@demo.org")
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        db.session.scalar(select(Staff).where(Staff.email == "worker@demo.org")).end_all_sessions()
        db.session.commit()
    assert client.post("/login/code", data={"code": code()}).location == "/login"


def test_staff_without_two_step_sign_in_as_before(client):
    assert sign_in(client, "worker@demo.org").location == "/admin/"


# Required for agency admins


def test_an_admin_must_set_it_up_when_the_agency_requires_it(app, client, login):
    require_for_admins(app)
    login("admin@demo.org")
    for url in ("/admin/", "/admin/clients/", "/admin/staff/"):
        response = client.get(url)
        assert response.status_code == 302 and response.location == "/two-step", url
    assert REQUIRED in text(client.get("/two-step"))
    secret = key_on(text(client.get("/two-step")))
    client.post("/two-step/enable", data={"password": PASSWORD, "code": pyotp.TOTP(secret).now()})
    assert client.get("/admin/staff/").status_code == 200


def test_the_requirement_is_for_admins_only(app, client, login):
    require_for_admins(app)
    login("worker@demo.org")
    assert client.get("/admin/").status_code == 200


def test_a_required_admin_cannot_turn_it_off(app, client):
    require_for_admins(app)
    update(app, Staff, Staff.email == "admin@demo.org", totp_secret=SECRET, totp_last_step=None)
    sign_in(client, "admin@demo.org")
    assert client.post("/login/code", data={"code": code()}).location == "/admin/"
    response = client.post("/two-step/disable", data={"password": "demo-password", "code": code(1)}, follow_redirects=True)
    assert "requires two-step sign-in" in text(response) and staff(app, "admin@demo.org").totp_secret == SECRET

"""Sign-in, sign-out, session ending, the throttle and CSRF."""

from datetime import timedelta

import argon2
import pytest
from sqlalchemy import update

import models.staff as staff_models
from custom_pages import auth
from custom_pages.auth import BAD_CREDENTIALS as LAZY_BAD_CREDENTIALS
from custom_pages.session_timeout import LAST_SEEN
from extensions import db
from models import ALL_AGENCIES, SignInAttempt, Staff, tenant_scope
from models.base import utcnow
from tests.conftest import csrf_token_from, sign_in

pytestmark = pytest.mark.usefixtures("demo")
BAD_CREDENTIALS = str(LAZY_BAD_CREDENTIALS)  # English: no request here


def page(response):
    return response.get_data(as_text=True)


def staff_row(app, email):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        staff = db.session.query(Staff).filter_by(email=email).one()
        db.session.expunge(staff)
        return staff


def update_staff(app, email, **values):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        staff = db.session.query(Staff).filter_by(email=email).one()
        for name, value in values.items():
            setattr(staff, name, value) if name != "password" else staff.set_password(value)
        db.session.commit()


def test_signed_out_visitor_is_sent_to_login_with_next(client):
    response = client.get("/admin/sites/")
    assert response.status_code == 302
    assert response.location == "/login?next=/admin/sites/"


def test_sign_in_lands_on_home_and_records_last_sign_in(app, client):
    response = sign_in(client, "worker@demo.org", follow_redirects=True)
    assert "Welcome, Wei" in page(response)
    assert "Demo Settlement Agency" in page(response)
    assert staff_row(app, "worker@demo.org").last_sign_in_at is not None


def test_email_is_case_insensitive(client):
    assert sign_in(client, "  Worker@Demo.ORG ").location == "/admin/"


@pytest.mark.parametrize(
    "email, password",
    [
        ("nobody@demo.org", "demo-password"),
        ("worker@demo.org", "wrong-password"),
    ],
)
def test_unknown_email_and_wrong_password_get_the_same_message(client, email, password):
    response = sign_in(client, email, password)
    assert response.status_code == 200
    assert BAD_CREDENTIALS in page(response)


def test_inactive_staff_cannot_sign_in(app, client):
    update_staff(app, "worker@demo.org", is_active=False)
    assert BAD_CREDENTIALS in page(sign_in(client, "worker@demo.org"))


@pytest.mark.parametrize(
    "target, expected",
    [
        ("/admin/directory/", "/admin/directory/"),
        ("https://evil.example/", "/admin/"),
        ("//evil.example/x", "/admin/"),
        ("/\\evil.example", "/admin/"),
        ("javascript:alert(1)", "/admin/"),
    ],
)
def test_next_redirects_only_within_this_site(client, target, expected):
    response = client.post(
        "/login", query_string={"next": target}, data={"email": "worker@demo.org", "password": "demo-password"}
    )
    assert response.location == expected


# Targets a browser opens on another site: Werkzeug turns "http:evil.example" into
# "http:///evil.example", which browsers open as http://evil.example/.
OFF_SITE = (
    "http:evil.example",
    "https:evil.example",
    "https://evil.example/",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "http:\t//evil.example",
    " //evil.example",
    "javascript:alert(1)",
)


@pytest.mark.parametrize("target", OFF_SITE)
def test_next_never_leaves_this_site(client, target):
    response = client.post(
        "/login", query_string={"next": target}, data={"email": "worker@demo.org", "password": "demo-password"}
    )
    assert response.location == "/admin/"


@pytest.mark.parametrize("target", OFF_SITE)
def test_flask_admins_url_parameter_never_leaves_this_site(login, target):
    """Every Flask-Admin view sends the browser back to ``url=`` (details, edit, create,
    delete, actions, export): only a path on this site is followed."""
    admin = login("admin@demo.org")
    for base_url in ("http://localhost/", "https://localhost/"):  # "https:evil" passed Flask-Admin's check over HTTPS
        arguments = {"query_string": {"url": target}, "base_url": base_url}
        assert admin.get("/admin/clients/details/", **arguments).location == "/admin/clients/"
        assert admin.get("/admin/sites/edit/", **arguments).location == "/admin/sites/"
        form = {"url": target, "action": "none", "rowid": []}
        assert admin.post("/admin/group-activities/action/", data=form, base_url=base_url).location == "/admin/group-activities/"


def test_a_path_on_this_site_is_followed(worker):
    target = "/admin/clients/?search=Haddad"
    assert worker.get("/admin/clients/details/", query_string={"url": target}).location == target


def test_five_failures_lock_the_account_for_fifteen_minutes(app, client):
    for _ in range(5):
        assert BAD_CREDENTIALS in page(sign_in(client, "worker@demo.org", "wrong"))
    locked = sign_in(client, "worker@demo.org")  # even the right password is refused now
    assert "Too many failed sign-in attempts" in page(locked)
    assert "15 minutes" in page(locked)
    assert sign_in(client, "worker2@demo.org").location == "/admin/"  # other accounts unaffected

    with app.app_context():  # sixteen minutes later
        db.session.execute(update(SignInAttempt).values(attempted_at=SignInAttempt.attempted_at - timedelta(minutes=16)))
        db.session.commit()
    client.post("/logout")
    assert sign_in(client, "worker@demo.org").location == "/admin/"


def test_a_success_resets_the_failure_count(client):
    for _ in range(4):
        sign_in(client, "worker@demo.org", "wrong")
    assert sign_in(client, "worker@demo.org").location == "/admin/"
    client.post("/logout")
    for _ in range(4):
        sign_in(client, "worker@demo.org", "wrong")
    assert sign_in(client, "worker@demo.org").location == "/admin/"


def test_unknown_email_is_throttled_like_a_real_one(client):
    for _ in range(5):
        sign_in(client, "ghost@demo.org", "wrong")
    assert "Too many failed sign-in attempts" in page(sign_in(client, "ghost@demo.org", "wrong"))


def copied_cookie_still_works(app, client, cookie):
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other.get("/admin/").status_code == 200


def test_sign_out_ends_a_copied_session_cookie(app, client, login):
    login("worker@demo.org")
    cookie = client.get_cookie("session").value
    assert copied_cookie_still_works(app, client, cookie)
    client.post("/logout")
    assert not copied_cookie_still_works(app, client, cookie)
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize("change", [{"password": "a-new-long-password"}, {"is_active": False}])
def test_password_change_or_deactivation_ends_every_session(app, client, login, change):
    login("worker@demo.org")
    update_staff(app, "worker@demo.org", **change)
    response = client.get("/admin/")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_passwords_are_stored_as_argon2_hashes(app):
    staff = staff_row(app, "worker@demo.org")
    assert staff.password_hash.startswith("$argon2id$")
    assert "demo-password" not in staff.password_hash


def test_hash_is_upgraded_when_the_cost_changes(app, client, monkeypatch):
    before = staff_row(app, "worker@demo.org").password_hash
    monkeypatch.setitem(app.config, "ARGON2_TIME_COST", 2)
    assert sign_in(client, "worker@demo.org").location == "/admin/"
    after = staff_row(app, "worker@demo.org").password_hash
    assert after != before and "t=2" in after


@pytest.fixture
def csrf_app(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    return app


def test_csrf_is_enforced_on_sign_in(csrf_app, client):
    response = sign_in(client, "worker@demo.org")
    assert response.status_code == 400
    token = csrf_token_from(page(client.get("/login")))
    response = client.post("/login", data={"email": "worker@demo.org", "password": "demo-password", "csrf_token": token})
    assert response.location == "/admin/"


def test_csrf_is_enforced_on_admin_forms(csrf_app, client):
    token = csrf_token_from(page(client.get("/login")))
    client.post("/login", data={"email": "admin@demo.org", "password": "demo-password", "csrf_token": token})
    form = {"name": "Library Branch", "kind": "non_school", "address": "", "city": "", "postal_code": "", "is_active": "y"}
    assert client.post("/admin/sites/new/", data=form).status_code == 400
    token = csrf_token_from(page(client.get("/admin/sites/new/")))
    response = client.post("/admin/sites/new/", data={**form, "csrf_token": token})
    assert response.status_code == 302
    assert "Library Branch" in page(client.get("/admin/sites/"))


def test_csrf_is_enforced_on_sign_out(csrf_app, client):
    token = csrf_token_from(page(client.get("/login")))
    client.post("/login", data={"email": "worker@demo.org", "password": "demo-password", "csrf_token": token})
    assert client.post("/logout").status_code == 400


class CountingHasher:
    """The real hasher, noting each hash and verify and the cost of the hash verified."""

    def __init__(self, real, calls):
        self.real, self.calls = real, calls

    def hash(self, password):
        self.calls.append("hash")
        return self.real.hash(password)

    def verify(self, stored, password):
        self.calls.append(("verify", argon2.extract_parameters(stored).time_cost))
        return self.real.verify(stored, password)

    def check_needs_rehash(self, stored):
        return self.real.check_needs_rehash(stored)

    def __getattr__(self, name):
        return getattr(self.real, name)


@pytest.fixture
def hasher_calls(monkeypatch):
    calls = []
    for module in (auth, staff_models):
        real = module.password_hasher
        monkeypatch.setattr(module, "password_hasher", lambda real=real: CountingHasher(real(), calls))
    return calls


def test_unknown_deactivated_and_known_emails_each_cost_one_verify(app, client, hasher_calls):
    """Without timing: an unknown or deactivated email does what a known one does, one verify of
    a hash with the current cost, and no hashing (the dummy hash is made once and kept)."""
    update_staff(app, "worker2@demo.org", is_active=False)
    sign_in(client, "nobody@demo.org", "wrong")  # the first one may make the dummy hash
    for email in ("ghost@demo.org", "worker2@demo.org", "worker@demo.org", "ghost@demo.org"):
        hasher_calls.clear()
        assert BAD_CREDENTIALS in page(sign_in(client, email, "wrong"))
        assert hasher_calls == [("verify", app.config["ARGON2_TIME_COST"])], email


def test_the_dummy_hash_follows_a_change_of_cost(app, client, monkeypatch, hasher_calls):
    sign_in(client, "ghost@demo.org", "wrong")
    monkeypatch.setitem(app.config, "ARGON2_TIME_COST", 2)
    sign_in(client, "ghost@demo.org", "wrong")
    hasher_calls.clear()
    sign_in(client, "ghost@demo.org", "wrong")
    assert hasher_calls == [("verify", 2)]


def consent_given(client):
    response = client.post("/admin/register/consent/", data={"decision": "accept", "lang": "en"})
    assert response.location.startswith("/admin/register/named/")
    return client


def may_register_without_the_statement(client):
    return client.get("/admin/register/named/").status_code == 200


def test_sign_out_forgets_everything_of_the_session(client, login):
    consent_given(login("worker@demo.org"))
    assert may_register_without_the_statement(client)
    client.post("/logout")
    with client.session_transaction() as cookie:
        assert set(cookie) <= {"_flashes"}  # "You are signed out." only
    login("worker2@demo.org")
    assert not may_register_without_the_statement(client)  # back to the privacy statement


def test_sign_in_starts_from_a_clean_session(client, login):
    with client.session_transaction() as cookie:  # left over by whoever used the browser before
        cookie["privacy_consent"] = {"version": 1, "at": utcnow().isoformat(), "lang": "en"}
        cookie["anything"] = "else"
    login("worker2@demo.org")
    with client.session_transaction() as cookie:
        assert "privacy_consent" not in cookie and "anything" not in cookie
    assert not may_register_without_the_statement(client)


def test_the_idle_time_out_forgets_the_session_too(app, client, login, monkeypatch):
    consent_given(login("worker@demo.org"))
    with client.session_transaction() as cookie:
        cookie[LAST_SEEN] -= 31 * 60
    assert client.get("/admin/").location.startswith("/login")
    with client.session_transaction() as cookie:
        assert set(cookie) <= {"_flashes"}

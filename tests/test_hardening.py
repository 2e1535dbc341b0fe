"""Hardening: security headers and the Content-Security-Policy, cookie flags, the idle time-out,
the password policy and CSRF on state-changing requests (Flask-Admin and custom pages)."""

import re
import time

import pytest
from sqlalchemy import func, select

import config
import validation
from app import (
    ADMIN_ACTION_HANDLER,
    ADMIN_DELETE_CONFIRMATION,
    ADMIN_DELETE_QUESTION,
    ADMIN_INLINE_HANDLERS,
    create_app,
    script_hash,
)
from custom_pages.session_timeout import LAST_SEEN
from extensions import db
from i18n import admin_translations
from models import ALL_AGENCIES, CaseNote, Site, Staff, tenant_scope
from tests.conftest import csrf_token_from, demo_agency, sign_in, text

pytestmark = pytest.mark.usefixtures("demo")

IDLE_MESSAGE = "You were signed out after 30 minutes without activity"


def policy(response):
    return dict(part.strip().split(" ", 1) for part in response.headers["Content-Security-Policy"].split(";"))


def bare_app(**settings):
    """An app of its own (no database needed for the sign-in page)."""
    return create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x", **settings})


# Headers


def test_every_response_carries_the_security_headers(client):
    for url in ("/login", "/static/css/ocms.css"):
        headers = client.get(url).headers
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert "Content-Security-Policy" in headers


def test_the_policy_is_strict(client):
    directives = policy(client.get("/login"))
    assert directives["default-src"] == "'self'"
    assert directives["style-src"].split() == ["'self'", "'report-sample'"]
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert directives["base-uri"] == "'none'" and directives["form-action"] == "'self'"
    assert "'unsafe-inline'" not in str(directives) and "'unsafe-eval'" not in str(directives)
    assert "*" not in str(directives) and "http" not in str(directives)


def test_admin_scripts_carry_this_responses_nonce(worker):
    first, second = worker.get("/admin/"), worker.get("/admin/")
    nonce = re.search(r"'nonce-([^']+)'", policy(first)["script-src"]).group(1)
    scripts = re.findall(r"<script[^>]*>", text(first))
    assert scripts and all(f'nonce="{nonce}"' in tag for tag in scripts)
    assert f"'nonce-{nonce}'" not in policy(second)["script-src"]  # a new nonce for every response


def test_only_flask_admins_own_inline_handlers_are_allowed_by_hash(app, client):
    actions = {name for view in app.extensions["admin"][0]._views for name, _ in getattr(view, "_actions", ())}
    questions = admin_translations(ADMIN_DELETE_QUESTION)  # the delete confirmation, in each language
    confirmations = [ADMIN_DELETE_CONFIRMATION.format(question) for question in questions]
    handlers = (*ADMIN_INLINE_HANDLERS, *confirmations, *(ADMIN_ACTION_HANDLER.format(name) for name in actions))
    hashes = re.findall(r"'sha256-[^']+'", policy(client.get("/login"))["script-src"])
    assert len(questions) == 2 and "delete" in actions and sorted(hashes) == sorted(map(script_hash, handlers))


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    secure = client.get("/login", base_url="https://ocms.example.org")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_forwarded_proto_is_trusted_only_behind_a_configured_proxy():
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    assert "Strict-Transport-Security" not in bare_app().test_client().get("/login", headers=forwarded).headers
    behind_proxy = bare_app(TRUSTED_PROXIES=1).test_client()
    assert behind_proxy.get("/login", headers=forwarded).headers["Strict-Transport-Security"]


# Cookies


def session_cookie(response):
    return next(value for value in response.headers.getlist("Set-Cookie") if value.startswith("session="))


def test_session_cookie_is_http_only_and_same_site_lax(client):
    cookie = session_cookie(sign_in(client, "worker@demo.org"))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_session_cookie_is_secure_when_configured(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
    cookie = session_cookie(sign_in(client, "worker@demo.org"))
    assert "; Secure" in cookie and "HttpOnly" in cookie


def test_https_deployments_get_secure_cookies(monkeypatch, tmp_path):
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    assert bare_app().config["SESSION_COOKIE_SECURE"] is False
    assert bare_app(PREFERRED_URL_SCHEME="https").config["SESSION_COOKIE_SECURE"] is True
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "1")
    assert config.from_environment(tmp_path)["SESSION_COOKIE_SECURE"] is True


# Idle time-out


def idle_for(client, minutes):
    with client.session_transaction() as session:
        session[LAST_SEEN] = int(time.time() - minutes * 60)


def test_idle_staff_are_signed_out_with_a_message(worker):
    assert worker.get("/admin/").status_code == 200
    idle_for(worker, 31)
    response = worker.get("/admin/clients/")
    assert response.status_code == 302 and response.location == "/login?next=/admin/clients/"
    assert IDLE_MESSAGE in text(worker.get(response.location))
    assert worker.get("/admin/").status_code == 302  # still signed out


def test_activity_moves_the_clock_on(worker):
    idle_for(worker, 29)
    assert worker.get("/admin/").status_code == 200
    with worker.session_transaction() as session:
        assert time.time() - session[LAST_SEEN] < 60
    idle_for(worker, 29)
    assert worker.get("/admin/clients/").status_code == 200


def test_the_time_out_is_configurable(app, worker, monkeypatch):
    monkeypatch.setitem(app.config, "IDLE_TIMEOUT_MINUTES", 5)
    idle_for(worker, 6)
    response = worker.post("/admin/sites/new/", data={"name": "Too late"}, follow_redirects=True)
    assert "You were signed out after 5 minutes without activity" in text(response)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert db.session.scalar(select(Site).where(Site.name == "Too late")) is None


def test_a_new_sign_in_starts_a_new_clock(client, login):
    login("worker@demo.org")
    client.post("/logout")
    idle_for(client, 120)  # left over from the earlier sign-in
    login("worker@demo.org")
    assert client.get("/admin/").status_code == 200


# Password policy


@pytest.mark.parametrize(
    "password, message",
    [
        ("short", "Use at least 10 characters"),
        ("password123", "too easy to guess"),
        ("qwertyuiop", "too easy to guess"),
        ("abcabcabcabc", "too easy to guess"),
        ("Nadia2024-winter", "Do not use your name or your email address"),
        ("okafor-long-phrase", "Do not use your name or your email address"),
        ("xx-newperson-xx", "Do not use your name or your email address"),
        ("maple canoe lantern", None),
        ("tR8#kq2Lm!xw", None),
    ],
)
def test_password_policy(password, message):
    problem = validation.password_problem(password, ("New.Person@demo.org", "Nadia", "Okafor"))
    assert (message is None and problem is None) or message in problem


def test_long_passwords_are_scored_on_their_start():
    assert validation.password_problem("correct horse battery staple " * 10) is None


def staff_form(**overrides):
    form = {"email": "nadia@demo.org", "first_name": "Nadia", "last_name": "Okafor", "role": "worker", "is_active": "y"}
    return {**form, **overrides}


def staff_count(app):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        return db.session.scalar(select(func.count(Staff.id)))


@pytest.mark.parametrize(
    "password, message",
    [("password1234", "too easy to guess"), ("Okafor-Nadia-77", "Do not use your name")],
)
def test_staff_grid_refuses_weak_passwords(app, client, login, password, message):
    login("admin@demo.org")
    before = staff_count(app)
    response = client.post("/admin/staff/new/", data=staff_form(new_password=password))
    assert response.status_code == 200 and message in text(response)
    assert staff_count(app) == before


def test_staff_grid_refuses_a_weak_new_password_on_edit(app, client, login, me):
    login("admin@demo.org")
    form = staff_form(email=me.email, first_name=me.first_name, last_name=me.last_name, new_password="wei-zhang-2024")
    response = client.post(f"/admin/staff/edit/?id={me.id}", data=form)
    assert "Do not use your name" in text(response)
    assert sign_in(client.application.test_client(), me.email).location == "/admin/"  # old password still works


def test_create_admin_refuses_a_common_or_personal_password(runner):
    base = ["create-admin", "--agency-name", "Maple", "--agency-code", "MPL", "--email", "boss@maple.org"]
    base += ["--first-name", "Bea", "--last-name", "Lavoie"]
    assert "too easy to guess" in runner.invoke(args=[*base, "--password", "password123"]).output
    assert "Do not use your name" in runner.invoke(args=[*base, "--password", "lavoie-rules-ok"]).output


# CSRF (the test app turns CSRF off; these tests turn it back on, as in production)


@pytest.fixture
def csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def count(app, model, *where):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        return db.session.scalar(select(func.count(model.id)).where(*where))


def test_flask_admin_create_and_delete_need_the_token(app, client, login, make, request):
    site = make.site(demo_agency(app, "DEMO"), name="Keep me")
    login("admin@demo.org")
    request.getfixturevalue("csrf_on")
    assert client.post("/admin/sites/new/", data={"name": "Forged", "kind": "non_school"}).status_code == 400
    assert client.post("/admin/sites/delete/", data={"id": site.id}).status_code == 400
    assert count(app, Site, Site.name == "Forged") == 0 and count(app, Site, Site.id == site.id) == 1
    token = csrf_token_from(text(client.get("/admin/sites/")))
    assert client.post("/admin/sites/delete/", data={"id": site.id, "csrf_token": token}).status_code == 302
    assert count(app, Site, Site.id == site.id) == 0  # the same request with the token does delete


def test_custom_pages_need_the_token(app, client, login, make, request):
    person = make.client(demo_agency(app, "DEMO"))
    login("worker@demo.org")
    request.getfixturevalue("csrf_on")
    response = client.post(f"/admin/clients/{person.id}/notes/", data={"body": "Forged note"})
    assert response.status_code == 400 and count(app, CaseNote, CaseNote.client_id == person.id) == 0
    assert client.post("/two-step/enable", data={"code": "123456"}).status_code == 400
    assert client.post("/logout").status_code == 400
    assert client.get("/admin/").status_code == 200  # still signed in

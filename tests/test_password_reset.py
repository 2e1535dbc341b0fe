"""Forgot password: the request page answers the same for any email, the mail reaches a real
SMTP server (aiosmtpd), its link works once and expires, the new password follows the policy,
and setting it ends every session of the account."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from custom_pages.password_reset import MAX_MAILS
from extensions import db
from models import ALL_AGENCIES, Notification, Staff, tenant_scope
from models.sign_in_links import SignInLink
from tests.conftest import DEMO_PASSWORD, csrf_token_from, sign_in, text

pytestmark = pytest.mark.usefixtures("demo")

NEW_PASSWORD = "lantern orchard velvet cascade"
LINK = re.compile(r"https?://[^/\s]+(/password-reset/[A-Za-z0-9_-]+)")


CSRF_TOKEN = re.compile(r'name="csrf_token" value="[^"]*"')


def ask(client, email):
    """Ask for a link; the response is closed as a WSGI server closes it (the mail goes then)."""
    response = client.post("/forgot-password", data={"email": email})
    page = client.get(response.location).get_data(as_text=True) if response.status_code == 302 else text(response)
    response.close()
    return response, CSRF_TOKEN.sub('name="csrf_token" value=""', page)  # timestamped: it changes each second


def link_in(smtp, email):
    (message,) = smtp.inbox.to(email)
    body = message.get_body(("plain",)).get_content()
    return LINK.search(body)[1], message


def choose(client, path, password=NEW_PASSWORD, confirm=None):
    return client.post(path, data={"password": password, "confirm": password if confirm is None else confirm})


def signs_in(client, email, password):
    """Whether the password opens the account (signed out again at once)."""
    response = sign_in(client, email, password)
    client.post("/logout")
    return response.status_code == 302 and response.location == "/admin/"


def stored(app, model):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        rows = db.session.scalars(select(model)).all()
        db.session.expunge_all()
        return rows


def test_the_mail_arrives_and_its_link_sets_a_new_password_once(app, client, smtp):
    response, page = ask(client, "Worker@Demo.org")
    assert response.status_code == 302 and "If that email belongs to an active account" in page
    path, message = link_in(smtp, "worker@demo.org")
    assert "new password" in message["Subject"].lower()
    form = client.get(path)
    assert form.status_code == 200 and "worker@demo.org" in text(form)
    done = choose(client, path)
    assert done.status_code == 302 and done.location == "/login"
    assert not signs_in(client, "worker@demo.org", DEMO_PASSWORD)  # the old one no longer works
    assert signs_in(client, "worker@demo.org", NEW_PASSWORD)
    again = client.get(path)
    assert again.status_code == 410 and "already used" in text(again)
    assert choose(client, path, "another fine password here").status_code == 410
    assert signs_in(client, "worker@demo.org", NEW_PASSWORD)


def test_the_outbox_keeps_no_usable_link(app, client, smtp):
    ask(client, "worker@demo.org")
    path, _ = link_in(smtp, "worker@demo.org")
    (note,) = stored(app, Notification)
    assert note.status == "sent" and path not in note.body_text and path not in note.body_html
    assert "/password-reset/[sent]" in note.body_text
    assert [link.token_hash for link in stored(app, SignInLink)] != [path.rsplit("/", 1)[1]]


@pytest.mark.parametrize("email", ["nobody@demo.org", "not-an-account@elsewhere.example"])
def test_an_unknown_email_gets_the_same_answer_and_no_mail(client, smtp, email):
    known_response, known_page = ask(client, "worker@demo.org")
    response, page = ask(client, email)
    assert (response.status_code, response.location) == (known_response.status_code, known_response.location)
    assert page == known_page.replace("worker@demo.org", email)
    assert smtp.inbox.to(email) == [] and len(smtp.inbox.messages) == 1


def test_a_deactivated_account_gets_the_same_answer_and_no_mail(app, client, smtp):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        db.session.scalar(select(Staff).filter_by(email="worker2@demo.org")).is_active = False
        db.session.commit()
    response, page = ask(client, "worker2@demo.org")
    assert response.status_code == 302 and "If that email belongs to an active account" in page
    assert smtp.inbox.messages == []


def test_an_expired_link_gets_a_clear_page(app, client, smtp):
    ask(client, "worker@demo.org")
    path, _ = link_in(smtp, "worker@demo.org")
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        db.session.scalar(select(SignInLink)).expires_at -= timedelta(hours=1, seconds=1)
        db.session.commit()
    response = client.get(path)
    assert response.status_code == 410 and "expired" in text(response) and "/forgot-password" in text(response)
    assert choose(client, path).status_code == 410
    assert signs_in(client, "worker@demo.org", DEMO_PASSWORD)


def test_a_newer_link_ends_the_older_one(client, smtp):
    ask(client, "worker@demo.org")
    ask(client, "worker@demo.org")
    first, second = (LINK.search(m.get_body(("plain",)).get_content())[1] for m in smtp.inbox.to("worker@demo.org"))
    assert client.get(first).status_code == 410
    assert choose(client, second).status_code == 302


def test_a_made_up_link_gets_a_clear_page(client):
    for path in ("/password-reset/not-a-token", "/password-reset/" + "A" * 43, "/password-reset/" + "x" * 400):
        response = client.get(path)
        assert response.status_code == 410 and "not a valid password reset link" in text(response)


def test_the_new_password_follows_the_policy_and_nothing_is_used_up(client, smtp):
    ask(client, "worker@demo.org")
    path, _ = link_in(smtp, "worker@demo.org")
    for password, confirm, message in (
        ("short", None, "at least"),
        ("wei zhang likes tea a lot", None, "name"),
        ("password1234", None, "too easy"),
        (NEW_PASSWORD, NEW_PASSWORD + "x", "not the same"),
        ("", None, "required"),
    ):
        response = choose(client, path, password, confirm)
        assert response.status_code == 200 and message in text(response).lower(), (message, text(response))
    assert signs_in(client, "worker@demo.org", DEMO_PASSWORD)  # still the old password
    assert choose(client, path).status_code == 302  # the link was not used up by the refusals


def test_the_reset_ends_every_session_of_the_account(app, client, login, smtp):
    other = app.test_client()
    assert sign_in(other, "worker@demo.org").location == "/admin/"
    assert other.get("/admin/").status_code == 200
    ask(client, "worker@demo.org")
    path, _ = link_in(smtp, "worker@demo.org")
    choose(client, path)
    assert other.get("/admin/").status_code == 302  # signed out elsewhere


def test_two_step_sign_in_stays_on_after_a_reset(app, client, smtp):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        db.session.scalar(select(Staff).filter_by(email="worker@demo.org")).totp_secret = "JBSWY3DPEHPK3PXP"
        db.session.commit()
    ask(client, "worker@demo.org")
    path, _ = link_in(smtp, "worker@demo.org")
    choose(client, path)
    assert sign_in(client, "worker@demo.org", NEW_PASSWORD).location == "/login/code"


def test_mails_per_account_are_limited_but_the_answer_is_the_same(client, smtp):
    pages = {ask(client, "worker@demo.org")[1] for _ in range(MAX_MAILS + 2)}
    assert len(pages) == 1 and len(smtp.inbox.to("worker@demo.org")) == MAX_MAILS


def test_a_signed_in_person_is_sent_home(worker):
    assert worker.get("/forgot-password").location == "/admin/"


def test_bad_input_on_the_request_page_is_shown_on_the_field(client, smtp):
    for email in ("", "not an email", "x" * 300 + "@example.org"):
        response = client.post("/forgot-password", data={"email": email})
        assert response.status_code == 200 and "invalid-feedback" in text(response)
    assert smtp.inbox.messages == []


@pytest.fixture
def csrf_app(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    return app


def test_csrf_is_enforced_on_both_pages(csrf_app, client, smtp):
    assert client.post("/forgot-password", data={"email": "worker@demo.org"}).status_code == 400
    token = csrf_token_from(text(client.get("/forgot-password")))
    client.post("/forgot-password", data={"email": "worker@demo.org", "csrf_token": token}).close()
    path, _ = link_in(smtp, "worker@demo.org")
    assert choose(client, path).status_code == 400
    token = csrf_token_from(text(client.get(path)))
    response = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "csrf_token": token})
    assert response.status_code == 302


def test_the_sign_in_page_links_to_it(client):
    assert 'href="/forgot-password"' in text(client.get("/login"))


def test_the_mail_is_in_the_staff_members_language(app, client, smtp):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        db.session.scalar(select(Staff).filter_by(email="worker@demo.org")).interface_language = "fr_CA"
        db.session.commit()
    ask(client, "worker@demo.org")
    path, message = link_in(smtp, "worker@demo.org")
    assert "nouveau mot de passe" in message["Subject"] and "une seule fois" in message.get_body(("plain",)).get_content()
    assert client.get(path).status_code == 200


def test_the_link_is_built_from_site_url_not_the_host_header(app, client, smtp, monkeypatch):
    monkeypatch.setitem(app.config, "SITE_URL", "https://ocms.agency.example")
    client.post("/forgot-password", data={"email": "worker@demo.org"}, headers={"Host": "attacker.example"}).close()
    (message,) = smtp.inbox.to("worker@demo.org")
    body = message.get_body(("plain",)).get_content()
    assert "https://ocms.agency.example/password-reset/" in body and "attacker.example" not in body

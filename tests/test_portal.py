"""The client portal's accounts: invitation, acceptance, sign-in, password reset (mail received by
a real SMTP server), the rules that stop a client signing in, and the separation from staff."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from extensions import db
from models import ALL_AGENCIES, Client, Notification, tenant_scope
from models.notification_sending import run_for_agency
from models.portal_accounts import PortalAccount
from models.privacy import record_consent, withdraw_all_consent
from portal import sessions
from tests.conftest import demo_agency, text
from tests.portal_helpers import link_in, portal_sign_in, seed_portal_clients, signed_in_portal

pytestmark = pytest.mark.usefixtures("demo")
GOOD_PASSWORD = "violet harbour tractor pebble"


@pytest.fixture
def invitee(app, make):
    """A DEMO client with an email address who consents to notifications, assigned to nobody."""
    agency = demo_agency(app, "DEMO")
    client = make.client(agency, email="nadia.invitee@example.org", has_email=True, first_name="Nadia", last_name="Karim")
    with app.app_context(), tenant_scope(agency.id):
        record_consent(db.session.get(Client, client.id), "notifications", True, None)
        db.session.commit()
    return client


def invite(worker, client_id, action="invite"):
    return worker.post(f"/admin/clients/{client_id}/portal/{action}/", follow_redirects=True)


def account_of(app, client_id):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        account = db.session.scalar(select(PortalAccount).where(PortalAccount.client_id == client_id))
        if account is not None:
            db.session.expunge(account)
        return account


def test_invite_accept_sign_in_and_reset_with_real_mail(app, worker, invitee, smtp):
    page = text(invite(worker, invitee.id))
    assert "Portal invitation sent. Sent to nadia.invitee@example.org." in page
    (message,) = smtp.inbox.to("nadia.invitee@example.org")
    assert "client portal" in message["Subject"]
    accept_path = link_in(message, "/portal/accept/")
    notifications = text(worker.get(f"/admin/clients/{invitee.id}/?tab=notifications"))
    assert "Client portal invitation" in notifications

    browser = app.test_client()
    assert "Accept your invitation" in text(browser.get(accept_path))
    weak = browser.post(accept_path, data={"password": "password1", "confirm": "password1", "consent": "y"})
    assert weak.status_code == 200 and "Use at least 10 characters." in text(weak)
    no_consent = browser.post(accept_path, data={"password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD})
    assert "Tick this box to use the portal." in text(no_consent)
    assert account_of(app, invitee.id).accepted_at is None  # nothing written by a refused form
    done = browser.post(accept_path, data={"password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD, "consent": "y"})
    assert done.status_code == 302 and done.location.endswith("/portal/overview")
    assert "Welcome, Nadia Karim" in text(browser.get("/portal/overview"))

    reused = app.test_client().get(accept_path)
    assert reused.status_code == 404 and "already used" in text(reused)
    assert account_of(app, invitee.id).last_sign_in_at is not None

    resend = text(invite(worker, invitee.id))
    assert "already signed in to the portal" in resend and len(smtp.inbox.to("nadia.invitee@example.org")) == 1

    assert "Password reset link sent." in text(invite(worker, invitee.id, "reset"))
    reset_path = link_in(smtp.inbox.to("nadia.invitee@example.org")[-1], "/portal/reset/")
    other = app.test_client()
    new_password = "copper lantern meadow quilt"
    assert other.post(reset_path, data={"password": new_password, "confirm": new_password}).status_code == 302
    assert browser.get("/portal/overview").status_code == 302  # the new password ended the old session
    assert "do not match" in text(portal_sign_in(app.test_client(), "nadia.invitee@example.org", GOOD_PASSWORD))
    signed_in_portal(app, "NADIA.invitee@example.org", new_password)


def test_a_resent_invite_replaces_the_first_link_and_an_expired_one_is_refused(app, worker, invitee, smtp, monkeypatch):
    invite(worker, invitee.id)
    invite(worker, invitee.id)
    first, second = (link_in(m, "/portal/accept/") for m in smtp.inbox.to("nadia.invitee@example.org"))
    assert "already used" in text(app.test_client().get(first))
    assert app.test_client().get(second).status_code == 200
    monkeypatch.setitem(app.config, "PORTAL_INVITE_LIFETIME", timedelta(seconds=-1))
    invite(worker, invitee.id)
    expired = link_in(smtp.inbox.to("nadia.invitee@example.org")[-1], "/portal/accept/")
    response = app.test_client().post(expired, data={"password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD, "consent": "y"})
    assert response.status_code == 404 and "expired" in text(response)
    assert account_of(app, invitee.id).accepted_at is None


def test_an_invite_that_cannot_be_delivered_writes_nothing(app, worker, make, smtp):
    no_email = make.client(demo_agency(app, "DEMO"))
    with app.app_context(), tenant_scope(no_email.agency_id):
        record_consent(db.session.get(Client, no_email.id), "notifications", True, None)
        db.session.commit()
    assert "The client has no email address." in text(invite(worker, no_email.id))
    no_consent = make.client(demo_agency(app, "DEMO"), email="quiet@example.org")
    assert "has not consented to notifications" in text(invite(worker, no_consent.id))
    assert account_of(app, no_email.id) is None and account_of(app, no_consent.id) is None
    assert smtp.inbox.messages == []
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert db.session.scalar(select(Notification).where(Notification.kind == "portal_invite")) is None


def test_another_agencys_client_cannot_be_invited(app, worker, make, smtp):
    other = make.client(demo_agency(app, "OTHER"), email="far@example.org")
    assert worker.post(f"/admin/clients/{other.id}/portal/invite/").status_code == 404


def test_sign_in_rules_archived_and_withdrawn_consent(app):
    first, second = seed_portal_clients(app)
    browser = signed_in_portal(app, "client@demo.org")
    assert browser.get("/portal/tasks").status_code == 200
    with app.app_context(), tenant_scope(demo_agency(app, "DEMO").id):
        db.session.execute(update(Client).where(Client.id == first).values(is_archived=True))
        withdraw_all_consent(db.session.get(Client, second), None)
        db.session.commit()
    assert browser.get("/portal/tasks").status_code == 302  # signed out on the next request
    for email in ("client@demo.org", "client2@demo.org"):
        response = portal_sign_in(app.test_client(), email)
        assert response.status_code == 200 and "do not match an active account" in text(response)


def test_wrong_passwords_are_throttled_like_staff(app):
    seed_portal_clients(app)
    browser = app.test_client()
    for _ in range(app.config["SIGN_IN_MAX_FAILURES"]):
        assert "do not match" in text(portal_sign_in(browser, "client@demo.org", "wrong password here"))
    assert "Too many failed sign-in attempts" in text(portal_sign_in(browser, "client@demo.org"))
    assert portal_sign_in(app.test_client(), "client2@demo.org").status_code == 302


def test_portal_and_staff_sessions_are_separate(app, login):
    seed_portal_clients(app)
    browser = signed_in_portal(app, "client@demo.org")
    cookie = browser.get_cookie(sessions.PORTAL_COOKIE, path="/portal")
    assert cookie is not None and cookie.http_only
    assert browser.get("/admin/").status_code == 302 and "/login" in browser.get("/admin/").location
    browser.set_cookie("session", cookie.value)  # the portal cookie's value as the staff cookie
    assert "/login" in browser.get("/admin/clients/").location
    staff = login("worker@demo.org")
    assert staff.get("/portal/overview").status_code == 302  # a staff member is nobody in the portal
    assert "Content-Security-Policy" in browser.get("/portal/overview").headers
    assert browser.get("/portal/overview").headers["X-Frame-Options"] == "DENY"


def test_idle_portal_session_ends(app, monkeypatch):
    seed_portal_clients(app)
    browser = signed_in_portal(app, "client@demo.org")
    later = sessions.time.time() + app.config["IDLE_TIMEOUT_MINUTES"] * 60 + 5
    monkeypatch.setattr(sessions.time, "time", lambda: later)
    response = browser.get("/portal/overview")
    assert response.status_code == 302 and response.location.endswith("/portal/")
    assert "signed out after a while without activity" in text(browser.get("/portal/"))


def test_sign_out_ends_every_portal_session(app):
    seed_portal_clients(app)
    one, two = signed_in_portal(app, "client@demo.org"), signed_in_portal(app, "client@demo.org")
    assert one.post("/portal/sign-out").status_code == 302
    assert two.get("/portal/overview").status_code == 302


def test_a_client_asks_for_a_reset_link_themselves(app, smtp):
    seed_portal_clients(app)
    browser = app.test_client()
    assert "Forgot your password?" in text(browser.get("/portal/"))
    answer = text(browser.post("/portal/forgot", data={"email": "Client@demo.org"}, follow_redirects=True))
    assert "a link to choose a new password is on its way" in answer
    (message,) = smtp.inbox.to("client@demo.org")
    new_password = "amber orchard violin glacier"
    reset_path = link_in(message, "/portal/reset/")
    assert browser.post(reset_path, data={"password": new_password, "confirm": new_password}).status_code == 302
    signed_in_portal(app, "client@demo.org", new_password)
    unknown = text(app.test_client().post("/portal/forgot", data={"email": "nobody@demo.org"}, follow_redirects=True))
    assert "a link to choose a new password is on its way" in unknown and smtp.inbox.to("nobody@demo.org") == []
    for _ in range(app.config["SIGN_IN_MAX_FAILURES"] + 2):
        app.test_client().post("/portal/forgot", data={"email": "client2@demo.org"}).close()  # the mail goes on close
    assert len(smtp.inbox.to("client2@demo.org")) == app.config["SIGN_IN_MAX_FAILURES"]  # then throttled


def test_the_outbox_keeps_no_usable_invitation_or_reset_link(app, worker, invitee, smtp):
    invite(worker, invitee.id)
    accept_path = link_in(smtp.inbox.to("nadia.invitee@example.org")[-1], "/portal/accept/")
    app.test_client().post(accept_path, data={"password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD, "consent": "y"})
    invite(worker, invitee.id, "reset")
    reset_path = link_in(smtp.inbox.to("nadia.invitee@example.org")[-1], "/portal/reset/")
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        notes = db.session.scalars(select(Notification).where(Notification.client_id == invitee.id)).all()
        kinds = {note.kind: note for note in notes}
        assert {"portal_invite", "portal_password_reset"} <= set(kinds)
        for note in notes:
            stored = note.body_text + note.body_html
            assert note.status == "sent" and accept_path not in stored and reset_path not in stored
        assert "/portal/accept/[sent]" in kinds["portal_invite"].body_text
        assert "/portal/reset/[sent]" in kinds["portal_password_reset"].body_html


def test_a_link_sent_later_by_the_job_is_not_kept_either(app, worker, invitee, smtp):
    smtp.stop()
    invite(worker, invitee.id)  # queued: the server is down
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        (note,) = db.session.scalars(select(Notification).where(Notification.client_id == invitee.id)).all()
        assert note.status == "queued" and "/portal/accept/[sent]" not in note.body_text
    smtp.start()
    with app.app_context():
        run_for_agency(demo_agency(app, "DEMO").id, now=note.next_attempt_at + timedelta(minutes=1))
    accept_path = link_in(smtp.inbox.to("nadia.invitee@example.org")[-1], "/portal/accept/")
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        note = db.session.scalar(select(Notification).where(Notification.client_id == invitee.id))
        assert note.status == "sent" and accept_path not in note.body_text and "/portal/accept/[sent]" in note.body_text

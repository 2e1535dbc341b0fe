"""Notifications: templates and placeholders, the outbox (dedupe, consent, opt-outs, no email),
the sending job against a real SMTP server (aiosmtpd), retries, the pages."""

import socket
import threading
from datetime import date, timedelta
from email import message_from_bytes, policy

import pytest
from flask_babel import force_locale
from sqlalchemy import select, update

from extensions import db
from models import (
    ALL_AGENCIES,
    Agency,
    Client,
    MessageTemplate,
    Notification,
    Referral,
    ServiceSession,
    SessionClient,
    SmsMessage,
    Staff,
    Task,
    tenant_scope,
)
from models.base import utcnow
from models.message_templates import KINDS, LANGUAGES, default_wording, placeholder_problems, render
from models.notification_sending import MAX_ATTEMPTS, MailMessage, claim, claim_next, run_for_agency, send_due
from models.notifications import queue_message
from models.privacy import record_consent, withdraw_all_consent
from tests.conftest import demo_agency, demo_staff, text

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture
def agency(app):
    """The demo agency, reminding of sessions incomplete after 3 days."""
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        db.session.execute(update(Agency).where(Agency.code == "DEMO").values(incomplete_session_reminder_days=3))
        db.session.execute(update(Staff).where(Staff.email == "worker@demo.org").values(reply_to_email="settlement@demo.org"))
        close_demo_tasks_and_referrals()
        db.session.commit()
    return demo_agency(app, "DEMO")


def close_demo_tasks_and_referrals():
    """The demo's open tasks and referrals would be reminded too: these tests count one source at
    a time (tests/test_reminders.py covers tasks and referrals)."""
    db.session.execute(update(Task).values(status="done", done_date=date.today()))
    db.session.execute(update(Referral).values(status="declined"))  # neither open nor ended: no survey


def in_agency(app, agency, work):
    with app.app_context(), tenant_scope(agency.id):
        result = work()
        db.session.commit()
        return result


def new_client(app, make, agency, consent=True, **overrides):
    """A named client with an email address who consented to notifications."""
    client = make.client(agency, **{"email": "amal@example.org", "has_email": True, **overrides})
    if consent:
        with app.app_context(), tenant_scope(agency.id):
            record_consent(db.session.get(Client, client.id), "notifications", True, None)
            db.session.commit()
    return client


def new_session(app, agency, client, service_date, lead="worker@demo.org"):
    """A session without forms (so incomplete) with ``client`` in it."""
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        staff = db.session.scalar(select(Staff).where(Staff.email == lead))
        site_id = db.session.scalar(select(ServiceSession.site_id).where(ServiceSession.agency_id == agency.id))
        session = ServiceSession(
            agency_id=agency.id,
            service_date=service_date,
            site_id=site_id,
            lead_staff_id=staff.id,
            created_by_id=staff.id,
            minutes=30,
        )
        session.attendees = [SessionClient(agency_id=agency.id, client_id=client.id)]
        db.session.add(session)
        db.session.commit()
        return session.id


def notes(app, **where):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        rows = db.session.scalars(select(Notification).filter_by(**where).order_by(Notification.id)).all()
        for row in rows:
            db.session.expunge(row)
        return rows


def run(app, agency, now=None, dry_run=False):
    with app.app_context():
        return run_for_agency(agency.id, now=now, dry_run=dry_run)


# --- templates and placeholders ---


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("language", list(LANGUAGES))
def test_every_kind_ships_twin_defaults_that_use_only_its_placeholders(kind, language):
    words = default_wording(kind, language)
    assert words.subject and words.body_text and words.body_html.lstrip().startswith("<")
    for source in (words.subject, words.body_text, words.body_html):
        assert placeholder_problems(source, kind) == []


def test_defaults_render_in_the_recipients_language(app):
    with app.app_context():
        subject, body, html = render("session_incomplete", "fr_CA", {"session_date": "2026-11-20", "days": 3})
        assert subject == "Séance du 2026-11-20 toujours incomplète" and "après 3 jours" in body and "<p>" in html
        assert render("session_incomplete", "en", {"days": 3})[1].startswith("Hello")


REFERRAL_KINDS = ("referral_follow_up", "referral_reminder", "follow_up_survey")


@pytest.mark.parametrize("kind", REFERRAL_KINDS)
def test_french_referral_mail_says_aiguillage_never_reference(app, kind):
    """In French a referral is an "aiguillage" (as on every staff page), in the mail and in the
    name of its kind; "référence" is a reference number or reference list, never a referral."""
    values = {"client_name": "Amal Nasser", "partner": "Centre Alpha", "need": "Logement", "referral_date": "2026-11-20"}
    with app.app_context():
        mail = " ".join(render(kind, "fr_CA", values)).lower()
        with force_locale("fr_CA"):
            label = str(KINDS[kind].label).lower()
    assert "aiguillage" in mail and "référ" not in mail
    assert "référ" not in label and ("aiguillage" in label or kind == "follow_up_survey")


@pytest.mark.parametrize(
    "subject",
    ["Suivi de l'aiguillage de Mohammed Al-Hassan (Logement et hébergement)", "Weekly check-in for Amal Nasser"],
)
def test_a_subject_reaches_the_recipient_as_written_whatever_its_length(app, subject):
    """A long subject is folded over lines of at most 78 characters, never inside a word: the
    French follow-up subject above read "Logement et h ébergement" in every mail program."""
    with app.test_request_context():
        for extra in range(60):
            written = f"{subject} {'é' * (extra % 7)}{'x' * extra}".strip()
            raw = MailMessage(written, recipients=["amal@example.org"], body="Bonjour", html="<p>Bonjour</p>").as_bytes()
            assert str(message_from_bytes(raw, policy=policy.default)["Subject"]) == written
            assert max(len(line) for line in raw.split(b"\r\n")) <= 78


def test_an_agency_template_replaces_the_default_and_its_html_escapes_values(app, agency):
    template = MessageTemplate(
        kind="break_glass",
        language="en",
        subject="Opened: {{ record_label }}",
        body_text="Why: {{ reason }}",
        body_html="<b>{{ reason }}</b>",
    )
    in_agency(app, agency, lambda: db.session.add(template))
    with app.app_context(), tenant_scope(agency.id):
        subject, body, html = render("break_glass", "en", {"record_label": "case note", "reason": "<script>x</script> & co"})
    assert subject == "Opened: case note"
    assert body == "Why: <script>x</script> & co"  # the text twin is plain text
    assert html == "<b>&lt;script&gt;x&lt;/script&gt; &amp; co</b>"
    with app.app_context(), tenant_scope(demo_agency(app, "OTHER").id):
        assert (
            render("break_glass", "en", {"record_label": "file"})[0] == "Break-glass: your file was opened"
        )  # not another agency's


def test_the_sandbox_refuses_to_reach_beyond_the_placeholders(app, agency):
    template = MessageTemplate(
        kind="break_glass", language="en", subject="x", body_text="{{ reason.__class__.__mro__ }}", body_html="<p>x</p>"
    )
    in_agency(app, agency, lambda: db.session.add(template))
    with app.app_context(), tenant_scope(agency.id):
        subject, body, _ = render("break_glass", "en", {"record_label": "file", "reason": "r"})
    assert "class" not in body and subject == "Break-glass: your file was opened"  # the shipped wording instead


def test_an_unknown_placeholder_is_refused_when_saved_naming_it(app, client, login, agency):
    login("admin@demo.org")
    data = {
        "kind": "break_glass",
        "language": "fr_CA",
        "subject": "Bris de glace {{ record_label }}",
        "body_text": "Bonjour {{ recipient_name }}, voir {{ raison }}",
        "body_html": "<p>{{ recipient_name }}</p>",
    }
    refused = text(client.post("/admin/message_templates/new/", data=data))
    assert "Unknown placeholder: {{ raison }}" in refused and "Text body" in refused
    broken = text(client.post("/admin/message_templates/new/", data={**data, "body_text": "{{ recipient_name"}))
    assert "The template cannot be read (line 1)" in broken
    saved_text = lambda: db.session.scalars(select(MessageTemplate.body_text).filter_by(kind="break_glass")).all()  # noqa: E731
    assert in_agency(app, agency, saved_text) == []
    saved = client.post("/admin/message_templates/new/", data={**data, "body_text": "Voir {{ reason }}"})
    assert saved.status_code == 302
    again = text(client.post("/admin/message_templates/new/", data={**data, "body_text": "Voir {{ reason }}"}))
    assert "already has a template in this language" in again
    assert in_agency(app, agency, saved_text) == ["Voir {{ reason }}"]


def test_a_new_template_starts_from_the_shipped_wording_and_only_admins_edit(client, login):
    login("admin@demo.org")
    page = text(client.get("/admin/message_templates/new/?kind=break_glass&language=fr_CA"))
    assert "Bris de glace : votre dossier ({{ record_label }}) a été ouvert" in page and "{{ opener_name }}" in page
    client.post("/logout")
    login("coordinator@demo.org")
    assert client.get("/admin/message_templates/").status_code == 403


# --- the job against a real SMTP server ---


def test_an_incomplete_session_reminds_its_lead_once(app, make, agency, smtp):
    person = new_client(app, make, agency)
    session_id = new_session(app, agency, person, date.today() - timedelta(days=4))
    new_session(app, agency, person, date.today() - timedelta(days=2))  # not yet due
    result = run(app, agency)
    assert (result.queued, result.sent) == (1, 1)
    ((message,),) = [smtp.inbox.to("worker@demo.org")]
    assert message["Subject"] == f"Session of {(date.today() - timedelta(days=4)).isoformat()} still incomplete"
    assert f"/admin/sessions/edit/?id={session_id}" in message.get_body(("plain",)).get_content()
    assert message.get_body(("html",)) is not None  # the HTML twin goes along
    assert run(app, agency).queued == 0 and len(smtp.inbox.messages) == 1  # once
    (note,) = notes(app)
    assert note.status == "sent" and note.sent_at is not None and note.attempts == 1


def test_a_client_reminder_carries_the_workers_reply_to_and_their_language(app, make, agency, smtp):
    person = new_client(app, make, agency, official_language="French")
    new_session(app, agency, person, date.today() + timedelta(days=1))
    run(app, agency)
    (message,) = smtp.inbox.to("amal@example.org")
    assert message["Reply-To"] == "settlement@demo.org"
    assert (
        message["Subject"].startswith("Rappel : votre rendez-vous du")
        and "Wei Zhang" in message.get_body(("plain",)).get_content()
    )


def test_a_client_without_an_email_is_never_queued_and_the_tab_says_why(app, client, login, make, agency, smtp):
    person = new_client(app, make, agency, email=None, has_email=False)
    new_session(app, agency, person, date.today() + timedelta(days=1))
    run(app, agency)
    (note,) = notes(app, client_id=person.id)
    assert (note.status, note.reason) == ("not_sent", "no_email") and smtp.inbox.messages == []
    login("worker@demo.org")
    tab = text(client.get(f"/admin/clients/{person.id}/?tab=notifications"))
    assert "The client has no email address." in tab and 'data-status="not_sent"' in tab


def test_consent_withdrawal_stops_client_messages_at_once(app, make, agency, smtp):
    person, other = new_client(app, make, agency), new_client(app, make, agency, email="other@example.org")
    with app.app_context(), tenant_scope(agency.id):
        for who in (person, other):
            queue_message(db.session.get(Client, who.id), "appointment_reminder", {}, f"test:{who.id}")
        db.session.commit()
        withdraw_all_consent(db.session.get(Client, person.id), None)
        db.session.commit()
    assert [n.status for n in notes(app, client_id=person.id)] == ["cancelled"]  # in the withdrawal's transaction
    with app.app_context(), tenant_scope(agency.id):  # a path the ORM hook does not see: the job checks again
        record_consent(db.session.get(Client, other.id), "notifications", False, None)
        db.session.commit()
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        db.session.execute(update(Notification).where(Notification.client_id == other.id).values(status="queued"))
        db.session.commit()
    assert [n.status for n in notes(app, client_id=other.id)] == ["queued"]
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        db.session.execute(update(Client).where(Client.id == other.id).values(consent_withdrawn_at=None))
        db.session.commit()
    result = run(app, agency)
    assert result.cancelled == 1 and smtp.inbox.messages == []
    (note,) = notes(app, client_id=other.id)
    assert (note.status, note.reason) == ("cancelled", "no_consent")
    with app.app_context(), tenant_scope(agency.id):  # and nothing new is queued for them
        note = queue_message(db.session.get(Client, person.id), "appointment_reminder", {}, "test:again")
        assert (note.status, note.reason) == ("not_sent", "no_consent")


def test_staff_opt_out_per_kind_but_never_of_break_glass(app, client, login, make, agency, smtp):
    login("worker@demo.org")
    client.post("/admin/my-notifications/", data={"opt_out": ["session_incomplete", "break_glass", "nonsense"]})
    page = text(client.get("/admin/my-notifications/"))
    assert 'value="session_incomplete" id="opt-out-session_incomplete" checked' in page and "opt-out-break_glass" not in page
    new_session(app, agency, new_client(app, make, agency), date.today() - timedelta(days=5))
    run(app, agency)
    (note,) = notes(app)
    assert (note.status, note.reason) == ("not_sent", "opted_out") and smtp.inbox.messages == []
    assert "The recipient opted out of this kind of message." in text(client.get("/admin/my-notifications/"))
    client.post("/admin/my-notifications/", data={})  # opting in again
    wei = demo_staff(app, "worker@demo.org")
    with app.app_context(), tenant_scope(agency.id):
        queue_message(db.session.get(Staff, wei.id), "break_glass", {}, "glass:1")
        queue_message(db.session.get(Staff, wei.id), "session_incomplete", {}, "session:again")
        db.session.commit()
    assert run(app, agency).sent == 2


def test_a_client_opt_out_cancels_what_is_queued(app, client, login, make, agency, smtp):
    person = new_client(app, make, agency)
    new_session(app, agency, person, date.today() + timedelta(days=1))
    run(app, agency, dry_run=True)
    with app.app_context(), tenant_scope(agency.id):
        queue_message(db.session.get(Client, person.id), "appointment_reminder", {}, "test:queued")
        db.session.commit()
    login("worker@demo.org")
    client.post(f"/admin/clients/{person.id}/notifications/opt-outs/", data={"opt_out": "appointment_reminder"})
    assert [(n.status, n.reason) for n in notes(app)] == [("cancelled", "opted_out")]
    run(app, agency)
    assert [(n.status, n.reason) for n in notes(app)][-1] == ("not_sent", "opted_out") and smtp.inbox.messages == []


def test_smtp_down_then_up_is_retried_then_sent_once(app, client, login, make, agency, smtp):
    smtp.stop()
    new_session(app, agency, new_client(app, make, agency), date.today() - timedelta(days=4))
    now = utcnow() + timedelta(minutes=1)  # ahead of the clock: the run's time is exactly this
    result = run(app, agency, now=now)
    assert (result.sent, result.retrying) == (0, 1) and "Connection refused" in result.errors[0]
    (note,) = notes(app)
    assert note.status == "queued" and note.attempts == 1 and note.next_attempt_at == now + timedelta(minutes=5)
    login("worker@demo.org")
    assert "Connection refused" in text(client.get("/admin/my-notifications/"))
    assert run(app, agency, now=now + timedelta(minutes=1)).retrying == 0  # not due yet
    smtp.start()
    assert run(app, agency, now=now + timedelta(minutes=6)).sent == 1
    assert run(app, agency, now=now + timedelta(hours=2)).sent == 0
    assert len(smtp.inbox.to("worker@demo.org")) == 1
    (note,) = notes(app)
    assert note.status == "sent" and note.attempts == 2 and "Connection refused" in note.last_error
    assert "&#10003;" in text(client.get("/admin/my-notifications/")) or "✓" in text(client.get("/admin/my-notifications/"))


def test_failures_stop_after_the_limit_and_one_failure_does_not_stop_the_others(app, make, agency, smtp):
    smtp.inbox.refused.add("bounce@example.org")
    new_client(app, make, agency)
    bounce, fine = (
        new_client(app, make, agency, email="bounce@example.org"),
        new_client(app, make, agency, email="fine@example.org"),
    )
    with app.app_context(), tenant_scope(agency.id):
        for who in (bounce, fine):
            queue_message(db.session.get(Client, who.id), "appointment_reminder", {}, f"test:{who.id}")
        db.session.commit()
    now = utcnow()
    for attempt in range(MAX_ATTEMPTS):
        run(app, agency, now=now + timedelta(days=attempt))
    assert len(smtp.inbox.to("fine@example.org")) == 1
    (failed,) = notes(app, client_id=bounce.id)
    assert failed.status == "failed" and failed.attempts == MAX_ATTEMPTS and "550" in failed.last_error


def test_text_messages_go_through_the_default_gateway(app, make, agency):
    person = new_client(app, make, agency, phone="416-555-0100")
    with app.app_context(), tenant_scope(agency.id):
        queue_message(db.session.get(Client, person.id), "appointment_reminder", {"staff_name": "Wei"}, "sms:1", channel="sms")
        db.session.commit()
    assert run(app, agency).sent == 1
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        (sms,) = db.session.scalars(select(SmsMessage)).all()
        assert sms.to_number == "416-555-0100" and "Wei" in sms.body


def test_the_command_dry_run_changes_nothing(app, runner, make, agency):
    new_session(app, agency, new_client(app, make, agency), date.today() - timedelta(days=4))
    result = runner.invoke(args=["send-notifications", "--dry-run", "--agency", "demo"])
    assert "DEMO: 1 reminder(s) would be queued, 0 message(s) would be sent." in result.output, result.output
    assert notes(app) == []
    result = runner.invoke(args=["send-notifications"])
    assert "DEMO: 1 queued, 1 sent" in result.output and "OTHER: 0 queued, 0 sent" in result.output
    assert runner.invoke(args=["send-notifications", "--agency", "nope"]).exit_code != 0


def test_the_break_glass_notice_waits_in_the_outbox_when_smtp_is_down(app, client, login, make, agency, smtp):
    smtp.stop()
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        from models import CaseNote

        wei = db.session.scalar(select(Staff).where(Staff.email == "worker@demo.org"))
        person = Client(agency_id=agency.id, kind="named", first_name="Noor", last_name="Haddad")
        db.session.add(person)
        db.session.flush()
        note = CaseNote(agency_id=agency.id, client_id=person.id, author_id=wei.id, body="private", is_private=True)
        db.session.add(note)
        db.session.commit()
        note_id = note.id
    login("worker2@demo.org")
    opened = client.post(f"/admin/break-glass/case_note/{note_id}/", data={"reason": "Covering for Wei this week."})
    assert opened.status_code == 302
    assert sorted(n.status for n in notes(app, kind="break_glass")) == ["queued", "queued"]
    smtp.start()
    assert run(app, agency, now=utcnow() + timedelta(minutes=10)).sent == 2
    assert {r for recipients, _ in smtp.inbox.messages for r in recipients} == {"worker@demo.org", "coordinator@demo.org"}


def test_the_client_tab_shows_a_check_mark_and_the_date_sent(app, client, login, make, agency, smtp):
    person = new_client(app, make, agency)
    new_session(app, agency, person, date.today() + timedelta(days=1))
    run(app, agency)
    (note,) = notes(app, client_id=person.id)
    login("worker@demo.org")
    tab = text(client.get(f"/admin/clients/{person.id}/?tab=notifications"))
    assert 'data-status="sent"' in tab and "&#10003;" in tab and note.sent_at.strftime("%Y-%m-%d %H:%M") in tab
    assert note.subject in tab


# --- at most once with overlapping runs ---


def test_a_message_is_claimed_once(app, make, agency):
    person = new_client(app, make, agency)
    with app.app_context(), tenant_scope(agency.id):
        note = queue_message(db.session.get(Client, person.id), "appointment_reminder", {}, "claim:1")
        db.session.commit()
        assert [claim(note.id), claim(note.id)] == [True, False]
        assert claim_next(utcnow()) is None  # claimed, so no longer due; never sent by the job
    assert [(n.status, n.attempts) for n in notes(app)] == [("sending", 1)]


def test_two_overlapping_runs_send_each_message_once(app, make, agency, smtp):
    """Two runs at once (threads, each with its own connection) over 40 due messages: each
    message is claimed by one run only, so the SMTP server receives each exactly once.
    PostgreSQL (the production database; SQLite's single writer is covered by the claim test)."""
    with app.app_context():
        dialect = db.engine.dialect.name
    if dialect != "postgresql":
        pytest.skip("overlapping runs are proven on PostgreSQL (TEST_DATABASE=postgresql)")
    people = [new_client(app, make, agency, email=f"person{n}@example.org") for n in range(40)]
    with app.app_context(), tenant_scope(agency.id):
        for person in people:
            queue_message(db.session.get(Client, person.id), "appointment_reminder", {}, f"overlap:{person.id}")
        db.session.commit()
    barrier, results = threading.Barrier(2), []

    def one_run():
        with app.app_context(), tenant_scope(agency.id):
            from models.notification_sending import RunResult

            result = RunResult("DEMO")
            barrier.wait()
            send_due(utcnow(), result)
            results.append(result)

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    received = sorted(r for recipients, _ in smtp.inbox.messages for r in recipients)
    assert received == sorted(f"person{n}@example.org" for n in range(40))
    assert sum(r.sent for r in results) == 40 and all(n.status == "sent" for n in notes(app))
    print(f"\noverlapping runs: {[r.sent for r in results]} messages sent by each, 40 received once each")


def test_retention_removes_the_text_and_address_of_a_clients_messages(app, make, agency):
    from collections import Counter

    from models.retention import REMOVED, RETENTION, anonymise_client

    person = new_client(app, make, agency, phone="416-555-0100")
    with app.app_context(), tenant_scope(agency.id):
        queue_message(db.session.get(Client, person.id), "appointment_reminder", {"client_name": "Amal"}, "r:1", channel="sms")
        db.session.commit()
    run(app, agency)
    with app.app_context(), tenant_scope(agency.id, RETENTION):
        anonymise_client(db.session.get(Client, person.id), {}, Counter())
        db.session.commit()
    (note,) = notes(app)
    assert (note.status, note.subject, note.to_address) == ("sent", REMOVED, "") and "Amal" not in note.body_text + note.body_html
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert db.session.scalars(select(SmsMessage.body)).all() == [REMOVED]


def test_the_reply_to_address_and_the_reminder_delay_are_checked_when_saved(app, client, login):
    from tests.test_staff import new_staff_form

    login("admin@demo.org")
    refused = client.post("/admin/staff/new/", data=new_staff_form(reply_to_email="not-an-email"))
    assert refused.status_code == 200 and "Enter a valid email address" in text(refused)
    assert client.post("/admin/staff/new/", data=new_staff_form(reply_to_email="Team@Demo.org")).status_code == 302
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert db.session.scalar(select(Staff.reply_to_email).where(Staff.email == "new.person@demo.org")) == "Team@demo.org"
    agency_id = demo_agency(app, "DEMO").id
    page = text(client.get(f"/admin/agency/edit/?id={agency_id}"))
    assert "Remind the session lead of an incomplete session after (days)" in page


class BrokenGateway:
    """An SMS gateway with a bug (not a refusal): the message may have gone, so it is not retried."""

    def send(self, note):
        raise ValueError("gateway bug")


def test_an_unexpected_error_fails_that_message_only_and_is_never_retried(app, make, agency, smtp, monkeypatch):
    monkeypatch.setitem(app.config, "SMS_GATEWAY", "tests.test_notifications:BrokenGateway")
    texted, emailed = new_client(app, make, agency, phone="416-555-0100"), new_client(app, make, agency)
    with app.app_context(), tenant_scope(agency.id):
        queue_message(db.session.get(Client, texted.id), "appointment_reminder", {}, "bug:sms", channel="sms")
        queue_message(db.session.get(Client, emailed.id), "appointment_reminder", {}, "bug:email")
        db.session.commit()
    result = run(app, agency)
    assert (result.sent, result.failed) == (1, 1) and "ValueError: gateway bug" in result.errors[0]
    assert [n.status for n in notes(app)] == ["failed", "sent"] and len(smtp.inbox.messages) == 1
    assert run(app, agency, now=utcnow() + timedelta(days=1)).sent == 0


def test_a_server_that_never_answers_is_a_failed_attempt_not_a_stuck_job(app, make, agency, smtp, monkeypatch):
    """A listening socket nobody accepts on: the connection opens and no greeting ever comes."""
    silent = socket.create_server(("127.0.0.1", 0))
    monkeypatch.setattr(app.extensions["mail"], "port", silent.getsockname()[1])
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 0.5)
    new_session(app, agency, new_client(app, make, agency), date.today() - timedelta(days=4))
    outcome = {}
    job = threading.Thread(target=lambda: outcome.update(result=run(app, agency, now=utcnow() + timedelta(minutes=1))))
    job.start()
    job.join(timeout=60)
    silent.close()
    assert not job.is_alive() and outcome["result"].retrying == 1 and "timed out" in outcome["result"].errors[0]
    (note,) = notes(app)
    assert note.status == "queued" and note.attempts == 1

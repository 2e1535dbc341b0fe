"""The agency admin's "Messages not sent" page: stuck and failed messages, sent again or marked
as sent; other messages, other agencies' and other roles never."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from extensions import db
from models import ALL_AGENCIES, AuditEvent, Notification, Staff, tenant_scope
from models.base import utcnow
from models.notification_sending import run_for_agency
from tests.conftest import demo_agency, text

pytestmark = pytest.mark.usefixtures("demo")


def message(app, agency_code, subject, status, claimed_minutes_ago=None, attempts=1):
    """A message to the agency's admin in the given state."""
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        agency = demo_agency(app, agency_code)
        admin = db.session.scalar(select(Staff).where(Staff.agency_id == agency.id, Staff.role == "agency_admin"))
        claimed = utcnow() - timedelta(minutes=claimed_minutes_ago) if claimed_minutes_ago is not None else None
        note = Notification(
            agency_id=agency.id, staff_id=admin.id, kind="task_due", channel="email", status=status, language="en",
            to_address=admin.email, subject=subject, body_text="Body", dedupe_key=f"test:{subject}",
            attempts=attempts, claimed_at=claimed, last_error="TimeoutError: timed out" if status == "failed" else None,
        )  # fmt: skip
        db.session.add(note)
        db.session.commit()
        return note.id


def state(app, note_id):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        note = db.session.get(Notification, note_id)
        return note.status, note.sent_at, note.attempts


@pytest.fixture
def messages(app):
    return {
        "stuck": message(app, "DEMO", "Stuck reminder", "sending", claimed_minutes_ago=120),
        "failed": message(app, "DEMO", "Failed reminder", "failed", claimed_minutes_ago=300, attempts=5),
        "sending_now": message(app, "DEMO", "Being sent now", "sending", claimed_minutes_ago=2),
        "queued": message(app, "DEMO", "Waiting reminder", "queued"),
        "other_agency": message(app, "OTHER", "Other agency stuck", "sending", claimed_minutes_ago=120),
    }


def test_the_page_lists_stuck_and_failed_messages_of_the_agency_only(client, login, messages):
    login("admin@demo.org")
    page = text(client.get("/admin/outbox/"))
    assert "Stuck reminder" in page and "Failed reminder" in page and "TimeoutError: timed out" in page
    assert "Being sent now" not in page and "Waiting reminder" not in page and "Other agency stuck" not in page
    assert page.count('value="mark_sent"') == 1  # only the stuck one can be marked as sent
    assert "“sending” for more than 1 hour." in page and "hour(s)" not in page


@pytest.mark.parametrize("email", ["coordinator@demo.org", "worker@demo.org"])
def test_only_agency_admins_open_it(client, login, messages, email):
    login(email)
    assert client.get("/admin/outbox/").status_code == 403
    assert client.post("/admin/outbox/", data={"message_id": messages["stuck"], "action": "resend"}).status_code == 403


def test_a_stuck_message_sent_again_goes_once_the_job_runs(app, client, login, messages, smtp):
    login("admin@demo.org")
    response = client.post("/admin/outbox/", data={"message_id": messages["stuck"], "action": "resend"}, follow_redirects=True)
    assert "Queued to be sent again." in text(response)
    assert state(app, messages["stuck"])[0] == "queued"
    with app.app_context():
        assert run_for_agency(demo_agency(app, "DEMO").id).sent >= 1
    assert state(app, messages["stuck"])[0] == "sent" and len(smtp.inbox.to("admin@demo.org")) >= 1
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        audit = db.session.scalar(
            select(AuditEvent).where(AuditEvent.record_type == "notification", AuditEvent.record_id == messages["stuck"])
        )
        assert audit is not None and audit.staff.email == "admin@demo.org"


def test_a_failed_message_gets_one_more_attempt(app, client, login, messages):
    login("admin@demo.org")
    client.post("/admin/outbox/", data={"message_id": messages["failed"], "action": "resend"})
    status, _, attempts = state(app, messages["failed"])
    assert status == "queued" and attempts == 4  # the next failure fails it again (5 attempts)


def test_a_stuck_message_confirmed_by_its_recipient_is_marked_sent(app, client, login, messages):
    login("admin@demo.org")
    client.post("/admin/outbox/", data={"message_id": messages["stuck"], "action": "mark_sent"})
    status, sent_at, _ = state(app, messages["stuck"])
    assert status == "sent" and sent_at is not None


@pytest.mark.parametrize(
    "key, action, message",
    [
        ("failed", "mark_sent", "Only a stuck message can be marked as sent."),
        ("sending_now", "resend", "Only a failed or stuck message can be sent again."),
        ("queued", "resend", "Only a failed or stuck message can be sent again."),
        ("other_agency", "resend", "Choose a message and what to do with it."),
        ("stuck", "delete", "Choose a message and what to do with it."),
    ],
)
def test_anything_else_is_refused_with_a_message_and_nothing_changes(app, client, login, messages, key, action, message):
    login("admin@demo.org")
    before = state(app, messages[key])
    response = client.post("/admin/outbox/", data={"message_id": messages[key], "action": action}, follow_redirects=True)
    assert response.status_code == 200 and message in text(response)
    assert state(app, messages[key]) == before


@pytest.mark.parametrize("value", ["", "abc", "99999999999", "²"])
def test_a_malformed_id_is_a_message_not_an_error(client, login, messages, value):
    login("admin@demo.org")
    response = client.post("/admin/outbox/", data={"message_id": value, "action": "resend"}, follow_redirects=True)
    assert response.status_code == 200 and "Choose a message and what to do with it." in text(response)

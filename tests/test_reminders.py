"""Task and referral reminders: the sending job emails a task's assignee when it is due and a
referral's maker when its follow-up comes, once each, through a real SMTP server (aiosmtpd)."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from extensions import db
from models import Agency, Notification, Referral, ReferralPartner, Task, tenant_scope
from models.base import utcnow
from models.reminders import LOOKBACK_DAYS
from tests.conftest import demo_agency, demo_staff, sign_in, text
from tests.test_notifications import agency, new_client, notes, run  # noqa: F401 (fixtures)
from tests.test_referrals import HOUSING, newest_referral, partner_id, refer, samira
from tests.test_tasks import add_task, task

pytestmark = pytest.mark.usefixtures("demo")


def of_kind(app, kind):
    return [note for note in notes(app) if note.kind == kind]


def test_a_due_task_reminds_its_assignee_once_and_again_when_moved(app, client, agency, smtp):  # noqa: F811
    sign_in(client, "worker@demo.org")
    colleague = demo_staff(app, "worker3@demo.org")
    add_task(client, samira(app), title="Book the interpreter", assignee=str(colleague.id), priority="high")
    add_task(client, samira(app), title="Next week", due_date=(date.today() + timedelta(days=7)).isoformat())
    add_task(client, samira(app), title="For the client", assignee="client")
    run(app, agency)
    ((message,),) = [smtp.inbox.to("worker3@demo.org")]
    assert message["Subject"] == f"Task due {date.today().isoformat()}: Book the interpreter"
    body = message.get_body(("plain",)).get_content()
    assert "(High priority)" in body and f"/admin/tasks/edit/?id={task(app, 'Book the interpreter').id}" in body
    assert [n.staff_id for n in of_kind(app, "task_due")] == [colleague.id]  # not the later or client task
    run(app, agency)
    assert len(smtp.inbox.to("worker3@demo.org")) == 1  # once
    with app.app_context(), tenant_scope(agency.id):
        db.session.get(Task, task(app, "Book the interpreter").id).due_date = date.today() - timedelta(days=1)
        db.session.commit()
    run(app, agency)
    assert len(smtp.inbox.to("worker3@demo.org")) == 2  # a new due date reminds again


def test_a_task_overdue_for_longer_than_the_lookback_is_not_reminded(app, client, agency, smtp):  # noqa: F811
    sign_in(client, "worker@demo.org")
    add_task(client, samira(app), title="Long forgotten", due_date=(date.today() - timedelta(days=LOOKBACK_DAYS + 1)).isoformat())
    run(app, agency)
    assert of_kind(app, "task_due") == []


def test_a_done_task_is_not_reminded(app, client, agency, smtp):  # noqa: F811
    sign_in(client, "worker@demo.org")
    add_task(client, samira(app), title="Done already")
    with app.app_context(), tenant_scope(agency.id):
        db.session.scalar(select(Task).where(Task.title == "Done already")).status = "done"
        db.session.commit()
    run(app, agency)
    assert of_kind(app, "task_due") == [] and smtp.inbox.to("worker@demo.org") == []


def test_a_referral_follow_up_reminds_its_maker_even_when_private(app, client, agency, smtp):  # noqa: F811
    sign_in(client, "worker@demo.org")
    target = f"partner:{partner_id(app, 'DEMO')}"
    earlier = (date.today() - timedelta(days=10)).isoformat()
    refer(client, samira(app), target=target, referral_date=earlier, follow_up_date=date.today().isoformat(), is_private="y")
    private = newest_referral(app)
    refer(client, samira(app), target=target, follow_up_date=(date.today() + timedelta(days=3)).isoformat())  # not yet
    run(app, agency)
    ((message,),) = [smtp.inbox.to("worker@demo.org")]
    assert message["Subject"].startswith("Follow up the referral of ")
    body = message.get_body(("plain",)).get_content()
    assert f"made on {earlier}" in body and f"/admin/referrals/edit/?id={private.id}" in body
    assert "Housing" in body or HOUSING not in body  # the need's label, never its code
    run(app, agency)
    assert len(smtp.inbox.to("worker@demo.org")) == 1  # once


def test_a_closed_referral_is_not_reminded_and_the_worker_sees_what_went_out(app, client, agency, smtp):  # noqa: F811
    sign_in(client, "worker@demo.org")
    refer(client, samira(app), target=f"partner:{partner_id(app, 'DEMO')}", follow_up_date=date.today().isoformat())
    referral = newest_referral(app)
    run(app, agency)
    (sent,) = of_kind(app, "referral_follow_up")
    assert sent.status == "sent"
    page = text(client.get("/admin/my-notifications/"))
    assert "Follow up the referral of" in page and sent.sent_at.date().isoformat() in page
    with app.app_context(), tenant_scope(agency.id):
        row = db.session.get(Referral, referral.id)
        row.status, row.follow_up_date = "closed", date.today() + timedelta(days=1)
        db.session.commit()
    run(app, agency, now=utcnow() + timedelta(days=1))  # its new follow-up date has come, but it is closed
    assert len(of_kind(app, "referral_follow_up")) == 1


def test_reminders_of_a_run_are_counted_per_kind(app, client, agency, smtp):  # noqa: F811
    sign_in(client, "worker@demo.org")
    add_task(client, samira(app), title="Mine today")
    refer(client, samira(app), target=f"partner:{partner_id(app, 'DEMO')}", follow_up_date=date.today().isoformat())
    result = run(app, agency)
    assert (result.queued, result.sent) == (2, 2)
    with app.app_context(), tenant_scope(agency.id):
        kinds = set(db.session.scalars(select(Notification.kind)))
    assert kinds == {"task_due", "referral_follow_up"}


# --- to clients ---


def test_a_client_is_reminded_of_a_referral_before_its_follow_up_once(app, client, make, agency, smtp):  # noqa: F811
    person = new_client(app, make, agency)
    sign_in(client, "worker@demo.org")
    partner = partner_id(app, "DEMO")
    refer(client, person.id, target=f"partner:{partner}", follow_up_date=(date.today() + timedelta(days=2)).isoformat())
    refer(client, person.id, target=f"partner:{partner}", follow_up_date=(date.today() + timedelta(days=5)).isoformat())  # later
    run(app, agency)
    (message,) = smtp.inbox.to("amal@example.org")
    with app.app_context(), tenant_scope(agency.id):
        partner_name = db.session.get(ReferralPartner, partner).name
    assert message["Subject"] == f"Your referral to {partner_name}" and message["Reply-To"] == "settlement@demo.org"
    assert f"follow up with you on {(date.today() + timedelta(days=2)).isoformat()}" in message.get_body(("plain",)).get_content()
    run(app, agency)
    assert len(smtp.inbox.to("amal@example.org")) == 1  # once


def test_the_follow_up_survey_goes_once_a_referral_ends_when_the_agency_has_a_link(app, client, make, agency, smtp):  # noqa: F811
    person = new_client(app, make, agency)
    sign_in(client, "worker@demo.org")
    refer(client, person.id, target=f"partner:{partner_id(app, 'DEMO')}")
    referral = newest_referral(app)
    with app.app_context(), tenant_scope(agency.id):
        db.session.get(Referral, referral.id).status = "attended"
        db.session.get(Agency, agency.id).follow_up_survey_url = None
        db.session.commit()
    run(app, agency)
    assert of_kind(app, "follow_up_survey") == []  # no survey link: no survey
    with app.app_context(), tenant_scope(agency.id):
        db.session.get(Agency, agency.id).follow_up_survey_url = "https://survey.example.org/demo"
        db.session.commit()
    run(app, agency)
    (message,) = smtp.inbox.to("amal@example.org")
    assert message["Subject"].startswith("How did it go with") and "https://survey.example.org/demo" in message.as_string()
    run(app, agency)
    assert len(smtp.inbox.to("amal@example.org")) == 1
    page = text(client.get(f"/admin/clients/{person.id}/?tab=notifications"))
    assert "How did it go with" in page  # the client's Notifications tab shows what went out


@pytest.mark.parametrize(
    "link, saved",
    [
        ("javascript://example.org/alert", None),
        ("survey.example.org", None),
        ("https://localhost", None),
        (" https://survey.example.org/demo ", "https://survey.example.org/demo"),
    ],
)
def test_the_survey_link_must_be_a_web_address(app, login, link, saved):
    demo = demo_agency(app, "DEMO")
    admin = login("admin@demo.org")
    form = {"name": demo.name, "privacy_statement_en": "Statement", "privacy_statement_fr": "Déclaration"}
    response = admin.post(f"/admin/agency/edit/?id={demo.id}", data={**form, "follow_up_survey_url": link})
    if saved is None:
        assert response.status_code == 200 and "Enter a web address starting with https://" in text(response)
    else:
        assert response.status_code == 302
    with app.app_context(), tenant_scope(demo.id):
        assert db.session.get(Agency, demo.id).follow_up_survey_url == saved

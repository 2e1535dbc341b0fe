"""Tasks: created from the client dashboard for oneself, a colleague or the client; the home page
shows my tasks due and overdue and the tasks I gave others; done sets the done date;
``tasks_due`` is what the reminders ask."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from extensions import db
from models import ALL_AGENCIES, Task, tenant_scope
from models.notification_sending import DECLARATION
from models.portal_accounts import PortalAccount
from models.tasks import tasks_due
from tests.conftest import demo_agency, demo_staff, field_tag, shown_with_its_error, sign_in, text
from tests.portal_helpers import seed_portal_clients, signed_in_portal
from tests.test_referrals import newest_referral, partner_id, refer, samira

pytestmark = pytest.mark.usefixtures("demo")


def add_task(client, client_id, **values):
    data = {
        "title": "Call about the lease",
        "assignee": "me",
        "due_date": date.today().isoformat(),
        "priority": "normal",
        **values,
    }
    return client.post(f"/admin/clients/{client_id}/tasks/", data=data, follow_redirects=True)


def task(app, title):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        row = db.session.scalar(select(Task).where(Task.title == title))
        if row is not None:
            db.session.expunge(row)
        return row


def test_tasks_for_me_a_colleague_and_the_client(app, client):
    sign_in(client, "worker@demo.org")
    me, colleague = demo_staff(app, "worker@demo.org"), demo_staff(app, "worker2@demo.org")
    assert "Task saved." in text(
        add_task(client, samira(app), title="Mine", due_date=(date.today() - timedelta(days=2)).isoformat())
    )
    assert "Task saved." in text(add_task(client, samira(app), title="Hers", assignee=str(colleague.id)))
    assert "Task saved." in text(add_task(client, samira(app), title="Theirs", assignee="client"))
    assert (task(app, "Mine").assigned_to_id, task(app, "Mine").created_by_id) == (me.id, me.id)
    assert task(app, "Hers").assigned_to_id == colleague.id
    assert (task(app, "Theirs").assignee_kind, task(app, "Theirs").client_id) == ("client", samira(app))
    home = text(client.get("/admin/"))
    mine, given = home.split('data-testid="my-tasks"')[1], home.split('data-testid="given-tasks"')[1]
    assert "Mine" in mine.split('data-testid="given-tasks"')[0] and "Overdue" in mine
    assert "Hers" in given and "Theirs" in given and "Mine" not in given
    client.post("/logout")
    sign_in(client, "worker2@demo.org")
    assert "Hers" in text(client.get("/admin/")).split('data-testid="my-tasks"')[1].split('data-testid="given-tasks"')[0]


def test_done_sets_the_done_date_and_leaves_the_due_list(app, client):
    sign_in(client, "worker@demo.org")
    add_task(client, samira(app), title="Finish")
    row = task(app, "Finish")
    with app.app_context(), tenant_scope(demo_agency(app, "DEMO").id):
        assert row.id in [t.id for t in tasks_due(date.today())]
    data = {"title": "Finish", "details": "", "due_date": date.today().isoformat(), "priority": "normal", "status": "done"}
    assert client.post(f"/admin/tasks/edit/?id={row.id}", data=data).status_code == 302
    assert task(app, "Finish").done_date == date.today()
    with app.app_context(), tenant_scope(demo_agency(app, "DEMO").id):
        assert row.id not in [t.id for t in tasks_due(date.today() + timedelta(days=30))]


@pytest.mark.parametrize("field", ["assignee", "referral_id"])
def test_another_agencys_staff_or_referral_is_a_field_error(app, client, field):
    sign_in(client, "worker@demo.org")
    other_admin = demo_staff(app, "admin@other.org")
    value = str(other_admin.id) if field == "assignee" else "999999"
    page = text(add_task(client, samira(app), title="Foreign", **{field: value}))
    message = "Choose from the list: this choice is not one you may use." if field == "assignee" else "Not a valid choice"
    assert message in page and task(app, "Foreign") is None


def test_a_task_needs_a_title(app, client):
    sign_in(client, "worker@demo.org")
    assert "Say what is to be done." in text(add_task(client, samira(app), title=""))


@pytest.mark.parametrize(
    ("typed", "message"),
    [("2026-13-45", "“2026-13-45” is not a date: write it as YYYY-MM-DD"), ("", "This field is required.")],
)
def test_a_due_date_that_is_no_date_is_named_and_the_task_kept(app, client, typed, message):
    sign_in(client, "worker@demo.org")
    response = add_task(client, samira(app), title="Book the interpreter", details="Arabic, Tuesday", due_date=typed)
    page = text(response)
    assert response.status_code == 200 and task(app, "Book the interpreter") is None and "Nothing was saved" in page
    shown_with_its_error(page, "due_date", message)
    assert 'value="Book the interpreter"' in field_tag(page, "title") and "Arabic, Tuesday" in page
    assert ("This field is required" in page) == (typed == "")


def test_another_agencys_client_and_task_are_not_found(app, client):
    sign_in(client, "admin@other.org")
    assert add_task(client, samira(app), title="Foreign").status_code == 404
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        demo_task = db.session.scalar(select(Task.id).where(Task.agency_id == demo_agency(app, "DEMO").id))
    assert client.get(f"/admin/tasks/edit/?id={demo_task}").status_code == 404


def amira(app):
    """The demo's portal client (client@demo.org), worker@demo.org's client."""
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        found = db.session.scalar(select(PortalAccount.client_id).where(PortalAccount.email == "client@demo.org"))
    return found or seed_portal_clients(app)[0]


def test_a_task_about_a_private_referral_is_seen_only_by_the_people_it_concerns(app, client):
    """A task tells what its referral is about: about a Private referral, it is seen by who gave
    it, who it is for, their coordinator and (given to the client) the client in the portal;
    colleagues and the agency admin do not see it (grid, dashboard, page, home), though the
    admin's task report counts it as Restricted."""
    sign_in(client, "worker@demo.org")
    refer(client, amira(app), target=f"partner:{partner_id(app, 'DEMO')}", is_private="y", notes="SECRET-REFERRAL-NOTE")
    referral = newest_referral(app)
    colleague = demo_staff(app, "worker2@demo.org")
    for title, assignee in (("SECRET-MINE", "me"), ("SECRET-HERS", str(colleague.id)), ("SECRET-CLIENTS", "client")):
        assert "Task saved." in text(add_task(client, amira(app), title=title, assignee=assignee, referral_id=str(referral.id)))
    assert "Task saved." in text(add_task(client, amira(app), title="OPEN-TASK", assignee="me"))
    dashboard, grid = f"/admin/clients/{amira(app)}/?tab=referrals", "/admin/tasks/"
    page = text(client.get(dashboard)) + text(client.get(grid))
    assert all(title in page for title in ("SECRET-MINE", "SECRET-HERS", "SECRET-CLIENTS", "OPEN-TASK"))

    def seen(email):
        client.post("/logout")
        sign_in(client, email)
        shown = text(client.get(dashboard)) + text(client.get(grid)) + text(client.get("/admin/"))
        return {title for title in ("SECRET-MINE", "SECRET-HERS", "SECRET-CLIENTS", "OPEN-TASK") if title in shown}

    assert seen("worker2@demo.org") == {"SECRET-HERS", "OPEN-TASK"}  # the task given to her, not the others
    # Not found, as a hidden referral is (no break-glass for these)
    assert client.get(f"/admin/tasks/edit/?id={task(app, 'SECRET-MINE').id}").status_code == 404
    assert client.get(f"/admin/tasks/details/?id={task(app, 'SECRET-CLIENTS').id}").status_code == 404
    assert seen("worker3@demo.org") == {"OPEN-TASK"}
    assert seen("admin@demo.org") == {"OPEN-TASK"}  # Private: agency admins are no exception
    assert client.get(f"/admin/tasks/edit/?id={task(app, 'SECRET-HERS').id}").status_code == 404
    report = text(client.get(f"/admin/reports/tasks_by_kind/records?from={date.today()}&to={date.today()}"))
    assert "SECRET" not in report and "Restricted" in report and "OPEN-TASK" in report
    assert seen("coordinator@demo.org") == {"SECRET-MINE", "SECRET-HERS", "SECRET-CLIENTS", "OPEN-TASK"}
    portal = signed_in_portal(app, "client@demo.org")
    listed = text(portal.get("/portal/tasks"))
    assert "SECRET-CLIENTS" in listed and "SECRET-MINE" not in listed and "SECRET-HERS" not in listed
    done = portal.post(f"/portal/tasks/{task(app, 'SECRET-CLIENTS').id}/done", follow_redirects=True)
    assert done.status_code == 200 and task(app, "SECRET-CLIENTS").status == "done"


def test_the_reminder_job_mails_a_task_about_a_private_referral_to_its_assignee(app, client):
    sign_in(client, "worker@demo.org")
    refer(client, amira(app), target=f"partner:{partner_id(app, 'DEMO')}", is_private="y")
    referral = newest_referral(app)
    colleague = demo_staff(app, "worker2@demo.org")
    add_task(client, amira(app), title="SECRET-DUE", assignee=str(colleague.id), referral_id=str(referral.id))
    with app.app_context(), tenant_scope(demo_agency(app, "DEMO").id, DECLARATION):
        assert "SECRET-DUE" in [t.title for t in tasks_due(date.today())]
    with app.app_context(), tenant_scope(demo_agency(app, "DEMO").id):  # a job that declared nothing
        assert "SECRET-DUE" not in [t.title for t in tasks_due(date.today())]

"""The home page's "My assigned clients" (paged, searched by name or number) and "My incomplete
sessions" (paged) over a caseload bigger than a page."""

import re

import pytest
from sqlalchemy import or_, select

from extensions import db
from models import ALL_AGENCIES, Agency, Client, Principal, ServiceSession, Staff, acting_as, tenant_scope
from models.caseload import my_incomplete_sessions
from models.clients import ClientAssignment
from models.completeness import incomplete_sessions
from tests.conftest import text
from tests.test_grid_statements import grow

pytestmark = pytest.mark.usefixtures("demo")


def card(page, testid):
    return page.split(f'data-testid="{testid}"')[1].split('class="card mb-3')[0]


def listed_numbers(page):
    listed = card(page, "assigned-clients").split("<ul")[1].split("</ul>")[0]  # not the search box's value
    return re.findall(r"C\d{6}", listed)


def caseload(app):
    """The worker's assigned clients, newest first, and another agency's client."""
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        worker = db.session.scalar(select(Staff.id).where(Staff.email == "worker@demo.org"))
        mine = select(Client).join(ClientAssignment).where(ClientAssignment.staff_id == worker, Client.is_archived.is_(False))
        clients = db.session.scalars(mine.order_by(Client.id.desc())).all()
        other = db.session.scalar(select(Client).join(Agency).where(Agency.code == "OTHER", Client.kind == "named"))
        return [(c.registration_number, c.last_name) for c in clients], (other.registration_number, other.last_name)


def test_assigned_clients_come_a_page_at_a_time(app, login):
    grow(app, clients=25)
    mine, _ = caseload(app)
    worker = login("worker@demo.org")
    first = text(worker.get("/admin/"))
    assert listed_numbers(first) == [number for number, _ in mine[:10]]
    assert "assigned_page=1" in card(first, "assigned-clients")
    second = text(worker.get("/admin/?assigned_page=1"))
    assert listed_numbers(second) == [number for number, _ in mine[10:20]]
    last_page = (len(mine) - 1) // 10
    last = text(worker.get(f"/admin/?assigned_page={last_page}"))
    assert listed_numbers(last) == [number for number, _ in mine[last_page * 10 :]]
    assert f"assigned_page={last_page + 1}" not in last
    for bad in ("abc", "-1", "²", "99999999999999999999"):
        assert worker.get(f"/admin/?assigned_page={bad}&incomplete_page={bad}").status_code == 200


def test_assigned_clients_are_searched_by_name_and_number(app, login):
    grow(app, clients=25)
    mine, (other_number, other_name) = caseload(app)
    worker = login("worker@demo.org")
    number, name = mine[7]
    by_number = text(worker.get(f"/admin/?assigned_q={number.lower()}"))
    assert listed_numbers(by_number) == [number]
    by_name = listed_numbers(text(worker.get(f"/admin/?assigned_q={name.upper()}")))
    assert number in by_name and set(by_name) <= {n for n, last in mine if last == name}
    assert listed_numbers(text(worker.get(f"/admin/?assigned_q={other_number}"))) == []  # another agency's
    nobody = text(worker.get(f"/admin/?assigned_q={other_name}%25_zz"))
    assert listed_numbers(nobody) == [] and "None of your assigned clients matches." in nobody
    page = text(worker.get(f"/admin/?assigned_q={name}"))
    assert 'for="assigned_q"' in page and f'value="{name}"' in page


def test_incomplete_sessions_come_a_page_at_a_time(app, login):
    grow(app, clients=60)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        worker = db.session.scalar(select(Staff.id).where(Staff.email == "worker@demo.org"))
        sessions = ServiceSession.__table__
        demo = db.session.scalar(select(Agency.id).where(Agency.code == "DEMO"))
        db.session.execute(sessions.update().where(sessions.c.agency_id == demo).values(lead_staff_id=worker, program_id=None))
        db.session.commit()
    browser = login("worker@demo.org")
    first = card(text(browser.get("/admin/")), "incomplete-sessions")
    assert first.count("/admin/sessions/edit/?id=") == 10 and "(10+)" in first and "incomplete_page=1" in first
    second = card(text(browser.get("/admin/?incomplete_page=1")), "incomplete-sessions")
    ids = lambda html: re.findall(r"/admin/sessions/edit/\?id=(\d+)", html)  # noqa: E731
    assert ids(second) and not set(ids(first)) & set(ids(second))
    assert "incomplete_page=0" not in second and "Previous" in second


def test_incomplete_sessions_are_the_teams_newest_first_on_every_page(app):
    """The union of one index scan per person and role gives what one query over the team gives:
    every incomplete session a team member leads or created, once, newest first (date, then id)."""
    grow(app, clients=40)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        demo = db.session.scalar(select(Agency.id).where(Agency.code == "DEMO"))
        coordinator_id = db.session.scalar(select(Staff.id).where(Staff.email == "coordinator@demo.org"))
        staff = db.session.scalars(select(Staff.id).where(Staff.agency_id == demo).order_by(Staff.id)).all()
        rows = db.session.scalars(select(ServiceSession).where(ServiceSession.agency_id == demo).order_by(ServiceSession.id))
        for number, row in enumerate(rows):  # leads and creators apart, some outside the team, same days
            row.lead_staff_id, row.created_by_id = staff[number % len(staff)], staff[(number // 3) % len(staff)]
        db.session.commit()
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        coordinator = db.session.get(Staff, coordinator_id)
        db.session.expunge(coordinator)
    with app.app_context(), acting_as(Principal.staff(coordinator)):
        coordinator = db.session.get(Staff, coordinator_id)
        people = [coordinator.id, *(member.id for member in coordinator.team)]
        newest = (ServiceSession.service_date.desc(), ServiceSession.id.desc())
        expected = db.session.scalars(
            incomplete_sessions()
            .where(or_(ServiceSession.lead_staff_id.in_(people), ServiceSession.created_by_id.in_(people)))
            .order_by(*newest)
        ).all()
        listed, page, more = [], 0, True
        while more:
            rows, more = my_incomplete_sessions(coordinator, page=page, size=7)
            listed += [row.id for row in rows]
            page += 1
        assert len(expected) > 14 and listed == [row.id for row in expected]

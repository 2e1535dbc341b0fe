"""The session pages' look-ups (issue 18 item 1): lead staff, other staff (a multi-select) and
the course come from /admin/lookup/<kind>/, scoped like any page: another agency's staff or
course, and a course whose session the viewer may not see, are never returned and, when posted,
are refused on the field with nothing saved. The session's own choices stay on edit and on a
form shown again; the pages' statements and size do not grow with the courses and staff."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from extensions import db
from models import ALL_AGENCIES, Course, Program, ServiceSession, Site, Staff, tenant_scope
from tests.conftest import demo_agency, demo_staff, sign_in, text
from tests.sessions_helpers import ids, new_session, wizard_form
from tests.test_grid_statements import counting

pytestmark = pytest.mark.usefixtures("demo")
REFUSED = "Choose from the list: this choice is not one you may use."


def look_up(browser, kind, q):
    response = browser.get(f"/admin/lookup/{kind}/", query_string={"q": q})
    assert response.status_code == 200
    return [(int(row["value"]), row["text"]) for row in response.get_json()["results"]]


def add_courses(app, code, names, program=None, start=None):
    """Courses opened by sessions of agency ``code`` (rows written directly: many at once)."""
    agency = demo_agency(app, code)
    with app.app_context(), tenant_scope(agency.id):
        lead = db.session.scalar(select(Staff).order_by(Staff.id))
        site = db.session.scalar(select(Site).order_by(Site.id))
        program_id = db.session.scalar(select(Program.id).where(Program.name == program)) if program else None
        opened = []
        for name in names:
            session = ServiceSession(
                service_date=date.today(), site_id=site.id, lead_staff_id=lead.id, created_by_id=lead.id, hours=1, minutes=0
            )
            session.session_type, session.program_id, session.languages = "language_training", program_id, ["English"]
            session.course = Course(name=name, levels="CLB 4", start_date=start or date.today(), instructor_id=lead.id)
            db.session.add(session)
            opened.append(session)
        db.session.commit()
        return [session.id for session in opened]


def add_staff(app, code, count, prefix="Extra"):
    agency = demo_agency(app, code)
    with app.app_context(), tenant_scope(agency.id):
        for n in range(count):
            email = f"{prefix.lower()}{n}@{code.lower()}.example.org"
            db.session.add(Staff(email=email, first_name=f"{prefix}{n}", last_name="Colleague", role="worker"))
        db.session.commit()


def session_count(app):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        return db.session.scalar(select(func.count(ServiceSession.id)))


def test_another_agencys_course_and_staff_are_never_offered(app, worker):
    add_courses(app, "OTHER", ["Evening English"])
    add_courses(app, "DEMO", ["Evening French"])
    assert [label for _, label in look_up(worker, "courses", "evening")] == [f"Evening French (CLB 4) · {date.today()}"]
    assert look_up(worker, "staff", "olivia") == [] and look_up(worker, "courses", "english") == []


def test_a_course_whose_session_i_may_not_see_is_not_offered(app, client, login):
    hidden = add_courses(app, "DEMO", ["Settlement English"], program="Settlement Services")[0]
    login("worker2@demo.org")  # not in Settlement Services
    assert look_up(client, "courses", "settlement") == []
    client.post("/logout")
    login("worker@demo.org")  # a member of the program
    assert [value for value, _ in look_up(client, "courses", "settlement")] == [hidden]


def test_a_course_to_start_comes_after_the_running_ones(app, worker):
    later = add_courses(app, "DEMO", ["Alpha course"], start=date.today() + timedelta(days=14))[0]
    running = add_courses(app, "DEMO", ["Zulu course"])[0]
    assert [value for value, _ in look_up(worker, "courses", "course")] == [running, later]


@pytest.mark.parametrize("field", ["lead_staff_id", "staff_ids", "course_session_id"])
def test_an_id_i_may_not_use_is_refused_on_its_field(app, client, login, field):
    foreign = {
        "lead_staff_id": demo_staff(app, "admin@other.org").id,
        "staff_ids": demo_staff(app, "admin@other.org").id,
        "course_session_id": add_courses(app, "DEMO", ["Hidden course"], program="Settlement Services")[0],
    }[field]
    login("worker2@demo.org")
    me = demo_staff(app, "worker2@demo.org")
    before = session_count(app)
    form = {**wizard_form(app, lead_staff_id=str(me.id), session_type="language_training"), field: [str(foreign)]}
    response = client.post("/admin/sessions/new/", data=form)
    page = text(response)
    assert response.status_code == 200 and REFUSED in page and session_count(app) == before
    assert REFUSED in page.split(f'id="{field}"')[1].split('class="form-group')[0]  # on the field itself
    assert "Hidden course" not in page and "Olivia" not in page


def test_the_sessions_own_choices_stay_on_edit_and_on_a_refused_form(app, client, login, me):
    course = add_courses(app, "DEMO", ["Morning English"])[0]
    priya = demo_staff(app, "worker2@demo.org")
    login("worker@demo.org")
    extra = {"session_type": "language_training", "course_session_id": str(course), "staff_ids": [str(priya.id)]}
    session_id = new_session(app, client, me.id, **extra)
    page = text(client.get(f"/admin/sessions/edit/?id={session_id}"))
    for value, label in ((me.id, "Wei Zhang"), (priya.id, "Priya Raman"), (course, "Morning English (CLB 4)")):
        assert f'<option selected value="{value}">{label}' in page
    assert re.search(r'<select[^>]*data-lookup="/admin/lookup/staff/"[^>]*id="staff_ids"[^>]*multiple', page)
    refused = wizard_form(app, lead_staff_id=str(me.id), minutes="", hours="", **extra)
    page = text(client.post(f"/admin/sessions/edit/?id={session_id}", data=refused))
    assert "Enter the time the service took" in page
    assert f'<option selected value="{priya.id}">Priya Raman</option>' in page
    assert f'<option selected value="{course}">Morning English (CLB 4)' in page


def test_an_inactive_colleague_stays_on_their_session_but_is_not_offered_anew(app, client, login, me):
    priya = demo_staff(app, "worker2@demo.org")
    login("worker@demo.org")
    session_id = new_session(app, client, me.id, staff_ids=[str(priya.id)], notes="before")
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        db.session.get(Staff, priya.id).is_active = False
        db.session.commit()
    page = text(client.get(f"/admin/sessions/edit/?id={session_id}"))
    assert f'<option selected value="{priya.id}">Priya Raman (inactive)</option>' in page
    version = re.search(r'name="expected_version" type="hidden" value="(\d+)"', page).group(1)
    data = wizard_form(app, lead_staff_id=str(me.id), staff_ids=[str(priya.id)], notes="after", expected_version=version)
    assert client.post(f"/admin/sessions/edit/?id={session_id}", data=data).status_code == 302
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert [s.id for s in db.session.get(ServiceSession, session_id).staff] == [priya.id]
    assert look_up(client, "staff", "priya") == []
    response = client.post("/admin/sessions/new/", data=wizard_form(app, lead_staff_id=str(me.id), staff_ids=[str(priya.id)]))
    assert response.status_code == 200 and REFUSED in text(response)


def test_the_dashboard_assignment_asks_the_look_up_and_refuses_another_agencys(app, client, login):
    login("worker@demo.org")
    with app.app_context(), tenant_scope(demo_agency(app, "DEMO").id):
        from models import Client

        person = db.session.scalar(select(Client.id).where(Client.kind == "named"))
    page = text(client.get(f"/admin/clients/{person}/"))
    assert re.search(r'<select[^>]*data-lookup="/admin/lookup/staff/"[^>]*multiple|<select[^>]*multiple[^>]*data-lookup', page)
    other = demo_staff(app, "admin@other.org")
    client.post(f"/admin/clients/{person}/assign/", data={"staff": [str(other.id)]})
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        from models import ClientAssignment

        assert (
            other.id
            not in db.session.scalars(select(ClientAssignment.staff_id).where(ClientAssignment.client_id == person)).all()
        )


def page_cost(app, browser, url):
    assert browser.get(url).status_code == 200, url  # warm the per-process caches
    with counting(app) as statements:
        response = browser.get(url)
    assert response.status_code == 200
    return len(statements), len(response.get_data())


def test_the_session_pages_do_not_grow_with_the_courses_and_staff(app, client, login, me):
    course = add_courses(app, "DEMO", ["First course"])[0]
    login("worker@demo.org")
    priya = demo_staff(app, "worker2@demo.org")
    session_id = new_session(
        app, client, me.id, session_type="language_training", course_session_id=str(course), staff_ids=[str(priya.id)]
    )
    urls = ("/admin/sessions/new/", f"/admin/sessions/edit/?id={session_id}")
    before = {url: page_cost(app, client, url) for url in urls}
    add_courses(app, "DEMO", [f"Grown course {n}" for n in range(60)])
    add_staff(app, "DEMO", 60)
    after = {url: page_cost(app, client, url) for url in urls}
    for url in urls:
        assert after[url][0] == before[url][0], url  # statements
        assert abs(after[url][1] - before[url][1]) < 200, url  # bytes: no option per course or colleague
    assert "Grown course" not in text(client.get(urls[0])) and "Extra1 " not in text(client.get(urls[1]))


def test_signed_out_and_other_agency_look_ups(app, client):
    add_courses(app, "DEMO", ["Evening French"])
    assert client.get("/admin/lookup/courses/?q=evening").status_code == 302
    sign_in(client, "admin@other.org")
    assert look_up(client, "courses", "evening") == [] and ids(app, Course)  # the course exists

"""Edge cases a user can reach by typing, clicking twice or editing old records: each gets a
clear answer, never a 500, and nothing is silently changed."""

from datetime import date, timedelta

import pytest
from flask_admin.contrib.sqla import ModelView
from sqlalchemy import select, update

from extensions import db
from models import ALL_AGENCIES, Agency, AgencyQuestion, CaseNote, Client, ServiceSession, Site, Staff, tenant_scope
from models.completeness import clients_served
from tests.conftest import demo_agency, demo_staff, sign_in, text
from tests.sessions_helpers import add_client, add_form, complete_answers, form_id, new_session, session_row

pytestmark = pytest.mark.usefixtures("demo")


def filter_index(app, endpoint, name):
    view = next(v for v in app.extensions["admin"][0]._views if getattr(v, "endpoint", "") == endpoint)
    return next(i for i, f in enumerate(view._filters) if f.name == name)


def test_form_grid_filters_by_site_and_date(app, worker, me, make):
    person = make.client(demo_agency(app, "DEMO"), first_name="Sitefilter")
    new_session(app, worker, me.id, client_id=str(person.id))
    site = filter_index(app, "service_forms", "Site")
    dates = filter_index(app, "service_forms", "Date")
    assert "Sitefilter" in text(worker.get(f"/admin/service-forms/?flt0_{site}={me.default_site_id}"))
    today = date.today().isoformat()
    response = worker.get(f"/admin/service-forms/?flt0_{dates}={today}+to+{today}")
    assert response.status_code == 200 and "Sitefilter" in text(response)
    old = (date.today() - timedelta(days=400)).isoformat()
    assert "Sitefilter" not in text(worker.get(f"/admin/service-forms/?flt0_{dates}={old}+to+{old}"))


@pytest.mark.parametrize(
    "endpoint, name", [("clients", "Assigned worker"), ("sessions", "Worker"), ("clients", "Agency question")]
)
def test_odd_filter_values_are_ignored_not_errors(app, worker, endpoint, name):
    index = filter_index(app, endpoint, name)
    for value in ("²", "٣", "99999999999999999999999", "x:y", "²:Yes"):
        assert worker.get(f"/admin/{endpoint}/?flt0_{index}={value}").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/admin/clients/99999999999999999999999/",
        "/admin/clients/details/?id=99999999999999999999",
        "/admin/sessions/edit/?id=99999999999999999999",
    ],
)
def test_huge_ids_are_404(worker, path):
    assert worker.get(path).status_code == 404


HUGE = "9" * 20  # beyond a 64-bit integer: SQLite's driver raised OverflowError (an HTTP 500)


def grid_urls(app):
    views = app.extensions["admin"][0]._views
    return [view.url + "/" for view in views if isinstance(view, ModelView)]


def test_a_huge_page_number_on_any_grid_is_a_400(app, login):
    """As the agency admin (who opens every grid): the same clear answer on both databases."""
    admin = login("admin@demo.org")
    urls = grid_urls(app)
    assert len(urls) >= 10
    for url in urls:
        for arguments in ({"page": HUGE}, {"page": HUGE, "page_size": "50"}, {"page": HUGE, "page_size": HUGE}):
            response = admin.get(url, query_string=arguments)
            assert response.status_code == 400 and "too large" in text(response), (url, arguments)
        assert admin.get(url, query_string={"page": "999999"}).status_code == 200, url  # past the end: an empty page


@pytest.mark.parametrize("path", [f"/admin/sessions/new/?client_id={HUGE}", f"/admin/register/named/?family_of={HUGE}"])
def test_a_huge_id_in_a_url_is_a_400(worker, path):
    worker.post("/admin/register/consent/", data={"decision": "accept"})  # the registration page needs it
    response = worker.get(path)
    assert response.status_code == 400 and "too large" in text(response)


def test_a_huge_client_id_posted_to_a_session_is_never_a_500(app, worker, me, make):
    session_id = new_session(app, worker, me.id, client_id=str(make.client(demo_agency(app, "DEMO")).id))
    for response in (add_form(worker, session_id, "io", HUGE), add_client(worker, session_id, HUGE)):
        assert response.status_code in (302, 400, 404), response.status_code


def test_a_number_question_refuses_infinity(app, worker, me, make):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        question = AgencyQuestion(agency_id=demo_agency(app, "DEMO").id, target="io", label="Children", answer_type="number")
        db.session.add(question)
        db.session.commit()
        key = question.key
    session_id = new_session(app, worker, me.id, client_id=str(make.client(demo_agency(app, "DEMO")).id))
    response = worker.post(f"/admin/sessions/{session_id}/forms/{form_id(app, session_id, 'io')}/", data={key: "1e400"})
    assert response.status_code == 200 and "Enter an ordinary number" in text(response)


def test_a_form_still_opens_after_a_question_changes_type(app, worker, me, make):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        question = AgencyQuestion(agency_id=demo_agency(app, "DEMO").id, target="io", label="When?", answer_type="text")
        db.session.add(question)
        db.session.commit()
        question_id, key = question.id, question.key
    session_id = new_session(app, worker, me.id, client_id=str(make.client(demo_agency(app, "DEMO")).id))
    row = form_id(app, session_id, "io")
    worker.post(f"/admin/sessions/{session_id}/forms/{row}/", data={key: "last spring"})
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        db.session.execute(update(AgencyQuestion).where(AgencyQuestion.id == question_id).values(answer_type="date"))
        db.session.commit()
    assert worker.get(f"/admin/sessions/{session_id}/forms/{row}/").status_code == 200


def test_editing_a_session_keeps_a_deactivated_lead(app, client, login, make):
    login("worker@demo.org")
    me = demo_staff(app, "worker@demo.org")
    session_id = new_session(app, client, me.id)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        db.session.get(Staff, me.id).is_active = False
        db.session.commit()
    login("coordinator@demo.org")
    page = text(client.get(f"/admin/sessions/edit/?id={session_id}"))
    assert "Wei Zhang (inactive)" in page
    from tests.sessions_helpers import wizard_form

    client.post(f"/admin/sessions/edit/?id={session_id}", data=wizard_form(app, lead_staff_id=str(me.id), notes="fixed a typo"))
    session = session_row(app, session_id)
    assert session.lead_staff_id == me.id and session.notes == "fixed a typo"


def test_a_stale_edit_cannot_overwrite_changed_contacts(app, worker, make):
    person = make.client(demo_agency(app, "DEMO"), first_name="Contact", last_name="Keeper")
    site = str(demo_staff(app, "worker@demo.org").default_site_id)
    base = {
        "first_name": "Contact",
        "last_name": "Keeper",
        "date_of_birth": "1990-01-02",
        "gender": "Female",
        "registration_site_id": site,
        "expected_version": "1",
    }
    worker.post(f"/admin/clients/edit/?id={person.id}", data={**base, "emergency_contacts-0-name": "First editor's contact"})
    stale = worker.post(f"/admin/clients/edit/?id={person.id}", data={**base, "emergency_contacts-0-name": "Second editor"})
    assert "changed by someone else" in text(stale)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert [c.name for c in db.session.get(Client, person.id).emergency_contacts] == ["First editor's contact"]


def test_new_family_code_on_the_edit_page(app, worker, make):
    person = make.client(demo_agency(app, "DEMO"), first_name="Family", last_name="Starter")
    site = str(demo_staff(app, "worker@demo.org").default_site_id)
    worker.post(
        f"/admin/clients/edit/?id={person.id}",
        data={
            "first_name": "Family",
            "last_name": "Starter",
            "date_of_birth": "1990-01-02",
            "gender": "Female",
            "registration_site_id": site,
            "expected_version": "1",
            "family_code": "new",
        },
    )
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert db.session.get(Client, person.id).family_code.startswith("F-")


def test_an_overlong_email_or_phone_gets_a_message(app, client, login):
    response = sign_in(client, "a" * 300 + "@demo.org")
    assert response.status_code == 200 and "Sign in" in text(response)
    login("admin@demo.org")
    response = client.post(
        "/admin/staff/new/",
        data={
            "email": "long@demo.org",
            "first_name": "L",
            "last_name": "P",
            "role": "worker",
            "phone": "416-555-0123 ext 12345678901234567890",
            "new_password": "a-long-password",
        },
    )
    assert "Keep the phone number to 30 characters" in text(response)


def test_consent_is_asked_again_when_the_statement_is_shown_again(worker):
    worker.post("/admin/register/consent/", data={"decision": "accept"})
    assert worker.get("/admin/register/named/").status_code == 200
    worker.get("/admin/register/")
    assert worker.get("/admin/register/named/").status_code == 302


def test_an_old_consent_expires(app, worker):
    worker.post("/admin/register/consent/", data={"decision": "accept"})
    with worker.session_transaction() as browser_session:
        browser_session["privacy_consent"] = {**browser_session["privacy_consent"], "at": "2020-01-01T10:00:00"}
    assert worker.get("/admin/register/named/").status_code == 302


def test_an_anonymous_client_has_no_family_to_join(app, worker, make):
    anonymous = make.client(demo_agency(app, "DEMO"), kind="anonymous")
    worker.post("/admin/register/consent/", data={"decision": "accept"})
    assert worker.get(f"/admin/register/named/?family_of={anonymous.id}").status_code == 404


def test_sign_out_needs_a_post(worker):
    assert worker.get("/logout").status_code == 405


def test_a_new_privacy_wording_is_a_new_version(app, client, login):
    login("admin@demo.org")
    agency = demo_agency(app, "DEMO")
    client.post(
        f"/admin/agency/edit/?id={agency.id}",
        data={"name": agency.name, "privacy_statement_en": "Reworded", "privacy_statement_fr": agency.privacy_statement_fr},
    )
    client.post(
        f"/admin/agency/edit/?id={agency.id}",
        data={"name": "Renamed", "privacy_statement_en": "Reworded", "privacy_statement_fr": agency.privacy_statement_fr},
    )
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert db.session.get(Agency, agency.id).privacy_statement_version == agency.privacy_statement_version + 1


def test_absent_attendees_are_not_counted(app, worker, me, make):
    agency = demo_agency(app, "DEMO")
    present, absent = make.client(agency, first_name="Present"), make.client(agency, first_name="Absent")
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        activity = db.session.scalar(select(ServiceSession.group_activity_id).where(ServiceSession.group_activity_id.isnot(None)))
        from models import GroupActivityName

        activity = activity or db.session.scalar(select(GroupActivityName.id).where(GroupActivityName.agency_id == agency.id))
    session_id = new_session(app, worker, me.id, session_type="io_group", group_activity_id=str(activity))
    add_form(worker, session_id, "io_group")
    worker.post(f"/admin/sessions/{session_id}/forms/{form_id(app, session_id, 'io_group')}/", data=complete_answers("io_group"))
    for person, attended in ((present, "Yes"), (absent, "No")):
        add_client(worker, session_id, person.id)
        add_form(worker, session_id, "io_attendee", person.id)
        answers = {**complete_answers("io_attendee"), "client_attended": attended}
        worker.post(f"/admin/sessions/{session_id}/forms/{form_id(app, session_id, 'io_attendee', person.id)}/", data=answers)
    with app.app_context(), tenant_scope(agency.id):
        assert clients_served(ServiceSession.id == session_id) == 1


def test_a_mass_action_on_visible_rows_works_on_every_database(app, client, login, make):
    """Flask-Admin hands actions the form's strings; PostgreSQL refused them (integer = varchar)."""
    site = make.site(demo_agency(app, "DEMO"), name="Closing Site")
    response = login("admin@demo.org").post("/admin/sites/action/", data={"action": "delete", "rowid": [str(site.id)]})
    assert response.status_code == 302
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert db.session.get(Site, site.id) is None


@pytest.mark.parametrize(
    "url",
    [
        "/admin/clients/2147483648/",
        "/admin/break-glass/case_note/2147483648/",
        "/admin/sessions/edit/?id=2147483648",
        "/admin/audit/?flt0_0=2147483648",
    ],
)
def test_ids_beyond_an_id_columns_range_are_not_found(client, login, url):
    """Id columns are 32-bit on PostgreSQL: a larger number is a 404 (or an ignored filter), not a 500."""
    login("admin@demo.org")
    assert client.get(url).status_code in (200, 404)


def test_a_posted_id_beyond_the_range_is_refused_without_a_500(app, client, login, me):
    worker = login("worker@demo.org")
    session_id = new_session(app, worker, me.id)
    response = worker.post(f"/admin/sessions/{session_id}/clients/", data={"client_id": "2147483648"})
    assert response.status_code in (302, 400, 404)
    assert session_row(app, session_id).attendees == []


def test_a_nul_character_in_text_is_refused_on_every_database(app, client, login, make):
    person = make.client(demo_agency(app, "DEMO"))
    response = login("worker@demo.org").post(f"/admin/clients/{person.id}/notes/", data={"body": "before\x00after"})
    assert response.status_code in (302, 400)
    if response.status_code == 400:  # PostgreSQL cannot store it: told, nothing saved
        assert "cannot be stored" in text(response)
        with app.app_context(), tenant_scope(ALL_AGENCIES):
            assert db.session.scalar(select(CaseNote.id).where(CaseNote.client_id == person.id)) is None


def test_a_next_address_with_a_line_break_goes_home(client):
    response = client.post("/login?next=/%0d%0aSet-Cookie:x", data={"email": "worker@demo.org", "password": "demo-password"})
    assert response.status_code == 302 and response.location.endswith("/admin/")

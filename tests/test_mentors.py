"""The mentor and tutor directory, the Match form that picks from it (refusals with their
reason), the Update form recorded against a match, and the matches lists."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update

from extensions import db
from models import ALL_AGENCIES, Agency, Mentor, MentorMatch, MentorUpdate, ServiceForm, Staff, tenant_scope
from models.mentors import available_mentors, stale_matches
from tests.conftest import demo_agency, sign_in, text
from tests.sessions_helpers import add_client, add_form, complete_answers, form_id, form_state, new_session

pytestmark = pytest.mark.usefixtures("demo")


def make_mentor(app, agency_code="DEMO", **overrides):
    """A mentor of the directory; a date given as a timedelta counts from today (read when the test runs)."""
    values = {
        "name": "Nadia Haddad",
        "kind": "volunteer",
        "skills": "accounting, job interviews",
        "languages": ["Arabic", "English"],
        "availability": ["weekday_evenings"],
        "areas": "Scarborough",
        "screened_on": date.today() - timedelta(days=100),
        "screening_expires_on": date.today() + timedelta(days=265),
        "is_active": True,
    }
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        agency = db.session.scalar(select(Agency).where(Agency.code == agency_code))
        values.update({k: date.today() + v if isinstance(v, timedelta) else v for k, v in overrides.items()})
        mentor = Mentor(agency_id=agency.id, **values)
        db.session.add(mentor)
        db.session.commit()
        return mentor.id


@pytest.fixture
def person(app, make):
    return make.client(demo_agency(app, "DEMO"), first_name="Samira", last_name="Testclient")


def job_session(app, worker, me, person, days_ago=0):
    session_id = new_session(
        app, worker, me.id, session_type="job_development", service_date=(date.today() - timedelta(days=days_ago)).isoformat()
    )
    add_client(worker, session_id, person.id)
    return session_id


def match_form(app, worker, me, person, days_ago=0):
    session_id = job_session(app, worker, me, person, days_ago)
    add_form(worker, session_id, "mentor_match", person.id)
    return session_id, form_id(app, session_id, "mentor_match", person.id)


def save_match(worker, session_id, row, mentor_id, **extra):
    answers = {**complete_answers("mentor_match"), "mentor_id": str(mentor_id), **extra}
    return worker.post(f"/admin/sessions/{session_id}/forms/{row}/", data=answers)


def signed_in(app, email):
    """A test client of its own, signed in as ``email``."""
    browser = app.test_client()
    assert sign_in(browser, email).status_code == 302
    return browser


def count(app, model):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        return db.session.scalar(select(func.count()).select_from(model))


def test_the_directory_lists_and_filters_by_skill_language_and_availability(app, login):
    make_mentor(app)
    make_mentor(app, name="Louis Tremblay", skills="French tutoring", languages=["French"], availability=["weekends"])
    make_mentor(app, "OTHER", name="Other Agency Mentor")
    coordinator = login("coordinator@demo.org")
    page = text(coordinator.get("/admin/mentors/"))
    assert "Nadia Haddad" in page and "Louis Tremblay" in page and "Other Agency Mentor" not in page
    filters = text(coordinator.get("/admin/mentors/?search=tutoring"))
    assert "Louis Tremblay" in filters and "Nadia Haddad" not in filters
    with app.app_context(), tenant_scope(demo_agency(app, "DEMO").id):
        assert [m.name for m in available_mentors(language="French")] == ["Louis Tremblay"]
        assert [m.name for m in available_mentors(skill="ACCOUNT")] == ["Nadia Haddad"]
        assert [m.name for m in available_mentors(availability="weekends")] == ["Louis Tremblay"]
        assert available_mentors(skill="%") == []
    available = text(coordinator.get("/admin/mentors/available/?language=Arabic"))
    assert "Nadia Haddad" in available and "Louis Tremblay" not in available


def test_the_grid_filters_by_language_and_availability(app, login):
    make_mentor(app)
    make_mentor(app, name="Louis Tremblay", languages=["French"], availability=["weekends"])
    coordinator = login("coordinator@demo.org")
    page = text(coordinator.get("/admin/mentors/"))
    assert "Language" in page and "Availability" in page
    for query, shown, hidden in (("flt0_1=French", "Louis", "Nadia"), ("flt0_2=weekday_evenings", "Nadia", "Louis")):
        listed = text(coordinator.get(f"/admin/mentors/?{query}"))
        assert shown in listed and hidden not in listed, query


def test_the_grid_says_in_french_who_cannot_be_matched(app, login):
    make_mentor(app, name="Expired Mentor", screening_expires_on=timedelta(days=-1), languages=["Arabic", "French"])
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        db.session.execute(update(Staff).where(Staff.email == "worker@demo.org").values(interface_language="fr_CA"))
        db.session.commit()
    grid = text(login("worker@demo.org").get("/admin/mentors/"))
    assert "(ne peut pas être jumelé)" in grid and "cannot be matched" not in grid
    assert "Arabe, Français" in grid  # the languages by their labels
    assert 'title="Actif\u00a0: Oui"' in grid and "is_active: true" not in grid  # Yes/No titled by the column


def test_a_coordinator_adds_a_mentor_and_a_worker_may_only_read(app, login):
    coordinator = login("coordinator@demo.org")
    data = {
        "name": "Grace Okafor",
        "kind": "volunteer",
        "skills": "resume writing ,  networking",
        "language_list": ["English", "French"],
        "availability_list": ["online"],
        "screened_on": date.today().isoformat(),
        "screening_expires_on": (date.today() + timedelta(days=365)).isoformat(),
        "is_active": "y",
    }
    assert coordinator.post("/admin/mentors/new/", data=data).status_code == 302
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        grace = db.session.scalar(select(Mentor).where(Mentor.name == "Grace Okafor"))
        assert grace.languages == ["English", "French"] and grace.skills == "resume writing, networking"
    backwards = {**data, "name": "Backwards", "screening_expires_on": (date.today() - timedelta(days=1)).isoformat()}
    page = text(coordinator.post("/admin/mentors/new/", data=backwards))
    assert "cannot expire before it was done" in page and count(app, Mentor) == 3  # Grace and each agency's retired tutor
    worker = signed_in(app, "worker@demo.org")
    assert worker.get("/admin/mentors/new/").status_code == 403
    assert worker.get(f"/admin/mentors/details/?id={grace.id}").status_code == 200


@pytest.mark.parametrize(
    "overrides, reason",
    [
        ({"is_active": False}, "is not active in the directory"),
        ({"screened_on": None, "screening_expires_on": None}, "has no screening (background check) on record"),
        ({"screening_expires_on": timedelta(days=-1)}, "s screening expired on"),
    ],
    ids=["inactive", "unscreened", "expired"],
)
def test_a_match_with_a_mentor_who_cannot_be_matched_is_refused_with_the_reason(app, worker, me, person, overrides, reason):
    mentor_id = make_mentor(app, **overrides)
    session_id, row = match_form(app, worker, me, person)
    response = save_match(worker, session_id, row, mentor_id)
    assert response.status_code == 200 and reason in text(response).replace("&#39;", "'")
    assert count(app, MentorMatch) == 0 and "mentor_id" not in form_state(app, row)[1]


def test_a_match_picks_a_mentor_and_the_mentor_page_shows_it(app, worker, me, person):
    mentor_id = make_mentor(app)
    session_id, row = match_form(app, worker, me, person)
    response = save_match(worker, session_id, row, mentor_id)
    assert response.status_code == 302, text(response)[:500]
    complete, data = form_state(app, row)
    assert complete and data["mentor_id"] == str(mentor_id)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        match = db.session.scalar(select(MentorMatch))
        assert (match.mentor_id, match.client_id, match.form_id, match.status) == (mentor_id, person.id, row, "Ongoing")
    page = text(worker.get(f"/admin/mentors/details/?id={mentor_id}"))
    assert "Samira Testclient" in page and "Mentor/Tutor Match" in page
    assert "Samira Testclient" in text(worker.get("/admin/mentors/matches/"))
    assert save_match(worker, session_id, row, mentor_id).status_code == 302
    assert count(app, MentorMatch) == 1  # saving again keeps one match


def test_a_mentor_whose_screening_expired_since_stays_on_their_match(app, worker, me, person):
    mentor_id = make_mentor(app)
    session_id, row = match_form(app, worker, me, person)
    save_match(worker, session_id, row, mentor_id)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        db.session.get(Mentor, mentor_id).screening_expires_on = date.today() - timedelta(days=1)
        db.session.commit()
    assert save_match(worker, session_id, row, mentor_id, notes_unused="x").status_code == 302


def test_another_agencys_mentor_cannot_be_picked(app, worker, me, person):
    stranger = make_mentor(app, "OTHER", name="Other Agency Mentor")
    session_id, row = match_form(app, worker, me, person)
    response = save_match(worker, session_id, row, stranger)
    assert response.status_code == 200 and "Not a valid choice" in text(response)
    assert count(app, MentorMatch) == 0


def test_a_legacy_typed_name_is_kept_read_only(app, worker, me, person):
    mentor_id = make_mentor(app)
    session_id, row = match_form(app, worker, me, person)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        form = db.session.get(ServiceForm, row)
        form.data = {**form.data, "mentor_name": "Typed Long Ago"}
        db.session.commit()
    page = text(worker.get(f"/admin/sessions/{session_id}/forms/{row}/"))
    assert "Typed Long Ago" in page and "readonly" in page
    save_match(worker, session_id, row, mentor_id, mentor_name="Changed By Post")
    assert form_state(app, row)[1]["mentor_name"] == "Typed Long Ago"


def update_form(app, worker, me, person, days_ago=0):
    session_id = job_session(app, worker, me, person, days_ago)
    add_form(worker, session_id, "mentor_update", person.id)
    return session_id, form_id(app, session_id, "mentor_update", person.id)


def test_an_update_is_recorded_against_the_clients_match(app, worker, me, person, make):
    mentor_id = make_mentor(app)
    session_id, row = match_form(app, worker, me, person, days_ago=3)
    save_match(worker, session_id, row, mentor_id)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        match_id = db.session.scalar(select(MentorMatch.id))
    update_session, update = update_form(app, worker, me, person)
    page = text(worker.get(f"/admin/sessions/{update_session}/forms/{update}/"))
    assert "The match this update is about" in page and "Nadia Haddad" in page
    answers = {
        **complete_answers("mentor_update"),
        "match_status": "Completed",
        "match_id": str(match_id),
        "milestones": "First interview",
        "outcome": "Found employment",
    }
    response = worker.post(f"/admin/sessions/{update_session}/forms/{update}/", data=answers)
    assert response.status_code == 302, text(response)[:500]
    data = form_state(app, update)[1]
    assert data["milestones"] == "First interview" and data["outcome"] == "Found employment"
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        recorded = db.session.scalar(select(MentorUpdate))
        assert (recorded.match_id, recorded.form_id, recorded.updated_on) == (match_id, update, date.today())
        assert db.session.get(MentorMatch, match_id).status == "Completed"


def test_an_update_without_a_match_is_refused(app, worker, me, person, make):
    update_session, update = update_form(app, worker, me, person)
    response = worker.post(f"/admin/sessions/{update_session}/forms/{update}/", data=complete_answers("mentor_update"))
    assert response.status_code == 200 and "has no mentor match yet" in text(response)
    assert count(app, MentorUpdate) == 0
    other = make.client(demo_agency(app, "DEMO"), first_name="Other", last_name="Client")
    session_id, row = match_form(app, worker, me, other)
    save_match(worker, session_id, row, make_mentor(app))
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        others_match = db.session.scalar(select(MentorMatch.id))
    answers = {**complete_answers("mentor_update"), "match_id": str(others_match)}
    response = worker.post(f"/admin/sessions/{update_session}/forms/{update}/", data=answers)
    assert response.status_code == 200 and "Not a valid choice" in text(response)
    assert count(app, MentorUpdate) == 0


def test_the_stale_list_shows_matches_without_a_recent_update(app, worker, me, person):
    mentor_id = make_mentor(app)
    session_id, row = match_form(app, worker, me, person, days_ago=60)
    save_match(worker, session_id, row, mentor_id, match_start_dt=(date.today() - timedelta(days=60)).isoformat())
    agency_id = demo_agency(app, "DEMO").id
    with app.app_context(), tenant_scope(agency_id):
        assert [m.form_id for m, last in stale_matches()] == [row]
        assert stale_matches(weeks=10) == []
    page = text(signed_in(app, "coordinator@demo.org").get("/admin/mentors/matches/"))
    assert "No update for 4 weeks or more" in page and "Samira Testclient" in page
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        match_id = db.session.scalar(select(MentorMatch.id))
    update_session, update = update_form(app, worker, me, person, days_ago=2)
    answers = {**complete_answers("mentor_update"), "match_id": str(match_id)}
    worker.post(f"/admin/sessions/{update_session}/forms/{update}/", data=answers)
    with app.app_context(), tenant_scope(agency_id):
        assert stale_matches() == []


def test_the_weeks_are_an_agency_setting(app, login):
    admin = login("admin@demo.org")
    agency = demo_agency(app, "DEMO")
    assert "A mentor match needs an update every (weeks)" in text(admin.get(f"/admin/agency/edit/?id={agency.id}"))
    form = {"name": agency.name, "privacy_statement_en": "Statement", "privacy_statement_fr": "Déclaration"}
    refused = admin.post(f"/admin/agency/edit/?id={agency.id}", data={**form, "mentor_update_weeks": "0"})
    assert refused.status_code == 200 and "Number must be between 1 and 52." in text(refused)
    assert admin.post(f"/admin/agency/edit/?id={agency.id}", data={**form, "mentor_update_weeks": "6"}).status_code == 302
    with app.app_context(), tenant_scope(agency.id):
        assert db.session.get(Agency, agency.id).mentor_update_weeks == 6
        from models.mentors import update_weeks

        assert update_weeks() == 6


def test_a_private_match_is_listed_only_to_who_may_open_its_form(app, worker, me, person):
    mentor_id = make_mentor(app)
    session_id, row = match_form(app, worker, me, person)
    save_match(worker, session_id, row, mentor_id, is_private="y", program_id="")
    assert "Samira Testclient" in text(worker.get(f"/admin/mentors/details/?id={mentor_id}"))
    other = signed_in(app, "worker2@demo.org")
    assert "Samira Testclient" not in text(other.get(f"/admin/mentors/details/?id={mentor_id}"))
    assert "Samira Testclient" not in text(other.get("/admin/mentors/matches/"))


def audit_line(page, record):
    """The audit tab's table row naming ``record`` (e.g. "mentor match #3")."""
    at = page.index(record)
    return page[page.rindex("<tr", 0, at) : page.index("</tr>", at)]


def test_a_private_match_names_no_fields_on_the_audit_tab_of_who_may_not_open_its_form(app, worker, me, person):
    mentor_id = make_mentor(app)
    session_id, row = match_form(app, worker, me, person)
    save_match(worker, session_id, row, mentor_id, is_private="y", program_id="")
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        record = f"mentor match #{db.session.scalar(select(MentorMatch.id).where(MentorMatch.form_id == row))}"
    mine = text(worker.get(f"/admin/clients/{person.id}/?tab=audit"))
    assert "Mentor" in audit_line(mine, record)  # the author sees the fields that changed
    other = text(signed_in(app, "worker2@demo.org").get(f"/admin/clients/{person.id}/?tab=audit"))
    line = audit_line(other, record)
    assert "restricted record" in line and "Mentor" not in line and "Status" not in line


def test_done_when_a_worker_matches_samira_and_the_stale_list_shows_an_old_match(app, upload_folder):
    """The walk-through on the demo's own records: Samira Nouri (demo/access_rules.py) and the
    directory and matches of demo/mentors.py."""
    from demo.access_rules import seed_access_examples
    from demo.mentors import seed_mentors
    from models import Client

    with app.app_context(), tenant_scope(ALL_AGENCIES):
        seed_access_examples("DEMO")
        seed_mentors("DEMO")
        seed_mentors("DEMO")  # idempotent
        samira = db.session.scalar(select(Client).where(Client.first_name == "Samira", Client.last_name == "Nouri"))
        nadia = db.session.scalar(select(Mentor).where(Mentor.name == "Nadia Haddad"))
        daniel = db.session.scalar(select(Mentor).where(Mentor.name == "Daniel Kim"))  # screening expired
        samira_id, nadia_id, daniel_id = samira.id, nadia.id, daniel.id
        assert db.session.scalar(select(func.count()).select_from(Mentor).where(Mentor.name == "Nadia Haddad")) == 1
    worker = signed_in(app, "worker2@demo.org")
    priya = db_staff_id(app, "worker2@demo.org")
    session_id = new_session(app, worker, priya, session_type="job_development")
    add_client(worker, session_id, samira_id)
    add_form(worker, session_id, "mentor_match", samira_id)
    row = form_id(app, session_id, "mentor_match", samira_id)
    refused = save_match(worker, session_id, row, daniel_id)
    assert "screening expired on" in text(refused).replace("&#39;", "'")
    assert save_match(worker, session_id, row, nadia_id).status_code == 302
    assert "Samira Nouri" in text(worker.get(f"/admin/mentors/details/?id={nadia_id}"))
    matches = text(signed_in(app, "coordinator@demo.org").get("/admin/mentors/matches/"))
    stale = matches.split('data-testid="stale-matches"')[1].split("</table>")[0]
    assert "Louis Tremblay" in stale and "Samira Nouri" not in stale
    active = matches.split('data-testid="mentor-matches"')[1]
    assert "Samira Nouri" in active and "Nadia Haddad" in active


def db_staff_id(app, email):
    from models import Staff

    with app.app_context(), tenant_scope(ALL_AGENCIES):
        return db.session.scalar(select(Staff.id).where(Staff.email == email))

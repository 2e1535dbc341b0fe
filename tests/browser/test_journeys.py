"""The main journeys of issue 17 in headless Chromium, each in English and in French, with a
screenshot of every main page (tests/browser/journeys.py says where). The selectors do not
depend on the language; each main page's ``<html lang>`` and a few of its strings are checked
in the language asked."""

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook
from selenium.webdriver.common.by import By
from sqlalchemy import select

from demo.icare import COURSE_CODE, seed_icare
from extensions import db
from models import ALL_AGENCIES, ServiceForm, tenant_scope
from models.notification_sending import run_for_agency
from tests.browser.journeys import (
    LANGUAGES,
    Journey,
    add_client,
    add_quick_attendee,
    at_once,
    complete_every_form,
    new_session,
    sign_in,
    sign_out,
)
from tests.browser.pages import body_text, click_and_wait
from tests.browser.test_group_activity import answer_the_shared_questions
from tests.conftest import demo_agency
from tests.referrals_helpers import HOUSING
from tests.test_referrals import newest_referral, samira

pytestmark = pytest.mark.usefixtures("demo")


def icare_month(app, make):
    """The demo's iCARE month (it needs five named clients): returns its course's session id."""
    agency = demo_agency(app, "DEMO")
    for number in range(4):
        make.client(agency, first_name=f"Icare{number}", last_name="Client")
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        seed_icare()
        courses = select(ServiceForm).where(ServiceForm.kind == "lt_course")
        return next(f.session_id for f in db.session.scalars(courses) if f.data.get("course_cd") == COURSE_CODE)


@pytest.fixture(params=sorted(LANGUAGES))
def lang(request):
    return request.param


@pytest.fixture
def journey(request, browser, live_server, use_language, lang):
    """``journey(name)``: a journey in the language of the test, the browser set to it."""
    use_language(LANGUAGES[lang][0])
    return lambda name: Journey(browser, live_server, lang, name)


def test_sign_in_and_sign_out(journey):
    j = journey("sign-in")
    sign_in(j, "worker@demo.org")
    j.page("home", "Welcome, %(name)s", "Sign out", name="Wei")
    sign_out(j)


def test_find_a_client(journey):
    j = journey("find")
    sign_in(j, "worker@demo.org")
    j.click("a[href='/admin/find-client/']")
    j.page("find", "Find a client")
    j.fill("q", "Al-Hassan")
    j.submit("[data-testid=find-client-form]")
    results = j.page("results", "Find a client")
    assert "Mohammed Al-Hassan" in results
    j.click("a[href^='/admin/clients/'][href$='/']:not(.dropdown-item)")
    assert "Mohammed Al-Hassan" in j.page("dashboard", "Start session")


def test_register_a_named_client_through_consent_and_the_duplicate_warning(app, make, journey):
    make.client(demo_agency(app, "DEMO"), first_name="Hawa", last_name="Abdullahi", phone="647 555 0188")
    j = journey("register-named")
    sign_in(j, "worker@demo.org")
    j.click("a[href='/admin/register/']")
    j.page("consent", "Register a client")
    j.click("button[name=decision][value=accept]")
    j.page("profile", "Register a client")
    j.fill("first_name", "Hawa")
    j.fill("last_name", "Abdulahi")
    j.browser.execute_script("document.querySelector('[name=date_of_birth]').value = '1993-07-21'")
    j.choose("gender", "Female")
    j.fill("phone", "647 555 0188")
    j.fill("postal_code", "m9v4b3")
    j.submit("form[method=post][novalidate]")
    warning = j.page("duplicate-warning", "This may be someone already registered", "same phone number")
    assert j.lang == "en" or "same phone number" not in warning  # the reason too, in French
    j.browser.find_element(By.NAME, "confirm_different").click()
    j.submit("form[method=post][novalidate]")
    j.page("registered", "Client registered")
    j.click("a[href^='/admin/clients/'][href$='/']:not(.dropdown-item)")
    ribbon = j.browser.find_element(By.CSS_SELECTOR, "[data-testid=ribbon]").text
    assert "1993-07-21" in ribbon and "+1 647-555-0188" in ribbon
    j.page("dashboard", "Start session")


def test_register_an_anonymous_client(journey):
    j = journey("register-anonymous")
    sign_in(j, "worker@demo.org")
    j.open("/admin/register/anonymous/")
    j.page("form", "Register an anonymous client")
    j.choose("gender", "Male")
    j.fill("postal_code", "k1a0b1")
    j.submit("form.page-form")
    j.page("registered", "Client registered")


def test_a_session_from_the_dashboard_with_a_second_client_and_forms(app, make, journey):
    agency = demo_agency(app, "DEMO")
    first = make.client(agency, first_name="Rahel", last_name="Tesfaye")
    make.client(agency, first_name="Selam", last_name="Berhane")
    j = journey("session")
    sign_in(j, "worker@demo.org")
    j.open(f"/admin/clients/{first.id}/")
    j.page("dashboard", "Start session")
    j.click(f"a[href='/admin/sessions/new/?client_id={first.id}']")
    j.page("wizard", "Begin a session with %(name)s", name="Rahel Tesfaye")
    session_id = new_session(j)
    add_client(j, session_id, "Selam Berhane")
    table = j.page("second-client", "Clients and Forms")
    assert "Selam Berhane" in table
    row = j.browser.find_element(By.XPATH, "//*[@data-testid='clients-and-forms']//tr[contains(., 'Selam Berhane')]")
    click_and_wait(j.browser, row.find_element(By.CSS_SELECTOR, "form[action$='/forms/'] button"))  # her first form
    j.open("/admin/")
    assert str(session_id) in j.shown("[data-testid=incomplete-sessions]").get_attribute("innerHTML")
    complete_every_form(j, session_id)
    j.page("complete", "Complete: counted in reports")
    j.open("/admin/")
    j.page("home", "Nothing left to complete.")


def test_a_group_activity_with_ad_hoc_attendees(app, make, journey, activity):
    make.client(demo_agency(app, "DEMO"), first_name="Ana", last_name="Grouper")
    j = journey("group")
    sign_in(j, "worker@demo.org")
    j.open("/admin/sessions/new/")
    j.page("wizard", "Begin a session")
    session_id = new_session(j, "cc_group", activity)
    add_client(j, session_id, "Ana Grouper")
    add_quick_attendee(j, "Amina", "Yusuf")
    j.page("ad-hoc-added", "%(name)s added; complete their profile later.", name="Amina Yusuf")
    add_quick_attendee(j, "Amina", "Yusuf")
    assert "Amina Yusuf" in j.shown("[data-testid=ad-hoc-matches]").text
    j.page("ad-hoc-matches", "already in this session")
    j.open(f"/admin/sessions/{session_id}/attendees/")
    j.page("attendee-settings", "Save for every attendee")
    with at_once(j.browser):
        answer_the_shared_questions(j.browser)
    j.submit("form[method=post][novalidate]")
    j.page("attendees-saved", "Saved for %(count)s attendee(s).", count=2)


def test_a_language_course_with_attendance(app, make, journey):
    course = icare_month(app, make)
    j = journey("course")
    sign_in(j, "worker@demo.org")
    j.open(f"/admin/sessions/{course}/register/")
    j.page("register", "Attendance register")
    today = date.today().isoformat()  # once: the two must be the same day
    j.fill("class_date", today)
    j.submit("form[action$='/register/dates/']")
    j.page("class-added", "Class of %(date)s added.", date=today)
    for tick in j.now("[data-testid=register] input[type=checkbox]"):
        if not tick.is_selected():
            tick.click()
    j.submit("form[method=post][action$='/register/']")
    j.page("attendance-saved", "Attendance register")
    assert all(tick.is_selected() for tick in j.now("[data-testid=register] input[type=checkbox]"))


def test_a_referral_and_its_reminder(app, journey, smtp):
    j = journey("referral")
    sign_in(j, "worker@demo.org")
    client_id = samira(app)
    j.open(f"/admin/clients/{client_id}/?tab=referrals")
    j.page("referrals-tab", "Record referral")
    j.choose("target", index=1)
    j.choose("need_area", HOUSING)
    j.fill("follow_up_date", date.today().isoformat())
    j.submit(f"form[action='/admin/clients/{client_id}/referrals/']")
    j.page("referral-recorded", "Referral recorded.")
    with app.app_context():
        run_for_agency(demo_agency(app, "DEMO").id)
    referral = newest_referral(app)
    mail = [m for m in smtp.inbox.to("worker@demo.org") if f"/admin/referrals/edit/?id={referral.id}" in str(m)]
    assert len(mail) == 1, [m["Subject"] for m in smtp.inbox.to("worker@demo.org")]


def test_a_settlement_plan(app, journey):
    j = journey("plan")
    sign_in(j, "worker@demo.org")
    client_id = samira(app)
    j.open(f"/admin/clients/{client_id}/plan/")
    j.page("plan-start", "Start plan")
    j.submit("form[action$='/plan/start/']")
    j.page("plan-started", "Add a goal")
    j.choose("need_area", HOUSING, by=By.ID)  # the goal form's (each proposed goal has its own)
    j.fill("description", "Find a two-bedroom flat", by=By.ID)
    j.submit("form[action$='/goals/']")
    j.page("goal-added", "Goal added.")
    assert "Find a two-bedroom flat" in body_text(j.browser)


def test_run_a_report_and_download_the_spreadsheet(journey):
    j = journey("report")
    sign_in(j, "coordinator@demo.org")
    j.click("a[href='/admin/reports/']:not(.dropdown-item)")
    j.page("reports", "Reports")
    j.click("a[href='/admin/reports/clients_served/']")
    j.page("criteria", "Clients served by month", "Run report")
    j.fill("from", "2020-01-01")
    j.fill("to", date.today().isoformat())
    j.submit("[data-testid=criteria-form]")
    j.page("report", "Clients served by month")
    sheet = load_workbook(BytesIO(j.download(j.shown("[data-testid=export-xlsx]").get_attribute("href")).content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) > 1 and any(cell for cell in rows[0]), rows[:3]


def test_run_the_icare_check_and_download_a_file(app, make, journey):
    icare_month(app, make)
    j = journey("icare")
    sign_in(j, "admin@demo.org")  # the agency's iCARE uploader: drafts too
    j.open("/admin/icare/")
    j.page("icare", "iCARE check and upload")
    j.submit("[data-testid=icare-form]")
    j.page("checked", "Records to fix")
    errors = load_workbook(BytesIO(j.download(j.shown("a[href*='/admin/icare/errors.xlsx']").get_attribute("href")).content))
    assert errors.active.max_row > 1
    draft = load_workbook(BytesIO(j.download(j.shown("a[href*='/admin/icare/draft/']").get_attribute("href")).content))
    assert draft.active.max_row > 1

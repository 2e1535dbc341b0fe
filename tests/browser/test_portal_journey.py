"""The portal's journey in a real browser, in English and in French (one of the journeys of
tests/browser/test_journeys.py: language-neutral selectors, each main page's language checked
and photographed): a worker invites a client, the client accepts by the emailed link (received
by a real SMTP server), adds a skill, follows an occupation, sees a matching posting with its
skills badge in the feed, saves it as a lead and marks it Applied, and builds a resume (adding a
job with the builder's own button, no script needed); the worker sees the lead and the resume on
the client dashboard, with no control to edit the client's resume."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from extensions import db
from models import Client, tenant_scope
from models.privacy import record_consent
from tests.browser.journeys import LANGUAGES, Journey, say, sign_in
from tests.browser.pages import body_text as body
from tests.browser.pages import click_and_wait
from tests.conftest import demo_agency
from tests.portal_helpers import link_in

pytestmark = pytest.mark.usefixtures("demo")
PASSWORD = "violet harbour tractor pebble"
NOT_AUTHOR = "Only its author can change it; duplicate it to have your own copy."
REFUSED = "Only the author of this document can change or delete it. Duplicate it to have your own copy."


@pytest.fixture
def invitee(app, make):
    agency = demo_agency(app, "DEMO")
    client = make.client(agency, email="lina.journey@example.org", has_email=True, first_name="Lina", last_name="Saleh")
    with app.app_context(), tenant_scope(agency.id):
        record_consent(db.session.get(Client, client.id), "notifications", True, None)
        db.session.commit()
    return client


@pytest.fixture(params=sorted(LANGUAGES))
def portal_journey(request, browser, live_server, use_language):
    use_language(LANGUAGES[request.param][0])
    return Journey(browser, live_server, request.param, "portal")


def test_invite_to_first_lead(browser, smtp, invitee, portal_journey):
    j, lang = portal_journey, portal_journey.lang
    sign_in(j, "worker@demo.org")
    j.open(f"/admin/clients/{invitee.id}/?tab=portal")
    j.page("dashboard-portal-tab", "Invite to the portal")
    j.click(f"form[action='/admin/clients/{invitee.id}/portal/invite/'] button")
    j.page("invited", "Portal invitation sent.")
    (message,) = smtp.inbox.to("lina.journey@example.org")

    browser.delete_all_cookies()  # the client, on their own browser
    j.open(link_in(message, "/portal/accept/"))
    j.page("accept", "Accept and sign in")
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.ID, "confirm").send_keys(PASSWORD)
    browser.find_element(By.ID, "consent").click()
    j.click("form button[type=submit]")
    j.page("overview", "Welcome, %(name)s", name="Lina Saleh")

    j.open("/portal/skills")
    Select(browser.find_element(By.ID, "skill")).select_by_visible_text("Customer service")  # the agency's list
    j.submit("form:has(#skill)")
    j.page("skills", "Skill added.")
    j.open("/portal/following")
    Select(browser.find_element(By.ID, "target-occupation")).select_by_visible_text("65 Sales and service support occupations")
    j.submit("form:has(#target-occupation)")
    j.page("following", "Followed.")

    j.open("/portal/jobs/feed")
    card = browser.find_element(By.XPATH, "//li[.//h2[normalize-space()='Cashier']]")
    assert card.find_element(By.CSS_SELECTOR, "[data-testid=skills-badge]").text == say(
        lang, "Skills match: %(percent)d%%", percent=50
    )
    j.page("feed", "Skills match: %(percent)d%%", percent=50)
    click_and_wait(browser, card.find_element(By.CSS_SELECTOR, "form button"))
    j.page("lead-saved", "Saved to your job leads: %(title)s.", title="Cashier")
    Select(browser.find_element(By.CSS_SELECTOR, "[data-testid=leads] select")).select_by_value("applied")
    j.submit("[data-testid=leads] form")
    assert browser.find_element(By.CSS_SELECTOR, "[data-testid=lead-status]").text == say(lang, "Applied")
    j.page("leads", "Applied")
    build_a_resume(j)

    browser.delete_all_cookies()
    sign_in(j, "worker@demo.org")
    j.open(f"/admin/clients/{invitee.id}/?tab=leads")
    assert "Cashier" in j.page("dashboard-leads", "Applied")
    the_worker_reads_the_resume(j, invitee)


def build_a_resume(j):
    browser = j.browser
    j.open("/portal/resumes")
    j.click("[data-testid=new-resume]")
    assert browser.find_element(By.ID, "f-contact-name").get_attribute("value") == "Lina Saleh"  # from her profile
    title = browser.find_element(By.ID, "f-title")
    title.clear()
    title.send_keys("Cashier jobs")
    browser.find_element(By.ID, "f-summary-text").send_keys("Friendly, careful with cash.")
    j.click("[data-testid=add-work]")
    assert browser.switch_to.active_element.get_attribute("id") == "f-work-0-job_title"  # the new entry, focused
    j.page("resume-builder", "Save")
    browser.find_element(By.ID, "f-work-0-job_title").send_keys("Cashier")
    browser.find_element(By.ID, "f-work-0-employer").send_keys("Corner Market")
    browser.find_element(By.ID, "f-work-0-start").send_keys("2021-04")
    j.click("[data-testid=save-document]")
    assert "Corner Market" in j.page("resume-saved", "Saved: %(title)s.", title="Cashier jobs")
    assert browser.find_elements(By.CSS_SELECTOR, "[data-testid=edit-document]")  # hers to edit


def the_worker_reads_the_resume(j, invitee):
    browser = j.browser
    j.open(f"/admin/clients/{invitee.id}/?tab=resumes")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Cashier jobs"))
    text = j.page(
        "worker-reads-resume",
        "Written by %(name)s",
        "Only its author can change it; duplicate it to have your own copy.",
        name="Lina Saleh",
    )
    assert "Corner Market" in text and not j.now("[data-testid=edit-document]")
    j.open(browser.current_url.removeprefix(j.server) + "edit/")  # typed by hand: refused all the same
    assert say(j.lang, "Only the author of this document can change or delete it. Duplicate it to have your own copy.") in body(
        browser
    )

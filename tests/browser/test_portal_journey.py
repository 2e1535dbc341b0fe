"""The portal's journey in a real browser: a worker invites a client, the client accepts by the
emailed link (received by a real SMTP server), adds a skill, follows an occupation, sees a
matching posting with its skills badge in the feed, saves it as a lead and marks it Applied, and
builds a resume (adding a job with the builder's own button, no script needed); the worker sees
the lead and the resume on the client dashboard, with no control to edit the client's resume."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from extensions import db
from models import Client, tenant_scope
from models.privacy import record_consent
from tests.browser.pages import button, click_and_wait, open_page
from tests.browser.test_sign_in import sign_in
from tests.conftest import demo_agency
from tests.portal_helpers import link_in

pytestmark = pytest.mark.usefixtures("demo")
PASSWORD = "violet harbour tractor pebble"


@pytest.fixture
def invitee(app, make):
    agency = demo_agency(app, "DEMO")
    client = make.client(agency, email="lina.journey@example.org", has_email=True, first_name="Lina", last_name="Saleh")
    with app.app_context(), tenant_scope(agency.id):
        record_consent(db.session.get(Client, client.id), "notifications", True, None)
        db.session.commit()
    return client


def body(browser):
    return browser.find_element(By.TAG_NAME, "body").text


def test_invite_to_first_lead(browser, live_server, smtp, invitee):
    sign_in(browser, live_server, "worker@demo.org")
    open_page(browser, f"{live_server}/admin/clients/{invitee.id}/?tab=portal")
    click_and_wait(browser, button(browser, "Invite to the portal"))
    assert "Portal invitation sent." in body(browser)
    (message,) = smtp.inbox.to("lina.journey@example.org")

    browser.delete_all_cookies()  # the client, on their own browser
    open_page(browser, live_server + link_in(message, "/portal/accept/"))
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.ID, "confirm").send_keys(PASSWORD)
    browser.find_element(By.ID, "consent").click()
    click_and_wait(browser, button(browser, "Accept and sign in"))
    assert "Welcome, Lina Saleh" in body(browser)

    open_page(browser, live_server + "/portal/skills")
    Select(browser.find_element(By.ID, "skill")).select_by_visible_text("Customer service")
    click_and_wait(browser, button(browser, "Add"))
    open_page(browser, live_server + "/portal/following")
    Select(browser.find_element(By.ID, "target-occupation")).select_by_visible_text("65 Sales and service support occupations")
    click_and_wait(browser, button(browser, "Follow this occupation"))
    assert "Followed." in body(browser)

    open_page(browser, live_server + "/portal/jobs/feed")
    card = browser.find_element(By.XPATH, "//li[.//h2[normalize-space()='Cashier']]")
    assert card.find_element(By.CSS_SELECTOR, "[data-testid=skills-badge]").text == "Skills match: 50%"
    click_and_wait(browser, card.find_element(By.XPATH, ".//button[normalize-space()='Save Cashier as a job lead']"))
    assert "Saved to your job leads: Cashier." in body(browser)
    Select(browser.find_element(By.CSS_SELECTOR, "[data-testid=leads] select")).select_by_visible_text("Applied")
    click_and_wait(browser, button(browser, "Save"))
    assert browser.find_element(By.CSS_SELECTOR, "[data-testid=lead-status]").text == "Applied"
    build_a_resume(browser, live_server)

    browser.delete_all_cookies()
    sign_in(browser, live_server, "worker@demo.org")
    open_page(browser, f"{live_server}/admin/clients/{invitee.id}/?tab=leads")
    assert "Cashier" in body(browser) and "Applied" in body(browser)
    the_worker_reads_the_resume(browser, live_server, invitee)


def build_a_resume(browser, live_server):
    open_page(browser, live_server + "/portal/resumes")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "[data-testid=new-resume]"))
    assert browser.find_element(By.ID, "f-contact-name").get_attribute("value") == "Lina Saleh"  # from her profile
    title = browser.find_element(By.ID, "f-title")
    title.clear()
    title.send_keys("Cashier jobs")
    browser.find_element(By.ID, "f-summary-text").send_keys("Friendly, careful with cash.")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "[data-testid=add-work]"))
    assert browser.switch_to.active_element.get_attribute("id") == "f-work-0-job_title"  # the new entry, focused
    browser.find_element(By.ID, "f-work-0-job_title").send_keys("Cashier")
    browser.find_element(By.ID, "f-work-0-employer").send_keys("Corner Market")
    browser.find_element(By.ID, "f-work-0-start").send_keys("2021-04")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "[data-testid=save-document]"))
    assert "Saved: Cashier jobs." in body(browser) and "Corner Market" in body(browser)
    assert browser.find_elements(By.CSS_SELECTOR, "[data-testid=edit-document]")  # hers to edit


def the_worker_reads_the_resume(browser, live_server, invitee):
    open_page(browser, f"{live_server}/admin/clients/{invitee.id}/?tab=resumes")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Cashier jobs"))
    assert "Corner Market" in body(browser) and "Written by Lina Saleh" in body(browser)
    assert not browser.find_elements(By.CSS_SELECTOR, "[data-testid=edit-document]")
    assert "Only its author can change it" in body(browser)
    open_page(browser, browser.current_url + "edit/")  # typed by hand: refused all the same
    assert "Only the author of this document can change or delete it." in body(browser)

"""A worker records a direct service end to end in the browser."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.browser.pages import button, click_and_wait
from tests.browser.test_sign_in import sign_in
from tests.conftest import demo_agency

pytestmark = pytest.mark.usefixtures("demo")


def test_record_a_direct_service_from_the_client_dashboard(app, make, browser, live_server):
    person = make.client(demo_agency(app, "DEMO"), first_name="Rahel", last_name="Tesfaye")
    sign_in(browser, live_server, "worker@demo.org")
    browser.get(f"{live_server}/admin/clients/{person.id}/")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Start session"))
    assert "Begin a session with Rahel Tesfaye" in browser.page_source
    minutes = browser.find_element(By.NAME, "minutes")
    minutes.clear()
    minutes.send_keys("40")
    Select(browser.find_element(By.NAME, "funder_ids")).select_by_index(0)
    click_and_wait(browser, button(browser, "Save Session"))

    assert "Session saved" in browser.page_source
    table = browser.find_element(By.CSS_SELECTOR, "[data-testid=clients-and-forms]").text
    assert "Rahel Tesfaye" in table and "Information & Orientation: incomplete" in table
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "[data-testid=form-io]"))
    for name, value in {
        "institution_type_id": "Settlement service provider",
        "service_referred_by_id": "Family / friends",
        "orientation_service_id": None,
        "training_received_service_ind": "No",
        "skill_received_service_ind": "No",
        "support_received_ind": "No",
        "service_official_language_id": "English",
    }.items():
        select = Select(browser.find_element(By.NAME, name))
        select.select_by_index(1) if value is None else select.select_by_visible_text(value)
    click_and_wait(browser, button(browser, "Save form"))

    body = browser.find_element(By.TAG_NAME, "body").text
    assert "Information & Orientation saved: complete" in body, body[:400]
    assert "Complete: counted in reports" in browser.find_element(By.CSS_SELECTOR, "[data-testid=session-status]").text
    browser.get(f"{live_server}/admin/")
    assert "Nothing left to complete" in browser.find_element(By.CSS_SELECTOR, "[data-testid=incomplete-sessions]").text

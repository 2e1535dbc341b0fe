"""A worker registers a client in the browser, then finds the dashboard and adds a note."""

from datetime import date

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.browser.pages import button, click_and_wait
from tests.browser.test_sign_in import sign_in

pytestmark = pytest.mark.usefixtures("demo")


def fill(browser, name, value):
    field = browser.find_element(By.NAME, name)
    field.clear()
    field.send_keys(value)


def test_register_a_named_client_then_add_a_case_note(browser, live_server):
    sign_in(browser, live_server, "worker@demo.org")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Register a client"))
    assert "collects your personal information" in browser.page_source
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[contains(., 'The client accepts')]"))

    fill(browser, "first_name", "Hawa")
    fill(browser, "last_name", "Abdullahi")
    browser.execute_script("document.querySelector('[name=date_of_birth]').value = '1993-07-21'")
    Select(browser.find_element(By.NAME, "gender")).select_by_visible_text("Female")
    fill(browser, "phone", "647 555 0188")
    fill(browser, "postal_code", "m9v4b3")
    Select(browser.find_element(By.NAME, "first_language")).select_by_visible_text("Somali")
    fill(browser, "emergency_contacts-0-name", "Ayan Abdullahi")
    click_and_wait(browser, button(browser, "Save"))

    assert "Client registered" in browser.page_source
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Open the client dashboard"))
    ribbon = browser.find_element(By.CSS_SELECTOR, "[data-testid=ribbon]").text
    assert "1993-07-21" in ribbon and "+1 647-555-0188" in ribbon and "Wei Zhang" in ribbon
    assert f"Registered: {date.today().isoformat()} at Head Office" in ribbon

    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Case notes"))
    fill(browser, "body", "Needs help finding a family doctor.")
    click_and_wait(browser, button(browser, "Add note"))
    assert "Note added." in browser.page_source
    assert "Needs help finding a family doctor." in browser.find_element(By.CSS_SELECTOR, "[data-testid=note]").text


def test_bad_input_is_shown_on_the_form_in_the_browser(browser, live_server):
    sign_in(browser, live_server, "worker@demo.org")
    browser.get(live_server + "/admin/register/anonymous/")
    fill(browser, "postal_code", "12345")
    click_and_wait(browser, button(browser, "Save"))
    page = browser.find_element(By.TAG_NAME, "body").text
    assert "Nothing was saved" in page and "Canadian postal code like A1A 1A1" in page and "Choose a gender" in page

"""Grid filters whose options come from the database, in a real browser: the site filter's list
comes from the grid's /filter-options/ when the row is added, the worker filter is a look-up
(typed, then chosen), a filtered page shows its filter's chosen name, and nothing breaks the
Content-Security-Policy."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.pages import click_and_wait
from tests.browser.test_csp import violations, watched  # noqa: F401 (the fixture)
from tests.browser.test_sign_in import sign_in
from tests.conftest import demo_staff

pytestmark = pytest.mark.usefixtures("demo")


def add_filter(browser, name):
    browser.find_element(By.LINK_TEXT, "Add Filter").click()
    browser.find_element(By.XPATH, f"//a[contains(@class, 'filter') and normalize-space()='{name}']").click()


def test_site_and_worker_filters_load_their_options_when_used(app, watched, live_server):  # noqa: F811
    worker = demo_staff(app, "worker@demo.org")
    sign_in(watched, live_server, "coordinator@demo.org")
    watched.get(live_server + "/admin/clients/")
    add_filter(watched, "Registration site")
    wait = WebDriverWait(watched, 10)
    wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, "#filter_form select.filter-val option"))
    click_and_wait(watched, watched.find_element(By.XPATH, "//button[normalize-space()='Apply']"))
    assert "flt" in watched.current_url and violations(watched) == []

    watched.get(live_server + "/admin/clients/")
    add_filter(watched, "Assigned worker")
    value = "(//*[@id='filter_form']//div[contains(@class, 'select2-container')])[last()]/a"  # after the operation's
    watched.find_element(By.XPATH, value).click()
    search = wait.until(lambda b: [e for e in b.find_elements(By.CSS_SELECTOR, ".select2-drop-active input") if e.is_displayed()])
    search[0].send_keys(worker.first_name)
    choice = f"//li[contains(@class, 'select2-result')]//*[normalize-space()='{worker.name}']"
    wait.until(lambda b: b.find_elements(By.XPATH, choice))
    search[0].send_keys(Keys.ENTER)
    click_and_wait(watched, watched.find_element(By.XPATH, "//button[normalize-space()='Apply']"))
    assert f"={worker.id}" in watched.current_url
    shown = f"//*[@id='filter_form']//*[contains(@class, 'select2-chosen') and normalize-space()='{worker.name}']"
    wait.until(lambda b: b.find_elements(By.XPATH, shown))  # the filter names the chosen worker
    assert violations(watched) == []

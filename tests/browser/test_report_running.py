"""A report over a long range may take a while: once "Run report" is pressed, the button is
disabled (one run, not two) and a status line says the report is running
(static/js/running_forms.js), within the Content-Security-Policy. The print view's "Print"
button opens the print dialogue (static/js/print_button.js), and its link goes back to the report."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.pages import click_and_wait, open_page
from tests.browser.test_csp import violations, watched  # noqa: F401 (a fixture)
from tests.browser.test_sign_in import sign_in

pytestmark = pytest.mark.usefixtures("demo")
HELD = "document.querySelector('[data-testid=criteria-form]').addEventListener('submit', e => e.preventDefault())"


def test_a_report_being_run_says_so_and_cannot_be_run_twice(watched, live_server):  # noqa: F811
    sign_in(watched, live_server, "coordinator@demo.org")
    open_page(watched, live_server + "/admin/reports/clients_served/")
    status = watched.find_element(By.CSS_SELECTOR, "[data-testid=report-running]")
    assert status.get_attribute("role") == "status" and status.text == ""
    watched.execute_script(HELD)  # the page stays, as it does while a long report runs
    run = watched.find_element(By.XPATH, "//button[normalize-space()='Run report']")
    run.click()
    WebDriverWait(watched, 5).until(lambda b: not run.is_enabled())
    assert status.text.startswith("Running the report")
    open_page(watched, live_server + "/admin/reports/visits_by_type/")
    click_and_wait(watched, watched.find_element(By.XPATH, "//button[normalize-space()='Run report']"))
    assert watched.find_element(By.XPATH, "//button[normalize-space()='Run report']").is_enabled()
    assert watched.find_element(By.CSS_SELECTOR, "[data-testid=report-running]").text == ""
    assert violations(watched) == []


def test_the_print_views_button_prints_and_its_link_goes_back(watched, live_server):  # noqa: F811
    sign_in(watched, live_server, "coordinator@demo.org")
    open_page(watched, live_server + "/admin/reports/visits_by_site/print?from=2025-12-01&to=2026-12-31")
    watched.execute_script("window.print = () => { document.body.dataset.printed = 'yes'; };")  # no dialogue
    watched.find_element(By.CSS_SELECTOR, "[data-testid=print-button]").click()
    assert watched.find_element(By.TAG_NAME, "body").get_attribute("data-printed") == "yes"
    click_and_wait(watched, watched.find_element(By.CSS_SELECTOR, "[data-testid=print-back]"))
    assert "/admin/reports/visits_by_site/?from=2025-12-01&to=2026-12-31" in watched.current_url
    assert watched.find_elements(By.CSS_SELECTOR, "[data-testid=report-table]")
    assert violations(watched) == []

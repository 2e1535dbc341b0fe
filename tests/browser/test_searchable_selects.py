"""Searchable drop-downs in headless Chromium, by keyboard only: a long list (languages)
filters as you type, a look-up over staff asks the server, the label still names the field,
and the Content-Security-Policy holds throughout."""

import pytest
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.pages import click_and_wait
from tests.browser.test_csp import violations, watched  # noqa: F401 (a fixture)
from tests.browser.test_sign_in import sign_in

pytestmark = pytest.mark.usefixtures("demo")


def control_of(browser, label_text):
    """The text input the label names (Tom Select moves the label's ``for`` to it)."""
    label = browser.find_element(By.XPATH, f"//label[normalize-space()='{label_text}']")
    control = browser.find_element(By.ID, label.get_attribute("for"))
    assert control.tag_name == "input" and control.find_elements(By.XPATH, "ancestor::div[contains(@class,'ts-wrapper')]")
    return control


OPTIONS_SHOWN = (
    "return Array.from(document.querySelectorAll('.ts-dropdown .option'))"
    ".filter(function (o) { return o.offsetParent !== null; }).map(function (o) { return o.textContent.trim(); })"
)


def options_become(browser, expected):
    """Wait until the open drop-down lists exactly ``expected`` (it re-renders as you type)."""
    try:
        WebDriverWait(browser, 5).until(lambda b: b.execute_script(OPTIONS_SHOWN) == expected)
    except TimeoutException:
        raise AssertionError(f"the drop-down shows {browser.execute_script(OPTIONS_SHOWN)}") from None


def value_of(browser, name):
    return browser.execute_script(f"return document.querySelector('select[name={name}]').value")


def test_long_list_and_staff_lookup_by_keyboard(watched, live_server):  # noqa: F811
    browser = watched
    sign_in(browser, live_server, "worker@demo.org")
    browser.get(live_server + "/admin/find-client/?archived=y")  # an option set: the options are open
    language = control_of(browser, "Language")
    language.send_keys("soma")
    options_become(browser, ["Somali"])
    language.send_keys(Keys.ENTER)
    assert value_of(browser, "language") == "Somali"

    worker = control_of(browser, "Assigned worker")
    worker.send_keys(Keys.SHIFT + Keys.TAB)  # leave and come back by keyboard
    browser.switch_to.active_element.send_keys(Keys.TAB)
    assert browser.switch_to.active_element == worker
    worker.send_keys("carl")
    options_become(browser, ["Carlos Mendes"])
    worker.send_keys(Keys.ENTER)
    chosen = value_of(browser, "worker")
    assert chosen.isdigit()
    assert violations(browser) == []
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[normalize-space()='Apply options']"))
    assert f"worker={chosen}" in browser.current_url and "language=Somali" in browser.current_url
    assert browser.find_element(By.CSS_SELECTOR, "select[name=worker] option[selected]").text == "Carlos Mendes"
    assert violations(browser) == []

"""Date fields in the browser: typed as YYYY-MM-DD, whatever the browser's language, with a
calendar in the same format that never writes a date nobody picked."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.test_sign_in import sign_in

pytestmark = pytest.mark.usefixtures("demo")


def test_a_date_field_is_typed_or_picked_as_yyyy_mm_dd(browser, live_server):
    sign_in(browser, live_server, "worker@demo.org")
    browser.get(live_server + "/admin/find-client/")
    browser.find_element(By.LINK_TEXT, "Additional options").click()
    field = browser.find_element(By.NAME, "dob_from")
    WebDriverWait(browser, 5).until(lambda _: field.is_displayed())
    assert field.get_attribute("type") == "text" and field.get_attribute("placeholder") == "YYYY-MM-DD"
    field.click()  # opens the calendar
    assert browser.find_element(By.CSS_SELECTOR, ".daterangepicker").is_displayed()
    field.send_keys(Keys.TAB)  # leaving without picking writes nothing
    assert field.get_attribute("value") == ""
    field.send_keys("1990-04-02", Keys.TAB)
    assert field.get_attribute("value") == "1990-04-02"
    field.click()
    cells = browser.find_elements(By.CSS_SELECTOR, ".daterangepicker td.available:not(.off)")
    days = [cell for cell in cells if cell.is_displayed()]
    days[0].click()  # the first day of the month shown
    assert field.get_attribute("value") == "1990-04-01"

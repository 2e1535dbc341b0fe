"""Date fields in the browser: typed as YYYY-MM-DD, whatever the browser's language, with a
calendar in the same format that never writes a date nobody picked."""

import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.pages import click_and_wait, now
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


def test_a_date_is_picked_by_keyboard_alone(browser, live_server):
    """Arrow keys a day, Page Up/Down a month, with Shift a year, from the typed date; the
    calendar shows the date reached; Escape closes it and keeps the date; the keys are described."""
    from selenium.webdriver.common.action_chains import ActionChains

    sign_in(browser, live_server, "worker@demo.org")
    browser.get(live_server + "/admin/find-client/?archived=y")  # an option set: the options are open
    field = browser.find_element(By.NAME, "dob_from")
    WebDriverWait(browser, 5).until(lambda _: field.is_displayed())
    hint = browser.find_element(By.ID, "date-field-keys")
    assert "date-field-keys" in field.get_attribute("aria-describedby") and "Page Up" in hint.get_attribute("textContent")
    field.send_keys("1990-04-02")

    def press(*keys):
        ActionChains(browser).send_keys(*keys).perform()

    def shows(value, day):
        WebDriverWait(browser, 5).until(lambda _: field.get_attribute("value") == value)
        active = browser.find_element(By.CSS_SELECTOR, ".daterangepicker td.active:not(.off)")
        assert active.is_displayed() and active.text == day

    press(Keys.ARROW_DOWN)
    shows("1990-04-03", "3")
    press(Keys.ARROW_UP, Keys.ARROW_UP)
    shows("1990-04-01", "1")
    press(Keys.PAGE_UP)
    shows("1990-03-01", "1")
    ActionChains(browser).key_down(Keys.SHIFT).send_keys(Keys.PAGE_DOWN).key_up(Keys.SHIFT).perform()
    shows("1991-03-01", "1")
    press(Keys.ESCAPE)
    WebDriverWait(browser, 5).until(lambda _: not browser.find_element(By.CSS_SELECTOR, ".daterangepicker").is_displayed())
    assert field.get_attribute("value") == "1991-03-01" and browser.switch_to.active_element == field
    press(Keys.TAB)
    assert field.get_attribute("value") == "1991-03-01"


def test_the_calendar_speaks_the_pages_language(browser, live_server, use_language):
    """The bundled calendar is English only: its month and day names come from the page
    (i18n.calendar_locale), weeks from Sunday as in Canada."""
    use_language("fr-CA")
    sign_in(browser, live_server, "worker@demo.org")
    browser.get(live_server + "/admin/find-client/?archived=y")
    field = browser.find_element(By.NAME, "dob_from")
    WebDriverWait(browser, 5).until(lambda _: field.is_displayed())
    field.send_keys("1990-04-02")
    field.click()
    calendar = browser.find_element(By.CSS_SELECTOR, ".daterangepicker")
    WebDriverWait(browser, 5).until(lambda _: calendar.is_displayed())
    months = [option.get_attribute("textContent") for option in calendar.find_elements(By.CSS_SELECTOR, ".monthselect option")]
    days = [cell.text for cell in calendar.find_elements(By.CSS_SELECTOR, "thead tr:last-child th") if cell.is_displayed()]
    assert "avr." in months and "Apr" not in months and days[:2] == ["di", "lu"]


def test_a_grids_date_filter_calendar_speaks_the_pages_language_too(browser, live_server, use_language):
    """Flask-Admin builds its filters' calendars itself (form.js, when a filter is added): they
    get the page's names as ours do (static/js/date_fields.js)."""
    use_language("fr-CA")
    sign_in(browser, live_server, "admin@demo.org")
    browser.get(live_server + "/admin/audit/")
    browser.find_element(By.LINK_TEXT, "Ajouter un filtre").click()
    browser.find_element(By.XPATH, "//a[contains(@class, 'filter') and normalize-space()='Quand']").click()
    field = WebDriverWait(browser, 5).until(lambda b: b.find_element(By.CSS_SELECTOR, "#filter_form input.filter-val"))
    assert field.get_attribute("name").startswith("flt")
    field.click()
    calendar = WebDriverWait(browser, 5).until(
        lambda b: [c for c in b.find_elements(By.CSS_SELECTOR, ".daterangepicker") if c.is_displayed()]
    )[0]
    months = {option.get_attribute("textContent") for option in calendar.find_elements(By.CSS_SELECTOR, ".monthselect option")}
    days = [cell.text for cell in calendar.find_elements(By.CSS_SELECTOR, ".left thead tr:last-child th") if cell.is_displayed()]
    assert "avr." in months and "Apr" not in months and days[:2] == ["di", "lu"]
    apply = calendar.find_element(By.CSS_SELECTOR, ".applyBtn")
    assert apply.text == "Appliquer"
    apply.click()  # the range as French writes it, which the grid reads
    picked = field.get_attribute("value")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} au \d{4}-\d{2}-\d{2}", picked), picked
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "#filter_form button[type=submit]"))
    assert "flt" in browser.current_url and not now(browser, By.CSS_SELECTOR, ".alert-danger")
    assert browser.find_element(By.CSS_SELECTOR, "#filter_form input.filter-val").get_attribute("value") == picked


def test_typing_closes_the_calendar_one_is_open_at_a_time_and_no_date_opens_on_today(browser, live_server):
    """An open calendar covers what is below it (a click meant for Save would pick a day): typing
    closes it; opening a second closes the first; a typed value that is no date keeps its text
    and the calendar opens on today (it showed "NaN" days)."""
    sign_in(browser, live_server, "worker@demo.org")
    browser.get(live_server + "/admin/find-client/?archived=y")  # an option set: the options are open
    first, second = browser.find_element(By.NAME, "dob_from"), browser.find_element(By.NAME, "dob_to")
    WebDriverWait(browser, 5).until(lambda _: first.is_displayed())

    def shown():
        return [c for c in browser.find_elements(By.CSS_SELECTOR, ".daterangepicker") if c.is_displayed()]

    first.click()
    WebDriverWait(browser, 5).until(lambda _: len(shown()) == 1)
    first.send_keys("2026-13-45")
    WebDriverWait(browser, 5).until(lambda _: not shown())
    first.click()
    calendar = WebDriverWait(browser, 5).until(lambda _: shown())[0]
    assert "NaN" not in calendar.text and first.get_attribute("value") == "2026-13-45"
    second.click()
    WebDriverWait(browser, 5).until(lambda _: len(shown()) == 1 and shown()[0] != calendar)
    assert first.get_attribute("value") == "2026-13-45"

"""Browser helpers: a click that waits for the next page, like a person waits for it.

Waiting for the old ``<html>`` element to go stale races the navigation: Chromium can answer a
question about an element of a document being torn down with "Node with given id does not
belong to the document" (a plain WebDriverException, which ``staleness_of`` does not expect).
Instead the current document is marked with a random token in a script variable, which a new
document does not have, and the wait asks, until the answer is yes, whether the document is a
new one that has finished loading. A question asked mid-navigation may fail in several ways
(no execution context, document unloaded, inspector errors): that only means "not yet". An
alert is no navigation race: it is raised at once (the XSS tests look for alerts)."""

import secrets
from contextlib import contextmanager

from selenium.common.exceptions import UnexpectedAlertPresentException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

MARK = "window.__testPageToken = arguments[0];"
IS_NEW_AND_LOADED = "return window.__testPageToken !== arguments[0] && document.readyState === 'complete';"


def mark_document(browser):
    """Tag the current document; return the token."""
    token = secrets.token_hex(8)
    browser.execute_script(MARK, token)
    return token


def is_new_and_loaded(browser, token):
    try:
        return browser.execute_script(IS_NEW_AND_LOADED, token)
    except UnexpectedAlertPresentException:
        raise
    except WebDriverException:
        return False  # asked between two documents: not there yet


def wait_for_new_page(browser, token, timeout=10):
    WebDriverWait(browser, timeout, poll_frequency=0.1).until(
        lambda b: is_new_and_loaded(b, token), message=f"no new page loaded within {timeout} s"
    )


def click_and_wait(browser, element, timeout=10):
    """Click something that loads a new page, and return once the new page is there."""
    token = mark_document(browser)
    element.click()
    wait_for_new_page(browser, token, timeout)


def open_page(browser, url, timeout=10):
    """``browser.get`` and wait the same way, in case the driver returns before the new page."""
    token = mark_document(browser)
    browser.get(url)
    wait_for_new_page(browser, token, timeout)


def button(browser, label):
    return browser.find_element(By.XPATH, f"//button[normalize-space()='{label}']")


def body_text(browser):
    return browser.find_element(By.TAG_NAME, "body").text


@contextmanager
def at_once(browser):
    """No implicit wait inside (the page is loaded: finding nothing is an answer, not a delay)."""
    browser.implicitly_wait(0)
    try:
        yield
    finally:
        browser.implicitly_wait(5)


def now(browser, by, value):
    """What matches on the page as it is: ``find_elements`` without the implicit wait, which
    would spend its five seconds on every check that something is absent."""
    with at_once(browser):
        return browser.find_elements(by, value)

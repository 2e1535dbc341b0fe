"""Browser helpers: a click that waits for the next page, like a person waits for it."""

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait


def click_and_wait(browser, element, timeout=10):
    """Click something that loads a new page, and return once the new page is there."""
    old_page = browser.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(browser, timeout).until(expected_conditions.staleness_of(old_page))
    WebDriverWait(browser, timeout).until(lambda b: b.execute_script("return document.readyState") == "complete")


def button(browser, label):
    return browser.find_element(By.XPATH, f"//button[normalize-space()='{label}']")


def body_text(browser):
    return browser.find_element(By.TAG_NAME, "body").text

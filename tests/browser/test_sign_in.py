"""A worker signs in through a real browser and lands on their home page."""

import pytest
from selenium.webdriver.common.by import By

from tests.browser.pages import button, click_and_wait

pytestmark = pytest.mark.usefixtures("demo")


def sign_in(browser, live_server, email, password="demo-password"):
    browser.get(live_server + "/admin/")
    assert "/login" in browser.current_url
    browser.find_element(By.NAME, "email").send_keys(email)
    browser.find_element(By.NAME, "password").send_keys(password)
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "button[type=submit]"))


def test_worker_signs_in_and_sees_the_home_page(browser, live_server):
    sign_in(browser, live_server, "worker@demo.org")
    heading = browser.find_element(By.TAG_NAME, "h1")
    assert heading.text == "Welcome, Wei"
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "Demo Settlement Agency" in body and "Settlement Services" in body and "Head Office" in body
    menu = browser.find_element(By.ID, "admin-navbar-collapse").text
    assert "Directory" in menu and "Staff" not in menu.split("Directory")[0]

    click_and_wait(browser, button(browser, "Sign out"))
    assert "/login" in browser.current_url
    assert "You are signed out" in browser.find_element(By.TAG_NAME, "body").text


def test_wrong_password_shows_the_message(browser, live_server):
    sign_in(browser, live_server, "worker@demo.org", "not-the-password")
    assert "do not match an active account" in browser.find_element(By.CSS_SELECTOR, ".alert").text

"""Forgot password in a real browser: the sign-in page's link, the mail received by a real SMTP
server (aiosmtpd), its link opened and used once, then a sign-in with the new password."""

import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.pages import body_text, button, click_and_wait, now, open_page
from tests.smtp_server import SmtpServer, route_mail_to

pytestmark = pytest.mark.usefixtures("demo")

NEW_PASSWORD = "lantern orchard velvet cascade"


@pytest.fixture
def smtp(app, monkeypatch, live_server):
    server = SmtpServer()
    server.start()
    route_mail_to(app, monkeypatch, server)
    monkeypatch.setitem(app.config, "SITE_URL", live_server)  # the links in mails
    yield server
    server.stop()


def mail_to(smtp, address):
    """The message, once the server has it (it is sent after the page's answer)."""
    WebDriverWait(smtp, 30, poll_frequency=0.1).until(lambda s: s.inbox.to(address), message="no mail arrived")
    (message,) = smtp.inbox.to(address)
    return message.get_body(("plain",)).get_content()


def test_forgot_password_by_mail_then_sign_in(browser, live_server, smtp):
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Forgot your password?"))
    browser.find_element(By.NAME, "email").send_keys("worker@demo.org")
    click_and_wait(browser, button(browser, "Send the link"))
    assert "If that email belongs to an active account" in body_text(browser)
    link = re.search(r"http://\S+/password-reset/\S+", mail_to(smtp, "worker@demo.org"))[0]

    open_page(browser, link)
    browser.find_element(By.NAME, "password").send_keys(NEW_PASSWORD)
    browser.find_element(By.NAME, "confirm").send_keys(NEW_PASSWORD)
    click_and_wait(browser, button(browser, "Save the new password"))
    assert "Your password is changed" in body_text(browser)

    browser.find_element(By.NAME, "email").send_keys("worker@demo.org")
    browser.find_element(By.NAME, "password").send_keys(NEW_PASSWORD)
    click_and_wait(browser, button(browser, "Sign in"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Welcome, Wei"

    open_page(browser, link)  # used: a clear page, not the form
    assert "already used" in body_text(browser) and not now(browser, By.NAME, "password")

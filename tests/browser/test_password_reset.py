"""Forgot password in a real browser: the sign-in page's link, the mail received by a real SMTP
server (aiosmtpd), its link opened and used once, then a sign-in with the new password."""

import re

import pytest
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import select

from extensions import db
from models import ALL_AGENCIES, Notification, tenant_scope
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


def outbox(app):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        rows = db.session.execute(select(Notification.kind, Notification.status, Notification.attempts, Notification.last_error))
        return [tuple(row) for row in rows]


def mail_to(app, smtp, address):
    """The message, once the server has it (it is sent after the page's answer). When none
    comes, the failure says what the outbox holds (the message's status and last error)."""
    try:
        WebDriverWait(smtp, 30, poll_frequency=0.1).until(lambda s: s.inbox.to(address))
    except TimeoutException:
        pytest.fail(f"no mail arrived in 30 s; the outbox: {outbox(app)}")
    (message,) = smtp.inbox.to(address)
    return message.get_body(("plain",)).get_content()


def test_forgot_password_by_mail_then_sign_in(app, browser, live_server, smtp):
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Forgot your password?"))
    browser.find_element(By.NAME, "email").send_keys("worker@demo.org")
    click_and_wait(browser, button(browser, "Send the link"))
    assert "If that email belongs to an active account" in body_text(browser)
    link = re.search(r"http://\S+/password-reset/\S+", mail_to(app, smtp, "worker@demo.org"))[0]

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

"""Tried as a new user would: sign in, find the demo client Samira Nouri, open her case notes and
files. A coordinator, a worker in the same program as the author and a worker in another program
each see exactly what the program and Private rules allow; one of them opens a private note
through break-glass."""

import pytest
from selenium.webdriver.common.by import By

from demo.access_rules import seed_access_examples
from extensions import db
from models import ALL_AGENCIES, tenant_scope
from tests.browser.pages import body_text, button, click_and_wait
from tests.browser.test_sign_in import sign_in

pytestmark = pytest.mark.usefixtures("demo")

WEI_PRIVATE = "disclosed family violence"
WEI_PROGRAM = "Settlement plan"
PRIYA_PROGRAM = "résumé drafted"
OPEN = "First meeting"


@pytest.fixture
def samira(app):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        seed_access_examples("DEMO")
        db.session.remove()


def open_samiras_notes(browser, live_server, email):
    sign_in(browser, live_server, email)
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Find a client"))
    browser.find_element(By.NAME, "q").send_keys("Samira Nouri")
    click_and_wait(browser, button(browser, "Search"))
    click_and_wait(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Nouri"))
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Case notes"))
    return body_text(browser)


@pytest.mark.parametrize(
    "email, sees, hidden",
    [
        ("coordinator@demo.org", {OPEN, WEI_PROGRAM, WEI_PRIVATE, PRIYA_PROGRAM}, 0),
        ("worker3@demo.org", {OPEN, WEI_PROGRAM}, 3),  # same program as Wei: not his private notes
        ("worker2@demo.org", {OPEN, PRIYA_PROGRAM}, 2),  # another program
    ],
)
def test_each_person_sees_what_the_rules_allow(browser, live_server, samira, email, sees, hidden):
    page = open_samiras_notes(browser, live_server, email)
    for note in (OPEN, WEI_PROGRAM, WEI_PRIVATE, PRIYA_PROGRAM):
        assert (note in page) == (note in sees), (email, note)
    if hidden:
        assert f"Restricted: {hidden} note(s)" in page
    else:
        assert "Restricted:" not in page


def test_a_worker_in_another_program_opens_a_private_note_with_a_reason(browser, live_server, samira):
    page = open_samiras_notes(browser, live_server, "worker2@demo.org")
    assert WEI_PRIVATE not in page
    rows = browser.find_elements(By.CSS_SELECTOR, "[data-testid=restricted-rows] li")
    private_row = next(row for row in rows if "private" in row.text and "Wei Zhang" in row.text)
    click_and_wait(browser, private_row.find_element(By.LINK_TEXT, "open with a reason"))
    assert "Wei Zhang" in body_text(browser) and WEI_PRIVATE not in browser.page_source
    browser.find_element(By.NAME, "reason").send_keys("Covering Wei's caseload while he is away.")
    click_and_wait(browser, button(browser, "Open this record and notify"))
    page = body_text(browser)
    assert WEI_PRIVATE in page and "Opened for 60 minutes" in page

"""A group activity of ten, recorded in the browser as a worker would: the activity field appears
for a group type only, two attendees are unticked as absent, and a quick attendee added twice by
mistake is offered as the client already there, so no duplicate client is made."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select
from sqlalchemy import func, select

from extensions import db
from models import ALL_AGENCIES, Client, ServiceSession, tenant_scope
from tests.browser.pages import button, click_and_wait, open_page
from tests.browser.test_sign_in import sign_in
from tests.conftest import demo_agency

pytestmark = pytest.mark.usefixtures("demo")

NAMES = ("Ana", "Bilal", "Chen", "Dana", "Emre", "Farah", "Goran", "Hana", "Ivan")


def begin_group_session(browser, live_server):
    open_page(browser, f"{live_server}/admin/sessions/new/")
    activity = browser.find_element(By.NAME, "group_activity_id")
    assert not activity.is_displayed()  # a Direct Service has no group activity
    Select(browser.find_element(By.NAME, "session_type")).select_by_visible_text("Community Connections group activity")
    assert activity.is_displayed()
    Select(activity).select_by_visible_text("DEMO coffee club")
    browser.find_element(By.NAME, "hours").send_keys("1")
    browser.find_element(By.NAME, "minutes").send_keys("30")
    Select(browser.find_element(By.NAME, "funder_ids")).select_by_index(0)
    click_and_wait(browser, button(browser, "Save Session"))
    assert "Session saved" in browser.page_source
    return int(browser.current_url.split("id=")[1].split("#")[0].split("&")[0])


def add_registered(browser, live_server, session_id, name):
    open_page(browser, f"{live_server}/admin/sessions/edit/?id={session_id}&find={name}+Grouper")
    row = browser.find_element(By.XPATH, f"//li[contains(., '{name} Grouper')]")
    click_and_wait(browser, row.find_element(By.XPATH, ".//button[normalize-space()='Add']"))


def add_quick(browser, first, last):
    browser.find_element(By.NAME, "first_name").send_keys(first)
    browser.find_element(By.NAME, "last_name").send_keys(last)
    Select(browser.find_element(By.NAME, "gender")).select_by_visible_text("Female")
    click_and_wait(browser, button(browser, "Add quick attendee"))


def answer_the_shared_questions(browser):
    """Every question asked once for everyone: the first option of each list still empty."""
    for box in browser.find_elements(By.CSS_SELECTOR, "fieldset.mb-3 ~ fieldset select"):
        choice = Select(box)
        if not choice.first_selected_option.get_attribute("value"):
            choice.select_by_index(1)
    for box in browser.find_elements(By.CSS_SELECTOR, "fieldset.mb-3 ~ fieldset input[type=text]"):
        if not box.get_attribute("value"):
            box.send_keys("K1A 0B1")


def test_ten_attendees_two_absent_one_added_twice(app, make, browser, live_server):
    agency = demo_agency(app, "DEMO")
    people = {name: make.client(agency, first_name=name, last_name="Grouper") for name in NAMES}
    sign_in(browser, live_server, "worker@demo.org")
    session_id = begin_group_session(browser, live_server)
    for name in NAMES:
        add_registered(browser, live_server, session_id, name)
    add_quick(browser, "Amina", "Yusuf")
    assert "Amina Yusuf added" in browser.page_source
    add_quick(browser, "Amina", "Yusuf")  # by mistake: the same person again
    matches = browser.find_element(By.CSS_SELECTOR, "[data-testid=ad-hoc-matches]").text
    assert "Amina Yusuf" in matches and "already in this session" in matches
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Back to the session"))

    table = browser.find_element(By.CSS_SELECTOR, "[data-testid=clients-and-forms]").text
    assert table.count("Community Connections Attendee: incomplete") == 10  # each attendee's form, at once
    click_and_wait(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Attendee settings"))
    for name in ("Chen", "Hana"):
        tick = browser.find_element(By.CSS_SELECTOR, f"[data-testid=attended-{people[name].id}]")
        assert tick.is_selected()
        tick.click()
    answer_the_shared_questions(browser)
    click_and_wait(browser, button(browser, "Save for every attendee"))
    assert "Saved for 10 attendee(s)." in browser.page_source

    with app.app_context(), tenant_scope(ALL_AGENCIES):
        session = db.session.get(ServiceSession, session_id)
        attended = {f.client.first_name: f.data.get("client_attended") for f in session.forms if f.client_id}
        assert len(session.attendees) == 10 and len(attended) == 10
        assert sorted(name for name, answer in attended.items() if answer == "No") == ["Chen", "Hana"]
        assert all(f.is_complete for f in session.forms if f.client_id)
        count = select(func.count(Client.id)).where(Client.first_name == "Amina", Client.last_name == "Yusuf")
        assert db.session.scalar(count) == 1

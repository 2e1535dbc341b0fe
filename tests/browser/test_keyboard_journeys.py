"""Two journeys by keyboard alone (issue 17), in headless Chromium: Tab, Shift+Tab, Enter, Space,
arrow keys and typing, sent to whatever has the focus (ActionChains), never a click. At every
stop the focused control shows the focus ring (a computed outline or box-shadow: on a searchable
select, around its box), and the skip link moves the focus past the menus.

(a) sign in, skip link, find a client, open the dashboard;
(b) from the dashboard begin a session with the wizard, pick the date with the arrow keys,
    choose the lead and two other staff with the look-ups by typing (one removed with
    Backspace and chosen again), save the session, add a form (it opens) and save it;
(c) an agency admin runs a report: from the home page's panels to the catalogue, a report, its
    range typed in, Run report, and a number opened to the records behind it."""

from datetime import date, timedelta

import pytest
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import select

from extensions import db
from models import ALL_AGENCIES, Client, ServiceForm, Staff, tenant_scope
from tests.browser.pages import body_text, mark_document, now, wait_for_new_page
from tests.conftest import demo_agency

pytestmark = pytest.mark.usefixtures("demo")

FOCUSED = """
var html = document.activeElement.outerHTML.slice(0, 200);
var e = document.activeElement, box = e.closest('.ts-control') || e, s = getComputedStyle(box);
return {tag: e.tagName, id: e.id, name: e.getAttribute('name') || '', cls: e.className || '',
        text: (e.textContent || e.value || '').trim().slice(0, 60), href: e.getAttribute('href') || '',
        outline: s.outlineStyle, width: parseFloat(s.outlineWidth) || 0, shadow: s.boxShadow, html: html};
"""


def press(browser, *keys):
    """Keys to whatever has the focus, as a person types them."""
    ActionChains(browser).send_keys(*keys).perform()


def shift_tab(browser):
    ActionChains(browser).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()


def focused(browser):
    return browser.execute_script(FOCUSED)


def assert_ring(browser):
    """The focused control's ring: a solid outline of 2px or more, or a box-shadow."""
    now = focused(browser)
    assert (now["outline"] not in ("none", "") and now["width"] >= 2) or now["shadow"] not in ("none", ""), repr(now)
    return now


def autofocused(browser, name):
    """The field the page puts the focus in at once (its ``autofocus``), with its ring. Chromium
    moves the focus there when it next renders the page, which can be just after the load event
    that ends ``get()`` and ``wait_for_new_page()``: wait for it, as a person waits for the page."""
    try:
        WebDriverWait(browser, 5).until(lambda b: focused(b)["name"] == name)
    except TimeoutException:
        raise AssertionError(f"the focus is not in {name!r}: {focused(browser)}") from None
    return assert_ring(browser)


def tab_to(browser, wanted, limit=120, back=False):
    """Tab (or Shift+Tab) until ``wanted(focused)`` holds, checking the ring at every stop."""
    for _ in range(limit):
        shift_tab(browser) if back else press(browser, Keys.TAB)
        if focused(browser)["tag"] == "BODY":  # past the last stop: the next Tab starts again at the top
            continue
        now = assert_ring(browser)
        if wanted(now):
            return now
    raise AssertionError(f"never reached by Tab; last: {focused(browser)}")


def enter_and_wait(browser, key=Keys.ENTER):
    token = mark_document(browser)
    press(browser, key)
    wait_for_new_page(browser, token)


def skip_to_content(browser):
    """The skip link is the first Tab stop of a page (reached with Shift+Tab from a field that
    has the focus at once); Enter moves the focus to the content, past the menus."""
    if focused(browser)["tag"] == "BODY":
        now = tab_to(browser, lambda f: True, limit=1)
    else:
        now = tab_to(browser, lambda f: "skip-link" in f["cls"], limit=80, back=True)
    assert "skip-link" in now["cls"], now
    press(browser, Keys.ENTER)
    WebDriverWait(browser, 5).until(lambda b: focused(b)["id"] == "main-content")


def wait_value(browser, script, expected):
    try:
        WebDriverWait(browser, 5).until(lambda b: b.execute_script(script) == expected)
    except TimeoutException:
        raise AssertionError(f"{browser.execute_script(script)!r} != {expected!r}") from None


def named_client(app):
    with app.app_context(), tenant_scope(demo_agency(app, "DEMO").id):
        person = db.session.scalar(select(Client).where(Client.kind == "named").order_by(Client.id))
        return person.id, person.first_name, person.display_name


def staff_id(app, email):
    with app.app_context(), tenant_scope(demo_agency(app, "DEMO").id):
        return str(db.session.scalar(select(Staff.id).where(Staff.email == email)))


def sign_in_by_keyboard(browser, email):
    autofocused(browser, "email")  # the sign-in page starts in the email field
    skip_to_content(browser)
    tab_to(browser, lambda f: f["name"] == "email")
    press(browser, email)
    tab_to(browser, lambda f: f["name"] == "password")
    press(browser, "demo-password")
    enter_and_wait(browser)


def sign_in_and_open_dashboard(app, browser, live_server):
    """Journey (a)."""
    client_id, first_name, display_name = named_client(app)
    sign_in_by_keyboard(browser, "worker@demo.org")
    assert "Welcome, Wei" in body_text(browser)
    skip_to_content(browser)
    tab_to(browser, lambda f: f["tag"] == "A" and f["text"] == "Find a client")
    enter_and_wait(browser)
    autofocused(browser, "q")  # the search box has the focus at once
    press(browser, display_name)
    enter_and_wait(browser)
    skip_to_content(browser)
    tab_to(browser, lambda f: f["tag"] == "A" and f["href"].rstrip("/").endswith(f"/admin/clients/{client_id}"))
    enter_and_wait(browser)
    assert browser.current_url.rstrip("/").endswith(f"/admin/clients/{client_id}") and display_name in body_text(browser)
    return client_id


def test_sign_in_find_a_client_and_open_the_dashboard_by_keyboard(app, browser, live_server):
    sign_in_and_open_dashboard(app, browser, live_server)


OFFERED = """
var wrapper = document.activeElement.closest('.ts-wrapper');
return Array.from(wrapper.querySelectorAll('.ts-dropdown .option')).filter(o => o.offsetParent !== null)
  .map(o => o.textContent.trim());
"""


def choose(browser, typed, expected):
    """In the searchable select that has the focus: type, wait for the look-up's answer, Enter."""
    press(browser, typed)
    wait_value(browser, OFFERED, [expected])
    press(browser, Keys.ENTER)
    wait_value(browser, "return document.activeElement.value;", "")  # chosen: the typed text is cleared
    wait_value(browser, "return document.activeElement.closest('.ts-wrapper.dropdown-active.single') === null;", True)


def selected(name):
    return f"return Array.from(document.querySelector('select[name={name}]').selectedOptions).map(o => o.value);"


def test_begin_a_session_with_look_ups_add_a_form_and_save_it_by_keyboard(app, browser, live_server):
    client_id = sign_in_and_open_dashboard(app, browser, live_server)
    skip_to_content(browser)
    tab_to(browser, lambda f: f["tag"] == "A" and f["text"] == "Start session")
    enter_and_wait(browser)
    assert "/admin/sessions/new/" in browser.current_url

    tab_to(browser, lambda f: f["name"] == "service_date")
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    press(browser, Keys.ARROW_UP)  # a day back, shown in the calendar
    wait_value(browser, "return document.querySelector('[name=service_date]').value", yesterday)
    active = "return (document.querySelector('.daterangepicker td.active') || {}).textContent;"
    wait_value(browser, active, str(int(yesterday[-2:])))
    press(browser, Keys.ESCAPE)

    tab_to(browser, lambda f: f["name"] == "minutes")
    press(browser, "45")
    wei, priya, carlos = (staff_id(app, e) for e in ("worker@demo.org", "worker2@demo.org", "coordinator@demo.org"))
    tab_to(browser, lambda f: f["id"] == "lead_staff_id-ts-control")
    choose(browser, "wei", "Wei Zhang")
    wait_value(browser, selected("lead_staff_id"), [wei])
    tab_to(browser, lambda f: f["id"] == "staff_ids-ts-control")
    choose(browser, "pri", "Priya Raman")
    choose(browser, "carl", "Carlos Mendes")
    wait_value(browser, selected("staff_ids"), [priya, carlos])
    press(browser, Keys.BACKSPACE)  # the last choice removed by keyboard
    wait_value(browser, selected("staff_ids"), [priya])
    choose(browser, "mend", "Carlos Mendes")
    wait_value(browser, selected("staff_ids"), [priya, carlos])
    shift_tab(browser)  # back to the lead, and on again: the choices stay
    assert assert_ring(browser)["id"] == "lead_staff_id-ts-control"
    tab_to(browser, lambda f: f["id"] == "staff_ids-ts-control")
    wait_value(browser, selected("staff_ids"), [priya, carlos])
    if not browser.execute_script(selected("funder_ids")):
        tab_to(browser, lambda f: f["name"] == "funder_ids" or f["id"] == "funder_ids-ts-control")
        press(browser, Keys.ARROW_DOWN if focused(browser)["tag"] == "SELECT" else "IRCC")  # a list box: the first funder
        wait_value(browser, "return document.querySelector('select[name=funder_ids]').selectedOptions.length > 0;", True)
    tab_to(browser, lambda f: f["tag"] == "BUTTON" and f["text"] == "Save Session")
    enter_and_wait(browser)
    errors = [e.text for e in now(browser, By.CSS_SELECTOR, ".invalid-feedback")]
    assert "Session saved." in body_text(browser), errors

    tab_to(browser, lambda f: f["tag"] == "SELECT" and f["name"] == "kind")
    press(browser, Keys.ARROW_DOWN)  # the second form offered
    tab_to(browser, lambda f: f["tag"] == "BUTTON" and f["text"] == "Add form")
    enter_and_wait(browser)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        forms = db.session.scalars(select(ServiceForm).where(ServiceForm.client_id == client_id).order_by(ServiceForm.id)).all()
        newest, session_id = forms[-1].id, forms[-1].session_id
    assert len([f for f in forms if f.session_id == session_id]) >= 2  # the default form and the one added
    assert f"/forms/{newest}/" in browser.current_url  # the form added opens at once
    tab_to(browser, lambda f: f["tag"] == "BUTTON" and f["text"] == "Save form", limit=400)  # a long form
    enter_and_wait(browser)
    assert "saved" in body_text(browser).lower() and not now(browser, By.CSS_SELECTOR, ".alert-danger")


def type_over(browser, text):
    """Replace what the focused field holds (Ctrl+A, then typing), as a person does."""
    ActionChains(browser).key_down(Keys.CONTROL).send_keys("a").key_up(Keys.CONTROL).perform()
    press(browser, text)


def test_run_a_report_and_open_a_number_by_keyboard(browser, live_server):
    """Journey (c): the demo's one session, today, is not complete yet."""
    sign_in_by_keyboard(browser, "admin@demo.org")
    skip_to_content(browser)
    tab_to(browser, lambda f: f["tag"] == "A" and f["text"] == "All reports")
    enter_and_wait(browser)
    skip_to_content(browser)
    tab_to(browser, lambda f: f["tag"] == "A" and f["text"].startswith("Incomplete sessions by worker"))
    enter_and_wait(browser)
    today = date.today()
    tab_to(browser, lambda f: f["name"] == "from")
    type_over(browser, today.replace(day=1).isoformat())
    press(browser, Keys.ESCAPE)  # the calendar closes
    tab_to(browser, lambda f: f["name"] == "to")
    type_over(browser, today.isoformat())
    press(browser, Keys.ESCAPE)
    tab_to(browser, lambda f: f["tag"] == "BUTTON" and f["text"] == "Run report")
    enter_and_wait(browser)
    assert now(browser, By.CSS_SELECTOR, "[data-testid=report-table]"), body_text(browser)[:500]
    tab_to(browser, lambda f: f["tag"] == "A" and "/records" in f["href"] and f["text"] == "1")
    enter_and_wait(browser)
    assert "/records" in browser.current_url and now(browser, By.CSS_SELECTOR, "table tbody tr a[href*='/admin/sessions/']")

"""The main pages on a 768 px tablet and a 1280 px laptop, and printed, in headless Chromium.

At 768x1024 and 1280x800 (the viewport set through the DevTools protocol, so the page is laid out
at exactly that width) no page is wider than the window (``scrollWidth <= innerWidth``: a wide
table scrolls inside its own box, never the page), and the menus are reachable: at 768 px the
navbar is collapsed and its toggler opens it; at 1280 px the menus show. Printed (print media
emulated): a report's result and a settlement plan hide the navbar, the buttons and the criteria
form, show the criteria as text and the whole table. Figures: docs/ACCESSIBILITY.md."""

import os
from datetime import date

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.pages import click_and_wait, now, open_page
from tests.browser.test_accessibility import full_demo, page_urls  # noqa: F401 (a fixture)
from tests.browser.test_sign_in import sign_in

# Widths and print are the stylesheet's, not the database's: checked on the SQLite run only.
pytestmark = pytest.mark.skipif(os.environ.get("TEST_DATABASE") == "postgresql", reason="layout, not database: SQLite run only")

VIEWPORTS = {"tablet": (768, 1024), "laptop": (1280, 800)}
STAFF_PAGES = ("home", "find", "find_results", "dashboard_overview", "dashboard_history", "clients_grid", "sessions_grid")
STAFF_PAGES += ("forms_grid", "client_details", "session_edit", "report", "report_result", "plan", "icare")
REPORT_RESULT = f"/admin/reports/clients_served/?from=2020-01-01&to={date.today().isoformat()}"
PORTAL_PAGES = ("overview", "plan", "tasks", "jobs")

# What overflows, to name it in a failure: elements whose right edge passes the window, outside
# a box that scrolls on its own.
OVERFLOW = """
const width = window.innerWidth;
const wide = [...document.querySelectorAll('body *')].filter(e => {
  const box = e.getBoundingClientRect();
  return box.width > 0 && box.right > width + 1 && !e.closest('.table-responsive, .sr-only, .skip-link');
}).slice(0, 5).map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}#${e.id}`
  + ` right=${Math.round(e.getBoundingClientRect().right)}`);
return {scroll: document.documentElement.scrollWidth, inner: width, wide: wide};
"""


@pytest.fixture
def viewport(chromium):
    """``viewport(width, height)`` lays pages out at that size; the shared browser gets its own
    size (and screen media) back afterwards."""

    def _set(width, height):
        chromium.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}
        )

    yield _set
    chromium.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    chromium.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def overflow(browser):
    measured = browser.execute_script(OVERFLOW)
    return None if measured["scroll"] <= measured["inner"] else measured


def staff_urls(app):
    urls = page_urls(app)
    urls.update(report_result=REPORT_RESULT, dashboard_history=urls["dashboard_overview"].replace("overview", "history"))
    return urls


def shown(browser, css):
    return [element for element in now(browser, By.CSS_SELECTOR, css) if element.is_displayed()]


def check_menus(browser, width):
    """The navbar's menus: behind the toggler at 768 px (which opens them), shown at 1280 px."""
    menu = "#admin-navbar-collapse .navbar-nav .nav-link"
    toggler = browser.find_element(By.CSS_SELECTOR, ".navbar-toggler")
    if width < 992:  # Bootstrap's navbar-expand-lg
        assert toggler.is_displayed() and not shown(browser, menu)
        toggler.click()
        WebDriverWait(browser, 5).until(lambda b: len(shown(b, menu)) > 3, "the toggler does not open the menus")
        assert overflow(browser) is None, "the opened menu is wider than the window"
    else:
        assert not toggler.is_displayed() and len(shown(browser, menu)) > 3


@pytest.mark.usefixtures("full_demo")
@pytest.mark.parametrize("size", VIEWPORTS)
def test_main_pages_fit_the_window_and_the_menus_are_reachable(app, browser, live_server, viewport, size):
    width, height = VIEWPORTS[size]
    urls = staff_urls(app)
    viewport(width, height)
    sign_in(browser, live_server, "coordinator@demo.org")
    too_wide = {}
    for name in STAFF_PAGES:
        open_page(browser, live_server + urls[name])
        assert "/login" not in browser.current_url, name
        too_wide[name] = overflow(browser)
        if name == "icare":  # the check's result
            click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "[data-testid=icare-form] button[type=submit]"))
            too_wide["icare: checked"] = overflow(browser)
    open_page(browser, live_server + urls["home"])
    check_menus(browser, width)
    browser.delete_all_cookies()
    open_page(browser, live_server + "/portal/")
    browser.find_element(By.NAME, "email").send_keys("client@demo.org")
    browser.find_element(By.NAME, "password").send_keys("demo-password")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form button[type=submit]"))
    for page in PORTAL_PAGES:
        open_page(browser, f"{live_server}/portal/{page}")
        too_wide[f"portal: {page}"] = overflow(browser)
    assert shown(browser, "header.navbar .nav-link"), "the portal's menu is not shown"
    browser.delete_all_cookies()
    print(f"\n{size} {width}x{height}: {len(too_wide)} pages, {sum(1 for v in too_wide.values() if v)} too wide")
    assert {name: found for name, found in too_wide.items() if found} == {}


def printed_wrapping(browser, table):
    """The distinct (white-space, overflow-wrap) of the table's number cells and of its text cells."""
    return browser.execute_script(
        """const styles = cells => [...new Set(cells.map(c => {
             const s = getComputedStyle(c); return s.whiteSpace + '|' + s.overflowWrap; }))].map(v => v.split('|'));
        const cells = [...arguments[0].querySelectorAll('td, th')];
        return {numbers: styles(cells.filter(c => c.classList.contains('report-number'))),
                text: styles(cells.filter(c => !c.classList.contains('report-number')))};""",
        table,
    )


@pytest.mark.usefixtures("full_demo")
@pytest.mark.parametrize("page", ("report_result", "plan"))
def test_reports_and_plans_print_without_the_controls(app, browser, live_server, viewport, page):
    urls = staff_urls(app)
    sign_in(browser, live_server, "coordinator@demo.org")
    open_page(browser, live_server + urls[page])
    table = "[data-testid=report-table]" if page == "report_result" else "[data-testid=goals]"
    assert shown(browser, ".navbar") and shown(browser, ".btn")  # on screen
    viewport(1280, 800)
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    assert not shown(browser, ".navbar") and not shown(browser, ".btn") and not shown(browser, "form")
    assert not shown(browser, ".breadcrumb") and not shown(browser, "input, select, textarea")
    (printed,) = shown(browser, table)
    cut = browser.execute_script(
        """const t = arguments[0], page = document.documentElement.clientWidth;
        const clipped = [...document.querySelectorAll('*')].filter(e => e.contains(t) && e !== t
          && getComputedStyle(e).overflowX !== 'visible');
        return {right: t.getBoundingClientRect().right, page: page, clipped: clipped.map(e => e.className)};""",
        printed,
    )
    assert cut["right"] <= cut["page"] and cut["clipped"] == [], cut
    if page == "report_result":
        criteria = shown(browser, "[data-testid=print-criteria]")
        assert criteria and "2020-01-01" in criteria[0].text
        assert printed_wrapping(browser, printed) == {"numbers": [["nowrap", "normal"]], "text": [["normal", "break-word"]]}
    browser.delete_all_cookies()

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
from sqlalchemy import select

from extensions import db
from models import ALL_AGENCIES, Agency, Client, ClientFile, ServiceSession, Staff, tenant_scope
from tests.browser.pages import click_and_wait, now, open_page
from tests.browser.test_accessibility import full_demo, page_urls  # noqa: F401 (a fixture)
from tests.browser.test_sign_in import sign_in

# Widths and print are the stylesheet's, not the database's: checked on the SQLite run only.
pytestmark = pytest.mark.skipif(os.environ.get("TEST_DATABASE") == "postgresql", reason="layout, not database: SQLite run only")

VIEWPORTS = {"tablet": (768, 1024), "laptop": (1280, 800)}
STAFF_PAGES = ("home", "find", "find_results", "dashboard_overview", "dashboard_history", "clients_grid", "sessions_grid")
STAFF_PAGES += ("forms_grid", "client_details", "session_edit", "report", "report_result", "report_wide", "plan", "icare")
REPORT_RESULT = f"/admin/reports/clients_served/?from=2020-01-01&to={date.today().isoformat()}"
REPORT_WIDE = "/admin/reports/service_hours/?from=2025-12-01&to=2026-12-31"  # 9 columns and a chart
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
# A report's chart drawn over its table (beside a table too wide for its column): their boxes meet.
CHART_OVER_TABLE = """
const table = document.querySelector('[data-testid=report-table-box]');
const chart = document.querySelector('[data-testid=report-chart]');
if (!table || !chart) return 'no table or no chart';
const t = table.getBoundingClientRect(), c = chart.getBoundingClientRect();
const meet = t.left < c.right && c.left < t.right && t.top < c.bottom && c.top < t.bottom;
return meet ? {table: [t.left, t.top, t.right, t.bottom], chart: [c.left, c.top, c.right, c.bottom]} : null;
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
    history = urls["dashboard_overview"].replace("overview", "history")
    urls.update(report_result=REPORT_RESULT, report_wide=REPORT_WIDE, dashboard_history=history)
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
        if name == "report_wide":
            too_wide["report_wide: chart over the table"] = browser.execute_script(CHART_OVER_TABLE)
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
        criteria = shown(browser, "[data-testid=report-criteria]")
        assert criteria and "2020-01-01" in criteria[0].text
        assert printed_wrapping(browser, printed) == {"numbers": [["nowrap", "normal"]], "text": [["normal", "break-word"]]}
    browser.delete_all_cookies()


# Issue 17: a word split in two (a squeezed table's "Modifier" read "Mod/ifier"), a label running
# over the next field, links told apart by colour only. On the small demo, in French (longer words).
SPLIT_WORDS = """
if (!document.querySelector(arguments[0])) return ['no table ' + arguments[0]];
const split = [];
for (const cell of document.querySelectorAll(arguments[0] + ' td, ' + arguments[0] + ' th')) {
  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const match of node.textContent.matchAll(/\\S{2,20}/g)) {  // a longer word may still break
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (lines.size > 1) split.push(match[0]);
    }
  }
}
return split;
"""
LABELS_OVER = """
const boxes = e => e.getBoundingClientRect();
const meet = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
const fields = 'form input:not([type=hidden]), form select, form textarea, form label';
const controls = [...document.querySelectorAll(fields)]  // a searchable select: its box (Tom Select's)
  .filter(e => e.getBoundingClientRect().width > 0 && !e.closest('.ts-wrapper, [aria-hidden=true]'))
  .concat([...document.querySelectorAll('form .ts-wrapper')]);
const over = [];
for (const label of document.querySelectorAll('form label')) {
  const box = boxes(label), group = label.closest('.form-group');
  if (!box.width) continue;
  if (group && box.right > boxes(group).right + 1) over.push(label.textContent.trim() + ': past its column');
  for (const other of controls) {
    if (other !== label && !label.contains(other) && !other.contains(label) && meet(box, boxes(other)))
      over.push(label.textContent.trim() + ' over ' + (other.id || other.getAttribute('for') || other.className));
  }
}
return over;
"""


def small_demo_pages(app):
    """The demo worker's first client (with files whose names and words are long) and session."""
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        demo_id = db.session.scalar(select(Agency.id).where(Agency.code == "DEMO"))
        client_id = db.session.scalar(
            select(Client.id).where(Client.agency_id == demo_id, Client.kind == "named").order_by(Client.id)
        )
        staff_id = db.session.scalar(select(Staff.id).where(Staff.email == "worker@demo.org"))
        for number, (name, size) in enumerate((("Attestation_de_residence_permanente_2026.pdf", 312), ("lettre.docx", 48_000))):
            db.session.add(
                ClientFile(
                    agency_id=demo_id,
                    client_id=client_id,
                    original_name=name,
                    stored_name=f"layout-{number}",
                    content_type="application/pdf",
                    size=size,
                    uploaded_by_id=staff_id,
                    description="Renseignements supplémentaires concernant l'admissibilité",
                )  # fmt: skip
            )
        db.session.commit()
        session_id = db.session.scalar(select(ServiceSession.id).where(ServiceSession.agency_id == demo_id))
    return {"files": f"/admin/clients/{client_id}/?tab=files", "session_edit": f"/admin/sessions/edit/?id={session_id}"}


@pytest.mark.usefixtures("demo")
@pytest.mark.parametrize("size", VIEWPORTS)
def test_words_stay_whole_and_labels_keep_to_their_column_in_french(app, browser, live_server, viewport, use_language, size):
    pages = small_demo_pages(app)
    use_language("fr-CA")
    viewport(*VIEWPORTS[size])
    sign_in(browser, live_server, "worker@demo.org")
    found = {}
    for name, table in (("files", "[data-testid=files]"), ("session_edit", "[data-testid=clients-and-forms]")):
        open_page(browser, live_server + pages[name])
        found[name] = {"too wide": overflow(browser), "split": browser.execute_script(SPLIT_WORDS, table)}
    open_page(browser, live_server + "/admin/register/")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "button[value=accept]"))
    assert "Unité/bureau/appartement" in browser.find_element(By.CSS_SELECTOR, "label[for=unit]").text.replace("\n", "")
    found["register"] = {"too wide": overflow(browser), "labels": browser.execute_script(LABELS_OVER)}
    browser.delete_all_cookies()
    assert {page: {k: v for k, v in problems.items() if v} for page, problems in found.items()} == {page: {} for page in found}


@pytest.mark.usefixtures("demo")
def test_the_registration_done_pages_links_are_underlined(app, browser, live_server):
    """WCAG 1.4.1: the links inside the page's lines (the PDFs) are underlined, not only blue;
    the page's list of actions are boxes of their own (Bootstrap's list-group-item-action)."""
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        demo_id = db.session.scalar(select(Agency.id).where(Agency.code == "DEMO"))
        client_id = db.session.scalar(select(Client.id).where(Client.agency_id == demo_id, Client.kind == "named"))
    sign_in(browser, live_server, "worker@demo.org")
    open_page(browser, f"{live_server}/admin/register/done/{client_id}/")
    links = browser.find_elements(By.CSS_SELECTOR, ".list-group-item a")
    decorations = browser.execute_script("return arguments[0].map(a => getComputedStyle(a).textDecorationLine);", links)
    assert len(links) == 4 and all("underline" in line for line in decorations), decorations
    browser.delete_all_cookies()


@pytest.mark.usefixtures("demo")
def test_an_edit_form_made_narrower_does_not_scroll_sideways(app, browser, live_server, viewport):
    """Opened at 1280 px, then the window made 768 px wide: the form's drop-downs follow it
    (Flask-Admin's select2 sized them once, in pixels)."""
    from models import Referral

    with app.app_context(), tenant_scope(ALL_AGENCIES):
        demo_id = db.session.scalar(select(Agency.id).where(Agency.code == "DEMO"))
        referral_id = db.session.scalar(select(Referral.id).where(Referral.agency_id == demo_id).order_by(Referral.id))
    viewport(*VIEWPORTS["laptop"])
    sign_in(browser, live_server, "coordinator@demo.org")
    open_page(browser, f"{live_server}/admin/referrals/edit/?id={referral_id}")
    assert browser.find_elements(By.CSS_SELECTOR, "form.admin-form .select2-container")
    viewport(*VIEWPORTS["tablet"])
    WebDriverWait(browser, 5).until(lambda b: b.execute_script("return window.innerWidth") == 768)
    assert overflow(browser) is None
    browser.delete_all_cookies()

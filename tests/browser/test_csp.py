"""The Content-Security-Policy holds in a real browser: representative pages load without a
single violation, and their scripts (filters, select2, the delete confirmation) still work."""

from datetime import date

import pyotp
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import select

from extensions import db
from models import ALL_AGENCIES, Agency, ServiceForm, ServiceSession, Staff, tenant_scope
from tests.browser.pages import click_and_wait
from tests.browser.test_sign_in import sign_in

pytestmark = pytest.mark.usefixtures("demo")

# Installed through the DevTools protocol before any page script: it is not subject to the
# page's policy, and it records every violation the page causes, load-time or later.
LISTENER = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.cspViolations.push([event.effectiveDirective, event.blockedURI || "inline",
    (event.sourceFile || "") + ":" + event.lineNumber, event.sample].join(" "));
});
"""
READ_VIOLATIONS = "var done = arguments[0]; setTimeout(function () { done(window.cspViolations || null); }, 100);"


@pytest.fixture
def watched(browser):
    """The browser with the violation listener on every new document (removed afterwards)."""
    script = browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": LISTENER})
    yield browser
    browser.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": script["identifier"]})


def violations(browser):
    found = browser.execute_async_script(READ_VIOLATIONS)
    assert found is not None, "the violation listener did not run on " + browser.current_url
    return found


def demo_ids(app):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        agency = db.session.scalar(select(Agency).where(Agency.code == "DEMO"))
        service_session = db.session.scalar(select(ServiceSession).where(ServiceSession.agency_id == agency.id))
        form = db.session.scalar(select(ServiceForm).where(ServiceForm.session_id == service_session.id))
        today = date.today().isoformat()
        return {"agency": agency.id, "session": service_session.id, "form": form.id, "client": form.client_id, "today": today}


PAGES = (
    "/admin/",
    "/admin/clients/",
    "/admin/register/",
    "/admin/register/named/",
    "/admin/clients/{client}/",
    *(f"/admin/clients/{{client}}/?tab={tab}" for tab in ("notes", "files", "history", "family", "privacy", "audit")),
    "/admin/sessions/new/",
    "/admin/sessions/edit/?id={session}",
    "/admin/sessions/{session}/forms/{form}/",
    "/admin/service-forms/",
    "/admin/agency/edit/?id={agency}",
    "/admin/staff/new/",
    "/admin/find-client/",
    "/two-step",
    "/admin/reports/",
    "/admin/reports/incomplete_by_worker/?from={today}&to={today}",
    "/admin/reports/incomplete_by_worker/print?from={today}&to={today}",
    # --- referrals ---
    "/admin/clients/{client}/?tab=referrals",
    "/admin/referrals/",
    "/admin/tasks/",
    "/admin/partners/",
    "/admin/partners/new/",
    "/admin/incoming-referrals/",
    "/admin/partnerships/",
)


def test_representative_pages_cause_no_violation(app, watched, live_server):
    ids = demo_ids(app)
    sign_in(watched, live_server, "admin@demo.org")
    found = {}
    for page in PAGES:
        watched.get(live_server + page.format(**ids))
        assert "/login" not in watched.current_url and "Not allowed" not in watched.title, page
        found[page] = violations(watched)
    print(f"CSP: {len(PAGES)} pages, {sum(map(len, found.values()))} violations")
    assert found == {page: [] for page in PAGES}


def test_sign_in_pages_cause_no_violation(app, watched, live_server):
    watched.get(live_server + "/login")
    assert violations(watched) == []
    sign_in(watched, live_server, "worker@demo.org", "not-the-password")
    assert "do not match" in watched.page_source and violations(watched) == []

    secret = pyotp.random_base32()
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        db.session.scalar(select(Staff).where(Staff.email == "worker@demo.org")).totp_secret = secret
        db.session.commit()
    sign_in(watched, live_server, "worker@demo.org")
    assert "/login/code" in watched.current_url and violations(watched) == []
    watched.find_element(By.NAME, "code").send_keys(pyotp.TOTP(secret).now())
    click_and_wait(watched, watched.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert watched.find_element(By.TAG_NAME, "h1").text == "Welcome, Wei" and violations(watched) == []


def test_filters_select2_and_delete_confirmation_still_work(app, watched, live_server):
    sign_in(watched, live_server, "admin@demo.org")
    watched.get(live_server + "/admin/service-forms/")
    watched.find_element(By.LINK_TEXT, "Add Filter").click()
    watched.find_element(By.XPATH, "//a[contains(@class, 'filter') and normalize-space()='Site']").click()
    assert watched.find_elements(By.CSS_SELECTOR, "#filter_form .filter-val"), "the filter row was not added"
    assert violations(watched) == []  # before leaving the page: its violations go with it
    click_and_wait(watched, watched.find_element(By.XPATH, "//button[normalize-space()='Apply']"))
    assert "flt" in watched.current_url and violations(watched) == []

    watched.get(live_server + "/admin/sessions/")
    watched.find_element(By.LINK_TEXT, "Add Filter").click()
    watched.find_element(By.XPATH, "//a[contains(@class, 'filter') and normalize-space()='Date']").click()
    watched.find_element(By.CSS_SELECTOR, "#filter_form input.filter-val").click()  # opens the date-range picker
    assert watched.find_element(By.CSS_SELECTOR, ".daterangepicker").is_displayed() and violations(watched) == []
    watched.find_element(By.CSS_SELECTOR, "form.icon button[title='Delete Record']").click()
    WebDriverWait(watched, 5).until(lambda b: b.switch_to.alert).dismiss()  # the confirmation ran
    watched.find_element(By.CSS_SELECTOR, "input.action-checkbox").click()
    watched.find_element(By.LINK_TEXT, "With selected").click()
    watched.find_element(By.XPATH, "//a[@class='dropdown-item' and normalize-space()='Delete']").click()
    WebDriverWait(watched, 5).until(lambda b: b.switch_to.alert).dismiss()  # the mass action asked too
    assert violations(watched) == []
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert db.session.scalar(select(ServiceSession.id).limit(1)) is not None  # dismissed: nothing deleted

    watched.get(live_server + "/admin/staff/new/")
    assert watched.find_elements(By.CSS_SELECTOR, ".select2-container"), "select2 did not render"
    assert violations(watched) == []


def test_french_pages_cause_no_violation(app, watched, live_server):
    """Flask-Admin's French delete confirmation is an inline handler too: its hash is listed."""
    ids = demo_ids(app)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        db.session.scalar(select(Staff).where(Staff.email == "admin@demo.org")).interface_language = "fr_CA"
        db.session.commit()
    sign_in(watched, live_server, "admin@demo.org")
    found = {}
    for page in ("/admin/", "/admin/clients/", "/admin/staff/new/", "/admin/sessions/edit/?id={session}", "/admin/sessions/"):
        watched.get(live_server + page.format(**ids))
        assert watched.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr-CA", page
        found[page] = violations(watched)
    watched.find_element(By.CSS_SELECTOR, "form.icon button[onclick*=safeConfirm]").click()
    alert = WebDriverWait(watched, 5).until(lambda b: b.switch_to.alert)
    assert "supprimer" in alert.text
    alert.dismiss()
    assert found == {page: [] for page in found} and violations(watched) == []

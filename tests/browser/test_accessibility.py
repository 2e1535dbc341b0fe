"""axe-core in headless Chromium over the main pages, in English and in French, as a worker, a
coordinator and an agency admin: no critical or serious violation (WCAG 2.1 A/AA and axe's best
practices). The counts per page and impact are printed (``pytest -s``) and summarised in
docs/ACCESSIBILITY.md. Also: the skip link, the focus ring, and Flask-Admin's patched templates."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from sqlalchemy import select

from custom_pages.client_dashboard import TABS
from demo import seed_demo
from extensions import db
from models import ALL_AGENCIES, Agency, Client, ServiceForm, ServiceSession, tenant_scope
from tests.browser.axe import SERIOUS, axe_violations, describe, impact_counts
from tests.browser.pages import click_and_wait, open_page
from tests.browser.test_sign_in import sign_in

DASHBOARD_TABS = tuple(TABS)  # every tab of the client dashboard
ROLE_PAGES = {
    "worker@demo.org": ("home", "find", "find_results", "register", "register_named", "register_anonymous")
    + tuple(f"dashboard_{tab}" for tab in DASHBOARD_TABS)
    + ("wizard", "session_edit", "long_form", "attendees", "register_course", "clients_grid", "sessions_grid")
    + ("plan", "my_account"),
    "coordinator@demo.org": ("home", "client_edit", "client_details", "reports", "report", "icare", "forms_grid", "tasks")
    + ("plan_monitoring", "mentors", "mentor_matches", "mentors_available", "merge"),
    "admin@demo.org": ("home", "agency", "staff", "audit", "import", "notifications", "job_postings"),
}
PORTAL_PAGES = ("overview", "plan", "tasks", "files", "jobs", "jobs/feed", "following", "leads", "skills")
PORTAL_PAGES += ("resumes", "resumes/new", "cover-letters", "cover-letters/new")  # the builder with its buttons


@pytest.fixture
def full_demo(app):
    """The whole demo (`flask seed-demo`: clients, every session type, courses, referrals,
    notifications, iCARE), so that every page has data to show."""
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        seed_demo()
        db.session.commit()


def page_urls(app):
    """``{page name: path}`` in the DEMO agency, from the demo's own rows."""
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        demo_id = db.session.scalar(select(Agency.id).where(Agency.code == "DEMO"))
        in_demo = ServiceSession.agency_id == demo_id
        client_id = db.session.scalar(
            select(Client.id).where(Client.agency_id == demo_id, Client.kind == "named").order_by(Client.id)
        )
        long_form = db.session.execute(
            select(ServiceForm.session_id, ServiceForm.id)
            .where(ServiceForm.agency_id == demo_id, ServiceForm.kind == "needs_assessment")
            .order_by(ServiceForm.id)
        ).first()
        group_id = db.session.scalar(
            select(ServiceSession.id).where(in_demo, ServiceSession.session_type == "cc_group").order_by(ServiceSession.id)
        )
        course_id = db.session.scalar(
            select(ServiceSession.id)
            .where(in_demo, ServiceSession.session_type == "language_training")
            .order_by(ServiceSession.id)
        )
        session_id = db.session.scalar(select(ServiceSession.id).where(in_demo).order_by(ServiceSession.id))
        samira_id = db.session.scalar(select(Client.id).where(Client.first_name == "Samira", Client.last_name == "Nouri"))
    urls = {
        "home": "/admin/",
        "find": "/admin/find-client/",
        "find_results": "/admin/find-client/?q=Samira",
        "register": "/admin/register/",
        "register_named": "/admin/register/named/",
        "register_anonymous": "/admin/register/anonymous/",
        "wizard": "/admin/sessions/new/",
        "session_edit": f"/admin/sessions/edit/?id={session_id}",
        "long_form": f"/admin/sessions/{long_form[0]}/forms/{long_form[1]}/",
        "attendees": f"/admin/sessions/{group_id}/attendees/",
        "register_course": f"/admin/sessions/{course_id}/register/",
        "clients_grid": "/admin/clients/",
        "sessions_grid": "/admin/sessions/",
        "forms_grid": "/admin/service-forms/",
        "client_edit": f"/admin/clients/edit/?id={client_id}",
        "client_details": f"/admin/clients/details/?id={client_id}",
        "reports": "/admin/reports/",
        "report": "/admin/reports/clients_served/",
        "icare": "/admin/icare/",
        "tasks": "/admin/tasks/",
        "agency": "/admin/agency/",
        "staff": "/admin/staff/",
        "audit": "/admin/audit/",
        "import": "/admin/import-clients/",
        "notifications": "/admin/my-notifications/",
        "plan": f"/admin/clients/{samira_id}/plan/",
        "my_account": "/admin/my-account/",
        "plan_monitoring": "/admin/plan-monitoring/",
        "mentors": "/admin/mentors/",
        "mentor_matches": "/admin/mentors/matches/",
        "mentors_available": "/admin/mentors/available/",
        "merge": f"/admin/clients/{client_id}/merge/",
        "job_postings": "/admin/job-postings/",
    }
    urls.update({f"dashboard_{tab}": f"/admin/clients/{client_id}/?tab={tab}" for tab in DASHBOARD_TABS})
    return urls


def sweep(browser, live_server, urls, email):
    """``{page: violations}`` of every page of one role."""
    sign_in(browser, live_server, email)
    found = {}
    for name in ROLE_PAGES[email]:
        open_page(browser, live_server + urls[name])
        assert "/login" not in browser.current_url, name
        found[name] = axe_violations(browser)
    browser.delete_all_cookies()
    return found


def portal_sweep(browser, live_server):
    """The client portal's sign-in and pages, as the demo's portal client."""
    open_page(browser, live_server + "/portal/")
    found = {"portal: sign-in": axe_violations(browser)}
    browser.find_element(By.NAME, "email").send_keys("client@demo.org")
    browser.find_element(By.NAME, "password").send_keys("demo-password")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form button[type=submit]"))
    for page in PORTAL_PAGES:
        open_page(browser, f"{live_server}/portal/{page}")
        assert "/portal/" in browser.current_url and browser.current_url.rstrip("/") != live_server + "/portal", page
        found[f"portal: {page}"] = axe_violations(browser)
    browser.delete_all_cookies()
    return found


@pytest.mark.parametrize(("language", "lang"), [("en-CA", "en"), ("fr-CA", "fr-CA")])
@pytest.mark.usefixtures("full_demo")
def test_main_pages_have_no_serious_axe_violation(app, browser, live_server, use_language, language, lang):
    urls = page_urls(app)
    use_language(language)
    open_page(browser, live_server + "/login")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == lang
    results = {"sign-in": axe_violations(browser)}
    for email in ROLE_PAGES:
        results.update({f"{email.split('@')[0]}: {page}": v for page, v in sweep(browser, live_server, urls, email).items()})
    results.update(portal_sweep(browser, live_server))
    print(f"\naxe-core, {language}: affected elements per page and impact")
    for page, violations in results.items():
        print(f"  {page:40} {impact_counts(violations) or 'none'}")
    serious = {page: [v for v in found if v["impact"] in SERIOUS] for page, found in results.items()}
    failures = "\n".join(f"{page}:\n{describe(found)}" for page, found in serious.items() if found)
    assert not failures, failures


@pytest.mark.usefixtures("demo")
def test_the_skip_link_is_the_first_stop_and_moves_the_focus_to_the_content(browser, live_server):
    sign_in(browser, live_server, "worker@demo.org")
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    link = browser.switch_to.active_element
    assert link.get_attribute("class") == "skip-link" and link.text == "Skip to main content"
    assert link.is_displayed() and link.location["y"] >= 0  # shown once it has the focus
    link.send_keys(Keys.ENTER)
    assert browser.switch_to.active_element.get_attribute("id") == "main-content"
    browser.switch_to.active_element.send_keys(Keys.TAB)
    assert browser.switch_to.active_element.get_attribute("class") != "skip-link"


@pytest.mark.usefixtures("demo")
def test_a_focused_select_shows_a_visible_ring(browser, live_server):
    sign_in(browser, live_server, "worker@demo.org")
    open_page(browser, live_server + "/admin/register/anonymous/")
    select_box = browser.find_element(By.CSS_SELECTOR, "main select, #main-content ~ form select, form select")
    browser.execute_script("arguments[0].focus();", select_box)
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.SHIFT, Keys.TAB)  # keyboard focus (focus-visible) back and forth
    body = browser.switch_to.active_element
    body.send_keys(Keys.TAB)
    focused = browser.switch_to.active_element
    assert focused.tag_name == "select"
    style = browser.execute_script(
        "var s = getComputedStyle(arguments[0]); return [s.outlineStyle, s.outlineWidth, s.boxShadow];", focused
    )
    assert style[0] == "solid" and style[1] == "3px" and "255, 191, 71" in style[2], style

"""Stored XSS: script payloads in every free-text field come back as text, never as markup.

Most payloads are stored through the models (as any write path would store them); the case note
and the safety flag are typed through the real dashboard in Chromium. Every page that shows them
is then opened in headless Chromium (no script ran, no alert, no injected element in the DOM,
the payload readable as text) and fetched with the test client (the raw HTML holds the payload
escaped), so the test proves escaping, not only the Content-Security-Policy.
"""

from datetime import date

import pytest
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import select

from extensions import db
from models import (
    AgencyQuestion,
    CaseNote,
    Client,
    ClientFile,
    EmergencyContact,
    Funder,
    GroupActivityName,
    MessageTemplate,
    Notification,
    Partnership,
    Program,
    Referral,
    ReferralPartner,
    SafetyFlag,
    ServiceForm,
    ServiceSession,
    SessionClient,
    SharedReferral,
    Site,
    Staff,
    Task,
    tenant_scope,
)
from tests.browser.pages import button, click_and_wait, open_page
from tests.browser.test_sign_in import sign_in
from tests.conftest import demo_agency
from tests.conftest import sign_in as sign_in_client

pytestmark = pytest.mark.usefixtures("demo")

SCRIPT = "<script>window.__xss=1</script>"
IMG = '"><img src=x onerror="window.__xss=1">'
SVG = "'><svg onload=window.__xss=1>"
ALERT = "<img src=x onerror=alert(1)>"
JAVASCRIPT = "javascript:window.__xss=1"
EVERY = f"{SCRIPT} {IMG} {SVG} {ALERT} {JAVASCRIPT}"  # for the long text fields
RAW_MARKUP = ("<script>window.__xss", "<img src=x onerror", "<svg onload", 'href="javascript:window', "href='javascript:window")
ESCAPED = ("&lt;script&gt;window.__xss", "&lt;img src=x onerror", "&lt;svg onload", "javascript:window.__xss=1")

# Run in the page: elements or attributes that only an unescaped payload could have created.
INJECTED = """
return Array.from(document.querySelectorAll('*')).filter(function (e) {
  if (e.tagName === 'SCRIPT' && e.textContent.indexOf('__xss') !== -1) return true;
  if ((e.getAttribute('href') || '').indexOf('javascript:window') !== -1) return true;
  return Array.from(e.attributes).some(function (a) {
    return a.name.indexOf('on') === 0 && (a.value.indexOf('__xss') !== -1 || a.value.indexOf('alert(') !== -1);
  });
}).map(function (e) { return e.outerHTML.slice(0, 120); });
"""
# Run in the page: the text a person reads, and what the form fields hold.
SHOWN = """
var values = Array.from(document.querySelectorAll('input, textarea, option')).map(function (e) {
  return e.value + ' ' + e.textContent + ' ' + (e.title || ''); });
var titles = Array.from(document.querySelectorAll('[title]')).map(function (e) { return e.title; });
return document.body.innerText + ' ' + values.join(' ') + ' ' + titles.join(' ');
"""


@pytest.fixture
def stored(app, tmp_path, monkeypatch):
    """A client, session, form, note, file, site, program, funder, activity name, questions and
    a staff title, each free-text field holding a payload."""
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path))
    demo = demo_agency(app, "DEMO")
    with app.app_context(), tenant_scope(demo.id):
        wei = db.session.scalar(select(Staff).where(Staff.email == "worker@demo.org"))
        db.session.scalar(select(Staff).where(Staff.email == "worker2@demo.org")).title = SCRIPT
        site = Site(name=SCRIPT, kind="non_school", address=EVERY, city=IMG)
        funder = Funder(name=SVG, code="XSS")
        program = Program(name=IMG, description=EVERY, funder=funder)
        profile_question = AgencyQuestion(target="client_profile", label=EVERY, answer_type="text")
        form_question = AgencyQuestion(target="non_specified", label=EVERY, answer_type="text")
        db.session.add_all([site, funder, program, profile_question, form_question, GroupActivityName(name=SVG)])
        db.session.flush()
        client = Client(
            kind="named",
            first_name=SCRIPT,
            last_name=IMG,
            preferred_name=SVG,
            date_of_birth=date(1990, 2, 3),
            gender="Female",
            email=JAVASCRIPT,
            street_name=ALERT,
            city=IMG,
            comments=EVERY,
            registration_site=site,
            answers={profile_question.key: EVERY},
        )
        client.emergency_contacts = [EmergencyContact(name=SCRIPT, relationship=IMG, phone="416 555 0100")]
        client.safety_flags = [SafetyFlag(reason=EVERY, flagged_by_id=wei.id)]
        db.session.add(client)
        db.session.flush()
        session = ServiceSession(
            site_id=site.id, program_id=program.id, lead_staff_id=wei.id, created_by_id=wei.id, minutes=30, notes=EVERY
        )
        session.attendees = [SessionClient(client_id=client.id)]
        form = ServiceForm(kind="non_specified", client_id=client.id, author_id=wei.id)
        form.save_answers({"description": EVERY, "notes": EVERY, form_question.key: EVERY})
        session.forms = [form]
        (tmp_path / "xss-file").write_bytes(b"plain text\n")
        upload = ClientFile(
            client_id=client.id,
            original_name=f"{IMG}.txt",
            stored_name="xss-file",
            content_type="text/plain",
            size=11,
            description=EVERY,
            uploaded_by_id=wei.id,
        )
        note = CaseNote(client_id=client.id, author_id=wei.id, body=EVERY)
        db.session.add_all([session, upload, note])
        referral_ids = stored_referral_payloads(client, wei, demo)
        db.session.add_all(notification_rows(client, wei))
        db.session.commit()
        worker2 = db.session.scalar(select(Staff.id).where(Staff.email == "worker2@demo.org"))
        return {
            "client": client.id,
            "session": session.id,
            "form": form.id,
            "site": site.id,
            "program": program.id,
            "worker2": worker2,
            "today": date.today().isoformat(),
            "note": note.id,
            "file": upload.id,
            **{key: row.id for key, row in referral_ids.items()},
        }


def stored_referral_payloads(client, wei, demo):
    """A partner, referral, task and incoming shared referral holding payloads (referrals)."""
    partner = ReferralPartner(name=SCRIPT, services=EVERY, languages=IMG, eligibility_notes=SVG)
    referral = Referral(client=client, referring_staff_id=wei.id, partner=partner, need_area="financial_needs_ind")
    referral.notes, referral.outcome = EVERY, IMG
    task = Task(client=client, created_by_id=wei.id, assigned_to_id=wei.id, title=SVG, details=EVERY)
    partnership = db.session.scalar(select(Partnership))
    shared = SharedReferral(partnership=partnership, from_agency_id=partnership.invited_agency_id, to_agency_id=demo.id)
    shared.consent_summary, shared.shared_fields, shared.need_area = (
        IMG,
        {"name": SCRIPT, "email": JAVASCRIPT},
        "financial_needs_ind",
    )
    shared.message, shared.from_agency_name, shared.referred_by_name = EVERY, SVG, ALERT
    db.session.add_all([referral, task, shared])
    db.session.flush()
    return {"partner": partner, "referral": referral, "task": task}


def notification_rows(client, staff):
    """A client's failed message and a staff member's queued one, and an email template, with payloads."""
    payloads = {"subject": EVERY, "body_text": EVERY, "body_html": EVERY, "last_error": EVERY}
    return [
        Notification(
            kind="appointment_reminder", client_id=client.id, to_address=JAVASCRIPT, status="failed", dedupe_key="x1", **payloads
        ),
        Notification(
            kind="session_incomplete", staff_id=staff.id, to_address=IMG, status="not_sent", dedupe_key="x2", **payloads
        ),
        MessageTemplate(kind="break_glass", language="en", subject=EVERY, body_text=EVERY, body_html=EVERY),
    ]


WORKER_PAGES = (
    "/admin/",
    "/admin/clients/",
    "/admin/clients/?search=window",
    *(
        f"/admin/clients/{{client}}/?tab={tab}"
        for tab in ("overview", "notes", "history", "files", "family", "privacy", "notifications", "audit")
    ),
    "/admin/clients/{client}/notes/{note}/edit/",
    "/admin/clients/{client}/files/{file}/edit/",
    "/admin/sessions/",
    "/admin/sessions/edit/?id={session}",
    "/admin/sessions/{session}/forms/{form}/",
    "/admin/sessions/new/?client_id={client}",
    "/admin/service-forms/",
    "/admin/sites/",
    "/admin/sites/details/?id={site}",
    "/admin/programs/",
    "/admin/programs/details/?id={program}",
    "/admin/funders/",
    "/admin/directory/",
    "/admin/directory/details/?id={worker2}",
    "/admin/register/anonymous/",
    # --- referrals ---
    "/admin/clients/{client}/?tab=referrals",
    "/admin/referrals/",
    "/admin/referrals/edit/?id={referral}",
    "/admin/tasks/",
    "/admin/tasks/edit/?id={task}",
    "/admin/partners/",
    "/admin/partners/details/?id={partner}",
    "/admin/incoming-referrals/",
    "/admin/my-notifications/",
    "/admin/reports/",
    "/admin/reports/incomplete_by_worker/?from={today}&to={today}",
    "/admin/reports/incomplete_by_worker/records?from={today}&to={today}",
    "/admin/reports/incomplete_by_worker/print?from={today}&to={today}",
)
ADMIN_PAGES = (
    "/admin/audit/",
    "/admin/questions/",
    "/admin/staff/",
    "/admin/group-activities/",
    "/admin/sites/edit/?id={site}",
    "/admin/message_templates/",
)
# Pages that show only fields without payloads on them (the point is that nothing ran there).
QUIET_PAGES = {
    "/admin/clients/{client}/?tab=privacy",
    "/admin/reports/",
    "/admin/reports/incomplete_by_worker/print?from={today}&to={today}",
}


def pages(paths, ids):
    return [(path, path.format(**ids)) for path in paths]


def assert_no_alert(browser, url):
    try:
        alert = browser.switch_to.alert
    except NoAlertPresentException:
        return
    text = alert.text
    alert.dismiss()
    pytest.fail(f"an alert ({text!r}) was raised on {url}")


def assert_escaped_in_browser(browser, base, path, url):
    open_page(browser, base + url)
    assert_no_alert(browser, url)
    assert "/login" not in browser.current_url, url
    assert browser.execute_script("return typeof window.__xss") == "undefined", f"a payload ran on {url}"
    assert browser.execute_script(INJECTED) == [], f"payload markup in the DOM of {url}"
    if path not in QUIET_PAGES:
        assert "window.__xss=1" in browser.execute_script(SHOWN), f"no payload shown as text on {url}"


def test_payloads_typed_in_the_browser_and_stored_ones_never_run(browser, live_server, stored):
    sign_in(browser, live_server, "worker@demo.org")
    browser.get(f"{live_server}/admin/clients/{stored['client']}/?tab=notes")
    browser.find_element(By.NAME, "body").send_keys(f"Typed {EVERY}")
    click_and_wait(browser, button(browser, "Add note"))
    assert "Note added." in browser.page_source
    button(browser, "Add safety flag").click()
    WebDriverWait(browser, 5).until(lambda b: b.find_element(By.NAME, "reason").is_displayed())
    browser.find_element(By.NAME, "reason").send_keys(f"Typed flag {IMG}")
    click_and_wait(browser, button(browser, "Add flag"))
    assert "Safety flag added." in browser.page_source
    for path, url in pages(WORKER_PAGES, stored):
        assert_escaped_in_browser(browser, live_server, path, url)
    browser.get(f"{live_server}/admin/clients/{stored['client']}/?tab=notes")
    assert f"Typed {SCRIPT}" in browser.find_element(By.TAG_NAME, "body").text  # typed text shown as typed
    assert "Typed flag" in browser.execute_script(SHOWN)


def test_admin_pages_never_run_stored_payloads(browser, live_server, stored):
    sign_in(browser, live_server, "admin@demo.org")
    for path, url in pages(ADMIN_PAGES, stored):
        assert_escaped_in_browser(browser, live_server, path, url)


@pytest.mark.parametrize(
    "email, paths", [("worker@demo.org", WORKER_PAGES), ("admin@demo.org", ADMIN_PAGES)], ids=["worker", "admin"]
)
def test_raw_html_holds_the_payloads_escaped(client, stored, email, paths):
    """Escaping, not the CSP: the HTML itself never holds the payload as markup."""
    sign_in_client(client, email)
    for path, url in pages(paths, stored):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        assert not [raw for raw in RAW_MARKUP if raw in html], url
        if path not in QUIET_PAGES:
            assert any(escaped in html for escaped in ESCAPED), f"no payload on {url}"
    dashboard = client.get(f"/admin/clients/{stored['client']}/?tab=notes").get_data(as_text=True)
    if email == "worker@demo.org":
        assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in dashboard


def test_the_checks_catch_an_unescaped_payload(browser):
    """Control: on a page that does hold the markup, the same checks see it."""
    browser.get("data:text/html," + f"<p>{IMG}{SVG}</p><a href='{JAVASCRIPT}'>x</a>")
    assert browser.execute_script("return window.__xss") == 1
    assert len(browser.execute_script(INJECTED)) == 3

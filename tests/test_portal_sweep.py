"""The portal sweeps, generated from ``app.url_map``:

- every portal rule (endpoint ``portal.*``) as each demo portal client, filled with the OTHER
  client's ids (tasks, shared files, uploads) and with their own hidden ones (a staff task about
  them, a file not shared, a Private file): all refused (404), no marker of what they may not
  see in any response, nothing changed; their own visible records open (positive control);
- every other rule (``/admin/`` and the staff pages) as a signed-in portal client: all refused;
- every portal rule as a signed-in staff member: staff are nobody in the portal.
A rule with a URL variable the sweep cannot fill fails it.
"""

import secrets
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from extensions import db
from models import (
    ALL_AGENCIES,
    Agency,
    CareerDocument,
    Client,
    ClientFile,
    ClientFollow,
    ClientSkill,
    EmploymentActionPlan,
    JobLead,
    JobPosting,
    PortalUpload,
    SettlementPlan,
    Staff,
    Task,
    TrainingOpportunity,
    tenant_scope,
)
from models.eap import add_part
from tests.conftest import text
from tests.portal_helpers import seed_portal_clients, signed_in_portal

pytestmark = pytest.mark.usefixtures("demo")

EMAILS = ("client@demo.org", "client2@demo.org")
ID_VARIABLES = {
    "task_id": "tasks",
    "file_id": "files",
    "upload_id": "uploads",
    "posting_id": "postings",
    "lead_id": "leads",
    "follow_id": "follows",
    "skill_row_id": "skills",
    "plan_id": "plans",
    "document_id": "documents",  # resumes and cover letters (/portal/resumes/..., /portal/cover-letters/...)
    "training_id": "trainings",
}
TOKEN_VARIABLES = {"token"}
NOT_REQUESTED = {"portal.sign_out": "would end the sweep's own session (tests/test_portal.py signs out)"}
# Staff pages open to anyone signed out (a portal client is nobody there): they hold no agency data.
PUBLIC_STAFF_PAGES = ("auth.login", "auth.logout", "auth.root", "two_step.sign_in_code", "password_reset.forgot")
BAD_TOKEN = "not-a-real-token-" + "x" * 30


def marker(owner, what):
    return f"PORTALSECRET-{owner}-{what}"


def make_file(folder, client, staff, owner, what, **flags):
    stored = secrets.token_hex(16)
    (Path(folder) / stored).write_bytes(b"%PDF-1.4\n" + marker(owner, what).encode())
    row = ClientFile(agency_id=client.agency_id, client_id=client.id, original_name=marker(owner, what) + ".pdf")
    row.stored_name, row.content_type, row.size, row.uploaded_by_id = stored, "application/pdf", 40, staff.id
    row.description, row.is_shared_with_client, row.is_private = (
        marker(owner, what),
        flags.get("shared", False),
        flags.get("private", False),
    )
    db.session.add(row)
    return row


def make_upload(folder, client, owner):
    stored = secrets.token_hex(16)
    (Path(folder) / stored).write_bytes(b"%PDF-1.4\n" + marker(owner, "upload").encode())
    row = PortalUpload(agency_id=client.agency_id, client_id=client.id, original_name=marker(owner, "upload") + ".pdf")
    row.stored_name, row.content_type, row.size, row.description = stored, "application/pdf", 40, marker(owner, "upload")
    db.session.add(row)
    return row


def make_plan(client, staff, owner):
    """A closed plan never shared with the client: staff work, not theirs to read."""
    row = SettlementPlan(agency_id=client.agency_id, client_id=client.id, worker_id=staff.id, created_by_id=staff.id)
    row.status, row.closed_date, row.summary = "closed", date.today(), marker(owner, "unshared-plan")
    db.session.add(row)
    return row


def make_document(client, staff, owner, kind):
    """A resume or cover letter of the client with markers, written by their caseworker (the
    client reads it, and refuses the other client's)."""
    row = CareerDocument(agency_id=client.agency_id, client_id=client.id, kind=kind, title=marker(owner, kind))
    row.content = {"contact": {"name": marker(owner, kind)}, "sender": {"name": marker(owner, kind)}}
    row.author_kind, row.author_staff_id = "staff", staff.id
    db.session.add(row)
    return row


def make_task(client, staff, owner, what, for_client):
    row = Task(agency_id=client.agency_id, client_id=client.id, created_by_id=staff.id, title=marker(owner, what))
    row.assignee_kind, row.assigned_to_id = ("client", None) if for_client else ("staff", staff.id)
    row.due_date = date.today()
    db.session.add(row)
    return row


@pytest.fixture
def records(app, tmp_path, monkeypatch):
    """Per portal client: what they see (``visible``) and what they must not (``hidden``: their
    own records not meant for them); the other client's are hidden from each."""
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path))
    ids = seed_portal_clients(app)
    out = {}
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        staff = db.session.scalar(select(Staff).where(Staff.email == "worker@demo.org"))
        for email, client_id in zip(EMAILS, ids, strict=True):
            client = db.session.get(Client, client_id)
            visible = {
                "tasks": [make_task(client, staff, email, "task", True)],
                "files": [make_file(tmp_path, client, staff, email, "shared", shared=True)],
                "uploads": [make_upload(tmp_path, client, email)],
                "plans": db.session.scalars(select(SettlementPlan).where(SettlementPlan.client_id == client.id)).all(),
                **job_search_rows(client),
                "documents": [
                    *db.session.scalars(select(CareerDocument).where(CareerDocument.client_id == client.id)),
                    make_document(client, staff, email, "resume"),
                    make_document(client, staff, email, "cover_letter"),
                ],
                **employment_rows(client, email),
            }
            hidden = {
                "tasks": [make_task(client, staff, email, "staff-task", False)],
                "files": [
                    make_file(tmp_path, client, staff, email, "unshared"),
                    make_file(tmp_path, client, staff, email, "private-shared", shared=True, private=True),
                ],
                "uploads": [],
                "plans": [make_plan(client, staff, email)],
                "postings": other_agency_postings(),
                "leads": [],
                "follows": [],
                "skills": [],
                "documents": [],
                "trainings": [],
            }
            db.session.flush()
            out[email] = {
                "client_id": client_id,
                "visible": {k: [r.id for r in v] for k, v in visible.items()},
                "hidden": {k: [r.id for r in v] for k, v in hidden.items()},
            }
        db.session.commit()
    return out


def job_search_rows(client):
    """The client's own leads, follows and skills (the demo's)."""
    rows = {}
    for kind, model in (("leads", JobLead), ("follows", ClientFollow), ("skills", ClientSkill)):
        rows[kind] = db.session.scalars(select(model).where(model.client_id == client.id)).all()
    rows["postings"] = []  # the agency's postings are every portal client's to read (the other agency's are refused)
    return rows


def employment_rows(client, owner):
    """A training and an Employment Action Plan with markers, beside the demo's."""
    training = TrainingOpportunity(client_id=client.id, agency_id=client.agency_id, added_by="staff", status="recommended")
    training.title, training.notes = marker(owner, "training"), marker(owner, "training-notes")
    plan = EmploymentActionPlan(client_id=client.id, agency_id=client.agency_id, start_date=date.today())
    plan.employment_goal = marker(owner, "eap")
    add_part(plan, "item", {"description": marker(owner, "eap-item")})
    db.session.add_all([training, plan])
    trainings = db.session.scalars(select(TrainingOpportunity).where(TrainingOpportunity.client_id == client.id)).all()
    return {"trainings": [*trainings, training]}


def other_agency_postings():
    other = db.session.scalar(select(Agency.id).where(Agency.code == "OTHER"))
    return db.session.scalars(select(JobPosting).where(JobPosting.agency_id == other)).all()


def portal_rules(app):
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("portal.") and r.endpoint not in NOT_REQUESTED]
    unknown = [r.rule for r in rules if set(r.arguments) - set(ID_VARIABLES) - TOKEN_VARIABLES]
    assert not unknown, f"the portal sweep cannot fill: {unknown}"
    return rules


def urls_for(rule, pools):
    """The rule filled with every id of ``pools`` (kind -> ids), or with a bad token."""
    if not rule.arguments:
        return [rule.build({}, append_unknown=False)[1]]
    (name,) = rule.arguments
    if name in TOKEN_VARIABLES:
        return [rule.build({name: BAD_TOKEN}, append_unknown=False)[1]]
    return [rule.build({name: row_id}, append_unknown=False)[1] for row_id in pools[ID_VARIABLES[name]]]


def snapshot(app):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        tasks = sorted((t.id, t.status, t.title) for t in db.session.scalars(select(Task)))
        files = sorted((f.id, f.is_shared_with_client, f.deleted_at) for f in db.session.scalars(select(ClientFile)))
        uploads = sorted((u.id, u.deleted_at) for u in db.session.scalars(select(PortalUpload)))
        search = sorted(
            (type(r).__name__, r.id, getattr(r, "status", None) or getattr(r, "state", None))
            for m in (JobLead, ClientFollow, ClientSkill)
            for r in db.session.scalars(select(m))
        )
        leads_per_client = sorted((r.client_id, r.posting_id) for r in db.session.scalars(select(JobLead)))
        documents = sorted((d.id, d.client_id, d.title, d.version) for d in db.session.scalars(select(CareerDocument)))
        return tasks, files, uploads, search, leads_per_client, documents
        trainings = sorted(
            (r.id, r.client_id, r.status, r.progress_percent, r.title) for r in db.session.scalars(select(TrainingOpportunity))
        )
        plans = sorted((r.id, r.client_id, r.status, r.employment_goal) for r in db.session.scalars(select(EmploymentActionPlan)))
        return tasks, files, uploads, search, leads_per_client, trainings, plans


def refused_pools(records, email):
    """The ids ``email`` must be refused: the other client's visible and hidden ones, and their own hidden ones."""
    other = next(e for e in EMAILS if e != email)
    pools = {kind: [] for kind in ID_VARIABLES.values()}
    for source in (records[other]["visible"], records[other]["hidden"], records[email]["hidden"]):
        for kind, row_ids in source.items():
            pools[kind] += row_ids
    return pools


def forbidden_markers(email):
    other = next(e for e in EMAILS if e != email)
    own_hidden = [marker(email, what) for what in ("staff-task", "unshared", "private-shared", "unshared-plan")]
    return [f"PORTALSECRET-{other}", *own_hidden]


@pytest.mark.parametrize("email", EMAILS)
def test_every_portal_rule_refuses_the_other_clients_ids(app, records, email):
    browser = signed_in_portal(app, email)
    before, counts = snapshot(app), {"rules": 0, "requests": 0, "refused": 0, "leaks": 0}
    problems = []
    for rule in portal_rules(app):
        counts["rules"] += 1
        for url in urls_for(rule, refused_pools(records, email)):
            for method in sorted(rule.methods & {"GET", "POST"}):
                response = browser.open(url, method=method, data={"description": "HIJACKED", "done": "1", "phone": ""})
                counts["requests"] += 1
                body = response.get_data(as_text=True)
                leaked = [m for m in forbidden_markers(email) if m in body]
                if leaked:
                    counts["leaks"] += 1
                    problems.append(f"LEAK {method} {url} -> {response.status_code}: {leaked}")
                if rule.arguments:
                    if response.status_code == 404:
                        counts["refused"] += 1
                    elif not (method == "GET" and response.status_code == 405):
                        problems.append(f"NOT REFUSED {method} {url} -> {response.status_code}")
    print(
        f"\nportal sweep ({email}): {counts['rules']} rules, {counts['requests']} requests, "
        f"{counts['refused']} refused, {counts['leaks']} leaks"
    )
    assert not problems, "\n".join(problems)
    assert snapshot(app) == before
    assert counts["refused"] > 0 and counts["leaks"] == 0


@pytest.mark.parametrize("email", EMAILS)
def test_own_visible_records_open(app, records, email):
    """The positive control: the sweep's refusals are not a portal that shows nothing."""
    browser = signed_in_portal(app, email)
    mine = records[email]["visible"]
    assert marker(email, "task") in text(browser.get("/portal/tasks"))
    files = text(browser.get("/portal/files"))
    assert marker(email, "shared") in files and marker(email, "upload") in files
    assert browser.get(f"/portal/files/shared/{mine['files'][0]}").status_code == 200
    assert browser.get(f"/portal/files/mine/{mine['uploads'][0]}").status_code == 200
    assert browser.post(f"/portal/tasks/{mine['tasks'][0]}/done").status_code == 302
    resume, letter = mine["documents"][-2:]  # the caseworker's: read, never changed by the client
    assert marker(email, "resume") in text(browser.get(f"/portal/resumes/{resume}"))
    assert marker(email, "cover_letter") in text(browser.get(f"/portal/cover-letters/{letter}"))
    assert browser.post(f"/portal/resumes/{resume}/delete", data={"confirm": "1"}).status_code == 403
    assert marker(email, "training") in text(browser.get("/portal/training"))
    eap = text(browser.get("/portal/eap"))
    assert marker(email, "eap") in eap and marker(email, "eap-item") in eap


def request_urls(rule, filler):
    values = {name: filler(name, rule) for name in rule.arguments}
    return rule.build(values, append_unknown=False)[1]


def staff_rule_value(name, rule, client_id):
    converter = rule._converters[name]
    if type(converter).__name__ in ("BoundedInt", "IntegerConverter"):
        return client_id
    return "client"


def test_a_portal_client_is_refused_every_staff_page(app, records):
    """Every rule outside the portal (``/admin/`` and the staff pages), GET and POST, as a
    signed-in portal client with their own client id in every id: never a page."""
    browser = signed_in_portal(app, EMAILS[0])
    client_id = records[EMAILS[0]]["client_id"]
    counts, problems = {"rules": 0, "requests": 0}, []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("portal.") or rule.endpoint in ("static", "admin.static"):
            continue
        counts["rules"] += 1
        url = request_urls(rule, lambda name, r: staff_rule_value(name, r, client_id))
        for method in sorted(rule.methods & {"GET", "POST"}):
            response = browser.open(url, method=method, data={"id": client_id})
            counts["requests"] += 1
            signed_out = response.status_code == 302 and "/login" in response.location
            public = rule.endpoint in PUBLIC_STAFF_PAGES
            if not (signed_out or response.status_code in (401, 403, 404, 405, 410) or public):
                problems.append(f"{method} {url} -> {response.status_code}")
            if public and response.status_code == 200 and "PORTALSECRET" in response.get_data(as_text=True):
                problems.append(f"LEAK {method} {url}")
    print(
        f"\nstaff pages as a portal client: {counts['rules']} rules, {counts['requests']} requests, {len(problems)} not refused"
    )
    assert not problems, "\n".join(problems)
    assert browser.get("/portal/overview").status_code == 200  # still signed in to the portal


def test_staff_are_nobody_in_the_portal(app, records, login):
    staff = login("worker@demo.org")
    counts = 0
    for rule in portal_rules(app):
        for url in urls_for(rule, records[EMAILS[0]]["visible"]):
            for method in sorted(rule.methods & {"GET", "POST"}):
                response = staff.open(url, method=method)
                counts += 1
                body = response.get_data(as_text=True)
                assert "PORTALSECRET" not in body, url
                is_sign_in_page = rule.endpoint in ("portal.sign_in", "portal.forgot_password")  # open to anyone
                assert is_sign_in_page or response.status_code in (302, 404, 405), f"{method} {url} -> {response.status_code}"
                if response.status_code == 302:
                    assert response.location.endswith("/portal/") or "/portal/" in response.location
    print(f"\nportal rules as staff: {counts} requests, all sent to the portal sign-in or refused")

"""The CaMS number (add, change, remove, audited, unique in the agency) and the Employment
Action Plan: entered by staff on the dashboard, imported from a CSV export (dry run, row and
column messages, all or nothing, the agency's clients only), read by the client in the portal."""

import html
import io
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

import exports.eap_import as eap_import
from extensions import db
from models import (
    ALL_AGENCIES,
    Agency,
    AuditEvent,
    Client,
    ClientCamsNumber,
    EapItem,
    EmploymentActionPlan,
    TrainingOpportunity,
    tenant_scope,
)
from models.reference import DATA_DIR
from models.retention import apply_retention, inactive_client_ids
from tests.conftest import text
from tests.portal_helpers import seed_portal_clients, signed_in_portal

pytestmark = pytest.mark.usefixtures("demo")
HEADINGS = (
    "record,case_number,cams_number,registration_number,start_date,status,caseworker,employment_goal,"
    "description,responsible,target_date,item_status,outcome_type,outcome_date,employer,notes"
)


def csv_file(*rows, headings=HEADINGS):
    return "\n".join((headings, *rows)).encode("utf-8")


def plan_row(case, cams="", registration="", start="2026-10-01", goal="Work in logistics"):
    return f"plan,{case},{cams},{registration},{start},active,Wei,{goal},,,,,,,,"


def item_row(case, description="Apply to two jobs", target="2026-12-01", status="in_progress"):
    return f"item,{case},,,,,,,{description},Client,{target},{status},,,,"


def counts(app):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        plans = db.session.scalar(select(func.count()).select_from(EmploymentActionPlan))
        items = db.session.scalar(select(func.count()).select_from(EapItem))
        cams = sorted(db.session.execute(select(ClientCamsNumber.client_id, ClientCamsNumber.cams_number)).all())
        return plans, items, cams


def cams_of(app, client_id):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        return db.session.scalar(select(ClientCamsNumber.cams_number).where(ClientCamsNumber.client_id == client_id))


def other_agency_client(app):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        other = db.session.scalar(select(Agency.id).where(Agency.code == "OTHER"))
        return db.session.scalar(select(Client).where(Client.agency_id == other, Client.kind == "named"))


def upload(browser, data, action="check", name="plans.csv"):
    return browser.post(
        f"/admin/import-eap/{action}/", data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )


# --- the CaMS number ---


def test_staff_add_change_and_remove_a_cams_number(app, login):
    amira, diego = seed_portal_clients(app)
    staff = login("worker@demo.org")
    bad = staff.post(f"/admin/clients/{amira}/cams/", data={"cams_number": "12ab"}, follow_redirects=True)
    assert "6 to 12 digits" in text(bad) and cams_of(app, amira) == "10012345"
    taken = staff.post(f"/admin/clients/{amira}/cams/", data={"cams_number": "100 678 90"}, follow_redirects=True)
    assert "already has this CaMS number" in text(taken) and cams_of(app, amira) == "10012345"  # Diego's
    staff.post(f"/admin/clients/{amira}/cams/", data={"cams_number": "555-123-456"})
    assert cams_of(app, amira) == "555123456"
    assert "555123456" in text(staff.get(f"/admin/clients/{amira}/"))  # the ribbon
    assert staff.post(f"/admin/clients/{amira}/cams/remove/").status_code == 302 and cams_of(app, amira) is None
    again = staff.post(f"/admin/clients/{amira}/cams/remove/", follow_redirects=True)
    assert "has no CaMS number" in text(again)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.record_type == "client_cams_number", AuditEvent.client_id == amira)
        ).all()
    assert {"create", "update", "delete"} <= set(actions)


def test_another_agency_may_hold_the_same_number(app, login):
    seed_portal_clients(app)
    stranger = other_agency_client(app)
    admin = login("admin@other.org")
    assert admin.post(f"/admin/clients/{stranger.id}/cams/", data={"cams_number": "10012345"}).status_code == 302
    assert cams_of(app, stranger.id) == "10012345"


# --- the plan, entered by staff ---


def test_staff_enter_a_plan_and_the_client_reads_it(app, login):
    amira, _ = seed_portal_clients(app)
    staff = login("worker@demo.org")
    url = f"/admin/clients/{amira}/eap/"
    bad = staff.post(url, data={"start_date": "01/10/2026", "employment_goal": "x"}, follow_redirects=True)
    assert "Start date: Enter a date as YYYY-MM-DD." in text(bad)
    dup = staff.post(
        url, data={"case_number": "40067890", "start_date": "2026-10-01", "employment_goal": "x"}, follow_redirects=True
    )
    assert "already has this CaMS case number" in text(dup)  # Diego's plan
    assert (
        staff.post(url, data={"start_date": "2026-10-01", "employment_goal": "Open a bakery", "status": "on_hold"}).status_code
        == 302
    )
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        plan = db.session.scalar(select(EmploymentActionPlan).where(EmploymentActionPlan.employment_goal == "Open a bakery"))
        plan_id, version = plan.id, plan.version
    add = staff.post(
        f"{url}{plan_id}/add/", data={"record": "item", "description": "Write a business plan", "target_date": "2027-01-10"}
    )
    assert add.status_code == 302
    bad = staff.post(
        f"{url}{plan_id}/add/",
        data={"record": "outcome", "outcome_type": "hired", "outcome_date": "2026-11-01"},
        follow_redirects=True,
    )
    assert "Outcome type: Choose one of" in text(bad)
    staff.post(f"{url}{plan_id}/add/", data={"record": "sub_goal", "description": "Find a kitchen to rent"})
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        item_id = db.session.scalar(select(EapItem.id).where(EapItem.plan_id == plan_id))
    staff.post(f"{url}{plan_id}/entry/", data={"entry": f"item-{item_id}", "item_status": "completed"})
    stale = staff.post(
        f"{url}{plan_id}/",
        data={"version": version - 1, "start_date": "2026-10-01", "employment_goal": "Other"},
        follow_redirects=True,
    )
    assert "changed meanwhile" in text(stale)
    dashboard = text(staff.get(f"/admin/clients/{amira}/?tab=eap"))
    assert "The client sees the Employment Action Plan, every part of it as written here, in the client portal." in dashboard
    portal = text(signed_in_portal(app, "client@demo.org").get("/portal/eap"))
    for page in (dashboard, portal):
        assert (
            "Open a bakery" in page and "Write a business plan" in page and "Find a kitchen to rent" in page and "On hold" in page
        )
    assert "10012345" in portal and "40012345" in portal  # her CaMS number and the demo plan's case
    assert "Warehouse" not in portal  # Diego's plan


# --- the CSV import ---


def test_the_sample_file_checks_and_imports_and_importing_again_changes_nothing(app, login):
    amira, _ = seed_portal_clients(app)
    staff = login("coordinator@demo.org")
    sample = (DATA_DIR / "eap_import_sample.csv").read_bytes()
    assert staff.get("/admin/import-eap/sample.csv").data == sample
    assert staff.get("/admin/import-eap/template.csv").data.decode().strip() == HEADINGS
    before = counts(app)
    check = upload(staff, sample)
    assert check.status_code == 200 and "The file is right: 1 plans" in text(check) and counts(app) == before
    done = upload(staff, sample, "run")
    assert done.status_code == 200 and "1 plans imported" in text(done)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        plan = db.session.scalar(select(EmploymentActionPlan).where(EmploymentActionPlan.case_number == "40012345"))
        assert plan.client_id == amira and plan.source == "import" and plan.caseworker == "Wei Chen"
        assert [i.description for i in plan.items] == ["Send two applications a week", "Book a mock interview"]
        assert len(plan.sub_goals) == 2 and plan.outcomes[0].employer == "Maple Grocers"
    after = counts(app)
    assert upload(staff, sample, "run").status_code == 200 and counts(app) == after


def test_the_import_button_sends_the_checked_file_back(app, login):
    seed_portal_clients(app)
    staff = login("coordinator@demo.org")
    content = csv_file(plan_row("40099999", registration=""), item_row("40099999")).decode()
    content = content.replace("plan,40099999,,", "plan,40099999,10067890,")  # Diego by his CaMS number
    response = staff.post("/admin/import-eap/run/", data={"content": content, "filename": "x.csv"})
    assert response.status_code == 200 and "1 plans imported" in text(response)


def test_bad_rows_are_listed_by_row_and_column_and_nothing_is_imported(app, login):
    amira, diego = seed_portal_clients(app)
    stranger = other_agency_client(app)
    staff = login("coordinator@demo.org")
    data = csv_file(
        plan_row("40011111", cams="10067890"),  # row 2: fine (Diego)
        item_row("40011111", target="next week"),  # row 3: bad date
        plan_row("40022222", registration=stranger.registration_number),  # row 4: another agency's client
        plan_row("40033333", cams="99999999"),  # row 5: nobody of the agency
        item_row("40044444"),  # row 6: no plan row in the file
        "meeting,40011111,,,,,,,,,,,,,,",  # row 7: unknown record
        plan_row("40055555", cams="1234"),  # row 8: bad CaMS number
        "outcome,40011111,,,,,,,,,,,employed_full_time,,Acme,",  # row 9: outcome without a date
        plan_row("40067890", registration=f"C{amira:06d}"),  # row 10: Diego's case number for Amira
    )
    before = counts(app)
    for action in ("check", "run"):
        response = upload(staff, data, action)
        page = text(response)
        assert response.status_code == 400 and "Nothing was imported" in page
        assert counts(app) == before
    problems = {(p.split("|")[0], p.split("|")[1]) for p in rows_of(page)}
    assert ("3", "target_date") in problems and ("4", "registration_number") in problems
    assert ("5", "cams_number") in problems and ("6", "case_number") in problems and ("7", "record") in problems
    assert ("8", "cams_number") in problems and ("9", "outcome_date") in problems and ("10", "case_number") in problems
    assert not any(row == "2" for row, _ in problems)
    assert "No client of your agency has this registration number." in page


def rows_of(page):
    """The problems table of the page as "row|column|message" strings."""
    found = re.findall(r'<tr data-testid="eap-problem"><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>', page)
    return ["|".join(cells) for cells in found]


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"", "plans.csv", "The file is empty."),
        (b"   \n\n", "plans.csv", "The file is empty."),
        (b"%PDF-1.4\n%%EOF", "plans.pdf", "This is not a CSV file"),
        (b"PK\x03\x04rest-of-a-zip", "plans.xlsx", "This is not a CSV file"),
        (b"\x00\x01\x02binary", "plans.csv", "neither an Excel workbook (.xlsx) nor a CSV text file"),
        (b"name,phone\nAmira,416\n", "plans.csv", "Unknown column"),
        (b"record,description\nplan,x\n", "plans.csv", "This column is missing."),
        (HEADINGS.encode() + b"\n", "plans.csv", "The file has no rows under its headings."),
        (b'record,case_number\n"plan,40012345\n', "plans.csv", "Choose one of: plan, sub_goal"),  # an unclosed quote
    ],
)
def test_unreadable_files_get_a_clear_message(app, login, data, name, message):
    seed_portal_clients(app)
    staff = login("coordinator@demo.org")
    before = counts(app)
    for action in ("check", "run"):
        response = upload(staff, data, action, name)
        assert response.status_code == 400 and message in text(response), text(response)[-800:]
    assert counts(app) == before


def test_no_file_chosen(app, login):
    staff = login("coordinator@demo.org")
    response = staff.post("/admin/import-eap/check/", data={}, content_type="multipart/form-data")
    assert response.status_code == 400 and "Choose a file to upload." in text(response)


def test_workers_import_nothing(app, login):
    staff = login("worker@demo.org")
    assert staff.get("/admin/import-eap/").status_code == 403
    assert upload(staff, csv_file(plan_row("40012345", cams="10012345"))).status_code == 403


# --- found in review: encodings, a client's two cases, digits, huge files ---


def test_a_windows_1252_file_survives_the_check_and_the_import(app, login):
    amira, _ = seed_portal_clients(app)
    staff = login("coordinator@demo.org")
    content = csv_file(plan_row("40077777", registration=f"C{amira:06d}", goal="Préposé à l'entretien")).decode()
    check = upload(staff, content.encode("cp1252"))
    assert check.status_code == 200 and "The file is right" in text(check)
    sent_back = re.search(r'name="content" value="([^"]*)"', text(check))
    posted = html.unescape(sent_back.group(1))  # what the Import button posts, as the browser reads it
    done = staff.post("/admin/import-eap/run/", data={"content": posted, "filename": "plans.csv"})
    assert done.status_code == 200 and "1 plans imported" in text(done)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        plan = db.session.scalar(select(EmploymentActionPlan).where(EmploymentActionPlan.case_number == "40077777"))
        assert plan.employment_goal == "Préposé à l'entretien"


def test_a_client_with_two_cases_and_a_new_cams_number_is_imported_once(app, login):
    seed_portal_clients(app)
    stranger_free = "10044444"  # nobody's number yet
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        newcomer = db.session.scalar(
            select(Client).where(Client.kind == "named", Client.id.not_in(select(ClientCamsNumber.client_id)))
        )
        registration = newcomer.registration_number
    staff = login("coordinator@demo.org")
    data = csv_file(
        plan_row("40081111", cams=stranger_free, registration=registration),
        plan_row("40082222", cams=stranger_free, registration=registration),
    )
    response = upload(staff, data, "run")
    assert response.status_code == 200 and "2 plans imported" in text(response)
    assert cams_of(app, newcomer.id) == stranger_free


@pytest.mark.parametrize("column, value", [("registration", "C²"), ("cams", "１２３４５６７８")])
def test_digits_that_are_not_ascii_get_a_message_not_an_error(app, login, column, value):
    seed_portal_clients(app)
    staff = login("coordinator@demo.org")
    before = counts(app)
    response = upload(staff, csv_file(plan_row("40083333", **{column: value})))
    assert response.status_code == 400 and [row.split("|")[0] for row in rows_of(text(response))] == ["2"]
    assert counts(app) == before


def test_a_file_of_too_many_rows_is_refused_before_it_is_all_read(app, login, monkeypatch):
    monkeypatch.setattr(eap_import, "MAX_ROWS", 3)
    read = []
    real = eap_import.read_rows

    def counting(data, filename):
        headings, rows = real(data, filename)
        return headings, (read.append(number) or (number, cells) for number, cells in rows)

    monkeypatch.setattr(eap_import, "read_rows", counting)
    seed_portal_clients(app)
    staff = login("coordinator@demo.org")
    response = upload(staff, csv_file(*[item_row("40084444")] * 50))
    assert response.status_code == 400 and "Up to 3 rows per file" in text(response)
    assert len(read) == 4  # one row past the limit, not the 50


def test_retention_removes_the_clients_employment_records(app):
    amira, _ = seed_portal_clients(app)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        agency = db.session.scalar(select(Agency).where(Agency.code == "DEMO"))
        plan_ids = list(db.session.scalars(select(EmploymentActionPlan.id).where(EmploymentActionPlan.client_id == amira)))
        assert plan_ids and db.session.scalar(select(func.count()).where(EapItem.plan_id.in_(plan_ids))) > 0
        agency.retention_months = 12
        db.session.commit()
        result = apply_retention(agency, app.config["UPLOAD_FOLDER"], today=date(2040, 1, 1))
        db.session.commit()
        assert amira in result.client_ids
        for model in (TrainingOpportunity, EmploymentActionPlan, ClientCamsNumber):
            assert db.session.scalar(select(func.count()).select_from(model).where(model.client_id == amira)) == 0
        assert db.session.scalar(select(func.count()).where(EapItem.plan_id.in_(plan_ids))) == 0


def test_recent_training_keeps_a_client_active(app):
    amira, _ = seed_portal_clients(app)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        agency_id = db.session.scalar(select(Agency.id).where(Agency.code == "DEMO"))
        later = date.today() + timedelta(days=800)
        db.session.execute(
            TrainingOpportunity.__table__.update()
            .where(TrainingOpportunity.client_id == amira)
            .values(updated_at=later - timedelta(days=30))
        )
        db.session.commit()
    with app.app_context(), tenant_scope(agency_id):
        assert amira not in inactive_client_ids(12, today=later)

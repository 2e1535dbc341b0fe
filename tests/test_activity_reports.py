"""The referral, task, mentor and iCARE reports against ``tests/activity_dataset.py``: known
answers, role scopes, the other agency, restricted records that count without their content,
the pages, the exports and the CLI."""

import io
import re
from datetime import date

import openpyxl
import pytest

from models import Principal, acting_as
from reports import REPORTS, drill_down, run_report
from reports.activity_reports import ACTIVITY_REPORTS
from reports.criteria import Criteria
from tests.activity_dataset import build
from tests.conftest import csv_body, csv_file_text, sign_in, text
from tests.reports_dataset import FROM, TO

ACTIVITY_KEYS = [r.key for r in ACTIVITY_REPORTS]


@pytest.fixture
def data(app, make):
    return build(app, make)


def run(app, data, key, staff=None, **criteria):
    with app.test_request_context(), acting_as(Principal.staff(staff or data.base.admin)):
        return run_report(REPORTS[key], Criteria(FROM, TO, **criteria))


def flat(result):
    """``{row label: [measures]}`` (a cross-tab: ``{(row, column): first measure}``), and TOTAL."""
    report = result.report
    if report.columns is not None:
        found = {
            (result.label("row", r), result.label("column", c)): result.cell(r, c)
            for r in result.rows
            for c in result.columns
            if result.cell(r, c)
        }
        return {**found, "TOTAL": result.cell()}
    found = {result.label("row", r): [result.cell(r, measure=m.key) for m in report.measures] for r in result.rows}
    return {**found, "TOTAL": [result.cell(measure=m.key) for m in report.measures]}


EXPECTED = {
    "referrals_made": {"2026-01": [3, 2], "TOTAL": [3, 2]},
    "referrals_by_need": {"Food/Clothing/Other Material Needs": [2, 2], "Housing/Accommodation": [1, 1], "TOTAL": [3, 2]},
    "referrals_by_partner": {"Food bank": [2, 2], "Program: P1": [1, 1], "TOTAL": [3, 2]},
    "referrals_by_status": {"Attended": [1, 1], "Made": [2, 2], "TOTAL": [3, 2]},
    "referrals_by_program": {"No program": [2, 2], "P1": [1, 1], "TOTAL": [3, 2]},
    "referral_outcomes": {
        ("Food/Clothing/Other Material Needs", "Attended"): 1,
        ("Food/Clothing/Other Material Needs", "Made"): 1,
        ("Housing/Accommodation", "Made"): 1,
        "TOTAL": 3,
    },
    "referrals_overdue": {"Walter Two": [1, 1], "Wanda One": [1, 1], "TOTAL": [2, 2]},
    "tasks_by_assignee": {
        ("The client", "Overdue"): 1,
        ("Walter Two", "Cancelled"): 1,
        ("Wanda One", "Done"): 1,
        ("Wanda One", "Overdue"): 1,
        "TOTAL": 4,
    },
    "tasks_by_kind": {
        ("A staff member", "Cancelled"): 1,
        ("A staff member", "Done"): 1,
        ("A staff member", "Overdue"): 1,
        ("The client", "Overdue"): 1,
        "TOTAL": 4,
    },
    "mentor_matches": {"Completed": [1, 1], "Ongoing": [1, 1], "TOTAL": [2, 2]},
    "mentor_matches_by_mentor": {("Mara Mentor", "2"): 1, ("Mara Mentor", "3"): 1, "TOTAL": 2},
    "mentor_meetings": {"Mara Mentor": [1, 3], "TOTAL": [1, 3]},
    "icare_uploaded": {("2026-01", "Client Profile"): 1, ("2026-01", "Information and Orientation"): 2, "TOTAL": 3},
    "icare_rejected": {"Date of birth missing": [1], "Postal code: not valid": [1], "TOTAL": [2]},
    "icare_pending": {("Information and Orientation", "2026-01"): 3, "TOTAL": 3},
}


def test_every_activity_report_has_known_answers():
    assert sorted(EXPECTED) == sorted(ACTIVITY_KEYS)


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_known_answers(app, data, key):
    """Agency B's referral, task, match, update and rejected record never count; W2's Private
    referral, match form and rejected form count; the incomplete session's match does not."""
    assert flat(run(app, data, key)) == EXPECTED[key]


@pytest.mark.parametrize(
    "who, referrals, tasks, matches, uploaded",
    [
        ("admin", 3, 4, 2, 3),
        ("coordinator", 2, 2, 1, 1),  # W1's (team) and P1's; W1's tasks; W1's match; W1's record
        ("w1", 2, 2, 1, 1),
        ("w2", 1, 2, 1, 1),
    ],
)
def test_role_scopes(app, data, who, referrals, tasks, matches, uploaded):
    staff = getattr(data.base, who)
    assert run(app, data, "referrals_made", staff).cell() == referrals
    assert run(app, data, "tasks_by_kind", staff).cell() == tasks
    assert run(app, data, "mentor_matches", staff).cell() == matches
    assert run(app, data, "icare_uploaded", staff).cell() == uploaded


def test_criteria_narrow_referrals_and_tasks(app, data):
    assert run(app, data, "referrals_made", worker=(data.base.w2.id,)).cell() == 1
    assert run(app, data, "referrals_made", program=(data.base.program.id,)).cell() == 1
    assert run(app, data, "tasks_by_kind", worker=(data.base.w1.id,)).cell() == 2


def test_a_task_due_today_is_open(app, data):
    from extensions import db
    from models import ALL_AGENCIES, tenant_scope
    from models.tasks import Task

    with app.app_context(), tenant_scope(ALL_AGENCIES):
        task = Task(agency_id=data.base.agency.id, title="Today", created_by_id=data.base.w1.id, assigned_to_id=data.base.w1.id)
        db.session.add(task)
        db.session.commit()
    with app.test_request_context(), acting_as(Principal.staff(data.base.admin)):
        result = run_report(REPORTS["tasks_by_kind"], Criteria(date.today(), date.today()))
        assert {result.label("column", c) for c in result.columns} == {"Open"}


def drill(app, data, key, staff, row=None, column=None, measure=None):
    with app.test_request_context(), acting_as(Principal.staff(staff)):
        records, _more = drill_down(REPORTS[key], Criteria(FROM, TO), row, column, measure)
        return records


def test_a_private_referral_counts_but_shows_restricted(app, data):
    """W2's Private r3 is in the admin's food row (it counts) as Restricted; W2 sees it."""
    records = drill(app, data, "referrals_by_need", data.base.admin, row="food_cloth_material_needs_ind")
    assert [r.restricted for r in records] == [False, True]
    assert records[0].client == "Nadia First" and "Food bank" in records[0].form
    assert records[1].client == "" and records[1].form == "" and records[1].service_date == date(2026, 1, 18)
    own = drill(app, data, "referrals_by_need", data.base.w2, row="food_cloth_material_needs_ind")
    assert [(r.restricted, r.client) for r in own] == [(False, "Noor Second")]


def test_private_match_and_rejected_form_show_restricted(app, data):
    matches = drill(app, data, "mentor_matches", data.base.admin)
    assert sorted(r.restricted for r in matches) == [False, True]
    rejected = drill(app, data, "icare_rejected", data.base.admin)
    assert sorted((r.restricted, r.client) for r in rejected) == [(False, "Nadia First"), (True, "")]


def test_task_and_upload_drill_downs_name_their_records(app, data):
    tasks = drill(app, data, "tasks_by_assignee", data.base.admin, column="overdue")
    assert sorted(r.form for r in tasks) == ["Task due 2026-01-10 (Overdue)", "Task due 2026-01-20 (Overdue)"]
    assert drill(app, data, "icare_uploaded", data.base.w1)[0].form == "Accepted"


def test_pages_exports_and_drill_page(app, data):
    browser = app.test_client()
    sign_in(browser, data.base.admin.email)
    args = {"from": FROM.isoformat(), "to": TO.isoformat()}
    for key in ACTIVITY_KEYS:
        page = browser.get(f"/admin/reports/{key}/", query_string=args)
        assert page.status_code == 200 and 'data-testid="report-problem"' not in text(page), key
    records = text(browser.get("/admin/reports/referrals_by_need/records", query_string=args))
    assert records.count('data-testid="restricted-record"') == 1 and "Noor" not in records
    book = openpyxl.load_workbook(
        io.BytesIO(browser.get("/admin/reports/referrals_by_partner/export.xlsx", query_string=args).data)
    )
    assert list(book["Report"].values) == [
        ("Referred to", "Referrals", "Clients (unique)"),
        ("Food bank", 2, 2),
        ("Program: P1", 1, 1),
        ("Total", 3, 2),
    ]
    csv = csv_body(browser.get("/admin/reports/icare_rejected/export.csv", query_string=args))
    assert csv.splitlines() == ["iCARE's message,Records", "Date of birth missing,1", "Postal code: not valid,1", "Total,2"]


def test_site_criteria_are_ignored_not_applied(app, data):
    browser = app.test_client()
    sign_in(browser, data.base.admin.email)
    args = {"from": FROM.isoformat(), "to": TO.isoformat(), "site": str(data.base.s1.id)}
    page = text(browser.get("/admin/reports/referrals_made/", query_string=args))
    assert 'data-testid="report-ignored"' in page


def test_cli_writes_an_activity_report(app, data, runner, tmp_path):
    out = tmp_path / "tasks.csv"
    args = ["report", "tasks_by_kind", "--agency", data.base.agency.code, "--from", "2026-01-01", "--to", "2026-01-31"]
    result = runner.invoke(args=args + ["--format", "csv", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert csv_file_text(out.read_bytes()).splitlines() == [
        "Kind,Cancelled,Done,Overdue,Total",
        "A staff member,1,1,1,3",
        "The client,0,0,1,1",
        "Total,1,1,2,4",
    ]


def test_icare_reports_name_templates_in_french(app, data):
    browser = app.test_client()
    sign_in(browser, data.base.admin.email)
    args = {"from": FROM.isoformat(), "to": TO.isoformat()}
    french = {"Accept-Language": "fr-CA"}
    pending = text(browser.get("/admin/reports/icare_pending/", query_string=args, headers=french))
    assert '<th scope="row">Information et orientation</th>' in pending and "Information and Orientation" not in pending
    uploaded = csv_body(browser.get("/admin/reports/icare_uploaded/export.csv", query_string=args, headers=french))
    assert "Profil du client" in uploaded and "Client Profile" not in uploaded


def column_label(page):
    found = re.findall(r'<th scope="colgroup" colspan="(\d+)"[^>]*data-testid="report-column-label">([^<]*)</th>', page)
    assert len(found) == page.count('data-testid="report-column-label"')
    return found


def test_a_cross_tab_names_its_column_dimension_above_its_columns(app, data):
    """Referral outcomes: need area (rows) by status (columns, here Attended and Made): the
    caption "Status" spans the two status columns; a report by rows only has no caption."""
    browser = app.test_client()
    sign_in(browser, data.base.admin.email)
    args = {"from": FROM.isoformat(), "to": TO.isoformat()}
    cross = text(browser.get("/admin/reports/referral_outcomes/", query_string=args))
    assert column_label(cross) == [("2", "Status")]
    head = cross.split('data-testid="report-column-label"')[1].split("</thead>")[0]
    assert re.findall(r'<th scope="col">([^<]*)</th>', head) == ["Need area", "Attended", "Made", "Total"]
    assert column_label(text(browser.get("/admin/reports/referrals_by_need/", query_string=args))) == []
    french = text(browser.get("/admin/reports/referral_outcomes/", query_string=args, headers={"Accept-Language": "fr-CA"}))
    assert column_label(french) == [("2", "Statut")]

"""Formula injection: every grid's export and the spreadsheet writers, read back as files.

Names that reach an export only as a related record (the client of a form, the site, program
and lead staff of a session, a program's funder, the staff member of an audit event) are
turned into text by the writer; that final text must be neutralised like any other."""

import csv
import io
from datetime import date
from types import SimpleNamespace

import openpyxl
import pytest
from flask_admin.contrib.sqla import ModelView
from sqlalchemy import delete, select

from exports.spreadsheets import FORMULA_PREFIXES, csv_text, workbook_bytes
from extensions import db
from models import (
    ALL_AGENCIES,
    Agency,
    AgencyQuestion,
    Client,
    Funder,
    GroupActivityName,
    JobCompany,
    JobOccupation,
    JobPosting,
    JobSector,
    JobSkill,
    Mentor,
    Program,
    ReferenceValue,
    ReferralPartner,
    ServiceForm,
    ServiceSession,
    Site,
    Staff,
    Task,
    tenant_scope,
)
from models.reference import forget_active_values
from tests.conftest import text

pytestmark = pytest.mark.usefixtures("demo")
MARK = "evil.example"
PAYLOADS = (f'=HYPERLINK("http://{MARK}","x")', f"@SUM(1+1)*cmd|'/C calc'!{MARK}", f"+1+cmd|{MARK}", f"-1+cmd|{MARK}")


def payload(n):
    return PAYLOADS[n % len(PAYLOADS)]


def poison_the_demo_agency():
    """Every name a grid can show, in the demo agency, becomes a formula (sign-in is by email)."""
    agency = db.session.scalar(select(Agency).where(Agency.code == "DEMO"))
    rows = [(Site, "name"), (Funder, "name"), (Program, "name"), (Program, "description"), (GroupActivityName, "name")]
    rows += [(AgencyQuestion, "label"), (Staff, "first_name"), (Staff, "title"), (Client, "first_name")]
    rows += [(ReferralPartner, "name"), (Task, "title")]  # referrals
    rows += [(Mentor, "name")]  # the mentor directory
    rows += [(JobPosting, "title"), (JobOccupation, "name"), (JobSector, "name"), (JobCompany, "name"), (JobSkill, "name")]
    for n, (model, column) in enumerate(rows):
        for row in db.session.scalars(select(model).where(model.agency_id == agency.id)):
            if getattr(row, "kind", "") != "anonymous":
                setattr(row, column, f"{payload(n)} {row.id}")  # names are unique per agency
    program = db.session.scalar(select(Program).where(Program.agency_id == agency.id))
    program.funder = db.session.scalar(select(Funder).where(Funder.agency_id == agency.id))
    for row in db.session.scalars(select(ServiceSession).where(ServiceSession.agency_id == agency.id)):
        row.program = program
    for row in db.session.scalars(select(ServiceForm).where(ServiceForm.agency_id == agency.id)):
        row.program = program
    db.session.add(ReferenceValue(list_name="languages", value=payload(0), position=9999))
    db.session.commit()


@pytest.fixture
def poisoned(app):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        poison_the_demo_agency()
    forget_active_values()  # the lists hold the poisoned language now
    yield
    with app.app_context():
        db.session.execute(delete(ReferenceValue).where(ReferenceValue.value == payload(0)))
        db.session.commit()
    forget_active_values()


def exported_views(app):
    views = app.extensions["admin"][0]._views
    return [view for view in views if isinstance(view, ModelView) and view.can_export]


def formula_cells(rows):
    return [value for row in rows for value in row if value.startswith(FORMULA_PREFIXES)]


def test_every_grid_export_neutralises_related_records(app, login, poisoned):
    """Signed in as the demo admin (every grid), each export is read back with the csv module:
    the payloads are there (so the check is not vacuous), never as a formula."""
    admin = login("admin@demo.org")
    views = exported_views(app)
    assert {view.endpoint for view in views} >= {"clients", "sessions", "service_forms", "programs", "staff", "audit"}
    for view in views:
        response = admin.get(f"{view.url}/export/csv/")
        assert response.status_code == 200, view.endpoint
        rows = list(csv.reader(io.StringIO(text(response))))
        assert len(rows) > 1 and any(MARK in value for row in rows[1:] for value in row), view.endpoint
        assert formula_cells(rows) == [], view.endpoint


def test_the_service_form_export_names_its_client_as_text(app, login, poisoned):
    rows = list(csv.reader(io.StringIO(text(login("admin@demo.org").get("/admin/service-forms/export/csv/")))))
    client_column = rows[0].index("Client")
    assert rows[1:] and {row[client_column].split(" ")[0] for row in rows[1:]} == {"'" + payload(8)}


def test_the_writers_neutralise_the_final_text_of_any_value():
    site = type("Site", (), {"__str__": lambda self: payload(0)})()
    rows = [["Site", "Count", "Day", "Nothing"], [site, -3, date(2026, 1, 2), None], ["\tx", 1.5, "\n=1", "plain"]]
    read_back = list(csv.reader(io.StringIO(csv_text(rows))))
    assert read_back[1] == ["'" + payload(0), "-3", "2026-01-02", ""]
    assert read_back[2] == ["'\tx", "1.5", "'\n=1", "plain"]
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes([SimpleNamespace(name="S", headers=rows[0], rows=rows[1:])])))
    cells = list(book["S"].iter_rows(values_only=True))
    assert cells[1] == (payload(0), -3, "2026-01-02", None) and cells[2] == ("\tx", 1.5, "\n=1", "plain")
    assert {c.data_type for row in book["S"].iter_rows(min_row=2) for c in row if isinstance(c.value, str)} == {"s"}

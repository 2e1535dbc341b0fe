"""The access-request export: agency admins download one zip with everything about a client
they may see (every program); other workers' Private records are listed as not included until
the admin opens them through break-glass. Read back here with openpyxl and pypdf."""

import io
import zipfile
from datetime import date

import openpyxl
import pypdf
import pytest
from sqlalchemy import select

from extensions import db
from models import (
    ALL_AGENCIES,
    AgencyQuestion,
    AuditEvent,
    CaseNote,
    ClientAssignment,
    ClientFile,
    ConsentRecord,
    EmergencyContact,
    SafetyFlag,
    ServiceForm,
    ServiceSession,
    SessionClient,
    Site,
    tenant_scope,
)
from tests.conftest import demo_agency, demo_staff, text

pytestmark = pytest.mark.usefixtures("demo")
FORMULA = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def person(app, make, upload_folder):
    """A client with a record of every kind; the note, file and form are private to the worker
    (the admin needs break-glass for them), the program note is in a program the admin is not in."""
    agency = demo_agency(app, "DEMO")
    worker = demo_staff(app, "worker@demo.org")
    person = make.client(agency, first_name="Layla", last_name="Haddad", date_of_birth=date(1988, 5, 3), comments=FORMULA)
    program = make.program(agency, name="Women's shelter outreach")
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        site_id = db.session.scalar(select(Site.id).where(Site.agency_id == agency.id).order_by(Site.id))
    question = make._save(AgencyQuestion(agency_id=agency.id, target="non_specified", label="How did you hear about us?"))
    (upload_folder / "stored1").write_bytes(b"%PDF-1.4 lease agreement")
    session = make._save(
        ServiceSession(agency_id=agency.id, site_id=site_id, lead_staff_id=worker.id, created_by_id=worker.id, minutes=45)
    )
    answers = {"description": "Helped with the lease", "service_language_id": "Arabic", "notes": FORMULA}
    answers[question.key] = "A friend"
    for row in (
        EmergencyContact(agency_id=agency.id, client_id=person.id, name="Omar Haddad", relationship="Brother", phone="416-555-0"),
        ClientAssignment(agency_id=agency.id, client_id=person.id, staff_id=worker.id),
        SafetyFlag(agency_id=agency.id, client_id=person.id, reason="Do not disclose her address", flagged_by_id=worker.id),
        ConsentRecord(agency_id=agency.id, client_id=person.id, kind="privacy", given=True, statement_version=1, language="en"),
        CaseNote(agency_id=agency.id, client_id=person.id, author_id=worker.id, body="Private: fears her ex", is_private=True),
        CaseNote(agency_id=agency.id, client_id=person.id, author_id=worker.id, body="Program note", program_id=program.id),
        ClientFile(
            agency_id=agency.id,
            client_id=person.id,
            original_name="lease.pdf",
            stored_name="stored1",
            content_type="application/pdf",
            size=24,
            uploaded_by_id=worker.id,
            is_private=True,
        ),
        SessionClient(agency_id=agency.id, session_id=session.id, client_id=person.id),
        ServiceForm(
            agency_id=agency.id,
            session_id=session.id,
            client_id=person.id,
            kind="non_specified",
            author_id=worker.id,
            program_id=program.id,
            is_private=True,
            data=answers,
        ),
        AuditEvent(agency_id=agency.id, action="view", record_type="client", record_id=person.id, client_id=person.id),
    ):
        make._save(row)
    return person


def download(admin, client_id):
    response = admin.get(f"/admin/clients/{client_id}/access-request.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(response.data))


def sheet_values(book, name):
    return [[cell.value for cell in row] for row in book[name].iter_rows()]


SHEETS = [
    "Profile",
    "Emergency contacts",
    "Assignments",
    "Safety flags",
    "Consents",
    "Case notes",
    "Files",
    "Sessions",
    "Service forms",
    "Audit events",
    "Not included",
]


def break_glass_all(app, admin, person):
    """Open the worker's private note, file and form with a reason, as an admin must."""
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        targets = [
            ("case_note", db.session.scalar(select(CaseNote.id).where(CaseNote.client_id == person.id, CaseNote.is_private))),
            ("client_file", db.session.scalar(select(ClientFile.id).where(ClientFile.client_id == person.id))),
            ("service_form", db.session.scalar(select(ServiceForm.id).where(ServiceForm.client_id == person.id))),
        ]
    for kind, row_id in targets:
        response = admin.post(f"/admin/break-glass/{kind}/{row_id}/", data={"reason": "Access request from the client (PIPEDA)."})
        assert response.status_code == 302


def test_other_workers_private_records_are_listed_not_included(app, login, person):
    archive = download(login("admin@demo.org"), person.id)
    assert sorted(archive.namelist()) == ["records.xlsx", "summary.pdf"]  # the private file is not in it
    book = openpyxl.load_workbook(io.BytesIO(archive.read("records.xlsx")))
    assert book.sheetnames == SHEETS
    notes = {row[-1] for row in sheet_values(book, "Case notes")[1:]}
    assert notes == {"Program note"}  # every program, but not the worker's private note
    hidden = sheet_values(book, "Not included")[1:]
    assert sorted((row[0], row[2], row[4]) for row in hidden) == [
        ("case note", "Wei Zhang", "private"),
        ("file", "Wei Zhang", "private"),
        ("service form", "Wei Zhang", "private"),
    ]
    assert all(row[5].startswith("/admin/break-glass/") for row in hidden)
    everything = str([sheet_values(book, name) for name in SHEETS])
    assert "fears her ex" not in everything and "lease.pdf" not in everything and "Helped with the lease" not in everything


def test_after_break_glass_the_zip_holds_the_summary_the_sheets_and_the_files(app, login, person):
    admin = login("admin@demo.org")
    break_glass_all(app, admin, person)
    archive = download(admin, person.id)
    file_id = next(name for name in archive.namelist() if name.startswith("files/"))
    assert sorted(archive.namelist()) == ["files/" + file_id.split("/")[1], "records.xlsx", "summary.pdf"]
    assert archive.read(file_id) == b"%PDF-1.4 lease agreement" and file_id.endswith("-lease.pdf")
    book = openpyxl.load_workbook(io.BytesIO(archive.read("records.xlsx")))
    assert book.sheetnames == SHEETS
    profile = dict(row[:2] for row in sheet_values(book, "Profile")[1:])
    assert profile["Name"] == "Layla Haddad" and profile["Date of birth"] == "1988-05-03"
    assert sheet_values(book, "Emergency contacts")[1] == ["Omar Haddad", "Brother", "416-555-0"]
    assert sheet_values(book, "Assignments")[1][0] == "Wei Zhang"
    assert sheet_values(book, "Safety flags")[1][0] == "Do not disclose her address"
    assert sheet_values(book, "Consents")[1][:4] == ["Privacy statement (collect and keep information)", "Given", 1, "en"]
    notes = {row[-1]: row for row in sheet_values(book, "Case notes")[1:]}
    assert set(notes) == {"Private: fears her ex", "Program note"}  # opened through break-glass
    assert notes["Program note"][2] == "Women's shelter outreach" and notes["Private: fears her ex"][3] == "Yes"
    assert sheet_values(book, "Files")[1][0] == "lease.pdf" and sheet_values(book, "Files")[1][-1] == file_id
    assert len(sheet_values(book, "Sessions")) == 2 and sheet_values(book, "Sessions")[1][1] == "Direct Service"
    answers = {row[7]: row[8] for row in sheet_values(book, "Service forms")[1:]}
    assert answers["Service given"] == "Helped with the lease" and answers["How did you hear about us?"] == "A friend"
    assert [row[2] for row in sheet_values(book, "Audit events")[1:]].count("Viewed") >= 1
    assert len(sheet_values(book, "Not included")) == 1


def test_every_cell_is_neutralised(app, login, person):
    """No formula anywhere: the formula-like answer is a string cell, exactly as typed."""
    admin = login("admin@demo.org")
    break_glass_all(app, admin, person)
    data = download(admin, person.id).read("records.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    assert not [c for c in cells if c.data_type == "f"]
    assert FORMULA in [c.value for c in cells if c.data_type == "s"]
    with zipfile.ZipFile(io.BytesIO(data)) as sheets:
        assert not [n for n in sheets.namelist() if n.startswith("xl/worksheets/") and b"<f>" in sheets.read(n)]


def test_the_pdf_summary_reads_back(app, login, person):
    archive = download(login("admin@demo.org"), person.id)
    pdf = pypdf.PdfReader(io.BytesIO(archive.read("summary.pdf")))
    words = " ".join(page.extract_text() for page in pdf.pages)
    for expected in ("Access request", "Layla Haddad", "Consent history", "Case notes", "1 row(s)", "0 file(s)", "break-glass"):
        assert expected in words, expected


def test_the_export_is_audited(app, login, person):
    download(login("admin@demo.org"), person.id)
    admin = demo_staff(app, "admin@demo.org")
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()
        assert (event.staff_id, event.client_id, event.record_type, event.record_id) == (admin.id, person.id, "client", person.id)
        assert event.detail == "access-request export"


def test_admins_see_the_download_on_the_privacy_tab(login, person):
    page = text(login("admin@demo.org").get(f"/admin/clients/{person.id}/?tab=privacy"))
    assert f"/admin/clients/{person.id}/access-request.zip" in page


@pytest.mark.parametrize("email", ["worker@demo.org", "coordinator@demo.org"])
def test_workers_and_coordinators_are_refused(app, login, person, email):
    assert login(email).get(f"/admin/clients/{person.id}/access-request.zip").status_code == 403
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "export")) is None


def test_another_agencys_client_is_404(app, make, login):
    stranger = make.client(demo_agency(app, "OTHER"), first_name="Secret", last_name="Outsider")
    assert login("admin@demo.org").get(f"/admin/clients/{stranger.id}/access-request.zip").status_code == 404


def test_signed_out_visitors_go_to_sign_in(client, person):
    response = client.get(f"/admin/clients/{person.id}/access-request.zip")
    assert response.status_code == 302 and "/login" in response.location

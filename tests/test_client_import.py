"""The client import (issue 11, item 8): the template read back with openpyxl, the dry run
(problems by row and column, likely duplicates), the all-or-nothing import from CSV and xlsx,
the progress endpoint, the CLI, who may use it and which agency the clients join."""

import io
import json
from datetime import date, datetime
from types import SimpleNamespace

import openpyxl
import pytest
from flask_babel import lazy_gettext
from markupsafe import Markup
from sqlalchemy import func, select

from exports import imports
from extensions import db
from models import ALL_AGENCIES, AuditEvent, Client, tenant_scope
from models import client_import as writer
from models.audit import SKIPPED_FIELDS, plain
from models.client_profile import PROFILE
from models.find_client import FindOptions, find_clients
from models.reference import choices
from tests.conftest import demo_agency, text

pytestmark = pytest.mark.usefixtures("demo")

ADMIN, OTHER_ADMIN = "admin@demo.org", "admin@other.org"
SITE = "Import Test Hub"
HEADINGS = ["First name", "Last name", "Date of birth", "Gender", "Registration site", "Phone", "Other languages", "Email"]


@pytest.fixture
def demo_site(make, app):
    return make.site(demo_agency(app, "DEMO"), name=SITE)


def csv_file(*rows, headings=HEADINGS):
    lines = [",".join(headings)] + [",".join(row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def xlsx_file(*rows, headings=HEADINGS, sheet="Clients"):
    book = openpyxl.Workbook()
    page = book.active
    page.title = sheet
    page.append(headings)
    for row in rows:
        page.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GOOD = (
    ("Amina", "Yusuf", "1988-04-12", "Female", SITE, "416-555-0142", "English; French", "amina.yusuf@example.org"),
    ("Karim", "Haddad", "1975-11-02", "Male", SITE, "", "", ""),
)


def upload(client, data, name="clients.csv"):
    return client.post(
        "/admin/import-clients/check/", data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )


def token_of(page):
    start = page.index('name="token" value="') + len('name="token" value="')
    return page[start : page.index('"', start)]


def clients_named(app, last_name, agency_code="DEMO"):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        agency = demo_agency(app, agency_code)
        query = select(Client).where(Client.agency_id == agency.id, Client.last_name == last_name)
        found = db.session.scalars(query).all()
        return [
            SimpleNamespace(**{c.key: getattr(row, c.key) for c in Client.__table__.c}, site=row.registration_site)
            for row in found
        ]


def count_clients(app):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        return db.session.scalar(select(func.count(Client.id)))


# --- the template ---


def test_template_has_instructions_columns_and_drop_downs(client, login, app, demo_site):
    login(ADMIN)
    response = client.get("/admin/import-clients/template.xlsx")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Instructions", "Clients", "Lists"]
    headings = [cell.value for cell in book["Clients"][1]]
    assert headings[: len(PROFILE)] == [spec.label[:1].upper() + spec.label[1:] for spec in PROFILE]  # derived, in order
    assert headings[-6:-3] == ["Emergency contact name", "Emergency contact relationship", "Emergency contact phone"]
    instructions = "\n".join(str(c.value) for row in book["Instructions"].iter_rows() for c in row if c.value)
    assert "Yellow headings are required" in instructions and "Date of birth" in instructions
    lists = {book["Lists"].cell(1, n).value: n for n in range(1, book["Lists"].max_column + 1)}
    validations = {str(v.sqref).split(":")[0]: v.formula1 for v in book["Clients"].data_validations.dataValidation}
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        genders = [value for value, _ in choices("genders")]
    gender_column = openpyxl.utils.get_column_letter(headings.index("Gender") + 1)
    lists_letter = openpyxl.utils.get_column_letter(lists["Gender"])
    assert validations[f"{gender_column}2"] == f"Lists!${lists_letter}$2:${lists_letter}${len(genders) + 1}"
    assert [book["Lists"].cell(n + 2, lists["Gender"]).value for n in range(len(genders))] == genders
    sites = [book["Lists"].cell(n, lists["Registration site"]).value for n in range(2, 10)]
    assert SITE in sites  # the agency's own sites
    street = openpyxl.utils.get_column_letter(headings.index("Street type") + 1)
    assert f"{street}2" in validations  # an iCARE list
    assert not any(c.data_type == "f" for row in book["Clients"].iter_rows() for c in row)


def test_template_command_writes_the_same_columns(runner, tmp_path):
    out = tmp_path / "template.xlsx"
    result = runner.invoke(args=["import-template", str(out), "--agency", "DEMO"])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Instructions", "Clients", "Lists"]
    assert book["Clients"]["A1"].value == "First name"
    assert runner.invoke(args=["import-template", str(tmp_path / "plain.xlsx")]).exit_code == 0


# --- the dry run ---


def test_dry_run_shows_good_rows_and_imports_nothing(client, login, app, demo_site):
    login(ADMIN)
    before = count_clients(app)
    page = text(upload(client, csv_file(*GOOD)))
    assert "2 client rows read: 2 ready, 0 with problems." in page
    assert 'data-testid="import-run"' in page and "Import 2 clients" in page
    assert count_clients(app) == before


@pytest.mark.parametrize(
    "row, column, message",
    [
        (("Ann", "", "1980-01-01", "Female", SITE, "", "", ""), "B (Last name)", "This column is required."),
        (("Ann", "Lee", "1980-13-01", "Female", SITE, "", "", ""), "C (Date of birth)", "Enter a date as YYYY-MM-DD."),
        (("Ann", "Lee", "1880-01-01", "Female", SITE, "", "", ""), "C (Date of birth)", "Enter a date of birth after 1900."),
        (("Ann", "Lee", "1980-01-01", "Femme?", SITE, "", "", ""), "D (Gender)", "is not in the list"),
        (("Ann", "Lee", "1980-01-01", "Female", "Nowhere", "", "", ""), "E (Registration site)", "is not in the list"),
        (("Ann", "Lee", "1980-01-01", "Female", SITE, "12", "", ""), "F (Phone)", "Enter a valid phone number"),
        (("Ann", "Lee", "1980-01-01", "Female", SITE, "", "Klingon", ""), "G (Other languages)", "is not in the list"),
        (("Ann", "Lee", "1980-01-01", "Female", SITE, "", "", "not-an-email"), "H (Email)", "Enter a valid email address"),
        (("=HYPERLINK(1)", "Lee", "1980-01-01", "Female", SITE, "", "", ""), "A (First name)", "Formulas are not accepted"),
    ],
)
def test_bad_values_are_named_by_row_and_column(client, login, demo_site, row, column, message):
    login(ADMIN)
    page = text(upload(client, csv_file(GOOD[0], row)))
    assert "2 client rows read: 1 ready, 1 with problems." in page
    assert f"<td>3</td><td>{column}</td>" in page and message in page.replace("&#34;", '"')
    assert 'data-testid="import-run"' not in page  # nothing can be imported


def test_cross_field_rules(app, demo_site):
    headings = HEADINGS + ["Does the client have an email address?", "IRCC unique identifier"]
    row = ("Ann", "Lee", "1980-01-01", "Female", SITE, "", "", "ann@example.org", "No", "1234")
    with app.app_context(), tenant_scope(demo_agency(app, "DEMO").id):
        check = imports.check_file(csv_file(row, headings=headings), "x.csv")
    messages = [str(p) for p in check.problems]
    assert "Row 2, column H (Email): Either clear the email or answer Yes to having one." in messages
    assert "Row 2, column J (IRCC unique identifier): Give both the identifier type and its value, or neither." in messages


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"", "empty.csv", "The file is empty."),
        (b"First name,Last name\n", "headings.csv", "The required column “Date of birth” is missing."),
        (csv_file(headings=HEADINGS), "none.csv", "The file holds no client rows"),
        (b"PK\x03\x04garbage", "broken.xlsx", "cannot be read as an Excel workbook"),
        (b"\xd0\xcf\x11\xe0old excel", "old.xls", "Save the file as .xlsx (Excel) or CSV first"),
        (b"\x00\x01\x02binary", "data.bin", "neither an Excel workbook (.xlsx) nor a CSV"),
        (csv_file(headings=[*HEADINGS, "Shoe size"]), "extra.csv", "“Shoe size” is not a column of the import template."),
        (csv_file(headings=[*HEADINGS, "Phone"]), "twice.csv", "This column appears twice."),
        (xlsx_file(GOOD[0], sheet="Sheet1") + b"", "one.xlsx", None),  # the one data sheet is read
    ],
)
def test_bad_files_get_a_clear_message(client, login, demo_site, data, name, message):
    login(ADMIN)
    response = upload(client, data, name)
    assert response.status_code == 200
    page = text(response).replace("&#34;", '"')
    if message is None:
        assert "1 client rows read: 1 ready" in page
    else:
        assert message in page and 'data-testid="import-run"' not in page


def test_wrong_sheet_is_named(client, login, demo_site):
    book = openpyxl.Workbook()
    book.active.title = "Summary"
    book.create_sheet("Data")
    buffer = io.BytesIO()
    book.save(buffer)
    login(ADMIN)
    page = text(upload(client, buffer.getvalue(), "wrong.xlsx"))
    assert "The workbook has no sheet named “Clients” (it has: Summary, Data)." in page


def test_formula_cells_in_a_workbook_are_refused(client, login, demo_site):
    login(ADMIN)
    data = xlsx_file(("Ann", '=B1&"x"', "1980-01-01", "Female", SITE))
    page = text(upload(client, data, "formula.xlsx"))
    assert "<td>2</td><td>B (Last name)</td><td>Formulas are not accepted: type the value.</td>" in page


def test_a_huge_file_is_refused(client, login, demo_site, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 3)
    login(ADMIN)
    page = text(upload(client, csv_file(*GOOD, *GOOD)))
    assert "The file has more than 3 clients: split it into several files." in page


def test_no_file_is_a_clear_400(client, login):
    login(ADMIN)
    response = client.post("/admin/import-clients/check/", data={})
    assert response.status_code == 400 and "Choose a file to upload." in text(response)


def test_duplicates_of_existing_clients_and_within_the_file(client, login, app, make, demo_site):
    agency = demo_agency(app, "DEMO")
    existing = make.client(agency, first_name="Amina", last_name="Yousef", date_of_birth=date(1988, 4, 12))
    twin = ("Karim", "Hadad", "1975-11-02", "Male", SITE, "", "", "")  # like row 3
    login(ADMIN)
    page = text(upload(client, csv_file(*GOOD, twin)))
    assert "2 rows look like clients already registered or like another row of the file." in page
    assert f"/admin/clients/{existing.id}/" in page and "similar name and same date of birth" in page
    assert "row 3 of this file" in page
    token = token_of(page)
    response = client.post("/admin/import-clients/run/", data={"token": token, "duplicates": "skip"})
    assert text(client.get(response.location)).count("1 clients imported") == 1
    assert [c.first_name for c in clients_named(app, "Haddad")] == ["Karim"] and not clients_named(app, "Hadad")


# --- the import ---


@pytest.mark.parametrize("make_file, name", [(csv_file, "clients.csv"), (xlsx_file, "clients.xlsx")])
def test_import_writes_every_row_with_search_text_and_audit(client, login, app, demo_site, make_file, name):
    login(ADMIN)
    token = token_of(text(upload(client, make_file(*GOOD), name)))
    response = client.post("/admin/import-clients/run/", data={"token": token})
    assert response.status_code == 302
    assert "2 clients imported from " + name in text(client.get(response.location))
    assert json.loads(client.get(f"/admin/import-clients/progress/?token={token}").data) == {
        "state": "done",
        "done": 2,
        "total": 2,
        "skipped": 0,
        "filename": name,
    }
    (amina,) = clients_named(app, "Yusuf")
    assert amina.phone == "+1 416-555-0142" and amina.other_languages == ["English", "French"]
    assert amina.registration_date == date.today() and amina.site.name == SITE
    assert " amina " in amina.search_text and amina.phone_digits == "4165550142"
    with app.app_context(), tenant_scope(demo_agency(app, "DEMO").id):
        found = find_clients("Amina Yousuf", FindOptions())
        assert [c.id for c in found] == [amina.id]
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.client_id == amina.id)).all()
        assert [(e.action, e.changes["first_name"]) for e in events] == [("create", [None, "Amina"])]
        assert events[0].staff_id is not None and events[0].source == "client_import.run"
        summary = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "import"))
        assert summary.changes["count"] == 2 and name in summary.detail


def test_a_failure_mid_import_rolls_everything_back(client, login, app, demo_site, monkeypatch):
    monkeypatch.setattr(writer, "BATCH", 1)
    real = writer.client_row

    def second_row_breaks(values, agency_id, staff_id, now):
        row = real(values, agency_id, staff_id, now)
        if values["first_name"] == "Karim":
            row["registration_site_id"] = 2**31 - 1  # no such site: the database refuses the row
        return row

    monkeypatch.setattr(writer, "client_row", second_row_breaks)
    login(ADMIN)
    before = count_clients(app)
    token = token_of(text(upload(client, csv_file(*GOOD))))
    page = text(client.post("/admin/import-clients/run/", data={"token": token}, follow_redirects=True))
    assert "The import failed and nothing was imported." in page
    assert count_clients(app) == before and not clients_named(app, "Yusuf")


def test_a_token_is_used_once(client, login, demo_site):
    login(ADMIN)
    token = token_of(text(upload(client, csv_file(*GOOD))))
    assert client.post("/admin/import-clients/run/", data={"token": token}).status_code == 302
    assert client.post("/admin/import-clients/run/", data={"token": token}).status_code == 404


# --- who and where ---


@pytest.mark.parametrize("email", ["worker@demo.org", "coordinator@demo.org"])
def test_only_agency_admins_may_import(client, login, email, demo_site):
    login(email)
    for url in ("/admin/import-clients/", "/admin/import-clients/template.xlsx", "/admin/import-clients/progress/?token=x"):
        assert client.get(url).status_code == 403, url
    assert upload(client, csv_file(*GOOD)).status_code == 403
    assert client.post("/admin/import-clients/run/", data={"token": "x" * 32}).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client):
    assert "/login" in client.get("/admin/import-clients/").location


def test_clients_join_the_admins_agency_only(client, login, app, demo_site):
    login(ADMIN)
    token = token_of(text(upload(client, csv_file(*GOOD))))
    other = app.test_client()
    other.post("/login", data={"email": OTHER_ADMIN, "password": "demo-password"})
    assert other.get(f"/admin/import-clients/progress/?token={token}").status_code == 404
    assert other.post("/admin/import-clients/run/", data={"token": token}).status_code == 404
    client.post("/admin/import-clients/run/", data={"token": token})
    assert len(clients_named(app, "Yusuf", "DEMO")) == 1 and not clients_named(app, "Yusuf", "OTHER")
    page = text(other.get("/admin/find-client/?q=Amina+Yusuf"))
    assert 'data-testid="no-results"' in page


def test_the_writer_refuses_without_one_agency(app):
    with app.app_context(), tenant_scope(ALL_AGENCIES), pytest.raises(Exception, match="needs one agency"):
        writer.import_clients([{"first_name": "A"}])


# --- the command ---


def test_import_command_dry_run_errors_and_import(runner, app, demo_site, tmp_path):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_bytes(csv_file(*GOOD))
    bad.write_bytes(csv_file(GOOD[0], ("Ann", "Lee", "1980-13-01", "Female", SITE, "", "", "")))
    dry = runner.invoke(args=["import-clients", str(good), "--agency", "demo", "--dry-run"])
    assert dry.exit_code == 0 and "2 rows, 2 ready, 0 problems" in dry.output and "dry run, nothing imported" in dry.output
    assert not clients_named(app, "Yusuf")
    refused = runner.invoke(args=["import-clients", str(bad), "--agency", "DEMO"])
    assert refused.exit_code != 0 and "Row 3, column C (Date of birth): Enter a date as YYYY-MM-DD." in refused.output
    assert not clients_named(app, "Yusuf")
    done = runner.invoke(args=["import-clients", str(good), "--agency", "DEMO"])
    assert done.exit_code == 0 and "2 clients imported" in done.output
    (amina,) = clients_named(app, "Yusuf")
    assert amina.created_by_id is None
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.client_id == amina.id))
        assert event.acting_as == "system: client import (agency-wide records only)" and event.source == "cli:import-clients"
    again = runner.invoke(args=["import-clients", str(good), "--agency", "DEMO", "--dry-run"])
    assert "looks like C" in again.output  # the imported clients are now the likely duplicates
    unknown = runner.invoke(args=["import-clients", str(good), "--agency", "NOPE"])
    assert unknown.exit_code != 0 and "no agency with the code" in unknown.output


def test_the_page_speaks_french(client, login, demo_site):
    login(ADMIN)
    french = {"Accept-Language": "fr-CA"}
    assert "Télécharger le modèle (.xlsx)" in text(client.get("/admin/import-clients/", headers=french))
    bad = ("Ann", "Lee", "1980-13-01", "Female", SITE, "", "", "")
    data = {"file": (io.BytesIO(csv_file(bad)), "x.csv")}
    page = text(client.post("/admin/import-clients/check/", data=data, content_type="multipart/form-data", headers=french))
    assert "Entrez une date au format AAAA-MM-JJ." in page and "1 lignes de clients lues" in page


def test_typed_markup_is_shown_as_text(client, login, demo_site):
    login(ADMIN)
    row = ("<script>alert(1)</script>", "Lee", "1980-01-01", "<b>Female</b>", SITE, "", "", "")
    page = text(upload(client, csv_file(row)))
    assert "<script>alert(1)</script>" not in page and "<b>Female</b>" not in page
    assert "&lt;b&gt;Female&lt;/b&gt;" in page


def test_a_damaged_sheet_is_refused_not_a_500(client, login, demo_site):
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(xlsx_file(*GOOD)))
    damaged = io.BytesIO()
    with zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2 + 40]  # cut in the middle of the rows
            target.writestr(item, data)
    login(ADMIN)
    page = text(upload(client, damaged.getvalue(), "damaged.xlsx"))
    assert "cannot be read" in page and 'data-testid="import-run"' not in page


# --- the audit rows of the bulk insert ---


def test_the_import_audit_rows_are_the_audit_hooks_create_rows(client, login, app, demo_site):
    """Each imported client's ``create`` row holds every stored column as the audit hook
    records a new row (``plain()`` of each value, read back from the database): what the bulk
    insert (PostgreSQL: one ``json_to_recordset`` statement per batch) wrote is what the audit says."""
    login(ADMIN)
    token = token_of(text(upload(client, csv_file(*GOOD))))
    assert client.post("/admin/import-clients/run/", data={"token": token}).status_code == 302
    with app.app_context(), tenant_scope(demo_agency(app, "DEMO").id):
        for last_name in ("Yusuf", "Haddad"):
            imported = db.session.scalars(select(Client).where(Client.last_name == last_name)).one()
            stored = {c.name: getattr(imported, c.key) for c in Client.__table__.c}
            expected = {k: [None, plain(v)] for k, v in stored.items() if k not in SKIPPED_FIELDS and v is not None}
            (event,) = db.session.scalars(select(AuditEvent).where(AuditEvent.client_id == imported.id)).all()
            assert (event.action, event.record_type, event.record_id) == ("create", "client", imported.id)
            assert event.changes == expected
            assert event.changes["other_languages"] == [None, ["English", "French"] if last_name == "Yusuf" else []]


@pytest.mark.parametrize(
    "value",
    [None, True, False, 0, 12, 1.5, "", "Amina", "x" * 1000, "é" * 1001, date(1988, 4, 12), datetime(2026, 1, 2, 3, 4, 5)]
    + [["English", "French"], list(range(60)), {}, {"q1": "Yes"}, Markup("<b>"), lazy_gettext("Yes")],
)
def test_plain_value_is_plain(app, value):
    with app.test_request_context():
        assert writer.plain_value(value) == plain(value)
        assert type(writer.plain_value(value)) is type(plain(value))

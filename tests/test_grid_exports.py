"""Grid exports (admin_views/grid_exports.py): every grid in CSV and xlsx, for every role, read
back as files; readable columns; no row cap and reads in batches; the grid's filters, search
and sort; the program and Private rules ("Restricted"); other agencies never; audited."""

import csv
import io
import zipfile
from datetime import date, timedelta

import flask
import openpyxl
import pytest
from flask_admin.contrib.sqla import ModelView
from sqlalchemy import event, insert, select

from exports.spreadsheets import FORMULA_PREFIXES, csv_chunks, neutralise_cell, workbook_file
from extensions import db
from models import (
    ALL_AGENCIES,
    Agency,
    AgencyQuestion,
    AuditEvent,
    Client,
    Funder,
    Program,
    ServiceForm,
    ServiceSession,
    SessionClient,
    Site,
    Staff,
    tenant_scope,
)
from tests.conftest import csv_body, csv_file_text, sign_in
from tests.sessions_helpers import complete_answers
from tests.test_spreadsheets import poisoned  # noqa: F401 - a fixture

pytestmark = pytest.mark.usefixtures("demo")
ROLE_EMAILS = {
    "worker": "worker@demo.org",
    "coordinator": "coordinator@demo.org",
    "agency_admin": "admin@demo.org",
}
SECRET = "SECRET-ANSWER"


def exported_views(app):
    """Every grid of the admin app that exports (so a new grid is covered without a test edit)."""
    views = app.extensions["admin"][0]._views
    return [view for view in views if isinstance(view, ModelView) and view.can_export]


def signed_in(app, email):
    """A test client of its own, signed in (signing in again on one client keeps the first)."""
    browser = app.test_client()
    assert sign_in(browser, email).status_code == 302
    return browser


def csv_rows(response):
    return list(csv.reader(io.StringIO(csv_body(response))))


def xlsx_rows(response):
    """Every sheet's rows as text (empty cells as ""), headings once, as the CSV has them."""
    book = openpyxl.load_workbook(io.BytesIO(response.data), read_only=True)
    rows = []
    for number, sheet in enumerate(book.worksheets):
        values = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        rows += values if number == 0 else values[1:]
    return rows


def export(browser, view_url, export_type, query=""):
    response = browser.get(f"{view_url}/export/{export_type}/{query}")
    assert response.status_code == 200, (view_url, export_type, response.status_code)
    return csv_rows(response) if export_type == "csv" else xlsx_rows(response)


def own_exports_left_out(rows):
    """The audit grid lists the exports themselves: each export has one row more."""
    return [row for row in rows if not any(" grid export (" in value for value in row)]


def column(rows, heading):
    index = rows[0].index(heading)
    return [row[index] for row in rows[1:]]


def demo(model, **where):
    with tenant_scope(ALL_AGENCIES):
        agency = db.session.scalar(select(Agency).where(Agency.code == where.pop("agency", "DEMO")))
        return db.session.scalar(select(model).filter_by(agency_id=agency.id, **where).order_by(model.id))


@pytest.mark.parametrize("role", sorted(ROLE_EMAILS))
def test_every_grid_exports_csv_and_xlsx_alike_for_every_role(app, login, role):
    """Each exporting grid, as each role: the roles the grid admits get the same rows in both
    formats, with the grid's export headings; the others are refused both."""
    browser = login(ROLE_EMAILS[role])
    for view in exported_views(app):
        if role not in view.required_roles:
            for export_type in ("csv", "xlsx"):
                assert browser.get(f"{view.url}/export/{export_type}/").status_code == 403, view.endpoint
            continue
        as_csv, as_xlsx = (
            own_exports_left_out(export(browser, view.url, "csv")),
            own_exports_left_out(export(browser, view.url, "xlsx")),
        )
        assert as_csv[0] == [str(title) for _, title in view._export_columns], view.endpoint
        assert [[neutralise_cell(v) for v in row] for row in as_xlsx] == as_csv, view.endpoint  # CSV guards formulas
        assert len(as_csv) > 1, view.endpoint  # the demo gives every grid rows


def test_a_format_a_grid_does_not_offer_is_refused(login):
    admin = login("admin@demo.org")
    assert admin.get("/admin/sessions/export/json/").status_code == 302
    assert admin.get("/admin/directory/export/csv/").status_code == 302  # the directory does not export


def test_both_formats_are_streamed(login):
    admin = login("admin@demo.org")
    for export_type, mimetype in (("csv", "text/csv"), ("xlsx", "application/vnd.openxmlformats")):
        response = admin.get(f"/admin/sessions/export/{export_type}/")
        assert response.is_streamed and response.mimetype.startswith(mimetype)
        assert response.headers["Content-Disposition"].endswith(f".{export_type}")


@pytest.fixture
def rich_session(app):
    """A complete 1 h 15 min session with two clients, two funders, two staff and a form each."""
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        agency = db.session.scalar(select(Agency).where(Agency.code == "DEMO"))
        clients = db.session.scalars(select(Client).where(Client.agency_id == agency.id).order_by(Client.id)).all()
        lead, other = db.session.scalars(select(Staff).where(Staff.agency_id == agency.id).order_by(Staff.id).limit(2))
        session = ServiceSession(
            agency_id=agency.id,
            service_date=date(2026, 3, 4),
            site_id=demo(Site).id,
            lead_staff_id=lead.id,
            created_by_id=lead.id,
            hours=1,
            minutes=15,
            languages=["English", "French"],
            interpreter_present=True,
            interpreters=1,
        )
        session.staff = [lead, other]
        session.funders = db.session.scalars(select(Funder).where(Funder.agency_id == agency.id).limit(2)).all()
        session.attendees = [SessionClient(agency_id=agency.id, client_id=c.id) for c in clients]
        for client in clients:
            form = ServiceForm(agency_id=agency.id, kind="non_specified", client_id=client.id, author_id=lead.id)
            form.save_answers(complete_answers("non_specified"))
            assert form.is_complete
            session.forms.append(form)
        db.session.add(session)
        db.session.commit()
        names = {
            "lead": lead.name,
            "staff": "; ".join(s.name for s in sorted([lead, other], key=lambda s: (s.last_name, s.first_name))),  # by name
            "clients": "; ".join(c.display_name for c in clients),
            "funders": "; ".join(str(f) for f in sorted(session.funders, key=lambda f: f.name)),
        }
        return session.id, names


def test_the_session_export_is_readable(login, rich_session):
    """Names, not ids: the session's staff, clients and funders; complete; minutes; its forms."""
    _, names = rich_session
    for export_type in ("csv", "xlsx"):
        rows = export(login("admin@demo.org"), "/admin/sessions", export_type)
        row = dict(zip(rows[0], next(r for r in rows[1:] if r[0] == "2026-03-04"), strict=True))
        assert row["Lead staff"] == names["lead"] and row["Staff involved"] == names["staff"]
        assert row["Clients"] == names["clients"] and row["Number of clients"] == "2"
        assert row["Funders"] == names["funders"] and row["Delivery languages"] == "English; French"
        assert row["Duration (minutes)"] == "75" and row["Complete"] == "Yes" and row["Interpreter present"] == "Yes"
        assert row["Forms"] == "Non-Specified (Complete); Non-Specified (Complete)"
        assert row["Site"] == "Head Office" and row["Type"] == "Direct Service"


def test_the_form_export_is_readable(login, rich_session):
    rows = export(login("admin@demo.org"), "/admin/service-forms", "xlsx")
    mine = [dict(zip(rows[0], row, strict=True)) for row in rows[1:] if row[0] == "2026-03-04"]
    assert len(mine) == 2
    assert {(r["Session type"], r["Site"], r["Form"], r["Complete"], r["Private"]) for r in mine} == {
        ("Direct Service", "Head Office", "Non-Specified", "Complete", "No")
    }


def test_the_xlsx_export_of_every_grid_neutralises_cells(app, login, poisoned):  # noqa: F811
    """The same poisoned names as the CSV test (tests/test_spreadsheets.py), in xlsx: each one a
    string cell as typed (no apostrophe), never a formula."""
    admin = login("admin@demo.org")
    for view in exported_views(app):
        response = admin.get(f"{view.url}/export/xlsx/")
        book = openpyxl.load_workbook(io.BytesIO(response.data))
        cells = [c for sheet in book for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
        poisoned_cells = [c for c in cells if "evil.example" in c.value]
        assert poisoned_cells and not [c for c in cells if c.data_type != "s"], view.endpoint
        assert any(c.value.startswith(FORMULA_PREFIXES) for c in poisoned_cells), view.endpoint
        with zipfile.ZipFile(io.BytesIO(response.data)) as parts:
            assert not [n for n in parts.namelist() if n.startswith("xl/worksheets/") and b"<f>" in parts.read(n)]


def add_audit_rows(count):
    """``count`` audit rows in the demo agency, written in one Core statement."""
    with tenant_scope(ALL_AGENCIES):
        agency_id = db.session.scalar(select(Agency.id).where(Agency.code == "DEMO"))
        rows = [{"agency_id": agency_id, "action": "view", "record_type": "client", "detail": f"bulk {n}"} for n in range(count)]
        db.session.execute(insert(AuditEvent), rows)
        db.session.commit()


def test_no_row_cap(app, login):
    """More rows than the old cap (10,000), in both formats."""
    with app.app_context():
        add_audit_rows(10_050)
    admin = login("admin@demo.org")
    audit = next(v for v in exported_views(app) if v.endpoint == "audit")
    for export_type in ("csv", "xlsx"):
        details = column(export(admin, "/admin/audit", export_type, f"?{filter_arg(audit, 'Action')}=view"), "Changes")
        bulk = {detail for detail in details if detail.startswith("bulk ")}
        assert len(bulk) == 10_050


def test_rows_are_read_in_batches(app, login, rich_session, monkeypatch):
    """With a batch of 2 rows, each batch's facts are one query: the export reads batches, not
    the whole grid at once, and not a query per row."""
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        session = db.session.get(ServiceSession, rich_session[0])
        for day in range(5):
            db.session.add(
                ServiceSession(
                    agency_id=session.agency_id,
                    service_date=date(2026, 2, 1) + timedelta(days=day),
                    site_id=session.site_id,
                    lead_staff_id=session.lead_staff_id,
                    created_by_id=session.lead_staff_id,
                    minutes=20,
                    languages=["English"],
                )
            )
        db.session.commit()
    view = next(v for v in exported_views(app) if v.endpoint == "sessions")
    monkeypatch.setattr(view, "export_batch_rows", 2)
    statements = []
    listener = lambda conn, cursor, statement, *args: statements.append(statement)  # noqa: E731
    browser = login("admin@demo.org")
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", listener)
    try:
        rows = export(browser, "/admin/sessions", "csv")
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len(rows) == 1 + 7  # the demo's session, the rich one, five more
    completeness_queries = [s for s in statements if s.lstrip().startswith("SELECT service_sessions.id") and " IN " in s]
    assert len(completeness_queries) == 4  # ceil(7 / 2)


def filter_arg(view, label):
    index = next(i for i, flt in enumerate(view._filters) if str(flt.name) == label)
    return f"flt0_{view.get_filter_arg(index, view._filters[index])}"


def test_the_export_follows_the_grid_filters_search_and_sort(app, login, rich_session):
    admin = login("admin@demo.org")
    sessions = next(v for v in exported_views(app) if v.endpoint == "sessions")
    date_sort = [name for name, _ in sessions._list_columns].index("service_date")
    oldest_first = column(export(admin, "/admin/sessions", "csv", f"?sort={date_sort}"), "Date")
    assert oldest_first == sorted(oldest_first) and len(oldest_first) == 2
    newest_first = column(export(admin, "/admin/sessions", "xlsx", f"?sort={date_sort}&desc=1"), "Date")
    assert newest_first == oldest_first[::-1]
    complete = filter_arg(sessions, "Complete")
    assert column(export(admin, "/admin/sessions", "xlsx", f"?{complete}=1"), "Date") == ["2026-03-04"]
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        last_name = demo(Client, kind="named").last_name
    found = column(export(admin, "/admin/clients", "csv", f"?search={last_name}"), "Last name")
    assert found == [last_name]


@pytest.fixture
def restricted_forms(app):
    """A session in no program (everyone sees it) holding, by worker@demo.org, a Private form
    and a form in Settlement Services, both answering an agency question with ``SECRET``."""
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        author = db.session.scalar(select(Staff).where(Staff.email == "worker@demo.org"))
        settlement = demo(Program, name="Settlement Services")
        question = demo(AgencyQuestion)
        client = demo(Client, kind="named")
        session = ServiceSession(
            agency_id=author.agency_id,
            service_date=date(2026, 5, 6),
            site_id=demo(Site).id,
            lead_staff_id=author.id,
            created_by_id=author.id,
            minutes=20,
            languages=["English"],
        )
        session.attendees = [SessionClient(agency_id=author.agency_id, client_id=client.id)]
        for kind, program_id, private in (("io", None, True), ("needs_assessment", settlement.id, False)):
            form = ServiceForm(
                agency_id=author.agency_id, kind=kind, client_id=client.id, author_id=author.id, program_id=program_id
            )
            form.is_private = private
            form.save_answers({question.key: SECRET})
            session.forms.append(form)
        db.session.add(session)
        db.session.commit()


def test_restricted_forms_show_as_restricted_and_never_their_content(app, restricted_forms):
    """worker2 (Employment Services) sees the session, its two forms as "Restricted" by kind,
    and neither form in the form grid; the author sees both, with the answer."""
    worker2 = signed_in(app, "worker2@demo.org")
    for export_type in ("csv", "xlsx"):
        rows = export(worker2, "/admin/sessions", export_type)
        row = dict(zip(rows[0], next(r for r in rows[1:] if r[0] == "2026-05-06"), strict=True))
        assert row["Forms"] == "Information & Orientation (Restricted); Needs Assessment (Restricted)"
        forms = export(worker2, "/admin/service-forms", export_type)
        assert "2026-05-06" not in column(forms, "Date")
        assert SECRET not in str(rows) + str(forms)
    author = signed_in(app, "worker@demo.org")
    rows = export(author, "/admin/sessions", "xlsx")
    row = dict(zip(rows[0], next(r for r in rows[1:] if r[0] == "2026-05-06"), strict=True))
    assert row["Forms"] == "Information & Orientation (Incomplete); Needs Assessment (Incomplete)"
    answers = [r for r in export(author, "/admin/service-forms", "csv") if r[0] == "2026-05-06"]
    assert len(answers) == 2 and all(SECRET in r[-1] for r in answers)


def other_agency_names():
    """The other agency's client, site, staff and program names, made unique to it, and its emails."""
    with tenant_scope(ALL_AGENCIES):
        agency_id = db.session.scalar(select(Agency.id).where(Agency.code == "OTHER"))
        names = []
        for model, column in ((Client, "last_name"), (Site, "name"), (Staff, "last_name"), (Program, "name")):
            for row in db.session.scalars(select(model).where(model.agency_id == agency_id)):
                if getattr(row, "kind", "") != "anonymous":
                    setattr(row, column, f"OTHER-AGENCY-{model.__name__}-{row.id}")
                    names.append(getattr(row, column))
        names += [staff.email for staff in db.session.scalars(select(Staff).where(Staff.agency_id == agency_id))]
        db.session.commit()
        return names


def test_other_agencies_never_appear(app, login):
    with app.app_context():
        names = other_agency_names()
    assert names
    admin = login("admin@demo.org")
    for view in exported_views(app):
        for export_type in ("csv", "xlsx"):
            dumped = str(export(admin, view.url, export_type))
            assert not [name for name in names if name in dumped], (view.endpoint, export_type)


def test_every_export_is_audited_before_it_is_sent(app, login):
    admin = login("admin@demo.org")
    sessions = next(v for v in exported_views(app) if v.endpoint == "sessions")
    query = f"?{filter_arg(sessions, 'Complete')}=0"
    export(admin, "/admin/sessions", "xlsx", query)
    export(admin, "/admin/clients", "csv")
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export").order_by(AuditEvent.id)).all()
        assert [(e.record_type, e.staff.email) for e in events] == [
            ("service_session", "admin@demo.org"),
            ("client", "admin@demo.org"),
        ]
        assert events[0].detail.startswith("All sessions grid export (xlsx, 1 rows)") and query[1:] in events[0].detail
        assert events[1].detail.startswith("All clients grid export (csv, 2 rows)")


def test_a_streamed_query_opening_a_transaction_sees_its_agency(app):
    """PostgreSQL: a server-side cursor (``yield_per``) as the first statement of a transaction
    still runs under the agency's row-level security (the settings run on a plain cursor). On
    SQLite the same code reads the same rows."""
    with app.app_context():
        with tenant_scope(ALL_AGENCIES):
            agency_id = db.session.scalar(select(Agency.id).where(Agency.code == "DEMO"))
            expected = db.session.scalar(select(Site.id).where(Site.agency_id == agency_id))
            db.session.commit()
        with tenant_scope(agency_id):
            streamed = [site.id for site in db.session.query(Site).yield_per(2)]
        assert expected in streamed and len(streamed) == 5


def test_the_streamed_writers():
    """CSV in chunks; xlsx past a sheet's rows goes on in a new sheet with the headings again."""
    rows = [[f"=cmd{n}", n, None] for n in range(7)]
    text_out = csv_file_text("".join(csv_chunks(["A", "B", "C"], iter(rows))).encode())
    assert list(csv.reader(io.StringIO(text_out)))[1] == ["'=cmd0", "0", ""]
    book = openpyxl.load_workbook(workbook_file("Sheet", ["A", "B", "C"], iter(rows), sheet_rows=3))
    assert [len(list(sheet.iter_rows())) for sheet in book.worksheets] == [3, 3, 3, 2]
    assert [sheet["A1"].value for sheet in book.worksheets] == ["A"] * 4
    assert (book.worksheets[0]["A2"].value, book.worksheets[0]["A2"].data_type) == ("=cmd0", "s")  # a string, not a formula
    assert book.worksheets[0].freeze_panes == "A2"


def test_a_download_stopped_early_releases_its_context_and_connection(app, login):
    """The browser goes away after the first chunk: the request's context is popped and the
    export's database connection is back in the pool."""
    admin = login("admin@demo.org")
    response = admin.get("/admin/sessions/export/csv/")
    response.close()
    assert not flask.has_app_context()
    with app.app_context():
        assert db.engine.pool.checkedout() == 0

"""The client dashboard, its actions and tabs, the grid's edit page, files and printing."""

import io
import zipfile
from datetime import date

import pytest
from sqlalchemy import event, select
from sqlalchemy.exc import DataError
from sqlalchemy.orm import Session

from extensions import db
from models import ALL_AGENCIES, CaseNote, Client, ClientFile, tenant_scope
from tests.conftest import demo_agency, demo_staff, text

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture
def demo_id(app):
    return demo_agency(app, "DEMO").id


@pytest.fixture
def person(app, make, demo_id):
    agency = demo_agency(app, "DEMO")
    return make.client(
        agency,
        first_name="Layla",
        last_name="Haddad",
        date_of_birth=date(1988, 5, 3),
        phone="+1 416-555-0111",
        email="layla@example.com",
        family_code="F-TEST01",
    )


@pytest.fixture
def stranger(app, make):
    return make.client(demo_agency(app, "OTHER"), first_name="Secret", last_name="Outsider", comments="other agency note")


def reload(app, client_id):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        client = db.session.get(Client, client_id)
        _ = client.assignments, client.safety_flags
        db.session.expunge(client)
        return client


def test_dashboard_shows_the_ribbon_and_records_the_visit(app, worker, person):
    page = text(worker.get(f"/admin/clients/{person.id}/"))
    for value in (
        "Layla Haddad",
        "1988-05-03",
        "layla@example.com",
        "+1 416-555-0111",
        "Case notes",
        "Service history",
        "Files",
        "Family",
        "Notifications",
    ):
        assert value in page
    home = text(worker.get("/admin/"))
    assert "Layla Haddad" in home.split('data-testid="recent-clients"')[1].split("</ul>")[0]


def test_assign_reassign_and_remove(app, worker, person):
    me, other = demo_staff(app, "worker@demo.org"), demo_staff(app, "worker2@demo.org")
    worker.post(f"/admin/clients/{person.id}/assign/", data={"staff": [str(me.id), str(other.id)]})
    assert {a.staff_id for a in reload(app, person.id).assignments} == {me.id, other.id}
    assert "Layla Haddad" in text(worker.get("/admin/")).split('data-testid="assigned-clients"')[1]
    worker.post(f"/admin/clients/{person.id}/unassign/{other.id}/")
    assert [a.staff_id for a in reload(app, person.id).assignments] == [me.id]


@pytest.mark.parametrize("body", [{}, {"unrelated": "1"}])
def test_deselecting_everyone_means_no_one_is_assigned(app, worker, person, body):
    """A multiple select with nothing chosen sends no field at all (an empty body): not a 500."""
    me, other = demo_staff(app, "worker@demo.org"), demo_staff(app, "worker2@demo.org")
    worker.post(f"/admin/clients/{person.id}/assign/", data={"staff": [str(me.id), str(other.id)]})
    response = worker.post(f"/admin/clients/{person.id}/assign/", data=body)
    assert response.status_code == 302 and reload(app, person.id).assignments == []


def test_assigning_staff_of_another_agency_is_refused(app, worker, person):
    outsider = demo_staff(app, "admin@other.org")
    response = worker.post(f"/admin/clients/{person.id}/assign/", data={"staff": [str(outsider.id)]}, follow_redirects=True)
    assert "Choose staff members of your agency" in text(response)
    assert reload(app, person.id).assignments == []


def test_safety_flag_add_and_clear(app, worker, person):
    empty = worker.post(f"/admin/clients/{person.id}/flag/", data={"reason": " "}, follow_redirects=True)
    assert "Say why this client needs care" in text(empty)
    worker.post(f"/admin/clients/{person.id}/flag/", data={"reason": "Do not disclose address to ex-partner"})
    page = text(worker.get(f"/admin/clients/{person.id}/"))
    assert 'data-testid="safety-flag"' in page and "Do not disclose address" in page
    flag = reload(app, person.id).safety_flags[0]
    worker.post(f"/admin/clients/{person.id}/flags/{flag.id}/clear/")
    assert reload(app, person.id).safety_flags[0].cleared_at is not None
    assert 'data-testid="safety-flag"' not in text(worker.get(f"/admin/clients/{person.id}/"))


def test_archived_clients_leave_lists_until_the_filter_is_on(app, worker, person):
    assert "Layla Haddad" in text(worker.get("/admin/clients/"))
    worker.post(f"/admin/clients/{person.id}/archive/", data={"archived": "1"})
    assert "Layla Haddad" not in text(worker.get("/admin/clients/"))
    archived_filter = next(i for i, f in enumerate(app.extensions["admin"][0]._views) if getattr(f, "endpoint", "") == "clients")
    view = app.extensions["admin"][0]._views[archived_filter]
    index = next(i for i, f in enumerate(view._filters) if f.name == "Archived")
    assert "Layla Haddad" in text(worker.get(f"/admin/clients/?flt0_{index}=1"))
    assert worker.get(f"/admin/clients/{person.id}/").status_code == 200  # still reachable
    worker.post(f"/admin/clients/{person.id}/archive/", data={"archived": "0"})
    assert "Layla Haddad" in text(worker.get("/admin/clients/"))


def test_case_notes_add_edit_and_soft_delete(app, worker, person):
    worker.post(f"/admin/clients/{person.id}/notes/", data={"body": "First meeting: needs housing help"})
    page = text(worker.get(f"/admin/clients/{person.id}/?tab=notes"))
    assert "First meeting" in page and "Wei Zhang" in page
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        note_id = db.session.scalar(select(CaseNote.id))
    worker.post(f"/admin/clients/{person.id}/notes/{note_id}/edit/", data={"body": "First meeting: housing and ESL"})
    assert "housing and ESL" in text(worker.get(f"/admin/clients/{person.id}/?tab=notes"))
    worker.post(f"/admin/clients/{person.id}/notes/{note_id}/delete/")
    assert "housing and ESL" not in text(worker.get(f"/admin/clients/{person.id}/?tab=notes"))
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert db.session.get(CaseNote, note_id).deleted_at is not None  # kept, hidden


def test_an_empty_note_is_refused(app, worker, person):
    response = worker.post(f"/admin/clients/{person.id}/notes/", data={"body": ""}, follow_redirects=True)
    assert "Write the note first" in text(response)


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def upload(worker, client_id, name, data):
    return worker.post(
        f"/admin/clients/{client_id}/files/",
        data={"file": (io.BytesIO(data), name), "description": "ID"},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


@pytest.mark.parametrize(
    "name, data",
    [
        ("passport.pdf", b"%PDF-1.4 test"),
        ("photo.png", b"\x89PNG\r\n\x1a\n rest"),
        ("letter.docx", docx_bytes()),
        ("notes.txt", "Ça va".encode()),
    ],
)
def test_upload_and_download_a_file(app, worker, person, name, data):
    assert "File uploaded" in text(upload(worker, person.id, name, data))
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        row = db.session.scalar(select(ClientFile))
    stored = app.config["UPLOAD_FOLDER"] + "/" + row.stored_name
    assert row.stored_name not in name and "static" not in stored and open(stored, "rb").read() == data
    response = worker.get(f"/admin/clients/{person.id}/files/{row.id}/")
    assert response.data == data and "attachment" in response.headers["Content-Disposition"]
    worker.post(f"/admin/clients/{person.id}/files/{row.id}/delete/")
    assert worker.get(f"/admin/clients/{person.id}/files/{row.id}/").status_code == 404


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("script.exe", b"MZ...", "not accepted"),
        ("page.html", b"<script>alert(1)</script>", "not accepted"),
        ("fake.pdf", b"<html>not a pdf</html>", "not a real .pdf"),
        ("fake.png", b"%PDF-1.4", "not a real .png"),
        ("fake.docx", b"PK\x03\x04garbage", "not a real .docx"),
        ("binary.txt", b"\x00\x01\x02", "not a real .txt"),
        ("empty.pdf", b"", "Choose a file"),
    ],
)
def test_unsafe_uploads_are_refused(app, worker, person, name, data, message):
    assert message in text(upload(worker, person.id, name, data))
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert db.session.scalar(select(ClientFile)) is None


def stored_names(app):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        return set(db.session.scalars(select(ClientFile.stored_name)))


def test_a_file_is_on_disk_exactly_when_its_row_is(app, worker, person, upload_folder):
    """A NUL in the description: PostgreSQL refuses the row (400), SQLite stores it."""
    response = worker.post(
        f"/admin/clients/{person.id}/files/",
        data={"file": (io.BytesIO(b"%PDF-1.4 x"), "id.pdf"), "description": "ID\x00card"},
        content_type="multipart/form-data",
    )
    assert response.status_code in (302, 400)
    assert {path.name for path in upload_folder.iterdir()} == stored_names(app)


def test_a_refused_upload_leaves_no_file(app, worker, person, upload_folder):
    """Whatever refuses the row at commit time (here an injected database refusal), the file
    written for it goes too; the person gets the 400 page."""

    def refuse(session, context, instances):
        if any(isinstance(row, ClientFile) for row in session.new):
            raise DataError("INSERT INTO client_files", {}, Exception("refused"))

    event.listen(Session, "before_flush", refuse)
    try:
        response = upload(worker, person.id, "id.pdf", b"%PDF-1.4 x")
    finally:
        event.remove(Session, "before_flush", refuse)
    assert response.status_code == 400 and "Nothing was saved" in text(response)
    assert list(upload_folder.iterdir()) == [] and stored_names(app) == set()
    assert "File uploaded" in text(upload(worker, person.id, "id.pdf", b"%PDF-1.4 x"))
    assert {path.name for path in upload_folder.iterdir()} == stored_names(app) != set()


def test_oversized_upload_is_refused(app, worker, person, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_UPLOAD_BYTES", 1024)
    assert "larger than" in text(upload(worker, person.id, "big.pdf", b"%PDF-" + b"x" * 2000))
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2048)
    response = upload(worker, person.id, "huge.pdf", b"%PDF-" + b"x" * 5000)
    assert response.status_code == 413 and "too large" in text(response).lower()


def test_family_tab_lists_relatives(app, make, worker, person):
    relative = make.client(demo_agency(app, "DEMO"), first_name="Omar", last_name="Haddad", family_code="F-TEST01")
    make.client(demo_agency(app, "OTHER"), first_name="Hidden", last_name="Haddad", family_code="F-TEST01")
    page = text(worker.get(f"/admin/clients/{person.id}/?tab=family"))
    assert "Omar Haddad" in page and "Hidden" not in page and "Add family member" in page
    assert f"/admin/clients/{relative.id}/" in page


@pytest.mark.parametrize("lang, word", [("en", "Date of birth"), ("fr", "Date de naissance")])
def test_profile_pdf_in_english_and_french(app, worker, person, lang, word):
    from pypdf import PdfReader

    response = worker.get(f"/admin/clients/{person.id}/profile.pdf?lang={lang}")
    assert response.mimetype == "application/pdf"
    content = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert word in content and "Layla Haddad" in content and "1988-05-03" in content


def test_receipt_pdf(worker, person):
    from pypdf import PdfReader

    content = PdfReader(io.BytesIO(worker.get(f"/admin/clients/{person.id}/receipt.pdf").data)).pages[0].extract_text()
    assert "Registration receipt" in content and f"C{person.id:06d}" in content


def edit_form(**overrides):
    form = {
        "first_name": "Layla",
        "last_name": "Haddad",
        "date_of_birth": "1988-05-03",
        "gender": "Female",
        "registration_site_id": "",
        "phone": "+1 416-555-0111",
        "email": "layla@example.com",
        "family_code": "F-TEST01",
    }
    return {**form, **overrides}


def test_edit_with_optimistic_locking(app, worker, person, demo_id):
    site = str(demo_staff(app, "worker@demo.org").default_site_id)
    page = text(worker.get(f"/admin/clients/edit/?id={person.id}"))
    assert 'name="expected_version" type="hidden" value="1"' in page
    saved = worker.post(
        f"/admin/clients/edit/?id={person.id}", data=edit_form(registration_site_id=site, comments="v2", expected_version="1")
    )
    assert saved.status_code == 302
    # a colleague's form still holds version 1: refused, nothing overwritten
    stale = worker.post(
        f"/admin/clients/edit/?id={person.id}", data=edit_form(registration_site_id=site, comments="stale", expected_version="1")
    )
    assert "changed by someone else" in text(stale)
    assert reload(app, person.id).comments == "v2"


def test_anonymous_client_edit_keeps_it_anonymous(app, make, worker):
    anonymous = make.client(demo_agency(app, "DEMO"), kind="anonymous", comments="library walk-in")
    page = text(worker.get(f"/admin/clients/edit/?id={anonymous.id}"))
    assert "first_name" not in page and "registration_date" not in page
    site = str(demo_staff(app, "worker@demo.org").default_site_id)
    worker.post(
        f"/admin/clients/edit/?id={anonymous.id}",
        data={
            "gender": "Female",
            "immigration_status": "Unknown",
            "registration_site_id": site,
            "comments": "updated",
            "expected_version": "1",
            "first_name": "Injected",
            "kind": "named",
        },
    )
    after = reload(app, anonymous.id)
    assert after.kind == "anonymous" and after.first_name is None and after.comments == "updated"


PAGES = ["/", "/?tab=notes", "/?tab=files", "/?tab=family", "/profile.pdf", "/receipt.pdf", "/notes/1/edit/", "/files/1/"]
POSTS = [
    "/assign/",
    "/unassign/1/",
    "/flag/",
    "/flags/1/clear/",
    "/archive/",
    "/notes/",
    "/notes/1/delete/",
    "/files/",
    "/files/1/delete/",
]


@pytest.mark.parametrize("path", PAGES)
def test_another_agencys_client_pages_are_404(worker, stranger, path):
    response = worker.get(f"/admin/clients/{stranger.id}{path}")
    assert response.status_code == 404 and "Outsider" not in text(response)


@pytest.mark.parametrize("path", POSTS)
def test_another_agencys_client_actions_are_404(app, worker, stranger, path):
    assert (
        worker.post(f"/admin/clients/{stranger.id}{path}", data={"reason": "x", "body": "x", "archived": "1"}).status_code == 404
    )
    assert reload(app, stranger.id).is_archived is False


def test_another_agencys_file_cannot_be_downloaded(app, client, login, stranger):
    login("admin@other.org")
    upload(client, stranger.id, "secret.pdf", b"%PDF-secret")
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        file_id = db.session.scalar(select(ClientFile.id))
    client.post("/logout")
    login("worker@demo.org")
    assert client.get(f"/admin/clients/{stranger.id}/files/{file_id}/").status_code == 404


def test_a_file_of_one_client_is_not_served_under_another(app, make, worker, person):
    upload(worker, person.id, "mine.pdf", b"%PDF-mine")
    other = make.client(demo_agency(app, "DEMO"))
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        file_id = db.session.scalar(select(ClientFile.id))
    assert worker.get(f"/admin/clients/{other.id}/files/{file_id}/").status_code == 404


def test_grid_lists_filters_and_exports(app, worker, person):
    page = text(worker.get("/admin/clients/"))
    assert "Layla Haddad" in page and "Register a client" in page
    csv = text(worker.get("/admin/clients/export/csv/"))
    assert "Layla" in csv and "Outsider" not in csv


def test_grid_export_neutralises_formulas(app, make, worker):
    make.client(demo_agency(app, "DEMO"), first_name='=HYPERLINK("http://x")', last_name="@SUM(A1)")
    csv = text(worker.get("/admin/clients/export/csv/"))
    assert "'=HYPERLINK" in csv and "'@SUM" in csv


def test_the_print_buttons_name_their_language_and_the_clients(app, worker, person):
    """Each document in English and in French, each button saying which; the client's official
    language, once known, is marked."""
    page = text(worker.get(f"/admin/clients/{person.id}/"))
    for endpoint in ("profile", "receipt"):
        assert f'href="/admin/clients/{person.id}/{endpoint}.pdf?lang=en"' in page
        assert f'href="/admin/clients/{person.id}/{endpoint}.pdf?lang=fr"' in page
    assert "Intake form (English)" in page and "Receipt (French)" in page and "the client's language" not in page
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        db.session.get(Client, person.id).official_language = "French"
        db.session.commit()
    page = text(worker.get(f"/admin/clients/{person.id}/"))
    french_button = page.split('data-testid="print-profile_pdf-fr"')[1].split("</a>")[0]
    assert "the client's language" in french_button and page.count("the client's language") == 2

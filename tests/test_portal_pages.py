"""The client's own pages: Overview, details and message choices, tasks, files (the same upload
checks as staff's), and the staff side's sharing of a file with the client."""

import io

import pytest
from sqlalchemy import select

from extensions import db
from models import ALL_AGENCIES, ClientFile, NotificationOptOut, PortalUpload, Task, tenant_scope
from tests.conftest import text
from tests.portal_helpers import client_row, seed_portal_clients, signed_in_portal

pytestmark = pytest.mark.usefixtures("demo")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_overview_shows_my_details_caseworker_and_tasks(app):
    seed_portal_clients(app)
    page = text(signed_in_portal(app, "client@demo.org").get("/portal/overview"))
    assert "Amira Haddad" in page and "Wei Zhang" in page and "Update your resume" in page
    assert "Bring your pay stubs" not in page  # the other client's task


def test_update_my_contact_details_and_message_choices(app):
    amira_id, _ = seed_portal_clients(app)
    browser = signed_in_portal(app, "client@demo.org")
    version = client_row(app, amira_id).version
    bad = browser.post("/portal/details", data={"version": version, "postal_code": "12345", "phone": "416 555 0199"})
    assert "Enter a Canadian postal code" in text(bad) and client_row(app, amira_id).phone == "+1 416-555-0142"
    ok = browser.post(
        "/portal/details", data={"version": version, "postal_code": "m5v2t6", "phone": "416 555 0199", "city": "Toronto"}
    )
    assert ok.status_code == 302
    saved = client_row(app, amira_id)
    assert (saved.postal_code, saved.phone, saved.city) == ("M5V 2T6", "+1 416-555-0199", "Toronto")
    stale = browser.post("/portal/details", data={"version": version, "city": "Ottawa"}, follow_redirects=True)
    assert "changed meanwhile" in text(stale) and client_row(app, amira_id).city == "Toronto"
    browser.post("/portal/details/messages", data={"opt_out": ["appointment_reminder", "portal_invite", "nonsense"]})
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        kinds = set(db.session.scalars(select(NotificationOptOut.kind).where(NotificationOptOut.client_id == amira_id)))
    assert kinds == {"appointment_reminder"}  # an invitation cannot be opted out of


def test_tick_my_task_done_and_open_it_again(app):
    amira_id, _ = seed_portal_clients(app)
    browser = signed_in_portal(app, "client@demo.org")
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        task_id = db.session.scalar(select(Task.id).where(Task.client_id == amira_id))
    browser.post(f"/portal/tasks/{task_id}/done")
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert db.session.get(Task, task_id).status == "done"
    browser.post(f"/portal/tasks/{task_id}/done", data={"done": "0"})
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert db.session.get(Task, task_id).status == "open"


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("resume.txt", b"hello", "Upload a PDF (.pdf) or Word (.docx) file."),
        ("resume.pdf", b"not a pdf", "not a real .pdf file"),
        ("resume.docx", b"PK\x03\x04 nothing", "not a real .docx file"),
        ("big.pdf", PDF + b"x" * (10 * 1024 * 1024), "larger than 10 MB"),
    ],
)
def test_uploads_are_checked_like_staff_uploads(app, upload_folder, name, data, message):
    amira_id, _ = seed_portal_clients(app)
    browser = signed_in_portal(app, "client@demo.org")
    response = browser.post("/portal/files/upload", data={"file": (io.BytesIO(data), name)}, follow_redirects=True)
    assert message in text(response)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert db.session.scalar(select(PortalUpload.id).where(PortalUpload.client_id == amira_id)) is None
    assert list(upload_folder.iterdir()) == []


def test_my_upload_and_a_file_shared_by_staff(app, upload_folder, worker):
    amira_id, _ = seed_portal_clients(app)
    browser = signed_in_portal(app, "client@demo.org")
    browser.post("/portal/files/upload", data={"file": (io.BytesIO(PDF), "pay stub.pdf"), "description": "November"})
    worker.post(f"/admin/clients/{amira_id}/files/", data={"file": (io.BytesIO(PDF), "plan.pdf"), "description": "Plan"})
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        file_id = db.session.scalar(select(ClientFile.id).where(ClientFile.client_id == amira_id))
        upload_id = db.session.scalar(select(PortalUpload.id).where(PortalUpload.client_id == amira_id))
    files = text(browser.get("/portal/files"))
    assert "pay stub.pdf" in files and "plan.pdf" not in files
    assert browser.get(f"/portal/files/shared/{file_id}").status_code == 404
    staff_tab = text(worker.get(f"/admin/clients/{amira_id}/?tab=portal"))
    assert "pay stub.pdf" in staff_tab and "Share plan.pdf with the client" in staff_tab
    assert worker.get(f"/admin/clients/{amira_id}/portal/uploads/{upload_id}/").data == PDF
    worker.post(f"/admin/clients/{amira_id}/portal/files/{file_id}/share/")
    assert "plan.pdf" in text(browser.get("/portal/files"))
    assert browser.get(f"/portal/files/shared/{file_id}").data == PDF
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        db.session.get(ClientFile, file_id).is_private = True
        db.session.commit()
    assert browser.get(f"/portal/files/shared/{file_id}").status_code == 404  # a Private file never shows
    browser.post(f"/portal/files/mine/{upload_id}/delete")
    assert "pay stub.pdf" not in text(browser.get("/portal/files"))


def test_retention_removes_the_portal_account_and_the_uploads_names(app, upload_folder):
    from models import PortalAccount
    from models.retention import RETENTION, anonymise_client
    from tests.conftest import demo_agency

    amira_id, _ = seed_portal_clients(app)
    browser = signed_in_portal(app, "client@demo.org")
    browser.post("/portal/files/upload", data={"file": (io.BytesIO(PDF), "pay stub.pdf")})
    with app.app_context(), tenant_scope(demo_agency(app, "DEMO").id, RETENTION):
        from models import Client

        anonymise_client(db.session.get(Client, amira_id), {}, {"clients": 0, "case notes": 0, "files": 0, "service forms": 0})
        db.session.commit()
        assert db.session.scalar(select(PortalAccount).where(PortalAccount.client_id == amira_id)) is None
        upload = db.session.scalar(select(PortalUpload).where(PortalUpload.client_id == amira_id))
        assert upload.original_name == f"upload-{upload.id}" and upload.deleted_at is not None
    assert browser.get("/portal/overview").status_code == 302

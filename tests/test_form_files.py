"""Files attached to service forms: the same checks as profile files, listed on the form and
on the client's Files tab with their form, seen exactly as the form is (its program, its
Private flag)."""

import io
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from extensions import db
from models import ALL_AGENCIES, ClientFile, Program, ServiceForm, ServiceSession, tenant_scope
from tests.conftest import demo_agency, sign_in, text
from tests.sessions_helpers import add_client, add_form, complete_answers, form_id, new_session

pytestmark = pytest.mark.usefixtures("demo", "upload_folder")


@pytest.fixture
def person(app, make):
    return make.client(demo_agency(app, "DEMO"), first_name="Samira", last_name="Filetest")


def signed_in(app, email):
    browser = app.test_client()
    assert sign_in(browser, email).status_code == 302
    return browser


def settlement(app):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        return db.session.scalar(select(Program.id).where(Program.name == "Settlement Services"))


def a_form(app, worker, me, person, **access):
    """A Non-specified form of the worker (their session's program: Settlement Services)."""
    session_id = new_session(app, worker, me.id)
    add_client(worker, session_id, person.id)
    add_form(worker, session_id, "non_specified", person.id)
    row = form_id(app, session_id, "non_specified", person.id)
    if access:
        answers = {**complete_answers("non_specified"), "program_id": "", **access}
        answers = {name: value for name, value in answers.items() if value != "" or name == "program_id"}
        assert worker.post(f"/admin/sessions/{session_id}/forms/{row}/", data=answers).status_code == 302
    return session_id, row


def attach(browser, session_id, row, name="letter.pdf", data=b"%PDF-1.4 letter", description="Offer letter"):
    return browser.post(
        f"/admin/sessions/{session_id}/forms/{row}/files/",
        data={"file": (io.BytesIO(data), name), "description": description},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def the_file(app):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        return db.session.scalar(select(ClientFile))


def test_a_file_is_attached_to_a_form_and_listed_there_and_on_the_files_tab(app, worker, me, person):
    session_id, row = a_form(app, worker, me, person)
    page = text(attach(worker, session_id, row))
    assert "File attached to the form" in page and "letter.pdf" in page and "Attach a file" in page
    stored = the_file(app)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        form = db.session.get(ServiceForm, row)
        assert (stored.form_id, stored.client_id, stored.program_id) == (row, person.id, form.program_id)
    files_tab = text(worker.get(f"/admin/clients/{person.id}/?tab=files"))
    assert "letter.pdf" in files_tab and f"/admin/sessions/{session_id}/forms/{row}/" in files_tab
    download = worker.get(f"/admin/clients/{person.id}/files/{stored.id}/")
    assert download.status_code == 200 and download.data == b"%PDF-1.4 letter"


@pytest.mark.parametrize(
    "name, data, message",
    [("script.exe", b"MZ...", "not accepted"), ("fake.pdf", b"<html>", "not a real .pdf"), ("empty.pdf", b"", "Choose a file")],
)
def test_a_refused_type_is_refused_and_nothing_saved(app, worker, me, person, upload_folder, name, data, message):
    session_id, row = a_form(app, worker, me, person)
    response = attach(worker, session_id, row, name, data)
    assert response.status_code == 200 and message in text(response)
    assert the_file(app) is None and list(upload_folder.iterdir()) == []


def test_a_file_too_large_is_refused(app, worker, me, person, monkeypatch, upload_folder):
    monkeypatch.setitem(app.config, "MAX_UPLOAD_BYTES", 1024)
    session_id, row = a_form(app, worker, me, person)
    assert "larger than" in text(attach(worker, session_id, row, "big.pdf", b"%PDF-" + b"x" * 2000))
    assert the_file(app) is None and list(upload_folder.iterdir()) == []


def test_a_file_on_a_private_form_is_seen_only_by_who_may_open_the_form(app, worker, me, person):
    session_id, row = a_form(app, worker, me, person, is_private="y")
    attach(worker, session_id, row)
    stored = the_file(app)
    assert stored.is_private
    download = f"/admin/clients/{person.id}/files/{stored.id}/"
    assert signed_in(app, "coordinator@demo.org").get(download).status_code == 200  # the author's manager
    for email in ("worker3@demo.org", "worker2@demo.org", "admin@demo.org"):  # same program, another, admin
        other = signed_in(app, email)
        assert other.get(download).status_code == 403, email  # restricted: the break-glass page
        assert "letter.pdf" not in text(other.get(f"/admin/clients/{person.id}/?tab=files")), email
    other = signed_in(app, "worker3@demo.org")
    assert attach(other, session_id, row).status_code == 403


def test_a_file_on_a_program_form_follows_the_program_and_later_changes_of_the_form(app, worker, me, person):
    session_id, row = a_form(app, worker, me, person, program_id=str(settlement(app)), is_private="")
    attach(worker, session_id, row)
    download = f"/admin/clients/{person.id}/files/{the_file(app).id}/"
    assert signed_in(app, "worker3@demo.org").get(download).status_code == 200  # Settlement Services too
    assert signed_in(app, "worker2@demo.org").get(download).status_code == 403  # Employment Services
    answers = {**complete_answers("non_specified"), "program_id": "", "is_private": "y"}
    worker.post(f"/admin/sessions/{session_id}/forms/{row}/", data=answers)  # the form made Private later
    assert signed_in(app, "worker3@demo.org").get(download).status_code == 403
    assert worker.get(download).status_code == 200


def test_a_form_with_files_is_not_removed(app, worker, me, person):
    session_id, row = a_form(app, worker, me, person)
    attach(worker, session_id, row)
    response = worker.post(f"/admin/sessions/{session_id}/forms/{row}/remove/", follow_redirects=True)
    assert "This form has files" in text(response)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert db.session.get(ServiceForm, row) is not None


def test_a_file_on_a_form_shows_its_access_as_the_forms(app, worker, me, person):
    session_id, row = a_form(app, worker, me, person)
    attach(worker, session_id, row)
    page = text(worker.get(f"/admin/clients/{person.id}/files/{the_file(app).id}/edit/"))
    assert "Attached to the form" in page and 'name="program_id"' not in page


def test_the_rule_follows_the_form_whatever_the_files_own_flags_say(app, worker, me, person):
    """The visibility rule itself: a file on a Private form is hidden even if its own columns
    say "open" (the pages keep them in step; this checks the rule does not rely on it)."""
    session_id, row = a_form(app, worker, me, person, is_private="y")
    attach(worker, session_id, row)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        stored = db.session.scalar(select(ClientFile))
        stored.is_private, stored.program_id = False, None
        db.session.commit()
        download = f"/admin/clients/{person.id}/files/{stored.id}/"
    assert signed_in(app, "worker3@demo.org").get(download).status_code == 403
    assert worker.get(download).status_code == 200


def test_the_form_author_makes_the_form_private_over_a_colleagues_file(app, worker, me, person):
    session_id, row = a_form(app, worker, me, person)  # in no program: everyone may attach
    attach(signed_in(app, "worker3@demo.org"), session_id, row)
    answers = {**complete_answers("non_specified"), "program_id": "", "is_private": "y"}
    assert worker.post(f"/admin/sessions/{session_id}/forms/{row}/", data=answers).status_code == 302
    assert the_file(app).is_private


def test_a_posted_private_flag_on_a_file_on_a_form_changes_nothing(app, worker, me, person):
    """Who sees a file on a form is the form's business: a crafted post of the file's own
    Program or Private fields is not written (the page shows no such fields)."""
    session_id, row = a_form(app, worker, me, person)
    attach(worker, session_id, row)
    stored = the_file(app)
    page = worker.get(f"/admin/clients/{person.id}/files/{stored.id}/edit/").get_data(as_text=True)
    data = {"csrf_token": "", "description": "Still open", "is_private": "y", "program_id": str(settlement(app))}
    data["expected_version"] = re.search(r'name="expected_version"[^>]*value="(\d+)"', page).group(1)
    worker.post(f"/admin/clients/{person.id}/files/{stored.id}/edit/", data=data)
    saved = the_file(app)
    assert saved.description == "Still open" and not saved.is_private and saved.program_id == stored.program_id


def test_deleting_a_session_removes_its_forms_files_from_disk(app, worker, me, person, upload_folder):
    session_id, row = a_form(app, worker, me, person)
    attach(worker, session_id, row)
    stored = Path(upload_folder) / the_file(app).stored_name
    assert stored.exists()
    worker.post("/admin/sessions/delete/", data={"id": session_id})
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert db.session.get(ServiceForm, row) is None and db.session.scalar(select(ClientFile)) is None
    assert not stored.exists() and list(Path(upload_folder).iterdir()) == []


def test_a_rolled_back_deletion_keeps_the_files(app, worker, me, person, upload_folder):
    session_id, row = a_form(app, worker, me, person)
    attach(worker, session_id, row)
    stored = Path(upload_folder) / the_file(app).stored_name
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        db.session.delete(db.session.get(ServiceSession, session_id))
        db.session.flush()
        db.session.rollback()
    assert stored.exists()

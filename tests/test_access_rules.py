"""Program and Private rules on case notes, files and sessions, and break-glass, tried on the
demo's featured client (demo/access_rules.py) as each demo user would see her."""

import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from demo.access_rules import seed_access_examples
from extensions import db
from models import (
    ALL_AGENCIES,
    AuditEvent,
    BreakGlassGrant,
    CaseNote,
    Client,
    ClientFile,
    ServiceForm,
    ServiceSession,
    Staff,
    tenant_scope,
)
from models.base import utcnow
from tests.conftest import demo_agency, text

pytestmark = pytest.mark.usefixtures("demo")

NOTES = {
    "open": "First meeting",
    "wei_program": "Settlement plan",
    "wei_private": "disclosed family violence",
    "priya_program": "résumé drafted",
    "priya_private": "accommodations for an anxiety condition",
}
FILES = {"wei_program": "housing-list.txt", "wei_private": "safety-plan.txt", "priya_program": "resume.txt"}

# What each demo user sees of the featured client's notes and files (the rest shows as Restricted).
SEES = {
    "worker@demo.org": {"open", "wei_program", "wei_private"},
    "worker2@demo.org": {"open", "priya_program", "priya_private"},
    "worker3@demo.org": {"open", "wei_program"},  # Wei's program, not his private records
    "coordinator@demo.org": set(NOTES),
    "admin@demo.org": {"open", "wei_program", "priya_program"},
}


@pytest.fixture
def samira(app, upload_folder):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        seed_access_examples("DEMO")
        client = db.session.scalar(select(Client).where(Client.first_name == "Samira"))
        notes = {key: db.session.scalar(select(CaseNote.id).where(CaseNote.body.contains(body))) for key, body in NOTES.items()}
        files = {key: db.session.scalar(select(ClientFile.id).where(ClientFile.original_name == n)) for key, n in FILES.items()}
        private_form = db.session.scalar(select(ServiceForm).where(ServiceForm.client_id == client.id, ServiceForm.is_private))
        return {
            "id": client.id,
            "notes": notes,
            "files": files,
            "private_form": (private_form.session_id, private_form.id),
        }


@pytest.mark.parametrize("email", list(SEES))
def test_each_demo_user_sees_exactly_the_notes_the_rules_allow(client, login, samira, email):
    login(email)
    page = text(client.get(f"/admin/clients/{samira['id']}/?tab=notes"))
    shown = {key for key, body in NOTES.items() if body in page}
    assert shown == SEES[email]
    hidden = len(NOTES) - len(SEES[email])
    if hidden:
        assert f"Restricted: {hidden} note(s)" in page and page.count("open with a reason") == hidden
    else:
        assert "Restricted:" not in page


@pytest.mark.parametrize("email", list(SEES))
def test_files_follow_the_same_rules(client, login, samira, email):
    login(email)
    page = text(client.get(f"/admin/clients/{samira['id']}/?tab=files"))
    for key, name in FILES.items():
        url = f"/admin/clients/{samira['id']}/files/{samira['files'][key]}/"
        download = client.get(url)
        if key in SEES[email]:
            assert name in page and download.status_code == 200
        else:
            assert name not in page and download.status_code == 403
            assert b"Demo safety plan" not in download.data and b"housing leads" not in download.data.lower()


def test_sessions_of_another_program_are_hidden_but_counted_on_the_history(client, login, samira):
    login("worker2@demo.org")
    page = text(client.get(f"/admin/clients/{samira['id']}/?tab=history"))
    assert "Employment" in page and "Needs Assessment" not in page
    assert "1 more session(s) of programs you are not in" in page
    session_id, _ = samira["private_form"]
    refused = client.get(f"/admin/sessions/edit/?id={session_id}")
    assert refused.status_code == 403 and 'data-testid="restricted-record"' in text(refused)
    assert "Meeting with Samira" not in text(refused)  # the session's notes stay hidden
    grid = text(client.get("/admin/sessions/"))
    assert f"id={session_id}" not in grid


def test_a_coordinator_sees_the_teams_sessions_and_private_forms(client, login, samira):
    login("coordinator@demo.org")
    session_id, form_id = samira["private_form"]
    assert client.get(f"/admin/sessions/edit/?id={session_id}").status_code == 200
    assert "Safety planning (private, demo)" in text(client.get(f"/admin/sessions/{session_id}/forms/{form_id}/"))


def test_an_admin_sees_programs_but_opens_private_records_only_through_break_glass(client, login, samira):
    login("admin@demo.org")
    session_id, form_id = samira["private_form"]
    assert client.get(f"/admin/sessions/edit/?id={session_id}").status_code == 200
    refused = client.get(f"/admin/sessions/{session_id}/forms/{form_id}/")
    assert refused.status_code == 403 and "Safety planning" not in text(refused)
    assert "open with a reason" in text(client.get(f"/admin/sessions/edit/?id={session_id}"))


def test_notes_and_files_are_written_with_a_program_and_the_private_flag(app, client, login, samira):
    login("worker2@demo.org")
    employment = re.search(
        r'<option (?:selected )?value="(\d+)">Employment Services', text(client.get(f"/admin/clients/{samira['id']}/?tab=notes"))
    )
    client.post(f"/admin/clients/{samira['id']}/notes/", data={"body": "Interview practice booked.", "program_id": employment[1]})
    client.post(
        f"/admin/clients/{samira['id']}/notes/", data={"body": "Only for me and Carlos.", "program_id": "", "is_private": "y"}
    )
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        notes = {n.body: n for n in db.session.scalars(select(CaseNote).where(CaseNote.client_id == samira["id"]))}
        assert notes["Interview practice booked."].program_id == int(employment[1])
        assert notes["Only for me and Carlos."].is_private and notes["Only for me and Carlos."].program_id is None
    upload = {"file": (io.BytesIO(b"medical letter"), "letter.txt"), "description": "Doctor's letter", "is_private": "y"}
    client.post(f"/admin/clients/{samira['id']}/files/", data={**upload, "program_id": ""}, content_type="multipart/form-data")
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        letter = db.session.scalar(select(ClientFile).where(ClientFile.original_name == "letter.txt"))
        assert letter.is_private and letter.program_id is None and letter.description == "Doctor's letter"
    client.post("/logout")
    login("worker@demo.org")
    page = text(client.get(f"/admin/clients/{samira['id']}/?tab=notes"))
    assert "Interview practice" not in page and "Only for me and Carlos" not in page
    assert "letter.txt" not in text(client.get(f"/admin/clients/{samira['id']}/?tab=files"))


def test_the_note_form_starts_in_my_only_program(client, login, samira):
    login("worker@demo.org")
    page = text(client.get(f"/admin/clients/{samira['id']}/?tab=notes"))
    assert re.search(r'<option selected value="\d+">Settlement Services', page)


def test_break_glass_needs_a_reason_then_opens_logs_and_tells_the_owner(app, client, login, samira, smtp):
    note_id = samira["notes"]["wei_private"]
    login("worker2@demo.org")
    edit_url = f"/admin/clients/{samira['id']}/notes/{note_id}/edit/"
    refused = client.get(edit_url)
    assert refused.status_code == 403 and "family violence" not in text(refused)
    assert "Wei Zhang" in text(refused) and "Carlos Mendes" in text(refused)  # who will be told
    url = f"/admin/break-glass/case_note/{note_id}/"
    short = client.post(url, data={"reason": "need"})
    assert short.status_code == 403 and "10 to 1000 characters" in text(short)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert db.session.scalar(select(BreakGlassGrant.id)) is None
    opened = client.post(url, data={"reason": "Client in crisis at the front desk; need the safety plan."})
    assert opened.status_code == 302 and f"case_note-{note_id}" in opened.location
    assert "family violence" in text(client.get(f"/admin/clients/{samira['id']}/?tab=notes"))
    assert client.get(edit_url).status_code == 200
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        grant = db.session.scalar(select(BreakGlassGrant))
        assert grant.record_type == "case_note" and grant.owner.email == "worker@demo.org"
        audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "break_glass"))
        assert audit.staff.email == "worker2@demo.org" and "crisis" in audit.detail and audit.client_id == samira["id"]
    assert sorted(recipient for recipients, _ in smtp.inbox.messages for recipient in recipients) == [
        "coordinator@demo.org",
        "worker@demo.org",
    ]  # one message each, through the outbox (tests/test_notifications.py)
    for _, message in smtp.inbox.messages:
        body = message.get_body(("plain",)).get_content()
        assert "Priya Raman opened a restricted case note" in body and "crisis" in body
    client.post("/logout")
    login("worker@demo.org")
    home = text(client.get("/admin/"))
    assert 'data-testid="break-glass-openings"' in home and "Client in crisis" in home
    assert "Client in crisis" in text(client.get("/admin/break-glass/"))


def test_break_glass_on_a_form_opens_its_session_too_and_expires(app, client, login, samira, smtp):
    session_id, form_id = samira["private_form"]
    login("worker2@demo.org")
    response = client.post(f"/admin/break-glass/service_form/{form_id}/", data={"reason": "Covering for Wei this week."})
    assert response.location.endswith(f"/admin/sessions/{session_id}/forms/{form_id}/")
    assert "Safety planning (private, demo)" in text(client.get(response.location))
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert {g.record_type for g in db.session.scalars(select(BreakGlassGrant))} == {"service_form", "service_session"}
        for grant in db.session.scalars(select(BreakGlassGrant)):
            grant.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert client.get(f"/admin/sessions/{session_id}/forms/{form_id}/").status_code == 403


def test_break_glass_cannot_reach_another_agency(app, client, login, make):
    other = make.client(demo_agency(app, "OTHER"), first_name="Outside")
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        author_id = db.session.scalar(select(Staff.id).where(Staff.email == "admin@other.org"))
        note = CaseNote(
            agency_id=other.agency_id, client_id=other.id, author_id=author_id, body="other agency secret", is_private=True
        )
        db.session.add(note)
        db.session.commit()
        note_id = note.id
    login("worker2@demo.org")
    for response in (
        client.get(f"/admin/break-glass/case_note/{note_id}/"),
        client.post(f"/admin/break-glass/case_note/{note_id}/", data={"reason": "Trying to reach another agency."}),
        client.get("/admin/break-glass/unknown/1/"),
    ):
        assert response.status_code == 404 and "other agency secret" not in text(response)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert db.session.scalar(select(BreakGlassGrant.id)) is None


def test_a_visible_record_needs_no_break_glass(client, login, samira):
    login("worker@demo.org")
    note_id = samira["notes"]["wei_private"]
    response = client.get(f"/admin/break-glass/case_note/{note_id}/")
    assert response.status_code == 302 and f"case_note-{note_id}" in response.location


def test_a_client_with_forms_hidden_from_me_is_not_removed_from_the_session(app, client, login, samira):
    """Removing the client would leave the forms I cannot see behind, for someone not in the session."""
    session_id, form_id = samira["private_form"]
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        session = db.session.get(ServiceSession, session_id)
        session.program_id = None  # a session everyone may open, holding Wei's private form
        db.session.commit()
    login("worker3@demo.org")
    response = client.post(f"/admin/sessions/{session_id}/clients/{samira['id']}/remove/")
    assert "has 2 form(s) here that you may not remove" in text(client.get(response.location))  # private, and not his
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert db.session.get(ServiceForm, form_id) is not None
        assert [a.client_id for a in db.session.get(ServiceSession, session_id).attendees] == [samira["id"]]


def test_a_session_holding_forms_hidden_from_me_cannot_be_deleted(app, client, login, samira):
    session_id, form_id = samira["private_form"]
    login("worker3@demo.org")  # same program as Wei: sees the session, not his private form
    assert client.get(f"/admin/sessions/edit/?id={session_id}").status_code == 200
    for response in (
        client.post("/admin/sessions/delete/", data={"id": session_id}),
        client.post("/admin/sessions/action/", data={"action": "delete", "rowid": [str(session_id)]}),
    ):
        assert response.status_code == 302
    page = text(client.get("/admin/sessions/"))
    assert "holds 2 form(s) you may not delete" in page  # the private form, and a form that is not his
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert db.session.get(ServiceSession, session_id) is not None and db.session.get(ServiceForm, form_id) is not None


def test_break_glass_is_read_only(app, client, login, samira):
    note_id = samira["notes"]["wei_private"]
    session_id, form_id = samira["private_form"]
    login("admin@demo.org")
    for kind, row_id in (("case_note", note_id), ("service_form", form_id)):
        client.post(f"/admin/break-glass/{kind}/{row_id}/", data={"reason": "Checking a complaint about this file."})
    edit = f"/admin/clients/{samira['id']}/notes/{note_id}/edit/"
    assert 'data-testid="read-only"' in text(client.get(edit)) and 'name="is_private"' not in text(client.get(edit))
    for response in (
        client.post(edit, data={"body": "Rewritten", "program_id": ""}),
        client.post(f"/admin/clients/{samira['id']}/notes/{note_id}/delete/"),
        client.post(f"/admin/sessions/{session_id}/forms/{form_id}/", data={"description": "x", "program_id": ""}),
        client.post(f"/admin/sessions/{session_id}/forms/{form_id}/remove/"),
    ):
        assert response.status_code == 403 and "through break-glass" in text(response)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        note = db.session.get(CaseNote, note_id)
        assert note.is_private and "family violence" in note.body and note.deleted_at is None
        assert db.session.get(ServiceForm, form_id).is_private


def test_only_the_owner_side_moves_makes_private_or_deletes(app, client, login, samira):
    note_id, file_id = samira["notes"]["wei_program"], samira["files"]["wei_program"]
    login("worker3@demo.org")  # sees Wei's program note and file, does not own them
    edit = f"/admin/clients/{samira['id']}/notes/{note_id}/edit/"
    assert 'data-testid="access-fixed"' in text(client.get(edit))
    client.post(edit, data={"body": "Settlement plan, updated by Lucas", "program_id": "", "is_private": "y"})
    for response in (
        client.post(f"/admin/clients/{samira['id']}/notes/{note_id}/delete/"),
        client.post(f"/admin/clients/{samira['id']}/files/{file_id}/delete/"),
    ):
        assert response.status_code == 403 and "Only its author" in text(response)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        note = db.session.get(CaseNote, note_id)
        assert note.body == "Settlement plan, updated by Lucas"  # colleagues may still correct the text
        assert note.program_id is not None and not note.is_private and note.deleted_at is None
        assert db.session.get(ClientFile, file_id).deleted_at is None
    client.post("/logout")
    login("coordinator@demo.org")  # the author's coordinator may
    client.post(edit, data={"body": "Settlement plan", "program_id": "", "is_private": "y"})
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert db.session.get(CaseNote, note_id).is_private


def test_naming_an_admin_as_manager_opens_no_private_records(app, client, login, samira):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        admin = db.session.scalar(select(Staff).where(Staff.email == "admin@demo.org"))
        db.session.scalar(select(Staff).where(Staff.email == "worker@demo.org")).manager_id = admin.id
        db.session.commit()
    login("admin@demo.org")
    assert NOTES["wei_private"] not in text(client.get(f"/admin/clients/{samira['id']}/?tab=notes"))


def test_the_audit_tab_keeps_reasons_and_hidden_records_to_themselves(app, client, login, samira):
    login("admin@demo.org")
    client.post(f"/admin/break-glass/case_note/{samira['notes']['priya_private']}/", data={"reason": "Secret reason text."})
    client.get(f"/admin/clients/{samira['id']}/?tab=notes")
    client.post("/logout")
    login("worker3@demo.org")
    page = text(client.get(f"/admin/clients/{samira['id']}/?tab=audit"))
    assert "Break-glass opening" in page and "Secret reason text" not in page
    assert "restricted record" in page  # Priya's private note: named as a record, its fields not listed


def test_a_reason_of_spaces_is_no_reason(app, client, login, samira):
    login("worker2@demo.org")
    response = client.post(f"/admin/break-glass/case_note/{samira['notes']['wei_private']}/", data={"reason": "         x"})
    assert response.status_code == 403 and "10 to 1000 characters" in text(response)


@pytest.fixture
def private_group_form(app, samira):
    """Samira's session as an I&O group activity whose attendee form is Wei's private form."""
    from custom_pages.attendee_panel import attendee_spec

    session_id, form_id = samira["private_form"]
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        table = ServiceSession.__table__  # a session holding forms keeps its type: set it underneath the model
        db.session.execute(table.update().where(table.c.id == session_id).values(session_type="io_group"))
        session = db.session.get(ServiceSession, session_id)
        db.session.refresh(session)
        session.program_id = None
        kind = attendee_spec(session).kind
        for form in list(session.forms):
            if form.id != form_id:
                session.forms.remove(form)
        db.session.get(ServiceForm, form_id).kind = kind
        db.session.commit()
        data = dict(db.session.get(ServiceForm, form_id).data)
    return session_id, form_id, kind, data


def form_data(app, form_id):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        return dict(db.session.get(ServiceForm, form_id).data)


def test_break_glass_cannot_delete_through_the_session_or_the_attendee_list(app, client, login, samira):
    session_id, form_id = samira["private_form"]
    login("admin@demo.org")
    client.post(f"/admin/break-glass/service_form/{form_id}/", data={"reason": "Checking a complaint about this file."})
    client.post("/admin/sessions/delete/", data={"id": session_id})
    client.post("/admin/sessions/action/", data={"action": "delete", "rowid": [str(session_id)]})
    removed = client.post(f"/admin/sessions/{session_id}/clients/{samira['id']}/remove/")
    assert removed.status_code in (302, 403)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert db.session.get(ServiceSession, session_id) is not None and db.session.get(ServiceForm, form_id) is not None
        assert [a.client_id for a in db.session.get(ServiceSession, session_id).attendees] == [samira["id"]]


def test_the_attendee_panel_leaves_forms_seen_through_break_glass_alone(app, client, login, private_group_form):
    from tests.sessions_helpers import complete_answers

    session_id, form_id, kind, before = private_group_form
    login("admin@demo.org")
    client.post(f"/admin/break-glass/service_form/{form_id}/", data={"reason": "Checking a complaint about this file."})
    response = client.post(f"/admin/sessions/{session_id}/attendees/", data=complete_answers(kind))
    assert response.status_code in (302, 403)
    assert form_data(app, form_id) == before


def test_the_attendee_panel_skips_a_form_hidden_from_me_without_an_error(app, client, login, private_group_form):
    from tests.sessions_helpers import complete_answers

    session_id, form_id, kind, before = private_group_form
    login("worker3@demo.org")
    response = client.post(f"/admin/sessions/{session_id}/attendees/", data=complete_answers(kind))
    assert response.status_code == 302
    assert "1 attendee form(s) of another program or private were left as they are" in text(client.get(response.location))
    assert form_data(app, form_id) == before
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert len(db.session.get(ServiceSession, session_id).forms) == 1  # no duplicate was made


def test_a_direct_write_to_a_record_seen_through_break_glass_is_refused_centrally(app, client, login, samira):
    """Whatever page makes it: the flush guard refuses the write and nothing is saved."""
    from flask_login import login_user

    from models.visibility import ReadOnlyRecord, forget_viewer

    note_id = samira["notes"]["wei_private"]
    with app.test_request_context():
        with tenant_scope(ALL_AGENCIES):
            admin = db.session.scalar(select(Staff).where(Staff.email == "admin@demo.org"))
        login_user(admin)
        db.session.add(BreakGlassGrant(staff_id=admin.id, record_type="case_note", record_id=note_id, reason="A reason given."))
        db.session.commit()
        forget_viewer()  # as the break-glass page does once it has granted
        note = db.session.get(CaseNote, note_id)
        assert note is not None
        note.body = "Rewritten through break-glass"
        with pytest.raises(ReadOnlyRecord):
            db.session.commit()
        db.session.rollback()
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert "family violence" in db.session.get(CaseNote, note_id).body

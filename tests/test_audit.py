"""The audit trail: every write leaves a row (checked against an independent record of the
writes), views are recorded, secrets and private content are not copied, rows are immutable,
and only agency admins read the trail of their own agency."""

import io
import re

import pytest
from sqlalchemy import delete, event, inspect, select, update
from sqlalchemy.orm import Mapper

from extensions import db
from models import ALL_AGENCIES, Agency, AgencyOwned, AuditEvent, CaseNote, Client, Staff, tenant_scope
from models.audit import NOT_AUDITED, SKIPPED_FIELDS, record_type_of
from tests.conftest import csv_body, demo_agency, demo_staff, text
from tests.sessions_helpers import complete_answers, form_id, new_session
from tests.test_registration import register

pytestmark = pytest.mark.usefixtures("demo")


def events(app, **where):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        query = select(AuditEvent).filter_by(**where).order_by(AuditEvent.id)
        rows = db.session.scalars(query).all()
        for row in rows:
            _ = row.staff
            db.session.expunge(row)
        return rows


@pytest.fixture
def writes():
    """Every row INSERTed, UPDATEd (with a real change) or DELETEd, seen by mapper events:
    a mechanism independent of the audit hook's session-level view."""
    seen = set()

    def audited(target):
        return type(target).__name__ not in NOT_AUDITED and isinstance(target, AgencyOwned | Agency)

    def on_insert(mapper, connection, target):
        if audited(target):
            seen.add(("create", record_type_of(target), target.id))

    def on_update(mapper, connection, target):
        state = inspect(target)
        changed = [a.key for a in mapper.column_attrs if a.key not in SKIPPED_FIELDS and state.attrs[a.key].history.has_changes()]
        if audited(target) and changed:
            seen.add(("update", record_type_of(target), target.id))

    def on_delete(mapper, connection, target):
        if audited(target):
            seen.add(("delete", record_type_of(target), target.id))

    hooks = (("after_insert", on_insert), ("after_update", on_update), ("after_delete", on_delete))
    for name, hook in hooks:
        event.listen(Mapper, name, hook)
    yield seen
    for name, hook in hooks:
        event.remove(Mapper, name, hook)


def test_every_write_through_the_pages_leaves_an_audit_row(app, client, login, writes, upload_folder):
    """Registration, the dashboard's actions, a session with forms, and admin grids."""
    worker = login("worker@demo.org")
    me = demo_staff(app, "worker@demo.org")
    assert register(app, worker).status_code == 302
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        person = db.session.scalar(select(Client.id).where(Client.last_name == "Okonkwo"))
    base = f"/admin/clients/{person}"
    worker.post(f"{base}/notes/", data={"body": "First note"})
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        note = db.session.scalar(select(CaseNote.id).where(CaseNote.client_id == person))
    worker.post(f"{base}/notes/{note}/edit/", data={"body": "First note, edited"})
    worker.post(f"{base}/notes/{note}/delete/")
    worker.post(f"{base}/files/", data={"file": (io.BytesIO(b"hello"), "a.txt"), "description": "letter"})
    worker.post(f"{base}/flag/", data={"reason": "Do not call after 6 pm"})
    worker.post(f"{base}/assign/", data={"staff": [str(me.id)]})
    worker.post(f"{base}/archive/", data={"archived": "1"})
    session_id = new_session(app, worker, me.id, client_id=str(person))
    io_form = form_id(app, session_id, "io")
    worker.post(f"/admin/sessions/{session_id}/forms/{io_form}/", data=complete_answers("io"))
    worker.post(f"/admin/sessions/{session_id}/forms/{io_form}/remove/")
    worker.post("/logout")
    admin = login("admin@demo.org")
    admin.post("/admin/sites/new/", data={"name": "Audit Site", "kind": "school", "city": "Toronto"})
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        from models import Site

        site = db.session.scalar(select(Site.id).where(Site.name == "Audit Site"))
    admin.post(f"/admin/sites/edit/?id={site}", data={"name": "Audit Site 2", "kind": "school", "city": "Ottawa"})
    admin.post("/admin/sites/delete/", data={"id": site})
    assert len(writes) >= 15
    recorded = {(e.action, e.record_type, e.record_id) for e in events(app)}
    missing = writes - recorded
    assert not missing, f"writes without an audit row: {sorted(missing)}"
    kinds = {kind for _, kind, _ in writes}
    assert {"client", "case_note", "client_file", "safety_flag", "service_session", "service_form", "site"} <= kinds


def test_a_change_records_who_where_and_old_and_new_values(app, client, login):
    worker = login("worker@demo.org")
    register(app, worker)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        person = db.session.scalar(select(Client.id).where(Client.last_name == "Okonkwo"))
    worker.post(f"/admin/clients/{person}/notes/", data={"body": "Needs a family doctor"})
    note = events(app, record_type="case_note", action="create")[0]
    worker.post(f"/admin/clients/{person}/notes/{note.record_id}/edit/", data={"body": "Has a family doctor now"})
    (change,) = events(app, record_type="case_note", action="update")
    assert change.staff.email == "worker@demo.org" and change.remote_addr == "127.0.0.1"
    assert change.source == "clients.edit_note" and change.client_id == person
    assert change.changes == {"body": ["Needs a family doctor", "Has a family doctor now"]}
    (created,) = events(app, record_type="client", action="create", record_id=person)
    assert created.changes["first_name"] == [None, "Amani"] and created.client_id == person


def test_form_answers_are_recorded_per_field(app, client, login, me, make):
    person = make.client(demo_agency(app, "DEMO"))
    worker = login("worker@demo.org")
    session_id = new_session(app, worker, me.id, client_id=str(person.id))
    row = form_id(app, session_id, "io")
    worker.post(f"/admin/sessions/{session_id}/forms/{row}/", data=complete_answers("io"))
    (saved,) = events(app, record_type="service_form", action="update")
    assert any(key.startswith("data.") for key in saved.changes)
    assert saved.changes["is_complete"] == [False, True]


def test_private_content_and_secrets_are_not_copied_into_the_trail(app, client, login, make):
    worker = login("worker@demo.org")
    person = make.client(demo_agency(app, "DEMO"))
    worker.post(f"/admin/clients/{person.id}/notes/", data={"body": "Disclosed a health condition", "is_private": "y"})
    (created,) = events(app, record_type="case_note", action="create")
    assert created.changes["body"] == ["[private]", "[private]"] and created.changes["is_private"] == [None, True]
    assert "health condition" not in str(created.changes)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        staff = db.session.scalar(select(Staff).where(Staff.email == "worker2@demo.org"))
        staff.set_password("a brand new passphrase 42")
        db.session.commit()
        staff_id = staff.id
    (changed,) = events(app, record_type="staff", action="update", record_id=staff_id)
    assert changed.changes["password_hash"] == ["", "changed"] and changed.changes["session_token"] == ["", "changed"]
    assert "argon2" not in str(changed.changes)


def test_views_of_the_dashboard_and_a_form_are_recorded(app, client, login, me, make):
    person = make.client(demo_agency(app, "DEMO"))
    worker = login("worker@demo.org")
    worker.get(f"/admin/clients/{person.id}/?tab=notes")
    session_id = new_session(app, worker, me.id, client_id=str(person.id))
    row = form_id(app, session_id, "io")
    worker.get(f"/admin/sessions/{session_id}/forms/{row}/")
    views = events(app, action="view")
    assert [(v.record_type, v.client_id) for v in views] == [("client", person.id), ("service_form", person.id)]
    assert views[0].detail == "dashboard: Case notes" and views[1].staff.email == "worker@demo.org"


def test_audit_rows_cannot_be_changed_or_deleted(app, client, login, make):
    person = make.client(demo_agency(app, "DEMO"))
    (row,) = events(app, record_type="client", record_id=person.id)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        event_row = db.session.get(AuditEvent, row.id)
        event_row.detail = "rewritten"
        with pytest.raises(PermissionError):
            db.session.commit()
        db.session.rollback()
        db.session.delete(db.session.get(AuditEvent, row.id))
        with pytest.raises(PermissionError):
            db.session.commit()
        db.session.rollback()
        for statement in (update(AuditEvent).values(detail="x"), delete(AuditEvent)):
            with pytest.raises(PermissionError):
                db.session.execute(statement)
            db.session.rollback()
    assert events(app, id=row.id)[0].detail == ""
    admin = login("admin@demo.org")
    for response in (
        admin.get(f"/admin/audit/edit/?id={row.id}"),
        admin.post("/admin/audit/delete/", data={"id": row.id}),
        admin.get("/admin/audit/new/"),
    ):
        assert response.status_code in (403, 404)
    assert len(events(app, id=row.id)) == 1


def test_only_agency_admins_read_the_trail_of_their_own_agency(app, client, login, make):
    mine = make.client(demo_agency(app, "DEMO"), first_name="Visible", last_name="Trail")
    theirs = make.client(demo_agency(app, "OTHER"), first_name="Hidden", last_name="Elsewhere")
    for email in ("worker@demo.org", "coordinator@demo.org"):
        login(email)
        assert client.get("/admin/audit/").status_code == 403
        client.post("/logout")
    admin = login("admin@demo.org")
    page = text(admin.get("/admin/audit/"))
    assert "Visible" in page and "Hidden" not in page and "Elsewhere" not in page
    (other_event,) = events(app, client_id=theirs.id)
    assert admin.get(f"/admin/audit/details/?id={other_event.id}").status_code == 404
    filtered = text(admin.get(f"/admin/audit/?flt0_0={mine.id}"))
    assert "Visible" in filtered
    export = csv_body(admin.get("/admin/audit/export/csv/"))
    assert export.splitlines()[0].startswith("When (UTC),Staff,Action") and str(mine.id) in export
    assert "Hidden" not in export and "Elsewhere" not in export


def test_the_client_tab_shows_who_viewed_and_changed_without_values(app, client, login, make):
    person = make.client(demo_agency(app, "DEMO"), comments="Prefers mornings")
    login("worker2@demo.org")
    client.get(f"/admin/clients/{person.id}/")
    client.post("/logout")
    login("worker@demo.org")
    page = text(client.get(f"/admin/clients/{person.id}/?tab=audit"))
    assert "Priya Raman" in page and "Viewed" in page and "Created" in page
    assert "Comments" in page and "Prefers mornings" not in page  # field labels, never values
    assert re.search(r"cli|tests|Wei Zhang", page)


def test_a_sign_in_is_recorded_as_the_person_signing_in(app, client, login):
    login("worker2@demo.org")
    staff = demo_staff(app, "worker2@demo.org")
    (signed_in,) = events(app, record_type="staff", record_id=staff.id, action="update")
    assert signed_in.staff_id == staff.id and "last_sign_in_at" in signed_in.changes and signed_in.source == "auth.login"


def test_content_written_before_a_record_became_private_leaves_the_trail(app, client, login, make):
    person = make.client(demo_agency(app, "DEMO"))
    worker = login("worker@demo.org")
    worker.post(f"/admin/clients/{person.id}/notes/", data={"body": "TOPSECRET first version", "program_id": ""})
    (created,) = events(app, record_type="case_note", action="create")
    edit = f"/admin/clients/{person.id}/notes/{created.record_id}/edit/"
    worker.post(edit, data={"body": "TOPSECRET second version", "program_id": "", "is_private": "y"})
    worker.post(edit, data={"body": "Now open again", "program_id": ""})  # un-ticked: the old private text stays out
    worker.post(edit, data={"body": "Open and edited", "program_id": ""})  # from now on values are kept again
    trail = str([e.changes for e in events(app, record_type="case_note")])
    assert "TOPSECRET" not in trail and "['Now open again', 'Open and edited']" in trail
    admin = login("admin@demo.org")
    assert "TOPSECRET" not in text(admin.get(f"/admin/audit/?flt0_0={person.id}"))


def test_the_trail_shows_recorded_values_in_the_readers_language(app):
    """Stored English values and codes read in French on the trail; free text stays as typed."""
    from admin_views.audit import shown_value

    with app.test_request_context(headers={"Accept-Language": "fr-CA"}):
        assert shown_value("gender", "Female") == "Femme"
        assert shown_value("session_token", "changed") == "modifié"
        assert shown_value("data.client_attended", "Yes") == "Oui"
        assert shown_value("data.childminding_age", "Infant (6-18 months)") == "Nourrisson (6 à 18 mois)"
        assert shown_value("delivery_method", "In Person") == "En personne"
        assert shown_value("session_type", "language_training") not in ("language_training", "")
        assert shown_value("note", "Called the landlord") == "Called the landlord"
        assert shown_value("is_private", True) == "Oui" and shown_value("phone", None) == "—"
    with app.test_request_context():
        assert shown_value("gender", "Female") == "Female" and shown_value("session_token", "changed") == "changed"

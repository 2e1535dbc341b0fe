"""The rules under each principal (models/principal.py): staff of each role, system jobs with and
without a declaration, a portal client, and nobody. Records come from the access sweep's
fixture: one of each audience (tests/access_fixtures.py)."""

import re

import pytest
from sqlalchemy import func, select

from extensions import db
from models import (
    ALL_AGENCIES,
    AuditEvent,
    CaseNote,
    Client,
    ClientFile,
    Declaration,
    Principal,
    ReadOnlyRecord,
    RecordNotFound,
    ServiceForm,
    ServiceSession,
    Staff,
    TenantViolation,
    acting_as,
    tenant_scope,
)
from models.principal import ALL, NONE, OPEN
from models.retention import RETENTION
from models.visibility import refuse, require_change
from tests.access_fixtures import build

pytestmark = pytest.mark.usefixtures("demo")
MARKER = re.compile(r"SECRET-([A-Z-]+?)-\d+")
RESTRICTED = (ServiceForm, ServiceSession, CaseNote, ClientFile)
TEXT = {
    ServiceForm: lambda r: str(r.data),
    ServiceSession: lambda r: r.notes,
    CaseNote: lambda r: r.body,
    ClientFile: lambda r: r.description,
}


@pytest.fixture
def records(app, upload_folder):
    return build(app, upload_folder)


def audiences_seen(model):
    """The audiences of the ``model`` records the current principal loads."""
    rows = db.session.scalars(select(model)).all()
    return {audience for row in rows for audience in MARKER.findall(TEXT[model](row) or "")}


def seen(app, scope):
    """What ``scope()`` (a context manager: whoever acts) loads of each restricted model."""
    with app.app_context():
        with scope():
            return {model.__name__: audiences_seen(model) for model in RESTRICTED}


def demo_id(records):
    return records.ids["agencies"]["DEMO"]


def staff_principal(email):
    def scope():
        with tenant_scope(ALL_AGENCIES):
            staff = db.session.scalar(select(Staff).where(Staff.email == email))
        return acting_as(Principal.staff(staff))

    return scope


@pytest.mark.parametrize(
    "email, audiences",
    [
        ("worker@demo.org", {"DEMO-AGENCY", "PROGRAM", "PRIVATE"}),
        ("worker2@demo.org", {"DEMO-AGENCY"}),
        ("coordinator@demo.org", {"DEMO-AGENCY", "PROGRAM", "PRIVATE"}),
        ("admin@demo.org", {"DEMO-AGENCY", "PROGRAM", "LT-PROGRAM"}),
        ("admin@other.org", {"OTHER-AGENCY"}),
    ],
)
def test_staff_of_each_role_see_what_their_role_and_programs_allow(app, records, email, audiences):
    for model, found in seen(app, staff_principal(email)).items():
        assert found <= audiences, (model, found)
    assert seen(app, staff_principal(email))["CaseNote"] == audiences


def test_a_job_with_no_declaration_sees_no_private_and_no_program_record(app, records):
    found = seen(app, lambda: tenant_scope(demo_id(records)))
    assert found["CaseNote"] == found["ClientFile"] == {"DEMO-AGENCY"}
    assert "PRIVATE" not in found["ServiceForm"] and "PROGRAM" not in found["ServiceForm"]
    assert found["ServiceSession"] == {"DEMO-AGENCY"}


def test_a_job_sees_what_it_declares_and_nothing_more(app, records):
    notifications = Declaration.of("notifications", service_session=OPEN, service_form=NONE, case_note=NONE, client_file=NONE)
    found = seen(app, lambda: tenant_scope(demo_id(records), notifications))
    assert found == {
        "ServiceForm": set(),
        "ServiceSession": {"DEMO-AGENCY", "PROGRAM", "LT-PROGRAM"},
        "CaseNote": set(),
        "ClientFile": set(),
    }
    icare = Declaration.of("icare-export", service_form=ALL, service_session=ALL, case_note=NONE, client_file=NONE)
    found = seen(app, lambda: tenant_scope(demo_id(records), icare))
    assert found["ServiceForm"] == {"PROGRAM", "PRIVATE", "LT-PROGRAM"} and found["CaseNote"] == set()


def test_retention_declares_every_record_of_the_agency_and_no_other_agency(app, records):
    found = seen(app, lambda: tenant_scope(demo_id(records), RETENTION))
    assert found["CaseNote"] == found["ClientFile"] == {"DEMO-AGENCY", "PROGRAM", "PRIVATE", "LT-PROGRAM"}


def test_an_unknown_read_is_refused_when_declared():
    with pytest.raises(ValueError):
        Declaration.of("typo", case_notes=ALL)
    with pytest.raises(ValueError):
        Declaration.of("typo", case_note="everything")


def test_nobody_acting_sees_and_writes_nothing_of_an_agency(app, records):
    with app.app_context():
        assert db.session.scalar(select(func.count(Client.id))) == 0
        assert db.session.scalars(select(CaseNote)).all() == []
        db.session.add(CaseNote(client_id=records.ids["client"], body="x"))
        with pytest.raises(TenantViolation):
            db.session.flush()
        db.session.rollback()


def test_a_portal_client_sees_their_own_profile_and_nothing_else(app, records):
    client_id = records.ids["client"]
    with app.app_context():
        with tenant_scope(ALL_AGENCIES):
            client = db.session.get(Client, client_id)
            principal = Principal.portal_client(client)
            assigned = sorted(a.staff_id for a in client.assignments)
        with acting_as(principal):
            assert db.session.scalars(select(Client.id)).all() == [client_id]
            # of the staff, only those assigned to the client (their names on the portal's Overview)
            assert sorted(db.session.scalars(select(Staff.id))) == assigned and assigned
            for model in RESTRICTED:
                assert db.session.scalars(select(model)).all() == [], model
            assert db.session.get(Client, client_id).safety_flags == []


def test_a_job_writes_only_what_it_may_read(app, records):
    """An undeclared job cannot change or delete a Private note; retention can."""
    with app.app_context():
        with tenant_scope(ALL_AGENCIES):
            note_id = db.session.scalar(select(CaseNote.id).where(CaseNote.is_private, CaseNote.agency_id == demo_id(records)))
        with tenant_scope(demo_id(records)):
            assert db.session.get(CaseNote, note_id) is None
        with tenant_scope(demo_id(records), RETENTION):
            note = db.session.get(CaseNote, note_id)
            note.body = "[removed]"
            db.session.commit()
        reads_open = Declaration.of("tidy", case_note=OPEN)
        with tenant_scope(demo_id(records), reads_open):
            open_note = db.session.scalars(select(CaseNote)).first()
            db.session.delete(open_note)
            with pytest.raises(ReadOnlyRecord):
                db.session.flush()
            db.session.rollback()


def test_audit_rows_name_the_principal_and_a_jobs_declaration(app, records):
    with app.app_context():
        declaration = Declaration.of("tidy", case_note=ALL)
        with tenant_scope(demo_id(records), declaration):
            note = db.session.scalars(select(CaseNote)).first()
            note.body = "tidied"
            db.session.commit()
        with tenant_scope(ALL_AGENCIES):
            row = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert row.record_type == "case_note" and row.staff_id is None
        assert row.acting_as == "system: tidy (case_note=all)"


def test_models_refuse_with_domain_exceptions_not_http(app, records):
    """``refuse`` and ``require_change`` raise; the app maps them to 404 and 403 pages."""
    with app.app_context(), tenant_scope(demo_id(records)):
        with pytest.raises(RecordNotFound):
            refuse(Client, 10**6)
        note = db.session.scalars(select(CaseNote)).first()
        require_change(note)  # a job that sees it may change it


def test_the_app_answers_a_domain_refusal_with_its_page(client, login, records):
    login("worker@demo.org")
    response = client.get(f"/admin/clients/{records.ids['client']}/notes/{10**6}/edit/")
    assert response.status_code == 404

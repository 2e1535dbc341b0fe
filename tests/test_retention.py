"""apply-retention: the dry run lists and changes nothing; the run anonymises exactly the clients
inactive for longer than the agency's period, keeps what past reports count, removes stored
files, redacts the audit values about them, and is idempotent."""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from extensions import db
from models import (
    ALL_AGENCIES,
    AgencyQuestion,
    AuditEvent,
    BreakGlassGrant,
    CaseNote,
    Client,
    ClientFile,
    ConsentRecord,
    EmergencyContact,
    Notification,
    SafetyFlag,
    ServiceForm,
    ServiceSession,
    SessionClient,
    tenant_scope,
)
from models.break_glass import notice_key
from models.retention import ANONYMISED_NAMES, REDACTED_CHANGE, REMOVED, months_before

LONG_AGO = datetime(2019, 3, 5, 10, 0)


def recently():
    """Twenty days ago, read when the test runs."""
    return datetime.combine(date.today() - timedelta(days=20), datetime.min.time())


@pytest.fixture
def world(app, make, upload_folder):
    """An agency keeping 24 months (an old client with everything, an old anonymous client, an
    old client seen recently, a new client) and an agency with no period (an old client)."""
    agency = make.agency(retention_months=24)
    site, staff = make.site(agency, postal_code="M5V 2T6"), make.staff(agency)
    old = make.client(
        agency,
        first_name="Layla",
        last_name="Haddad",
        preferred_name="Lulu",
        date_of_birth=date(1988, 5, 3),
        phone="416-555-0111",
        email="layla@example.com",
        street_no="12",
        street_name="Elm",
        unit="4",
        postal_code="M6H 1V9",
        city="Toronto",
        country_of_birth="Syria",
        immigration_status="Refugee Claimant",
        ircc_id_type="UCI",
        ircc_id_value="12345678",
        family_code="F-ABC234",
        comments="Fled with her brother",
        registration_date=LONG_AGO.date(),
        updated_at=LONG_AGO,
        created_at=LONG_AGO,
    )
    question = make._save(AgencyQuestion(agency_id=agency.id, target="non_specified", label="Anything else?"))
    coded = make._save(AgencyQuestion(agency_id=agency.id, target="non_specified", label="Heard of us", answer_type="yesno"))
    for row in (
        EmergencyContact(agency_id=agency.id, client_id=old.id, name="Omar Haddad", relationship="Brother", phone="416-555-0199"),
        SafetyFlag(
            agency_id=agency.id, client_id=old.id, reason="Abusive ex-partner", flagged_by_id=staff.id, flagged_at=LONG_AGO
        ),
        CaseNote(
            agency_id=agency.id,
            client_id=old.id,
            author_id=staff.id,
            body="Talked about her asylum hearing",
            created_at=LONG_AGO,
            updated_at=LONG_AGO,
        ),
        ConsentRecord(
            agency_id=agency.id,
            client_id=old.id,
            kind="privacy",
            given=True,
            statement_version=1,
            recorded_at=LONG_AGO,
            note="read in Arabic",
        ),
        AuditEvent(
            agency_id=agency.id,
            action="update",
            record_type="client",
            record_id=old.id,
            client_id=old.id,
            changes={"first_name": ["Laila", "Layla"]},
        ),
    ):
        make._save(row)
    (upload_folder / "storedold").write_bytes(b"%PDF-1.4 passport")
    old_file = make._save(
        ClientFile(
            agency_id=agency.id,
            client_id=old.id,
            original_name="layla-passport.pdf",
            stored_name="storedold",
            content_type="application/pdf",
            size=17,
            description="Passport",
            uploaded_by_id=staff.id,
            uploaded_at=LONG_AGO,
        )
    )
    session = make._save(
        ServiceSession(
            agency_id=agency.id,
            service_date=LONG_AGO.date(),
            site_id=site.id,
            lead_staff_id=staff.id,
            created_by_id=staff.id,
            minutes=30,
            notes="Layla was scared of her ex",
            created_at=LONG_AGO,
            updated_at=LONG_AGO,
        )
    )
    make._save(SessionClient(agency_id=agency.id, session_id=session.id, client_id=old.id))
    answers = {
        "start_dt": "2019-03-05",
        "service_language_id": "English",
        "description": "Helped Layla with her hearing papers",
        "notes": "Brother's number 416-555-0199",
        "support_received_ind": "No",
        question.key: "Her cousin told her",
        coded.key: "Yes",
        "q999999": "an answer to a question that was deleted",
    }
    form = make._save(
        ServiceForm(
            agency_id=agency.id,
            session_id=session.id,
            client_id=old.id,
            kind="non_specified",
            author_id=staff.id,
            data=answers,
            is_complete=True,
            created_at=LONG_AGO,
            updated_at=LONG_AGO,
        )
    )
    old_anonymous = make.client(
        agency, kind="anonymous", comments="Shelter on Queen St", registration_date=LONG_AGO.date(), updated_at=LONG_AGO
    )
    seen_lately = make.client(
        agency, first_name="Sami", last_name="Recent", registration_date=LONG_AGO.date(), updated_at=LONG_AGO
    )
    recent_session = make._save(
        ServiceSession(
            agency_id=agency.id,
            service_date=recently().date(),
            site_id=site.id,
            lead_staff_id=staff.id,
            created_by_id=staff.id,
            minutes=30,
            notes="Sami's session",
        )
    )
    make._save(SessionClient(agency_id=agency.id, session_id=recent_session.id, client_id=seen_lately.id))
    noted_lately = make.client(
        agency, first_name="Nadia", last_name="Noted", registration_date=LONG_AGO.date(), updated_at=LONG_AGO
    )
    make._save(
        CaseNote(
            agency_id=agency.id,
            client_id=noted_lately.id,
            author_id=staff.id,
            body="Called",
            created_at=recently(),
            updated_at=recently(),
        )
    )
    new = make.client(agency, first_name="Nour", last_name="New")
    keeper = make.agency()
    untouched = make.client(
        keeper, first_name="Kept", last_name="Forever", registration_date=LONG_AGO.date(), updated_at=LONG_AGO
    )
    return dict(
        agency=agency,
        keeper=keeper,
        old=old,
        old_anonymous=old_anonymous,
        seen_lately=seen_lately,
        noted_lately=noted_lately,
        new=new,
        untouched=untouched,
        form=form,
        session=session,
        recent_session=recent_session,
        file=old_file,
    )


def load(app, model, row_id):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        row = db.session.get(model, row_id)
        db.session.expunge(row)
        return row


def snapshot(app, agency_ids):
    """Every client row and the counts reports depend on, per agency."""
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        clients = db.session.execute(select(Client.__table__).where(Client.agency_id.in_(agency_ids)).order_by(Client.id)).all()
        counts = {
            model.__name__: db.session.scalar(select(func.count()).select_from(model).where(model.agency_id.in_(agency_ids)))
            for model in (ServiceSession, SessionClient, ServiceForm, CaseNote, ClientFile, ConsentRecord)
        }
        return [tuple(row) for row in clients], counts


def retention(runner, *args):
    result = runner.invoke(args=["apply-retention", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_months_before_keeps_the_day_or_the_end_of_a_shorter_month():
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2026, 1, 15), 24) == date(2024, 1, 15)
    assert months_before(date(2026, 1, 15), 13) == date(2024, 12, 15)


def test_dry_run_lists_the_inactive_clients_and_writes_nothing(app, runner, world, upload_folder):
    agency_ids = [world["agency"].id, world["keeper"].id]
    before = snapshot(app, agency_ids)
    output = retention(runner, "--dry-run")
    assert "2 client(s) would be anonymised" in output
    assert f"C{world['old'].id:06d}" in output and f"C{world['old_anonymous'].id:06d}" in output
    for name in ("seen_lately", "noted_lately", "new", "untouched"):
        assert f"C{world[name].id:06d}" not in output
    assert f"{world['keeper'].code}: no retention period set" in output
    assert snapshot(app, agency_ids) == before
    assert (upload_folder / "storedold").exists()


def test_run_anonymises_exactly_the_inactive_clients(app, runner, world, upload_folder):
    _, counts_before = snapshot(app, [world["agency"].id])
    output = retention(runner)
    assert "2 client(s) anonymised" in output and "1 stored files" in output
    old = load(app, Client, world["old"].id)
    assert (old.first_name, old.last_name) == ANONYMISED_NAMES and old.kind == "named" and old.anonymised_at
    assert old.date_of_birth == date(1988, 1, 1) and old.postal_code == "M6H"
    for name in (
        "preferred_name",
        "phone",
        "email",
        "street_no",
        "street_name",
        "unit",
        "ircc_id_value",
        "family_code",
        "comments",
    ):
        assert getattr(old, name) is None, name
    assert (old.country_of_birth, old.immigration_status, old.city, old.gender) == (
        "Syria",
        "Refugee Claimant",
        "Toronto",
        "Female",
    )
    assert old.registration_date == LONG_AGO.date() and old.search_text.strip() == ""
    anonymous = load(app, Client, world["old_anonymous"].id)
    assert anonymous.anonymised_at and anonymous.comments is None and anonymous.kind == "anonymous"
    for name in ("seen_lately", "noted_lately", "new"):
        assert load(app, Client, world[name].id).anonymised_at is None
    untouched = load(app, Client, world["untouched"].id)
    assert (untouched.first_name, untouched.anonymised_at) == ("Kept", None)
    assert snapshot(app, [world["agency"].id])[1] == counts_before  # sessions, attendance, forms, notes, files stay


def test_run_removes_free_text_and_keeps_coded_answers(app, runner, world, upload_folder):
    retention(runner)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        old_id = world["old"].id
        assert db.session.scalars(select(EmergencyContact).where(EmergencyContact.client_id == old_id)).all() == []
        assert [f.reason for f in db.session.scalars(select(SafetyFlag).where(SafetyFlag.client_id == old_id))] == [REMOVED]
        assert [n.body for n in db.session.scalars(select(CaseNote).where(CaseNote.client_id == old_id))] == [REMOVED]
        assert [c.note for c in db.session.scalars(select(ConsentRecord).where(ConsentRecord.client_id == old_id))] == [""]
        stored = db.session.get(ClientFile, world["file"].id)
        assert (stored.original_name, stored.description, stored.deleted_at is not None) == (f"file-{stored.id}", "", True)
        form = db.session.get(ServiceForm, world["form"].id)
        coded = [k for k in form.data if k.startswith("q")]
        assert form.is_complete and set(form.data) == {"start_dt", "service_language_id", "support_received_ind", *coded}
        assert len(coded) == 1 and form.data[coded[0]] == "Yes"
        assert db.session.get(ServiceSession, world["session"].id).notes is None  # attended alone
        assert db.session.get(ServiceSession, world["recent_session"].id).notes == "Sami's session"
        audit = db.session.scalars(
            select(AuditEvent).where(AuditEvent.client_id == old_id, AuditEvent.action != "anonymise")
        ).all()
        assert audit and all(value == REDACTED_CHANGE for row in audit for value in row.changes.values())
        assert any("first_name" in row.changes for row in audit)  # the field names stay
        assert (
            db.session.scalar(select(func.count()).where(AuditEvent.client_id == old_id, AuditEvent.action == "anonymise")) == 1
        )
    assert not (upload_folder / "storedold").exists()


def test_run_is_idempotent(app, runner, world, upload_folder):
    retention(runner)
    after_first = snapshot(app, [world["agency"].id, world["keeper"].id])
    assert "0 client(s) anonymised" in retention(runner)
    assert snapshot(app, [world["agency"].id, world["keeper"].id]) == after_first


def test_one_agency_only_and_an_unknown_code(app, runner, world, make):
    other = make.agency(retention_months=12)
    stale = make.client(other, first_name="Other", last_name="Stale", registration_date=LONG_AGO.date(), updated_at=LONG_AGO)
    output = retention(runner, "--agency", other.code.lower())
    assert "1 client(s) anonymised" in output and [line.split(":")[0] for line in output.splitlines()] == [other.code]
    assert load(app, Client, stale.id).anonymised_at and load(app, Client, world["old"].id).anonymised_at is None
    result = runner.invoke(args=["apply-retention", "--agency", "NOPE"])
    assert result.exit_code != 0 and "no agency with the code" in result.output


def test_break_glass_reasons_about_an_anonymised_client_go(app, runner, world, make):
    """Who opened what, and when, stays; the reason (often about the client) is removed."""
    opener = make.staff(world["agency"])
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        about = {"agency_id": world["agency"].id, "client_id": world["old"].id}
        grant = BreakGlassGrant(staff_id=opener.id, record_type="case_note", record_id=1, reason="She told me about X", **about)
        event = AuditEvent(
            staff_id=opener.id, action="break_glass", record_type="case_note", record_id=1, detail="She told me about X", **about
        )
        db.session.add_all([grant, event])
        db.session.flush()
        notice = Notification(
            agency_id=world["agency"].id, staff_id=opener.id, kind="break_glass", channel="email", status="sent",
            dedupe_key=notice_key(grant, opener), language="en", to_address=opener.email,
            subject="A restricted case note of Old Client was opened", body_text="Reason: She told me about X",
        )  # fmt: skip
        other = Notification(
            agency_id=world["agency"].id, staff_id=opener.id, kind="break_glass", channel="email", status="sent",
            dedupe_key=f"break_glass:{grant.id + 1}:{opener.id}", language="en", to_address=opener.email,
            subject="Another opening", body_text="Reason: another client's crisis",
        )  # fmt: skip
        db.session.add_all([notice, other])
        db.session.commit()
        grant_id, event_id, notice_id, other_id = grant.id, event.id, notice.id, other.id
    retention(runner)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert db.session.get(BreakGlassGrant, grant_id).reason == REMOVED
        kept = db.session.get(AuditEvent, event_id)
        assert (kept.detail, kept.staff_id, kept.action) == (REMOVED, opener.id, "break_glass")
        told = db.session.get(Notification, notice_id)
        assert (told.subject, told.body_text, told.status, told.kind) == (REMOVED, REMOVED, "sent", "break_glass")
        assert db.session.get(Notification, other_id).body_text == "Reason: another client's crisis"

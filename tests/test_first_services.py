"""The stored completeness flags and first services (``models/first_services.py``) follow every
write that can change them: a session completed, made incomplete, moved in time or to a program,
deleted; an attendee absent, removed or added; a merge of clients and its undo; and the backfill
gives what the writes kept."""

from datetime import date

import pytest
from sqlalchemy import delete, select, update

from extensions import db
from models import ALL_AGENCIES, Client, ServiceForm, ServiceSession, SessionClient, Staff, tenant_scope
from models.client_merges import merge_clients, undo_merge
from models.completeness import is_complete_clause
from models.first_services import AT_AGENCY, ClientFirstService, refresh_all
from tests.reports_dataset import build, form, session
from tests.sessions_helpers import complete_answers


@pytest.fixture
def data(app, make):
    return build(app, make)


def stored(client_id):
    """The client's stored first services, once every session's stored flag is checked."""
    flags_agree()
    rows = db.session.execute(
        select(ClientFirstService.program_key, ClientFirstService.first_date).where(ClientFirstService.client_id == client_id)
    )
    return dict(rows.all())


def flags_agree():
    """Each session's ``is_counted`` is what ``is_complete_clause()`` says now."""
    query = select(ServiceSession.id, ServiceSession.is_counted, is_complete_clause())
    assert [(i, stored) for i, stored, now in db.session.execute(query) if bool(stored) != bool(now)] == []


def the_form(session_id):
    return db.session.scalar(select(ServiceForm).where(ServiceForm.session_id == session_id).order_by(ServiceForm.id))


def test_the_dataset_as_written(app, data):
    """N1: first in December (s0), in P1 on s1; N2: s3 is incomplete and N2 was absent from s6,
    so s7 (in P1); the anonymous client is not stored; agency B's client is its own."""
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert stored(data.n1.id) == {AT_AGENCY: date(2025, 12, 20), data.program.id: date(2026, 1, 10)}
        assert stored(data.n2.id) == {AT_AGENCY: date(2026, 1, 18), data.program.id: date(2026, 1, 18)}
        assert stored(data.anonymous.id) == {}


def test_completing_and_uncompleting_a_form(app, data):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        incomplete = the_form(data.sessions["s3"])
        s3 = db.session.get(ServiceSession, data.sessions["s3"])
        assert s3.is_counted is False
        incomplete.save_answers(complete_answers("io"))
        db.session.commit()
        assert stored(data.n2.id)[AT_AGENCY] == date(2026, 1, 15)  # s3 now counts
        assert s3.is_counted is True
        incomplete.save_answers({})
        db.session.flush()
        assert s3.is_counted is False  # the loaded session takes the stored flag at once
        db.session.commit()
        assert stored(data.n2.id)[AT_AGENCY] == date(2026, 1, 18)


def test_moving_a_session_in_time_and_to_a_program(app, data):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        s2 = db.session.get(ServiceSession, data.sessions["s2"])
        s2.service_date, s2.program_id = date(2025, 11, 3), data.program.id
        db.session.commit()
        assert stored(data.n1.id) == {AT_AGENCY: date(2025, 11, 3), data.program.id: date(2025, 11, 3)}
        s2.program_id = None
        db.session.commit()
        assert stored(data.n1.id)[data.program.id] == date(2026, 1, 10)


def test_deleting_a_session(app, data):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        db.session.delete(db.session.get(ServiceSession, data.sessions["s0"]))
        db.session.commit()
        assert stored(data.n1.id)[AT_AGENCY] == date(2026, 1, 10)


def test_an_absent_attendee_is_not_served(app, data):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        attendee = db.session.scalar(
            select(ServiceForm).where(ServiceForm.session_id == data.sessions["s6"], ServiceForm.client_id == data.n2.id)
        )
        attendee.save_answers({**attendee.data, "client_attended": "Yes"})
        db.session.commit()
        assert stored(data.n2.id)[AT_AGENCY] == date(2026, 1, 18)  # s6 (01-25) is later anyway
        s6 = db.session.get(ServiceSession, data.sessions["s6"])
        s6.service_date = date(2026, 1, 2)
        db.session.commit()
        assert stored(data.n2.id)[AT_AGENCY] == date(2026, 1, 2)
        attendee.save_answers({**attendee.data, "client_attended": "No"})
        db.session.commit()
        assert stored(data.n2.id)[AT_AGENCY] == date(2026, 1, 18)


def test_removing_and_adding_an_attendee(app, data):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        s0 = db.session.get(ServiceSession, data.sessions["s0"])
        db.session.delete(db.session.scalar(select(SessionClient).where(SessionClient.session_id == s0.id)))
        db.session.delete(the_form(s0.id))
        db.session.flush()
        s0.attendees.append(SessionClient(agency_id=data.agency.id, client_id=data.n2.id))
        s0.forms.append(form(data.agency, "io", data.w1, data.n2))
        db.session.commit()
        assert stored(data.n1.id)[AT_AGENCY] == date(2026, 1, 10)
        assert stored(data.n2.id)[AT_AGENCY] == date(2025, 12, 20)


def test_a_merge_moves_the_first_service(app, data, make):
    """N3, served in November only, is merged into N2: N2's first service is N3's; the undo
    moves it back."""
    n3 = make.client(data.agency, first_name="Nina", last_name="Third")
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        session(data.agency, date(2025, 11, 5), data.s1, data.w1, [n3], [form(data.agency, "io", data.w1, n3)])
        db.session.commit()
        assert stored(n3.id) == {AT_AGENCY: date(2025, 11, 5)}
    with app.app_context(), tenant_scope(data.agency.id):
        kept, other = db.session.get(Client, data.n2.id), db.session.get(Client, n3.id)
        record = merge_clients(kept, other, {}, db.session.get(Staff, data.admin.id))
        db.session.commit()
        assert stored(data.n2.id)[AT_AGENCY] == date(2025, 11, 5)
        assert stored(n3.id) == {}
        undo_merge(record, db.session.get(Staff, data.admin.id))
        db.session.commit()
        assert stored(data.n2.id)[AT_AGENCY] == date(2026, 1, 18)
        assert stored(n3.id) == {AT_AGENCY: date(2025, 11, 5)}


def test_the_backfill_gives_what_the_writes_kept(app, data):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        kept = sorted(db.session.execute(select(ClientFirstService.__table__)).all())
        flags = sorted(db.session.execute(select(ServiceSession.id, ServiceSession.is_counted)).all())
        db.session.execute(delete(ClientFirstService))
        db.session.execute(update(ServiceSession).values(is_counted=False, updated_at=ServiceSession.updated_at))
        refresh_all(db.session.connection())
        assert sorted(db.session.execute(select(ClientFirstService.__table__)).all()) == kept
        assert sorted(db.session.execute(select(ServiceSession.id, ServiceSession.is_counted)).all()) == flags
        assert len(kept) == 5  # N1 (agency, P1), N2 (agency, P1), agency B's client

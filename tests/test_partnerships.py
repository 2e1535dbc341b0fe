"""Trusted partnerships: invite, accept, refer, answer, end; nothing crosses agencies without an
accepted partnership, nor after it ends (ORM and, on PostgreSQL, row-level security)."""

import pytest
from sqlalchemy import select, text

from extensions import db
from models import ALL_AGENCIES, Client, Partnership, Principal, Referral, SharedReferral, acting_as, tenant_scope
from models.errors import InvalidEntry, TenantViolation
from models.partnerships import (
    accepted_partnerships,
    answer_invitation,
    answer_referral,
    end_partnership,
    incoming_referrals,
    invite,
    share_referral,
)
from models.privacy import record_consent
from tests.referrals_helpers import as_staff, make_referral, side


@pytest.fixture
def sides(app, make):
    with app.app_context():
        yield side(make, "Alpha Settlement", "ALPHA"), side(make, "Beta Services", "BETA"), side(make, "Gamma Centre", "GAMMA")


def invite_beta(a, b):
    with as_staff(a.admin):
        row = invite(db.session.get_one(type(a.agency), a.agency.id), "beta", a.admin, "Let us work together")
        db.session.commit()
        return row.id


def accept(b, partnership_id, yes=True):
    with as_staff(b.admin):
        answer_invitation(db.session.get(Partnership, partnership_id), yes, b.admin)
        db.session.commit()


def send(a, partnership_id, fields=("name", "phone")):
    referral_id = make_referral(a.worker, a.client.id)
    with as_staff(a.worker):
        referral = db.session.get(Referral, referral_id)
        shared = share_referral(referral, db.session.get(Partnership, partnership_id), fields, a.worker, "Needs housing")
        db.session.commit()
        return referral_id, shared.id


def incoming_ids(staff):
    with as_staff(staff):
        return [row.id for row in incoming_referrals()]


def raw_shared_count(agency_id):
    """A raw statement under the agency: row-level security alone decides (PostgreSQL)."""
    with tenant_scope(agency_id):
        return db.session.execute(text("SELECT count(*) FROM shared_referrals")).scalar()


def test_an_invitation_is_seen_by_both_agencies_and_no_other(sides):
    a, b, c = sides
    partnership_id = invite_beta(a, b)
    for staff in (a.admin, b.admin):
        with as_staff(staff):
            assert db.session.get(Partnership, partnership_id).status == "invited"
    with as_staff(c.admin):
        assert db.session.get(Partnership, partnership_id) is None
        assert db.session.scalars(select(Partnership)).all() == []


def test_only_the_invited_agency_accepts(sides):
    a, b, _ = sides
    partnership_id = invite_beta(a, b)
    with as_staff(a.admin), pytest.raises(InvalidEntry):
        answer_invitation(db.session.get(Partnership, partnership_id), True, a.admin)


def test_inviting_an_unknown_code_or_oneself_or_twice_is_a_field_error(sides):
    a, b, _ = sides
    invite_beta(a, b)
    with as_staff(a.admin):
        agency = db.session.get_one(type(a.agency), a.agency.id)
        for code in ("NOPE", "alpha", "BETA"):
            with pytest.raises(InvalidEntry) as refused:
                invite(agency, code, a.admin)
            assert refused.value.field == "code"


def test_nothing_is_sent_before_the_partnership_is_accepted(sides):
    a, b, _ = sides
    partnership_id = invite_beta(a, b)
    referral_id = make_referral(a.worker, a.client.id)
    with as_staff(a.worker):
        with pytest.raises(InvalidEntry, match="not accepted"):
            share_referral(
                db.session.get(Referral, referral_id), db.session.get(Partnership, partnership_id), ("name",), a.worker
            )
    assert incoming_ids(b.admin) == []


def test_a_declined_invitation_shares_nothing(sides):
    a, b, _ = sides
    partnership_id = invite_beta(a, b)
    accept(b, partnership_id, yes=False)
    with as_staff(a.worker):
        assert accepted_partnerships() == []


def test_refer_answer_and_end(sides):
    a, b, c = sides
    partnership_id = invite_beta(a, b)
    accept(b, partnership_id)
    referral_id, shared_id = send(a, partnership_id)
    assert incoming_ids(b.worker) == [shared_id]
    assert incoming_ids(c.admin) == []
    with as_staff(b.worker):
        shared = db.session.get(SharedReferral, shared_id)
        assert dict(shared.shared_items()) == {"Name": "AmalALPHA Nouri", "Phone": "613-555-0100"}  # only what was chosen
        assert "Share with trusted partner agencies" in shared.consent_summary and shared.consent_record_id
        assert shared.referral is None  # the sender's own referral row stays in its agency
        assert db.session.get(Client, a.client.id) is None
        answer_referral(shared, "accepted", "Intake on Monday", b.worker)
        db.session.commit()
    with as_staff(a.worker):
        referral = db.session.get(Referral, referral_id)
        assert (referral.shared.status, referral.shared.answer_note) == ("accepted", "Intake on Monday")
    with as_staff(a.admin):
        end_partnership(db.session.get(Partnership, partnership_id))
        db.session.commit()
    assert incoming_ids(b.worker) == []  # ending stops all sharing at once
    with as_staff(b.worker):
        assert db.session.get(SharedReferral, shared_id) is None
    with as_staff(a.worker):
        assert db.session.get(Referral, referral_id).shared.status == "accepted"  # the sender keeps its record


def test_the_client_must_have_consented_when_sent(sides, make):
    a, b, _ = sides
    partnership_id = invite_beta(a, b)
    accept(b, partnership_id)
    with tenant_scope(ALL_AGENCIES):
        record_consent(db.session.get(Client, a.client.id), "partner_sharing", False, a.worker.id).agency_id = a.agency.id
        db.session.commit()
    referral_id = make_referral(a.worker, a.client.id)
    with as_staff(a.worker):
        with pytest.raises(InvalidEntry) as refused:
            share_referral(
                db.session.get(Referral, referral_id), db.session.get(Partnership, partnership_id), ("name",), a.worker
            )
    assert refused.value.field == "consent"
    assert incoming_ids(b.admin) == []


def test_a_third_agency_cannot_write_a_shared_row(sides):
    a, b, c = sides
    partnership_id = invite_beta(a, b)
    accept(b, partnership_id)
    _, shared_id = send(a, partnership_id)
    with tenant_scope(ALL_AGENCIES):
        shared = db.session.get(SharedReferral, shared_id)
        db.session.expunge(shared)
    with acting_as(Principal.staff(c.admin)):
        db.session.merge(shared, load=False).status = "declined"
        with pytest.raises(TenantViolation):
            db.session.flush()
        db.session.rollback()


def test_row_level_security_follows_the_partnership(app, sides):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row-level security is PostgreSQL's")
    a, b, c = sides
    partnership_id = invite_beta(a, b)
    accept(b, partnership_id)
    send(a, partnership_id)
    assert (raw_shared_count(a.agency.id), raw_shared_count(b.agency.id), raw_shared_count(c.agency.id)) == (1, 1, 0)
    with as_staff(b.admin):
        end_partnership(db.session.get(Partnership, partnership_id))
        db.session.commit()
    assert (raw_shared_count(a.agency.id), raw_shared_count(b.agency.id)) == (1, 0)
    with tenant_scope(c.agency.id):
        assert db.session.execute(text("SELECT count(*) FROM partnerships")).scalar() == 0


def test_every_shared_table_is_under_a_policy(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("row-level security is PostgreSQL's")
    query = (
        "SELECT c.relname FROM pg_class c JOIN pg_policy p ON p.polrelid = c.oid "
        "WHERE c.relrowsecurity AND p.polname = 'tenant_isolation'"
    )
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        protected = set(db.session.execute(text(query)).scalars())
    assert {"partnerships", "shared_referrals", "referrals", "referral_partners", "tasks"} <= protected

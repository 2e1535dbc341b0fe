"""Consent records: written at registration, listed and changed on the dashboard's Privacy and
consent tab; withdrawing all consent stops partner sharing and notifications at once; the
privacy consent can be given again."""

from datetime import date

import pytest
from sqlalchemy import select

from extensions import db
from models import ALL_AGENCIES, Agency, Client, ConsentRecord, tenant_scope
from tests.conftest import demo_agency, demo_staff, text
from tests.test_registration import named_form

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture
def person(app, make):
    return make.client(demo_agency(app, "DEMO"), first_name="Layla", last_name="Haddad", date_of_birth=date(1988, 5, 3))


def records(app, client_id):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        rows = db.session.scalars(select(ConsentRecord).where(ConsentRecord.client_id == client_id)).all()
        return sorted(((r.kind, r.given, r.statement_version, r.language, r.staff_id, r.note) for r in rows), key=str)


def state(app, client_id):
    """(consent withdrawn at, may share with partners, may notify) as the model says now."""
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        client = db.session.get(Client, client_id)
        return client.consent_withdrawn_at, client.may_share_with_partners, client.may_notify


def change(worker, client_id, kind, decision, note=""):
    return worker.post(f"/admin/clients/{client_id}/consent/", data={"kind": kind, "decision": decision, "note": note})


def test_registration_records_the_privacy_and_research_consents(app, worker):
    me = demo_staff(app, "worker@demo.org")
    worker.post("/admin/register/consent/", data={"decision": "accept", "lang": "fr"})
    response = worker.post("/admin/register/named/", data=named_form(app, research_consent="no"))
    assert response.status_code == 302 and "/admin/register/done/" in response.location
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        client_id = db.session.scalar(select(Client.id).where(Client.last_name == "Okonkwo"))
    assert records(app, client_id) == [("privacy", True, 1, "fr", me.id, ""), ("research", False, None, "fr", me.id, "")]


def test_registration_without_a_research_answer_records_privacy_only(app, worker):
    worker.post("/admin/register/consent/", data={"decision": "accept"})
    worker.post("/admin/register/named/", data=named_form(app, research_consent=""))
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        client_id = db.session.scalar(select(Client.id).where(Client.last_name == "Okonkwo"))
    assert [(kind, language) for kind, _, _, language, _, _ in records(app, client_id)] == [("privacy", "en")]


def test_nothing_is_shared_or_sent_until_given(app, worker, person):
    assert state(app, person.id) == (None, False, False)
    assert change(worker, person.id, "partner_sharing", "given").status_code == 302
    assert state(app, person.id) == (None, True, False)
    change(worker, person.id, "notifications", "given", note="by text message")
    assert state(app, person.id) == (None, True, True)
    change(worker, person.id, "partner_sharing", "withdrawn")
    assert state(app, person.id) == (None, False, True)


def test_the_tab_lists_the_history_and_the_current_state(app, worker, person):
    me = demo_staff(app, "worker@demo.org")
    change(worker, person.id, "research", "given", note="phoned in")
    page = text(worker.get(f"/admin/clients/{person.id}/?tab=privacy"))
    assert "Privacy and consent" in page and 'data-testid="consent-history"' in page
    assert "Contact for research" in page and "phoned in" in page and me.name in page
    assert "Withdraw all consent" in page and "Download access-request export" not in page  # export: admins only


def test_withdraw_all_asks_first_then_stops_sharing_and_notifications(app, worker, person):
    change(worker, person.id, "partner_sharing", "given")
    change(worker, person.id, "notifications", "given")
    confirm = text(worker.get(f"/admin/clients/{person.id}/consent/withdraw/"))
    assert "not shared with partner agencies" in confirm and state(app, person.id)[1:] == (True, True)
    response = worker.post(f"/admin/clients/{person.id}/consent/withdraw/", data={"note": "Client asked by phone"})
    assert response.status_code == 302 and response.location.endswith("tab=privacy")
    withdrawn_at, may_share, may_notify = state(app, person.id)
    assert withdrawn_at is not None and (may_share, may_notify) == (False, False)
    withdrawals = [r for r in records(app, person.id) if not r[1]]
    assert sorted(r[0] for r in withdrawals) == ["notifications", "partner_sharing", "portal", "privacy", "research"]
    assert all(r[5] == "Client asked by phone" for r in withdrawals)
    page = text(worker.get(f"/admin/clients/{person.id}/"))
    assert 'data-testid="consent-withdrawn"' in page and "send no reminders or notifications" in page


def test_consent_is_given_again_with_the_current_statement(app, worker, person):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        db.session.get(Agency, person.agency_id).privacy_statement_version = 3
        db.session.commit()
    worker.post(f"/admin/clients/{person.id}/consent/withdraw/", data={})
    refused = change(worker, person.id, "partner_sharing", "given")
    assert "All consent is withdrawn" in text(worker.get(refused.location))
    assert state(app, person.id)[1] is False
    worker.post(f"/admin/clients/{person.id}/consent/privacy/", data={"language": "fr"})
    assert state(app, person.id) == (None, False, False)  # each consent must be given again
    assert ("privacy", True, 3, "fr", demo_staff(app, "worker@demo.org").id, "") in records(app, person.id)
    change(worker, person.id, "partner_sharing", "given")
    assert state(app, person.id) == (None, True, False)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert db.session.get(Client, person.id).privacy_consent_version == 3


@pytest.mark.parametrize(
    "data, message",
    [
        ({"kind": "research"}, "Say given or withdrawn."),
        ({"kind": "privacy", "decision": "given"}, "Not a valid choice"),
        ({"kind": "research", "decision": "given", "note": "x" * 501}, "Field cannot be longer than 500 characters."),
    ],
)
def test_bad_input_gets_a_message_and_records_nothing(app, worker, person, data, message):
    response = worker.post(f"/admin/clients/{person.id}/consent/", data=data, follow_redirects=True)
    assert response.status_code == 200 and message in text(response)
    assert records(app, person.id) == []


def test_anonymous_clients_have_no_consent_to_record(app, make, worker):
    anonymous = make.client(demo_agency(app, "DEMO"), kind="anonymous")
    response = change(worker, anonymous.id, "research", "given")
    assert "declined the privacy statement" in text(worker.get(response.location))
    worker.post(f"/admin/clients/{anonymous.id}/consent/withdraw/", data={})
    assert records(app, anonymous.id) == [] and state(app, anonymous.id)[0] is None


def test_another_agencys_client_is_404(app, make, worker):
    stranger = make.client(demo_agency(app, "OTHER"), first_name="Secret", last_name="Outsider")
    assert change(worker, stranger.id, "research", "given").status_code == 404
    assert worker.post(f"/admin/clients/{stranger.id}/consent/withdraw/").status_code == 404
    assert worker.get(f"/admin/clients/{stranger.id}/consent/withdraw/").status_code == 404
    assert worker.post(f"/admin/clients/{stranger.id}/consent/privacy/", data={"language": "en"}).status_code == 404
    assert records(app, stranger.id) == [] and state(app, stranger.id)[0] is None


@pytest.mark.parametrize(
    "months, saved, message",
    [("5", None, "Number must be between 12 and 1200."), ("24", 24, None), ("", None, None)],
)
def test_the_agency_sets_its_retention_period(app, login, months, saved, message):
    """Agency settings: a period of 12 to 1200 months, or none (keep until removed by hand)."""
    agency = demo_agency(app, "DEMO")
    admin = login("admin@demo.org")
    form = {"name": agency.name, "privacy_statement_en": "Statement", "privacy_statement_fr": "Déclaration"}
    response = admin.post(f"/admin/agency/edit/?id={agency.id}", data={**form, "retention_months": months})
    if message:
        assert response.status_code == 200 and message in text(response)
    else:
        assert response.status_code == 302
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert db.session.get(Agency, agency.id).retention_months == saved

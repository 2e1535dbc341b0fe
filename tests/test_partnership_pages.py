"""Trusted partnerships through the pages, with the demo's accepted DEMO-OTHER partnership and
its shared referral: Other Agency sees only what was shared and answers; the demo worker sees the
answer; "Refer to another service provider" checks consent; ending stops all sharing; ids not
shared with the agency are refused without a 500."""

import pytest
from sqlalchemy import select, update

from extensions import db
from models import ALL_AGENCIES, Client, Partnership, ReferralPartner, SharedReferral, Staff, tenant_scope
from models.privacy import record_consent
from tests.conftest import demo_agency, demo_staff, sign_in, text
from tests.test_referrals import HOUSING, samira

pytestmark = pytest.mark.usefixtures("demo")


def ids(app):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        return db.session.scalar(select(Partnership.id)), db.session.scalar(select(SharedReferral.id))


def switch(client, email):
    client.post("/logout")
    sign_in(client, email)


def test_the_partner_agency_sees_only_what_was_shared_and_answers(app, client):
    partnership_id, shared_id = ids(app)
    sign_in(client, "admin@other.org")
    page = text(client.get("/admin/incoming-referrals/"))
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        person = db.session.get(Client, samira(app))
        name, birth = person.display_name, person.date_of_birth.isoformat()
    assert name in page and "Share with trusted partner agencies" in page and "Demo Settlement Agency" in page
    assert birth not in page  # not chosen for sharing
    response = client.post(
        "/admin/incoming-referrals/answer/", data={"shared_id": shared_id, "status": "accepted", "note": "Intake Monday"}
    )
    assert response.status_code == 302
    switch(client, "worker@demo.org")
    tab = text(client.get(f"/admin/clients/{samira(app)}/?tab=referrals"))
    assert 'data-testid="partner-answer"' in tab and "Intake Monday" in tab
    assert "Partner agency&#39;s answer" in text(client.get("/admin/referrals/")) or "Partner agency's answer" in text(
        client.get("/admin/referrals/")
    )


def test_ending_the_partnership_stops_all_sharing(app, client):
    partnership_id, shared_id = ids(app)
    sign_in(client, "admin@demo.org")
    assert client.post("/admin/partnerships/end/", data={"partnership_id": partnership_id}).status_code == 302
    switch(client, "admin@other.org")
    assert "No incoming referrals." in text(client.get("/admin/incoming-referrals/"))
    page = text(
        client.post(
            "/admin/incoming-referrals/answer/", data={"shared_id": shared_id, "status": "declined"}, follow_redirects=True
        )
    )
    assert "There is no such incoming referral." in page
    switch(client, "worker@demo.org")
    assert "Your agency has no accepted trusted partnership yet." in text(
        client.get(f"/admin/clients/{samira(app)}/?tab=referrals")
    )


def refer_to_partner(client, client_id, partnership_id, **values):
    data = {"partnership_id": partnership_id, "need_area": HOUSING, "shared": ["name", "email"], "referral_date": "", **values}
    from datetime import date

    data["referral_date"] = data["referral_date"] or date.today().isoformat()
    return client.post(f"/admin/clients/{client_id}/refer-to-partner/", data=data, follow_redirects=True)


def test_refer_to_another_service_provider_checks_the_consent(app, client, make):
    partnership_id, _ = ids(app)
    demo = demo_agency(app, "DEMO")
    person = make.client(demo, first_name="Noor", last_name="Saleh", email="noor@example.org")
    sign_in(client, "worker@demo.org")
    page = text(refer_to_partner(client, person.id, partnership_id))
    assert "has not consented to sharing with trusted partner agencies" in page
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        record_consent(
            db.session.get(Client, person.id), "partner_sharing", True, demo_staff(app, "worker@demo.org").id
        ).agency_id = demo.id
        db.session.commit()
    assert "Referral sent to Other Agency." in text(refer_to_partner(client, person.id, partnership_id))
    switch(client, "admin@other.org")
    incoming = text(client.get("/admin/incoming-referrals/"))
    assert "Noor Saleh" in incoming and "noor@example.org" in incoming


def test_a_partnership_not_accepted_or_not_ours_is_refused(app, client, make):
    partnership_id, _ = ids(app)
    sign_in(client, "worker@demo.org")
    for value in ("999999", "abc", ""):
        response = refer_to_partner(client, samira(app), value)
        assert response.status_code == 200 and "Partner agency" in text(response)
    third = make.agency(name="Third Agency", code="THIRD")
    switch(client, "admin@demo.org")
    client.post("/admin/partnerships/invite/", data={"code": "third"})
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        invited = db.session.scalar(select(Partnership.id).where(Partnership.invited_agency_id == third.id))
    switch(client, "worker@demo.org")
    page = text(refer_to_partner(client, samira(app), str(invited)))
    assert "Not a valid choice" in page  # only accepted partnerships are offered


def test_invite_accept_and_answer_through_the_pages(app, client, make):
    third = make.agency(name="Third Agency", code="THIRD")
    make.staff(third, role="agency_admin", email="admin@third.test")
    sign_in(client, "admin@demo.org")
    for code, message in (("NOPE", "No other agency has this code."), ("DEMO", "No other agency has this code.")):
        assert message in text(client.post("/admin/partnerships/invite/", data={"code": code}, follow_redirects=True))
    assert "Invitation sent." in text(client.post("/admin/partnerships/invite/", data={"code": "THIRD"}, follow_redirects=True))
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        invited = db.session.scalar(select(Partnership.id).where(Partnership.invited_agency_id == third.id))
    page = text(
        client.post("/admin/partnerships/answer/", data={"partnership_id": invited, "decision": "accept"}, follow_redirects=True)
    )
    assert "Only the invited agency can answer" in page
    switch(client, "admin@other.org")
    assert "Third Agency" not in text(client.get("/admin/partnerships/"))
    switch(client, "admin@third.test")
    assert "Demo Settlement Agency" in text(client.get("/admin/partnerships/"))
    page = text(
        client.post("/admin/partnerships/answer/", data={"partnership_id": invited, "decision": "accept"}, follow_redirects=True)
    )
    assert "Partnership accepted." in page
    with app.app_context(), tenant_scope(ALL_AGENCIES):  # nothing English stored: labelled when shown
        assert db.session.scalar(select(ReferralPartner.services).where(ReferralPartner.partnership_id == invited)) == ""
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        db.session.execute(update(Staff).where(Staff.email == "admin@third.test").values(interface_language="fr_CA"))
        db.session.commit()
    partners = text(client.get("/admin/partners/"))
    assert "Organisme de ce système" in partners and "Agency on this system" not in partners


def test_workers_cannot_manage_partnerships(app, client):
    sign_in(client, "worker@demo.org")
    assert client.get("/admin/partnerships/").status_code == 403
    assert client.post("/admin/partnerships/end/", data={"partnership_id": ids(app)[0]}).status_code == 403

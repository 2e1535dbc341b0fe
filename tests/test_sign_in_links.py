"""Single-use, expiring sign-in links (models/sign_in_links.py): only the hash is stored, a link
works once, expires, is replaced by a newer one of the same purpose, and is looked up before
the agency is known but acts inside its own agency."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from extensions import db
from models import ALL_AGENCIES, Client, Staff, tenant_scope
from models.errors import LinkNotValid, TenantViolation
from models.sign_in_links import SignInLink, issue_link, peek_link, redeem_link, token_hash

pytestmark = pytest.mark.usefixtures("demo")

PURPOSE = "staff_password_reset"


def person(model, **where):
    return db.session.scalar(select(model).filter_by(**where))


def issued(app, email, purpose=PURPOSE, **kwargs):
    """A link for the staff member with this email, issued as a job of their agency would."""
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        staff = person(Staff, email=email)
    with app.app_context(), tenant_scope(staff.agency_id):
        token = issue_link(purpose, staff=db.session.merge(staff), **kwargs)
        db.session.commit()
    return token


def redeem(app, token, purpose=PURPOSE):
    with app.test_request_context():
        link = redeem_link(token, purpose)
        result = (link.staff.email if link.staff_id else link.client.id, link.agency_id)
        db.session.commit()
    return result


def reason(app, action, token, purpose=PURPOSE):
    with app.test_request_context():
        with pytest.raises(LinkNotValid) as refused:
            action(token, purpose)
        db.session.rollback()
    return refused.value.reason


def stored_links(app):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        return [(link.token_hash, link.used_at is not None) for link in db.session.scalars(select(SignInLink))]


def test_only_the_hash_is_stored_and_a_link_works_once(app):
    token = issued(app, "worker@demo.org")
    assert stored_links(app) == [(token_hash(token), False)]
    assert token not in str(stored_links(app))
    with app.test_request_context():  # no one signed in: found anyway, and not used by a peek
        assert peek_link(token, PURPOSE).staff.email == "worker@demo.org"
    email, agency_id = redeem(app, token)
    assert email == "worker@demo.org"
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert agency_id == person(Staff, email="worker@demo.org").agency_id
    assert stored_links(app)[0][1] is True
    assert reason(app, redeem_link, token) == "used"
    assert reason(app, peek_link, token) == "used"


def test_unknown_tokens_and_other_purposes_are_refused(app):
    token = issued(app, "worker@demo.org")
    for bad in ("", "x" * 43, token + "x", None, "a" * 500):
        assert reason(app, redeem_link, bad) == "unknown"
    assert reason(app, redeem_link, token, "portal_invite") == "unknown"
    assert redeem(app, token)[0] == "worker@demo.org"  # still usable: the refusals changed nothing


def test_an_expired_link_is_refused(app):
    token = issued(app, "worker@demo.org")
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        db.session.scalar(select(SignInLink)).expires_at -= timedelta(hours=2)
        db.session.commit()
    assert reason(app, peek_link, token) == "expired"
    assert reason(app, redeem_link, token) == "expired"


def test_a_new_link_ends_the_older_ones_of_its_purpose_and_person_only(app):
    first = issued(app, "worker@demo.org")
    other_person = issued(app, "worker2@demo.org")
    second = issued(app, "worker@demo.org")
    assert reason(app, redeem_link, first) == "used"
    assert redeem(app, second)[0] == "worker@demo.org"
    assert redeem(app, other_person)[0] == "worker2@demo.org"


def test_a_rolled_back_redeem_leaves_the_link_usable(app):
    token = issued(app, "worker@demo.org")
    with app.test_request_context():
        redeem_link(token, PURPOSE)
        db.session.rollback()
    assert redeem(app, token)[0] == "worker@demo.org"


def test_a_link_of_a_deactivated_staff_member_is_refused(app):
    token = issued(app, "worker@demo.org")
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        person(Staff, email="worker@demo.org").is_active = False
        db.session.commit()
    assert reason(app, redeem_link, token) == "unknown"


def test_client_links_and_the_agency_check(app):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        client = person(Client, first_name=db.session.scalar(select(Client.first_name).where(Client.kind == "named")))
        other_agency_staff = person(Staff, email="admin@other.org")
        client_id, client_agency = client.id, client.agency_id
    with app.app_context(), tenant_scope(other_agency_staff.agency_id), pytest.raises(TenantViolation):
        issue_link("portal_invite", client=db.session.merge(client))
    with app.app_context(), tenant_scope(client_agency):
        token = issue_link("portal_invite", client=db.session.merge(client), lifetime=timedelta(days=7))
        db.session.commit()
    assert redeem(app, token, "portal_invite") == (client_id, client_agency)
    with app.app_context(), pytest.raises(ValueError):
        issue_link("staff_password_reset")
    with app.app_context(), pytest.raises(ValueError):
        issue_link("unknown purpose", client=client)


def test_two_requests_redeeming_one_link_at_once_one_wins(app):
    """Each in its own connection, released together: the conditional UPDATE lets one win (the
    other waits for its commit, then finds the link used). PostgreSQL: the production database
    (SQLite's single writer serialises them anyway)."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("concurrent redeems are proven on PostgreSQL (TEST_DATABASE=postgresql)")
    token = issued(app, "worker@demo.org")
    barrier, outcomes = threading.Barrier(4), []

    def one_request():
        with app.test_request_context():
            barrier.wait()
            try:
                redeem_link(token, PURPOSE)
                db.session.commit()
                outcomes.append("won")
            except LinkNotValid as refused:
                db.session.rollback()
                outcomes.append(refused.reason)

    threads = [threading.Thread(target=one_request) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["used", "used", "used", "won"]

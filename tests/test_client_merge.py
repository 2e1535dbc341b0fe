"""Merging duplicate profiles (models/client_merges.py, custom_pages/client_merge.py): the
merge, its undo, the refusals, every row moved, and a foreign key to clients nobody handles."""

import re
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from extensions import db
from models import (
    ALL_AGENCIES,
    AuditEvent,
    Client,
    ClientActivity,
    ClientAssignment,
    ClientMerge,
    ConsentRecord,
    Notification,
    Site,
    Task,
    tenant_scope,
)
from models.base import utcnow
from models.client_links import CLIENT_LINKS, client_foreign_keys, links, unhandled_links
from models.portal_accounts import PortalAccount
from models.sign_in_links import issue_link
from tests.access_fixtures import Marks, make_client, make_file, make_form, make_note, make_referral, make_session, program, staff
from tests.conftest import csrf_token_from, demo_agency, text

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture
def pair(app, upload_folder):
    """Two profiles of the same person in the demo agency: the other one holds a record of
    every kind, some of them Private to worker@demo.org (the admin merging may not open them)."""
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        agency = demo_agency(app, "DEMO")
        mark, wei, admin = Marks(), staff("worker@demo.org"), staff("admin@demo.org")
        kept = Client(agency_id=agency.id, first_name="Samir", last_name="Haddad", date_of_birth=date(1990, 4, 2), gender="Male")
        kept.assignments = [ClientAssignment(agency_id=agency.id, staff_id=wei.id)]
        other = make_client(agency, "DEMO-AGENCY", mark, wei)  # assigned to wei too: that assignment stays behind
        other.first_name, other.last_name, other.phone, other.family_code = "Sameer", "Haddad", "416-555-0199", "F-HAD"
        db.session.add(kept)
        db.session.flush()
        site = db.session.scalar(select(Site).where(Site.agency_id == agency.id))
        session = make_session(agency, other, site, wei, None, "PRIVATE", mark)
        make_form(session, other, "non_specified", wei, None, "PRIVATE", mark, is_private=True)
        make_note(other, wei, None, "PRIVATE", mark, is_private=True)
        make_note(other, wei, program(agency, "Settlement Services"), "PROGRAM", mark)
        make_file(upload_folder, other, wei, None, "PRIVATE", mark, is_private=True)
        make_referral(other, wei, None, "PRIVATE", mark, is_private=True)
        db.session.add_all(
            [
                Task(agency_id=agency.id, client_id=other.id, created_by_id=wei.id, assigned_to_id=wei.id, title="Call back"),
                Notification(agency_id=agency.id, kind="appointment_reminder", client_id=other.id, dedupe_key="merge-1"),
                ConsentRecord(agency_id=agency.id, client_id=other.id, kind="privacy", given=True, statement_version=1),
                ClientActivity(agency_id=agency.id, client_id=other.id, staff_id=admin.id, action="viewed"),
            ]
        )
        db.session.commit()
        return kept.id, other.id


def counts(app, client_id):
    """{link: rows pointing at the client}, every record included."""
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        return {link.key: link.count_of(client_id) for link in links()}


def load(app, client_id):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        client = db.session.get(Client, client_id)
        db.session.expunge(client)
        return client


def compare_page(http, kept_id, other_id):
    response = http.get(f"/admin/clients/{kept_id}/merge/?other={other_id}")
    assert response.status_code == 200, text(response)
    return text(response)


def merge(http, kept_id, other_id, **choices):
    page = compare_page(http, kept_id, other_id)
    data = {name: value for name, value in hidden_fields(page).items()}
    data.update({f"choice_{name}": side for name, side in choices.items()})
    return http.post(f"/admin/clients/{kept_id}/merge/", data=data)


def hidden_fields(page):
    fields = dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', page))
    fields["csrf_token"] = csrf_token_from(page)
    return fields


def undo(http, kept_id):
    page = text(http.get(f"/admin/clients/{kept_id}/"))
    merge_id = re.search(r'name="merge_id" value="(\d+)"', page).group(1)
    pattern = r'name="merge_id" value="\d+">\s*<input type="hidden" name="expected_version" value="(\d+)"'
    version = re.search(pattern, page).group(1)
    data = {"csrf_token": csrf_token_from(page), "merge_id": merge_id, "expected_version": version}
    return http.post(f"/admin/clients/{kept_id}/merge/undo/", data=data)


def test_every_foreign_key_to_clients_is_handled_by_the_merge(app):
    """A new table pointing at clients must say what a merge does with it (models/client_links.py)."""
    with app.app_context():
        assert unhandled_links() == []
        assert set(CLIENT_LINKS) == client_foreign_keys(), "CLIENT_LINKS names a foreign key that no longer exists"


def test_an_unhandled_foreign_key_fails_the_coverage_check(app):
    metadata = sa.MetaData()
    sa.Table("clients", metadata, sa.Column("id", sa.Integer, primary_key=True))
    client_id = sa.Column("client_id", sa.ForeignKey("clients.id"))
    sa.Table("visits", metadata, sa.Column("id", sa.Integer, primary_key=True), client_id)
    assert unhandled_links(metadata) == [("visits", "client_id")]


def test_merge_moves_every_row_and_undo_puts_everything_back(app, client, login, pair):
    kept_id, other_id = pair
    before_kept, before_other = counts(app, kept_id), counts(app, other_id)
    login("admin@demo.org")
    page = compare_page(client, kept_id, other_id)
    assert "Sameer" in page and "Samir" in page and "SECRET-PRIVATE" not in page  # counts only, no Private content
    response = merge(client, kept_id, other_id, first_name="kept", phone="other", family_code="other")
    assert response.status_code == 302, text(response)

    after_kept, after_other = counts(app, kept_id), counts(app, other_id)
    stays = ("client_assignments.client_id",)  # wei was assigned to both: that assignment stays behind
    assert after_other == {k: (1 if k in stays else 0) for k in after_other}
    for key in before_other:
        assert after_kept[key] == before_kept[key] + before_other[key] - after_other[key], key
    assert after_kept["service_forms.client_id"] == 1 and after_kept["case_notes.client_id"] == 2
    kept, other = load(app, kept_id), load(app, other_id)
    assert (kept.first_name, kept.phone, kept.family_code) == ("Samir", "416-555-0199", "F-HAD")
    assert other.is_archived and other.first_name == "Sameer"  # retired, never deleted
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        record = db.session.scalar(select(ClientMerge))
        assert record.fields["phone"] == [None, "416-555-0199"] and record.moved["service_forms.client_id"]
        acting = db.session.scalars(select(AuditEvent.acting_as).where(AuditEvent.record_type == "service_form")).all()
        assert any(a.startswith("system: client merge (") and "service_form=all" in a for a in acting)
        merger = db.session.scalars(select(AuditEvent.staff_id).where(AuditEvent.action == "merge")).all()
        assert merger == [staff("admin@demo.org").id] * 2

    retired_page = text(client.get(f"/admin/clients/{other_id}/"))
    assert 'data-testid="merged-into"' in retired_page and kept.registration_number in retired_page
    assert undo(client, kept_id).status_code == 302
    # Viewing the retired profile above gave it a "recently viewed" entry of its own: the moved one stays.
    seen = "client_activity.client_id"
    before_kept[seen] += 1
    assert counts(app, kept_id) == before_kept and counts(app, other_id) == before_other
    kept, other = load(app, kept_id), load(app, other_id)
    assert (kept.first_name, kept.phone, kept.family_code) == ("Samir", None, None)
    assert other.is_archived is False
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert db.session.scalar(select(ClientMerge)).undone_at is not None
    assert 'data-testid="merged-into"' not in text(client.get(f"/admin/clients/{other_id}/"))


def test_undo_keeps_a_value_changed_since_the_merge(app, client, login, pair):
    kept_id, other_id = pair
    login("coordinator@demo.org")
    assert merge(client, kept_id, other_id, phone="other").status_code == 302
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        db.session.get(Client, kept_id).phone = "416-555-0000"
        db.session.commit()
    assert undo(client, kept_id).status_code == 302
    assert load(app, kept_id).phone == "416-555-0000"


@pytest.mark.parametrize("role", ["worker@demo.org", "worker2@demo.org"])
def test_workers_may_not_merge(app, client, login, pair, role):
    kept_id, other_id = pair
    login(role)
    assert client.get(f"/admin/clients/{kept_id}/merge/").status_code == 403
    assert client.post(f"/admin/clients/{kept_id}/merge/", data={"other_id": other_id}).status_code in (400, 403)
    assert 'data-testid="merge-start"' not in text(client.get(f"/admin/clients/{kept_id}/"))


def test_a_client_is_not_merged_with_themselves(app, client, login, pair):
    kept_id, _ = pair
    login("admin@demo.org")
    response = client.get(f"/admin/clients/{kept_id}/merge/?other={kept_id}")
    assert response.status_code == 400 and "cannot be merged with itself" in text(response)


def test_anonymous_clients_are_never_merged(app, client, login, make, pair):
    kept_id, _ = pair
    anonymous = make.client(demo_agency(app, "DEMO"), kind="anonymous")
    login("admin@demo.org")
    for url in (f"/admin/clients/{kept_id}/merge/?other={anonymous.id}", f"/admin/clients/{anonymous.id}/merge/?other={kept_id}"):
        response = client.get(url)
        assert response.status_code == 400 and "Anonymous clients are never merged" in text(response)
    page = text(client.get(f"/admin/clients/{kept_id}/merge/"))
    data = {"csrf_token": csrf_token_from(page), "other_id": anonymous.id}
    response = client.post(f"/admin/clients/{kept_id}/merge/", data=data)
    assert response.status_code == 400 and "never merged" in text(response)
    assert not load(app, anonymous.id).is_archived


def test_a_client_of_another_agency_is_not_found(app, client, login, make, pair):
    kept_id, _ = pair
    stranger = make.client(demo_agency(app, "OTHER"), first_name="Samir", last_name="Haddad")
    login("admin@demo.org")
    assert client.get(f"/admin/clients/{kept_id}/merge/?other={stranger.id}").status_code == 404
    page = text(client.get(f"/admin/clients/{kept_id}/merge/"))
    data = {"csrf_token": csrf_token_from(page), "other_id": stranger.id}
    assert client.post(f"/admin/clients/{kept_id}/merge/", data=data).status_code == 404
    response = client.get(f"/admin/clients/{kept_id}/merge/?number={stranger.registration_number}")
    assert response.status_code == 400 and "No client" in text(response)  # the same answer as for no client at all


def test_a_retired_client_is_not_merged_again(app, client, login, make, pair):
    kept_id, other_id = pair
    third = make.client(demo_agency(app, "DEMO"), first_name="Samira", last_name="Haddad")
    login("admin@demo.org")
    assert merge(client, kept_id, other_id).status_code == 302
    response = client.get(f"/admin/clients/{third.id}/merge/?other={other_id}")
    assert response.status_code == 400 and "is retired" in text(response)
    data = {"csrf_token": csrf_token_from(text(response)), "archived": "0"}
    archive = client.post(f"/admin/clients/{other_id}/archive/", data=data)
    assert archive.status_code == 302 and load(app, other_id).is_archived  # only the undo brings it back


def test_a_stale_comparison_page_is_refused(app, client, login, pair):
    kept_id, other_id = pair
    login("admin@demo.org")
    page = compare_page(client, kept_id, other_id)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        db.session.get(Client, other_id).phone = "416-555-7777"
        db.session.commit()
    response = client.post(f"/admin/clients/{kept_id}/merge/", data=hidden_fields(page))
    assert response.status_code == 409 and "416-555-7777" in text(response)
    assert not load(app, other_id).is_archived
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert db.session.scalar(select(sa.func.count()).select_from(ClientMerge)) == 0


def test_both_in_the_same_session_is_refused_and_nothing_moves(app, client, login, pair):
    kept_id, other_id = pair
    from models import ServiceSession, SessionClient

    with app.app_context(), tenant_scope(ALL_AGENCIES):
        session = db.session.scalar(select(ServiceSession).join(SessionClient).where(SessionClient.client_id == other_id))
        db.session.add(SessionClient(agency_id=session.agency_id, session_id=session.id, client_id=kept_id))
        db.session.commit()
    before = counts(app, other_id)
    login("admin@demo.org")
    response = client.get(f"/admin/clients/{kept_id}/merge/?other={other_id}")
    assert response.status_code == 400 and "attend the same session" in text(response)
    assert counts(app, other_id) == before


def test_the_picker_offers_likely_duplicates_and_finds_by_number(app, client, login, pair):
    kept_id, other_id = pair
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        db.session.get(Client, other_id).date_of_birth = date(1990, 4, 2)
        db.session.commit()
    login("admin@demo.org")
    page = text(client.get(f"/admin/clients/{kept_id}/merge/"))
    assert 'data-testid="merge-duplicates"' in page and f"other={other_id}" in page
    number = load(app, other_id).registration_number
    response = client.get(f"/admin/clients/{kept_id}/merge/?number={number}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"other={other_id}")


def test_a_merge_into_a_profile_merged_again_since_is_undone_after_the_later_one(app, client, login, make, pair):
    kept_id, other_id = pair
    third = make.client(demo_agency(app, "DEMO"), first_name="Samir", last_name="Haddad")
    login("admin@demo.org")
    assert merge(client, kept_id, other_id).status_code == 302
    assert merge(client, third.id, kept_id).status_code == 302  # the kept profile merged on into a third
    response = undo(client, kept_id)
    assert response.status_code == 302
    assert "undo that merge first" in text(client.get(response.headers["Location"]))
    assert load(app, other_id).is_archived  # nothing undone
    assert undo(client, third.id).status_code == 302 and undo(client, kept_id).status_code == 302
    assert not load(app, other_id).is_archived and not load(app, kept_id).is_archived


def test_one_per_client_rows_move_or_stay_behind(app, client, login, pair):
    """A portal account (one per client): the retired profile's moves when the kept profile has
    none; an open settlement plan on both: the kept profile's wins and the other stays behind."""
    from models.plans import SettlementPlan
    from models.portal_accounts import PortalAccount

    kept_id, other_id = pair
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        agency_id, wei = load(app, kept_id).agency_id, staff("worker@demo.org")
        db.session.add(PortalAccount(agency_id=agency_id, client_id=other_id, email="sameer@example.org"))
        for client_id in (kept_id, other_id):
            db.session.add(SettlementPlan(agency_id=agency_id, client_id=client_id, worker_id=wei.id, created_by_id=wei.id))
        db.session.commit()
    login("admin@demo.org")
    assert merge(client, kept_id, other_id).status_code == 302
    after_kept, after_other = counts(app, kept_id), counts(app, other_id)
    assert after_kept["portal_accounts.client_id"] == 1 and after_other["portal_accounts.client_id"] == 0
    assert after_kept["settlement_plans.client_id"] == 1 and after_other["settlement_plans.client_id"] == 1
    assert undo(client, kept_id).status_code == 302
    assert counts(app, other_id)["portal_accounts.client_id"] == 1


def test_a_portal_link_of_the_retired_profile_never_opens_the_kept_profiles_account(app, client, login, pair):
    """The retired profile's pending invitation was emailed to its own address (often the wrong
    one, or a relative's): after the merge it must not set the kept client's portal password."""
    kept_id, other_id = pair
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        kept, other = db.session.get(Client, kept_id), db.session.get(Client, other_id)
        account = PortalAccount(agency_id=kept.agency_id, client_id=kept_id, email="kept.client@example.org")
        account.set_password("Kept-account-pass-9911")
        account.accepted_at = account.last_sign_in_at = utcnow()
        db.session.add_all([account, PortalAccount(agency_id=kept.agency_id, client_id=other_id, email="other@example.org")])
        db.session.flush()
        token = issue_link("portal_invite", client=other)
        db.session.commit()
        kept_hash = account.password_hash
    login("admin@demo.org")
    assert merge(client, kept_id, other_id).status_code == 302
    browser = app.test_client()
    password = "Zx9-unrelated-Horse-Battery"
    answer = browser.post(f"/portal/accept/{token}", data={"password": password, "confirm": password, "consent": "y"})
    assert answer.status_code in (302, 404) and "/portal/overview" not in (answer.location or "")
    assert browser.get("/portal/overview").status_code == 302  # not signed in
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert db.session.scalar(select(PortalAccount.password_hash).where(PortalAccount.client_id == kept_id)) == kept_hash

"""The drop-downs' look-ups (/admin/lookup/<kind>/): clients and staff of the signed-in
agency only, found as find-a-client finds them, as JSON."""

import pytest

from models import tenant_scope
from models.errors import RecordNotFound
from models.lookups import LIMIT, look_up
from tests.clients_factories import add_clients, populate
from tests.conftest import sign_in


@pytest.fixture
def people(app, make):
    return populate(app, make)


def results(client, kind, q):
    response = client.get(f"/admin/lookup/{kind}/", query_string={"q": q})
    assert response.status_code == 200 and response.mimetype == "application/json"
    return [row["text"] for row in response.get_json()["results"]]


def test_clients_are_found_like_find_a_client(app, people, login):
    _, _, ids = people
    client = login("worker@find.org")
    found = results(client, "clients", "حداد")
    assert f"Mohammed Haddad · C{ids['Mohammed Haddad']:06d} · 1985-03-14" in found
    assert any(text.startswith("Amira Haddad · ") for text in found)
    assert results(client, "clients", "Amira.Haddad@example.org") == [f"Amira Haddad · C{ids['Amira Haddad']:06d} · 1990-07-01"]


def test_another_agencys_clients_are_never_returned(app, people, login):
    _, _, ids = people
    mine = login("worker@find.org")
    assert results(mine, "clients", "Zebulon") == [] and results(mine, "clients", "613-555-0188") == []
    assert f"C{ids['other']['Mohammed Haddad']:06d}" not in " ".join(results(mine, "clients", "Mohammed Haddad"))
    theirs = app.test_client()
    sign_in(theirs, "admin@other.org")
    assert results(theirs, "clients", "Mohammed Haddad") == [f"Mohammed Haddad · C{ids['other']['Mohammed Haddad']:06d}"]
    assert results(theirs, "clients", "Amira") == []


def test_staff_by_name_or_email_of_the_own_agency_only(app, people, login):
    mine = login("worker@find.org")
    assert results(mine, "staff", "pri") == ["Priya Raman"]
    assert results(mine, "staff", "coordinator@") == ["Carlos Mendes"]
    assert results(mine, "staff", "Amina D") == ["Amina Diallo"]
    assert results(mine, "staff", "olivia") == [] and results(mine, "staff", "tremblay") == []
    theirs = app.test_client()
    sign_in(theirs, "admin@other.org")
    assert results(theirs, "staff", "olivia") == ["Olivia Tremblay"] and results(theirs, "staff", "priya") == []


@pytest.mark.parametrize("q", ["", "   ", "%", "_", "/", "'; drop table clients; --", "x" * 500])
def test_odd_input_finds_nothing_or_little(app, people, login, q):
    client = login("worker@find.org")
    for kind in ("clients", "staff"):
        assert len(results(client, kind, q)) <= LIMIT


def test_at_most_a_page_of_rows(app, people, login):
    agency, _, _ = people
    add_clients(app, agency, [("Zaid", f"Testperson{n}", {}) for n in range(LIMIT + 5)])
    assert len(results(login("worker@find.org"), "clients", "Zaid")) == LIMIT


def test_unknown_kind_and_signed_out(app, people, login, client):
    response = client.get("/admin/lookup/clients/?q=Haddad")
    assert response.status_code == 302 and "/login" in response.location
    assert login("worker@find.org").get("/admin/lookup/no_such_kind/?q=x").status_code == 404


def test_scoped_outside_a_request(app, people):
    with app.app_context():
        assert look_up("clients", "Haddad") == [] and look_up("staff", "wei") == []
    agency, _, _ = people
    with app.app_context(), tenant_scope(agency.id):
        assert [label for _, label in look_up("staff", "wei")] == ["Wei Zhang"]
        with pytest.raises(RecordNotFound):
            look_up("secrets", "x")


def test_a_lookup_field_holds_only_the_chosen_row_and_refuses_another_agencys(app, people, login, make):
    """Find-a-client's "Assigned worker" asks the staff look-up: the page names the chosen
    worker only; another agency's staff id is not a valid choice."""
    from sqlalchemy import select

    from extensions import db
    from models import ALL_AGENCIES, Staff

    with app.app_context(), tenant_scope(ALL_AGENCIES):
        worker = db.session.scalar(select(Staff.id).filter_by(email="worker2@find.org"))
        other = db.session.scalar(select(Staff.id).filter_by(email="admin@other.org"))
    client = login("worker@find.org")
    html = client.get("/admin/find-client/").get_data(as_text=True)
    assert 'data-lookup="/admin/lookup/staff/"' in html and "Priya Raman" not in html
    html = client.get("/admin/find-client/", query_string={"worker": worker}).get_data(as_text=True)
    assert f'<option selected value="{worker}">Priya Raman</option>' in html and "Mohammed Haddad" in html
    html = client.get("/admin/find-client/", query_string={"worker": other}).get_data(as_text=True)
    assert "Choose from the list: this choice is not one you may use." in html and "Olivia Tremblay" not in html

"""Grid filters whose options come from the database are not built on the grid page: the filter
row asks ``<grid>/filter-options/?arg=`` (admin_views/base.py ``lazy_filter_options``), scoped to
the agency like the grid. A staff filter is a look-up (``?q=`` typed, ``?value=`` chosen)."""

import json
import re

import pytest
from sqlalchemy import select

from extensions import db
from models import ALL_AGENCIES, Site, Staff, tenant_scope
from tests.conftest import demo_agency, demo_staff, sign_in, text

pytestmark = pytest.mark.usefixtures("demo")


def view_of(app, endpoint):
    return next(v for v in app.extensions["admin"][0]._views if getattr(v, "endpoint", "") == endpoint)


def arg_of(app, endpoint, name):
    view = view_of(app, endpoint)
    index = next(i for i, f in enumerate(view._filters) if f.name == name)
    return view.get_filter_arg(index, view._filters[index])


def filter_data(page):
    """The filter groups the grid page hands Flask-Admin's filter script."""
    return json.loads(re.search(r'<div id="filter-groups-data" class="d-none">(.*?)</div>', page, re.S).group(1))


def options(client, endpoint, name, **query):
    url = f"/admin/{view_of(client.application, endpoint).url.strip('/').split('/')[-1]}/filter-options/"
    response = client.get(url, query_string={"arg": arg_of(client.application, endpoint, name), **query})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    return [tuple(row) for row in response.get_json()["options"]]


def test_the_grid_page_lists_no_database_options_and_names_where_to_ask(app, login):
    coordinator = login("coordinator@demo.org")
    for endpoint in ("clients", "sessions", "service_forms"):
        page = text(coordinator.get(view_of(app, endpoint).url + "/"))
        groups = filter_data(page)
        worker = groups["Assigned worker" if endpoint == "clients" else "Worker"][0]
        assert worker["options"] is None and worker["type"].startswith("ocms-lookup:/admin/")
        site = groups["Registration site" if endpoint == "clients" else "Site"][0]
        assert site["options"] is None and site["type"].startswith("ocms-options:/admin/")
        assert "/static/js/grid_filters.js" in page
    assert filter_data(text(coordinator.get("/admin/clients/")))["Kind"][0]["options"]  # a fixed list stays


def test_site_options_are_the_agencys_own(app, login):
    coordinator = login("coordinator@demo.org")
    demo = demo_agency(app, "DEMO").id
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        mine = {(str(s.id), s.name) for s in db.session.scalars(select(Site).where(Site.agency_id == demo))}
        theirs = {str(s.id) for s in db.session.scalars(select(Site).where(Site.agency_id != demo))}
    for endpoint, name in (("clients", "Registration site"), ("sessions", "Site"), ("service_forms", "Site")):
        found = options(coordinator, endpoint, name)
        assert set(found) == mine and not {value for value, _ in found} & theirs


def test_a_staff_filter_is_a_scoped_look_up(app, login):
    coordinator = login("coordinator@demo.org")
    worker = demo_staff(app, "worker@demo.org")
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        other = db.session.scalar(select(Staff).where(Staff.email == "admin@other.org"))
        other_id, other_first = other.id, other.first_name
    found = options(coordinator, "clients", "Assigned worker", q=worker.first_name[:3])
    assert (str(worker.id), worker.name) in found and len(found) <= 20
    assert options(coordinator, "sessions", "Worker", q="worker@demo") == [(str(worker.id), worker.name)]
    assert not options(coordinator, "service_forms", "Worker", q=other_first)  # another agency's: never
    assert options(coordinator, "clients", "Assigned worker", value=str(worker.id)) == [(str(worker.id), worker.name)]
    assert options(coordinator, "clients", "Assigned worker", value=str(other_id)) == []
    assert options(coordinator, "clients", "Assigned worker", value="x'1") == []  # refused, not an error
    assert options(coordinator, "clients", "Assigned worker", q="") == []


def test_filter_options_refuse_what_is_not_a_database_filter(app, client, login):
    assert client.get("/admin/clients/filter-options/?arg=0").status_code == 302  # signed out: to /login
    coordinator = login("coordinator@demo.org")
    assert coordinator.get("/admin/clients/filter-options/").status_code == 404
    assert coordinator.get("/admin/clients/filter-options/?arg=nothing").status_code == 404
    kind = arg_of(app, "clients", "Kind")  # a fixed list: in the page already
    assert coordinator.get(f"/admin/clients/filter-options/?arg={kind}").status_code == 404


def test_filter_options_answer_only_who_may_open_the_grid(app):
    arg = arg_of(app, "audit", "Staff")  # the audit trail: agency admins only
    worker, admin = app.test_client(), app.test_client()
    assert sign_in(worker, "worker@demo.org").status_code == sign_in(admin, "admin@demo.org").status_code == 302
    assert worker.get(f"/admin/audit/filter-options/?arg={arg}&q=wei").status_code in (302, 403)
    assert worker.get("/admin/audit/").status_code in (302, 403)  # as the grid itself
    assert admin.get(f"/admin/audit/filter-options/?arg={arg}&q=wei").status_code == 200


def test_a_grid_staff_look_up_finds_former_staff_the_session_look_up_does_not(app, login):
    from models import lookups

    worker = demo_staff(app, "worker3@demo.org")
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        db.session.get(Staff, worker.id).is_active = False
        db.session.commit()
    coordinator = login("coordinator@demo.org")
    assert (str(worker.id), worker.name) in options(coordinator, "sessions", "Worker", q="worker3@demo")
    assert options(coordinator, "sessions", "Worker", value=str(worker.id)) == [(str(worker.id), worker.name)]
    with app.test_request_context(), tenant_scope(demo_agency(app, "DEMO").id):
        assert worker.id not in {i for i, _ in lookups.staff("worker3@demo", 20)}  # choosing for a new record: active only


def test_a_filtered_page_still_filters_and_keeps_the_value(app, login):
    coordinator = login("coordinator@demo.org")
    worker = demo_staff(app, "worker@demo.org")
    arg = arg_of(app, "clients", "Assigned worker")
    page = text(coordinator.get(f"/admin/clients/?flt0_{arg}={worker.id}"))
    active = json.loads(re.search(r'<div id="active-filters-data" class="d-none">(.*?)</div>', page, re.S).group(1))
    assert [str(value) for _, _, value in active] == [str(worker.id)]


def test_row_links_built_once_per_page_are_url_fors(app):
    from flask import url_for

    from admin_views.base import ROW_MARK, row_url

    back = f"/admin/clients/?flt0_1=x y&é={ROW_MARK}#a"
    with app.test_request_context("/admin/clients/"):
        for row in (1, 42, "7", 2**31 - 1):
            assert row_url("clients.details_view", {"id": row}, url=back) == url_for("clients.details_view", id=row, url=back)
            assert row_url("clients.dashboard", {"client_id": row}) == url_for("clients.dashboard", client_id=row)
            both = {"session_id": row, "form_id": 5}
            assert row_url("sessions.service_form", both) == url_for("sessions.service_form", **both)
        assert row_url("clients.details_view", {"id": "x"}, url=back) == url_for("clients.details_view", id="x", url=back)

"""Rows of another agency are a 404 on every path of every agency-owned admin view."""

import pytest
from sqlalchemy import select

from extensions import db
from models import Agency, AgencyOwned, tenant_scope
from tests.admin_views_helpers import MODEL_VIEWS
from tests.conftest import demo_agency

pytestmark = pytest.mark.usefixtures("demo")

SCOPED_VIEWS = [v for v in MODEL_VIEWS if issubclass(v.model, (AgencyOwned, Agency))]
OTHER_AGENCY_TEXT = (
    "Other Agency Office",
    "Newcomer Services",
    "admin@other.org",
    "Tremblay",
    "OTHER coffee club",
    "OTHER: how did you hear",
)


def test_every_model_view_is_tenant_scoped():
    """A model without an agency must be shared reference data, listed here on purpose."""
    shared = {v.endpoint for v in MODEL_VIEWS if v not in SCOPED_VIEWS}
    assert shared == {"reference"}


def other_agency_ids(app, view):
    other = demo_agency(app, "OTHER")
    with app.app_context(), tenant_scope(other.id):
        pk = view.model.__mapper__.primary_key[0]
        ids = db.session.scalars(select(pk).select_from(view.model)).all()
    assert ids, f"the demo gives OTHER no {view.model.__name__} rows to test with"
    return ids


@pytest.fixture
def admin_client(client, login):
    return login("admin@demo.org")


@pytest.mark.parametrize("view", SCOPED_VIEWS, ids=lambda v: v.endpoint)
def test_details_and_edit_of_another_agency_are_404(app, admin_client, view):
    for row_id in other_agency_ids(app, view):
        assert admin_client.get(f"{view.url}/details/?id={row_id}").status_code == (404 if view.can_view_details else 403)
        assert admin_client.get(f"{view.url}/edit/?id={row_id}").status_code in (403, 404)
        response = admin_client.post(f"{view.url}/edit/?id={row_id}", data={"name": "Hijacked"})
        assert response.status_code in (403, 404)


@pytest.mark.parametrize("view", SCOPED_VIEWS, ids=lambda v: v.endpoint)
def test_delete_and_actions_on_another_agency_are_refused(app, admin_client, view):
    for row_id in other_agency_ids(app, view):
        assert admin_client.post(f"{view.url}/delete/", data={"id": row_id}).status_code in (403, 404)
        response = admin_client.post(f"{view.url}/action/", data={"action": "delete", "rowid": [row_id]})
        assert response.status_code == 404
    assert other_agency_ids(app, view)  # still there


@pytest.mark.parametrize("view", [v for v in SCOPED_VIEWS if v.can_export], ids=lambda v: v.endpoint)
def test_export_and_list_hold_no_other_agency_rows(admin_client, view):
    for url in (f"{view.url}/export/csv/", f"{view.url}/", f"{view.url}/?search=a"):
        response = admin_client.get(url)
        assert response.status_code == 200
        text = response.get_data(as_text=True)
        assert not [t for t in OTHER_AGENCY_TEXT if t in text], url


@pytest.mark.parametrize("path", ["/admin/staff/new/", "/admin/programs/new/", "/admin/staff/?search=Wei"])
def test_form_and_filter_options_hold_no_other_agency_rows(admin_client, path):
    text = admin_client.get(path).get_data(as_text=True)
    assert not [t for t in OTHER_AGENCY_TEXT if t in text]
    assert "Head Office" in text or "IRCC" in text or "Wei" in text


def test_the_other_agency_sees_only_itself(client, login):
    login("admin@other.org")
    text = client.get("/admin/staff/").get_data(as_text=True)
    assert "admin@other.org" in text and "demo.org" not in text


@pytest.mark.parametrize("bad_id", ["abc", "1;drop", "99999999", "1.5"])
def test_malformed_or_unknown_ids_are_404_not_500(admin_client, bad_id):
    assert admin_client.get(f"/admin/sites/details/?id={bad_id}").status_code == 404
    assert admin_client.post("/admin/sites/action/", data={"action": "delete", "rowid": [bad_id]}).status_code == 404


def test_a_missing_id_goes_back_to_the_list(admin_client):
    assert admin_client.get("/admin/sites/details/?id=").location.startswith("/admin/sites/")

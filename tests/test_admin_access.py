"""Every admin view's list, create, edit and details pages, as each role and signed out."""

import pytest
from sqlalchemy import select

from extensions import db
from models import tenant_scope
from tests.admin_views_helpers import MODEL_VIEWS, ROLE_EMAILS, VIEWS
from tests.conftest import demo_agency

PAGES = ("list", "create", "edit", "details")
ROLES = (None, *ROLE_EMAILS)


def first_visible_id(app, view):
    """A row of the demo agency this view shows (so edit/details have something to open)."""
    agency = demo_agency(app, "DEMO")
    with app.test_request_context(), tenant_scope(agency.id):
        pk = view.model.__mapper__.primary_key[0]
        return db.session.scalar(select(pk).select_from(view.model).order_by(pk).limit(1))


def url_for_page(app, view, page):
    if page == "list":
        return view.url + "/"
    suffix = {"create": "new/", "edit": "edit/", "details": "details/"}[page]
    query = "" if page == "create" else f"?id={first_visible_id(app, view)}"
    return f"{view.url}/{suffix}{query}"


def declared_status(view, role, page):
    """What the view's declaration (required_roles, manage_roles, allow_*) promises."""
    if role is None:
        return 302
    if role not in view.required_roles:
        return 403
    if page == "list":
        return 200
    allowed = {"create": view.allow_create, "edit": view.allow_edit, "details": view.can_view_details}[page]
    managing = page == "details" or role in view.manage_roles
    return 200 if allowed and managing else 403


@pytest.mark.usefixtures("demo")
@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "signed-out")
@pytest.mark.parametrize("view", MODEL_VIEWS, ids=lambda v: v.endpoint)
@pytest.mark.parametrize("page", PAGES)
def test_page_answers_as_declared(app, client, login, view, role, page):
    if role:
        login(ROLE_EMAILS[role])
    response = client.get(url_for_page(app, view, page))
    expected = declared_status(view, role, page)
    assert response.status_code == expected, f"{view.endpoint} {page} as {role}"
    if expected == 302:
        assert response.location.startswith("/login?next=")


@pytest.mark.usefixtures("demo")
@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "signed-out")
def test_home_page(client, login, role):
    if role:
        login(ROLE_EMAILS[role])
    response = client.get("/admin/")
    assert response.status_code == (200 if role else 302)


# A hand-written table of what the roles mean, so the declarations themselves are checked.
PROMISES = [
    ("staff", "worker", "list", 403),
    ("staff", "coordinator", "list", 403),
    ("staff", "agency_admin", "create", 200),
    ("agency", "coordinator", "list", 403),
    ("agency", "agency_admin", "edit", 200),
    ("agency", "agency_admin", "create", 403),
    ("sites", "worker", "list", 200),
    ("sites", "worker", "edit", 403),
    ("sites", "coordinator", "create", 403),
    ("sites", "agency_admin", "create", 200),
    ("programs", "agency_admin", "edit", 200),
    ("funders", "agency_admin", "create", 200),
    ("directory", "worker", "list", 200),
    ("directory", "worker", "details", 200),
    ("directory", "agency_admin", "edit", 403),
    ("reference", "worker", "list", 403),
    ("reference", "coordinator", "list", 200),
]


@pytest.mark.usefixtures("demo")
@pytest.mark.parametrize("endpoint, role, page, status", PROMISES)
def test_role_promises(app, client, login, endpoint, role, page, status):
    view = next(v for v in VIEWS if v.endpoint == endpoint)
    login(ROLE_EMAILS[role])
    assert client.get(url_for_page(app, view, page)).status_code == status


@pytest.mark.usefixtures("demo")
def test_menu_shows_only_what_the_role_may_open(client, login):
    login("worker@demo.org")
    html = client.get("/admin/").get_data(as_text=True)
    assert "/admin/directory/" in html and "/admin/sites/" in html
    assert "/admin/staff/" not in html and "/admin/agency/" not in html

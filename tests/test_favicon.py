"""Every layout names the site's icon, so that browsers do not ask for a missing /favicon.ico on
every page (a 404 each time in the server's log)."""

import pytest

from tests.conftest import text

pytestmark = pytest.mark.usefixtures("demo")
ICON = '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">'


def test_the_icon_is_served_as_svg(client):
    response = client.get("/static/favicon.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert response.get_data(as_text=True).startswith("<svg ")


def test_the_sign_in_page_and_the_portals_name_the_icon(client):
    assert ICON in text(client.get("/login"))
    assert ICON in text(client.get("/portal/sign-in"))


def test_staff_pages_name_the_icon(worker):
    assert ICON in text(worker.get("/admin/"))
    assert ICON in text(worker.get("/admin/clients/"))

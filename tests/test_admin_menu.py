"""The admin menu bar comes from a cache (admin_views/menu.py) keyed by the page's view, the
language and which entries show: every role sees, in each language and on each page, the menu
Flask-Admin's macro renders for them, whoever filled the cache before."""

import re

import pytest

from tests.conftest import sign_in, text
from tests.test_grid_statements import ROLES
from tests.test_i18n import set_language

pytestmark = pytest.mark.usefixtures("demo")
PAGES = ("/admin/", "/admin/clients/", "/admin/sessions/", "/admin/staff/", "/admin/my-account/")


MENU = re.compile(r'<ul class="nav navbar-nav mr-auto">(.*?)</ul>\s*<ul class="nav navbar-nav navbar-right">', re.S)


def menu_of(page):
    return MENU.search(page).group(1)


def menus(app, browsers, cleared):
    """``{(who, page): menu}``, the cache emptied before each page when ``cleared``."""
    found = {}
    for who, browser in browsers.items():
        for page in PAGES:
            if cleared:
                app.extensions["admin"][0].__dict__.pop("_rendered_menus", None)
            response = browser.get(page)
            if response.status_code == 200:
                found[who, page] = menu_of(text(response))
    return found


def test_every_role_sees_its_own_menu_in_its_language_from_the_cache(app):
    set_language(app, "worker@demo.org", "fr_CA")
    browsers = {}
    for email in ROLES:
        browsers[email] = app.test_client()
        assert sign_in(browsers[email], email).status_code == 302
    fresh = menus(app, browsers, cleared=True)
    cached = menus(app, browsers, cleared=False)
    assert len(fresh) >= 12 and cached == fresh
    assert app.extensions["admin"][0]._rendered_menus  # the second pass read the cache
    assert len({menu for (who, _), menu in fresh.items() if who == "admin@demo.org"}) > 1  # the active entry moves
    assert "Find a client" in fresh["admin@demo.org", "/admin/"] and "Trouver un client" in fresh["worker@demo.org", "/admin/"]
    assert fresh["coordinator@demo.org", "/admin/"] != fresh["admin@demo.org", "/admin/"]  # roles differ

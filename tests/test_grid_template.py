"""The grids' own list template (templates/admin/grid.html: rows written from cells the view
works out once, admin_views/grid_rows.py) renders the page Flask-Admin's list template
renders: every registered grid, as each role, in both languages, sorted, searched, paged and
empty, compared with the same page rendered through Flask-Admin's ``admin/model/list.html``
(whitespace, CSRF tokens and script nonces aside)."""

import re

import pytest
from flask_admin.contrib.sqla import ModelView
from jinja2 import ChoiceLoader, DictLoader
from sqlalchemy import select

from extensions import db
from models import ALL_AGENCIES, ServiceSession, tenant_scope
from models.completeness import is_complete_clause
from tests.conftest import sign_in, text
from tests.test_grid_statements import ROLES, grow
from tests.test_i18n import set_language

pytestmark = pytest.mark.usefixtures("demo")

FLASK_ADMINS = {"admin/grid.html": "{% extends 'admin/model/list.html' %}"}
QUERIES = ("", "?sort=0&desc=1", "?page_size=2&page=1", "?search=zz-no-such-row-zz")


def normalized(page):
    """The page without what differs between two renderings of it: tokens, nonces, whitespace
    (next to tags: Flask-Admin's cells are indented, ours are not)."""
    page = re.sub(r'nonce="[^"]*"', 'nonce=""', page)
    page = re.sub(r'(name="csrf_token"[^>]*value=")[^"]*"', r'\1"', page)
    page = re.sub(r'(value=")[^"]*("[^>]*name="csrf_token")', r"\1\2", page)
    return re.sub(r"\s*(<|>)\s*", r"\1", re.sub(r"\s+", " ", page))


def difference(url, ours, theirs):
    """Where two pages part: the URL and what follows in each."""
    at = next(i for i, (a, b) in enumerate(zip(ours + " ", theirs + "  ", strict=False)) if a != b)
    return url, ours[max(0, at - 80) : at + 120], theirs[max(0, at - 80) : at + 120]


def grid_urls(app, browser):
    """Every grid this browser may open, with each query of ``QUERIES`` its grid supports."""
    urls = []
    for view in (v for v in app.extensions["admin"][0]._views if isinstance(v, ModelView)):
        base = view.url.rstrip("/") + "/"
        if browser.get(base).status_code != 200:
            continue
        queries = [q for q in QUERIES if "search" not in q or view._search_supported]
        urls += [base + query for query in queries if "sort" not in query or view._sortable_columns]
    return urls


def pages(app, browser, urls, monkeypatch, flask_admins):
    """``{url: normalized page}``, through Flask-Admin's list template when ``flask_admins``."""
    with monkeypatch.context() as patch:
        if flask_admins:
            patch.setattr(app.jinja_env, "loader", ChoiceLoader([DictLoader(FLASK_ADMINS), app.jinja_env.loader]))
        found = {}
        for url in urls:
            response = browser.get(url)
            assert response.status_code == 200, url
            found[url] = normalized(text(response))
    return found


@pytest.mark.parametrize("language", ["en", "fr_CA"])
def test_every_grid_renders_the_page_flask_admins_list_template_renders(app, monkeypatch, language):
    grow(app, clients=8)
    compared = 0
    for email in ROLES:
        set_language(app, email, language)
        browser = app.test_client()
        assert sign_in(browser, email).status_code == 302
        urls = grid_urls(app, browser)
        ours, theirs = pages(app, browser, urls, monkeypatch, False), pages(app, browser, urls, monkeypatch, True)
        assert [difference(url, ours[url], theirs[url]) for url in urls if ours[url] != theirs[url]] == []
        assert any('class="action-checkbox"' in page for page in ours.values())
        compared += len(urls)
    assert compared > 60


def test_a_grid_page_writes_its_rows_from_the_views_cells(app, login):
    """The page comes from templates/admin/grid.html (not Flask-Admin's row blocks): a cell is
    exactly what ``grid_rows`` made of it."""
    grow(app, clients=3)
    page = text(login("coordinator@demo.org").get("/admin/clients/"))
    cells = re.findall(r'<td class="col-registration_number">[^<]*</td>', page)
    assert len(cells) >= 3 and all(re.fullmatch(r'<td class="col-registration_number">C\d{6}</td>', c) for c in cells)


def test_the_session_grids_completeness_is_the_one_definitions(app, login):
    """The Completeness column and filter read the stored flag (``is_counted``); they say what
    ``is_complete_clause()`` says of every session listed, both ways."""
    grow(app, clients=8)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        complete = dict(db.session.execute(select(ServiceSession.id, is_complete_clause())).all())
    assert set(complete.values()) == {True, False}
    admin = login("admin@demo.org")
    page = text(admin.get("/admin/sessions/?page_size=100"))
    shown = {int(i): label == "Complete" for i, label in re.findall(r'edit/\?id=(\d+)".*?badge-\w+">(\w+)<', page, re.S)}
    assert len(shown) > 20 and set(shown.values()) == {True, False} and shown == {i: complete[i] for i in shown}
    view = next(v for v in app.extensions["admin"][0]._views if getattr(v, "endpoint", "") == "sessions")
    flt = next(i for i, f in enumerate(view._filters) if str(f.name) == "Complete")
    for value in (1, 0):
        listed = re.findall(r"edit/\?id=(\d+)", text(admin.get(f"/admin/sessions/?page_size=100&flt0_{flt}={value}")))
        assert listed and all(complete[int(i)] is bool(value) for i in listed)

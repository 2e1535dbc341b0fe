"""SQL statements of one find-a-client search page: as many for 25 results as for 2 (the result
rows load their site and assigned staff with them), and no more than pinned. The option lists
(genders, immigration statuses, languages) are read once per process, never per search; the
agency's sites once per page; the selects render as WTForms renders them. (Counts, never
timings.)"""

import re

import pytest
from flask import request
from sqlalchemy import select
from wtforms.widgets import Select

from custom_pages.find_client import FindClientForm, ListSelect
from extensions import db
from models import ALL_AGENCIES, Agency, Site, tenant_scope
from models.reference import choices, sync_reference_values
from tests.clients_factories import add_clients, assign
from tests.conftest import sign_in
from tests.test_grid_statements import counting, statements_of

pytestmark = pytest.mark.usefixtures("demo")
ROLES = ("coordinator@demo.org", "worker@demo.org")
FEW, MANY = "Okonkwo", "Nakamura"  # surnames no demo client has
# The signed-in staff member, their visibility facts, the agency's sites, the search's
# candidate statements (SQLite: substrings, sounds-alike, typo pass; PostgreSQL: the same and
# the typo pass's close spellings), the result rows with their site and staff. Before the
# option lists were cached: 10 and 11 (one statement per list).
MOST = {"sqlite": 7, "postgresql": 8}


@pytest.fixture
def searched(app):
    """2 clients named Okonkwo and 25 named Nakamura in the demo agency, the first of each with a
    registration site and an assigned worker; returns the site's name."""
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        demo = db.session.scalar(select(Agency).where(Agency.code == "DEMO"))
        site = db.session.scalar(select(Site.name).where(Site.agency_id == demo.id).order_by(Site.id))
        db.session.expunge(demo)
    few = add_clients(app, demo, [(f"Ada{n}", FEW, {}) for n in range(2)])
    many = add_clients(app, demo, [(f"Ken{n}", MANY, {}) for n in range(25)])
    for ids in (few, many):
        for client_id in list(ids.values())[:3]:
            assign(app, demo, client_id, "worker@demo.org", site)
    return site


def signed_in(app, email):
    browser = app.test_client()
    response = sign_in(browser, email)
    assert response.status_code == 302 and "/login" not in response.location
    return browser


def results(browser, query):
    return len(re.findall(r'data-testid="result"', browser.get(f"/admin/find-client/?q={query}").get_data(as_text=True)))


@pytest.mark.parametrize("email", ROLES)
def test_a_search_page_runs_as_many_statements_for_25_results_as_for_2(app, searched, email):
    browser = signed_in(app, email)
    assert (results(browser, FEW), results(browser, MANY)) == (2, 25)
    few = statements_of(app, browser, f"/admin/find-client/?q={FEW}")
    many = statements_of(app, browser, f"/admin/find-client/?q={MANY}")
    with app.app_context():
        most = MOST[db.engine.dialect.name]
    assert few == many <= most, (few, many, most)


def test_the_page_still_offers_every_option_and_reads_no_list_per_search(app, searched):
    browser = signed_in(app, "coordinator@demo.org")
    url = f"/admin/find-client/?q={MANY}"
    assert browser.get(url).status_code == 200
    with counting(app) as statements:
        html = browser.get(url).get_data(as_text=True)
    assert not [s for s in statements if "reference_values" in s]
    assert len([s for s in statements if re.search(r"\bFROM sites\b", s)]) == 1
    with app.app_context():
        genders = choices("genders")
    assert genders and all(f'<option value="{value}">' in html for value, _ in genders)
    assert f">{searched}</option>" in html and f"<td>{searched}</td>" in html  # the option and a result's site


def test_syncing_the_lists_reads_them_again(app):
    with app.app_context():
        assert choices("genders")
        with counting(app) as warm:
            cached = choices("genders")
        sync_reference_values()
        with counting(app) as after_sync:
            again = choices("genders")
    assert warm == [] and again == cached
    assert [s for s in after_sync if "reference_values" in s]


@pytest.mark.parametrize("chosen", [{}, {"gender": "Male", "language": "Arabic", "immigration_status": "Refugee Claimant"}])
def test_the_option_lists_render_as_wtforms_renders_them(app, make, chosen):
    """``ListSelect`` writes the options itself (faster): the HTML stays WTForms' own, escaping
    and the chosen option included."""
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        demo = db.session.scalar(select(Agency).where(Agency.code == "DEMO"))
        db.session.expunge(demo)
    site = make.site(demo, name='Tom & Jerry "East" <Hub>')
    args = {**chosen, "site": str(site.id)} if chosen else {}
    with app.test_request_context("/admin/find-client/", query_string=args), tenant_scope(demo.id):
        form = FindClientForm(request.args)
        form.load_choices()
        fields = [field for field in form if isinstance(field.widget, ListSelect)]
        assert {field.name for field in fields} == {"gender", "immigration_status", "site", "language"}
        for field in fields:
            assert str(field(class_="form-control")) == str(Select()(field, class_="form-control")), field.name
        assert "Tom &amp; Jerry &#34;East&#34; &lt;Hub&gt;" in str(form.site())
        assert ("selected" in str(form.site())) == bool(chosen)

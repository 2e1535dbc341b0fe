"""The access sweep, generated from ``app.url_map``: every registered URL rule, filled with the
ids of records of another agency, of a program the role is not in and of another worker's
Private records (tests/access_fixtures.py), requested by every role with GET and POST.

A hidden record must be refused (403 or 404, and another agency's never with the break-glass
page that would confirm it exists); no response may hold the marker of a record the role may
not see, whatever its status; after the requests every record is as it was. A rule whose URL
variables the sweep does not know how to fill fails the test, so a new route cannot escape.
"""

import io
import time
import zipfile
from collections import Counter
from urllib.parse import urlencode

import pytest
from flask import Flask
from flask_admin.contrib.sqla import ModelView
from pypdf import PdfReader
from sqlalchemy import select

from custom_pages.client_dashboard import TABS
from extensions import db
from models import ALL_AGENCIES, Agency, AgencyOwned, ReferenceValue, tenant_scope
from models.lookups import LOOKUPS
from reports.dashboards import PANELS
from tests.access_fixtures import (
    AGENCY_OF_ROLE,
    ROLES,
    Target,
    build,
    hidden_prefixes,
    marker_prefix,
    may_see,
    state,
)
from tests.conftest import sign_in

pytestmark = pytest.mark.usefixtures("demo")

# Rules the sweep does not request, and why.
SKIPPED = {
    "static": "the application's CSS and scripts: files in static/, no agency data",
    "admin.static": "Flask-Admin's CSS and scripts",
    "auth.login": "the sign-in page, before any agency is known (tests/test_auth.py); a POST would sign in again",
    "auth.logout": "would end the sweep's own session",
    "two_step.sign_in_code": "the second sign-in step, before any agency data (tests of two-step sign-in)",
    "password_reset.forgot": "asking for a reset link, before sign-in: same answer for any email (tests/test_password_reset.py)",
    "password_reset.reset": "the reset link page, before sign-in: opened by a token only (tests/test_password_reset.py)",
}
# The client portal has its own sign-in: staff are nobody there. tests/test_portal_sweep.py
# requests every portal rule as each portal client with the other's ids, and as staff.
PORTAL_ENDPOINTS = "portal."
# URL variables: each names a record (filled from the fixture's targets) or a choice.
RECORD_VARIABLES = {
    "client_id",
    "session_id",
    "form_id",
    "note_id",
    "file_id",
    "flag_id",
    "staff_id",
    "record_id",
    "record_type",
    "upload_id",
}
RECORD_VARIABLES |= {"plan_id", "goal_id"}  # settlement plans (tests/access_fixtures.make_plan)
RECORD_VARIABLES |= {"document_id"}  # resumes and cover letters (tests/access_fixtures.make_document)
RECORD_VARIABLES |= {"training_id", "eap_id"}  # training and Employment Action Plans (access_fixtures.add_employment_targets)
CHOICE_VARIABLES = {"export_type", "key", "kind"}  # each export type the view offers; report keys (REPORT_KEYS); look-up kinds
CHOICE_VARIABLES |= {"panel"}  # the home page's dashboard panels (reports/dashboards.PANELS)
# Reports (the criteria page): one of each grain, a list and New/Returning, plus one that does not exist.
REPORT_KEYS = ("clients_served", "new_returning", "visits_by_site", "forms_by_kind", "contact_list", "no_such_report")
REPORT_KEYS += ("referrals_by_need", "tasks_by_assignee", "mentor_matches", "icare_rejected")  # the grains of their own
REPORT_KEYS += ("plans_opened", "goals_achieved_by_need")  # the settlement plan grains
# Models whose grids have no agency: nothing of another agency to ask for.
SHARED_MODELS = {ReferenceValue: "the reference lists (languages, countries...) are the same for every agency"}
ID_PAGES = {"edit_view", "details_view", "delete_view"}  # Flask-Admin pages that take ?id=
ROW_POSTS = {"action_view": "rowid", "ajax_update": "list_form_pk"}  # Flask-Admin posts that name rows in the body
QUERY_CHOICES = {"clients.dashboard": ("tab", tuple(TABS))}  # every tab of the dashboard
SEARCHES = {"search": "SECRET", "q": "SECRET", "query": "SECRET", "find": "SECRET"}
# A visible record must open and show its marker on these pages (the sweep cannot pass vacuously).
SHOWS_MARKER = {"sessions.service_form", "clients.download_file", "clients.edit_note", "sessions.edit_view"}
SHOWS_MARKER |= {"clients.plan_view", "clients.edit_goal"}
SHOWS_MARKER |= {"clients.document_view", "clients.document_pdf"}
# Posts whose refusal is a validation error on the page, not a status (break-glass without a reason).
REASON_NEEDED = {"break_glass.open_record"}
# Known leaks, each with its own strict xfail test below (remove the entry once fixed).
KNOWN_LEAKS = {}  # the access-request export's Private leak, found by this sweep, is fixed (test below)
# Posts to the role's own client or session that are not tried with another agency's ids in
# the body, because they name no other record and change the own one legitimately.
NOT_INJECTED = {"clients.withdraw_consent": "withdraws the own client's consent (a confirm step with no ids)"}
# Posts that ignore an id that is not among the (visible) client's own and redirect back: no
# 404, but nothing changes (the state check after the sweep proves it).
IGNORED_IDS = {}  # clear_flag and unassign answered 302 for ids not of this client; now 404


def readable(data):
    """The response as text to search, PDFs and zips (spreadsheets included) opened."""
    parts = [data.decode("utf-8", "replace")]
    if data.startswith(b"%PDF"):
        parts.extend(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    elif data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts.extend(readable(archive.read(name)) for name in archive.namelist())
    return "\n".join(parts)


def admin_views(app):
    return {view.endpoint: view for view in app.extensions["admin"][0]._views}


def model_targets(app, fixture, model):
    """The records a Flask-Admin grid can be asked for by ``?id=``: the fixture's, or (for the
    agency's reference rows) up to two of each agency's own."""
    if fixture.of_model(model):
        return fixture.of_model(model)
    if model in SHARED_MODELS:
        return []
    assert issubclass(model, (AgencyOwned, Agency)), f"{model.__name__}: neither agency-owned nor in SHARED_MODELS"
    targets = []
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        for code, audience in (("DEMO", "DEMO-AGENCY"), ("OTHER", "OTHER-AGENCY")):
            agency_id = fixture.ids["agencies"][code]
            column = model.id if model is Agency else model.agency_id
            ids = db.session.scalars(select(model.id).where(column == agency_id).order_by(model.id.desc()).limit(2)).all()
            targets += [Target("row", audience, code, model, row_id, {}, frozenset()) for row_id in ids]
    assert {t.agency for t in targets} == {"DEMO", "OTHER"}, f"no {model.__name__} rows in both agencies to sweep with"
    return targets


def unknown_variables(rule):
    return sorted(set(rule.arguments) - RECORD_VARIABLES - CHOICE_VARIABLES)


def sweepable_rules(app):
    rules = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in SKIPPED and not rule.endpoint.startswith(PORTAL_ENDPOINTS)
    ]
    problems = [f"{rule.rule} ({rule.endpoint}): unknown {unknown_variables(rule)}" for rule in rules if unknown_variables(rule)]
    assert not problems, "the sweep does not know how to fill: " + "; ".join(problems)
    return rules


def matching_targets(rule, fixture):
    """The fixture records this rule can name: those that give every variable of the rule and
    of which the rule names the record itself (not only its client or session)."""
    wanted = set(rule.arguments) & RECORD_VARIABLES
    return [t for t in fixture.targets if wanted <= set(t.values) and wanted & t.keys]


class Sweep:
    """One role's requests and what went wrong."""

    def __init__(self, app, client, fixture, role):
        self.app, self.client, self.fixture, self.role = app, client, fixture, role
        self.agency = AGENCY_OF_ROLE[role]
        self.hidden_prefixes = hidden_prefixes(role)
        self.requests, self.problems, self.covered, self.known, self.planned = 0, [], Counter(), set(), []
        self.refused = self.shown = self.ignored = self.break_glass = 0

    def hidden(self, target):
        return target is not None and not may_see(self.role, target.audience)

    def request(self, method, url, endpoint, target=None, data=None, direct=False):
        """Plan a request; ``direct``: the URL names the target as it is (not placed under
        another client or session)."""
        self.planned.append((method, url, endpoint, target, data, direct))

    def run(self):
        """Every GET first, then the posts: a write that should have been refused cannot hide a
        leak from a later read."""
        for method, url, endpoint, target, data, direct in sorted(self.planned, key=lambda p: p[0] != "GET"):
            self.execute(method, url, endpoint, target, data, direct)

    def execute(self, method, url, endpoint, target, data, direct):
        self.requests += 1
        self.covered[endpoint] += 1
        try:
            response = self.client.open(url, method=method, data=data)
        except Exception as error:  # an HTTP 500 (exceptions propagate in tests): reported, the sweep goes on
            self.problems.append(f"ERROR {self.role} {method} {url}: {type(error).__name__}: {str(error)[:200]}")
            return
        body = readable(response.get_data())
        where = f"{self.role} {method} {url} -> {response.status_code}"
        leaked = sorted({p for p in self.hidden_prefixes if p in body})
        if leaked and (self.role, endpoint) in KNOWN_LEAKS:
            self.known.add((self.role, endpoint))
        elif leaked:
            self.problems.append(f"LEAK {where}: shows {leaked}")
        if self.hidden(target):
            self._check_refused(where, response.status_code, body, target, endpoint, method)
            if direct and method == "GET" and endpoint in SHOWS_MARKER and target.agency == self.agency:
                self._check_break_glass(where, response.status_code, body, target)
        elif direct and method == "GET" and endpoint in SHOWS_MARKER and target.kind != "staff":
            self._check_shown(where, response.status_code, body, target)

    def _check_refused(self, where, status, body, target, endpoint, method):
        under_own_client = f"/clients/{self.fixture.context[self.agency]['client_id']}/" in where
        if status in (403, 404) or (method == "POST" and endpoint in REASON_NEEDED and status == 200):
            self.refused += 1
        elif method == "POST" and endpoint in IGNORED_IDS and status == 302 and under_own_client:
            self.ignored += 1
        else:
            self.problems.append(f"NOT REFUSED {where}: {target} is hidden from {self.role}")
        if target.agency != self.agency and 'data-testid="restricted-record"' in body:
            self.problems.append(f"EXISTENCE {where}: the break-glass page describes {target} of another agency")

    def _check_break_glass(self, where, status, body, target):
        """A hidden record of the role's own agency: 403 with the break-glass page."""
        if status == 403 and 'data-testid="restricted-record"' in body:
            self.break_glass += 1
        else:
            self.problems.append(f"NO BREAK-GLASS {where}: {target} should answer 403 with the break-glass page")

    def _check_shown(self, where, status, body, target):
        if status == 200 and marker_prefix(target.audience) in body:
            self.shown += 1
        elif status != 200 or target.kind in ("session", "form", "note", "file"):
            self.problems.append(f"NOT SHOWN {where}: {target} is visible to {self.role} but its content is missing")

    def context(self, target, rule):
        """The target placed under a client or session the role does see (a hidden note asked
        for under a visible client), or ``None`` when that is the same URL."""
        visible = self.fixture.context[self.agency]
        values = {**target.values, **{k: v for k, v in visible.items() if k in rule.arguments and k not in target.keys}}
        return values if values != target.values else None


def fill(rule, values, view):
    """Every variable filled, once per export type when the rule has ``<export_type>``."""
    if "export_type" in rule.arguments:
        return [rule.build({**values, "export_type": kind}, append_unknown=False)[1] for kind in view.export_types]
    if "key" in rule.arguments:
        return [rule.build({**values, "key": key}, append_unknown=False)[1] for key in REPORT_KEYS]
    if "panel" in rule.arguments:  # every home page dashboard panel, and one that does not exist
        return [rule.build({**values, "panel": name}, append_unknown=False)[1] for name in [*PANELS, "no_such_panel"]]
    if "kind" in rule.arguments:  # every look-up of models/lookups.py, and one that does not exist
        return [rule.build({**values, "kind": kind}, append_unknown=False)[1] for kind in [*LOOKUPS, "no_such_kind"]]
    return [rule.build(values, append_unknown=False)[1]]


def post_data(row_id, client_id=None):
    """A body that names the row in every field a page reads ids from, and asks for harm.
    ``client_id``: the record's own client when it has one (a session's attendee), so a post
    that adds to the record (a form for that attendee) is a real attempt whatever the ids are:
    never an id that names the client only when the sequences happen to line up."""
    return {
        "id": row_id,
        "rowid": row_id,
        "list_form_pk": row_id,
        "action": "delete",
        "client_id": row_id if client_id is None else client_id,
        "staff": row_id,
        "kind": "io",
        "body": "HIJACKED",
        "description": "HIJACKED",
        "reason": "no",  # too short to open a record through break-glass
        "archived": "1",
        "other_id": row_id,
        "url": "/admin/",
    }


def sweep_rule(sweep, rule, views, app):
    view = views.get(rule.endpoint.split(".")[0])
    page = rule.endpoint.split(".")[-1]
    methods = rule.methods & {"GET", "POST"}
    if set(rule.arguments) & RECORD_VARIABLES:
        return sweep_record_rule(sweep, rule, view, methods)
    for url in fill(rule, {}, view):
        if "GET" in methods:
            sweep.request("GET", url, rule.endpoint)
            sweep.request("GET", f"{url}?{urlencode(SEARCHES)}", rule.endpoint)
        if isinstance(view, ModelView) and (page in ID_PAGES or page in ROW_POSTS):
            sweep_rows(sweep, rule, view, page, methods, url, app)
            continue
        for target in (t for t in client_targets(sweep) if sweep.hidden(t)):
            query = urlencode({"client_id": target.id, "family_of": target.id, "id": target.id})
            if "GET" in methods:
                sweep.request("GET", f"{url}?{query}", rule.endpoint)
            if "POST" in methods:
                sweep.request("POST", f"{url}?{query}", rule.endpoint, data=post_data(target.id))


def client_targets(sweep):
    return [t for t in sweep.fixture.targets if t.kind == "client"]


def sweep_rows(sweep, rule, view, page, methods, url, app):
    """Flask-Admin pages that name a row by ``?id=`` or in the posted body."""
    targets = model_targets(app, sweep.fixture, view.model)
    if not targets and "POST" in methods:  # a shared model: nothing of another agency, ask without a row
        sweep.request("POST", url, rule.endpoint, data=post_data(0))
    for target in targets:
        query = f"{url}?{urlencode({'id': target.id, 'find': 'SECRET'})}"
        if "GET" in methods:
            sweep.request("GET", query, rule.endpoint, target, direct=True)
        if "POST" in methods and sweep.hidden(target):
            sweep.request("POST", query if page in ID_PAGES else url, rule.endpoint, target, data=post_data(target.id))


def sweep_injected_ids(sweep, rule, view, methods):
    """Posts to the role's own client or session whose body names another agency's client and
    staff member (adding them to a session, assigning them...): nothing of theirs may show or change."""
    if "POST" not in methods or set(rule.arguments) not in ({"client_id"}, {"session_id"}) or rule.endpoint in NOT_INJECTED:
        return
    for target in (t for t in sweep.fixture.targets if t.kind == "staff" and sweep.hidden(t)):
        data = {"client_id": target.values["client_id"], "staff": target.id, "staff_id": target.id}
        data |= {"other_id": target.values["client_id"], "merge_id": sweep.fixture.ids["merges"][target.agency]}  # merge and undo
        for url in fill(rule, sweep.fixture.context[sweep.agency], view):
            sweep.request("POST", url, rule.endpoint, data=data)


def sweep_record_rule(sweep, rule, view, methods):
    sweep_injected_ids(sweep, rule, view, methods)
    for target in matching_targets(rule, sweep.fixture):
        variants = [(target.values, True), (sweep.context(target, rule), False)]
        for values, direct in (v for v in variants if v[0]):
            for url in fill(rule, values, view):
                for query in query_choices(rule):
                    if "GET" in methods:
                        sweep.request("GET", url + query, rule.endpoint, target, direct=direct)
                    if "POST" in methods and sweep.hidden(target):
                        body = post_data(target.id, target.values.get("client_id"))
                        sweep.request("POST", url + query, rule.endpoint, target, data=body)


def query_choices(rule):
    if rule.endpoint not in QUERY_CHOICES:
        return [""]
    name, values = QUERY_CHOICES[rule.endpoint]
    return [f"?{urlencode({name: value})}" for value in values]


@pytest.fixture
def fixture(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path))
    return build(app, tmp_path)


def run_sweep(app, client, fixture, role, folder):
    assert sign_in(client, ROLES[role]).status_code == 302
    before = state(app, fixture, folder)
    rules, views, started = sweepable_rules(app), admin_views(app), time.monotonic()
    sweep = Sweep(app, client, fixture, role)
    for rule in rules:
        sweep_rule(sweep, rule, views, app)
    sweep.run()
    after = state(app, fixture, folder)
    sweep.problems += [f"CHANGED {key}: {before[key]!r} -> {after.get(key)!r}" for key in before if before[key] != after.get(key)]
    missed = sorted(rule.endpoint for rule in rules if not sweep.covered[rule.endpoint])
    assert not missed, f"rules the sweep made no request to: {missed}"
    seconds = sweep.seconds = time.monotonic() - started
    summary = (
        f"access sweep ({role}): {len(rules)} rules (+{len(SKIPPED)} skipped), {sweep.requests:,} requests, "
        f"{sweep.refused:,} refused as they must be ({sweep.break_glass} with the break-glass page), {sweep.ignored} ignored, "
        f"{sweep.shown} visible records shown, "
        f"{len(sweep.problems)} problems, {seconds:.1f} s"
    )
    print("\n" + summary)
    return sweep, summary


@pytest.fixture(scope="module")
def totals():
    """The figures of every role's sweep, printed once at the end of the module."""
    figures = {"roles": 0, "rules": 0, "requests": 0, "problems": 0, "seconds": 0.0}
    yield figures
    if figures["roles"]:
        print(
            f"\naccess sweep: {figures['rules']} rules, {figures['roles']} roles, {figures['requests']:,} requests, "
            f"{figures['problems']} leaks or failed refusals, {figures['seconds']:.1f} s"
        )


@pytest.mark.parametrize("role", list(ROLES))
def test_access_sweep(app, client, fixture, tmp_path, role, totals):
    sweep, summary = run_sweep(app, client, fixture, role, tmp_path)
    totals["roles"] += 1
    totals["rules"] = len(sweepable_rules(app))
    totals["requests"] += sweep.requests
    totals["problems"] += len(sweep.problems)
    totals["seconds"] += sweep.seconds
    assert not sweep.problems, summary + "\n" + "\n".join(sweep.problems[:40])
    assert sweep.refused > 100, summary  # every role has records of another agency to be refused
    assert sweep.shown >= 3, summary  # and records it does see, shown with their content
    if AGENCY_OF_ROLE[role] == "DEMO":
        assert sweep.break_glass > 0, summary  # each demo role has records of its agency hidden from it


def test_the_access_request_export_keeps_others_private_records_out(app, client, fixture):
    """admin@demo.org downloads /admin/clients/<id>/access-request.zip: worker@demo.org's Private
    note, file and form are listed as not included (admins open them only through break-glass).
    Found by this sweep as a leak when the export lifted the rules."""
    sign_in(client, ROLES["admin"])
    response = client.get(f"/admin/clients/{fixture.ids['client']}/access-request.zip")
    assert response.status_code == 200
    assert marker_prefix("PRIVATE") not in readable(response.get_data())


def test_every_rule_is_swept_or_skipped_with_a_reason(app):
    """A rule whose variables are unknown fails here by name; skipped rules must still exist."""
    rules = sweepable_rules(app)
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert set(SKIPPED) <= endpoints, f"skipped rules that no longer exist: {sorted(set(SKIPPED) - endpoints)}"
    skipped = sum(1 for r in app.url_map.iter_rules() if r.endpoint in SKIPPED or r.endpoint.startswith(PORTAL_ENDPOINTS))
    assert len(rules) + skipped == len(list(app.url_map.iter_rules()))


def test_a_rule_with_an_unknown_variable_fails_the_sweep():
    """A new route naming a record the sweep cannot fill stops the sweep instead of escaping it."""
    new_app = Flask(__name__)
    new_app.add_url_rule("/admin/clients/<int:client_id>/referrals/<int:referral_id>/", "clients.referral", lambda **kw: "")
    with pytest.raises(AssertionError, match="referral_id"):
        sweepable_rules(new_app)


def test_the_sweep_catches_a_leak(app, client, fixture, tmp_path, monkeypatch):
    """With the program and Private rules switched off, the same sweep reports leaks, failed
    refusals and changed records: it does not pass vacuously."""
    import models.visibility

    monkeypatch.setattr(models.visibility, "current_viewer", lambda: None)
    sweep, _ = run_sweep(app, client, fixture, "worker2", tmp_path)
    kinds = Counter(problem.split()[0] for problem in sweep.problems)
    assert kinds["LEAK"] > 10 and kinds["NOT"] > 10 and kinds["CHANGED"] > 0, kinds
    assert any(p.startswith("CHANGED session") and "(LT-PROGRAM) links" in p for p in sweep.problems)  # a form added
    assert any("/notes/" in p and "SECRET-PRIVATE-" in p for p in sweep.problems if p.startswith("LEAK"))


DASHBOARD_AUDIENCES = ("DEMO-AGENCY", "PROGRAM", "PRIVATE", "LT-PROGRAM")


@pytest.mark.parametrize("role", [r for r in ROLES if AGENCY_OF_ROLE[r] == "DEMO"])
def test_dashboard_tabs_show_exactly_what_the_role_may_see(app, client, fixture, role):
    """Positive and negative controls on the pages people use most: the notes and files tabs."""
    sign_in(client, ROLES[role])
    for tab in ("notes", "files"):
        response = client.get(f"/admin/clients/{fixture.ids['client']}/?tab={tab}")
        assert response.status_code == 200
        page = readable(response.get_data())
        shown = {audience for audience in DASHBOARD_AUDIENCES if marker_prefix(audience) in page}
        assert shown == {audience for audience in DASHBOARD_AUDIENCES if may_see(role, audience)}, (role, tab)
        if shown != set(DASHBOARD_AUDIENCES):
            assert "Restricted" in page  # the hidden rows show as restricted, without their content


def test_the_other_agency_sees_its_own_records_and_nothing_of_the_demo(app, client, fixture):
    sign_in(client, ROLES["other_admin"])
    stranger = fixture.context["OTHER"]["client_id"]
    for tab in ("overview", "notes", "files"):
        page = readable(client.get(f"/admin/clients/{stranger}/?tab={tab}").get_data())
        assert marker_prefix("OTHER-AGENCY") in page and marker_prefix("DEMO-AGENCY") not in page
    assert client.get(f"/admin/clients/{fixture.ids['client']}/").status_code == 404

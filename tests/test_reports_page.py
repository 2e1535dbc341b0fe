"""The criteria page: defaults, bad criteria as plain messages, role scopes, drill-down
permissions (Restricted), xlsx read back with openpyxl, CSV neutralised, the print view."""

import html
import io
import re
import zipfile
from datetime import date

import openpyxl
import pytest

from extensions import db
from models import ALL_AGENCIES, tenant_scope
from models.base import utcnow
from reports.criteria import last_month
from tests.conftest import csv_body
from tests.conftest import text as raw_text
from tests.reports_dataset import build, form, session

JANUARY = "from=2026-01-01&to=2026-01-31"


@pytest.fixture
def data(app, make):
    return build(app, make)


def text(response):
    return html.unescape(raw_text(response))


def total_row(page):
    row = page.split('data-testid="report-total">')[1].split("</tr>")[0]
    return re.sub(r"<[^>]+>", " ", row).split()


def test_catalogue_page_lists_every_report(client, login, data):
    login(data.coordinator.email)
    page = text(client.get("/admin/reports/"))
    from reports import REPORTS

    assert page.count('data-testid="report-link"') == len(REPORTS)


def test_defaults_are_last_month_and_my_site(client, login, data):
    login(data.coordinator.email)
    response = client.get("/admin/reports/clients_served/")
    start, end = last_month(utcnow().date())
    assert response.status_code == 302
    assert f"from={start.isoformat()}&to={end.isoformat()}&site={data.s1.id}" in response.location


def test_coordinator_sees_team_and_program_numbers(client, login, data):
    login(data.coordinator.email)
    page = text(client.get(f"/admin/reports/clients_served/?{JANUARY}"))
    assert total_row(page) == ["Total", "2", "4", "4"]
    assert 'data-testid="report-chart"' in page


@pytest.mark.parametrize(
    "query, message",
    [
        ("from=2026-02-01&to=2026-01-01", "The date range is reversed"),
        ("from=2026-13-01&to=2026-01-01", "is not a date"),
        ("from=1000-01-01&to=2026-01-01", "outside the years"),
        ("from=1990-01-01&to=2026-01-01", "longer than ten years"),
        (f"{JANUARY}&site=abc", "Site: 'abc' is not one you can report on."),
        (f"{JANUARY}&site=99999999999999999999", "is not one you can report on"),
        (f"{JANUARY}&session_type=nope", "is not one of the session types"),
        (f"{JANUARY}&age_min=40&age_max=20", "The age range is reversed"),
        (f"{JANUARY}&age_min=-3", "is not a number from 0 to 120"),
        (f"{JANUARY}&question=12345", "is not one of your agency's questions"),
    ],
)
def test_bad_criteria_get_a_message_and_no_numbers(client, login, data, query, message):
    login(data.admin.email)
    response = client.get(f"/admin/reports/clients_served/?{query}")
    page = text(response)
    assert response.status_code == 200 and message in page
    assert 'data-testid="report-table"' not in page


def test_another_agencys_site_is_refused_like_an_unknown_one(app, client, login, data, make):
    foreign = make.site(data.other, name="Foreign site")
    login(data.admin.email)
    page = text(client.get(f"/admin/reports/clients_by_site/?{JANUARY}&site={foreign.id}"))
    assert f"Site: '{foreign.id}' is not one you can report on." in page and "Foreign site" not in page


def test_a_worker_may_not_report_on_a_colleague(client, login, data):
    login(data.w1.email)
    page = text(client.get(f"/admin/reports/clients_served/?{JANUARY}&worker={data.w2.id}"))
    assert f"Worker: '{data.w2.id}' is not one you can report on." in page
    page = text(client.get(f"/admin/reports/clients_served/?{JANUARY}"))
    assert total_row(page) == ["Total", "1", "3", "3"]


def test_unknown_report_key(client, login, data):
    login(data.w1.email)
    response = client.get("/admin/reports/no_such_report/?" + JANUARY)
    assert response.status_code == 404 and 'There is no report "no_such_report"' in text(response)
    assert client.get("/admin/reports/no_such_report/export.xlsx").status_code == 404


def test_unused_options_are_said_to_be_ignored(client, login, data):
    login(data.admin.email)
    page = text(client.get(f"/admin/reports/visits_by_site/?{JANUARY}&gender=Male&colour=red"))
    assert "ignored: Gender, colour" in page and total_row(page)[:2] == ["Total", "6"]


def test_drill_down_shows_restricted_without_content(client, login, data):
    """W2's Private I&O form counts for the coordinator, shows as Restricted, without Noor."""
    login(data.coordinator.email)
    page = text(client.get(f"/admin/reports/forms_by_kind/?{JANUARY}"))
    link = re.search(r'href="([^"]*records[^"]*row=io&(?:amp;)?measure=forms[^"]*)"', page).group(1).replace("&amp;", "&")
    records = text(client.get(link))
    assert records.count('data-testid="restricted-record"') == 1
    assert records.count('data-testid="drill-record"') == 2  # s1, s2 (W1's)
    assert "Noor" not in records


def test_drill_down_names_new_clients(client, login, data):
    login(data.admin.email)
    records = text(client.get(f"/admin/reports/new_returning/records?{JANUARY}&row=New&measure=clients"))
    assert "Noor Second" in records and "Anonymous client" in records and "Nadia" not in records


@pytest.mark.parametrize(
    "key, row, measure, count",
    [
        ("clients_by_site", "s1", "clients", 1),  # N1, served three times at S1
        ("clients_by_site", "s1", "sessions", 3),
        ("clients_by_site", "s1", "attendances", 3),
        ("clients_by_site", "s2", "clients", 3),  # anonymous X once a session, and N2
        ("forms_by_kind", "io", "clients", 2),  # N1's two I&O forms, N2's one
        ("forms_by_kind", "io", "forms", 3),
    ],
)
def test_drill_down_lists_one_record_per_unit_counted(client, login, data, key, row, measure, count):
    """As many rows as the number drilled into: a unique count lists each client (or session) once."""
    login(data.admin.email)
    value = getattr(data, row).id if row in ("s1", "s2") else row
    page = text(client.get(f"/admin/reports/{key}/?{JANUARY}"))
    cell = re.search(rf'href="[^"]*records[^"]*row={value}&(?:amp;)?measure={measure}[^"]*"[^>]*>\s*([0-9]+)', page)
    records = text(client.get(f"/admin/reports/{key}/records?{JANUARY}&row={value}&measure={measure}"))
    assert int(cell.group(1)) == count
    assert records.count('data-testid="drill-record"') + records.count('data-testid="restricted-record"') == count


def test_a_unit_is_listed_through_a_record_the_viewer_may_open(app, client, login, data):
    """Noor's first I&O form of January is W2's Private one (Restricted for the admin); a later
    form the admin may open lists Noor by name instead of as Restricted."""
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        session(data.agency, date(2026, 1, 25), data.s1, data.w1, [data.n2], [form(data.agency, "io", data.w1, data.n2)])
        db.session.commit()
    login(data.admin.email)
    records = text(client.get(f"/admin/reports/forms_by_kind/records?{JANUARY}&row=io&measure=clients"))
    assert records.count('data-testid="drill-record"') == 2 and 'data-testid="restricted-record"' not in records
    assert "Noor" in records and "2026-01-25" in records


def test_drill_down_stays_in_the_workers_scope(client, login, data):
    login(data.w1.email)
    records = text(client.get(f"/admin/reports/clients_by_site/records?{JANUARY}&row={data.s2.id}&measure=clients"))
    assert "No records." in records


def test_xlsx_export_reads_back(client, login, data):
    login(data.admin.email)
    response = client.get(f"/admin/reports/clients_by_site/export.xlsx?{JANUARY}")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    sheet = book["Report"]
    assert list(sheet.values) == [
        ("Site", "Clients (unique)", "Attendances", "Sessions (unique)"),
        ("S1", 1, 3, 3),
        ("S2", 3, 3, 3),
        ("Total", 4, 6, 6),
    ]
    assert sheet.freeze_panes == "B2" and sheet["A1"].font.bold and sheet.column_dimensions["B"].width > 10
    criteria = dict(book["Criteria"].iter_rows(min_row=2, values_only=True))
    assert (
        criteria["Report"] == "Clients served by site" and criteria["From"] == "2026-01-01" and criteria["Run by"] == "Ada Admin"
    )


def test_the_chosen_site_is_named_on_the_criteria_sheet_and_the_print_view(client, login, data):
    login(data.admin.email)
    query = f"{JANUARY}&site={data.s1.id}"
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/admin/reports/clients_by_site/export.xlsx?{query}").data))
    assert dict(book["Criteria"].iter_rows(min_row=2, values_only=True))["Site"] == "S1"
    assert "From: 2026-01-01 · To: 2026-01-31 · Site: S1" in text(client.get(f"/admin/reports/clients_by_site/print?{query}"))


def test_a_report_without_a_site_criterion_gets_no_default_site(client, login, data):
    """The coordinator's default site is added to a report that takes a site, never to one that
    does not (settlement plans); an ignored site is not on its Criteria sheet or print view."""
    login(data.coordinator.email)
    assert f"site={data.s1.id}" in client.get("/admin/reports/clients_served/").location
    response = client.get("/admin/reports/plans_opened/")
    assert response.status_code == 302 and "site=" not in response.location
    assert "ignored" not in text(client.get(response.location))
    query = f"{JANUARY}&site={data.s1.id}"
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/admin/reports/plans_opened/export.xlsx?{query}").data))
    assert "Site" not in dict(book["Criteria"].iter_rows(min_row=2, values_only=True))
    assert "Site: S1" not in text(client.get(f"/admin/reports/plans_opened/print?{query}"))


def test_an_agency_admin_reports_on_every_site_by_default(app, client, login, data):
    """The coordinator's report opens on their default site; the agency admin's, with a default
    site too, on the whole agency."""
    from extensions import db
    from models import ALL_AGENCIES, Staff, tenant_scope

    with app.app_context(), tenant_scope(ALL_AGENCIES):
        db.session.get(Staff, data.admin.id).default_site_id = data.s1.id
        db.session.commit()
    login(data.admin.email)
    response = client.get("/admin/reports/clients_served/")
    assert response.status_code == 302 and "site=" not in response.location
    assert "Site:" not in text(client.get(response.location))


@pytest.mark.parametrize("site", ["99999", "abc"])
@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_an_export_with_a_bad_site_shows_the_message(app, client, login, data, site, kind):
    """The criteria page with the message, no file, nothing in the audit trail."""
    from extensions import db
    from models import ALL_AGENCIES, AuditEvent, tenant_scope

    login(data.admin.email)
    response = client.get(f"/admin/reports/clients_by_site/export.{kind}?{JANUARY}&site={site}")
    page = text(response)
    assert response.status_code == 200 and "attachment" not in response.headers.get("Content-Disposition", "")
    assert f"Site: '{site}' is not one you can report on." in page and 'data-testid="report-table"' not in page
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert not db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "export")).all()


def test_csv_export_neutralises_formulas(app, client, login, data):
    from extensions import db
    from models import ALL_AGENCIES, Site, tenant_scope

    with app.app_context(), tenant_scope(ALL_AGENCIES):
        db.session.get(Site, data.s1.id).name = "=HYPERLINK(1)"
        db.session.commit()
    login(data.admin.email)
    lines = csv_body(client.get(f"/admin/reports/clients_by_site/export.csv?{JANUARY}")).splitlines()
    assert "'=HYPERLINK(1),1,3,3" in lines and lines[-1] == "Total,4,6,6"


def test_xlsx_keeps_text_exactly_and_csv_guards_formulas(app, client, login, data):
    """A phone number starting with + reads back from the xlsx exactly (no apostrophe); a text
    starting with = is a string cell, not a formula, in the xlsx, and guarded in the CSV."""
    from extensions import db
    from models import ALL_AGENCIES, Client, Site, tenant_scope

    with app.app_context(), tenant_scope(ALL_AGENCIES):
        db.session.get(Client, data.n1.id).phone = "+1 416 555 0123"
        db.session.get(Site, data.s1.id).name = "=cmd"
        db.session.commit()
    login(data.admin.email)
    contacts = client.get(f"/admin/reports/contact_list/export.xlsx?{JANUARY}").data
    cells = [c for row in openpyxl.load_workbook(io.BytesIO(contacts))["Report"].iter_rows() for c in row]
    assert "+1 416 555 0123" in [c.value for c in cells] and not [c for c in cells if str(c.value).startswith("'")]
    sites = client.get(f"/admin/reports/clients_by_site/export.xlsx?{JANUARY}").data
    cell = openpyxl.load_workbook(io.BytesIO(sites))["Report"]["A2"]
    assert (cell.value, cell.data_type) == ("=cmd", "s")
    with zipfile.ZipFile(io.BytesIO(sites)) as parts:
        assert b"<f>" not in parts.read("xl/worksheets/sheet1.xml")
    assert "'=cmd,1,3,3" in csv_body(client.get(f"/admin/reports/clients_by_site/export.csv?{JANUARY}")).splitlines()
    assert "'+1 416 555 0123" in text(client.get(f"/admin/reports/contact_list/export.csv?{JANUARY}"))


def test_print_view(client, login, data):
    login(data.coordinator.email)
    page = text(client.get(f"/admin/reports/contact_list/print?{JANUARY}"))
    assert "Client contact list" in page and "416-555-0101" in page and "printed by Cora Coordinator" in page


def test_agency_question_answers(app, client, login, data):
    """A form question groups the forms' answers; on a clients report it is refused, not zero."""
    from extensions import db
    from models import ALL_AGENCIES, AgencyQuestion, ServiceForm, tenant_scope

    with app.app_context(), tenant_scope(ALL_AGENCIES):
        question = AgencyQuestion(agency_id=data.agency.id, target="io", label="Heard of us from", answer_type="text")
        db.session.add(question)
        db.session.flush()
        row = db.session.scalar(db.select(ServiceForm).where(ServiceForm.session_id == data.sessions["s1"]))
        row.data = {**row.data, question.key: "Radio"}
        db.session.commit()
        question_id = question.id
    login(data.admin.email)
    page = text(client.get(f"/admin/reports/question_answers/?{JANUARY}&question={question_id}"))
    assert '<th scope="row">Radio</th>' in page
    page = text(client.get(f"/admin/reports/clients_served/?{JANUARY}&question={question_id}&answer=Radio"))
    assert "This report counts clients, not forms" in page and 'data-testid="report-table"' not in page
    page = text(client.get(f"/admin/reports/forms_by_kind/?{JANUARY}&question={question_id}&answer=Radio"))
    assert total_row(page) == ["Total", "1", "1"]


FRENCH = {"Accept-Language": "fr-CA"}


def test_the_reports_speak_french(client, login, data):
    """Catalogue, criteria page, messages, table, drill-down and the xlsx Criteria sheet in
    Canadian French; the numbers and the URL keys stay the same."""
    login(data.coordinator.email)
    catalogue = text(client.get("/admin/reports/", headers=FRENCH))
    assert "Clients servis par mois" in catalogue and "Profil démographique des clients" in catalogue
    page = text(client.get(f"/admin/reports/new_returning/?{JANUARY}", headers=FRENCH))
    assert "Nouveaux clients et clients de retour" in page and "Lancer le rapport" in page and "Options supplémentaires" in page
    assert '<th scope="col">Statut</th>' in page and '<th scope="row">Nouveau</th>' in page and "De retour" in page
    assert total_row(page)[0] == "Total"
    refused = text(client.get("/admin/reports/clients_served/?from=2026-02-01&to=2026-01-01", headers=FRENCH))
    assert "La période est inversée" in refused and "Le rapport n'a pas été lancé" in refused
    records = text(client.get(f"/admin/reports/forms_by_kind/records?{JANUARY}&row=io&measure=forms", headers=FRENCH))
    assert "Retour au rapport" in records and "Restreint" in records


def test_the_french_xlsx_has_french_labels(client, login, data):
    login(data.admin.email)
    response = client.get(f"/admin/reports/clients_by_site/export.xlsx?{JANUARY}", headers=FRENCH)
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert next(book["Rapport"].values) == ("Site", "Clients (uniques)", "Présences", "Séances (uniques)")
    criteria = dict(book["Critères"].iter_rows(min_row=2, values_only=True))
    assert criteria["Rapport"] == "Clients servis par site" and criteria["De"] == "2026-01-01"


def test_french_values_names_and_numbers_everywhere(client, login, data):
    """Stored values (delivery method, languages) by their French labels in the table, the
    chart, the CSV and the xlsx; hours written 1,50 on the page but real numbers in the xlsx;
    the criteria by their names on French-named sheets."""
    login(data.admin.email)
    page = text(client.get(f"/admin/reports/visits_by_delivery_method/?{JANUARY}", headers=FRENCH))
    assert '<th scope="row">En personne</th>' in page and "<title>En personne: 6</title>" in page
    assert "In Person" not in page
    languages = text(client.get(f"/admin/reports/visits_by_language/?{JANUARY}", headers=FRENCH))
    assert '<th scope="row">Anglais</th>' in languages and '<th scope="row">Français</th>' in languages
    hours = text(client.get(f"/admin/reports/visits_by_site/?{JANUARY}", headers=FRENCH))
    assert ">1,50<" in hours and total_row(hours)[-1] == "3,50" and "1.5" not in hours
    lines = csv_body(client.get(f"/admin/reports/visits_by_delivery_method/export.csv?{JANUARY}", headers=FRENCH)).splitlines()
    assert lines[1].startswith("En personne,")
    query = f"{JANUARY}&site={data.s2.id}&worker={data.w2.id}&session_type=direct"
    response = client.get(f"/admin/reports/visits_by_site/export.xlsx?{query}", headers=FRENCH)
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Rapport", "Critères"]
    assert list(book["Rapport"].values)[1] == ("S2", 3, 1.5)
    criteria = dict(book["Critères"].iter_rows(min_row=2, values_only=True))
    assert criteria["Site"] == "S2" and criteria["Intervenant"] == "Walter Two" and criteria["Type de séance"] == "Service direct"
    response = client.get(f"/admin/reports/visits_by_delivery_method/export.xlsx?{JANUARY}", headers=FRENCH)
    assert list(openpyxl.load_workbook(io.BytesIO(response.data))["Rapport"].values)[1][0] == "En personne"


def test_french_drill_down_names_its_cell(client, login, data):
    login(data.admin.email)
    query = f"{JANUARY}&row=In+Person&measure=sessions"
    page = text(client.get(f"/admin/reports/visits_by_delivery_method/records?{query}", headers=FRENCH))
    assert "En personne, Séances (uniques)" in page
    page = text(client.get(f"/admin/reports/clients_by_site/records?{JANUARY}&row={data.s1.id}&measure=clients"))
    assert "S1, Clients (unique)" in page
    assert client.get(f"/admin/reports/clients_by_site/records?{JANUARY}&row=abc&measure=clients").status_code == 200


def test_form_choices_read_in_french(app):
    """Answer dimensions label the forms' stored (English) choices; free text stays as typed."""
    from reports import REPORTS

    with app.test_request_context(headers=FRENCH):
        exits = REPORTS["language_exits"].rows
        assert exits.names(["Completed the course"]) == {"Completed the course": "A terminé le cours"}
        assert REPORTS["workshop_trends"].rows.names is None


# The report pages for a first-time user (walk findings 4, 6, 7, 17, 18, 24).
WIDE_RANGE = "from=2025-12-01&to=2026-12-31"
LANGUAGES = {"en": {}, "fr": FRENCH}


def element(page, testid):
    """The text of the first element with this test id (its tags removed, spaces collapsed)."""
    part = re.split(r"</(?:p|td)>", page.split(f'data-testid="{testid}"', 1)[1].split(">", 1)[1])[0]
    return " ".join(re.sub(r"<[^>]+>", " ", part).split())


def offered(page):
    return set(re.findall(r'<select multiple[^>]* name="([a-z_]+)"', page))


@pytest.mark.parametrize("key", ["service_hours", "clients_served", "contact_list"])
def test_a_report_table_scrolls_in_its_box_and_a_wide_ones_chart_goes_below(client, login, data, key):
    login(data.admin.email)
    page = text(client.get(f"/admin/reports/{key}/?{WIDE_RANGE}"))
    assert '<div class="table-responsive" data-testid="report-table-box">\n<table' in page
    columns = page.split('data-testid="report-table"')[1].split("</thead>")[0].count('<th scope="col">')
    if 'data-testid="report-chart-box"' in page:
        below = re.search(r'class="col-12 report-chart-below" data-testid="report-chart-box"', page) is not None
        assert below == (columns > 4), columns
        assert ('class="col-lg-7"' in page) == (columns <= 4)


@pytest.mark.parametrize(
    "key, lists",
    [
        ("visits_by_site", {"site", "worker", "program", "funder", "session_type"}),
        ("referrals_by_status", {"worker", "program"}),
        ("plans_opened", {"worker"}),
    ],
)
def test_the_criteria_form_offers_only_the_reports_filters(client, login, data, key, lists):
    login(data.admin.email)
    assert offered(text(client.get(f"/admin/reports/{key}/?{JANUARY}"))) == lists


def test_a_filter_the_report_ignores_is_still_named_from_the_url(client, login, data):
    login(data.admin.email)
    page = text(client.get(f"/admin/reports/referrals_by_status/?{JANUARY}&site={data.s1.id}&funder=1"))
    assert "ignored: Funder, Site" in page and "site" not in offered(page)


@pytest.mark.parametrize("language, label", [("en", "Criteria used:"), ("fr", "Critères utilisés :")])
def test_the_criteria_used_are_named_above_the_result_and_on_the_records(client, login, data, language, label):
    login(data.admin.email)
    query = f"{JANUARY}&site={data.s1.id}&program={data.program.id}"
    page = text(client.get(f"/admin/reports/clients_by_site/?{query}", headers=LANGUAGES[language]))
    summary = element(page, "report-criteria")
    assert summary.startswith(label) and "2026-01-01" in summary and "2026-01-31" in summary
    assert ": S1" in summary and ": P1" in summary
    assert page.index('data-testid="report-criteria"') < page.index('data-testid="report-table"')
    link = re.search(r'href="([^"]*/records\?[^"]*)"', page).group(1).replace("&amp;", "&")
    records = element(text(client.get(link, headers=LANGUAGES[language])), "report-criteria")
    assert records == summary


@pytest.mark.parametrize(
    "language, advice",
    [("en", "Nothing matches these criteria: try a longer date range"), ("fr", "Rien ne correspond à ces critères")],
)
def test_an_empty_result_says_what_to_try_and_has_no_total(client, login, data, language, advice):
    login(data.admin.email)
    page = text(client.get("/admin/reports/clients_served/?from=2024-01-01&to=2024-01-31", headers=LANGUAGES[language]))
    assert advice in element(page, "report-empty")
    assert 'data-testid="report-table"' in page and 'data-testid="report-total"' not in page
    assert 'data-testid="drill"' not in page and "Click a number" not in page and "Cliquez sur un nombre" not in page
    assert 'data-testid="report-chart"' not in page


def test_a_result_with_numbers_keeps_its_total_and_hint(client, login, data):
    login(data.admin.email)
    page = text(client.get(f"/admin/reports/clients_served/?{JANUARY}"))
    assert 'data-testid="report-total"' in page and "Click a number" in page and 'data-testid="report-empty"' not in page


@pytest.mark.parametrize("language, words", [("en", ("Print", "Back to the report")), ("fr", ("Imprimer", "Retour au rapport"))])
def test_the_print_view_has_a_print_button_and_a_way_back(client, login, data, language, words):
    login(data.coordinator.email)
    query = f"{JANUARY}&site={data.s1.id}"
    page = text(client.get(f"/admin/reports/contact_list/print?{query}", headers=LANGUAGES[language]))
    button = re.search(r'<button type="button" class="btn[^"]*" data-print data-testid="print-button">([^<]+)</button>', page)
    assert button and button.group(1) == words[0] and "onclick" not in page
    back = re.search(r'<a class="ml-2" href="([^"]+)" data-testid="print-back">([^<]+)</a>', page)
    assert back.group(2) == words[1]
    assert back.group(1).replace("&amp;", "&") == f"/admin/reports/contact_list/?{query}"
    assert re.search(r'<script src="/static/js/print_button.js" nonce="[^"]+"></script>', page)
    assert 'class="d-print-none mb-2"' in page


@pytest.mark.parametrize(
    "language, hint",
    [
        ("en", "None chosen: all. Hold Ctrl (Cmd on a Mac) to choose several or to clear one."),
        ("fr", "Aucun choisi : tous. Maintenez Ctrl (Cmd sur un Mac) pour en choisir plusieurs ou pour en retirer un."),
    ],
)
def test_the_criteria_lists_are_two_a_row_on_a_tablet_and_say_how_to_choose(client, login, data, language, hint):
    login(data.admin.email)
    page = text(client.get(f"/admin/reports/visits_by_site/?{JANUARY}", headers=LANGUAGES[language]))
    assert page.count('<div class="form-group col-md-6 col-lg-3">') == 5
    assert page.count(hint) == 5


def test_drill_down_of_hours_lists_each_records_hours_and_their_total(client, login, data):
    """The records behind a sum list what each adds (hours here), and their total is the number
    drilled into; in French, written as French writes numbers."""
    login(data.coordinator.email)
    page = text(client.get(f"/admin/reports/visits_by_site/?{JANUARY}"))
    total = total_row(page)[-1]
    link = re.findall(r'href="([^"]*records\?[^"]*measure=hours[^"]*)"', page)[-1].replace("&amp;", "&")
    assert "row=" not in link  # the total row's cell
    records = text(client.get(link))
    shown = re.findall(r'data-testid="drill-quantity">([^<]*)<', records)
    assert shown and len(shown) == records.count('data-testid="drill-record"')
    restricted = records.count('data-testid="restricted-record"')
    footer = re.search(r'data-testid="drill-quantity-total">(.*?)</tr>', records, re.S).group(1)
    assert footer.endswith(f">{total}</td>") and ("restricted records included" in footer) == bool(restricted)
    if not restricted:
        assert sum(float(value) for value in shown) == pytest.approx(float(total))
    assert 'data-testid="drill-quantity-heading">Service hours<' in records
    french = text(client.get(link, headers=FRENCH))
    assert f">{total.replace('.', ',')}</td>" in french


def test_drill_down_of_a_count_has_no_quantity_column(client, login, data):
    login(data.admin.email)
    records = text(client.get(f"/admin/reports/clients_by_site/records?{JANUARY}&row={data.s1.id}&measure=sessions"))
    assert 'data-testid="drill-record"' in records and "drill-quantity" not in records


def breadcrumb(page):
    return html.unescape(re.search(r'<a href="([^"]+)" data-testid="reports-with-criteria">', page).group(1))


def report_link(page, key):
    return html.unescape(re.search(rf'href="(/admin/reports/{key}/[^"]*)" data-testid="report-link"', page).group(1))


def test_the_criteria_of_a_report_are_carried_to_the_next_one(client, login, data):
    """Clients served for January, site S1 and worker W1: its breadcrumb opens the catalogue,
    which says so, and the next report opens with the same criteria chosen, its result shown."""
    login(data.coordinator.email)
    asked = f"{JANUARY}&site={data.s1.id}&worker={data.w1.id}"
    back = breadcrumb(text(client.get(f"/admin/reports/clients_served/?{asked}")))
    assert back == f"/admin/reports/?{asked}"
    catalogue = text(client.get(back))
    note = "The criteria of your last report (From: 2026-01-01 · To: 2026-01-31 · Site: S1 · Worker: Wanda One) are used"
    assert note in catalogue and 'data-testid="reports-intro"' in catalogue
    assert report_link(catalogue, "visits_by_worker") == f"/admin/reports/visits_by_worker/?{asked}"
    assert report_link(catalogue, "referrals_made") == f"/admin/reports/referrals_made/?{JANUARY}&worker={data.w1.id}"
    response = client.get(report_link(catalogue, "visits_by_worker"))
    page = text(response)
    assert response.status_code == 200 and 'data-testid="report-table"' in page
    assert 'id="c-from" name="from" type="text" value="2026-01-01"' in page
    assert 'id="c-to" name="to" type="text" value="2026-01-31"' in page
    assert f'<option value="{data.s1.id}" selected>S1</option>' in page and f'<option value="{data.s2.id}">S2</option>' in page
    assert f'<option value="{data.w1.id}" selected>Wanda One</option>' in page
    assert 'data-testid="report-ignored"' not in page
    assert breadcrumb(page) == back
    records = text(client.get(f"/admin/reports/clients_served/records?{asked}&measure=clients"))
    assert breadcrumb(records) == back  # the drill-down's own arguments stay behind


def test_only_declared_valid_criteria_are_carried(client, login, data):
    """A CSRF token, an unknown name, an id not yours, a reversed age range, another agency's
    question: never carried (nor shown in the note); the valid criteria beside them are."""
    login(data.coordinator.email)
    junk = "csrf_token=abc&bogus=1&site=99999&age_min=40&age_max=20&question=12345&gender="
    catalogue = text(client.get(f"/admin/reports/?{JANUARY}&{junk}&site={data.s1.id}&first_language=Arabic"))
    kept = f"{JANUARY}&site={data.s1.id}&first_language=Arabic"
    assert report_link(catalogue, "clients_served") == f"/admin/reports/clients_served/?{kept}"
    assert "From: 2026-01-01 · To: 2026-01-31 · Site: S1 · First language: Arabic)" in catalogue
    for word in ("csrf", "bogus", "99999", "Age", "12345", "Gender"):
        assert word not in catalogue.split('data-testid="reports-carried-criteria"')[1].split("</div>")[0], word
    assert "csrf_token=" not in catalogue and "bogus" not in catalogue
    bad_dates = text(client.get("/admin/reports/?from=2026-02-01&to=2026-01-01&site=abc"))
    assert 'data-testid="reports-carried-criteria"' not in bad_dates
    assert report_link(bad_dates, "clients_served") == "/admin/reports/clients_served/"
    page = text(client.get(f"/admin/reports/clients_served/?{JANUARY}&bogus=1&csrf_token=abc"))
    assert breadcrumb(page) == f"/admin/reports/?{JANUARY}"


def test_the_catalogue_without_criteria_says_how_to_use_it_and_carries_nothing(client, login, data):
    login(data.coordinator.email)
    page = text(client.get("/admin/reports/"))
    assert 'data-testid="reports-intro"' in page and 'data-testid="reports-carried-criteria"' not in page
    assert report_link(page, "clients_served") == "/admin/reports/clients_served/"
    french = text(client.get(f"/admin/reports/?{JANUARY}&site={data.s1.id}", headers={"Accept-Language": "fr-CA"}))
    assert "Les critères de votre dernier rapport (De : 2026-01-01 · À : 2026-01-31 · Site : S1) servent" in french


def test_the_catalogue_finds_reports_by_words_of_their_name_or_description(client, login, data):
    """Every word must match, ignoring case and accents, in the interface's language; the
    carried criteria stay through a search; no match says so and links to every report."""
    login(data.coordinator.email)
    every = text(client.get("/admin/reports/")).count('data-testid="report-link"')
    page = text(client.get("/admin/reports/?q=REFERRALS+partner"))
    titles = re.findall(r'data-testid="report-link">\s*([^<]+)<br>', page)
    assert 0 < len(titles) < every and "Referrals by partner" in [t.strip() for t in titles]
    assert f"{len(titles)} report" in page and 'value="REFERRALS partner"' in page
    french = text(client.get("/admin/reports/?q=aiguillages+partenaire", headers=FRENCH))
    assert len(re.findall(r'data-testid="report-link"', french)) == len(titles)
    assert "correspond" in french
    accents = text(client.get("/admin/reports/?q=seances", headers=FRENCH))
    assert accents.count('data-testid="report-link"') > 0
    carried = text(client.get(f"/admin/reports/?{JANUARY}&q=visits"))
    assert 'type="hidden" name="from" value="2026-01-01"' in carried
    assert all("from=2026-01-01" in link for link in re.findall(r'href="([^"]*)" data-testid="report-link"', carried))
    none = text(client.get("/admin/reports/?q=zzzz"))
    assert 'data-testid="report-link"' not in none and "No report matches “zzzz”" in none
    assert 'href="/admin/reports/">See every report' in none


def test_a_question_is_carried_with_its_answer_and_only_to_the_reports_that_take_it(app, client, login, data):
    """An answer is never carried without its question; a service form's question goes only to
    the form reports (the client reports would refuse it)."""
    from extensions import db
    from models import ALL_AGENCIES, AgencyQuestion, tenant_scope

    with app.app_context(), tenant_scope(ALL_AGENCIES):
        question = AgencyQuestion(agency_id=data.agency.id, target="io", label="Heard of us from", answer_type="text")
        db.session.add(question)
        db.session.commit()
        question_id = question.id
    login(data.admin.email)
    alone = text(client.get(f"/admin/reports/?{JANUARY}&answer=Radio"))
    assert "answer=" not in report_link(alone, "forms_by_kind") and "Radio" not in alone
    foreign = text(client.get(f"/admin/reports/?{JANUARY}&question=12345&answer=Radio"))
    assert "answer=" not in report_link(foreign, "forms_by_kind") and "Radio" not in foreign
    carried = text(client.get(f"/admin/reports/?{JANUARY}&question={question_id}&answer=Radio"))
    assert f"question={question_id}&answer=Radio" in report_link(carried, "forms_by_kind")
    clients_link = report_link(carried, "clients_served")
    assert "question=" not in clients_link and "answer=" not in clients_link
    assert "This report counts clients" not in text(client.get(clients_link))

"""French in the admin half of the interface: grids, menus, value lists in two languages, the
French profile PDF, the import template both ways, locale formatting; iCARE keeps its values."""

import csv
import io
import json
import re
from datetime import date, datetime

import openpyxl
import pytest
from flask_babel import force_locale, get_locale
from pypdf import PdfReader
from sqlalchemy import select

from exports.icare_files import draft_file
from exports.imports import import_columns, match_headings
from extensions import db
from i18n import local_date, local_number
from models import ALL_AGENCIES, Agency, AgencyQuestion, Client, ServiceForm, tenant_scope
from models.client_profile import FIELDS, summary
from models.icare_templates import template
from models.reference import choices, value_label
from models.referrals import REFERRAL_STATUSES
from models.tasks import TASK_STATUSES
from service_forms.icare import TEMPLATES_FILE
from tests.conftest import csv_body, demo_agency, text
from tests.icare_helpers import icare_month
from tests.test_i18n import set_language

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture
def person(app, make):
    return make.client(
        demo_agency(app, "DEMO"),
        first_name="Layla",
        last_name="Haddad",
        gender="Male",
        first_language="Arabic",
        country_of_birth="Germany",
        immigration_status="Refugee Claimant",
        province="British Columbia",
        marital_status="Married",
    )


@pytest.fixture
def french_admin(app, login):
    set_language(app, "admin@demo.org", "fr_CA")
    return login("admin@demo.org")


def pdf_text(response):
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)


def test_a_value_reads_in_the_interface_language_and_is_stored_in_english(app):
    with app.test_request_context(), tenant_scope(ALL_AGENCIES):
        assert value_label("genders", "Male", "fr_CA") == "Homme" and value_label("genders", "Male", "en") == "Male"
        assert value_label("languages", "Arabic", "fr_CA") == "Arabe"
        assert value_label("countries", "Germany", "fr_CA") == "Allemagne"
        assert value_label("countries", "No such country", "fr_CA") == "No such country"  # no label: as stored
        with force_locale("fr_CA"):
            assert ("Male", "Homme") in choices("genders") and ("Arabic", "Arabe") in choices("languages")
            assert ("British Columbia", "Colombie-Britannique") in choices("provinces")
        assert ("Male", "Male") in choices("genders")


def test_the_french_profile_pdf_prints_french_values(app, worker, person):
    french = pdf_text(worker.get(f"/admin/clients/{person.id}/profile.pdf?lang=fr"))
    for word in ("Profil du client", "Renseignements principaux", "Homme", "Arabe", "Demandeur d’asile", "Marié", "Allemagne"):
        assert word in french, word
    assert "Colombie-Britannique" in french and "Male" not in french and "Arabic" not in french
    english = pdf_text(worker.get(f"/admin/clients/{person.id}/profile.pdf?lang=en"))
    assert "Male" in english and "Arabic" in english and "Refugee Claimant" in english and "Homme" not in english


def test_the_pdf_language_is_the_documents_not_the_pages(app, login, person):
    set_language(app, "worker@demo.org", "fr_CA")
    worker = login("worker@demo.org")
    assert "Client profile" in pdf_text(worker.get(f"/admin/clients/{person.id}/profile.pdf?lang=en"))


def test_the_profile_summary_labels_values_per_locale(app, person):
    with app.test_request_context(), tenant_scope(ALL_AGENCIES):
        client = db.session.get(Client, person.id)
        with force_locale("fr_CA"):
            lines = dict(line for _title, lines in summary(client) for line in lines)
            assert lines[FIELDS["gender"].label] == "Homme" and str(FIELDS["gender"].label) == "Genre"
        assert client.gender == "Male"  # stored as iCARE has it


def test_grids_menus_and_filters_in_french(french_admin):
    page = text(french_admin.get("/admin/sites/"))
    assert "Ville" in page and "Code postal" in page and "Actif" in page  # column labels
    assert "Paramètres de l'organisme" in page and "Piste d'audit" in page and "Organisme" in page  # menu
    assert "Postal Code" not in page and ">City<" not in page
    staff = text(french_admin.get("/admin/staff/"))
    assert "Prénom" in staff and "Rôle" in staff and "Administrateur de l'organisme" in staff
    assert "Ajouter un filtre" in staff  # Flask-Admin's own French


def test_a_grid_export_has_french_headings(french_admin):
    response = french_admin.get("/admin/sites/export/csv/")
    assert response.status_code == 200
    headings = response.get_data(as_text=True).splitlines()[0]
    assert "Ville" in headings and "Code postal" in headings


def export_rows(browser, grid, export_type="csv"):
    response = browser.get(f"/admin/{grid}/export/{export_type}/")
    assert response.status_code == 200
    if export_type == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
        rows = [["" if cell is None else str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    else:
        rows = list(csv.reader(io.StringIO(csv_body(response))))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def yes_no_answer(app, answer):
    """A Yes/No agency question on the demo's I&O forms, answered ``answer`` on each."""
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        agency = db.session.scalar(select(Agency).where(Agency.code == "DEMO"))
        question = AgencyQuestion(agency_id=agency.id, target="io", label="Came with a friend?", answer_type="yesno")
        db.session.add(question)
        db.session.flush()
        for form in db.session.scalars(select(ServiceForm).where(ServiceForm.agency_id == agency.id, ServiceForm.kind == "io")):
            form.data = {**(form.data or {}), question.key: answer}
        db.session.commit()


@pytest.mark.parametrize("export_type", ["csv", "xlsx"])
def test_grid_exports_write_stored_values_by_their_labels(app, french_admin, person, export_type):
    """Stored (English, iCARE) values are written as the grid and the profile show them:
    the client's gender and immigration status, the session's delivery method and languages,
    a Yes/No agency question's answer; referral and task statuses too."""
    clients = {row["Prénom"]: row for row in export_rows(french_admin, "clients", export_type)}
    assert clients["Layla"]["Genre"] == "Homme" and clients["Layla"]["Statut d'immigration"] == "Demandeur d’asile"
    (session, *_) = export_rows(french_admin, "sessions", export_type)
    assert session["Mode de prestation"] == "En personne" and session["Langues de prestation"] == "Anglais"
    yes_no_answer(app, "Yes")
    (form, *_) = export_rows(french_admin, "service-forms", export_type)
    assert form["Réponses"] == "Came with a friend?: Oui"
    with app.test_request_context(), force_locale("fr_CA"):
        french = {str(label) for label in (*REFERRAL_STATUSES.values(), *TASK_STATUSES.values())}
    for grid in ("referrals", "tasks"):
        statuses = {row["Statut"] for row in export_rows(french_admin, grid, export_type)}
        assert statuses and statuses <= french, statuses


def test_french_error_pages(french_admin):
    page = text(french_admin.get("/admin/clients/999999/"))
    assert "Introuvable" in page and "Retour à la page d'accueil" in page


def test_the_import_template_is_french_and_either_language_is_read_back(app):
    with app.test_request_context(), tenant_scope(ALL_AGENCIES):
        english = [column.heading for column in import_columns(site_rows=[])]
        with force_locale("fr_CA"):
            columns = import_columns(site_rows=[])
            french = [column.heading for column in columns]
            gender = next(c for c in columns if c.spec.name == "gender")
            assert "Homme" in gender.values and "Male" not in gender.values
            assert [gender.lookup[typed.casefold()] for typed in ("Homme", "homme", "Male")] == ["Male"] * 3
            for headings in (english, french):
                found, problems = match_headings(headings, columns)
                assert problems == [] and len(found) == len(columns)
        assert "Prénom" in french and "First name" in english


def test_dates_and_numbers_per_locale(app):
    with app.test_request_context():
        with force_locale("fr_CA"):
            assert local_number(12345.5) == "12\u202f345,5" or local_number(12345.5) == "12\xa0345,5"
            assert local_date(date(2026, 12, 1)) == "2026-12-01" and local_date(date(2026, 12, 1), "long") == "1 décembre 2026"
            assert local_date(datetime(2026, 12, 1, 14, 5)) == "2026-12-01 14 h 05"
        assert local_number(12345.5) == "12,345.5" and local_date(date(2026, 12, 1), "long") == "December 1, 2026"
        assert local_date(datetime(2026, 12, 1, 14, 5)) == "2026-12-01 14:05" and local_date(None) == ""


def test_icare_files_keep_icares_headings_and_values_whatever_the_language(app, make):
    """A French interface changes nothing in an iCARE file: iCARE's codes, labels and values."""
    month = icare_month(app, make)
    spec = {t["sheet"]: t for t in json.loads(TEMPLATES_FILE.read_text(encoding="utf-8"))["templates"]}
    chosen = template("client-profile")
    with app.test_request_context(headers={"Accept-Language": "fr-CA"}), force_locale("fr_CA"):
        assert str(get_locale()) == "fr_CA"
        content = draft_file(month.agency.id, chosen, month.month).content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    columns = spec[chosen.sheet]["columns"]
    assert [c.value for c in sheet[3]] == [c["label"] for c in columns]
    rows = list(sheet.iter_rows(min_row=4))
    assert rows and all(
        cell.value in [str(o) for o in column["options"]]
        for row in rows
        for cell, column in zip(row, columns, strict=True)
        if cell.value and column["options"]
    )


def list_cells(page):
    return re.findall(r'<td class="col-list_name">\s*(.*?)\s*</td>', page, re.S)


def test_the_reference_lists_by_their_names(app, french_admin):
    """The grid names each list in the interface's language (its key is internal), filters by
    those names, and the export writes them; the values stay as stored (English, iCARE's)."""
    page = text(french_admin.get("/admin/reference/?sort=0"))
    cells = list_cells(page)
    assert cells and set(cells) <= {"Langues", "Provinces et territoires", "Pays", "Genres", "Statuts d'immigration"}
    assert '["countries", "Pays"]' in page  # the List filter's options: the key posted, the name shown
    countries = text(french_admin.get("/admin/reference/?flt0_0=countries"))
    assert "Afghanistan" in countries and set(list_cells(countries)) == {"Pays"}
    rows = export_rows(french_admin, "reference")
    assert {row["Liste"] for row in rows} == {"Langues", "Provinces et territoires", "Pays", "Genres", "Statuts d'immigration"}

"""Issue 15, item 9: small defects, each with the test that would fail if it came back."""

import re

import pytest

from models.client_profile import PROFILE
from tests.conftest import demo_agency, text

pytestmark = pytest.mark.usefixtures("demo")


def date_inputs(html):
    return re.findall(r"<input[^>]*data-date-field[^>]*>", html)


def test_date_fields_are_typed_in_the_format_their_messages_name(app, client, login):
    """No native date input (it shows the browser's own format); every date field says
    YYYY-MM-DD, and a date written otherwise is refused with a message naming the same format."""
    login("worker@demo.org")
    for url in ("/admin/register/named/", "/admin/find-client/", "/admin/reports/clients_served/"):
        page = text(client.get(url, follow_redirects=True))
        assert 'type="date"' not in page, url
    page = text(client.get("/admin/find-client/", follow_redirects=True))
    inputs = date_inputs(page)
    assert inputs and all('placeholder="YYYY-MM-DD"' in field and 'type="text"' in field for field in inputs)
    assert "js/date_fields.js" in page and "daterangepicker.js" in page


def test_a_date_in_another_format_is_refused_with_the_format(app):
    from werkzeug.datastructures import MultiDict
    from wtforms import Form

    from validation import DateField

    class Probe(Form):
        day = DateField("Day")

    with app.test_request_context():
        for typed in ("31/12/2024", "2026-13-45", "2026-02-30"):
            form = Probe(MultiDict({"day": typed}))
            assert not form.validate()
            assert form.day.errors == [f"“{typed}” is not a date: write it as YYYY-MM-DD (e.g. 2026-03-31)."]
        assert Probe(MultiDict({"day": " 2024-12-31 "})).validate()


def test_a_required_date_says_required_only_when_empty(app):
    """DataRequired (and any later check) leaves a typed value's own message alone."""
    from werkzeug.datastructures import MultiDict
    from wtforms import Form
    from wtforms.validators import DataRequired

    from validation import DateField

    class Probe(Form):
        day = DateField("Day", validators=[DataRequired(message="Enter the day.")])

    with app.test_request_context():
        for typed, errors in (
            ("2026-13-45", ["“2026-13-45” is not a date: write it as YYYY-MM-DD (e.g. 2026-03-31)."]),
            ("  ", ["Enter the day."]),
            ("x" * 40, [f"“{'x' * 29}…” is not a date: write it as YYYY-MM-DD (e.g. 2026-03-31)."]),
        ):
            form = Probe(MultiDict({"day": typed}))
            assert not form.validate() and form.day.errors == errors


def test_street_types_are_spelt_right():
    street_types = next(f for f in PROFILE if f.name == "street_type").options()
    assert {"Esplanade", "Island", "Plateau"} <= set(street_types)
    assert not {"ésplanade", "Iceland", "Platau"} & set(street_types)


def test_the_receipt_gives_the_agencys_address_and_phone_in_english_and_french(app, client, login, make):
    person = make.client(demo_agency(app, "DEMO"), first_name="Hawa", last_name="Abdullahi")
    login("worker@demo.org")
    english = pdf_text(client.get(f"/admin/clients/{person.id}/receipt.pdf"))
    assert "Registration receipt" in english and "120 Queen St W" in english and "+1 416-555-0100" in english
    french = pdf_text(client.get(f"/admin/clients/{person.id}/receipt.pdf?lang=fr"))
    assert "Reçu d'inscription" in french and "Téléphone" in french and "+1 416-555-0100" in french
    assert "Adresse" in french and "Numéro d'inscription" in french
    page = text(client.get(f"/admin/clients/{person.id}/"))
    assert f"/admin/clients/{person.id}/receipt.pdf?lang=fr" in page


def test_an_agency_admin_sets_the_address_and_phone_on_the_agency(app, client, login):
    from tests.conftest import csrf_token_from

    login("admin@demo.org")
    agency = demo_agency(app, "DEMO")
    url = f"/admin/agency/edit/?id={agency.id}"
    page = text(client.get(url))
    assert 'name="address"' in page and 'name="phone"' in page
    form = dict(re.findall(r'<input[^>]*name="(expected_version|seen_event)"[^>]*value="([^"]*)"', page))
    data = {"csrf_token": csrf_token_from(page), "name": agency.name, "address": "1 Bay St", "phone": "not a phone", **form}
    assert "Enter a valid phone number" in text(client.post(url, data=data))
    assert demo_agency(app, "DEMO").phone == "+1 416-555-0100"


def test_the_french_privacy_statement_says_all_the_english_one_says():
    from demo.agencies import PRIVACY_EN, PRIVACY_FR

    english, french = PRIVACY_EN.split(". "), PRIVACY_FR.split(". ")
    assert len(french) == len(english) and "consulter ou à les corriger" in PRIVACY_FR


def test_the_demos_samira_nouri_has_a_privacy_consent_record(app, upload_folder):
    from sqlalchemy import select

    from demo.access_rules import seed_access_examples
    from extensions import db
    from models import ALL_AGENCIES, Client, tenant_scope
    from models.privacy import latest_consent

    with app.app_context(), tenant_scope(ALL_AGENCIES):
        seed_access_examples("DEMO")
        db.session.commit()
        samira = db.session.scalar(select(Client).where(Client.first_name == "Samira", Client.last_name == "Nouri"))
        consent = latest_consent(samira, "privacy")
        assert consent is not None and consent.given and consent.statement_version == samira.privacy_consent_version
        assert samira.privacy_consent_at is not None


def test_the_audit_tab_names_fields_by_label_and_collapses_repeated_views(app, client, login, make):
    person = make.client(demo_agency(app, "DEMO"), first_name="Layla", last_name="Haddad")
    login("worker@demo.org")
    for _ in range(3):
        client.get(f"/admin/clients/{person.id}/?tab=notes")
    client.get(f"/admin/clients/{person.id}/?tab=overview")
    client.get(f"/admin/clients/{person.id}/?tab=notes")
    page = text(client.get(f"/admin/clients/{person.id}/?tab=audit"))
    table = page.split('data-testid="audit-tab"')[1]
    assert "First name" in table and "Date of birth" in table and "first_name" not in table
    assert table.count('data-testid="collapsed-views"') == 1 and "3 times" in table  # the three in a row
    assert table.count("dashboard: Case notes") == 2  # a view of another tab in between starts a new line


def pdf_text(response):
    import io

    from pypdf import PdfReader

    assert response.status_code == 200
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.get_data())).pages)


def test_in_french_the_date_fields_name_the_format_as_the_french_messages_do(app, client, login):
    """AAAA-MM-JJ on the field, in the calendar's key hint and in the message of a refused date."""
    from sqlalchemy import update

    from extensions import db
    from models import ALL_AGENCIES, Staff, tenant_scope

    with app.app_context(), tenant_scope(ALL_AGENCIES):
        db.session.execute(update(Staff).where(Staff.email == "worker@demo.org").values(interface_language="fr_CA"))
        db.session.commit()
    login("worker@demo.org")
    page = text(client.get("/admin/find-client/", query_string={"q": "x", "dob_from": "31/12/1990"}, follow_redirects=True))
    inputs = date_inputs(page)
    assert inputs and all('placeholder="AAAA-MM-JJ"' in field for field in inputs)
    assert '<meta name="date-field-format" content="AAAA-MM-JJ">' in page and "au format AAAA-MM-JJ" in page

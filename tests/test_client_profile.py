"""The client profile is described once (models/client_profile.py): the description matches the
model's columns and the iCARE template, and the forms, pages, printout and retention all take
their fields from it, so adding a field is one entry there plus the column and its migration."""

import io
from dataclasses import replace
from datetime import date, datetime

import pytest
from pypdf import PdfReader

from extensions import db
from models import ALL_AGENCIES, Client, tenant_scope
from models import client_profile as profile
from models.client_profile import AGENCY, ICARE_LIST, PROFILE, profile_fields
from models.clients import NAMED_ONLY
from models.reference import read_lists
from service_forms.icare import icare_templates
from tests.conftest import demo_agency, demo_staff, text

# The columns of ``clients`` that are not profile fields: identity and bookkeeping, consent
# records, derived search columns, agency answers and the states set by actions.
NOT_PROFILE = {
    "id",
    "agency_id",
    "version",
    "kind",
    "created_at",
    "updated_at",
    "created_by_id",
    "phone_digits",
    "search_text",
    "email_key",
    "answers",
    "privacy_consent_at",
    "privacy_consent_version",
    "privacy_consent_staff_id",
    "is_archived",
    "needs_profile",
    "consent_withdrawn_at",
    "anonymised_at",
}


def test_every_profile_field_is_a_column_and_every_column_a_field_or_listed():
    names = [f.name for f in PROFILE]
    columns = set(Client.__table__.columns.keys())
    assert len(names) == len(set(names))
    assert set(names) <= columns, set(names) - columns
    assert columns - set(names) == NOT_PROFILE


def test_icare_codes_are_the_client_profile_templates_own():
    template = {c["code"] for c in icare_templates()[profile.ICARE_SHEET]["columns"]}
    codes = [f.icare_code for f in PROFILE if f.icare_code]
    assert len(codes) == len(set(codes)) and set(codes) == template - {"processing_details"}


def test_value_lists_exist():
    lists = read_lists()
    for spec in PROFILE:
        if spec.type in ("choice", "multichoice"):
            assert spec.values, spec.name
            if spec.values == ICARE_LIST:
                assert spec.options(), spec.name
            elif isinstance(spec.values, str):
                assert spec.values in lists, spec.name


def test_anonymous_profiles_hold_nothing_the_database_forbids_them():
    anonymous = {f.name for f in profile_fields("anonymous")}
    assert not anonymous & set(NAMED_ONLY)
    assert {"gender", "postal_code", "registration_site_id", "comments"} <= anonymous


def test_personal_data_is_what_retention_removes():
    personal = {f.name for f in PROFILE if f.is_personal}
    assert set(NAMED_ONLY) <= personal and "city" not in personal and "gender" not in personal


@pytest.fixture
def moved_marital_status(monkeypatch):
    """The description with "Marital status" taken out and added again, relabelled, at the end
    of the Agency section: a new entry backed by an existing column."""
    moved = replace(profile.PROFILE[5], label="Civil status (test)", section=AGENCY, width=12)
    assert moved.name == "marital_status"
    monkeypatch.setattr(profile, "PROFILE", (*profile.PROFILE[:5], *profile.PROFILE[6:], moved))
    return moved


@pytest.mark.usefixtures("demo")
def test_a_new_entry_appears_on_the_edit_page_the_overview_and_the_pdf_and_saves(app, make, worker, moved_marital_status):
    person = make.client(demo_agency(app, "DEMO"), first_name="Layla", last_name="Haddad", marital_status="Widowed")
    page = text(worker.get(f"/admin/clients/edit/?id={person.id}"))
    assert "Civil status (test)" in page and "Marital status" not in page
    assert page.index('name="research_consent"') < page.index('name="comments"') < page.index('name="marital_status"')
    overview = text(worker.get(f"/admin/clients/{person.id}/"))
    assert "Civil status (test)" in overview and "Widowed" in overview
    pdf = worker.get(f"/admin/clients/{person.id}/profile.pdf")
    content = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Civil status (test) Widowed" in content and "Marital status" not in content
    form = {
        "first_name": "Layla",
        "last_name": "Haddad",
        "date_of_birth": "1990-01-02",
        "gender": "Female",
        "registration_site_id": str(demo_staff(app, "worker@demo.org").default_site_id),
        "marital_status": "Married",
        "expected_version": "1",
    }
    assert worker.post(f"/admin/clients/edit/?id={person.id}", data=form).status_code == 302
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert db.session.get(Client, person.id).marital_status == "Married"


@pytest.mark.usefixtures("demo")
def test_an_entry_for_anonymous_profiles_appears_on_their_form(app, worker, monkeypatch):
    city = next(f for f in profile.PROFILE if f.name == "city")
    monkeypatch.setattr(profile, "PROFILE", tuple(replace(f, anonymous=True) if f is city else f for f in profile.PROFILE))
    page = text(worker.get("/admin/register/anonymous/"))
    assert 'name="city"' in page and page.index('name="gender"') < page.index('name="city"') < page.index('name="postal_code"')


def test_retention_takes_its_fields_from_the_description(app, make, runner, monkeypatch):
    """City is kept (reports count it) until the description says otherwise."""
    agency = make.agency(retention_months=24)
    long_ago = date(2019, 3, 5)
    values = {"city": "Toronto", "country_of_birth": "Syria", "registration_date": long_ago}
    kept = make.client(agency, **values, updated_at=datetime(2019, 3, 5), created_at=datetime(2019, 3, 5))
    assert runner.invoke(args=["apply-retention"]).exit_code == 0
    monkeypatch.setattr(profile, "PROFILE", tuple(replace(f, retention="remove") if f.name == "city" else f for f in PROFILE))
    removed = make.client(agency, **values, updated_at=datetime(2019, 3, 5), created_at=datetime(2019, 3, 5))
    result = runner.invoke(args=["apply-retention"])
    assert result.exit_code == 0, result.output
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        kept, removed = db.session.get(Client, kept.id), db.session.get(Client, removed.id)
        assert kept.anonymised_at and removed.anonymised_at
        assert (kept.city, kept.country_of_birth) == ("Toronto", "Syria")
        assert (removed.city, removed.country_of_birth) == (None, "Syria")

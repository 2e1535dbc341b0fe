"""Registration: privacy statement first, named profile with the duplicate warning,
anonymous profile, and the wizard's next steps."""

import re
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from extensions import db
from models import ALL_AGENCIES, Client, tenant_scope
from tests.conftest import demo_agency, demo_staff, shown_with_its_error, text
from tests.test_french_pages import speak

pytestmark = pytest.mark.usefixtures("demo")


def site_id(app, name="Head Office"):
    from models import Site

    with app.app_context(), tenant_scope(ALL_AGENCIES):
        return db.session.scalar(select(Site.id).where(Site.name == name))


def named_form(app, **overrides):
    form = {
        "first_name": "Amani",
        "last_name": "Okonkwo",
        "date_of_birth": "1991-04-12",
        "gender": "Female",
        "phone": "(647) 555-0142",
        "has_email": "yes",
        "email": "Amani.O@Example.com",
        "postal_code": "m6h1v9",
        "registration_site_id": str(site_id(app)),
        "official_language": "English",
        "first_language": "Ibo",
        "other_languages": ["English", "French"],
        "country_of_birth": "Nigeria",
        "immigration_status": "Refugee Claimant",
        "arrival_date": "2024-02-01",
        "research_consent": "yes",
        "emergency_contacts-0-name": "Chidi Okonkwo",
        "emergency_contacts-0-relationship": "Brother",
        "emergency_contacts-0-phone": "416 555 0199",
    }
    return {**form, **overrides}


def clients_named(app, last_name):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        clients = db.session.scalars(select(Client).where(Client.last_name == last_name)).all()
        for client in clients:
            _ = client.emergency_contacts, client.assignments
            db.session.expunge(client)
        return clients


def accept_statement(worker):
    return worker.post("/admin/register/consent/", data={"decision": "accept"})


def test_statement_comes_first_in_english_or_french(worker):
    page = text(worker.get("/admin/register/"))
    assert "Demo Settlement Agency collects your personal information" in page
    assert "recueille vos renseignements" in text(worker.get("/admin/register/?lang=fr"))
    response = worker.get("/admin/register/named/")
    assert response.status_code == 302 and response.location.endswith("/admin/register/")


def test_declining_offers_anonymous_registration(worker):
    response = worker.post("/admin/register/consent/", data={"decision": "decline"}, follow_redirects=True)
    assert "Register an anonymous client" in text(response)
    assert worker.get("/admin/register/named/").status_code == 302


def test_named_registration_records_consent_and_everything_typed(app, worker):
    me = demo_staff(app, "worker@demo.org")
    assert accept_statement(worker).location.endswith("/admin/register/named/")
    page = text(worker.get("/admin/register/named/"))
    assert f'value="{me.id}" selected' in page or f'selected value="{me.id}"' in page  # assigned to me by default
    assert f'value="{me.default_site_id}" checked' in page  # my default site
    response = worker.post("/admin/register/named/", data=named_form(app, assigned_staff=[str(me.id)]))
    assert response.status_code == 302 and "/admin/register/done/" in response.location, re.findall(
        r"(?:alert|invalid-feedback)[^>]*>([^<]+)", text(response)
    )
    [client] = clients_named(app, "Okonkwo")
    assert client.privacy_consent_staff_id == me.id and client.privacy_consent_version == 1 and client.privacy_consent_at
    assert (client.phone, client.email, client.postal_code) == ("+1 647-555-0142", "amani.o@example.com", "M6H 1V9")
    assert client.other_languages == ["English", "French"] and client.arrival_year == 2024
    assert [c.name for c in client.emergency_contacts] == ["Chidi Okonkwo"]
    assert [a.staff_id for a in client.assignments] == [me.id]
    assert client.registration_date == date.today() and client.created_by_id == me.id
    wizard = text(worker.get(response.location))
    for step in ("English PDF", "registration receipt", "Register another client", "Open the client dashboard"):
        assert step in wizard


def test_consent_is_needed_again_for_the_next_client(app, worker):
    accept_statement(worker)
    worker.post("/admin/register/named/", data=named_form(app))
    assert worker.get("/admin/register/named/").status_code == 302


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("date_of_birth", timedelta(days=1), "cannot be in the future"),  # from today, when the test runs
        ("date_of_birth", "12/31/1990", "“12/31/1990” is not a date: write it as YYYY-MM-DD (e.g. 2026-03-31)."),
        ("date_of_birth", "1991-02-30", "“1991-02-30” is not a date"),
        ("date_of_birth", "", "Enter the date of birth (YYYY-MM-DD)."),
        ("postal_code", "12345", "Canadian postal code like A1A 1A1"),
        ("phone", "555", "valid phone number"),
        ("email", "not-an-email", "valid email address"),
        ("first_name", "", "This field is required"),
        ("gender", "", "Choose a gender"),
        ("registration_site_id", "999999", "Not a valid choice"),
        ("ircc_id_value", "12345678", "both the identifier type and its value"),
        ("arrival_year", "2019", "does not match the arrival date"),
    ],
)
def test_bad_input_is_shown_on_the_field_and_nothing_saved(app, worker, field, value, message):
    accept_statement(worker)
    if isinstance(value, timedelta):
        value = (date.today() + value).isoformat()
    response = worker.post("/admin/register/named/", data=named_form(app, **{field: value}))
    assert response.status_code == 200
    assert message in text(response) and "Nothing was saved" in text(response)
    assert "Amani" in text(response)  # what was typed is still there
    assert clients_named(app, "Okonkwo") == []


def register(app, worker, **overrides):
    accept_statement(worker)
    return worker.post("/admin/register/named/", data=named_form(app, **overrides))


@pytest.mark.parametrize(
    "overrides, reason",
    [
        ({"first_name": "Amany", "phone": "", "email": ""}, "similar name and same date of birth"),
        ({"first_name": "Okonkwo", "last_name": "Amani", "phone": "", "email": ""}, "similar name and same date of birth"),
        ({"first_name": "Zed", "last_name": "Other", "date_of_birth": "1980-01-01", "email": ""}, "same phone number"),
        (
            {
                "first_name": "Zed",
                "last_name": "Other",
                "date_of_birth": "1980-01-01",
                "phone": "",
                "email": "AMANI.O@example.com",
            },
            "same email",
        ),
    ],
)
def test_likely_duplicates_must_be_confirmed(app, worker, overrides, reason):
    register(app, worker)
    response = register(app, worker, **overrides)
    assert response.status_code == 200
    assert "This may be someone already registered" in text(response) and reason in text(response)
    last_name = overrides.get("last_name", "Okonkwo")
    before = len(clients_named(app, last_name))
    confirmed = worker.post("/admin/register/named/", data=named_form(app, **overrides, confirm_different="y"))
    assert confirmed.status_code == 302
    assert len(clients_named(app, last_name)) == before + 1


def test_a_different_person_with_the_same_birthday_is_not_a_duplicate(app, worker):
    register(app, worker)
    response = register(app, worker, first_name="Bongani", last_name="Dlamini", phone="", email="")
    assert response.status_code == 302


def test_same_ircc_identifier_is_a_duplicate(app, worker):
    register(app, worker, ircc_id_type="FOSS/GCMS Client ID", ircc_id_value="11223344")
    response = register(
        app,
        worker,
        first_name="Zed",
        last_name="Other",
        date_of_birth="1980-01-01",
        phone="",
        email="",
        ircc_id_type="FOSS/GCMS Client ID",
        ircc_id_value="11223344",
    )
    assert "same IRCC identifier" in text(response)


def test_another_agencys_client_is_never_a_duplicate(app, make, worker):
    other = demo_agency(app, "OTHER")
    make.client(other, first_name="Amani", last_name="Okonkwo", date_of_birth=date(1991, 4, 12), phone="+1 647-555-0142")
    assert register(app, worker).status_code == 302


def test_anonymous_registration_is_the_ocms_form(app, worker):
    page = text(worker.get("/admin/register/anonymous/"))
    assert "Anonymous client" in page and "Demo Settlement Agency" in page
    for kind in ("School", "Non-school", "Reception centre"):
        assert kind in page  # the tree of sites
    assert "first_name" not in page and "date_of_birth" not in page
    response = worker.post(
        "/admin/register/anonymous/",
        data={
            "gender": "Male",
            "arrival_year": "",
            "immigration_status": "Unknown",
            "postal_code": "m1h 3b3",
            "registration_date": date.today().isoformat(),
            "registration_site_id": str(site_id(app, "Westview Secondary")),
            "comments": "Came to the school night, wants ESL info",
        },
    )
    assert response.status_code == 302
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        client = db.session.scalar(select(Client).where(Client.comments.like("Came to the school night%")))
        assert client.kind == "anonymous" and client.display_name == "Anonymous client"
        assert client.arrival_label == "Unknown" and client.postal_code == "M1H 3B3"
        assert client.registration_site.name == "Westview Secondary"


def test_anonymous_form_refuses_bad_input(worker):
    response = worker.post(
        "/admin/register/anonymous/",
        data={
            "gender": "",
            "arrival_year": "1700",
            "postal_code": "x",
            "registration_date": "2999-01-01",
            "registration_site_id": "",
        },
    )
    page = text(response)
    assert response.status_code == 200 and "Nothing was saved" in page
    for message in ("Choose a gender", "Canadian postal code", "cannot be in the future", "Choose the registration site"):
        assert message in page


def test_a_registration_date_that_is_no_date_is_named_in_the_interface_language(app, worker):
    data = {"gender": "Male", "immigration_status": "Unknown", "registration_site_id": str(site_id(app))}
    page = text(worker.post("/admin/register/anonymous/", data={**data, "registration_date": "2026-13-45"}))
    shown_with_its_error(page, "registration_date", "“2026-13-45” is not a date: write it as YYYY-MM-DD (e.g. 2026-03-31).")
    assert "This field is required" not in page
    speak(app, "worker@demo.org", "fr_CA")
    page = text(worker.post("/admin/register/anonymous/", data={**data, "registration_date": "2026-02-30"}))
    message = "« 2026-02-30 » n&#39;est pas une date : écrivez-la au format AAAA-MM-JJ (p. ex. 2026-03-31)."
    shown_with_its_error(page, "registration_date", message)
    assert "Ce champ est requis" not in page


def test_add_family_member_copies_the_shared_fields(app, worker):
    register(app, worker, family_code="NEW", street_no="12", street_name="Jane", city="Toronto")
    [head] = clients_named(app, "Okonkwo")
    assert head.family_code.startswith("F-")
    worker.post("/admin/register/consent/", data={"decision": "accept", "family_of": head.id})
    page = text(worker.get(f"/admin/register/named/?family_of={head.id}"))
    for value in ("Okonkwo", head.family_code, "Jane", "+1 647-555-0142", "2024-02-01"):
        assert value in page


def test_family_of_another_agencys_client_is_404(app, make, worker):
    stranger = make.client(demo_agency(app, "OTHER"), last_name="Stranger")
    accept_statement(worker)
    assert worker.get(f"/admin/register/named/?family_of={stranger.id}").status_code == 404


def test_wizard_page_of_another_agencys_client_is_404(app, make, worker):
    stranger = make.client(demo_agency(app, "OTHER"))
    assert worker.get(f"/admin/register/done/{stranger.id}/").status_code == 404


class Headings(HTMLParser):
    """The page's headings in order, as ``(level, text)``."""

    def __init__(self):
        super().__init__()
        self.found, self.open = [], None

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]", tag):
            self.open = [int(tag[1]), ""]

    def handle_endtag(self, tag):
        if self.open and tag == f"h{self.open[0]}":
            self.found.append((self.open[0], " ".join(self.open[1].split())))
            self.open = None

    def handle_data(self, data):
        if self.open:
            self.open[1] += data


def headings(response):
    parser = Headings()
    parser.feed(text(response))
    return parser.found


def wizard_steps(app, worker):
    """Each step of the wizard as the worker reaches it: ``(step, response)``."""
    yield "statement", worker.get("/admin/register/")
    yield "declined", worker.post("/admin/register/consent/", data={"decision": "decline"}, follow_redirects=True)
    accept_statement(worker)
    yield "named", worker.get("/admin/register/named/")
    yield "duplicates", register(app, worker, first_name="Amany", phone="", email="")  # after Amani, below
    yield "anonymous", worker.get("/admin/register/anonymous/")
    yield "done", worker.get(register(app, worker, last_name="Headings", confirm_different="y").location)


STEP_TITLES = {
    "en": {
        "statement": "Register a client · Privacy statement",
        "declined": "Register a client · Statement declined",
        "named": "Register a client · Profile",
        "duplicates": "Register a client · Profile",
        "anonymous": "Register an anonymous client",
        "done": "Client registered",
    },
    "fr_CA": {
        "statement": "Inscrire un client · Déclaration de confidentialité",
        "declined": "Inscrire un client · Déclaration refusée",
        "named": "Inscrire un client · Profil",
        "duplicates": "Inscrire un client · Profil",
        "anonymous": "Inscrire un client anonyme",
        "done": "Client inscrit",
    },
}


DUPLICATE_WARNING = ("This may be someone already registered", "Cette personne est peut-être déjà inscrite")


@pytest.mark.parametrize("language", ["en", "fr_CA"])
def test_each_wizard_step_has_one_h1_naming_it_and_no_skipped_heading_level(app, worker, language):
    register(app, worker)  # Amani Okonkwo, for the duplicate warning
    speak(app, "worker@demo.org", language)
    for step, response in wizard_steps(app, worker):
        found = headings(response)
        levels = [level for level, _ in found]
        assert response.status_code == 200, step
        assert [title for level, title in found if level == 1] == [STEP_TITLES[language][step]], (step, found)
        assert levels[0] == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), (step, found)
        if step == "duplicates":  # the warning is a section of the page, under its h1
            assert found[1][0] == 2 and found[1][1] in DUPLICATE_WARNING, found

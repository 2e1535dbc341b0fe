"""The client import's columns beyond the profile: emergency contact, assigned worker, the
agency's profile questions, privacy consent on paper, and anonymous rows refused. Each column:
the template (heading, drop-down), a good value written, a bad value's message, all or nothing."""

import io
from datetime import datetime

import openpyxl
import pytest
from sqlalchemy import select

from exports.import_extras import extra_fields
from extensions import db
from models import ALL_AGENCIES, AuditEvent, Staff, tenant_scope
from models import client_import as writer
from models.client_profile import PROFILE
from models.clients import ClientAssignment, EmergencyContact
from models.privacy import ConsentRecord
from models.questions import AgencyQuestion
from tests.conftest import demo_agency, text
from tests.test_client_import import ADMIN, SITE, clients_named, count_clients, csv_file, token_of, upload

pytestmark = pytest.mark.usefixtures("demo")

BASE = ["First name", "Last name", "Date of birth", "Gender", "Registration site"]
EXTRA = [
    "Emergency contact name",
    "Emergency contact relationship",
    "Emergency contact phone",
    "Assigned worker",
    "Privacy consent on paper",
    "Anonymous client",
]
COUNTRY, SEEN, NEXT, CHILDREN = "Country of training", "Seen before", "Next visit", "Children"
HEADINGS = BASE + EXTRA + [COUNTRY, SEEN, NEXT, CHILDREN]
WORKER = "worker@demo.org"


@pytest.fixture
def questions(app, demo_site):
    """Four profile questions of the demo agency: a required choice, yes/no, date, number."""
    agency_id = demo_agency(app, "DEMO").id
    specs = [(COUNTRY, "choice", ["Canada", "Elsewhere"], True), (SEEN, "yesno", [], False)]
    specs += [(NEXT, "date", [], False), (CHILDREN, "number", [], False)]
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        rows = [
            AgencyQuestion(
                agency_id=agency_id,
                target="client_profile",
                label=label,
                answer_type=kind,
                choices=options,
                is_required=required,
                position=n,
            )
            for n, (label, kind, options, required) in enumerate(specs)
        ]
        db.session.add_all(rows)
        db.session.commit()
        return {row.label: row.key for row in rows}


@pytest.fixture
def demo_site(make, app):
    return make.site(demo_agency(app, "DEMO"), name=SITE)


def row(**changes):
    values = dict(zip(HEADINGS, ["Lina", "Saad", "1990-02-03", "Female", SITE] + [""] * 6 + ["Canada", "", "", ""], strict=True))
    values.update(changes)
    return tuple(values[h] for h in HEADINGS)


GOOD = row(
    **{
        "Emergency contact name": "Omar Saad",
        "Emergency contact relationship": "Brother",
        "Emergency contact phone": "416-555-0177",
        "Assigned worker": WORKER.upper(),  # capitals do not matter
        "Privacy consent on paper": "2024-05-06",
        "Anonymous client": "No",
        SEEN: "Yes",
        NEXT: "2031-01-15",  # an answer's date may be in the future
        CHILDREN: "2",
    }
)


def test_template_has_the_extra_columns_and_their_drop_downs(client, login, app, questions):
    login(ADMIN)
    book = openpyxl.load_workbook(io.BytesIO(client.get("/admin/import-clients/template.xlsx").data))
    headings = [cell.value for cell in book["Clients"][1]]
    assert headings[: len(PROFILE)] == [spec.label[:1].upper() + spec.label[1:] for spec in PROFILE]
    assert headings[len(PROFILE) :] == [COUNTRY, SEEN, NEXT, CHILDREN, *EXTRA]
    lists = {book["Lists"].cell(1, n).value: n for n in range(1, book["Lists"].max_column + 1)}

    def listed(heading):
        column = lists[heading]
        return [
            book["Lists"].cell(n, column).value
            for n in range(2, book["Lists"].max_row + 1)
            if book["Lists"].cell(n, column).value
        ]

    assert WORKER in listed("Assigned worker") and listed(COUNTRY) == ["Canada", "Elsewhere"]
    assert listed("Anonymous client") == ["Yes", "No"]
    validations = {str(v.sqref).split(":")[0] for v in book["Clients"].data_validations.dataValidation}
    for heading in ("Assigned worker", COUNTRY, "Anonymous client"):
        assert f"{openpyxl.utils.get_column_letter(headings.index(heading) + 1)}2" in validations
    instructions = "\n".join(str(c.value) for r in book["Instructions"].iter_rows() for c in r if c.value)
    assert "anonymous clients are not imported" in instructions and "on paper" in instructions


def test_the_extra_columns_are_written_with_their_audit_rows(client, login, app, questions):
    login(ADMIN)
    token = token_of(text(upload(client, csv_file(GOOD, headings=HEADINGS))))
    response = client.post("/admin/import-clients/run/", data={"token": token})
    assert "1 clients imported" in text(client.get(response.location))
    (lina,) = clients_named(app, "Saad")
    assert lina.answers == {
        questions[COUNTRY]: "Canada",
        questions[SEEN]: "Yes",
        questions[NEXT]: "2031-01-15",
        questions[CHILDREN]: 2,
    }
    assert lina.privacy_consent_at == datetime(2024, 5, 6) and lina.privacy_consent_version is None
    assert "accepted 2024-05-06 (on paper, before the move, with" in text(client.get(f"/admin/clients/{lina.id}/"))
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        admin = db.session.scalar(select(Staff).where(Staff.email == ADMIN))
        worker = db.session.scalar(select(Staff).where(Staff.email == WORKER))
        assert lina.privacy_consent_staff_id == admin.id
        (contact,) = db.session.scalars(select(EmergencyContact).where(EmergencyContact.client_id == lina.id)).all()
        assert (contact.name, contact.relationship, contact.phone) == ("Omar Saad", "Brother", "+1 416-555-0177")
        (assignment,) = db.session.scalars(select(ClientAssignment).where(ClientAssignment.client_id == lina.id)).all()
        assert (assignment.staff_id, assignment.assigned_by_id) == (worker.id, admin.id)
        (consent,) = db.session.scalars(select(ConsentRecord).where(ConsentRecord.client_id == lina.id)).all()
        assert (consent.kind, consent.given, consent.staff_id, consent.recorded_at) == (
            "privacy",
            True,
            admin.id,
            datetime(2024, 5, 6),
        )
        assert "on paper before the move" in consent.note and "clients.csv" in consent.note
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.client_id == lina.id, AuditEvent.action == "create")
        ).all()
        assert sorted(e.record_type for e in events) == ["client", "client_assignment", "consent_record", "emergency_contact"]
        assert {e.record_id for e in events} == {lina.id, contact.id, assignment.id, consent.id}


@pytest.mark.parametrize(
    "changes, column, message",
    [
        (
            {"Emergency contact phone": "12", "Emergency contact name": "Omar"},
            "H (Emergency contact phone)",
            "Enter a valid phone number",
        ),
        ({"Emergency contact relationship": "Brother"}, "F (Emergency contact name)", "Give the emergency contact's name"),
        ({"Emergency contact name": "x" * 201}, "F (Emergency contact name)", "Keep it to 200 characters"),
        ({"Assigned worker": "nobody@demo.org"}, "I (Assigned worker)", "is not in the list"),
        ({"Privacy consent on paper": "2999-01-01"}, "J (Privacy consent on paper)", "This date cannot be in the future."),
        ({"Privacy consent on paper": "May 2024"}, "J (Privacy consent on paper)", "Enter a date as YYYY-MM-DD."),
        ({"Anonymous client": "Yes"}, "K (Anonymous client)", "Anonymous clients are not imported"),
        ({"Anonymous client": "maybe"}, "K (Anonymous client)", "Answer Yes or No."),
        ({COUNTRY: ""}, f"L ({COUNTRY})", "This column is required."),
        ({COUNTRY: "Mars"}, f"L ({COUNTRY})", "is not in the list"),
        ({SEEN: "perhaps"}, f"M ({SEEN})", "Answer Yes or No."),
        ({NEXT: "15/01/2031"}, f"N ({NEXT})", "Enter a date as YYYY-MM-DD."),
        ({CHILDREN: "two"}, f"O ({CHILDREN})", "Enter a number."),
    ],
)
def test_bad_extra_values_are_named_by_row_and_column(client, login, app, questions, changes, column, message):
    login(ADMIN)
    before = count_clients(app)
    page = text(upload(client, csv_file(GOOD, row(**changes), headings=HEADINGS))).replace("&#39;", "'")
    assert "2 client rows read: 1 ready, 1 with problems." in page
    assert f"<td>3</td><td>{column}</td>" in page and message in page
    assert 'data-testid="import-run"' not in page and count_clients(app) == before


def test_a_failing_contact_rolls_back_every_client(client, login, app, questions, monkeypatch):
    monkeypatch.setattr(writer, "BATCH", 1)
    real = writer.related_rows

    def second_contact_breaks(values, client_id, *args):
        found = real(values, client_id, *args)
        if values["first_name"] == "Rami":
            found[EmergencyContact.__table__][0]["client_id"] = 2**31 - 1  # no such client: the database refuses it
        return found

    monkeypatch.setattr(writer, "related_rows", second_contact_breaks)
    second = row(**{"First name": "Rami", "Emergency contact name": "Omar Saad", "Assigned worker": WORKER})
    login(ADMIN)
    token = token_of(text(upload(client, csv_file(GOOD, second, headings=HEADINGS))))
    page = text(client.post("/admin/import-clients/run/", data={"token": token}, follow_redirects=True))
    assert "The import failed and nothing was imported." in page
    assert not clients_named(app, "Saad")
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert not db.session.scalars(select(EmergencyContact).where(EmergencyContact.name == "Omar Saad")).all()
        assert not db.session.scalars(select(ConsentRecord).where(ConsentRecord.note.contains("clients.csv"))).all()


def test_the_command_records_the_paper_consent_as_nobody(runner, app, questions, tmp_path):
    path = tmp_path / "extras.csv"
    path.write_bytes(csv_file(GOOD, headings=HEADINGS))
    result = runner.invoke(args=["import-clients", str(path), "--agency", "DEMO"])
    assert result.exit_code == 0, result.output
    (lina,) = clients_named(app, "Saad")
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        consent = db.session.scalar(select(ConsentRecord).where(ConsentRecord.client_id == lina.id))
        assert consent.staff_id is None and lina.privacy_consent_staff_id is None
        assignment = db.session.scalar(select(ClientAssignment).where(ClientAssignment.client_id == lina.id))
        assert assignment.assigned_by_id is None


def test_without_an_agency_the_template_has_no_questions(app):
    with app.app_context():
        assert [field.label for field in extra_fields(set(), questions=False)] == EXTRA


def template_headings(client, **headers):
    book = openpyxl.load_workbook(io.BytesIO(client.get("/admin/import-clients/template.xlsx", headers=headers).data))
    return [cell.value for cell in book["Clients"][1]]


def test_the_french_template_is_headed_in_french_and_its_file_checks_the_same_for_anyone(client, login, app, questions):
    login(ADMIN)
    english, french = template_headings(client), template_headings(client, **{"Accept-Language": "fr-CA"})
    assert "Nom de la personne à joindre en cas d'urgence" in french and "Consentement à la confidentialité sur papier" in french
    assert not set(EXTRA) & set(french) and {COUNTRY, SEEN, NEXT, CHILDREN} <= set(french)  # the agency's own labels
    in_french = dict(zip(english, french, strict=True))
    token = token_of(text(upload(client, csv_file(GOOD, headings=[in_french[h] for h in HEADINGS]))))  # an English interface
    response = client.post("/admin/import-clients/run/", data={"token": token})
    assert "1 clients imported" in text(client.get(response.location))
    (lina,) = clients_named(app, "Saad")
    assert lina.answers[questions[CHILDREN]] == 2 and lina.privacy_consent_at == datetime(2024, 5, 6)

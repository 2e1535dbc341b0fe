"""Agency admins add questions to any form kind or to the client profile."""

import pytest
from sqlalchemy import select

from extensions import db
from models import ALL_AGENCIES, AgencyQuestion, Client, tenant_scope
from tests.conftest import demo_agency, demo_staff, text
from tests.sessions_helpers import complete_answers, form_id, form_state, new_session

pytestmark = pytest.mark.usefixtures("demo")


def add_question(client, **values):
    form = {
        "target": "io",
        "label": "How did you hear about us?",
        "answer_type": "choice",
        "choice_lines": "Friend\nFlyer\nSchool",
        "position": "1",
        "is_active": "y",
        **values,
    }
    return client.post("/admin/questions/new/", data=form)


def question_id(app, label):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        return db.session.scalar(select(AgencyQuestion.id).where(AgencyQuestion.label == label))


def test_only_agency_admins_manage_questions(client, login):
    login("coordinator@demo.org")
    assert add_question(client).status_code == 403


def test_a_choice_question_needs_choices(app, client, login):
    login("admin@demo.org")
    response = add_question(client, choice_lines="Only one")
    assert "at least two choices" in text(response) and question_id(app, "How did you hear about us?") is None


@pytest.mark.parametrize(
    "answer_type, value, stored",
    [
        ("choice", "Flyer", "Flyer"),
        ("yesno", "Yes", "Yes"),
        ("text", "A poster", "A poster"),
        ("number", "3", 3.0),
        ("date", "2026-01-15", "2026-01-15"),
        ("multichoice", ["Friend", "School"], ["Friend", "School"]),
    ],
)
def test_questions_appear_on_the_form_are_saved_and_required_ones_complete_it(
    app, client, login, make, answer_type, value, stored
):
    login("admin@demo.org")
    assert add_question(client, answer_type=answer_type, is_required="y").status_code == 302
    key = f"q{question_id(app, 'How did you hear about us?')}"
    client.post("/logout")
    login("worker@demo.org")
    me = demo_staff(app, "worker@demo.org")
    person = make.client(demo_agency(app, "DEMO"))
    session_id = new_session(app, client, me.id, client_id=str(person.id))
    row = form_id(app, session_id, "io")
    page = text(client.get(f"/admin/sessions/{session_id}/forms/{row}/"))
    assert "Agency questions" in page and "How did you hear about us?" in page
    client.post(f"/admin/sessions/{session_id}/forms/{row}/", data=complete_answers("io"))
    assert not form_state(app, row)[0]  # the required question is unanswered
    client.post(f"/admin/sessions/{session_id}/forms/{row}/", data={**complete_answers("io"), key: value})
    complete, data = form_state(app, row)
    assert complete and data[key] == stored


def test_forms_can_be_filtered_by_an_answer(app, client, login, make):
    login("admin@demo.org")
    add_question(client)
    key = f"q{question_id(app, 'How did you hear about us?')}"
    me = demo_staff(app, "admin@demo.org")
    sessions = {}
    for answer in ("Flyer", "School"):
        person = make.client(demo_agency(app, "DEMO"), first_name=f"Heard{answer}")
        sessions[answer] = new_session(app, client, me.id, client_id=str(person.id))
        row = form_id(app, sessions[answer], "io")
        client.post(f"/admin/sessions/{sessions[answer]}/forms/{row}/", data={**complete_answers("io"), key: answer})
    view = next(v for v in app.extensions["admin"][0]._views if getattr(v, "endpoint", "") == "service_forms")
    index = next(i for i, f in enumerate(view._filters) if f.name == "Agency question")
    arg = view.get_filter_arg(index, view._filters[index])
    offered = client.get(f"/admin/service-forms/filter-options/?arg={arg}").get_json()["options"]
    assert "How did you hear about us?: Flyer" in [label for _, label in offered]  # the filter offers the agency's answers
    flyer = text(client.get(f"/admin/service-forms/?flt0_{index}={key[1:]}:Flyer"))
    assert "HeardFlyer" in flyer and "HeardSchool" not in flyer
    export = text(client.get(f"/admin/service-forms/export/csv/?flt0_{index}={key[1:]}:Flyer"))
    assert "How did you hear about us?: Flyer" in export and "School" not in export


def test_client_profile_questions_on_registration_and_the_grid_filter(app, client, login):
    login("admin@demo.org")
    add_question(client, target="client_profile", label="Needs childcare?", answer_type="yesno", choice_lines="", is_required="y")
    key = f"q{question_id(app, 'Needs childcare?')}"
    client.post("/admin/register/consent/", data={"decision": "accept"})
    assert "Needs childcare?" in text(client.get("/admin/register/named/"))
    site = str(demo_staff(app, "admin@demo.org").default_site_id)
    form = {
        "first_name": "Lina",
        "last_name": "Qasem",
        "date_of_birth": "1990-02-02",
        "gender": "Female",
        "registration_site_id": site,
    }
    refused = client.post("/admin/register/named/", data=form)
    assert "Answer this question." in text(refused)
    assert client.post("/admin/register/named/", data={**form, key: "Yes"}).status_code == 302
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert db.session.scalar(select(Client).where(Client.first_name == "Lina")).answers[key] == "Yes"
    view = next(v for v in app.extensions["admin"][0]._views if getattr(v, "endpoint", "") == "clients")
    index = next(i for i, f in enumerate(view._filters) if f.name == "Agency question")
    assert "Lina Qasem" in text(client.get(f"/admin/clients/?flt0_{index}={key[1:]}:Yes"))
    assert "Lina Qasem" not in text(client.get(f"/admin/clients/?flt0_{index}={key[1:]}:No"))


def test_another_agencys_questions_never_show(app, client, login, make):
    login("worker@demo.org")
    me = demo_staff(app, "worker@demo.org")
    person = make.client(demo_agency(app, "DEMO"))
    session_id = new_session(app, client, me.id, client_id=str(person.id))
    page = text(client.get(f"/admin/sessions/{session_id}/forms/{form_id(app, session_id, 'io')}/"))
    assert "DEMO: how did you hear" in page and "OTHER: how did you hear" not in page

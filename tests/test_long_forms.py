"""Long forms: need/referral pairs as rows of a table under their headings, support needed and
received told apart, answers a condition no longer asks dropped on save, completeness judged
again when an agency question becomes required."""

import re

import pytest
from sqlalchemy import select

from extensions import db
from models import AgencyQuestion, tenant_scope
from models.form_completeness import judged
from service_forms import FORMS
from tests.conftest import demo_agency, demo_staff, text
from tests.sessions_helpers import add_form, complete_answers, form_id, form_state, new_session, session_complete

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture
def person(app, make):
    return make.client(demo_agency(app, "DEMO"), first_name="Long", last_name="Form")


def test_each_need_is_one_row_with_its_referral_under_its_heading(app, worker, me, person):
    session_id = new_session(app, worker, me.id, client_id=str(person.id))
    add_form(worker, session_id, "needs_assessment", person.id)
    page = text(worker.get(f"/admin/sessions/{session_id}/forms/{form_id(app, session_id, 'needs_assessment', person.id)}/"))
    assert "Need identified" in page and "Referral made" in page
    rows = re.findall(r"<tr><th scope=\"row\"[^>]*>([^<]+)</th>(.*?)</tr>", page, re.S)
    by_need = {label: re.findall(r'name="([^"]+)"', cells) for label, cells in rows}
    assert by_need["Life in Canada"] == ["knwl_life_needs_ind", "knwl_life_referrals_ind"]
    assert by_need["Education in Canada"] == ["knwl_education_needs_ind", "knwl_education_needs_referrals_ind"]
    assert by_need["Food/Clothing/Other Material Needs"] == ["food_cloth_material_needs_ind", "food_cloth_material_refs_ind"]
    assert '<th scope="rowgroup" colspan="3" class="pt-2 text-muted">Increase knowledge of</th>' in page
    assert "Non-IRCC needs" in page and "Needs and referrals" in page  # the section headings
    spec = FORMS["needs_assessment"]
    paired = sum(1 for _, items in spec.layout() for item in items if item[0] == "pair")
    assert paired == 21


def test_support_needed_and_received_are_told_apart(app, worker, me, person):
    session_id = new_session(app, worker, me.id, client_id=str(person.id))
    add_form(worker, session_id, "needs_assessment", person.id)
    page = text(worker.get(f"/admin/sessions/{session_id}/forms/{form_id(app, session_id, 'needs_assessment', person.id)}/"))
    for service in ("Transportation", "Translation", "Care for Newcomer Children", "Provisions for Disabilities"):
        assert f"Needed: {service}" in page and f"Received: {service}" in page
    assert "Support services needed" in page and "Support services received" in page
    labels = [f.label for f in FORMS["io"].fields if f.section == "Support services received"]
    assert "Received: Transportation" in labels


def test_answers_a_condition_no_longer_asks_are_dropped_on_save(app, worker, me, person):
    session_id = new_session(app, worker, me.id, session_type="finance")
    worker.post(f"/admin/sessions/{session_id}/clients/", data={"client_id": person.id})
    add_form(worker, session_id, "finance", person.id)
    row = form_id(app, session_id, "finance", person.id)
    answers = {**complete_answers("finance"), "record_type": "Services delivered", "services": ["Banking"]}
    worker.post(f"/admin/sessions/{session_id}/forms/{row}/", data=answers)
    assert form_state(app, row)[1]["services"] == ["Banking"]
    switched = {**answers, "record_type": "Outcomes achieved", "outcomes": ["Filed taxes"]}  # services still sent
    worker.post(f"/admin/sessions/{session_id}/forms/{row}/", data=switched)
    complete, data = form_state(app, row)
    assert "services" not in data and data["outcomes"] == ["Filed taxes"] and complete
    child = "childminding_NewcomerChildren[1]childminding_age_id"
    spec = FORMS["finance"]
    assert child not in spec.asked({"childminding_ind": "No", child: "0-6 months"})
    assert spec.asked({"childminding_ind": "Yes", child: "x"})[child] == "x"


def set_question(app, **values):
    agency = demo_agency(app, "DEMO")
    with app.app_context(), tenant_scope(agency.id):
        question = db.session.scalar(select(AgencyQuestion).where(AgencyQuestion.label == "Bus pass given?"))
        if question is None:
            question = AgencyQuestion(target="non_specified", label="Bus pass given?", answer_type="yesno", agency_id=agency.id)
            db.session.add(question)
        for name, value in values.items():
            setattr(question, name, value)
        db.session.commit()
        return question.key


def test_completeness_is_judged_again_when_a_question_becomes_required(app, worker, me, person):
    session_id = new_session(app, worker, me.id, session_type="direct", client_id=str(person.id))
    worker.post(f"/admin/sessions/{session_id}/forms/{form_id(app, session_id, 'io')}/", data=complete_answers("io"))
    add_form(worker, session_id, "non_specified", person.id)
    row = form_id(app, session_id, "non_specified", person.id)
    worker.post(f"/admin/sessions/{session_id}/forms/{row}/", data=complete_answers("non_specified"))
    assert form_state(app, row)[0] and session_complete(app, session_id)
    key = set_question(app, is_required=False)
    assert form_state(app, row)[0]  # an optional question changes nothing
    set_question(app, is_required=True)
    assert not form_state(app, row)[0] and not session_complete(app, session_id)
    set_question(app, is_active=False)
    assert form_state(app, row)[0] and session_complete(app, session_id)
    set_question(app, is_active=True)
    worker.post(f"/admin/sessions/{session_id}/forms/{row}/", data={**complete_answers("non_specified"), key: "Yes"})
    assert form_state(app, row)[0]


def test_a_new_required_question_makes_forms_without_it_incomplete(app, worker, me, person):
    session_id = new_session(app, worker, me.id, client_id=str(person.id))
    row = form_id(app, session_id, "io")
    worker.post(f"/admin/sessions/{session_id}/forms/{row}/", data=complete_answers("io"))
    assert form_state(app, row)[0]
    admin = demo_staff(app, "admin@demo.org")
    with app.app_context(), tenant_scope(admin.agency_id):
        db.session.add(AgencyQuestion(target="io", label="Newsletter?", answer_type="yesno", is_required=True))
        db.session.commit()
    assert not form_state(app, row)[0]
    assert judged("io", complete_io(), []) and not judged("io", complete_io(), ["q1"])


def complete_io():
    return {k: v for k, v in complete_answers("io").items() if v}

"""Every form kind can be added and completed; group activities, language courses, agency questions."""

from datetime import date

import pytest
from sqlalchemy import select, update

from extensions import db
from models import ALL_AGENCIES, Client, ServiceForm, Staff, tenant_scope
from models.errors import InvalidEntry
from models.icare_templates import service_templates
from service_forms import FORMS, SESSION_TYPES, forms_for_session_type
from service_forms.session_types import offering_types
from tests.conftest import demo_agency, text
from tests.sessions_helpers import (
    add_client,
    add_form,
    complete_answers,
    form_id,
    form_state,
    mentor_answers,
    new_session,
    session_complete,
    session_row,
)

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture
def person(app, make):
    return make.client(demo_agency(app, "DEMO"), first_name="Tomas", last_name="Herrera")


def session_of_type(app, worker, me, session_type, activity, **extra):
    group = {"group_activity_id": str(activity)} if SESSION_TYPES[session_type].is_group else {}
    return new_session(app, worker, me.id, session_type=session_type, **group, **extra)


def test_the_catalogue_covers_every_ocms_form():
    labels = {spec.label for spec in FORMS.values()}
    for label in (
        "Information & Orientation",
        "Needs Assessment",
        "Employment",
        "Non-Specified",
        "Refugee (RAP)",
        "Community Connection",
        "Language Assessment",
        "JD Needs Assessment",
        "JD Update/Progress",
        "Job Placement",
        "Mentor/Tutor Match",
        "Mentor/Tutor Update",
        "Financial Services and Outcomes",
        "Training Open (course)",
        "Training Attendance",
        "Training Enrolment",
        "Training Exit",
        "Community Connections (group)",
        "Community Connections Attendee",
        "Information & Orientation (group)",
        "Group Activity Attendee (I&O)",
        "Employment (group)",
        "Group Activity Attendee (Employment)",
    ):
        assert label in labels
    assert [kind for kind in FORMS if not offering_types(kind)] == []


def test_session_types_offer_only_known_kinds():
    offered = {kind for t in SESSION_TYPES.values() for kind in (*t.offers, *t.default_forms)}
    courses = {kind for t in SESSION_TYPES.values() if t.course for kind in vars(t.course).values()}
    assert offered | courses <= set(FORMS)
    assert all(kind in t.offers for t in SESSION_TYPES.values() for kind in t.default_forms)


@pytest.mark.parametrize(
    "sheet, kind",
    [
        ("Info&Orien", "io"),
        ("Needs Assessment&Referrals", "needs_assessment"),
        ("Employment", "employment"),
        ("Community Connections", "community_connection"),
        ("LT Course Setup", "lt_course"),
        ("LT Client Enrol", "lt_enrolment"),
        ("LT Client Exit", "lt_exit"),
    ],
)
def test_icare_forms_capture_every_template_column_with_its_values(sheet, kind):
    from service_forms.fields import PROFILE_COLUMNS
    from service_forms.icare import icare_templates

    columns = [c for c in icare_templates()[sheet]["columns"] if c["code"] not in PROFILE_COLUMNS]
    spec = FORMS[kind]
    assert [f.icare_code for f in spec.fields if f.icare_code] == [c["code"] for c in columns]
    for column in columns:
        field = spec.field(column["code"])
        options = [str(o).strip() for o in column["options"] or []]
        if options and options != ["Yes", "No"] and field.type == "choice":
            assert list(field.choices) == list(dict.fromkeys(options))
        assert field.icare == column["mandatory"]


CLIENT_FORMS = [(t, spec.kind) for t in SESSION_TYPES for spec in forms_for_session_type(t)]
SESSION_FORMS = [(t, spec.kind) for t in SESSION_TYPES for spec in forms_for_session_type(t, "session")]


@pytest.mark.parametrize("session_type, kind", CLIENT_FORMS, ids=[k for _, k in CLIENT_FORMS])
def test_each_client_form_kind_is_added_and_completed(app, worker, me, person, activity, session_type, kind):
    session_id = session_of_type(app, worker, me, session_type, activity)
    add_client(worker, session_id, person.id)
    if session_type == "language_training":  # the course comes first
        add_form(worker, session_id, "lt_course")
        worker.post(
            f"/admin/sessions/{session_id}/forms/{form_id(app, session_id, 'lt_course')}/", data=complete_answers("lt_course")
        )
    if not form_id(app, session_id, kind, person.id):
        response = add_form(worker, session_id, kind, person.id)
        assert f"/forms/{form_id(app, session_id, kind, person.id)}/" in response.location
    row = form_id(app, session_id, kind, person.id)
    assert not form_state(app, row)[0] or not FORMS[kind].missing({})
    answers = {**complete_answers(kind), **mentor_answers(app, worker, session_id, kind, person.id)}
    response = worker.post(f"/admin/sessions/{session_id}/forms/{row}/", data=answers)
    assert response.status_code == 302, text(response)[:300]
    assert form_state(app, row)[0], f"{kind} is still incomplete"


@pytest.mark.parametrize("session_type, kind", SESSION_FORMS, ids=[k for _, k in SESSION_FORMS])
def test_each_session_form_kind_is_added_and_completed(app, worker, me, activity, session_type, kind):
    session_id = session_of_type(app, worker, me, session_type, activity)
    add_form(worker, session_id, kind)
    row = form_id(app, session_id, kind)
    worker.post(f"/admin/sessions/{session_id}/forms/{row}/", data=complete_answers(kind))
    assert form_state(app, row)[0]
    again = add_form(worker, session_id, kind)
    assert "already has the" in text(worker.get(again.location))


def test_group_activity_with_named_anonymous_and_ad_hoc_attendees(app, worker, me, person, activity):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        anonymous_id = db.session.scalar(
            select(Client.id).where(Client.kind == "anonymous", Client.agency_id == demo_agency(app, "DEMO").id)
        )
    session_id = session_of_type(app, worker, me, "io_group", activity)
    add_client(worker, session_id, person.id)
    add_client(worker, session_id, anonymous_id)
    response = worker.post(
        f"/admin/sessions/{session_id}/ad-hoc/", data={"first_name": "Quick", "last_name": "Visitor", "gender": "Male"}
    )
    assert "complete their profile later" in text(worker.get(response.location))
    session = session_row(app, session_id)
    assert len(session.attendees) == 3
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        ad_hoc = db.session.scalar(select(Client).where(Client.first_name == "Quick"))
        assert ad_hoc.needs_profile and ad_hoc.registration_site_id == session.site_id
    assert "profile to complete" in text(worker.get(f"/admin/sessions/edit/?id={session_id}"))
    add_form(worker, session_id, "io_group")
    worker.post(f"/admin/sessions/{session_id}/forms/{form_id(app, session_id, 'io_group')}/", data=complete_answers("io_group"))
    for attendee in session.attendees:
        add_form(worker, session_id, "io_attendee", attendee.client_id)
        row = form_id(app, session_id, "io_attendee", attendee.client_id)
        worker.post(f"/admin/sessions/{session_id}/forms/{row}/", data=complete_answers("io_attendee"))
    assert session_complete(app, session_id)


def test_a_group_session_needs_its_group_form(app, worker, me, person, activity):
    session_id = session_of_type(app, worker, me, "cc_group", activity)
    add_client(worker, session_id, person.id)
    add_form(worker, session_id, "cc_attendee", person.id)
    worker.post(
        f"/admin/sessions/{session_id}/forms/{form_id(app, session_id, 'cc_attendee')}/", data=complete_answers("cc_attendee")
    )
    assert not session_complete(app, session_id)


def test_ad_hoc_attendees_only_in_group_sessions_and_with_details(app, worker, me, activity):
    direct = new_session(app, worker, me.id)
    response = worker.post(f"/admin/sessions/{direct}/ad-hoc/", data={"first_name": "A", "last_name": "B", "gender": "Male"})
    assert "for group activities" in text(worker.get(response.location))
    group = session_of_type(app, worker, me, "cc_group", activity)
    response = worker.post(f"/admin/sessions/{group}/ad-hoc/", data={"first_name": "", "last_name": "B", "gender": ""})
    assert "first name, last name and gender" in text(worker.get(response.location))
    assert session_row(app, group).attendees == []


def test_language_course_enrolment_attendance_and_exit(app, worker, me, person, make):
    course_session = new_session(app, worker, me.id, session_type="language_training")
    add_client(worker, course_session, person.id)
    refused = add_form(worker, course_session, "lt_exit", person.id)
    assert "Open the course first" in text(worker.get(refused.location))
    add_form(worker, course_session, "lt_course")
    answers = {**complete_answers("lt_course"), "course_cd": "LINC-4-EVE"}
    worker.post(f"/admin/sessions/{course_session}/forms/{form_id(app, course_session, 'lt_course')}/", data=answers)
    add_form(worker, course_session, "lt_enrolment", person.id)
    enrolment = form_id(app, course_session, "lt_enrolment", person.id)
    assert form_state(app, enrolment)[1]["course_cd"] == "LINC-4-EVE"  # from the course
    # a later class of the same course
    class_session = new_session(app, worker, me.id, session_type="language_training", course_session_id=str(course_session))
    assert "LINC-4-EVE" in text(worker.get("/admin/lookup/courses/?q=LINC"))  # the wizard's Course look-up
    add_client(worker, class_session, person.id)
    add_form(worker, class_session, "lt_attendance", person.id)
    attendance = form_id(app, class_session, "lt_attendance", person.id)
    worker.post(
        f"/admin/sessions/{class_session}/forms/{attendance}/", data={"class_dt": date.today().isoformat(), "attended": "Yes"}
    )
    assert form_state(app, attendance)[0]
    add_form(worker, class_session, "lt_exit", person.id)
    exit_form = form_id(app, class_session, "lt_exit", person.id)
    assert form_state(app, exit_form)[1]["course_cd"] == "LINC-4-EVE"  # pre-filled from the linked course
    exit_answers = {**complete_answers("lt_exit"), "course_cd": "LINC-4-EVE", "certificate_issued_ind": "Yes"}
    worker.post(f"/admin/sessions/{class_session}/forms/{exit_form}/", data=exit_answers)
    complete, data = form_state(app, exit_form)
    assert complete and data["course_cd"] == "LINC-4-EVE"


def test_exit_certificate_levels_are_asked_only_when_a_certificate_was_issued():
    spec = FORMS["lt_exit"]
    field = spec.field("certificate_listening_level_id")
    assert field.applies({"certificate_issued_ind": "Yes"}) and not field.applies({"certificate_issued_ind": "No"})
    assert spec.field("exit_course_reason_id").applies({"training_status_id": "Exited the course before completing"})


def test_finance_form_asks_services_or_outcomes_not_both():
    spec = FORMS["finance"]
    services = {**complete_answers("finance"), "record_type": "Services delivered"}
    services.pop("outcomes", None)
    assert spec.missing(services) == []
    assert "Outcomes achieved" in spec.missing({**services, "record_type": "Outcomes achieved"})


@pytest.mark.parametrize("kind", [k for k, spec in FORMS.items() if spec.scope == "client" and k != "lt_attendance"])
def test_every_client_form_records_support_services(kind):
    names = {f.name for f in FORMS[kind].fields}
    for code in (
        "support_received_ind",
        "childminding_ind",
        "transportation_ind",
        "support_disability_ind",
        "translation_ind",
        "translation_language_from_id",
        "translation_language_to_id",
        "interpretation_ind",
        "counselling_ind",
    ):
        assert code in names
    children = [n for n in names if n.startswith("childminding_NewcomerChildren")]
    assert len(children) == 10  # up to five children: age band and type of care
    assert FORMS[kind].field("childminding_NewcomerChildren[5]childminding_type_id").choices


END_BEFORE_START = {
    "en": "The end date cannot be before the start date (2026-11-20).",
    "fr_CA": "La date de fin ne peut pas précéder la date de début (2026-11-20).",
}


def field_block(page, name):
    """The HTML of one field's form group: its input and the errors under it."""
    return page.split(f'name="{name}"', 1)[1].split('class="form-group', 1)[0]


def typed_form(app, worker, me, person, kind, **typed):
    """A worker's new ``kind`` form for ``person`` and the page's answer to saving it complete
    with ``typed`` changes; also the answers stored before."""
    session_id = new_session(app, worker, me.id)
    add_client(worker, session_id, person.id)
    add_form(worker, session_id, kind, person.id)
    row = form_id(app, session_id, kind, person.id)
    before = form_state(app, row)
    return worker.post(f"/admin/sessions/{session_id}/forms/{row}/", data={**complete_answers(kind), **typed}), before, row


@pytest.mark.parametrize(
    "kind, start, end, end_date, language",
    [
        ("needs_assessment", "assessment_start_dt", "assessment_completed_dt", "2026-11-10", "en"),
        ("employment", "intervention_start_dt", "intervention_end_dt", "2026-11-01", "en"),
        ("employment", "intervention_start_dt", "intervention_end_dt", "2026-11-01", "fr_CA"),
    ],
)
def test_an_end_date_before_its_start_is_refused_under_the_end(app, worker, me, person, kind, start, end, end_date, language):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        db.session.execute(update(Staff).where(Staff.id == me.id).values(interface_language=language))
        db.session.commit()
    response, before, row = typed_form(app, worker, me, person, kind, **{start: "2026-11-20", end: end_date})
    page = text(response)
    assert response.status_code == 200 and END_BEFORE_START[language] in field_block(page, end)
    assert 'value="2026-11-20"' in field_block(page, start) and f'value="{end_date}"' in field_block(page, end)
    assert form_state(app, row) == before  # nothing saved, not marked complete


@pytest.mark.parametrize("typed", ["2026-13-45", "2026-02-30"])
def test_an_impossible_date_is_named_on_its_field(app, worker, me, person, typed):
    response, before, row = typed_form(app, worker, me, person, "employment", intervention_end_dt=typed)
    shown = field_block(text(response), "intervention_end_dt")
    assert response.status_code == 200 and f"“{typed}” is not a date: write it as YYYY-MM-DD" in shown
    assert "Answer this question" not in shown and form_state(app, row) == before


def test_date_pairs_are_the_icare_checks_pairs_and_refused_by_the_model(app):
    for template in service_templates():
        pairs = {(a.attribute, b.attribute) for a, b in template.date_pairs()}
        assert all(pairs <= set(FORMS[kind].date_pairs()) for kind in template.kinds), template.slug
    assert FORMS["needs_assessment"].date_pairs() == [("assessment_start_dt", "assessment_completed_dt")]
    with app.app_context():
        row = ServiceForm(kind="employment", data={"intervention_start_dt": "2026-11-20"})
        with pytest.raises(InvalidEntry) as refused:
            row.save_answers({"intervention_start_dt": "2026-11-20", "intervention_end_dt": "2026-11-01"})
        assert refused.value.field == "intervention_end_dt" and row.data == {"intervention_start_dt": "2026-11-20"}
        row.save_answers({"intervention_start_dt": "2026-11-20", "intervention_end_dt": "2026-11-20"})  # same day: fine

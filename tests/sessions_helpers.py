"""Helpers for session tests: a valid wizard form, filling a service form like a worker would."""

import re
from datetime import date

from sqlalchemy import select

from extensions import db
from models import ALL_AGENCIES, Funder, ServiceForm, ServiceSession, Site, tenant_scope
from service_forms import FORMS


def ids(app, model, **where):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        return db.session.scalars(select(model.id).filter_by(**where)).all()


def wizard_form(app, **overrides):
    """What a worker submits for a 45-minute direct service at Head Office."""
    form = {
        "session_type": "direct",
        "service_date": date.today().isoformat(),
        "site_id": str(ids(app, Site, name="Head Office")[0]),
        "delivery_method": "In Person",
        "at_point_of_entry": "no",
        "interpreter_present": "no",
        "interpreters": "0",
        "hours": "0",
        "minutes": "45",
        "languages": ["English"],
        "funder_ids": [str(ids(app, Funder, code="IRCC")[0])],
    }
    form["lead_staff_id"] = overrides.pop("lead_staff_id", "")
    return {**form, **overrides}


def new_session(app, client, lead_id, **overrides):
    """Create a session through the wizard; returns its id."""
    response = client.post("/admin/sessions/new/", data=wizard_form(app, lead_staff_id=str(lead_id), **overrides))
    assert response.status_code == 302, re.findall(r'invalid-feedback d-block">([^<]+)', response.get_data(as_text=True))
    return int(re.search(r"id=(\d+)", response.location).group(1))


def add_client(client, session_id, client_id):
    return client.post(f"/admin/sessions/{session_id}/clients/", data={"client_id": client_id})


def add_form(client, session_id, kind, client_id=None):
    data = {"kind": kind, **({"client_id": client_id} if client_id else {})}
    return client.post(f"/admin/sessions/{session_id}/forms/", data=data)


def form_id(app, session_id, kind, client_id=None):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        query = select(ServiceForm.id).where(ServiceForm.session_id == session_id, ServiceForm.kind == kind)
        if client_id:
            query = query.where(ServiceForm.client_id == client_id)
        return db.session.scalar(query)


def answer(spec, today):
    if spec.type == "date":
        return today.isoformat()
    if spec.type == "yesno":
        return "Yes"
    if spec.type == "choice":
        return spec.choices[0]
    if spec.type == "multichoice":
        return [spec.choices[0]]
    if spec.type == "integer":
        return str(max(spec.minimum or 0, 1))
    return "100" if spec.type == "percent" else "Answered in the test"


def complete_answers(kind, today=None):
    """Every required field answered (and what the answers make required)."""
    spec, today, answers = FORMS[kind], today or date.today(), {}
    for _ in range(2):  # a second pass answers fields that an earlier answer switched on
        for field in spec.fields:
            if field.required and field.applies(answers) and field.name not in answers:
                answers[field.name] = answer(field, today)
    return answers


def form_state(app, form_row_id):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        row = db.session.get(ServiceForm, form_row_id)
        return row.is_complete, dict(row.data)


def session_complete(app, session_id):
    from models.completeness import session_is_complete

    with app.app_context(), tenant_scope(ALL_AGENCIES):
        return bool(session_is_complete(session_id))


def session_row(app, session_id):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        row = db.session.get(ServiceSession, session_id)
        _ = row.attendees, row.forms, row.staff, row.funders
        db.session.expunge(row)
        return row


def mentor_answers(app, worker, session_id, kind, client_id):
    """What a Mentor/Tutor Match or Update form needs beyond its own fields: a mentor of the
    directory (a match form saved in this session first, for an update)."""
    from datetime import timedelta

    from models import Agency, Mentor, MentorMatch

    if kind not in ("mentor_match", "mentor_update"):
        return {}
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        agency = db.session.scalar(select(Agency).where(Agency.code == "DEMO"))
        mentor = Mentor(agency_id=agency.id, name="Test Mentor", screened_on=date.today() - timedelta(days=1))
        db.session.add(mentor)
        db.session.commit()
        mentor_id = mentor.id
    if kind == "mentor_match":
        return {"mentor_id": str(mentor_id)}
    worker.post(f"/admin/sessions/{session_id}/forms/", data={"kind": "mentor_match", "client_id": client_id})
    match_form = form_id(app, session_id, "mentor_match", client_id)
    worker.post(
        f"/admin/sessions/{session_id}/forms/{match_form}/", data={**complete_answers("mentor_match"), "mentor_id": mentor_id}
    )
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        return {"match_id": str(db.session.scalar(select(MentorMatch.id).where(MentorMatch.form_id == match_form)))}

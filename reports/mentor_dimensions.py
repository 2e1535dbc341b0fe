"""Mentor reports: dimensions and measures over the Mentor/Tutor Match and Update forms (the
form grain: complete sessions, the forms' program and Private rules), with the match each form
recorded (``models/mentors.py``) joined in. ``FORM_JOINS`` are the joins a dimension names."""

from flask_babel import lazy_gettext
from sqlalchemy import func
from sqlalchemy.orm import aliased

from models.mentors import Mentor, MentorMatch, MentorUpdate
from models.service_forms import ServiceForm
from reports.dimensions import Dimension, Measure, answer, fixed, names_of, option_names, whole_number

UPDATED_MATCH = aliased(MentorMatch, name="updated_match")
FORM_JOINS = {
    "mentor_match": lambda: [(MentorMatch, MentorMatch.form_id == ServiceForm.id)],
    "mentor_update": lambda: [
        (MentorUpdate, MentorUpdate.form_id == ServiceForm.id),
        (UPDATED_MATCH, UPDATED_MATCH.id == MentorUpdate.match_id),
    ],
}
MATCH_STATUSES = {
    "Ongoing": lazy_gettext("Ongoing"),
    "Completed": lazy_gettext("Completed"),
    "Ended early": lazy_gettext("Ended early"),
}

MATCH_STATUS = Dimension(
    "match_status",
    lazy_gettext("Match status (today)"),
    lambda c: MentorMatch.status,
    fixed(MATCH_STATUSES),
    needs="form",
    joins=("mentor_match",),
)
MATCH_MENTOR = Dimension(
    "match_mentor",
    lazy_gettext("Mentor or tutor"),
    lambda c: MentorMatch.mentor_id,
    names_of(Mentor),
    needs="form",
    joins=("mentor_match",),
    empty=lazy_gettext("No mentor in the directory"),
)
UPDATE_MENTOR = Dimension(
    "update_mentor",
    lazy_gettext("Mentor or tutor"),
    lambda c: UPDATED_MATCH.mentor_id,
    names_of(Mentor),
    needs="form",
    joins=("mentor_update",),
    empty=lazy_gettext("No match"),
)
HOURS_PER_WEEK = Dimension(
    "hours_per_week",
    lazy_gettext("Average hours per week"),
    lambda c: answer("mentoring_hours_id"),
    option_names,
    needs="form",
    order="value",
    empty=lazy_gettext("Not recorded"),
)
MEETINGS = Measure(
    "meetings",
    lazy_gettext("Meetings"),
    (lambda: whole_number(answer("meetings")),),
    lambda n: func.coalesce(func.sum(n), 0),
    summed=True,
)

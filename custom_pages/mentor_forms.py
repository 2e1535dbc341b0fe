"""The Mentor/Tutor Match and Update forms on the service-form page: the Match form picks its
mentor from the directory (one who cannot be matched is refused with the reason, nothing
saved); the Update form names the client's match it is about and records milestones and an
outcome, kept in the form's answers beside its own fields."""

from flask import request
from flask_babel import lazy_gettext
from wtforms import SelectField, TextAreaField
from wtforms.validators import Length, Optional

from models.errors import InvalidEntry
from models.mentors import matches_of_client, mentor_choices, mentor_of_answer, record_match, record_update, refuse_mentor

MATCH, UPDATE = "mentor_match", "mentor_update"
OUTCOMES = {  # stored value: label shown
    "Goal reached": lazy_gettext("Goal reached"),
    "Progress made": lazy_gettext("Progress made"),
    "No progress yet": lazy_gettext("No progress yet"),
    "Found employment": lazy_gettext("Found employment"),
    "Started training or studies": lazy_gettext("Started training or studies"),
    "Improved language skills": lazy_gettext("Improved language skills"),
    "Built a professional network": lazy_gettext("Built a professional network"),
}
UPDATE_ANSWERS = ("match_id", "milestones", "outcome")  # kept in the answers; the form's spec does not name them
LEGACY = "mentor_name"  # the name typed before the directory existed (kept, read-only)


def extra_fields(row):
    """The Update form's fields about its match (unbound, for ``build_form``)."""
    if row.kind != UPDATE:
        return {}
    return {
        "match_id": SelectField(lazy_gettext("The match this update is about"), choices=[("", "")], default=""),
        "milestones": TextAreaField(lazy_gettext("Milestones reached"), validators=[Optional(), Length(max=5000)]),
        "outcome": SelectField(lazy_gettext("Outcome so far"), choices=[("", ""), *OUTCOMES.items()], default=""),
    }


def prepare(row, form):
    """The directory's choices, and on GET the Update form's saved answers about its match."""
    if row.kind == MATCH:
        form.mentor_id.choices = [("", "")] + mentor_choices()
    if row.kind == UPDATE:
        matches = matches_of_client(row.client_id) if row.client_id else []
        form.match_id.choices = [("", "")] + [(str(m.id), m.label) for m in matches]
        if request.method == "GET":
            for name in UPDATE_ANSWERS:
                form[name].data = (row.data or {}).get(name) or ""


def accepts(row, form):
    """Whether the directory allows what the page sent; a refusal goes on its field."""
    try:
        check(row, form)
    except InvalidEntry as refused:
        form[refused.field].errors = [*form[refused.field].errors, str(refused.message)]
        return False
    return True


def check(row, form):
    if row.kind == MATCH:
        refuse_mentor(row, form.mentor_id.data)
    if row.kind == UPDATE and not form.match_id.data:
        if len(form.match_id.choices) == 1:
            raise InvalidEntry(
                "match_id", lazy_gettext("This client has no mentor match yet: record the Mentor/Tutor Match form first.")
            )
        raise InvalidEntry("match_id", lazy_gettext("Choose the match this update is about."))


def link(row, form, legacy):
    """After the answers are saved, in the same transaction: the legacy typed name kept, the
    match or update recorded."""
    if row.kind == MATCH:
        if legacy:
            row.data = {**row.data, LEGACY: legacy}
        record_match(row)
    if row.kind == UPDATE:
        extras = {name: form[name].data for name in UPDATE_ANSWERS if form[name].data}
        row.data = {**row.data, **extras}
        match = next(m for m in matches_of_client(row.client_id) if str(m.id) == form.match_id.data)
        record_update(row, match)


def legacy_name(row):
    return (row.data or {}).get(LEGACY) if row.kind == MATCH else None


def mentor_of(row):
    return mentor_of_answer((row.data or {}).get("mentor_id")) if row.kind == MATCH else None

"""WTForms built from a form description (``service_forms``) and the agency's questions."""

import math
from datetime import date

from flask import flash
from flask_babel import gettext, lazy_gettext
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FloatField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from admin_views.locking import VersionFields
from models.service_forms import answer_date
from validation import DateField, PercentField

YES_NO = [("", ""), ("Yes", lazy_gettext("Yes")), ("No", lazy_gettext("No"))]


def choice_list(values, shown=None):
    """``("", "")`` and ``(value, label)`` pairs; ``shown`` labels a stored value (default: as is)."""
    return [("", "")] + [(value, shown(value) if shown else value) for value in values]


def finite(form, field):
    if field.data is not None and not math.isfinite(field.data):
        raise ValidationError(gettext("Enter an ordinary number."))


def field_for(kind, label, choices=(), minimum=None, maximum=None, required=False, shown=None):
    """An unbound WTForms field for one answer type. Emptiness is allowed unless ``required``
    (a service form's completeness is judged separately, so an incomplete form still saves).
    ``shown``: how a choice reads (its stored value is kept; default: as stored)."""
    empty = [InputRequired(message=gettext("Answer this question."))] if required else [Optional()]
    if kind == "textarea":
        return TextAreaField(label, validators=empty + [Length(max=20000)])
    if kind == "date":
        return DateField(label, validators=empty)
    if kind in ("integer", "number"):
        field_class = IntegerField if kind == "integer" else FloatField
        return field_class(label, validators=empty + [NumberRange(min=minimum, max=maximum), finite])
    if kind == "percent":
        return PercentField(label, validators=empty, render_kw={"inputmode": "decimal"})
    if kind == "yesno":
        return SelectField(label, choices=YES_NO, default="", validators=empty[:1] if required else [])
    if kind in ("choice", "mentor"):  # a mentor's choices are set per request (custom_pages/mentor_forms.py)
        return SelectField(label, choices=choice_list(choices, shown), default="", validators=empty[:1] if required else [])
    if kind == "multichoice":
        return SelectMultipleField(label, choices=choice_list(choices, shown)[1:], validators=empty[:1] if required else [])
    return StringField(label, validators=empty + [Length(max=2000)])


def build_form(spec, questions, program_choices, formdata=None, extra=None):
    """A form instance for ``spec``'s fields, the agency questions, program and Private flag,
    the version it was loaded with (``VersionFields``) and ``extra`` fields of the page."""
    attributes = {f.name: field_for(f.type, f.label, f.choices, f.minimum, f.maximum, shown=f.option_label) for f in spec.fields}
    attributes.update(question_fields(questions))
    attributes.update(extra or {})
    attributes["program_id"] = SelectField(gettext("Program"), choices=[("", "")] + program_choices, default="")
    attributes["is_private"] = BooleanField(gettext("Private: only I and my manager can see this form"))
    form_class = type("ServiceFormFields", (VersionFields, FlaskForm), attributes)
    return form_class(formdata=formdata) if formdata is not None else form_class()


def show_refusal(form, refused, field_of=None):
    """A model's refusal (``InvalidEntry``) under its field when the form shows that field
    (``field_of``: the form's names for the model's fields), else as the page's message."""
    name = (field_of or {}).get(refused.field, refused.field)
    field = form[name] if form is not None and name in form else None
    if field is not None and field.type != "HiddenField":
        field.errors = [*field.errors, str(refused.message)]
    else:
        flash(gettext("%(reason)s Nothing was saved.", reason=refused.message), "error")


def plain(value):
    return value.isoformat() if isinstance(value, date) else value


def answers_from(form, names):
    """The answers to ``names`` as JSON-ready data (dates as ISO strings, blanks dropped)."""
    answers = {name: plain(form[name].data) for name in names}
    return {name: value for name, value in answers.items() if value not in (None, "", [])}


def load_answers(form, data, kinds):
    """Put saved answers (``kinds``: field name to answer type) into the form, dates parsed back."""
    for name, kind in kinds.items():
        value = data.get(name)
        if kind == "date" and isinstance(value, str):
            value = answer_date(value)  # None when stored under another question type
        form[name].data = value if value is not None else ([] if kind == "multichoice" else None)


def answer_kinds(spec, questions):
    """Field name to answer type, for a form's own fields and the agency's questions."""
    return ({f.name: f.type for f in spec.fields} if spec else {}) | {q.key: q.answer_type for q in questions}


def question_fields(questions, enforce_required=False):
    """Fields for agency questions; ``enforce_required`` refuses to save without the required ones."""
    return {
        q.key: field_for(q.answer_type, q.label, tuple(q.choices or ()), required=enforce_required and q.is_required)
        for q in questions
    }

"""WTForms built from a form description (``service_forms``) and the agency's questions."""
from datetime import date

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField, DateField, FloatField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField,
)
from wtforms.validators import Length, NumberRange, Optional

YES_NO = [("", ""), ("Yes", "Yes"), ("No", "No")]


def choice_list(values):
    return [("", "")] + [(value, value) for value in values]


def field_for(kind, label, choices=(), minimum=None, maximum=None):
    """An unbound WTForms field for one answer type; emptiness is allowed (completeness is
    judged separately, so an incomplete form can still be saved)."""
    if kind == "textarea":
        return TextAreaField(label, validators=[Optional(), Length(max=20000)])
    if kind == "date":
        return DateField(label, validators=[Optional()])
    if kind in ("integer", "number"):
        field_class = IntegerField if kind == "integer" else FloatField
        return field_class(label, validators=[Optional(), NumberRange(min=minimum, max=maximum)])
    if kind == "yesno":
        return SelectField(label, choices=YES_NO, default="")
    if kind == "choice":
        return SelectField(label, choices=choice_list(choices), default="")
    if kind == "multichoice":
        return SelectMultipleField(label, choices=[(c, c) for c in choices])
    return StringField(label, validators=[Optional(), Length(max=2000)])


def build_form(spec, questions, program_choices, formdata=None):
    """A form instance for ``spec``'s fields, the agency questions, program and Private flag."""
    attributes = {f.name: field_for(f.type, f.label, f.choices, f.minimum, f.maximum) for f in spec.fields}
    for question in questions:
        attributes[question.key] = field_for(question.answer_type, question.label, tuple(question.choices or ()))
    attributes["program_id"] = SelectField("Program", choices=[("", "")] + program_choices, default="")
    attributes["is_private"] = BooleanField("Private: only I and my coordinator can see this form")
    form_class = type("ServiceFormFields", (FlaskForm,), attributes)
    return form_class(formdata=formdata) if formdata is not None else form_class()


def answers_from(form, spec, questions):
    """The form's answers as JSON-ready data (dates as ISO strings, blanks dropped)."""
    names = [f.name for f in spec.fields] + [q.key for q in questions]
    answers = {}
    for name in names:
        value = form[name].data
        if isinstance(value, date):
            value = value.isoformat()
        if value not in (None, "", []):
            answers[name] = value
    return answers


def load_answers(form, data, spec, questions):
    """Put saved answers into the form (dates parsed back)."""
    kinds = {f.name: f.type for f in spec.fields} | {q.key: q.answer_type for q in questions}
    for name, kind in kinds.items():
        value = data.get(name)
        if kind == "date" and isinstance(value, str):
            value = date.fromisoformat(value)
        form[name].data = value if value is not None else ([] if kind == "multichoice" else None)

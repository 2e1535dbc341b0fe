"""The client profile forms (named and anonymous, built from ``models/client_profile.py``),
shared by registration and editing, and the note and file forms of the dashboard."""

from datetime import date

from flask import request
from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

import validation
from admin_views.locking import VersionFields
from custom_pages.form_builder import answer_kinds, answers_from, load_answers, question_fields
from custom_pages.lookup_fields import LookupSelectMultipleField, kept_staff
from models.agencies import SITE_KINDS, sites
from models.agencies import programs as agency_programs
from models.client_profile import asked_fields, sections
from models.clients import Client, EmergencyContact, family_code_of
from models.questions import CLIENT_PROFILE
from models.reference import choices, told_apart
from models.session_records import questions_for
from validation import DateField

BLANK = [("", "")]
YES_NO = [("", lazy_gettext("Not asked")), ("yes", lazy_gettext("Yes")), ("no", lazy_gettext("No"))]


def past_date(form, field):
    if field.data and field.data > date.today():
        raise ValidationError(gettext("This date cannot be in the future."))


def plausible_birth_date(form, field):
    past_date(form, field)
    if field.data and field.data.year < 1900:
        raise ValidationError(gettext("Enter a date of birth after 1900."))


class NoCsrfForm(FlaskForm):
    class Meta:
        csrf = False  # sub-forms: the page's own form carries the token


class ContactForm(NoCsrfForm):
    name = StringField(lazy_gettext("Name"), validators=[Optional(), Length(max=200)])
    relationship = StringField(lazy_gettext("Relationship"), validators=[Optional(), Length(max=100)])
    phone = StringField(lazy_gettext("Phone"), validators=[validation.phone])


def active_sites():
    """The agency's active sites (scoped), for the registration-site tree."""
    return sites(active_only=True)


class RestrictionFields:
    """Program and Private fields of a case note or file (see models/visibility.py)."""

    program_id = SelectField(
        lazy_gettext("Program"),
        default="",
        description=lazy_gettext("Only this program's staff, coordinators and admins see it."),
    )
    is_private = BooleanField(lazy_gettext("Private: only me and my coordinator"))

    def with_programs(self, row=None):
        """Offer the agency's programs; a new row starts in my program when I am in exactly one."""
        programs = agency_programs(active_only=True)
        current = row.program if row is not None and row.program is not None else None
        if current is not None and current not in programs:
            programs.append(current)
        self.program_id.choices = [("", gettext("No program (everyone in the agency)"))] + [(str(p.id), p.name) for p in programs]
        if self.program_id.raw_data is None:  # not sent (a form shown unfilled, also beside a refused one)
            if row is not None:
                self.program_id.data = str(row.program_id or "")
            elif len(current_user.programs) == 1:
                self.program_id.data = str(current_user.programs[0].id)
        return self

    def apply_to(self, row):
        """Set the program and Private flag; on an existing row only when the page sent them (an
        edit page shows them only to those who may change them)."""
        if row.id is not None and "program_id" not in request.form:
            return
        row.program_id = int(self.program_id.data) if self.program_id.data else None
        row.is_private = bool(self.is_private.data)


class NoteForm(VersionFields, RestrictionFields, NoCsrfForm):
    body = TextAreaField(
        lazy_gettext("Note"), validators=[DataRequired(message=lazy_gettext("Write the note first.")), Length(max=20000)]
    )


class FileForm(VersionFields, RestrictionFields, NoCsrfForm):
    description = StringField(lazy_gettext("Description"), validators=[Length(max=255)])


class ProfileForm(VersionFields, FlaskForm):
    """A client profile form built from ``models/client_profile.py`` (see ``profile_form``)."""

    site_kinds = SITE_KINDS
    specs = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.load_choices()

    def load_choices(self):
        for spec in self.specs:
            if spec.type == "site":
                self.sites = active_sites()
                self[spec.name].choices = [(str(s.id), s.name) for s in self.sites]
            elif spec.type in ("choice", "multichoice"):
                fixed = spec.options()
                values = told_apart([(v, spec.shown(v)) for v in fixed]) if fixed is not None else choices(spec.values)
                blank = spec.type == "choice" and spec.default is None
                self[spec.name].choices = (BLANK if blank else []) + values

    def prefill_defaults(self):
        """A new profile starts at the staff member's default site."""
        if current_user.default_site_id and "registration_site_id" in self:
            self.registration_site_id.data = str(current_user.default_site_id)

    def sections(self):
        """``[(section, [(field description, bound field), ...])]`` for the page."""
        return [(title, [(spec, self[spec.name]) for spec in specs]) for title, specs in sections(self.specs)]

    def fill(self, client):
        """Copy the form onto the client (the caller commits in one transaction)."""
        for spec in self.specs:
            setattr(client, spec.name, FROM_FORM.get(spec.type, text_value)(self[spec.name].data))

    def load(self, client):
        """Put a saved client into the form (for editing); yes/no answers need translating."""
        self.process(obj=client)
        for spec in self.specs:
            if spec.type == "yesno":
                self[spec.name].data = {True: "yes", False: "no"}.get(getattr(client, spec.name), "")
        self.stamp(client)


class AnonymousProfileForm(ProfileForm):
    """Exactly OCMS's anonymous form: no name, no contact, nothing identifying."""


class NamedProfileForm(ProfileForm):
    emergency_contacts = FieldList(FormField(ContactForm), min_entries=2, max_entries=5)
    assigned_staff = LookupSelectMultipleField(lazy_gettext("Assigned staff"), kind="staff")
    confirm_different = BooleanField(lazy_gettext("I checked the possible duplicates: this is a different person"))
    questions = ()

    def keep_assigned(self, client):
        """The client's assigned staff stay choosable even once inactive."""
        self.assigned_staff.keep(kept_staff(a.staff for a in client.assignments))

    def validate_email(self, field):
        if self.has_email.data == "no" and field.data:
            raise ValidationError(gettext("Either clear the email or answer Yes to having one."))

    def validate_ircc_id_value(self, field):
        if bool(field.data) != bool(self.ircc_id_type.data):
            raise ValidationError(gettext("Give both the identifier type and its value, or neither."))

    def validate_arrival_year(self, field):
        if field.data and self.arrival_date.data and field.data != self.arrival_date.data.year:
            raise ValidationError(gettext("The arrival year does not match the arrival date."))

    def fill(self, client):
        super().fill(client)
        client.family_code = family_code_of(client.family_code)
        if client.arrival_date:
            client.arrival_year = client.arrival_date.year
        self.fill_answers(client)
        client.emergency_contacts = [
            EmergencyContact(name=c["name"].strip(), relationship=(c["relationship"] or "").strip(), phone=c["phone"] or "")
            for c in self.emergency_contacts.data
            if (c["name"] or "").strip()
        ]

    def fill_answers(self, client):
        """The agency's profile questions, kept in ``client.answers``."""
        kinds = answer_kinds(None, self.questions)
        client.answers = {**(client.answers or {}), **dict.fromkeys(kinds), **answers_from(self, kinds)}

    def load(self, client):
        super().load(client)
        load_answers(self, client.answers or {}, answer_kinds(None, self.questions))
        self.assigned_staff.data = [str(a.staff_id) for a in client.assignments]


def text_value(value):
    return (value or "").strip() or None


def as_is(value):
    return value


FROM_FORM = {  # form data to column value, by field type (default: trimmed text, empty as NULL)
    "email": lambda value: (text_value(value) or "").lower() or None,
    "date": as_is,
    "birth_date": as_is,
    "year": as_is,
    "yesno": lambda value: {"yes": True, "no": False}.get(value),
    "multichoice": lambda value: list(value or []),
    "site": lambda value: int(value) if value else None,
}


TYPE_CHECKS = {
    "phone": [validation.phone],
    "email": [validation.email],
    "postal_code": [validation.postal_code],
    "date": [past_date],
    "birth_date": [plausible_birth_date],
}


def text_length(spec):
    return spec.max_length or getattr(Client.__table__.c[spec.name].type, "length", None)


def field_checks(spec):
    """The validators of one profile field: required (or optional), then its type's checks."""
    if spec.required:
        checks = [DataRequired(message=spec.required_message) if spec.required_message else DataRequired()]
    else:
        checks = [Optional()] if spec.type in ("date", "birth_date", "year") else []
    if spec.type in ("text", "textarea") and text_length(spec):
        return checks + [Length(max=text_length(spec))]
    if spec.type == "year":
        return checks + [NumberRange(min=1900, max=date.today().year)]
    return checks + TYPE_CHECKS.get(spec.type, [])


FIELD_CLASSES = {
    "textarea": TextAreaField,
    "date": DateField,
    "birth_date": DateField,
    "year": IntegerField,
    "choice": SelectField,
    "site": SelectField,
    "multichoice": SelectMultipleField,
}


def profile_field(spec):
    """An unbound WTForms field for one profile field (choices are set per request)."""
    if spec.type == "yesno":
        return RadioField(spec.label, choices=YES_NO, default="")
    default = spec.default if spec.default is not None or spec.type not in ("choice", "site") else ""
    return FIELD_CLASSES.get(spec.type, StringField)(spec.label, validators=field_checks(spec), default=default)


def profile_form(kind, registering=False, **kwargs):
    """The ``named`` or ``anonymous`` profile form, its fields read from the profile
    description; a named one also asks the agency's active client-profile questions."""
    specs = asked_fields(kind, registering)
    attributes = {"specs": specs, **{spec.name: profile_field(spec) for spec in specs}}
    questions = profile_questions() if kind == "named" else []
    attributes.update(question_fields(questions, enforce_required=True), questions=questions)
    base = NamedProfileForm if kind == "named" else AnonymousProfileForm
    return type(base.__name__, (base,), attributes)(**kwargs)


def profile_questions():
    return questions_for(CLIENT_PROFILE)

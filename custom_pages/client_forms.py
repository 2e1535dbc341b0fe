"""The client profile forms (named and anonymous), shared by registration and editing."""

from datetime import date

from flask import request
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

import validation
from custom_pages.form_builder import answer_kinds, answers_from, load_answers, question_fields
from extensions import db
from models.agencies import SITE_KINDS, Program, Site
from models.clients import (
    IRCC_ID_TYPES,
    MARITAL_STATUSES,
    OFFICIAL_LANGUAGES,
    STREET_DIRECTIONS,
    STREET_TYPES,
    EmergencyContact,
    new_family_code,
)
from models.questions import CLIENT_PROFILE, AgencyQuestion
from models.reference import choices
from models.staff import Staff

BLANK = [("", "")]
YES_NO = [("", "Not asked"), ("yes", "Yes"), ("no", "No")]


def fixed(values):
    return BLANK + [(v, v) for v in values]


def past_date(form, field):
    if field.data and field.data > date.today():
        raise ValidationError("This date cannot be in the future.")


def plausible_birth_date(form, field):
    past_date(form, field)
    if field.data and field.data.year < 1900:
        raise ValidationError("Enter a date of birth after 1900.")


class NoCsrfForm(FlaskForm):
    class Meta:
        csrf = False  # sub-forms: the page's own form carries the token


class ContactForm(NoCsrfForm):
    name = StringField("Name", validators=[Optional(), Length(max=200)])
    relationship = StringField("Relationship", validators=[Optional(), Length(max=100)])
    phone = StringField("Phone", validators=[validation.phone])


def active_sites():
    """The agency's active sites (scoped), for the registration-site tree."""
    return db.session.scalars(select(Site).where(Site.is_active.is_(True)).order_by(Site.name)).all()


def staff_choices():
    staff = db.session.scalars(select(Staff).where(Staff.is_active.is_(True)).order_by(Staff.last_name, Staff.first_name))
    return [(str(s.id), s.name) for s in staff]


class RestrictionFields:
    """Program and Private fields of a case note or file (see models/visibility.py)."""

    program_id = SelectField("Program", default="", description="Only this program's staff, coordinators and admins see it.")
    is_private = BooleanField("Private: only me and my coordinator")

    def with_programs(self, row=None):
        """Offer the agency's programs; a new row starts in my program when I am in exactly one."""
        programs = db.session.scalars(select(Program).where(Program.is_active.is_(True)).order_by(Program.name)).all()
        current = row.program if row is not None and row.program is not None else None
        if current is not None and current not in programs:
            programs.append(current)
        self.program_id.choices = [("", "No program (everyone in the agency)")] + [(str(p.id), p.name) for p in programs]
        if request.method == "GET" or not request.form:
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


class NoteForm(RestrictionFields, NoCsrfForm):
    body = TextAreaField("Note", validators=[DataRequired(message="Write the note first."), Length(max=20000)])


class FileForm(RestrictionFields, NoCsrfForm):
    description = StringField("Description", validators=[Length(max=255)])


class SiteAndCommentsMixin:
    """Fields both profile kinds have."""

    gender = SelectField("Gender", default="", validators=[InputRequired(message="Choose a gender (Unknown is a choice).")])
    postal_code = StringField("Postal code", validators=[validation.postal_code])
    registration_site_id = SelectField(
        "Registration site", default="", validators=[DataRequired(message="Choose the registration site.")]
    )
    comments = TextAreaField("Comments", validators=[Length(max=5000)])
    expected_version = HiddenField()

    site_kinds = SITE_KINDS

    def load_choices(self):
        self.gender.choices = BLANK + choices("genders")
        self.sites = active_sites()
        self.registration_site_id.choices = [(str(s.id), s.name) for s in self.sites]

    def prefill_defaults(self):
        """A new profile starts at the staff member's default site."""
        if current_user.default_site_id:
            self.registration_site_id.data = str(current_user.default_site_id)


class AnonymousProfileForm(SiteAndCommentsMixin, FlaskForm):
    """Exactly OCMS's anonymous form: no name, no contact, nothing identifying."""

    arrival_year = IntegerField(
        "Arrival year (leave empty if Unknown)", validators=[Optional(), NumberRange(min=1900, max=date.today().year)]
    )
    immigration_status = SelectField("Immigration status", default="Unknown")
    registration_date = DateField("Registration date", default=date.today, validators=[DataRequired(), past_date])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.load_choices()
        self.immigration_status.choices = choices("immigration_statuses")

    def fill(self, client):
        client.gender = self.gender.data
        client.arrival_year = self.arrival_year.data
        client.immigration_status = self.immigration_status.data
        client.postal_code = self.postal_code.data or None
        client.registration_site_id = int(self.registration_site_id.data)
        client.comments = self.comments.data or None
        if client.id is None:
            client.registration_date = self.registration_date.data


class NamedProfileForm(SiteAndCommentsMixin, FlaskForm):
    first_name = StringField("First name", validators=[DataRequired(), Length(max=100)])
    last_name = StringField("Last name", validators=[DataRequired(), Length(max=100)])
    preferred_name = StringField("Preferred name", validators=[Length(max=100)])
    date_of_birth = DateField(
        "Date of birth", validators=[DataRequired(message="Enter the date of birth (YYYY-MM-DD)."), plausible_birth_date]
    )
    marital_status = SelectField("Marital status", default="", choices=fixed(MARITAL_STATUSES))
    phone = StringField("Phone", validators=[validation.phone])
    has_email = RadioField("Does the client have an email address?", choices=YES_NO, default="")
    email = StringField("Email", validators=[validation.email])
    street_no = StringField("Street number", validators=[Length(max=20)])
    street_name = StringField("Street name", validators=[Length(max=100)])
    street_type = SelectField("Street type", default="", choices=fixed(STREET_TYPES))
    street_direction = SelectField("Street direction", default="", choices=fixed(STREET_DIRECTIONS))
    unit = StringField("Unit/Suite/Apt", validators=[Length(max=20)])
    city = StringField("City", validators=[Length(max=100)])
    province = SelectField("Province", default="")
    official_language = SelectField("Official language of preference", default="", choices=fixed(OFFICIAL_LANGUAGES))
    first_language = SelectField("First language", default="")
    other_languages = SelectMultipleField("Other languages")
    country_of_birth = SelectField("Country of birth", default="")
    citizenship = SelectField("Citizenship", default="")
    immigration_status = SelectField("Immigration status", default="")
    arrival_date = DateField("Arrival date in Canada", validators=[Optional(), past_date])
    arrival_year = IntegerField("or arrival year", validators=[Optional(), NumberRange(min=1900, max=date.today().year)])
    ircc_id_type = SelectField("IRCC unique identifier type", default="", choices=fixed(IRCC_ID_TYPES))
    ircc_id_value = StringField("IRCC unique identifier", validators=[Length(max=40)])
    family_code = StringField("Family code", validators=[Length(max=20)])
    research_consent = RadioField("Consent for future research/consultation", choices=YES_NO, default="")
    emergency_contacts = FieldList(FormField(ContactForm), min_entries=2, max_entries=5)
    assigned_staff = SelectMultipleField("Assigned staff")
    confirm_different = BooleanField("I checked the possible duplicates: this is a different person")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.load_choices()
        self.province.choices = BLANK + choices("provinces")
        self.first_language.choices = BLANK + choices("languages")
        self.other_languages.choices = choices("languages")
        self.country_of_birth.choices = self.citizenship.choices = BLANK + choices("countries")
        self.immigration_status.choices = BLANK + choices("immigration_statuses")
        self.assigned_staff.choices = staff_choices()

    def validate_email(self, field):
        if self.has_email.data == "no" and field.data:
            raise ValidationError("Either clear the email or answer Yes to having one.")

    def validate_ircc_id_value(self, field):
        if bool(field.data) != bool(self.ircc_id_type.data):
            raise ValidationError("Give both the identifier type and its value, or neither.")

    def validate_arrival_year(self, field):
        if field.data and self.arrival_date.data and field.data != self.arrival_date.data.year:
            raise ValidationError("The arrival year does not match the arrival date.")

    def fill(self, client):
        """Copy the form onto the client (the caller commits in one transaction)."""
        for name in (
            "first_name",
            "last_name",
            "preferred_name",
            "marital_status",
            "phone",
            "email",
            "street_no",
            "street_name",
            "street_type",
            "street_direction",
            "unit",
            "city",
            "province",
            "official_language",
            "first_language",
            "country_of_birth",
            "citizenship",
            "immigration_status",
            "ircc_id_type",
            "ircc_id_value",
            "family_code",
            "postal_code",
            "comments",
            "gender",
        ):
            setattr(client, name, (getattr(self, name).data or "").strip() or None)
        client.email = client.email.lower() if client.email else None
        if (client.family_code or "").upper() == "NEW":
            client.family_code = new_family_code()
        client.date_of_birth = self.date_of_birth.data
        client.has_email = {"yes": True, "no": False}.get(self.has_email.data)
        client.research_consent = {"yes": True, "no": False}.get(self.research_consent.data)
        client.other_languages = list(self.other_languages.data or [])
        client.arrival_date = self.arrival_date.data
        client.arrival_year = self.arrival_date.data.year if self.arrival_date.data else self.arrival_year.data
        client.registration_site_id = int(self.registration_site_id.data)
        self.fill_answers(client)
        client.emergency_contacts = [
            EmergencyContact(name=c["name"].strip(), relationship=(c["relationship"] or "").strip(), phone=c["phone"] or "")
            for c in self.emergency_contacts.data
            if (c["name"] or "").strip()
        ]

    questions = ()

    def fill_answers(self, client):
        """The agency's profile questions, kept in ``client.answers``."""
        kinds = answer_kinds(None, self.questions)
        client.answers = {**(client.answers or {}), **dict.fromkeys(kinds), **answers_from(self, kinds)}

    def load(self, client):
        """Put a saved client into the form (for editing); lists and yes/no need translating."""
        self.process(obj=client)
        load_answers(self, client.answers or {}, answer_kinds(None, self.questions))
        self.has_email.data = {True: "yes", False: "no"}.get(client.has_email, "")
        self.research_consent.data = {True: "yes", False: "no"}.get(client.research_consent, "")
        self.assigned_staff.data = [str(a.staff_id) for a in client.assignments]
        self.expected_version.data = str(client.version)


def named_profile_form(**kwargs):
    """The named profile form with the agency's active client-profile questions added."""
    query = select(AgencyQuestion).where(AgencyQuestion.target == CLIENT_PROFILE, AgencyQuestion.is_active.is_(True))
    questions = db.session.scalars(query.order_by(AgencyQuestion.position, AgencyQuestion.id)).all()
    form = type("NamedProfile", (NamedProfileForm,), question_fields(questions, enforce_required=True))(**kwargs)
    form.questions = questions
    return form

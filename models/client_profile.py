"""The client profile, described once as data (as ``service_forms/`` describes the forms).

``PROFILE`` lists every field of a client's profile in page order, grouped in ``SECTIONS``.
Adding a field is one entry here plus its column on ``Client`` and a migration: the named and
anonymous forms (``custom_pages/client_forms.py``), their pages, the dashboard overview, the
printed profile (``exports/pdf.py``), the access-request export, the "add family member"
pre-fill and retention's anonymisation all read this list.

A field's ``values``: a reference list name (``reference_values``, e.g. ``"countries"``), a
tuple of fixed values, or ``ICARE_LIST`` (the drop-down of its column in the iCARE Client
Profile template, ``icare_code``). ``retention``: what ``apply-retention`` does with it:
``keep``, ``remove``, ``year`` (a date becomes 1 January of its year), ``area`` (only the first
three characters stay: a postal code's forward sortation area) or ``placeholder`` (a named
profile keeps ``placeholder`` instead). ``asked``: ``always``, ``registering`` (typed once, when
the client is registered) or ``never`` (shown, but set by the system).
"""

from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from datetime import date

from flask_babel import force_locale, gettext, lazy_gettext

from models.reference import icare_options, value_label

ICARE_SHEET = "Client Profile"
ICARE_LIST = "icare"
# Section and line titles, shown in the interface's language (compared as the same lazy strings).
PRIMARY, CONTACT = lazy_gettext("Primary information"), lazy_gettext("Contact")
LANGUAGES, IMMIGRATION, AGENCY = lazy_gettext("Languages"), lazy_gettext("Immigration"), lazy_gettext("Agency")
SECTIONS = (PRIMARY, CONTACT, LANGUAGES, IMMIGRATION, AGENCY)
TYPES = ("text", "textarea", "phone", "email", "postal_code", "date", "birth_date", "year", "yesno", "choice", "multichoice")
TYPES += ("site",)  # a registration site (``registration_site_id``: the ``registration_site`` relationship)
RETENTION = ("keep", "remove", "year", "area", "placeholder")
ASKED = ("always", "registering", "never")
MARITAL_STATUSES = ("Single", "Common-Law", "Married", "Divorced", "Separated", "Widowed")


@dataclass(frozen=True)
class ProfileField:
    """One field of the client profile. ``required``: needed to save; ``anonymous``: anonymous
    profiles have it too, with ``as_anonymous`` (attribute overrides) applied; ``family``: copied
    from a relative by "add family member"; ``summary``: the label of the one line it shares
    with other fields on the overview and printouts (default: a line of its own); ``printed``:
    on the printed intake form; ``width``: columns (of 12) it takes on a wide form."""

    name: str
    label: str
    type: str = "text"
    section: str = PRIMARY
    values: str | tuple = ()
    required: bool = False
    required_message: str | None = None
    anonymous: bool = False
    icare_code: str | None = None
    retention: str = "keep"
    placeholder: str | None = None
    family: bool = False
    asked: str = "always"
    default: object = None
    help: str = ""
    max_length: int | None = None  # default: the column's length
    summary: str | None = None
    printed: bool = True
    width: int = 12
    as_anonymous: dict = field(default_factory=dict, compare=False)

    def __post_init__(self):
        assert self.type in TYPES and self.section in SECTIONS, (self.name, self.type, self.section)
        assert self.retention in RETENTION and self.asked in ASKED, self.name
        assert (self.retention == "placeholder") == bool(self.placeholder), self.name

    @property
    def is_personal(self):
        """Personal data that retention removes (wholly or in part)."""
        return self.retention != "keep"

    @property
    def list_name(self):
        """Which value list ``models/reference.value_label`` reads its labels from."""
        if self.values == ICARE_LIST:
            return self.icare_code
        return self.values if isinstance(self.values, str) else self.name

    def shown(self, value, locale=None):
        """A stored value of this field in the interface's language (lists: their label)."""
        if self.type in ("choice", "multichoice") and isinstance(value, str):
            return value_label(self.list_name, value, locale)
        if isinstance(value, list):
            return [self.shown(item, locale) for item in value]
        return value

    def options(self):
        """The fixed values (an iCARE list or a tuple); ``None`` when ``values`` names a reference list."""
        if self.values == ICARE_LIST:
            return tuple(icare_options(ICARE_SHEET, self.icare_code))
        return self.values if isinstance(self.values, tuple) else None


F = ProfileField
NAME, EMAIL, ADDRESS = lazy_gettext("Name"), lazy_gettext("Email"), lazy_gettext("Address")
ARRIVAL, IRCC_ID = lazy_gettext("Arrival in Canada"), lazy_gettext("IRCC identifier")

PROFILE = (
    F(
        "first_name",
        lazy_gettext("First name"),
        required=True,
        width=6,
        retention="placeholder",
        placeholder="Anonymised",
        summary=NAME,
    ),
    F(
        "last_name",
        lazy_gettext("Last name"),
        required=True,
        width=6,
        retention="placeholder",
        placeholder="client",
        summary=NAME,
        family=True,
    ),
    F("preferred_name", lazy_gettext("Preferred name"), width=6, retention="remove", summary=NAME),
    F(
        "date_of_birth",
        lazy_gettext("Date of birth"),
        "birth_date",
        required=True,
        required_message=lazy_gettext("Enter the date of birth (YYYY-MM-DD)."),
        icare_code="client_birth_dt",
        retention="year",
        width=6,
    ),
    F(
        "gender",
        lazy_gettext("Gender"),
        "choice",
        values="genders",
        required=True,
        required_message=lazy_gettext("Choose a gender (Unknown is a choice)."),
        anonymous=True,
        width=6,
    ),
    F("marital_status", lazy_gettext("Marital status"), "choice", values=MARITAL_STATUSES, width=6),
    F(
        "family_code",
        lazy_gettext("Family code"),
        retention="remove",
        family=True,
        help=lazy_gettext("Type NEW (or NOUVEAU) to generate a code for a new family."),
    ),
    F(
        "phone",
        lazy_gettext("Phone"),
        "phone",
        CONTACT,
        icare_code="phone_no",
        retention="remove",
        family=True,
        help=lazy_gettext("Any format, e.g. 416-555-0123."),
        width=6,
    ),
    F("email", lazy_gettext("Email"), "email", CONTACT, icare_code="email_txt", retention="remove", summary=EMAIL, width=6),
    F(
        "has_email",
        lazy_gettext("Does the client have an email address?"),
        "yesno",
        CONTACT,
        icare_code="email_txt_ind",
        summary=EMAIL,
    ),
    F(
        "street_no",
        lazy_gettext("Street number"),
        section=CONTACT,
        icare_code="street_no",
        retention="remove",
        family=True,
        summary=ADDRESS,
        width=3,
    ),
    F(
        "street_name",
        lazy_gettext("Street name"),
        section=CONTACT,
        icare_code="street_nme",
        retention="remove",
        family=True,
        summary=ADDRESS,
        width=5,
    ),
    F(
        "street_type",
        lazy_gettext("Street type"),
        "choice",
        CONTACT,
        values=ICARE_LIST,
        icare_code="street_type_id",
        retention="remove",
        family=True,
        summary=ADDRESS,
        width=4,
    ),
    F(
        "street_direction",
        lazy_gettext("Street direction"),
        "choice",
        CONTACT,
        values=ICARE_LIST,
        icare_code="street_direction_id",
        retention="remove",
        family=True,
        summary=ADDRESS,
        width=4,
    ),
    F(
        "unit",
        lazy_gettext("Unit/Suite/Apt"),
        section=CONTACT,
        icare_code="unit_txt",
        retention="remove",
        family=True,
        summary=ADDRESS,
        width=3,
    ),
    F("city", lazy_gettext("City"), section=CONTACT, icare_code="city_txt", family=True, summary=ADDRESS, width=5),
    F(
        "province",
        lazy_gettext("Province"),
        "choice",
        CONTACT,
        values="provinces",
        icare_code="province_id",
        family=True,
        summary=ADDRESS,
        width=7,
    ),
    F(
        "postal_code",
        lazy_gettext("Postal code"),
        "postal_code",
        CONTACT,
        icare_code="postal_txt",
        retention="area",
        family=True,
        anonymous=True,
        summary=ADDRESS,
        help="A1A 1A1",
        width=5,
        as_anonymous={"summary": None},
    ),
    F(
        "official_language",
        lazy_gettext("Official language of preference"),
        "choice",
        LANGUAGES,
        values=ICARE_LIST,
        icare_code="official_language_id",
        family=True,
    ),
    F("first_language", lazy_gettext("First language"), "choice", LANGUAGES, values="languages"),
    F("other_languages", lazy_gettext("Other languages"), "multichoice", LANGUAGES, values="languages"),
    F("country_of_birth", lazy_gettext("Country of birth"), "choice", IMMIGRATION, values="countries", family=True, width=6),
    F("citizenship", lazy_gettext("Citizenship"), "choice", IMMIGRATION, values="countries", width=6),
    F(
        "immigration_status",
        lazy_gettext("Immigration status"),
        "choice",
        IMMIGRATION,
        values="immigration_statuses",
        family=True,
        anonymous=True,
        as_anonymous={"default": "Unknown"},
    ),
    F(
        "arrival_date",
        lazy_gettext("Arrival date in Canada"),
        "date",
        IMMIGRATION,
        family=True,
        summary=ARRIVAL,
        help=lazy_gettext("Or just the year; leave both empty if Unknown."),
        width=7,
    ),
    F(
        "arrival_year",
        lazy_gettext("or arrival year"),
        "year",
        IMMIGRATION,
        family=True,
        anonymous=True,
        summary=ARRIVAL,
        width=5,
        as_anonymous={
            "label": lazy_gettext("Arrival year (leave empty if Unknown)"),
            "help": lazy_gettext("Leave empty when the year is Unknown."),
        },
    ),
    F(
        "ircc_id_type",
        lazy_gettext("IRCC unique identifier type"),
        "choice",
        IMMIGRATION,
        values=ICARE_LIST,
        icare_code="client_validation_type_id",
        retention="remove",
        summary=IRCC_ID,
        width=7,
    ),
    F(
        "ircc_id_value",
        lazy_gettext("IRCC unique identifier"),
        section=IMMIGRATION,
        icare_code="client_validation_id",
        retention="remove",
        summary=IRCC_ID,
        width=5,
    ),
    F(
        "registration_date",
        lazy_gettext("Registration date"),
        "date",
        AGENCY,
        required=True,
        anonymous=True,
        asked="never",
        default=date.today,
        as_anonymous={"asked": "registering", "help": lazy_gettext("Never changes once saved.")},
    ),
    F(
        "registration_site_id",
        lazy_gettext("Registration site"),
        "site",
        AGENCY,
        required=True,
        required_message=lazy_gettext("Choose the registration site."),
        anonymous=True,
    ),
    F("research_consent", lazy_gettext("Consent for future research/consultation"), "yesno", AGENCY, icare_code="consent_ind"),
    F(
        "comments",
        lazy_gettext("Comments"),
        "textarea",
        AGENCY,
        anonymous=True,
        retention="remove",
        max_length=5000,
        printed=False,
        as_anonymous={
            "help": lazy_gettext("Visible to your whole agency and searchable: this is how an anonymous client is found again.")
        },
    ),
)


FIELDS = {f.name: f for f in PROFILE}


def profile_fields(kind="named"):
    """The fields a ``named`` or ``anonymous`` profile has, in order (anonymous overrides applied)."""
    if kind == "anonymous":
        return [replace(f, **f.as_anonymous) for f in PROFILE if f.anonymous]
    return list(PROFILE)


def asked_fields(kind, registering):
    """The fields the form asks for: on registration, or when editing a saved profile."""
    wanted = ("always", "registering") if registering else ("always",)
    return [f for f in profile_fields(kind) if f.asked in wanted]


def sections(fields):
    """``[(section, [field, ...])]`` in order, empty sections left out."""
    return [(title, members) for title in SECTIONS if (members := [f for f in fields if f.section == title])]


def field_value(client, spec):
    """A field's value as shown: the site itself rather than its id."""
    return client.registration_site if spec.type == "site" else getattr(client, spec.name)


def shown_value(client, name, locale=None):
    """A profile field's value in ``locale`` (list values: their label)."""
    return FIELDS[name].shown(getattr(client, name), locale)


STREET = ("street_no", "street_name", "street_type", "street_direction")


def address(client, locale=None, shown=None):
    """The client's address on one line, list values by their labels in ``locale``; ``shown(field,
    value)`` gives a label instead (a list of many addresses passes one that remembers them)."""
    shown = shown or (lambda name, value: FIELDS[name].shown(value, locale))
    street = " ".join(p for p in (shown(name, getattr(client, name)) for name in STREET) if p)
    with force_locale(locale) if locale else nullcontext():
        unit = gettext("Unit %(unit)s, ", unit=client.unit) if client.unit else ""
    province = shown("province", client.province)
    return ", ".join(p for p in (unit + street, client.city, province, client.postal_code) if p and p.strip(", "))


def arrival(client, locale=None):
    """The arrival date, else year, else "Unknown" in ``locale`` (default: the interface's)."""
    with force_locale(locale) if locale else nullcontext():
        return client.arrival_label


def ircc_identifier(client, locale=None):
    return " ".join(filter(None, (shown_value(client, "ircc_id_type", locale), client.ircc_id_value)))


# How the fields sharing one summary line combine (any other shared line: the values, spaced).
# Pairs, not a dict: the titles are lazy strings, found by identity whatever the language.
COMBINED = (
    (NAME, lambda client, locale: client.display_name),
    (EMAIL, lambda client, locale: client.email or client.has_email),  # else True/False: as_text's Yes/No
    (ADDRESS, address),
    (ARRIVAL, arrival),
    (IRCC_ID, ircc_identifier),
)


def summary(client, printed_only=False, locale=None):
    """The profile for reading: ``[(section, [(label, value), ...])]``, values as stored
    (``None``, booleans, dates, lists) for the caller to format, list values as their labels in
    ``locale`` (default: the interface's language)."""
    fields = [f for f in profile_fields(client.kind) if f.printed or not printed_only]
    return [(title, summary_lines(client, members, locale)) for title, members in sections(fields)]


def summary_lines(client, fields, locale=None):
    """One ``(label, value)`` per field, or per group of fields sharing a ``summary`` label
    (placed where the group's first field is)."""
    groups = {}
    for spec in fields:
        groups.setdefault(id(spec.summary) if spec.summary else ("field", spec.name), []).append(spec)
    return [summary_line(client, members, locale) for members in groups.values()]


def summary_line(client, members, locale=None):
    first = members[0]
    if first.summary is None:
        return first.label, first.shown(field_value(client, first), locale)
    return first.summary, combined(client, first.summary, members, locale)


def combined(client, label, fields, locale=None):
    how = next((how for title, how in COMBINED if title is label), None)
    if how is not None:
        return how(client, locale)
    values = (f.shown(field_value(client, f), locale) for f in fields)
    return " ".join(str(v) for v in values if v not in (None, ""))


def as_text(value, yes=None, no=None, empty="—"):
    """A summary value as text; a yes/no answer in ``yes`` / ``no``, by default the interface's
    Yes/No (translated as it is shown: the stored value is the boolean)."""
    if value is None or value == "" or value == []:
        return empty
    if isinstance(value, bool):
        return (yes or gettext("Yes")) if value else (no or gettext("No"))
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return value.isoformat() if isinstance(value, date) else str(value)

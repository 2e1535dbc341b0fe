"""The eight iCARE templates as the export sees them, derived from the one description.

Each template column gets its source from ``service_forms`` and the client profile, never from
a per-template table: a column some form kind of the sheet holds (``icare_code``) comes from
the form's answers, a column of the client profile (``models/client_profile.py``,
``icare_code``) from the client, Update Record ID and Reason for update from an amendment, and
Processing Details stays blank (iCARE writes its verdict there). The forms feeding a sheet are
the kinds whose ``FormSpec.icare_sheet`` names it; a sheet fed by a session-level form (the
course) has no client columns.
"""

import re
from dataclasses import dataclass
from functools import cache

from flask_babel import lazy_gettext

from models.client_profile import ICARE_SHEET as PROFILE_SHEET
from models.client_profile import PROFILE
from service_forms.catalogue import FORMS
from service_forms.fields import date_pairs, normalised_code, options_by_code
from service_forms.icare import icare_templates

BLANK, FORM, CLIENT, UPDATE_ID, UPDATE_REASON = "blank", "form", "client", "update_id", "update_reason"
SPECIAL = {"processing_details": BLANK, "update_record_id": UPDATE_ID, "assessment_update_reason_id": UPDATE_REASON}
POSTAL_CODES = ("postal_cd", "postal_txt")
# The templates' names on the pages, in the interface's language (the iCARE files keep iCARE's title).
TEMPLATE_LABELS = {
    "client-profile": lazy_gettext("Client Profile"),
    "needs-assessment-referrals": lazy_gettext("Needs Assessment and Referrals Service"),
    "community-connections": lazy_gettext("Community Connections"),
    "info-orien": lazy_gettext("Information and Orientation"),
    "employment": lazy_gettext("Employment Related Services"),
    "lt-client-enrol": lazy_gettext("Language Training - Client Enrolment"),
    "lt-course-setup": lazy_gettext("Language Training - Course Setup"),
    "lt-client-exit": lazy_gettext("Language Training - Client Exit"),
}
IDENTIFIER, IDENTIFIER_TYPE, BIRTH_DATE, COURSE_CODE = (
    "client_validation_id",
    "client_validation_type_id",
    "client_birth_dt",
    "course_cd",
)


@dataclass(frozen=True)
class Column:
    """One template column: where its value comes from and how it is checked."""

    letter: str
    code: str
    label: str
    mandatory: bool
    source: str  # BLANK, FORM, CLIENT, UPDATE_ID or UPDATE_REASON
    attribute: str | None  # the form field or the ``Client`` attribute
    type: str  # text, date, yesno, choice, integer, birth_date...
    options: tuple  # the values accepted, stripped
    spelling: tuple  # ((stripped, as the template spells it), ...)
    show_if: tuple | None = None

    @property
    def is_date(self):
        return self.type in ("date", "birth_date")


@dataclass(frozen=True)
class Template:
    sheet: str
    title: str
    a1: str
    slug: str
    kinds: tuple  # the form kinds feeding it (none: the Client Profile)
    columns: tuple

    @property
    def label(self):
        """The template's name in the interface's language."""
        return str(TEMPLATE_LABELS.get(self.slug, self.title))

    @property
    def is_profile(self):
        return not self.kinds

    @property
    def is_course(self):
        return bool(self.kinds) and all(FORMS[kind].scope == "session" for kind in self.kinds)

    @property
    def valued_columns(self):
        """The columns whose value comes from a form or the profile, in template order."""
        return tuple(c for c in self.columns if c.source in (FORM, CLIENT))

    def column(self, code):
        return next((c for c in self.columns if c.code == code), None)

    def date_pairs(self):
        """(start, end) date columns, paired as the forms pair their fields (``date_pairs``)."""
        dates = {c.code: c for c in self.columns if c.is_date and c.source == FORM}
        return [(dates[start], dates[end]) for start, end in date_pairs(dates)]


def slugify(sheet):
    return re.sub(r"[^a-z0-9]+", "-", sheet.lower()).strip("-")


def profile_field(code):
    return next((f for f in PROFILE if f.icare_code == code), None)


def form_field(kinds, code):
    for kind in kinds:
        found = next((f for f in FORMS[kind].fields if f.icare_code == code), None)
        if found:
            return found
    return None


def build_column(raw, kinds):
    code = raw["code"]
    raw_options = [str(o) for o in raw["options"] or []]
    options = [o.strip() for o in raw_options] or options_by_code().get(normalised_code(code), [])
    field, source, attribute, kind, show_if = None, SPECIAL.get(code), None, "text", None
    if source is None and kinds:
        field = form_field(kinds, code)
    if field is not None:
        source, attribute, kind, show_if = FORM, field.name, field.type, field.show_if
    elif source is None and (profile := profile_field(code)) is not None:
        source, attribute, kind = CLIENT, profile.name, profile.type
    source = source or BLANK
    return Column(
        letter=raw["column"],
        code=code,
        label=raw["label"],
        mandatory=raw["mandatory"],
        source=source,
        attribute=attribute,
        type=kind,
        options=tuple(dict.fromkeys(options)),
        spelling=tuple((o.strip(), o) for o in raw_options if o != o.strip()),
        show_if=show_if,
    )


@cache
def templates():
    """Every template, in the order of ``templates.json`` (the Client Profile first)."""
    found = []
    for sheet, raw in icare_templates().items():
        kinds = tuple(kind for kind, spec in FORMS.items() if spec.icare_sheet == sheet)
        if not kinds and sheet != PROFILE_SHEET:
            continue
        columns = tuple(build_column(column, kinds) for column in raw["columns"])
        found.append(Template(sheet, raw["title"], raw["a1"], slugify(sheet), kinds, columns))
    return tuple(found)


def template(slug_or_sheet):
    """A template by slug, sheet name or title (``None`` if there is none)."""
    wanted = slug_or_sheet.strip().lower()
    return next(
        (t for t in templates() if wanted in (t.slug, t.sheet.lower(), t.title.lower()) or slugify(wanted) == t.slug), None
    )


def template_label(sheet_or_slug):
    """A template's name in the interface's language, from its slug or iCARE sheet name."""
    found = template(sheet_or_slug or "")
    return found.label if found else sheet_or_slug


def profile_template():
    return next(t for t in templates() if t.is_profile)


def service_templates():
    return tuple(t for t in templates() if not t.is_profile)

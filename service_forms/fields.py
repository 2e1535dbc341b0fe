"""Field and form descriptions, and fields derived from the iCARE bulk-upload templates."""

import re
from dataclasses import dataclass, field
from functools import cache

from service_forms.icare import icare_templates
from service_forms.labels import lazy_label, option_label

# Columns iCARE fills from the client profile or writes itself: never typed on a form.
PROFILE_COLUMNS = {
    "processing_details",
    "update_record_id",
    "client_validation_type_id",
    "client_validation_id",
    "client_birth_dt",
}
INDEX = re.compile(r"\[\d+\]|_\d+$")
# Template columns whose drop-down list is missing in the workbook, and where to take it from.
BORROWED_OPTIONS = {
    "language_CLB_skill_writing": "language_CLB_skill_reading",
    "certificate_listening_level_id": "listening_CLB_level_id",
    "certificate_speaking_level_id": "speaking_CLB_level_id",
}
# Columns asked only after a given answer (code prefix: (other column, answer)).
CONDITIONS = {
    "childminding_NewcomerChildren": ("childminding_ind", "Yes"),
    "translation_language": ("translation_ind", "Yes"),
    "interpretation_language": ("interpretation_ind", "Yes"),
    "certificate_listening": ("certificate_issued_ind", "Yes"),
    "certificate_speaking": ("certificate_issued_ind", "Yes"),
    "exit_course_reason_id": ("training_status_id", "Exited the course before completing"),
    "exit_course_dt": ("training_status_id", "Exited the course before completing"),
}
END_WORDS = ("end", "completed")  # an end date is named like its start with one of these for "start"
TYPES = ("text", "textarea", "date", "integer", "percent", "yesno", "choice", "multichoice", "mentor")
# "percent": 0 to 100, decimals allowed, kept as text ("85.5"; validation.PercentField)
# "mentor": a mentor of the agency's directory (its id; choices per request, custom_pages/mentor_forms.py)


@dataclass(frozen=True)
class FieldSpec:
    """One field of a form. ``required``: needed for the form to be complete (shown green);
    ``icare``: mandatory for the iCARE upload (shown yellow, checked by the iCARE checker).
    ``label`` is a lazy string (the viewer's language); ``section`` is the English title, a key
    (``FormSpec.sections()`` gives it in the viewer's language); ``choices`` are the stored
    (English) values, ``option_label`` says how one reads."""

    name: str
    label: str
    type: str = "text"
    choices: tuple = ()
    required: bool = False
    icare: bool = False
    icare_code: str | None = None
    section: str = "Service"
    show_if: tuple | None = None  # (other field, value): asked only then
    minimum: int | None = None
    maximum: int | None = None

    def __post_init__(self):
        assert self.type in TYPES, self.type

    def option_label(self, value):
        """How a stored choice of this field reads in the viewer's language."""
        return option_label(value)

    def options(self):
        """``(stored value, label)`` pairs of the field's choices, in the viewer's language."""
        return [(value, option_label(value)) for value in self.choices]

    def applies(self, data):
        """Whether the field is asked, given the answers so far."""
        if self.show_if is None:
            return True
        other, value = self.show_if
        answer = data.get(other)
        return answer in value if isinstance(value, tuple) else answer == value


@dataclass(frozen=True)
class FormSpec:
    """One form kind: per client (``scope="client"``) or once per session (``"session"``).
    ``icare_sheet``: the iCARE template it feeds (none: never uploaded); ``attendance_field``:
    its yes/no field saying whether the client attended (a "No" is not counted as served).
    Which session types offer it is said by the session types (``session_types.py``)."""

    kind: str
    label: str
    fields: tuple = field(repr=False)
    scope: str = "client"
    icare_sheet: str | None = None
    description: str = ""
    attendance_field: str | None = None

    def field(self, name):
        return next(f for f in self.fields if f.name == name)

    def sections(self):
        """Fields grouped by section, in order; each title in the viewer's language."""
        groups = {}
        for spec in self.fields:
            groups.setdefault(spec.section, []).append(spec)
        return [(lazy_label(title), specs) for title, specs in groups.items()]

    def asked(self, data):
        """``data`` without the answers to fields their condition does not ask (until stable:
        a dropped answer may switch off another field)."""
        while True:
            dropped = {f.name for f in self.fields if f.name in data and not f.applies(data)}
            if not dropped:
                return data
            data = {name: value for name, value in data.items() if name not in dropped}

    def layout(self):
        """Sections in order, each a list of rows: ``("field", spec)``, or ``("pair", need,
        referral)`` for a need and the referral made for it (shown as one row of a table)."""
        names = {f.name: f for f in self.fields}
        partner = {}
        for spec in self.fields:
            found = next((names[n] for n in referral_names(spec.name) if n in names), None)
            if found is not None:
                partner[spec.name] = found
        paired = {p.name for p in partner.values()}
        sections = []
        for title, specs in self.sections():
            rows = [("pair", f, partner[f.name]) if f.name in partner else ("field", f) for f in specs if f.name not in paired]
            sections.append((title, rows))
        return sections

    def date_pairs(self):
        """(start, end) names of the form's date fields where the end may not precede the start."""
        return date_pairs(f.name for f in self.fields if f.type == "date")

    def missing(self, data):
        """Labels of required fields left empty (an empty list: the form is complete)."""
        return [f.label for f in self.fields if f.required and f.applies(data) and data.get(f.name) in (None, "", [])]


NEED_SUFFIX = "_needs_ind"
REFERRAL_SUFFIXES = ("_referrals_ind", "_refs_ind", "_needs_referrals_ind")


def referral_names(name):
    """The names the field saying a referral was made for need ``name`` may have (iCARE spells
    them three ways); none when ``name`` is no need."""
    if not name.endswith(NEED_SUFFIX):
        return []
    stem = name[: -len(NEED_SUFFIX)]
    return [stem + suffix for suffix in REFERRAL_SUFFIXES]


def date_pairs(names):
    """(start, end) pairs among date field names: an end named like its start with "end" or
    "completed" for "start" (``assessment_start_dt``, ``assessment_completed_dt``). The one rule
    of the forms' saving (``ServiceForm.save_answers``) and of the iCARE check."""
    names = tuple(names)
    return [
        (name, name.replace("start", word))
        for name in names
        if "start" in name
        for word in END_WORDS
        if name.replace("start", word) in names
    ]


def normalised_code(code):
    return INDEX.sub("", code)


@cache
def options_by_code():
    """The longest drop-down list seen for each (normalised) column code, across templates."""
    found = {}
    for template in icare_templates().values():
        for column in template["columns"]:
            options = [str(o).strip() for o in column["options"] or []]
            key = normalised_code(column["code"])
            if len(options) > len(found.get(key, [])):
                found[key] = list(dict.fromkeys(options))
    for target, source in BORROWED_OPTIONS.items():
        found.setdefault(target, found[source])
    return found


def column_type(column, options):
    code, label = column["code"], column["label"]
    if options == ["Yes", "No"]:
        return "yesno"
    if code.endswith(("_dt", "_dttm")) or "YYYY-MM-DD" in label:
        return "date"
    if "hours" in code and code.endswith("_no"):
        return "integer"
    if code.endswith("_percentage") or label.strip().endswith("(%)"):
        return "percent"
    return "choice" if options else "text"


def icare_fields(sheet, sections, required=None, skip=()):
    """Every column of an iCARE template (but the profile's), as fields in template order.

    ``sections`` maps a code prefix to a section title (first match wins); ``required`` (a set
    of codes) overrides which fields complete the form (default: the template's mandatory ones).
    """
    fields = []
    for column in icare_templates()[sheet]["columns"]:
        code = column["code"]
        if code in PROFILE_COLUMNS or code in skip:
            continue
        options = options_by_code().get(normalised_code(code), [])
        kind = column_type(column, options)
        fields.append(
            FieldSpec(
                name=code,
                label=lazy_label(column["label"].strip()),
                type=kind,
                choices=tuple(options) if kind == "choice" else (),
                required=code in required if required is not None else column["mandatory"],
                icare=column["mandatory"],
                icare_code=code,
                section=section_of(code, sections),
                show_if=condition_for(code),
                minimum=0 if kind == "integer" else None,
                maximum=500 if kind == "integer" else None,
            )
        )
    return tuple(fields)


def condition_for(code):
    return next((condition for prefix, condition in CONDITIONS.items() if code.startswith(prefix)), None)


def section_of(code, sections):
    return next((title for prefix, title in sections if code.startswith(prefix)), "Service")

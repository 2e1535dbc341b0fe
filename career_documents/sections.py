"""The sections of a resume and of a cover letter, as data.

A section is either one block of fields (the contact block, the summary) or a list of ordered
*entries* (work experience, education...), each entry the same fields. A document's content is
``{section key: {field: text}}`` for a block and ``{section key: [{field: text}, ...]}`` for a
list; every value is a string ("" when empty). The builder, the page that shows a document and
its PDF read these descriptions; nothing about a section is written anywhere else.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

KIND_TYPES = ("text", "textarea", "email", "phone", "month", "year", "date", "url")


@dataclass(frozen=True)
class Field:
    """One field. ``kind``: how it is typed and checked (``month``: YYYY-MM, ``year``: YYYY);
    ``main``: an entry is kept only when this field is filled (an entry that is all empty is
    dropped; one with other fields but not this one is refused on the field)."""

    name: str
    label: object
    kind: str = "text"
    max_length: int = 200
    main: bool = False
    required: bool = False

    def __post_init__(self):
        assert self.kind in KIND_TYPES, self.kind


@dataclass(frozen=True)
class Section:
    key: str
    title: object
    fields: tuple
    repeats: bool = False  # a list of ordered entries
    add_label: object = None  # the builder's "Add ..." button of a list
    max_entries: int = 20
    span: tuple | None = None  # (start field, end field) of an entry: the end may not be before the start
    heading: bool = True  # printed with its title (a letter's parts are not)

    @property
    def main(self):
        return next((f for f in self.fields if f.main), self.fields[0])


@dataclass(frozen=True)
class DocumentKind:
    key: str
    label: object
    plural: object
    sections: tuple
    new_title: object  # the title a new document starts with
    new_label: object  # the button that starts one

    def section(self, key):
        return next((s for s in self.sections if s.key == key), None)


def contact(key, title):
    """The contact block every document starts with (prefilled from the client's profile; the
    PDF prints it as its letterhead)."""
    fields = (
        Field("name", _l("Name"), required=True),
        Field("email", _l("Email"), "email", 254),
        Field("phone", _l("Phone"), "phone", 30),
        Field("city", _l("City"), max_length=100),
    )
    return Section(key, title, fields)


def months(start="start", end="end"):
    return (Field(start, _l("From (month)"), "month"), Field(end, _l("To (month, empty if current)"), "month"))


RESUME = DocumentKind(
    "resume",
    _l("Resume"),
    _l("Resumes"),
    (
        contact("contact", _l("Contact")),
        Section("summary", _l("Professional summary"), (Field("text", _l("A few lines about you"), "textarea", 2000),)),
        Section(
            "work",
            _l("Work experience"),
            (
                Field("job_title", _l("Job title"), main=True),
                Field("employer", _l("Employer")),
                Field("place", _l("Place"), max_length=100),
                *months(),
                Field("description", _l("What you did"), "textarea", 2000),
            ),
            repeats=True,
            add_label=_l("Add a job"),
            span=("start", "end"),
        ),
        Section(
            "education",
            _l("Education"),
            (
                Field("credential", _l("Credential (diploma, degree)"), main=True),
                Field("school", _l("School")),
                Field("year", _l("Year"), "year"),
            ),
            repeats=True,
            add_label=_l("Add education"),
        ),
        Section("skills", _l("Skills"), (Field("skill", _l("Skill"), main=True),), repeats=True, add_label=_l("Add a skill")),
        Section(
            "languages",
            _l("Languages"),
            (Field("language", _l("Language"), main=True, max_length=100), Field("level", _l("Level"), max_length=100)),
            repeats=True,
            add_label=_l("Add a language"),
        ),
        Section(
            "certifications",
            _l("Certifications"),
            (
                Field("name", _l("Certification"), main=True),
                Field("issuer", _l("Issued by")),
                Field("year", _l("Year"), "year"),
            ),
            repeats=True,
            add_label=_l("Add a certification"),
        ),
        Section(
            "volunteer",
            _l("Volunteer work"),
            (
                Field("role", _l("Role"), main=True),
                Field("organization", _l("Organization")),
                *months(),
                Field("description", _l("What you did"), "textarea", 2000),
            ),
            repeats=True,
            add_label=_l("Add volunteer work"),
            span=("start", "end"),
        ),
    ),
    _l("My resume"),
    _l("New resume"),
)

COVER_LETTER = DocumentKind(
    "cover_letter",
    _l("Cover letter"),
    _l("Cover Letters"),
    (
        contact("sender", _l("From")),
        Section(
            "addressee",
            _l("To"),
            (
                Field("addressee", _l("Addressee (person or team)")),
                Field("employer", _l("Employer")),
                Field("date", _l("Date"), "date"),
            ),
            heading=False,
        ),
        Section(
            "paragraphs",
            _l("Letter"),
            (Field("text", _l("Paragraph"), "textarea", 3000, main=True),),
            repeats=True,
            add_label=_l("Add a paragraph"),
            max_entries=12,
            heading=False,
        ),
        Section(
            "closing",
            _l("Closing"),
            (Field("closing", _l("Closing (e.g. Sincerely)"), max_length=100), Field("signature", _l("Signature"))),
            heading=False,
        ),
    ),
    _l("My cover letter"),
    _l("New cover letter"),
)

KINDS = {kind.key: kind for kind in (RESUME, COVER_LETTER)}

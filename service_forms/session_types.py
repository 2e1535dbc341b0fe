"""Every session type, as data: which form kinds it offers, what each client gets by default,
whether it is a group activity or runs as a course. Pages, completeness and the demo ask these
descriptions; none of them names a session type or a form kind.

``SESSION_TYPES`` and ``FORMS`` are read at call time, so a type or kind added to them (as a
test does) is offered by the wizard, the session page and completeness with no other change.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext

from service_forms.catalogue import form_kind

DEFAULT_SESSION_TYPE = "direct"
DELIVERY_LABELS = {  # a session's delivery method, stored in English: label shown
    "In Person": lazy_gettext("In Person"),
    "Phone": lazy_gettext("Phone"),
    "Email": lazy_gettext("Email"),
    "Online": lazy_gettext("Online"),
}


class UnknownSessionType(ValueError):
    def __init__(self, key):
        super().__init__(f"Unknown session type {key!r}: choose one of the session types listed.")
        self.key = key


@dataclass(frozen=True)
class Course:
    """How a session type runs as a course: the session form that opens the course, the
    client form that enrols a student and the one the attendance register writes. Every client
    form of such a session type needs the course opened first."""

    opened_by: str
    enrolment: str
    attendance: str


@dataclass(frozen=True)
class SessionType:
    """One session type. ``offers``: form kinds, for clients and for the session itself, in
    the order they are offered; ``is_group``: a group activity (an activity name, quick
    attendees, the attendee settings panel, and a session form needed to be complete);
    ``default_forms``: kinds each client gets when added (removable); ``course``: see ``Course``."""

    key: str
    label: str
    offers: tuple
    is_group: bool = False
    default_forms: tuple = ()
    course: Course | None = None

    @property
    def needs_course(self):
        return self.course is not None

    def forms(self, scope="client"):
        """The descriptions of the kinds offered for a client (or, ``"session"``, the session)."""
        return [spec for spec in map(form_kind, self.offers) if spec.scope == scope]

    def offers_form(self, spec, for_client):
        return spec.kind in self.offers and (spec.scope == "client") == for_client

    def needs_course_first(self, spec):
        return self.needs_course and spec.scope == "client"

    def attendee_form(self):
        """A group activity's form for each attendee: the first client form it offers."""
        return self.forms()[0] if self.is_group else None


LANGUAGE_COURSE = Course(opened_by="lt_course", enrolment="lt_enrolment", attendance="lt_attendance")
DIRECT_FORMS = ("io", "needs_assessment", "employment", "non_specified", "rap", "community_connection", "language_assessment")
JOB_FORMS = ("jd_needs_assessment", "jd_update", "job_placement", "mentor_match", "mentor_update")

SESSION_TYPES = {
    t.key: t
    for t in (
        SessionType("direct", lazy_gettext("Direct Service"), DIRECT_FORMS, default_forms=("io",)),  # OCMS: I&O by default
        SessionType("job_development", lazy_gettext("Direct Service (Job Development)"), JOB_FORMS),
        SessionType("finance", lazy_gettext("Direct Service (Finance)"), ("finance",)),
        SessionType(
            "language_training",
            lazy_gettext("Language Training"),
            ("lt_course", "lt_attendance", "lt_enrolment", "lt_exit"),
            course=LANGUAGE_COURSE,
        ),
        SessionType(
            "io_group", lazy_gettext("Information & Orientation group activity"), ("io_group", "io_attendee"), is_group=True
        ),
        SessionType("cc_group", lazy_gettext("Community Connections group activity"), ("cc_group", "cc_attendee"), is_group=True),
        SessionType(
            "employment_group",
            lazy_gettext("Employment group activity"),
            ("employment_group", "employment_attendee"),
            is_group=True,
        ),
    )
}


def session_type(key):
    """The session type ``key``; ``UnknownSessionType`` (a ``ValueError``) if there is none."""
    try:
        return SESSION_TYPES[key]
    except KeyError:
        raise UnknownSessionType(key) from None


def stored_session_type(key):
    """The type of a stored session. One no longer in the catalogue still reads (its sessions
    list, open and count) but offers nothing, rather than failing every page that shows it."""
    return SESSION_TYPES.get(key) or SessionType(key, f"{key} (no longer offered)", offers=())


def session_type_choices():
    return [(t.key, t.label) for t in SESSION_TYPES.values()]


def group_session_types():
    return [t.key for t in SESSION_TYPES.values() if t.is_group]


def forms_for_session_type(key, scope="client"):
    return session_type(key).forms(scope)


def course_opening_kinds():
    """The form kinds that open a course (a session holding one is a course)."""
    return sorted({t.course.opened_by for t in SESSION_TYPES.values() if t.course})


def offering_types(kind):
    """Keys of the session types that offer form kind ``kind``."""
    return [t.key for t in SESSION_TYPES.values() if kind in t.offers]

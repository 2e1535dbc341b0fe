"""The client import's columns beyond the profile's own fields: one emergency contact, the
assigned worker, the agency's profile questions, the privacy consent given on paper before the
move, and *Anonymous client*, whose Yes is refused.

Each is an ``ExtraField``, read exactly like a profile field (``exports/imports.py``: the same
template column, Instructions row, drop-down and cell parser of ``exports/import_values.py``);
``models/client_import.py`` writes what they hold beside each new client.
"""

from dataclasses import dataclass

from flask_babel import gettext, lazy_gettext

from models.client_import import CONTACT_NAME, CONTACT_PHONE, CONTACT_RELATIONSHIP, PAPER_CONSENT, WORKER
from models.questions import CLIENT_PROFILE
from models.session_records import questions_for
from models.staff import staff_members

ANONYMOUS = "anonymous"
IMPORT_TYPE_OF_ANSWER = {"text": "text", "number": "number", "date": "answer_date", "yesno": "yesno"}
IMPORT_TYPE_OF_ANSWER |= {"choice": "choice", "multichoice": "multichoice"}


@dataclass(frozen=True)
class ExtraField:
    """What ``exports/imports.py`` reads of a ``ProfileField``, for a column that is not one."""

    name: str
    label: object  # a lazy string: the heading in the language it is read in
    type: str = "text"
    values: tuple = ()
    required: bool = False
    required_message: str | None = None
    help: str = ""
    max_length: int | None = None
    default: object = None
    question_id: int | None = None  # an agency question's answer

    def options(self):
        return self.values

    @property
    def list_name(self):
        """As ``ProfileField.list_name``: an agency question's choices have no second label."""
        return self.name


def fixed_fields():
    return [
        ExtraField(CONTACT_NAME, lazy_gettext("Emergency contact name"), max_length=200),
        ExtraField(
            CONTACT_RELATIONSHIP,
            lazy_gettext("Emergency contact relationship"),
            max_length=100,
            help=gettext("E.g. sister, friend; needs the contact's name."),
        ),
        ExtraField(CONTACT_PHONE, lazy_gettext("Emergency contact phone"), "phone", help=gettext("Needs the contact's name.")),
        ExtraField(
            WORKER,
            lazy_gettext("Assigned worker"),
            "staff",
            help=gettext("The email of the staff member assigned to the client (an active account of the agency)."),
        ),
        ExtraField(
            PAPER_CONSENT,
            lazy_gettext("Privacy consent on paper"),
            "date",
            help=gettext(
                "The date the client signed your privacy statement on paper, before the move. Empty: no consent is "
                "recorded and the statement is read with the client at their next visit."
            ),
        ),
        ExtraField(
            ANONYMOUS,
            lazy_gettext("Anonymous client"),
            "yesno",
            help=gettext("Leave empty or No: anonymous clients are not imported (they have no profile to bring)."),
        ),
    ]


def question_fields(taken):
    """One column per active profile question of the agency, headed by its label (with
    "(agency question)" when a profile column has that heading already). The agency's label is
    its own, in one language; the other headings are in the interface's language, and a file
    headed in either language checks the same whoever uploads it (``exports/imports.py``)."""
    found = []
    for question in questions_for(CLIENT_PROFILE):
        label = question.label
        if label.casefold() in taken:
            label = lazy_gettext("%(label)s (agency question)", label=label)
        found.append(
            ExtraField(
                question.key,
                label,
                IMPORT_TYPE_OF_ANSWER.get(question.answer_type, "text"),
                values=tuple(str(c) for c in question.choices or ()),
                required=question.is_required,
                help=gettext("Your agency's profile question."),
                max_length=2000,
                question_id=question.id,
            )
        )
    return found


def extra_fields(taken, questions=True):
    """Every extra column (``taken``: the profile's headings, casefolded; ``questions``: with
    the current agency's profile questions)."""
    return (question_fields(taken) if questions else []) + fixed_fields()


def staff_values():
    """``[(shown, stored)]`` of the assigned-worker list: active staff, by email."""
    return [(member.email, member.id) for member in staff_members(active_only=True)]


def extra_problems(values):
    """``[(field name, message)]``: the rules between the extra columns."""
    problems = []
    if values.get(ANONYMOUS) is True:
        problems.append(
            (
                ANONYMOUS,
                gettext(
                    "Anonymous clients are not imported: they have no profile to bring. Remove the row, and register "
                    "them as anonymous at their next service."
                ),
            )
        )
    if (values.get(CONTACT_RELATIONSHIP) or values.get(CONTACT_PHONE)) and not values.get(CONTACT_NAME):
        problems.append((CONTACT_NAME, gettext("Give the emergency contact's name (or clear their relationship and phone).")))
    return problems


def stored(spec, value):
    """A parsed cell as it is kept: an agency question's answer as the profile form stores it
    in ``Client.answers`` (yes/no as text, dates as ISO text); anything else as parsed."""
    if getattr(spec, "question_id", None) is None:
        return value
    if spec.type == "yesno":
        return "Yes" if value else "No"
    return value.isoformat() if hasattr(value, "isoformat") else value

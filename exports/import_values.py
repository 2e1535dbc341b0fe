"""One cell of a client import file as a profile value: the parsing and checks of each profile
field type (``models/client_profile.py``), the same rules the profile form applies.

Every parser takes the cell (text, number, date or ``None``) and the column, and returns the
column value or raises ``BadValue`` with the message shown beside the row and column."""

import math
from datetime import date, datetime, time

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext

import validation
from models.clients import Client

YES = ("yes", "y", "oui", "o", "true", "1")
NO = ("no", "n", "non", "false", "0")
SEPARATOR = ";"  # between the values of a multiple choice (no language name holds one)


class BadValue(ValueError):
    """A cell that cannot be the field's value; ``str()`` is the message."""


def as_text(cell):
    """A cell as stripped text (a whole number typed in a spreadsheet reads as ``12``, not ``12.0``)."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if isinstance(cell, datetime):
        cell = cell.date()
    return cell.isoformat() if isinstance(cell, date) else str(cell).strip()


def max_length(spec):
    return spec.max_length or getattr(Client.__table__.c[spec.name].type, "length", None)


def text_value(cell, column):
    value = as_text(cell)
    limit = max_length(column.spec)
    if limit and len(value) > limit:
        raise BadValue(gettext("Keep it to %(limit)s characters (this has %(length)s).", limit=limit, length=len(value)))
    return value


def phone_value(cell, column):
    value = as_text(cell)
    normalised = validation.normalise_phone(value)
    if normalised is None or len(normalised) > validation.MAX_PHONE_LENGTH:
        raise BadValue(gettext("Enter a valid phone number, e.g. 416-555-0123."))
    return normalised


def email_value(cell, column):
    try:
        return validate_email(as_text(cell), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise BadValue(gettext("Enter a valid email address (%(error)s).", error=error)) from None


def postal_code_value(cell, column):
    normalised = validation.normalise_postal_code(as_text(cell))
    if normalised is None:
        raise BadValue(gettext("Enter a Canadian postal code like A1A 1A1."))
    return normalised


def date_value(cell, column):
    if isinstance(cell, datetime):
        value = cell.date()
    elif isinstance(cell, date):
        value = cell
    else:
        try:
            value = date.fromisoformat(as_text(cell))
        except ValueError:
            raise BadValue(gettext("Enter a date as YYYY-MM-DD.")) from None
    if value > date.today():
        raise BadValue(gettext("This date cannot be in the future."))
    return value


def answer_date_value(cell, column):
    """A date answer of an agency question (it may be in the future, as on the profile form)."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    try:
        return date.fromisoformat(as_text(cell))
    except ValueError:
        raise BadValue(gettext("Enter a date as YYYY-MM-DD.")) from None


def number_value(cell, column):
    if isinstance(cell, int | float) and not isinstance(cell, bool) and math.isfinite(cell):
        return cell
    try:
        value = float(as_text(cell).replace(",", "."))
    except ValueError:
        raise BadValue(gettext("Enter a number.")) from None
    if not math.isfinite(value):
        raise BadValue(gettext("Enter a number."))
    return int(value) if value.is_integer() else value


def birth_date_value(cell, column):
    value = date_value(cell, column)
    if value.year < 1900:
        raise BadValue(gettext("Enter a date of birth after 1900."))
    return value


def year_value(cell, column):
    text = as_text(cell)
    if not (text.isascii() and text.isdecimal()) or not 1900 <= int(text) <= date.today().year:
        raise BadValue(gettext("Enter a year between 1900 and %(year)s.", year=date.today().year))
    return int(text)


def yesno_value(cell, column):
    text = as_text(cell).lower()
    if text in YES or text in NO:
        return text in YES
    raise BadValue(gettext("Answer Yes or No."))


def listed(text, column):
    """The list's own spelling of ``text`` (compared without case), or ``BadValue``."""
    found = column.lookup.get(text.casefold())
    if found is None:
        raise BadValue(gettext("“%(value)s” is not in the list (see the Lists sheet).", value=text[:100]))
    return found


def choice_value(cell, column):
    return listed(as_text(cell), column)


def multichoice_value(cell, column):
    values = [listed(part.strip(), column) for part in as_text(cell).split(SEPARATOR) if part.strip()]
    return list(dict.fromkeys(values))


PARSERS = {
    "text": text_value,
    "textarea": text_value,
    "phone": phone_value,
    "email": email_value,
    "postal_code": postal_code_value,
    "date": date_value,
    "birth_date": birth_date_value,
    "year": year_value,
    "yesno": yesno_value,
    "choice": choice_value,
    "multichoice": multichoice_value,
    "site": choice_value,  # the site's name, looked up to its id
    "staff": choice_value,  # the staff member's email, looked up to their id
    "number": number_value,
    "answer_date": answer_date_value,
}


def parse(cell, column):
    """The column value of one non-empty cell (``BadValue`` when it cannot be)."""
    return PARSERS[column.spec.type](cell, column)


UNREMEMBERED = ("text", "textarea")  # read as typed: nothing to save, and the cells rarely repeat
REMEMBERED_CELLS = (str, int, float, date, time)  # a cell of these kinds is its own key (with its type)


def cell_reader(column):
    """``parse`` for one column of one file, remembering each distinct cell's result (its value,
    or the message it was refused with): a value repeated down the column (a date, a list value,
    a phone number, a postal code) is checked once. Every parser is a function of the cell and
    the column alone; a remembered list is copied, so each row keeps its own."""
    parser = PARSERS[column.spec.type]
    if column.spec.type in UNREMEMBERED:
        return lambda cell: parser(cell, column)
    seen = {}

    def read(cell):
        if not isinstance(cell, REMEMBERED_CELLS):
            return parser(cell, column)
        key = (type(cell), cell)  # 1, 1.0 and True are one dict key otherwise
        found = seen.get(key)
        if found is None:
            try:
                found = seen[key] = (parser(cell, column), None)
            except BadValue as error:
                found = seen[key] = (None, str(error))
        value, message = found
        if message is not None:
            raise BadValue(message)
        return list(value) if type(value) is list else value

    return read


def cross_field_problems(values):
    """``[(field name, message)]``: the rules between fields that the named profile form checks."""
    problems = []
    if values.get("has_email") is False and values.get("email"):
        problems.append(("email", gettext("Either clear the email or answer Yes to having one.")))
    if bool(values.get("ircc_id_value")) != bool(values.get("ircc_id_type")):
        problems.append(("ircc_id_value", gettext("Give both the identifier type and its value, or neither.")))
    arrival, year = values.get("arrival_date"), values.get("arrival_year")
    if arrival and year and arrival.year != year:
        problems.append(("arrival_year", gettext("The arrival year does not match the arrival date.")))
    return problems

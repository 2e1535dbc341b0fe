"""Field validators shared by admin grids and custom forms (WTForms style), and the one check
of where a browser may be sent back to."""

import re
from decimal import Decimal
from urllib.parse import urlsplit

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from flask_babel import format_decimal, get_locale, gettext, lazy_gettext
from wtforms import DateField as WTFormsDateField
from wtforms import StringField
from wtforms.validators import StopValidation, ValidationError
from wtforms.widgets import TextInput

POSTAL_CODE = re.compile(r"^([ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]) ?(\d[ABCEGHJ-NPRSTV-Z]\d)$")
MIN_PASSWORD_LENGTH = 10
MIN_PASSWORD_SCORE = 3  # zxcvbn's 0-4 scale: 3 is "safely unguessable", about 10^8 guesses or more
ZXCVBN_MAX_LENGTH = 72  # zxcvbn refuses longer input; the first 72 characters are scored
PERSONAL_PASSWORD = lazy_gettext("Do not use your name or your email address in the password.")
MAX_PHONE_LENGTH = 30  # fits the phone columns (and at most 20 digits: the search column)
DATE_FORMAT = "YYYY-MM-DD"  # the one format of every date field, its calendar and its messages
DATE_EXAMPLE = "2026-03-31"  # the example the messages give
PERCENT = re.compile(r"(\d{1,3})(?:[.,](\d{1,4}))?\s*%?")  # 85, 85 %, 85,5 (French), 85.5


class DateInput(TextInput):
    """A date typed as YYYY-MM-DD, whatever the browser's language (a native date input shows
    the browser's own format, which the messages could not name); ``static/js/date_fields.js``
    adds a calendar in the same format."""

    def __call__(self, field, **kwargs):
        shown = gettext("YYYY-MM-DD")  # the format as the messages name it (AAAA-MM-JJ in French)
        for name, value in (("placeholder", shown), ("inputmode", "numeric"), ("autocomplete", "off")):
            kwargs.setdefault(name, value)
        kwargs.setdefault("data-date-field", "")
        return super().__call__(field, **kwargs)


class DateField(WTFormsDateField):
    """WTForms' date field with the project's widget. A value typed that is not a date (not
    YYYY-MM-DD, or no such day: 2026-02-30) is refused with one message naming it, and then no
    other check runs: ``DataRequired`` would replace it with "required", which only an empty
    field is. Spaces around the date are ignored."""

    widget = DateInput()

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        typed = " ".join(valuelist).strip()
        if not typed:
            self.data = None
            return
        try:
            super().process_formdata([typed])
        except ValueError:
            raise ValueError(not_a_date(typed)) from None

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()  # the field's own message stands alone


def not_a_date(typed):
    """The message for a typed value that is not a date, naming it (cut short when long)."""
    shown = typed if len(typed) <= 30 else typed[:29] + "…"
    return gettext(
        "“%(value)s” is not a date: write it as %(format)s (e.g. %(example)s).",
        value=shown,
        format=gettext("YYYY-MM-DD"),
        example=DATE_EXAMPLE,
    )


class PercentField(StringField):
    """A percentage from 0 to 100, typed "85", "85 %", "85%", "85,5" (the French decimal comma)
    or "85.5", kept as the number's plain text ("85", "85.5": no sign, a point), as iCARE reads
    it; shown back as the interface's language writes it ("85,5" in French). Anything else is
    refused with one message naming it, and no other check runs (as ``DateField``)."""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        typed = " ".join(valuelist).strip()
        self.data = percent_text(typed) if typed else None

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        try:
            return format_decimal(Decimal(self.data)) if self.data not in (None, "") else ""
        except ArithmeticError:  # an answer saved before the field was checked: shown as stored
            return str(self.data)


def percent_text(typed):
    """``typed`` as a percentage's plain text ("85,5 %" -> "85.5"); ``ValueError`` (the
    message) when it is no number from 0 to 100."""
    match = PERCENT.fullmatch(typed.strip())
    number = Decimal(f"{match.group(1)}.{match.group(2) or 0}") if match else None
    if number is None or number > 100:
        shown = typed if len(typed) <= 30 else typed[:29] + "…"
        raise ValueError(gettext("“%(value)s” is not a percentage: write a number from 0 to 100 (e.g. 85 or 85.5).", value=shown))
    return format(number.normalize(), "f")


def is_local_path(target):
    """Whether ``target`` is a path on this site, the only safe place to send a browser back to
    (``next=``, Flask-Admin's ``url=``). Refused: any scheme or host, also the forms browsers
    complete into one ("http:evil", "//evil", "/\\evil", "\\\\evil"), backslashes, and any
    whitespace or control character (browsers drop tabs and newlines inside a URL)."""
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(char.isspace() or not char.isprintable() for char in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def normalise_postal_code(value):
    """``a1a1a1`` → ``A1A 1A1``; ``None`` when it is not a Canadian postal code."""
    match = POSTAL_CODE.match((value or "").strip().upper())
    return f"{match.group(1)} {match.group(2)}" if match else None


def normalise_phone(value, region="CA"):
    """A phone number in international format, or ``None`` when it cannot be a number."""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def postal_code(form, field):
    if field.data:
        normalised = normalise_postal_code(field.data)
        if normalised is None:
            raise ValidationError(gettext("Enter a Canadian postal code like A1A 1A1."))
        field.data = normalised


def phone(form, field):
    if field.data:
        normalised = normalise_phone(field.data)
        if normalised is None:
            raise ValidationError(gettext("Enter a valid phone number, e.g. 416-555-0123."))
        if len(normalised) > MAX_PHONE_LENGTH or len(re.sub(r"\D", "", normalised)) > 20:
            message = gettext("Keep the phone number to %(count)s characters (a shorter extension).", count=MAX_PHONE_LENGTH)
            raise ValidationError(message)
        field.data = normalised


def email(form, field):
    if field.data:
        try:
            field.data = validate_email(field.data, check_deliverability=False).normalized
        except EmailNotValidError as error:
            raise ValidationError(email_problem(error)) from error


def email_problem(error):
    """The email checker explains only in English: other languages get the message without it."""
    if str(get_locale() or "en").startswith("en"):
        return gettext("Enter a valid email address (%(error)s).", error=error)
    return gettext("Enter a valid email address.")


def personal_words(*values):
    """Names and the email's local part, whole and in pieces of 3 letters or more, lower case."""
    words = set()
    for value in values:
        value = (value or "").strip().lower().split("@")[0]
        words.update(piece for piece in [value, *re.split(r"[\W_]+", value)] if len(piece) >= 3)
    return words


def password_problem(password, personal=()):
    """Why this password is refused (too short, personal, or easy to guess), else ``None``.
    ``personal`` holds the person's email and names."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return gettext("Use at least %(count)s characters.", count=MIN_PASSWORD_LENGTH)
    words = personal_words(*personal)
    if any(word in password.lower() for word in words):
        return str(PERSONAL_PASSWORD)
    from zxcvbn import zxcvbn  # its word lists (12 MiB) load with the first password checked

    result = zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=sorted(words))
    if result["score"] < MIN_PASSWORD_SCORE:
        warning = result["feedback"]["warning"] if str(get_locale() or "en").startswith("en") else ""  # zxcvbn: English only
        return " ".join(
            filter(None, (gettext("This password is too easy to guess."), warning, gettext("Try three or four unrelated words.")))
        )
    return None


def password_policy(form, field):
    """WTForms validator; the form's ``email``, ``first_name`` and ``last_name`` are the personal words."""
    personal = [getattr(form, name).data for name in ("email", "first_name", "last_name") if name in form]
    problem = password_problem(field.data, [value for value in personal if isinstance(value, str)]) if field.data else None
    if problem:
        raise ValidationError(problem)

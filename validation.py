"""Field validators shared by admin grids and custom forms (WTForms style)."""

import re

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from wtforms.validators import ValidationError

POSTAL_CODE = re.compile(r"^([ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]) ?(\d[ABCEGHJ-NPRSTV-Z]\d)$")
MIN_PASSWORD_LENGTH = 10
MAX_PHONE_LENGTH = 30  # fits the phone columns (and at most 20 digits: the search column)


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
            raise ValidationError("Enter a Canadian postal code like A1A 1A1.")
        field.data = normalised


def phone(form, field):
    if field.data:
        normalised = normalise_phone(field.data)
        if normalised is None:
            raise ValidationError("Enter a valid phone number, e.g. 416-555-0123.")
        if len(normalised) > MAX_PHONE_LENGTH or len(re.sub(r"\D", "", normalised)) > 20:
            raise ValidationError(f"Keep the phone number to {MAX_PHONE_LENGTH} characters (a shorter extension).")
        field.data = normalised


def email(form, field):
    if field.data:
        try:
            field.data = validate_email(field.data, check_deliverability=False).normalized
        except EmailNotValidError as error:
            raise ValidationError(f"Enter a valid email address ({error}).") from error


def password_policy(form, field):
    if field.data and len(field.data) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"Use at least {MIN_PASSWORD_LENGTH} characters.")

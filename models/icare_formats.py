"""The format rules of the iCARE check as SQL conditions: dates, postal codes, identifiers.

SQLite tests each character (``substr`` and ``BETWEEN``); PostgreSQL runs one regular
expression per value, which accepts exactly the same texts (character classes by code point,
as SQLite compares characters) and costs one call instead of about twenty.
"""

from sqlalchemy import and_, case, func, or_

FOSS_TYPE = "FOSS/GCMS Client ID"
DATE_PATTERN = "^[12][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
POSTAL_PATTERN = "^[A-Z][0-9][A-Z] ?[0-9][A-Z][0-9]$"  # matched against the upper-cased value
FOSS_PATTERN = "^([0-9]{8}|[0-9]{10})$"


def digits(value, positions, optional_from=None):
    """Each character in ``positions`` is a digit (positions from ``optional_from`` may be absent)."""
    conditions = []
    for i in positions:
        char = func.substr(value, i, 1)
        is_digit = char.between("0", "9")
        conditions.append(or_(func.length(value) < i, is_digit) if optional_from and i >= optional_from else is_digit)
    return and_(*conditions)


def letters(value, positions):
    return and_(*(func.upper(func.substr(value, i, 1)).between("A", "Z") for i in positions))


def is_date_text(value, dialect):
    """``YYYY-MM-DD`` with a year 1000-2999, a month 01-12 and a day 01-31."""
    if dialect == "postgresql":
        return value.regexp_match(DATE_PATTERN)
    return and_(
        func.length(value) == 10,
        func.substr(value, 5, 1) == "-",
        func.substr(value, 8, 1) == "-",
        func.substr(value, 1, 4).between("1000", "2999"),
        func.substr(value, 6, 2).between("01", "12"),
        func.substr(value, 9, 2).between("01", "31"),
        digits(value, (1, 2, 3, 4, 6, 7, 9, 10)),
    )


def is_postal_code(value, dialect):
    """Canadian postal code, ``A1A 1A1`` (the space optional), ``value`` upper-cased."""
    if dialect == "postgresql":
        return value.regexp_match(POSTAL_PATTERN)
    spaced = and_(func.length(value) == 7, func.substr(value, 4, 1) == " ", letters(value, (1, 3, 6)), digits(value, (2, 5, 7)))
    bare = and_(func.length(value) == 6, letters(value, (1, 3, 5)), digits(value, (2, 4, 6)))
    return or_(spaced, bare)


def is_identifier(kind, value, dialect):
    """FOSS/GCMS client IDs are 8 or 10 digits; permit and form numbers 4-20 characters."""
    if dialect == "postgresql":
        foss = value.regexp_match(FOSS_PATTERN)
    else:
        foss = and_(func.length(value).in_((8, 10)), digits(value, range(1, 11), optional_from=9))
    other = func.length(value).between(4, 20)
    return case((kind == FOSS_TYPE, foss), else_=other)

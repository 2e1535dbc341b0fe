"""A grid's "between two dates" filters in the page's language: the calendar writes a range as
"2026-01-01 to 2026-01-31" in English and "2026-01-01 au 2026-01-31" in French (the word:
``range_separator``, given to static/js/date_fields.js by ``i18n.calendar_locale``); either
language's range is read, so a filtered address works whoever opens it. ``FilterConverter``
gives every date and date-time column of a grid's ``column_filters`` these filters
(admin_views/base.py)."""

from datetime import datetime, timedelta

from flask_admin.contrib.sqla import filters
from flask_babel import force_locale, pgettext
from sqlalchemy import or_

from models.staff import LANGUAGES

ENGLISH_SEPARATOR = " to "  # Flask-Admin's, in every address written before


def range_separator():
    """The word between the two dates of a range, spaced, in the page's language."""
    return f" {pgettext('between two dates', 'to')} "


def range_separators():
    """ " to " and each interface language's word for it."""
    found = {ENGLISH_SEPARATOR}
    for language in LANGUAGES:
        with force_locale(language):
            found.add(range_separator())
    return found


def range_parts(value):
    """The parts of a typed or picked range (one part when it holds no separator)."""
    for separator in range_separators():
        if separator in value:
            return value.split(separator)
    return [value]


class EitherLanguageRange:
    """Mixin of a range filter: read with either language's word, two values in order."""

    value_format = "%Y-%m-%d"
    dates = True  # the values are dates (else dates and times)

    def clean(self, value):
        parts = [datetime.strptime(part.strip(), self.value_format) for part in range_parts(value)]
        return [part.date() for part in parts] if self.dates else parts

    def validate(self, value):
        """Two values, the first not after the second (SQL's BETWEEN finds nothing otherwise)."""
        try:
            values = self.clean(value)
        except ValueError:
            return False
        return len(values) == 2 and values[0] <= values[1]


class DateRangeFilter(EitherLanguageRange, filters.DateBetweenFilter):
    def apply(self, query, value, alias=None):
        """From the first day to the end of the last (a date-time column too: the whole last day)."""
        start, end = value
        column = self.get_column(alias)
        return query.filter(column >= start, column < end + timedelta(days=1))


class DateOutsideRangeFilter(EitherLanguageRange, filters.DateNotBetweenFilter):
    def apply(self, query, value, alias=None):
        start, end = value
        column = self.get_column(alias)
        return query.filter(or_(column < start, column >= end + timedelta(days=1)))


class DateTimeRangeFilter(EitherLanguageRange, filters.DateTimeBetweenFilter):
    value_format, dates = "%Y-%m-%d %H:%M:%S", False


class DateTimeOutsideRangeFilter(EitherLanguageRange, filters.DateTimeNotBetweenFilter):
    value_format, dates = "%Y-%m-%d %H:%M:%S", False


OURS = {
    filters.DateBetweenFilter: DateRangeFilter,
    filters.DateNotBetweenFilter: DateOutsideRangeFilter,
    filters.DateTimeBetweenFilter: DateTimeRangeFilter,
    filters.DateTimeNotBetweenFilter: DateTimeOutsideRangeFilter,
}


class FilterConverter(filters.FilterConverter):
    """Flask-Admin's, with the range filters above for the date and date-time columns."""

    date_filters = tuple(OURS.get(f, f) for f in filters.FilterConverter.date_filters)
    datetime_filters = tuple(OURS.get(f, f) for f in filters.FilterConverter.datetime_filters)

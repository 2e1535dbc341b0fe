"""A grid's "between two dates" filter in the page's language: the calendar writes the range as
"2026-01-01 to 2026-01-31" in English and "2026-01-01 au 2026-01-31" in French
(static/js/date_fields.js reads the word from templates/admin/project_base.html); either
language's range is read, so a filtered address works whoever opens it."""

from datetime import datetime

from flask_admin.contrib.sqla.filters import DateBetweenFilter
from flask_babel import force_locale, gettext

from models.staff import LANGUAGES


def range_separators():
    """ " to " and each interface language's word for it, spaced as the calendar writes it."""
    found = {" to "}
    for language in LANGUAGES:
        with force_locale(language):
            found.add(f" {gettext('to')} ")
    return found


def range_parts(value):
    """The dates of a typed or picked range (one part when it holds no separator)."""
    for separator in range_separators():
        if separator in value:
            return value.split(separator)
    return [value]


class DateRangeFilter(DateBetweenFilter):
    def clean(self, value):
        return [datetime.strptime(part.strip(), "%Y-%m-%d").date() for part in range_parts(value)]

    def validate(self, value):
        """Two dates, the first not after the second (SQL's BETWEEN finds nothing otherwise)."""
        try:
            dates = self.clean(value)
        except ValueError:
            return False
        return len(dates) == 2 and dates[0] <= dates[1]

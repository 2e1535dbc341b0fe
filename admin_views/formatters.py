"""The grids' type formatters and the value-list column formatter, in the interface's language.

Flask-Admin's own boolean formatter titles its icon with the column's database name and
``true``/``false`` ("is_active: true"), and its details pages print "True"; ours names the column
by its label and answers Yes/No (the icon's accessible name), and details pages write Yes/No."""

from datetime import date, datetime
from decimal import Decimal

from flask_admin.contrib.sqla import ModelView
from flask_admin.model import typefmt
from flask_babel import format_decimal, gettext
from markupsafe import Markup

from i18n import local_date
from models.client_profile import FIELDS
from models.reference import value_label


def yes_no(view, value, name):
    """A check or a dash, titled "<column label>: Yes/No" (also read out by screen readers)."""
    answer = gettext("Yes") if value else gettext("No")
    title = gettext("%(column)s: %(answer)s", column=view.get_column_name(name), answer=answer)
    icon = "fa-check-circle" if value else "fa-minus-circle"
    return Markup('<span class="fa {}" title="{}" role="img" aria-label="{}"></span>').format(icon, title, title)


def yes_no_text(view, value, name):
    """Yes or No, as text (a details page)."""
    return gettext("Yes") if value else gettext("No")


def nowrap(text):
    """Text a grid cell never wraps (a date: "2026-12-02", never "2026-/12-/02")."""
    return Markup('<span class="text-nowrap">{}</span>').format(text)


TYPE_FORMATTERS = {
    **ModelView.column_type_formatters,
    bool: yes_no,
    datetime: lambda view, value, name: value.strftime("%Y-%m-%d %H:%M"),
    date: lambda view, value, name: nowrap(value.isoformat()),
    float: lambda view, value, name: format_decimal(value),  # 1.5 / 1,5
    Decimal: lambda view, value, name: format_decimal(value),
}

DETAIL_TYPE_FORMATTERS = {
    **typefmt.DETAIL_FORMATTERS,
    bool: yes_no_text,
    datetime: lambda view, value, name: local_date(value),  # 2026-12-03 13 h 24, not 13:24:01.835141
}


def value_list(list_name):
    """A column of stored (English) values of a value list, or of lists of them, shown by their
    labels (``reference_data/values_fr.csv``), as the client dashboard shows them."""

    def formatter(view, context, model, name):
        value = getattr(model, name)
        if isinstance(value, list):
            return ", ".join(value_label(list_name, item) for item in value)
        return value_label(list_name, value) if value else ""

    return formatter


def profile_value(view, context, model, name):
    """A client profile field as the profile shows it: a choice by its label (for exports)."""
    shown = FIELDS[name].shown(getattr(model, name))
    return "; ".join(shown) if isinstance(shown, list) else shown or ""


def profile_choices(names):
    """``profile_value`` for each profile choice field among ``names`` (column formatters)."""
    fields = [FIELDS[name] for name in names if name in FIELDS]
    return {field.name: profile_value for field in fields if field.type in ("choice", "multichoice")}

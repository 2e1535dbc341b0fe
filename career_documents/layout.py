"""How a document's sections read, for the page and the PDF alike: each block or entry as
lines ``(style, text)``, style ``"strong"`` (an entry's short fields on one line), ``"plain"``
(its dates, a block's values) or ``"para"`` (longer text, line breaks kept). Months and dates
are written in the current language."""

from datetime import date

from flask_babel import format_date, gettext

SHORT_KINDS = ("text", "email", "phone", "year", "url")


def month_text(value):
    """``2021-09`` as "Sep 2021" in the current language (an unexpected value as typed)."""
    try:
        year, month = (int(part) for part in value.split("-"))
        return format_date(date(year, month, 1), "MMM yyyy")
    except ValueError:
        return value


def shown_value(field, value):
    if field.kind == "month":
        return month_text(value)
    if field.kind == "date":
        try:
            return format_date(date.fromisoformat(value), "long")
        except ValueError:
            return value
    return value


def span_text(section, entry):
    start, end = section.span
    if not entry[start] and not entry[end]:
        return ""
    until = month_text(entry[end]) if entry[end] else gettext("Present")
    return f"{month_text(entry[start])} – {until}" if entry[start] else until


def entry_lines(section, entry):
    """An entry: its short fields on one strong line, its dates, then its longer texts."""
    spanned = set(section.span or ())
    short = [entry[f.name] for f in section.fields if f.kind in SHORT_KINDS and entry[f.name] and f.name not in spanned]
    lines = [("strong", " · ".join(short))] if short else []
    if section.span and span_text(section, entry):
        lines.append(("plain", span_text(section, entry)))
    others = [f for f in section.fields if f.kind not in SHORT_KINDS and f.name not in spanned and entry[f.name]]
    return lines + [("para" if f.kind == "textarea" else "plain", shown_value(f, entry[f.name])) for f in others]


def block_lines(section, row):
    return [("para" if f.kind == "textarea" else "plain", shown_value(f, row[f.name])) for f in section.fields if row[f.name]]


def lines_of(section, row):
    return entry_lines(section, row) if section.repeats else block_lines(section, row)

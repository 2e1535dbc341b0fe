"""The builder's form, derived from the section descriptions: reading what was posted into a
document's content, the builder's own buttons (add, remove and move an entry: plain submit
buttons, no script needed) and the checks, each message on its field.

Input names: ``<section>-<field>`` for a block, ``<section>-<n>-<field>`` for entry ``n`` of a
list. Nothing here touches the database: the page saves the checked content in one go.
"""

import re
from datetime import date

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext

from validation import MAX_PHONE_LENGTH, normalise_phone

TITLE_LENGTH = 200
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
YEAR = re.compile(r"^\d{4}$")
ENTRY_NAME = re.compile(r"^(\d{1,3})-(\w+)$")


def input_name(section, field, index=None):
    return f"{section.key}-{field.name}" if index is None else f"{section.key}-{index}-{field.name}"


def empty_entry(section):
    return {f.name: "" for f in section.fields}


def empty_content(kind):
    return {s.key: [] if s.repeats else empty_entry(s) for s in kind.sections}


def posted_entries(section, form):
    """The entries of a list in the order posted (by their index), each field a stripped string."""
    indexes = set()
    for name in form:
        prefix, _, rest = name.partition("-")
        match = ENTRY_NAME.match(rest) if prefix == section.key else None
        if match:
            indexes.add(int(match.group(1)))
    entries = [{f.name: form.get(input_name(section, f, i), "").strip() for f in section.fields} for i in sorted(indexes)]
    return entries[: section.max_entries]


def read_content(kind, form):
    """The content as posted (unchecked), every section present."""
    content = {}
    for section in kind.sections:
        if section.repeats:
            content[section.key] = posted_entries(section, form)
        else:
            content[section.key] = {f.name: form.get(input_name(section, f), "").strip() for f in section.fields}
    return content


def normalised(content, kind):
    """The content with every section and field of the description (older or partial data)."""
    out = {}
    for section in kind.sections:
        value = (content or {}).get(section.key)
        if section.repeats:
            rows = [row for row in value if isinstance(row, dict)] if isinstance(value, list) else []
            out[section.key] = [{f.name: str(row.get(f.name) or "") for f in section.fields} for row in rows]
        else:
            row = value if isinstance(value, dict) else {}
            out[section.key] = {f.name: str(row.get(f.name) or "") for f in section.fields}
    return out


def apply_action(kind, content, action):
    """A builder button: ``add:<section>``, ``remove:<section>:<n>``, ``up:<section>:<n>``,
    ``down:<section>:<n>``. Returns a message when the button cannot do it, else ``None``."""
    verb, _, rest = action.partition(":")
    key, _, index = rest.partition(":")
    section = kind.section(key)
    if section is None or not section.repeats:
        return gettext("That button does not belong to this document.")
    entries = content[key]
    if verb == "add":
        if len(entries) >= section.max_entries:
            return gettext("A section holds at most %(count)s entries.", count=section.max_entries)
        entries.append(empty_entry(section))
        return None
    position = int(index) if index.isascii() and index.isdecimal() and int(index) < len(entries) else None
    if position is None or verb not in ("remove", "up", "down"):
        return gettext("That entry is no longer there.")
    if verb == "remove":
        entries.pop(position)
    else:
        other = position - 1 if verb == "up" else position + 1
        if 0 <= other < len(entries):
            entries[position], entries[other] = entries[other], entries[position]
    return None


def field_problem(field, value):
    """The message for one value, or ``None`` (phones are normalised once all is valid)."""
    if not value:
        return gettext("Fill this in.") if field.required else None
    if len(value) > field.max_length:
        return gettext("Keep this to %(count)s characters.", count=field.max_length)
    return KIND_CHECKS.get(field.kind, lambda v: None)(value)


def month_problem(value):
    return None if MONTH.match(value) else gettext("Enter a month as YYYY-MM, e.g. 2021-09.")


def year_problem(value):
    return None if YEAR.match(value) and 1900 <= int(value) <= 2100 else gettext("Enter a year like 2019.")


def date_problem(value):
    try:
        date.fromisoformat(value)
    except ValueError:
        return gettext("Enter a date as YYYY-MM-DD.")
    return None


def email_problem(value):
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return gettext("Enter a valid email address, e.g. name@example.org.")
    return None


def phone_problem(value):
    number = normalise_phone(value)
    if number is None or len(number) > MAX_PHONE_LENGTH:
        return gettext("Enter a valid phone number, e.g. 416-555-0123.")
    return None


KIND_CHECKS = {"month": month_problem, "year": year_problem, "date": date_problem, "email": email_problem, "phone": phone_problem}


def entry_problems(section, entry, index=None):
    """``{input name: message}`` for one block or entry."""
    problems = {}
    for field in section.fields:
        message = field_problem(field, entry[field.name])
        if message:
            problems[input_name(section, field, index)] = message
    main = section.main
    if index is not None and any(entry.values()) and not entry[main.name]:
        problems.setdefault(input_name(section, main, index), gettext("Fill this in, or remove the entry."))
    if section.span and not problems:
        start, end = section.span
        if entry[start] and entry[end] and entry[end] < entry[start]:
            field = next(f for f in section.fields if f.name == end)
            problems[input_name(section, field, index)] = gettext("The end is before the start.")
    return problems


def check(kind, title, content):
    """``(clean content, {input name: message})``: empty entries dropped, phones normalised."""
    problems = {}
    if not title:
        problems["title"] = gettext("Give the document a title.")
    elif len(title) > TITLE_LENGTH:
        problems["title"] = gettext("Keep this to %(count)s characters.", count=TITLE_LENGTH)
    clean = {}
    for section in kind.sections:
        if section.repeats:
            kept = [entry for entry in content[section.key] if any(entry.values())]
            for index, entry in enumerate(kept):
                problems.update(entry_problems(section, entry, index))
            clean[section.key] = kept
        else:
            problems.update(entry_problems(section, content[section.key]))
            clean[section.key] = dict(content[section.key])
    return (clean, problems) if problems else (with_normal_phones(kind, clean), {})


def with_normal_phones(kind, content):
    for section in kind.sections:
        rows = content[section.key] if section.repeats else [content[section.key]]
        for row in rows:
            for field in section.fields:
                if field.kind == "phone" and row[field.name]:
                    row[field.name] = normalise_phone(row[field.name])
    return content


def prefilled(kind, client):
    """A new document's content: the contact block from the client's profile."""
    content = empty_content(kind)
    contact = content[kind.sections[0].key]
    contact.update(
        name=client.display_name or "",
        email=client.email or "",
        phone=client.phone or "",
        city=client.city or "",
    )
    return content


def filled(kind, content):
    """``[(section, rows)]`` of the sections with something in them, entries in order (what the
    page and the PDF show)."""
    out = []
    for section in kind.sections:
        rows = content[section.key] if section.repeats else [content[section.key]]
        rows = [row for row in rows if any(row.values())]
        if rows:
            out.append((section, rows))
    return out

"""Optimistic locking on the pages (the rules are in ``models/record_history.py``): the hidden
fields a form carries, and the message a refused save shows.

Every edit form of a versioned record carries ``expected_version`` and ``seen_event``
(``VersionFields``); a page writing many records at once carries ``versions`` ("id:version"
pairs) and ``seen_event``. A refused save flashes ``stale_message`` (what changed, who, when)
and renders the page again with the person's own entries and the record's current version, so
saving again is a conscious choice made after seeing the other person's changes.
"""

from flask import flash, render_template
from flask_babel import gettext, lazy_gettext
from markupsafe import Markup
from wtforms import HiddenField

from models.record_history import Loaded, as_number, last_event_id

MASKED = (["[private]", "[private]"], ["", "changed"])
MAX_SHOWN = 80
ACTIONS = {"create": lazy_gettext("added"), "delete": lazy_gettext("deleted"), "update": lazy_gettext("changed")}


class VersionFields:
    """Mixin for a form that edits one versioned record."""

    expected_version = HiddenField()
    seen_event = HiddenField()

    def stamp(self, row):
        """Carry the record's current version and the newest audit event about it."""
        self.expected_version.data = str(row.version)
        self.seen_event.data = str(last_event_id(row))

    def loaded(self):
        return Loaded.parse(self.expected_version.data, self.seen_event.data)


def versions_value(rows):
    """The ``versions`` hidden value of a page writing many records: "id:version,..."."""
    return ",".join(f"{row.id}:{row.version}" for row in rows)


def parse_versions(text):
    """``{id: version}`` from a ``versions`` value; ``None`` when the page sent none."""
    if text is None:
        return None
    pairs = [item.partition(":") for item in text.split(",") if item]
    return {as_number(key): as_number(value) for key, _, value in pairs}


def shown(value):
    if value in (None, "", []):
        return gettext("(empty)")
    text = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + "…"


def field_line(key, pair, labels):
    """ "Label: old → new", or the label alone where the trail holds no showable value (Private
    content, secrets, ids of other records)."""
    label = labels.get(key) or labels.get(key.split(".", 1)[0]) or key.split(".")[-1].replace("_", " ").capitalize()
    if list(pair) in MASKED or key.endswith("_id") or not isinstance(pair, list) or len(pair) != 2:
        return str(label)
    return f"{label}: {shown(pair[0])} → {shown(pair[1])}"


def change_lines(change, labels):
    if change.action != "update":
        return []
    return [field_line(key, pair, labels) for key, pair in sorted(change.changes.items())]


def stale_message(error, labels=None, record_label=None):
    """The refusal as HTML: each write since the page was loaded, by whom and when."""
    labels = labels or {}
    writes = [
        {
            "who": change.staff_name or gettext("an automatic job"),
            "at": change.at.strftime("%Y-%m-%d %H:%M"),
            "action": ACTIONS.get(change.action, change.action),
            "record": record_label(change) if record_label else "",
            "fields": change_lines(change, labels),
        }
        for change in error.changes
    ]
    return Markup(render_template("admin/_stale_record.html", writes=writes))


def flash_stale(error, labels=None, record_label=None):
    flash(stale_message(error, labels, record_label), "error")


def form_labels(form, prefix=""):
    """``{prefix + field name: label}`` of a WTForms form, for naming the changed fields."""
    return {prefix + field.name: str(field.label.text) for field in form if field.type not in ("HiddenField", "CSRFTokenField")}

"""Reference value lists (languages, countries, statuses...) loaded from data files."""

import csv
from collections import Counter
from pathlib import Path

from flask_babel import get_locale, lazy_gettext
from sqlalchemy import select

from extensions import db
from service_forms.icare import icare_options
from service_forms.labels import french_labels, value_label  # noqa: F401 - the value lists' French, read here too

DATA_DIR = Path(__file__).resolve().parent.parent / "reference_data"
CSV_LISTS = ("countries", "genders", "immigration_statuses")
ICARE_LISTS = {
    "languages": ("Needs Assessment&Referrals", "assessment_language_id"),
    "provinces": ("Client Profile", "province_id"),
}

LIST_LABELS = {  # every list's name as people read it (the stored key is internal)
    "languages": lazy_gettext("Languages"),
    "provinces": lazy_gettext("Provinces and territories"),
    "countries": lazy_gettext("Countries"),
    "genders": lazy_gettext("Genders"),
    "immigration_statuses": lazy_gettext("Immigration statuses"),
}


def list_label(list_name):
    """A list's name in the interface's language (an unknown list: its key)."""
    return str(LIST_LABELS.get(list_name, list_name))


class ReferenceValue(db.Model):
    """One value of one list; shared by every agency, never deleted once used."""

    __tablename__ = "reference_values"
    __table_args__ = (db.UniqueConstraint("list_name", "value"),)

    id = db.Column(db.Integer, primary_key=True)
    list_name = db.Column(db.String(50), nullable=False, index=True)
    value = db.Column(db.String(200), nullable=False)
    code = db.Column(db.String(20), nullable=False, default="")
    position = db.Column(db.Integer, nullable=False, default=0)
    is_active = db.Column(db.Boolean, nullable=False, default=True)

    def __str__(self):
        return self.value


def read_lists():
    """Every list as ``{name: [(value, code), ...]}`` in file order."""
    lists = {name: [(value, "") for value in icare_options(*where)] for name, where in ICARE_LISTS.items()}
    for name in CSV_LISTS:
        with open(DATA_DIR / f"{name}.csv", newline="", encoding="utf-8") as handle:
            lists[name] = [(row["value"], row.get("code", "")) for row in csv.DictReader(handle)]
    return lists


def sync_reference_values():
    """Bring the table in step with the files: add, reorder, deactivate; never delete."""
    existing = {(r.list_name, r.value): r for r in db.session.scalars(select(ReferenceValue))}
    wanted = set()
    for list_name, values in read_lists().items():
        for position, (value, code) in enumerate(values):
            wanted.add((list_name, value))
            row = existing.get((list_name, value)) or ReferenceValue(list_name=list_name, value=value)
            row.code, row.position, row.is_active = code, position, True
            db.session.add(row)
    for key, row in existing.items():
        if key not in wanted:
            row.is_active = False
    db.session.commit()
    forget_active_values()


def choices(list_name):
    """Active values of a list, in order, as ``(value, label)`` pairs for a select field: the
    stored value (English, as iCARE has it) and its label in the interface's language (worked
    out on every call, the interface's language asked once: the values are cached, the labels
    follow the viewer)."""
    locale = get_locale() or "en"
    pairs = [(value, value_label(list_name, value, locale)) for value in active_values(list_name)]
    return told_apart(pairs)


def told_apart(pairs):
    """Labels that two values share (French has "Promenade" for Drive, Parkway and Promenade)
    name their stored value too, "Promenade (Drive)", so that a choice is never a guess."""
    counts = Counter(label for _value, label in pairs)
    return [(value, f"{label} ({value})" if counts[label] > 1 and label != value else label) for value, label in pairs]


_active_values = {}  # (database, list name) -> values: see active_values


def forget_active_values():
    """Read the lists again next time (after ``sync_reference_values``, or a test that adds a value)."""
    _active_values.clear()


def active_values(list_name):
    """A list's active values in order. Read once per process and database: the rows are the
    same for every agency and change only when ``sync_reference_values`` runs (``init-db``,
    before the web processes start on a new version; it clears only its own process's copy:
    web processes running during a sync keep theirs until restarted), so a
    page with three lists need not ask the database three times per request. An empty list
    (a database not synced yet) is asked again next time."""
    key = (db.engine.url.render_as_string(hide_password=True), list_name)
    values = _active_values.get(key)  # one look-up: a sync forgetting the lists meanwhile is harmless
    if values is None:
        values = read_active_values(list_name)
        if values:
            _active_values[key] = values
    return values


def read_active_values(list_name):
    query = (
        select(ReferenceValue.value)
        .where(ReferenceValue.list_name == list_name, ReferenceValue.is_active.is_(True))
        .order_by(ReferenceValue.position)
    )
    return tuple(db.session.scalars(query))

"""The service forms' labels in the interface's language.

The iCARE fields take their labels from the iCARE templates, in iCARE's English; their French
(and that of the section titles) is data, one row per English label, in
``reference_data/form_labels_fr.csv`` (``label,label_fr``). A field's label is a lazy string:
it reads in the language of the request that shows it (a page, a message, a report), English
outside a request. iCARE files never read these: they write the template's own labels.
Values (of every value list: countries, languages... and the service forms' choices, list
``icare_options``) are stored in English and labelled by ``value_label``, from
``reference_data/values_fr.csv``; ``models.reference`` gives the same functions."""

import csv
from functools import cache
from pathlib import Path

from flask_babel import LazyString, force_locale, get_locale

LABELS_FILE = Path(__file__).resolve().parent.parent / "reference_data" / "form_labels_fr.csv"
VALUES_FILE = LABELS_FILE.parent / "values_fr.csv"  # the value lists' French (tools/french_value_labels.py)
OPTIONS_LIST = "icare_options"  # the list of reference_data/values_fr.csv labelling the forms' choices


@cache
def french_form_labels():
    """``{English label: French label}`` of the service forms' iCARE fields and section titles."""
    with open(LABELS_FILE, newline="", encoding="utf-8") as handle:
        return {row["label"]: row["label_fr"] for row in csv.DictReader(handle)}


def is_french(locale=None):
    return str(locale or get_locale() or "en").startswith("fr")


def shown_label(text, locale=None):
    """How an English form label or section title reads in ``locale`` (default: the
    interface's); a label without a French row reads as written."""
    return french_form_labels().get(text, text) if is_french(locale) else text


def lazy_label(text):
    """``text`` as a lazy string, shown in the language of the request that shows it."""
    return LazyString(shown_label, text)


def option_label(value, locale=None):
    """How a stored (English) choice of a service form reads in ``locale``."""
    return value_label(OPTIONS_LIST, value, locale)


def english_label(label):
    """A (lazy) form label's English text, whatever the viewer's language: for code that
    recognises a field by its words."""
    with force_locale("en"):
        return str(label)


@cache
def french_labels():
    """``{(list, value): French label}`` from reference_data/values_fr.csv (written by
    tools/french_value_labels.py)."""
    with open(VALUES_FILE, newline="", encoding="utf-8") as handle:
        return {(row["list"], row["value"]): row["label_fr"] for row in csv.DictReader(handle)}


def value_label(list_name, value, locale=None):
    """How a stored value of a list reads in ``locale`` (default: the interface's): values are
    stored once, in English (iCARE's own values: exports keep them); French has its own label.
    A value without one, or any other language, reads as stored."""
    language = str(locale or get_locale() or "en")
    if value is None or not language.startswith("fr"):
        return value
    return french_labels().get((list_name, value), value)

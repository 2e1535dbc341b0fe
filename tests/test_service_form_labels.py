"""Every label of the service forms reads in French for a French-speaking worker: the iCARE
fields' labels (``reference_data/form_labels_fr.csv``), the hand-declared fields, the section
titles, the form kinds and their descriptions, the session types; iCARE files keep iCARE's
English whatever the language (tests/test_icare*.py check the files themselves)."""

import pytest
from flask_babel import force_locale

from models.referrals import need_areas
from service_forms import FORMS, SESSION_TYPES
from service_forms.labels import french_form_labels, shown_label
from service_forms.session_types import DELIVERY_LABELS
from tests.i18n_scan import NOT_TEXT

# Words spelt the same in both languages (the catalogue's "Notes" and "Province" too).
SAME_IN_FRENCH = {"Notes", "Province", "Service", "Intentions", "Orientation"}


def both(app, text):
    """``text`` (a label, lazy or not) in English and in French."""
    with app.test_request_context():
        with force_locale("en"):
            english = str(text)
        with force_locale("fr_CA"):
            french = str(text)
    return english, french


def untranslated(app, labels):
    found = []
    for label in labels:
        english, french = both(app, label)
        if english == french and english not in NOT_TEXT | SAME_IN_FRENCH:
            found.append(english)
    return found


@pytest.mark.parametrize("kind", sorted(FORMS))
def test_every_field_and_section_of_every_form_has_a_french_label(app, kind):
    spec = FORMS[kind]
    assert untranslated(app, [f.label for f in spec.fields]) == []
    assert untranslated(app, [title for title, _fields in spec.sections()]) == []
    assert untranslated(app, [spec.label] + ([spec.description] if spec.description else [])) == []


def test_the_session_types_delivery_methods_and_need_areas_have_french_labels(app):
    with app.app_context():
        areas = [area.label for area in need_areas()]
    labels = [t.label for t in SESSION_TYPES.values()] + list(DELIVERY_LABELS.values()) + areas
    assert untranslated(app, labels) == []
    assert both(app, FORMS["io"].field("postal_cd").label) == (
        "Postal Code where the service was received",
        "Code postal où le service a été reçu",
    )
    assert both(app, FORMS["io"].field("service_referred_by_id").label)[1] == "Aiguillé par"
    assert both(app, SESSION_TYPES["cc_group"].label)[1] == "Activité de groupe Connexions communautaires"


def test_the_french_labels_file_has_no_stale_or_empty_row(app):
    """Each row names a label or a section title some form has (in English), with a French one."""
    english = {both(app, f.label)[0] for spec in FORMS.values() for f in spec.fields}
    english |= {f.section for spec in FORMS.values() for f in spec.fields} | {"Support services"}
    with app.app_context():
        english |= {str(f.label).removeprefix("Needed: ").removeprefix("Received: ") for s in FORMS.values() for f in s.fields}
    rows = french_form_labels()
    assert all(rows.values())
    assert sorted(set(rows) - english) == []
    assert shown_label("Referred By", "en") == "Referred By" and shown_label("Referred By", "fr_CA") == "Aiguillé par"

"""The French labels of the service forms' iCARE lists (reference_data/values_fr.csv, list
``icare_options``, written by tools/french_value_labels.py): every option has one, French unless
the tool says the value reads the same in both languages, and the file is the tool's output."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

import french_value_labels as tool  # noqa: E402

from models.reference import DATA_DIR, french_labels, value_label  # noqa: E402
from service_forms.fields import options_by_code  # noqa: E402


def test_every_option_has_a_french_label():
    labels = french_labels()
    missing = [
        (code, value)
        for code, options in options_by_code().items()
        for value in options
        if not (labels.get(("icare_options", value)) or labels.get((code, value)))
    ]
    assert not missing
    declared = [value for value in tool.icare_option_values() if not labels.get(("icare_options", value))]
    assert not declared  # the catalogue's own choices (ratings, statuses, the finance form's lists) too
    assert value_label("icare_options", "Ended early", "fr_CA") == "Terminé avant la fin"
    assert value_label("icare_options", "Opened a bank account", "fr_CA") == "A ouvert un compte bancaire"
    assert all(label.strip() for label in labels.values())


def test_a_label_is_the_english_only_when_the_tool_says_so():
    same = [value for (list_name, value), label in french_labels().items() if label == value]
    assert same, "numbers and proper names read the same"
    assert [value for value in same if not tool.same_in_french(value)] == []
    assert not tool.same_in_french("Street") and not tool.same_in_french("Completed")


def test_the_tool_writes_the_file_byte_for_byte():
    assert (DATA_DIR / "values_fr.csv").read_bytes() == tool.render().encode("utf-8")


def test_value_label_of_icare_options():
    cases = {
        "Yes": "Oui",
        "Street": "Rue",
        "Crescent": "Croissant",
        "English": "Anglais",
        "Pre-CLB": "Pré-NCLC",
        "2.5": "2,5",
        "3 to 4 hours": "3 à 4 heures",
        "Registered Nurses": "Infirmiers autorisés",
        "Bisaya": "Bisaya",
        "120": "120",
    }
    for value, french in cases.items():
        assert value_label("icare_options", value, "fr_CA") == french
        assert value_label("icare_options", value, "en") == value


def test_profile_lists_are_completed():
    assert value_label("street_type_id", "Road", "fr_CA") == "Chemin"
    assert value_label("languages", "Affar", "fr_CA") == "Afar"
    assert value_label("languages", "Arabic", "fr_CA") == "Arabe"  # CLDR's, as before

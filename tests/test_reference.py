"""Reference value lists come from the data files, the iCARE lists included."""

import json
from pathlib import Path

import pytest

from extensions import db
from models.reference import (
    LIST_LABELS,
    ReferenceValue,
    choices,
    icare_options,
    list_label,
    read_lists,
    sync_reference_values,
    told_apart,
)

STREET_TYPE_FIXES = {"ésplanade": "Esplanade", "Iceland": "Island", "Platau": "Plateau"}
SHARED_TEMPLATES = Path(__file__).resolve().parents[2] / "shared" / "icare" / "templates.json"


def test_every_list_is_loaded(app):
    with app.app_context():
        for name in ("languages", "countries", "immigration_statuses", "genders", "provinces"):
            assert len(choices(name)) >= 5, name
        assert ("Ontario", "Ontario") in choices("provinces")
        assert choices("languages")[:2] == [("English", "English"), ("French", "French")]


def test_languages_are_the_icare_list_without_repeats(app):
    languages = [value for value, _ in read_lists()["languages"]]
    assert len(languages) == len(set(languages))
    # iCARE spellings are kept as they are ("Ukranoan", "Tigrigna"): uploads must match them.
    assert {"Arabic", "Tigrigna", "Dari", "Ukranoan"} <= set(languages)
    assert set(languages) == set(icare_options("Needs Assessment&Referrals", "assessment_language_id"))


@pytest.mark.skipif(not SHARED_TEMPLATES.exists(), reason="../shared/icare is not beside this checkout")
def test_bundled_icare_templates_are_the_shared_ones():
    """The same templates, but for the street-type typos fixed in our copy (issue 15; the
    migration ``c3d9e5a1f7b2`` renames them in saved profiles too)."""
    bundled = Path(__file__).resolve().parents[1] / "reference_data" / "icare_templates.json"
    shared = SHARED_TEMPLATES.read_text()
    for typo, fixed in STREET_TYPE_FIXES.items():
        shared = shared.replace(f'"{typo}"', f'"{fixed}"')
    assert json.loads(bundled.read_text()) == json.loads(shared)


def test_sync_deactivates_removed_values_and_keeps_them(app):
    with app.app_context():
        db.session.add(ReferenceValue(list_name="genders", value="Retired value", position=99))
        db.session.commit()
        sync_reference_values()
        row = ReferenceValue.query.filter_by(list_name="genders", value="Retired value").one()
        assert row.is_active is False
        assert ("Retired value", "Retired value") not in choices("genders")
        db.session.delete(row)
        db.session.commit()


def test_every_list_has_a_name_people_read(app):
    with app.test_request_context():
        assert set(LIST_LABELS) == set(read_lists())
        assert list_label("immigration_statuses") == "Immigration statuses"


def test_values_sharing_a_french_label_are_told_apart(app):
    """Drive, Parkway and Promenade are all "Promenade" in French: each names its value too, on
    the registration form's street types."""
    pairs = [("Drive", "Promenade"), ("Parkway", "Promenade"), ("Promenade", "Promenade"), ("Road", "Chemin")]
    assert told_apart(pairs) == [
        ("Drive", "Promenade (Drive)"),
        ("Parkway", "Promenade (Parkway)"),
        ("Promenade", "Promenade"),
        ("Road", "Chemin"),
    ]

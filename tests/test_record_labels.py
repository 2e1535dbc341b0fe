"""Every kind of record has a label in both languages (models/record_labels.py): each model the
audit trail can name, and each record type an event is recorded under by name."""

import re
from pathlib import Path

from flask_babel import force_locale

from extensions import db
from models.audit import AuditEvent, record_type_of
from models.record_labels import RECORD_LABELS

ROOT = Path(__file__).resolve().parents[1]
NAMED_EVENT = re.compile(r"record_event\(\s*\"\w+\",\s*\"(\w+)\"")


def named_record_types():
    """The record types written as text in ``record_event("action", "type", ...)`` calls."""
    found = set()
    for path in ROOT.rglob("*.py"):
        if not {".venv", "tests"} & set(path.relative_to(ROOT).parts):
            found |= set(NAMED_EVENT.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_model_and_every_named_event_has_a_label(app):
    models = {record_type_of(mapper.class_) for mapper in db.Model.registry.mappers}
    named = named_record_types()
    assert {"client", "settlement_plan", "report", "audit_event"} <= named  # the scan finds them
    assert models | named <= set(RECORD_LABELS), sorted((models | named) - set(RECORD_LABELS))


def test_the_trail_names_each_record_in_the_interfaces_language(app):
    with app.test_request_context():
        event = AuditEvent(record_type="emergency_contact")
        assert event.record_label == "emergency contact"
        with force_locale("fr_CA"):
            assert event.record_label == "personne à joindre en cas d'urgence"
            assert AuditEvent(record_type="staff").record_label == "membre du personnel"
            assert AuditEvent(record_type="something_new").record_label == "something new"  # as stored

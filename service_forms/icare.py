"""The bundled iCARE bulk-upload templates (``reference_data/icare_templates.json``): their
sheets, columns and drop-down lists. Plain data, no model: forms and reference lists read it."""

import json
from functools import cache
from pathlib import Path

TEMPLATES_FILE = Path(__file__).resolve().parent.parent / "reference_data" / "icare_templates.json"


@cache
def icare_templates():
    """The iCARE bulk-upload templates, keyed by sheet name."""
    data = json.loads(TEMPLATES_FILE.read_text(encoding="utf-8"))
    return {template["sheet"]: template for template in data["templates"]}


def icare_options(sheet, code):
    """A column's drop-down values, stripped, without the template's repeated entries."""
    column = next(c for c in icare_templates()[sheet]["columns"] if c["code"] == code)
    return list(dict.fromkeys(str(option).strip() for option in column["options"]))

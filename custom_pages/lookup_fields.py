"""``LookupSelectField``: a drop-down over a table that grows (clients, staff). The page holds
only the chosen row; the others come from ``/admin/lookup/<kind>/`` as the user types
(static/js/searchable_select.js). A submitted id is accepted only when the look-up's own scoped
query finds it, so another agency's id is "Not a valid choice"."""

from flask import url_for
from wtforms import SelectField

from models.lookups import chosen


class LookupSelectField(SelectField):
    def __init__(self, label=None, validators=None, kind="staff", blank=None, **kwargs):
        super().__init__(label, validators, choices=[], **kwargs)
        self.kind, self.blank = kind, list(blank or [])

    def _named(self):
        self.choices = self.blank + [(str(row_id), name) for row_id, name in chosen(self.kind, [self.data] if self.data else [])]

    def process_data(self, value):
        super().process_data(value)
        self._named()

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self._named()

    def __call__(self, **kwargs):
        kwargs.setdefault("data-lookup", url_for("lookup.rows", kind=self.kind))
        return super().__call__(**kwargs)

"""Drop-downs over tables that grow (clients, staff, courses): ``LookupSelectField`` (one row)
and ``LookupSelectMultipleField`` (several). The page holds only the chosen rows; the others come
from ``/admin/lookup/<kind>/`` as the user types (static/js/searchable_select.js). A submitted id
is accepted only when the look-up's own scoped query names it (or the record already holds it,
see ``keep``), so an id of another agency, or one the user may not see, is refused on the field:
never trusted because it came from a select."""

from flask import url_for
from flask_babel import gettext
from wtforms import SelectField, SelectMultipleField
from wtforms.validators import ValidationError

from models.lookups import chosen


class LookupChoices:
    """What both fields share: the choices are the blank ones, the kept rows and the submitted
    or loaded ids the look-up names, in that order, worked out when the field is rendered or
    validated (a page may set ``data`` after the form was built): one statement per field."""

    def _setup(self, kind, blank):
        self.kind, self.blank, self.kept, self._named_for = kind, list(blank or []), {}, None

    def keep(self, rows):
        """Rows the record already holds, ``[(id, label)]``: shown and accepted even when the
        look-up would not offer them now (an inactive lead, an ended or hidden course)."""
        self.kept.update({str(row_id): label for row_id, label in rows if row_id is not None})
        self._named_for = None

    def _values(self):
        data = self.data if isinstance(self.data, (list, tuple)) else [self.data]
        return [str(value) for value in data if value not in (None, "")]

    def _refresh(self):
        values = tuple(self._values())
        if self._named_for == values:
            return
        asked = [value for value in values if value not in self.kept]
        named = [(str(row_id), name) for row_id, name in chosen(self.kind, asked)]
        self.choices = self.blank + list(self.kept.items()) + named
        self._named_for = values

    def iter_choices(self):
        self._refresh()
        return super().iter_choices()

    def pre_validate(self, form):
        """Every submitted id must be one the choices hold: else a message on the field."""
        self._refresh()
        known = {value for value, _ in self.choices}
        if any(value not in known for value in self._values()):
            raise ValidationError(gettext("Choose from the list: this choice is not one you may use."))

    def __call__(self, **kwargs):
        kwargs.setdefault("data-lookup", url_for("lookup.rows", kind=self.kind))
        return super().__call__(**kwargs)


class LookupSelectField(LookupChoices, SelectField):
    def __init__(self, label=None, validators=None, kind="staff", blank=None, **kwargs):
        super().__init__(label, validators, choices=[], **kwargs)
        self._setup(kind, blank)


class LookupSelectMultipleField(LookupChoices, SelectMultipleField):
    def __init__(self, label=None, validators=None, kind="staff", **kwargs):
        super().__init__(label, validators, choices=[], **kwargs)
        self._setup(kind, None)


def kept_staff(members):
    """``[(id, name)]`` for ``keep``: the staff a record holds, "(inactive)" after those who left."""
    inactive = gettext("(inactive)")
    return [(m.id, m.name if m.is_active else f"{m.name} {inactive}") for m in members if m is not None]

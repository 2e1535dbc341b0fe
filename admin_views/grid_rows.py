"""A grid page's rows, worked out once in Python for templates/admin/grid.html.

Flask-Admin's list template renders every row through ``scoped`` blocks (Jinja copies the page's
context for each row and block: about 1,700 copies a page) and every cell through ``get_value``
and every row button through its macro. Here the view makes each row's cells one piece of markup
(``grid_rows``: the same formatters, in the same order, as Flask-Admin's ``_get_list_value``)
and the buttons of all rows in one call (``grid_buttons``); the template only writes them out.
``tests/test_grid_template.py`` compares every grid with the page Flask-Admin's template renders.
"""

from functools import partial

from flask_admin.tools import rec_getattr
from jinja2 import pass_context
from markupsafe import Markup, escape

END = Markup("</td>")


class Cells:
    """One page's cells of one view. Type formatters (Yes/No, dates, empty values) depend on the
    value and the column alone, so each distinct value is formatted once per column and page."""

    def __init__(self, view):
        self.view = view
        self.columns = [(name, Markup('<td class="col-{}">').format(name)) for name, _ in view._list_columns]
        self.formatters, self.choices = view.column_formatters, view._column_choices_map
        self.types, self.type_of, self.typed = view.column_type_formatters, {}, {}

    def row(self, row):
        return Markup("").join(td + escape(self.value(row, name)) + END for name, td in self.columns)

    def value(self, row, name):
        """Flask-Admin's ``_get_list_value``: the column's formatter (given no template context)
        or the attribute, then its choices, else its type's formatter."""
        formatter = self.formatters.get(name)
        value = formatter(self.view, None, row, name) if formatter is not None else rec_getattr(row, name)
        choices = self.choices.get(name)
        if choices:
            return choices.get(value) or value
        return self.by_type(value, name)

    def by_type(self, value, name):
        kind = type(value)
        if kind not in self.type_of:
            self.type_of[kind] = next((f for typeobj, f in self.types.items() if isinstance(value, typeobj)), None)
        formatter = self.type_of[kind]
        if formatter is None:
            return value
        try:
            key = (name, kind, value)
            if key not in self.typed:
                self.typed[key] = formatter(self.view, value, name)
            return self.typed[key]
        except TypeError:  # an unhashable value (a list)
            return formatter(self.view, value, name)


class GridRows:
    """Mixin for ``ModelView``: the list page's rows for templates/admin/grid.html."""

    list_template = "admin/grid.html"

    def render(self, template, **kwargs):
        """The list page gets its rows' cells worked out once (``grid_rows``)."""
        if template == self.list_template and "data" in kwargs:
            kwargs["grid_rows"] = self.grid_rows(kwargs["data"])
        return super().render(template, **kwargs)

    def grid_rows(self, rows):
        """``[(id, row, cells)]``, ``cells`` the row's ``<td>``s as one piece of markup."""
        cells = Cells(self)
        return [(self.get_pk_value(row), row, cells.row(row)) for row in rows]

    @pass_context
    def grid_buttons(self, context, grid_rows):
        """``[(id, buttons, cells)]``: each row's buttons (``list_row_actions``), each action
        asked once for the page (``renderer``, when it has one: admin_views/base.py
        ``RenderedOnce``), else rendered per row as Flask-Admin's template does."""
        actions = context.resolve("list_row_actions") if self.column_display_actions else ()
        renderers = [a.renderer(context) if hasattr(a, "renderer") else partial(a.render, context) for a in actions]
        return [
            (row_id, Markup("\n").join(render(row_id, row) for render in renderers), cells) for row_id, row, cells in grid_rows
        ]

"""How every grid pages: a capped row count, and deep pages read through their ids.

- Flask-Admin counts every matching row on every page (``count(*)``: a third of a client page at
  1,000,000 clients). Here the count stops at ``count_cap`` rows (``SELECT count(*) FROM (SELECT
  1 ... LIMIT cap + 1)``): under the cap the grid shows the exact count and numbered pages;
  over it, "1,000+" and the previous/next pager ("next" is offered while a page comes back full).
  An export (no page size) still counts exactly: its audit event names the row count.
- A page far down the list (``DEFERRED_FROM`` rows skipped or more) first reads only the ids of
  its rows, in order (the database walks an index instead of whole rows), then loads those rows.

Both queries are the grid's own (``get_list``'s, with its tenancy, rules, filters and sort).
"""

from flask import g
from flask_babel import format_decimal
from sqlalchemy import func
from sqlalchemy.orm import joinedload

COUNT_CAP = 1000
DEFERRED_FROM = 2000  # rows skipped before a page reads its ids first


class CappedCount:
    """Mixin for ``ModelView``: the capped count and the deep-page read described above."""

    simple_list_pager = True  # Flask-Admin builds no count query: ``get_list`` below counts
    count_cap = COUNT_CAP

    def get_list(self, page, sort_column, sort_desc, search, filters, execute=True, page_size=None):
        _, query = super().get_list(page, sort_column, sort_desc, search, filters, execute=False, page_size=page_size)
        count = self.capped_count(query, cap=None if page_size == 0 else self.count_cap)
        if not execute:
            return count, query
        skipped = (page or 0) * (self.page_size if page_size is None else page_size)
        return count, self.page_rows(query, skipped)

    def capped_count(self, query, cap):
        """The number of rows (at most ``cap``); ``None`` when there are more, noted for the page."""
        rows = query.limit(None).offset(None).order_by(None).enable_eagerloads(False).with_entities(self._pk())
        if cap is not None:
            rows = rows.limit(cap + 1)
        count = query.session.query(func.count()).select_from(rows.subquery()).scalar()
        if cap is not None and count > cap:
            g.grid_count_over = cap
            return None
        return count

    def page_rows(self, query, skipped):
        """The page's rows; a deep page reads its ids first, then the rows by id."""
        if skipped < DEFERRED_FROM:
            return query.all()
        ids = [row[0] for row in query.enable_eagerloads(False).with_entities(self._pk())]
        if not ids:
            return []
        loaded = {self.get_pk_value(row): row for row in self.page_query(ids)}
        return [loaded[i] for i in ids if i in loaded]

    def page_query(self, ids):
        """The rows of a deep page, by id, with the loads the grid's rows get."""
        query = self.get_query().filter(self._pk().in_(ids))
        for join in self._auto_joins:
            query = query.options(joinedload(join))
        return query

    def _pk(self):
        """The primary key as the ORM attribute: a statement selecting the bare table column has
        no entity, and the tenancy and visibility criteria (loader criteria) would not apply."""
        mapper = self.model.__mapper__
        return mapper.get_property_by_column(mapper.primary_key[0]).class_attribute

    def render(self, template, **kwargs):
        """The list page says "1,000+" when the count stopped at the cap."""
        if "count" in kwargs and kwargs["count"] is None and g.get("grid_count_over"):
            kwargs["count"] = format_decimal(g.grid_count_over) + "+"
        return super().render(template, **kwargs)

"""How every grid pages: a capped row count, and deep pages read through their ids.

- Flask-Admin counts every matching row on every page (``count(*)``: a third of a client page at
  1,000,000 clients). Here the count stops at ``count_cap`` rows (``SELECT count(*) FROM (SELECT
  1 ... LIMIT cap + 1)``): under the cap the grid shows the exact count and numbered pages;
  over it, "1,000+" and the previous/next pager ("next" is offered while a page comes back full).
  An export (no page size) still counts exactly: its audit event names the row count.
- A page far down the list (``DEFERRED_FROM`` rows skipped or more) first reads only the ids of
  its rows, in order (the database walks an index instead of whole rows), then loads those rows.
- Every page has one order, so that paging neither repeats nor skips a row: a chosen sort ends
  with the default order's columns and the primary key, in its direction (rows that tie keep
  their place from page to page, in index order), and a sort the grid
  does not offer (``?sort=`` on a column without a sort link, typed or left from an old link)
  gets the grid's default order; Flask-Admin would list such a page in no order at all. A JSON
  column is never offered (PostgreSQL has no order for ``json``: the page would fail).

Both queries are the grid's own (``get_list``'s, with its tenancy, rules, filters and sort).
"""

from flask import g
from flask_babel import format_decimal
from sqlalchemy import JSON, func
from sqlalchemy.orm import joinedload

COUNT_CAP = 1000
DEFERRED_FROM = 2000  # rows skipped before a page reads its ids first


class CappedCount:
    """Mixin for ``ModelView``: the capped count and the deep-page read described above."""

    simple_list_pager = True  # Flask-Admin builds no count query: ``get_list`` below counts
    count_cap = COUNT_CAP

    def get_list(self, page, sort_column, sort_desc, search, filters, execute=True, page_size=None):
        _, query = super().get_list(page, sort_column, sort_desc, search, filters, execute=False, page_size=page_size)
        cap = None if page_size == 0 else self.count_cap
        if not execute:
            return self.capped_count(query, cap), query
        skipped = (page or 0) * (self.page_size if page_size is None else page_size)
        return self.counted_page(query, skipped, cap)

    def scaffold_sortable_columns(self):
        """Flask-Admin's (every plain column of the model), but for JSON ones."""
        columns = super().scaffold_sortable_columns()
        return {name: column for name, column in columns.items() if not isinstance(column.type, JSON)}

    def _apply_sorting(self, query, joins, sort_column, sort_desc):
        """The chosen sort, then its ties (``tie_break``); the default order for a column not
        sortable."""
        if sort_column is not None and sort_column not in self._sortable_columns:
            sort_column = None
        query, joins = super()._apply_sorting(query, joins, sort_column, sort_desc)
        if sort_column is not None:
            query = query.order_by(*self.tie_break(sort_desc))
        return query, joins

    def tie_break(self, sort_desc):
        """The default order's own columns, then the primary key, all in the chosen sort's
        direction: rows of one value keep one order, and it is the one the grid's indexes end
        with (sessions of one type newest first: ``(agency_id, session_type, service_date, id)``
        read backwards), not a sort of every row of that value."""
        columns, seen = [], set()
        for column in [field for field, path, _ in self._get_default_order() if not path] + [self._pk()]:
            key = (getattr(column, "class_", None), getattr(column, "key", column))
            if key not in seen:
                seen.add(key)
                columns.append(column.desc() if sort_desc else column)
        return columns

    def count_query(self, query, cap):
        """``SELECT count(*) FROM (SELECT id ... LIMIT cap + 1)`` of the grid's own query."""
        rows = query.limit(None).offset(None).order_by(None).enable_eagerloads(False).with_entities(self._pk())
        if cap is not None:
            rows = rows.limit(cap + 1)
        return query.session.query(func.count()).select_from(rows.subquery())

    def capped_count(self, query, cap):
        """The number of rows (at most ``cap``); ``None`` when there are more, noted for the page."""
        return self.capped(self.count_query(query, cap).scalar(), cap)

    def capped(self, count, cap):
        if cap is not None and count > cap:
            g.grid_count_over = cap
            return None
        return count

    def counted_page(self, query, skipped, cap):
        """The count and the page's rows in one statement: the count is a column of the page's
        (an uncorrelated subquery, run once); a deep page reads its ids (and the count) first,
        then the rows by id. A page with no rows says no count: it is counted on its own."""
        count = self.count_query(query, cap).correlate(None).scalar_subquery()
        if skipped < DEFERRED_FROM:
            found = query.add_columns(count).all()
            rows = [row for row, _ in found]
        else:
            found = query.enable_eagerloads(False).with_entities(self._pk(), count).all()
            rows = self.rows_by_id([row_id for row_id, _ in found])
        if not found:
            return self.capped_count(query, cap), []
        return self.capped(found[0][1], cap), rows

    def rows_by_id(self, ids):
        """A deep page's rows, in the order of its ids."""
        if not ids:
            return []
        key = self._pk().key
        loaded = {getattr(row, key): row for row in self.page_query(ids)}
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
